"""Citizens' pages for ratings and PAKN: rate my returned dossier; send a PAKN (public, throttled: no
CAPTCHA); look up my PAKN with its code and my contact; the published answers with like/dislike.

Every change is one call to ``feedback.services``; personal data (contact details) travel only in POST
bodies; a dossier that is not the applicant's own answers 404 like a missing one.
"""

import datetime as dt

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from motcua.accounts.models import User
from motcua.core import throttle
from motcua.core.errors import Conflict, DomainError, InvalidInput, NotFound
from motcua.dossiers.models import Dossier
from motcua.dossiers.workflow import Status
from motcua.feedback import queries, services
from motcua.feedback.forms import RatingForm
from motcua.feedback.models import DossierRating, FeedbackSubject, RatingChannel, Reaction
from motcua.portal.auth import applicant_required, current_applicant
from motcua.portal.feedback.forms import FeedbackForm, ReactionForm, TrackForm

PAGE_SIZE = 20
TRACK_RULE = throttle.Rule("pakn_lookup", limit=10, window=dt.timedelta(minutes=15))


def submit_rule() -> throttle.Rule:
    return throttle.Rule(
        "pakn_submit", limit=int(settings.PAKN_SUBMISSIONS_PER_HOUR), window=dt.timedelta(hours=1)
    )


def apply_problems(form: forms.Form, error: InvalidInput) -> None:
    """Put each problem of the service under its field (or on top of the form)."""
    for problem in error.problems:
        form.add_error(problem.field if problem.field in form.fields else None, problem.message)


@applicant_required
@require_http_methods(["GET", "POST"])
def rate(request: HttpRequest, dossier_code: str) -> HttpResponse:
    """Rate my returned dossier once (TT 01/2018/TT-VPCP Điều 12–14: indices 1, 3, 4, 7 online)."""
    user = current_applicant(request)
    dossier = (
        Dossier.objects.select_related("procedure", "responsible_unit")
        .filter(code=dossier_code.strip().upper(), applicant_user=user)
        .first()
    )
    if dossier is None:
        raise Http404
    existing = DossierRating.objects.filter(dossier=dossier).first()
    can_rate = dossier.status == Status.RETURNED and existing is None and not dossier.rating
    form = RatingForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if not can_rate:
            status = 409
            form = RatingForm()
            messages.error(request, _("Hồ sơ này chưa trả kết quả hoặc đã được đánh giá."))
        elif form.is_valid():
            try:
                services.rate_dossier(
                    dossier_id=dossier.pk,
                    channel=RatingChannel.ONLINE,
                    satisfaction=form.cleaned_data["satisfaction"],
                    scores=form.scores(),
                    comment=form.cleaned_data["comment"],
                    by=user,
                )
            except InvalidInput as exc:
                apply_problems(form, exc)
                status = 400
            except (Conflict, NotFound) as exc:
                messages.error(request, exc.message)
                return redirect("portal:rate", dossier_code=dossier.code)
            else:
                messages.success(
                    request,
                    _("Cảm ơn ông/bà đã đánh giá việc giải quyết hồ sơ %(code)s.") % {"code": dossier.code},
                )
                return redirect("portal:rate", dossier_code=dossier.code)
        else:
            status = 400
    context = {"dossier": dossier, "form": form, "existing": existing, "can_rate": can_rate}
    return render(request, "portal/feedback/rate.html", context, status=status)


