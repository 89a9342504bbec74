"""Officer pages for PAKN and ratings: the unit's PAKN inbox with deadlines, one PAKN with its
classify / assign / answer / publish actions, the unit's ratings with averages per officer, and the
counter rating device.

Reads start from ``feedback.queries`` (a PAKN of another unit answers 404); each action is one
service call. A refused action re-renders the page with what was typed and the reason.
"""

import datetime as dt
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from motcua.core import throttle
from motcua.core.errors import DomainError, InvalidInput, NotFound
from motcua.feedback import permissions, queries, services
from motcua.feedback.models import Feedback, FeedbackCategory, FeedbackEvent, FeedbackStatus, RatingChannel
from motcua.office.auth import current_unit, officer, officer_required
from motcua.office.feedback.forms import AnswerForm, AssignForm, ClassifyForm, DeviceRatingForm

PAGE_SIZE = 25
# wrong code / 4-digit pairs typed on one device session before it pauses
DEVICE_RULE = throttle.Rule("rating_device", limit=10, window=dt.timedelta(minutes=15))


def _guarded(request: HttpRequest, code: str) -> Feedback:
    try:
        return queries.get_feedback_for_user(officer(request), code)
    except NotFound as exc:
        raise Http404(exc.message) from exc


def _apply(form: forms.Form, error: InvalidInput) -> None:
    for problem in error.problems:
        form.add_error(problem.field if problem.field in form.fields else None, problem.message)


