"""Officer read pages for dossiers: the worklist, the unit's list and search, the dossier detail with its
timeline and action panel, and the official forms as PDF (01–05 per dossier, 06 the register).

Every read starts from ``queries`` (``visible_to``, ``get_dossier_for_user``, ``worklist``, ``search``):
a dossier the officer may not see answers 404, exactly like one that does not exist.
"""

import datetime as dt
import re
from typing import Any
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from motcua.catalog.models import Procedure
from motcua.core.errors import NotFound
from motcua.dossiers import queries
from motcua.dossiers.models import Dossier, DossierStep
from motcua.dossiers.pdf import forms as pdf
from motcua.dossiers.services import forms_signing
from motcua.dossiers.workflow import CLOSED, EventKind, Status
from motcua.office import dossier_forms as df
from motcua.office.auth import current_unit, officer, officer_required
from motcua.office.dossier_panel import build_panel
from motcua.office.dossier_timeline import clock, timeline

PAGE_SIZE = 25


def is_htmx(request: HttpRequest) -> bool:
    return bool(getattr(request, "htmx", False))


def guarded_dossier(request: HttpRequest, code: str) -> Dossier:
    try:
        return queries.get_dossier_for_user(officer(request), code)
    except NotFound as exc:
        raise Http404(exc.message) from exc


def guarded_step(dossier: Dossier, step_id: int) -> DossierStep:
    step = dossier.steps.select_related("unit").filter(pk=step_id).first()
    if step is None:
        raise Http404
    step.dossier = dossier
    return step


def _forms_available(dossier: Dossier, kinds: set[str]) -> list[tuple[str, str]]:
    """The official forms that exist for this dossier (number, title)."""
    available = []
    if dossier.received_at is not None:
        available.append(("01", "Giấy tiếp nhận hồ sơ và hẹn trả kết quả"))
    if EventKind.SUPPLEMENT_REQUESTED in kinds:
        available.append(("02", "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ"))
    if kinds & {EventKind.NOT_RECEIVED, EventKind.REFUSED}:
        available.append(("03", "Phiếu từ chối tiếp nhận, giải quyết hồ sơ"))
    if EventKind.RESCHEDULED in kinds:
        available.append(("04", "Phiếu xin lỗi và hẹn lại ngày trả kết quả"))
    if dossier.received_at is not None:
        available.append(("05", "Phiếu kiểm soát quá trình giải quyết hồ sơ"))
    return available


def detail_context(
    request: HttpRequest,
    dossier: Dossier,
    *,
    bound: dict[str, Any] | None = None,
    error: str = "",
    notice: str = "",
    print_form: str = "",
) -> dict[str, Any]:
    user = officer(request)
    steps = list(
        dossier.steps.select_related("unit", "assignee", "finished_by").order_by(
            "position", "started_at", "id"
        )
    )
    for step in steps:
        step.dossier = dossier
        step.clock = clock(step.due_at, step.unit) if step.started_at and not step.finished_at else None  # type: ignore[attr-defined]
    events = timeline(dossier)
    kinds = {e.kind for e, _text in events}
    is_closed = dossier.status in CLOSED
    appointment = None
    if dossier.due_at is not None and not is_closed and dossier.status != Status.PROCESSED:
        appointment = clock(dossier.due_at, dossier.responsible_unit)
    reception = None
    if dossier.status == Status.SUBMITTED and dossier.reception_due_at is not None:
        reception = clock(dossier.reception_due_at, dossier.receiving_unit)
    print_form = print_form or request.GET.get("mau", "")
    forms_available = _forms_available(dossier, kinds)
    return {
        "unit": current_unit(request),
        "dossier": dossier,
        "components": list(dossier.components.select_related("catalog_component")),
        "steps": steps,
        "events": events,
        "panel": build_panel(user, dossier, steps, bound=bound),
        "appointment": appointment,
        "reception": reception,
        "forms_available": forms_available,
        "print_form": print_form if print_form in {n for n, _t in forms_available} else "",
        "error": error,
        "notice": notice,
        "is_closed": is_closed,
    }


def render_detail(
    request: HttpRequest, dossier: Dossier, *, status: int = 200, **kwargs: Any
) -> HttpResponse:
    """The whole page, or only its live region for htmx (htmx swaps 2xx answers only: the error is
    in the fragment, the status stays 200 for htmx and is the real one otherwise)."""
    context = detail_context(request, dossier, **kwargs)
    if is_htmx(request):
        return render(request, "office/dossiers/detail.html#live", context)
    return render(request, "office/dossiers/detail.html", context, status=status)


@officer_required
@require_GET
def dossier_detail(request: HttpRequest, dossier_code: str) -> HttpResponse:
    return render_detail(request, guarded_dossier(request, dossier_code))


@officer_required
@require_GET
def my_worklist(request: HttpRequest) -> HttpResponse:
    steps = queries.worklist(officer(request))
    page = Paginator(steps, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "office/dossiers/worklist.html", {"unit": current_unit(request), "page": page})