@require_http_methods(["GET", "POST"])
def feedback_submit(request: HttpRequest) -> HttpResponse:
    """Send a PAKN to a unit (NĐ 20/2008/NĐ-CP). Public; at most ``PAKN_SUBMISSIONS_PER_HOUR`` per
    client address (or per account when signed in) in an hour."""
    user = current_applicant(request)
    initial = {"subject": request.GET.get("ve", "")[:20]}
    if user is not None:
        initial.update(submitter_name=user.full_name, submitter_email=user.email, submitter_phone=user.phone)
    form = FeedbackForm(request.POST or None, initial=initial, signed_in=user is not None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            key = f"user:{user.pk}" if user is not None else throttle.client_address(request)
            dossier = None
            if data.get("dossier_code"):
                dossier = Dossier.objects.filter(
                    code=data["dossier_code"].strip().upper(), applicant_user=user
                ).first()
                if dossier is None:
                    form.add_error(
                        "dossier_code",
                        _("Không tìm thấy hồ sơ này trong các hồ sơ nộp từ tài khoản của bạn."),
                    )
            if form.is_valid() and not throttle.consume(submit_rule(), key):
                form.add_error(
                    None, _("Bạn đã gửi nhiều phản ánh, kiến nghị trong một giờ qua; vui lòng thử lại sau.")
                )
                status = 429
            elif form.is_valid():
                try:
                    feedback = services.submit_feedback(
                        unit=data["unit"],
                        subject=FeedbackSubject(data["subject"]),
                        title=data["title"],
                        content=data["content"],
                        contact=services.Contact(
                            name=data["submitter_name"],
                            email=data["submitter_email"],
                            phone=data["submitter_phone"],
                            address=data["submitter_address"],
                        ),
                        procedure=data["procedure"],
                        dossier=dossier,
                        subject_detail=data["subject_detail"],
                        by=user,
                    )
                except InvalidInput as exc:
                    apply_problems(form, exc)
                else:
                    messages.success(
                        request,
                        _(
                            "Đã tiếp nhận phản ánh, kiến nghị mã %(code)s. Hạn trả lời: %(due)s. Hãy ghi lại mã "
                            "này để tra cứu."
                        )
                        % {
                            "code": feedback.code,
                            "due": f"{timezone.localtime(feedback.due_at):%H:%M %d/%m/%Y}",
                        },
                    )
                    return redirect(reverse("portal:feedback_track") + f"?ma={feedback.code}")
    return render(request, "portal/feedback/submit.html", {"form": form}, status=status)


@require_http_methods(["GET", "POST"])
def feedback_track(request: HttpRequest) -> HttpResponse:
    """Look up my PAKN: code + the email or phone I gave (the second factor), throttled per address."""
    form = TrackForm(request.POST or None, initial={"code": request.GET.get("ma", "")[:30]})
    feedback = None
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            key = throttle.client_address(request)
            if not throttle.consume(TRACK_RULE, key):
                form.add_error(None, _("Bạn đã tra cứu sai nhiều lần; vui lòng thử lại sau 15 phút."))
                status = 429
            else:
                feedback = queries.find_own_feedback(form.cleaned_data["code"], form.cleaned_data["contact"])
                if feedback is None:
                    form.add_error(None, _("Mã phản ánh hoặc thư điện tử/số điện thoại không đúng."))
                    status = 404
                else:
                    throttle.refund(TRACK_RULE, key)
                    status = 200
    return render(request, "portal/feedback/track.html", {"form": form, "feedback": feedback}, status=status)


@require_http_methods(["GET", "POST"])
def feedback_answers(request: HttpRequest) -> HttpResponse:
    """The published answers (``?ma=<code>`` shows one) and the like/dislike vote on an answer (POST),
    once per signed-in applicant or per browser session."""
    user = current_applicant(request)
    if request.method == "POST":
        return _react(request, user)
    code = request.GET.get("ma", "").strip()
    if code:
        try:
            feedback = queries.get_published(code)
        except NotFound as exc:
            raise Http404(exc.message) from exc
        reacted = queries.has_reacted(feedback, user=user, session_key=request.session.session_key or "")
        context = {"feedback": feedback, "reacted": reacted, "reactions": Reaction}
        return render(request, "portal/feedback/answer_detail.html", context)
    page = Paginator(queries.published(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "portal/feedback/answers.html", {"page": page})


def _react(request: HttpRequest, user: User | None) -> HttpResponse:
    form = ReactionForm(request.POST)
    if not form.is_valid():
        raise Http404
    code = form.cleaned_data["code"]
    if user is None and not request.session.session_key:
        request.session.save()  # an anonymous visitor's vote is tied to this browser session
    try:
        feedback = queries.get_published(code)
        services.react_to_answer(
            feedback_id=feedback.pk,
            kind=Reaction(form.cleaned_data["kind"]),
            user=user,
            session_key=request.session.session_key or "",
        )
    except NotFound as exc:
        raise Http404(exc.message) from exc
    except Conflict as exc:
        messages.info(request, exc.message)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Cảm ơn ông/bà đã đánh giá câu trả lời."))
    return redirect(reverse("portal:feedback_answers") + f"?ma={feedback.code}")
