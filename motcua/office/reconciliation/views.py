"""Reconciliation with the paper registers (đối chiếu sổ sách giấy) for the officer's current unit: the
counts entered from its books, the form to enter or correct them, and one entry's comparison with the
system (the differences and the dossiers to check against the book), exported as Excel and PDF.

Any officer of the unit reads; receivers, leaders and the oversight office enter (``services.MAY_ENTER``,
else 403). Entries are read through the current unit (re-checked against the officer's roles): an entry
of another unit, or an unknown one, is 404. Thin: gate → validate → scoped read → one service or
``compare`` → render. Rules: ``indicators.reconciliation``; docs/indicators.md "Đối chiếu sổ sách giấy".
"""

import uuid

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from motcua.core.downloads import generated_attachment
from motcua.core.errors import DomainError, InvalidInput, PermissionDenied
from motcua.indicators.reconciliation.compare import compare
from motcua.indicators.reconciliation.exports import comparison_pdf, comparison_workbook
from motcua.indicators.reconciliation.models import RegisterCount
from motcua.indicators.reconciliation.services import CountProblem, may_enter, record_register_count
from motcua.office.auth import current_unit, officer, officer_required
from motcua.office.reconciliation.forms import RegisterCountForm
from motcua.organizations.models import Unit

# The page lists at most this many dossiers per column; the Excel export has them all.
PAGE_LINES = 500


def _entry(unit: Unit, public_id: str) -> RegisterCount:
    """The entry of ``unit`` (404 for a malformed id, an unknown one, or another unit's)."""
    try:
        key = uuid.UUID(public_id)
    except ValueError:
        raise Http404 from None
    entry = (
        RegisterCount.objects.filter(unit=unit, public_id=key)
        .select_related("unit", "field", "entered_by", "replaced_by")
        .first()
    )
    if entry is None:
        raise Http404
    return entry


def _history(entry: RegisterCount) -> list[RegisterCount]:
    return list(RegisterCount.objects.of_key(entry).select_related("entered_by", "replaced_by"))


@officer_required
@require_GET
def reconciliation(request: HttpRequest) -> HttpResponse:
    unit = current_unit(request)
    if unit is None:
        return redirect("office:choose_unit")
    entries = (
        RegisterCount.objects.current()
        .filter(unit=unit)
        .select_related("field", "entered_by", "replaces")
        .order_by("-date_to", "-date_from", "kind", "field__name")
    )
    context = {"unit": unit, "entries": entries, "may_enter": may_enter(officer(request), unit)}
    return render(request, "office/reconciliation/list.html", context)


def _put_back(form: RegisterCountForm, exc: InvalidInput) -> None:
    for problem in exc.problems:
        key = problem.key if isinstance(problem, CountProblem) else ""
        form.add_error(key if key in form.fields else None, problem.message)


@officer_required
@require_http_methods(["GET", "HEAD", "POST"])
def reconciliation_new(request: HttpRequest) -> HttpResponse:
    """Enter a register's counts, or correct the current entry (``sua=<id>``: the register and period
    stay those of the entry corrected; its values remain in the history)."""
    unit = current_unit(request)
    if unit is None:
        return redirect("office:choose_unit")
    user = officer(request)
    if not may_enter(user, unit):
        reason = _(
            "Chỉ cán bộ Bộ phận Một cửa, lãnh đạo hoặc Văn phòng UBND của đơn vị được nhập số liệu sổ sách."
        )
        return render(
            request, "office/reconciliation/refused.html", {"unit": unit, "reason": reason}, status=403
        )
    fix_id = request.POST.get("sua") if request.method == "POST" else request.GET.get("sua")
    replaces = _entry(unit, fix_id) if fix_id else None
    if replaces is not None and hasattr(replaces, "replaced_by"):
        messages.warning(request, _("Số liệu này đã được sửa; đây là số liệu hiện hành."))
        return redirect("office:reconciliation_detail", public_id=replaces.replaced_by.public_id)
    status = 200
    if request.method == "POST":
        posted = request.POST.copy()
        if replaces is not None:
            # the register and period are those of the entry corrected, whatever was posted
            posted["kind"] = replaces.kind
            posted["field"] = str(replaces.field_id or "")
            posted["date_from"] = replaces.date_from.isoformat()
            posted["date_to"] = replaces.date_to.isoformat()
        form = RegisterCountForm(posted)
        if form.is_valid():
            data = form.cleaned_data
            try:
                entry = record_register_count(
                    user,
                    unit,
                    kind=data["kind"],
                    field=data["field"],
                    date_from=data["date_from"],
                    date_to=data["date_to"],
                    received=data["received"],
                    finished=data["finished"],
                    late=data["late"],
                    note=data["note"],
                    replaces=replaces,
                )
            except InvalidInput as exc:
                _put_back(form, exc)
                status = 400
            except PermissionDenied as exc:
                form.add_error(None, exc.message)
                status = 403
            except DomainError as exc:  # a conflict: entered or corrected meanwhile
                form.add_error(None, exc.message)
                status = 409
            else:
                messages.success(request, _("Đã lưu số liệu sổ. Dưới đây là kết quả đối chiếu với phần mềm."))
                return redirect("office:reconciliation_detail", public_id=entry.public_id)
        else:
            status = 400
    elif replaces is not None:
        form = RegisterCountForm(
            initial={
                "kind": replaces.kind,
                "field": replaces.field_id,
                "date_from": replaces.date_from,
                "date_to": replaces.date_to,
                "received": replaces.received,
                "finished": replaces.finished,
                "late": replaces.late,
            }
        )
    else:
        form = RegisterCountForm()
    # a correction keeps the register and period: those inputs are not shown
    fixed = ("kind", "field", "date_from", "date_to") if replaces is not None else ()
    context = {"unit": unit, "form": form, "replaces": replaces, "fixed": fixed}
    return render(request, "office/reconciliation/form.html", context, status=status)


@officer_required
@require_GET
def reconciliation_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    unit = current_unit(request)
    if unit is None:
        return redirect("office:choose_unit")
    entry = _entry(unit, public_id)
    comparison = compare(entry)
    columns = [(m, m.candidates[:PAGE_LINES], m.system_lines[:PAGE_LINES]) for m in comparison.measures]
    context = {
        "unit": unit,
        "entry": entry,
        "comparison": comparison,
        "columns": columns,
        "page_lines": PAGE_LINES,
        "history": _history(entry),
        "may_enter": may_enter(officer(request), unit),
        "is_current": not hasattr(entry, "replaced_by"),
    }
    return render(request, "office/reconciliation/detail.html", context)


def _export(request: HttpRequest, public_id: str, kind: str) -> HttpResponse:
    unit = current_unit(request)
    if unit is None:
        return redirect("office:choose_unit")
    entry = _entry(unit, public_id)
    comparison, history = compare(entry), _history(entry)
    stem = f"doi-chieu-so-{unit.code}-{entry.date_from:%Y%m%d}-{entry.date_to:%Y%m%d}"
    if kind == "xlsx":
        return generated_attachment(comparison_workbook(comparison, history), f"{stem}.xlsx")
    return generated_attachment(comparison_pdf(comparison, history), f"{stem}.pdf")


@officer_required
@require_GET
def reconciliation_export_xlsx(request: HttpRequest, public_id: str) -> HttpResponse:
    return _export(request, public_id, "xlsx")


@officer_required
@require_GET
def reconciliation_export_pdf(request: HttpRequest, public_id: str) -> HttpResponse:
    return _export(request, public_id, "pdf")
