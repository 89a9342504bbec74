"""The provincial targets page (chỉ tiêu giao, ``chi-tieu-giao/``): the targets of a year — the ones
assigned to a unit level and the ones assigned to one unit of the officer's province, each with its
value as a percentage and the assigning decision — and, for the leader or the oversight office of the
province (who assign them: Decision 1217/QĐ-UBND and its yearly successors), the forms to add one,
correct one and copy every target of the previous year under a new decision.

Thin: gate (``officer_required``; editing also ``target_admin.require_editor``, else 403) → validate
(forms of ``office.targets.forms``) → one service of ``indicators.target_admin`` → redirect or render.
"""

from collections.abc import Callable

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from motcua.core.errors import DomainError, NotFound, PermissionDenied
from motcua.indicators import target_admin
from motcua.indicators.models import Target
from motcua.office.auth import current_unit, officer, officer_required
from motcua.office.targets.forms import CopyForm, TargetForm, ValueFields, YearForm

LIST = "office/targets/list.html"
FORM = "office/targets/form.html"


def _refused(request: HttpRequest, reason: str) -> HttpResponse:
    return render(request, "office/targets/refused.html", {"reason": reason}, status=403)


def _saved(
    request: HttpRequest, save: Callable[[], Target], done: str, *, correcting: bool = False
) -> tuple[HttpResponse | None, str]:
    """Run ``save``: the response (back to the year's list with ``done``, or refused), or the error to
    show on the form. The target corrected gone meanwhile (another province's, or deleted) is 404; a
    unit not found when adding is a form error."""
    try:
        target = save()
    except NotFound as exc:
        if correcting:
            raise Http404(_("Không tìm thấy chỉ tiêu này.")) from None
        return None, exc.message
    except PermissionDenied as exc:
        return _refused(request, exc.message), ""
    except DomainError as exc:
        return None, exc.message
    messages.success(request, done % {"what": target_admin.describe(target)})
    return redirect(_list_url(target.year)), ""


def _list_url(year: int) -> str:
    return f"{reverse('office:targets')}?nam={year}"


@officer_required
@require_GET
def targets(request: HttpRequest) -> HttpResponse:
    unit = current_unit(request)
    if unit is None:
        return redirect("office:choose_unit")
    this_year = timezone.localdate().year
    form = YearForm(request.GET if "nam" in request.GET else {"nam": this_year})
    year = form.cleaned_data["nam"] if form.is_valid() else this_year
    can_edit = target_admin.can_manage_targets(officer(request))
    rows = [(t, target_admin.rate_to_percent(t.value)) for t in target_admin.targets_of_year(year, unit)]
    context = {
        "unit": unit,
        "year": year,
        "form": form,
        "rows": rows,
        "can_edit": can_edit,
        "copy_form": CopyForm(initial={"year": year}) if can_edit else None,
        "previous": target_admin.copyable_count(officer(request), year) if can_edit else 0,
        "years": [year - 1, year + 1],
    }
    return render(request, LIST, context, status=200 if form.is_valid() else 400)


@officer_required
@require_http_methods(["GET", "HEAD", "POST"])
def target_add(request: HttpRequest) -> HttpResponse:
    user = officer(request)
    if not target_admin.can_manage_targets(user):
        return _refused(request, _("Chỉ lãnh đạo hoặc Văn phòng UBND cấp tỉnh được nhập chỉ tiêu giao."))
    units = target_admin.assignable_units(user)
    year = timezone.localdate().year
    if request.method != "POST":
        form = TargetForm(initial={"year": request.GET.get("nam", year)}, units=units)
        return render(request, FORM, {"form": form, "adding": True})
    form = TargetForm(request.POST, units=units)
    error = ""
    if form.is_valid():
        data = form.cleaned_data
        done, error = _saved(
            request,
            lambda: target_admin.add_target(
                by=user,
                kind=data["kind"],
                year=data["year"],
                percent=data["percent"],
                decision=data["decision"],
                level=data["level"] if not data["unit"] else "",
                unit=data["unit"],
                note=data["note"],
            ),
            _("Đã thêm chỉ tiêu %(what)s."),
        )
        if done is not None:
            return done
    return render(request, FORM, {"form": form, "adding": True, "error": error}, status=400)


@officer_required
@require_http_methods(["GET", "HEAD", "POST"])
def target_edit(request: HttpRequest) -> HttpResponse:
    """Correct one target, chosen by ``?chi_tieu=<id>`` (a target of another province is 404)."""
    user = officer(request)
    if not target_admin.can_manage_targets(user):
        return _refused(request, _("Chỉ lãnh đạo hoặc Văn phòng UBND cấp tỉnh được sửa chỉ tiêu giao."))
    raw = request.GET.get("chi_tieu", "")
    try:
        target = target_admin.get_target_for_editor(user, int(raw))
    except (ValueError, NotFound):
        raise Http404(_("Không tìm thấy chỉ tiêu này.")) from None
    context = {"target": target, "adding": False}
    if request.method != "POST":
        initial = {"percent": target_admin.rate_to_percent(target.value), "decision": target.decision}
        form = ValueFields(initial={**initial, "note": target.note})
        return render(request, FORM, {**context, "form": form})
    form = ValueFields(request.POST)
    error = ""
    if form.is_valid():
        data = form.cleaned_data
        done, error = _saved(
            request,
            lambda: target_admin.correct_target(
                by=user,
                target_id=target.pk,
                percent=data["percent"],
                decision=data["decision"],
                note=data["note"],
            ),
            _("Đã sửa chỉ tiêu %(what)s."),
            correcting=True,
        )
        if done is not None:
            return done
    return render(request, FORM, {**context, "form": form, "error": error}, status=400)


@officer_required
@require_POST
def targets_copy(request: HttpRequest) -> HttpResponse:
    """Copy every target of the previous year into the chosen year (existing ones are kept)."""
    user = officer(request)
    if not target_admin.can_manage_targets(user):
        return _refused(request, _("Chỉ lãnh đạo hoặc Văn phòng UBND cấp tỉnh được sao chép chỉ tiêu giao."))
    form = CopyForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
        year = request.POST.get("year", "")
        return redirect(_list_url(int(year)) if year.isdigit() else reverse("office:targets"))
    year = form.cleaned_data["year"]
    try:
        result = target_admin.copy_previous_year(by=user, year=year, decision=form.cleaned_data["decision"])
    except PermissionDenied as exc:
        return _refused(request, exc.message)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        copied = len(result.copied)
        messages.success(
            request,
            ngettext(
                "Đã sao chép %(copied)d chỉ tiêu của năm %(previous)d sang năm %(year)d; bỏ qua %(skipped)d chỉ tiêu đã có.",
                "Đã sao chép %(copied)d chỉ tiêu của năm %(previous)d sang năm %(year)d; bỏ qua %(skipped)d chỉ tiêu đã có.",
                copied,
            )
            % {"copied": copied, "previous": year - 1, "year": year, "skipped": result.skipped},
        )
    return redirect(_list_url(year))