@officer_required
@require_GET
def feedback_inbox(request: HttpRequest) -> HttpResponse:
    unit = current_unit(request)
    if unit is None:
        return redirect("office:choose_unit")
    status = request.GET.get("trang-thai", "")
    now = timezone.now()
    page = Paginator(queries.inbox(unit, officer(request), status=status), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    for row in page:
        row.is_overdue = queries.is_overdue(row, now)  # type: ignore[attr-defined]
        row.publish_overdue = (  # type: ignore[attr-defined]
            row.status == FeedbackStatus.ANSWERED
            and row.publish_due_at is not None
            and row.publish_due_at < now
        )
    context = {
        "unit": unit,
        "page": page,
        "status": status,
        "statuses": FeedbackStatus.choices,
        "query": urlencode({"trang-thai": status}) if status else "",
    }
    return render(request, "office/feedback/inbox.html", context)


def _detail(
    request: HttpRequest, feedback: Feedback, *, bound: dict[str, forms.Form] | None = None, status: int = 200
) -> HttpResponse:
    user = officer(request)
    version = {"version": feedback.version}
    forms_: dict[str, forms.Form] = {
        "classify_form": ClassifyForm(initial={**version, "category": feedback.category}),
        "assign_form": AssignForm(
            feedback=feedback,
            initial={
                **version,
                "unit": feedback.assigned_unit_id or feedback.unit_id,
                "officer": feedback.assigned_officer_id,
            },
        ),
        "answer_form": AnswerForm(initial=version),
    }
    forms_.update(bound or {})
    context = {
        "unit": current_unit(request),
        "feedback": feedback,
        "events": FeedbackEvent.objects.filter(feedback=feedback).select_related("actor"),
        "is_open": feedback.status in queries.OPEN_STATUSES,
        "is_overdue": queries.is_overdue(feedback),
        "can_publish": feedback.status == FeedbackStatus.ANSWERED and permissions.can_publish(user, feedback),
        **forms_,
    }
    return render(request, "office/feedback/detail.html", context, status=status)


@officer_required
@require_GET
def feedback_detail(request: HttpRequest, feedback_code: str) -> HttpResponse:
    return _detail(request, _guarded(request, feedback_code))


def _version(form: forms.Form) -> int | None:
    value = form.cleaned_data.get("version")
    return int(value) if value is not None else None


def _run(request: HttpRequest, feedback: Feedback, name: str, form: forms.Form, action: Any) -> HttpResponse:
    """Validate ``form``, call the service; on refusal show the page again with the typed input."""
    if form.is_valid():
        try:
            action(form)
        except InvalidInput as exc:
            _apply(form, exc)
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            return redirect("office:feedback_detail", feedback_code=feedback.code)
    feedback.refresh_from_db()
    return _detail(request, feedback, bound={name: form}, status=400)


@officer_required
@require_POST
def feedback_classify(request: HttpRequest, feedback_code: str) -> HttpResponse:
    feedback = _guarded(request, feedback_code)

    def action(form: forms.Form) -> None:
        services.classify_feedback(
            feedback_id=feedback.pk,
            by=officer(request),
            category=FeedbackCategory(form.cleaned_data["category"]),
            expected_version=_version(form),
        )
        messages.success(request, _("Đã phân loại phản ánh."))

    return _run(request, feedback, "classify_form", ClassifyForm(request.POST), action)


@officer_required
@require_POST
def feedback_assign(request: HttpRequest, feedback_code: str) -> HttpResponse:
    feedback = _guarded(request, feedback_code)

    def action(form: forms.Form) -> None:
        services.assign_feedback(
            feedback_id=feedback.pk,
            by=officer(request),
            unit=form.cleaned_data["unit"],
            officer=form.cleaned_data["officer"],
            expected_version=_version(form),
        )
        messages.success(request, _("Đã giao xử lý phản ánh."))

    return _run(request, feedback, "assign_form", AssignForm(request.POST, feedback=feedback), action)


@officer_required
@require_POST
def feedback_answer(request: HttpRequest, feedback_code: str) -> HttpResponse:
    feedback = _guarded(request, feedback_code)

    def action(form: forms.Form) -> None:
        done = services.answer_feedback(
            feedback_id=feedback.pk,
            by=officer(request),
            answer=form.cleaned_data["answer"],
            expected_version=_version(form),
        )
        messages.success(
            request,
            _("Đã trả lời phản ánh (%(verdict)s). Cần công khai trước %(due)s.")
            % {
                "verdict": done.get_verdict_display(),
                "due": f"{timezone.localtime(done.publish_due_at):%H:%M %d/%m/%Y}"
                if done.publish_due_at
                else "—",
            },
        )

    return _run(request, feedback, "answer_form", AnswerForm(request.POST), action)


@officer_required
@require_POST
def feedback_publish(request: HttpRequest, feedback_code: str) -> HttpResponse:
    feedback = _guarded(request, feedback_code)
    try:
        services.publish_feedback(feedback_id=feedback.pk, by=officer(request))
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Đã công khai câu trả lời."))
    return redirect("office:feedback_detail", feedback_code=feedback.code)


@officer_required
@require_GET
def ratings(request: HttpRequest) -> HttpResponse:
    """The unit's ratings: TT 01/2018 averages per index, per officer (indices 1, 2, 3, 4, 7 and the
    Điều 15 band) and the latest ratings."""
    unit = current_unit(request)
    if unit is None:
        return redirect("office:choose_unit")
    page = Paginator(queries.unit_ratings(unit), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "unit": unit,
        "summary": queries.unit_summary(unit),
        "officers": queries.officer_summaries(unit),
        "page": page,
    }
    return render(request, "office/feedback/ratings.html", context)


@officer_required
@require_http_methods(["GET", "POST"])
def rating_device(request: HttpRequest) -> HttpResponse:
    """The counter rating device (NĐ 61/2018 Điều 29): a tablet at the unit's counter, opened by an
    officer of the unit; the citizen types the code from the receipt and the last 4 digits of the ID
    number or phone, then rates. Only dossiers of the current unit, returned, not yet rated; the page
    shows no personal data and resets after each rating."""
    unit = current_unit(request)
    if unit is None:
        return redirect("office:choose_unit")
    form = DeviceRatingForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            key = f"{unit.pk}:{request.session.session_key or ''}"
            if throttle.is_limited(DEVICE_RULE, key):
                form.add_error(
                    None, _("Đã nhập sai nhiều lần; thiết bị tạm dừng 15 phút. Mời liên hệ cán bộ một cửa.")
                )
                status = 429
            else:
                dossier = queries.dossier_for_device(
                    unit, form.cleaned_data["dossier_code"], form.cleaned_data["suffix"]
                )
                if dossier is None:
                    throttle.consume(DEVICE_RULE, key)
                    form.add_error(
                        "dossier_code",
                        _(
                            "Mã hồ sơ hoặc 4 số cuối không đúng, hoặc hồ sơ không do đơn vị này tiếp nhận, giải quyết."
                        ),
                    )
                    status = 404
                else:
                    try:
                        services.rate_dossier(
                            dossier_id=dossier.pk,
                            channel=RatingChannel.COUNTER_DEVICE,
                            satisfaction=form.cleaned_data["satisfaction"],
                            scores=form.scores(),
                            comment=form.cleaned_data["comment"],
                            device_officer=officer(request),
                        )
                    except InvalidInput as exc:
                        _apply(form, exc)
                    except DomainError as exc:
                        form.add_error(None, exc.message)
                        status = 409
                    else:
                        messages.success(request, _("Cảm ơn ông/bà đã đánh giá. Mời người tiếp theo."))
                        return redirect("office:rating_device")
    return render(request, "office/feedback/device.html", {"unit": unit, "form": form}, status=status)