# The search form's fields that are not personal data: they may travel in a URL (links, bookmarks).
# The free text ``q`` may be an ID number or a phone, so it only ever travels in a POST body
# (QUALITY.md security item 8).
PUBLIC_FILTERS = ("procedure", "status", "date_from", "date_to")


def _field_values(form: df.SearchForm, names: tuple[str, ...]) -> list[tuple[str, str]]:
    """The non-empty cleaned values of ``names``, as they go back into a form or a query string."""
    values = []
    for name in names:
        value = form.cleaned_data.get(name)
        if value:
            values.append((name, value.isoformat() if isinstance(value, dt.date) else str(value)))
    return values


@officer_required
@require_http_methods(["GET", "POST"])
def dossier_list(request: HttpRequest) -> HttpResponse:
    """The unit's open dossiers; with any filter, a search over every dossier the officer may see.

    The free text comes in a POST body only (a read, CSRF-protected like every POST); the other
    filters and the page may also come in the query string. With a free text, the pagination buttons
    are small POST forms that carry it in hidden fields, so no link of the page ever contains it."""
    unit = current_unit(request)
    if unit is None:
        return redirect("office:choose_unit")
    if "q" in request.GET:  # never taken from a URL (see PUBLIC_FILTERS): the same page without it
        rest = request.GET.copy()
        del rest["q"]
        return redirect(f"{request.path}?{rest.urlencode()}" if rest else request.path)
    user = officer(request)
    params = request.POST if request.method == "POST" else request.GET
    form = df.SearchForm(params or None)
    searching = form.is_bound and form.is_valid() and form.is_search()
    if searching:
        data = form.cleaned_data
        procedure = (
            Procedure.objects.filter(code=data["procedure"].strip()).first() if data["procedure"] else None
        )
        if data["procedure"] and procedure is None:
            dossiers = Dossier.objects.none()
        else:
            dossiers = queries.search(
                user,
                text=data["q"],
                status=Status(data["status"]) if data["status"] else None,
                procedure=procedure,
                submitted_from=data["date_from"],
                submitted_to=data["date_to"],
            )
    else:
        dossiers = (
            Dossier.objects.visible_to(user)
            .open()
            .filter(Q(receiving_unit=unit) | Q(responsible_unit=unit))
            .select_related("procedure", "responsible_unit")
            .order_by("due_at", "id")
        )
    page = Paginator(dossiers, PAGE_SIZE).get_page(params.get("page"))
    has_text = searching and bool(form.cleaned_data["q"])
    context = {
        "unit": unit,
        "form": form,
        "page": page,
        "searching": searching,
        "now": timezone.now(),
        "query": urlencode(_field_values(form, PUBLIC_FILTERS)) if searching and not has_text else "",
        "post_fields": _field_values(form, ("q", *PUBLIC_FILTERS)) if has_text else [],
    }
    template = "office/dossiers/list.html#results" if is_htmx(request) else "office/dossiers/list.html"
    return render(request, template, context)


# --- PDFs ----------------------------------------------------------------------------------------------


def _ascii(code: str) -> str:
    return re.sub(r"[^A-Za-z0-9.-]", "_", code)[:80]


def pdf_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@officer_required
@require_GET
def dossier_form_pdf(request: HttpRequest, dossier_code: str, number: str) -> HttpResponse:
    """Forms 01–05 of one dossier. Forms 02–04 are rebuilt from the event the service stored (the items,
    the reasons, the apology), signed by the officer who acted."""
    dossier = guarded_dossier(request, dossier_code)
    source = forms_signing.form_source(dossier, number) if number != "06" else None  # 06: the register
    if source is None:
        raise Http404
    content = forms_signing.render_form(dossier, source, officer(request))
    return pdf_response(content, f"mau-{number}-{_ascii(dossier.code)}.pdf")


@officer_required
@require_GET
def register_pdf(request: HttpRequest) -> HttpResponse:
    """Form 06, the register of the current unit for a period (``?from=YYYY-MM-DD&to=YYYY-MM-DD``);
    without a valid period, the page to choose one."""
    unit = current_unit(request)
    if unit is None:
        return redirect("office:choose_unit")
    user = officer(request)
    today = timezone.localdate()
    if "from" not in request.GET and "to" not in request.GET:
        form = df.PeriodForm(initial={"date_from": today.replace(day=1), "date_to": today})
        return render(request, "office/dossiers/register.html", {"unit": unit, "form": form})
    form = df.PeriodForm({"date_from": request.GET.get("from", ""), "date_to": request.GET.get("to", "")})
    if not form.is_valid():
        return render(request, "office/dossiers/register.html", {"unit": unit, "form": form}, status=400)
    start: dt.date = form.cleaned_data["date_from"]
    end: dt.date = form.cleaned_data["date_to"]
    dossiers = (
        queries.search(user, submitted_from=start, submitted_to=end)
        .filter(receiving_unit=unit)
        .select_related("receiving_unit")
        .order_by("submitted_at", "id")
    )
    content = pdf.form_06_register(unit, start, end, dossiers)
    return pdf_response(content, f"mau-06-so-theo-doi-{_ascii(unit.code)}-{start:%Y%m%d}-{end:%Y%m%d}.pdf")
