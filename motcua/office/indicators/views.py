"""The indicator board (bảng chỉ số): a unit's QĐ 766 score for a period — groups against their
maxima, each item with its numerator and denominator and the dossiers behind them, the rank among
sibling units and the ranking of the units below, the targets with their gap, the late steps by
officer with a link to each dossier, and the scores by month; exported as Excel and PDF. The same
numbers as ``motcua indicators`` and ``/api/v1/indicators``.

Thin: gate (``officer_required``) → validate (``BoardForm``) → guarded read (the unit must be one the
officer works in or below: ``indicators.queries``; another unit is 404) → build → render."""

import datetime as dt
from dataclasses import dataclass

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from motcua.core.downloads import generated_attachment
from motcua.core.errors import DomainError, NotFound
from motcua.indicators.board import build_board
from motcua.indicators.drilldown import drill
from motcua.indicators.exports.pdf import board_pdf
from motcua.indicators.exports.xlsx import board_workbook
from motcua.indicators.queries import get_unit_for_indicators
from motcua.indicators.rulebooks import rulebook_for
from motcua.indicators.scope import scope_for
from motcua.office.auth import current_unit, officer, officer_required
from motcua.office.indicators.forms import BoardForm
from motcua.organizations.models import Unit

TEMPLATE = "office/indicators/board.html"
NUMERATOR, REST = "tu-so", "con-lai"


@dataclass(frozen=True)
class Choice:
    unit: Unit
    start: dt.date
    end: dt.date
    rulebook_id: str | None
    query: str  # the picker's query string, for links that keep the choice


def _choice(request: HttpRequest, form: BoardForm, default: Unit) -> Choice:
    """The chosen unit (404 when the officer may not read it), period and rulebook."""
    data = form.cleaned_data
    try:
        unit = get_unit_for_indicators(officer(request), data["unit"] or default.code)
    except NotFound as exc:
        raise Http404(exc.message) from None
    keep = request.GET.copy()
    for key in ("page", "indicator", "part"):
        keep.pop(key, None)
    keep["unit"] = unit.code
    return Choice(unit, data["start"], data["end"], data["rulebook"] or None, keep.urlencode())


@officer_required
@require_GET
def indicator_board(request: HttpRequest) -> HttpResponse:
    unit = current_unit(request)
    if unit is None:
        return redirect("office:choose_unit")
    form = BoardForm(request.GET)
    if not form.is_valid():
        return render(request, TEMPLATE, {"form": form, "unit": unit}, status=400)
    choice = _choice(request, form, unit)
    context = {"form": form, "unit": choice.unit, "date_from": choice.start, "date_to": choice.end}
    try:
        board = build_board(choice.unit, choice.start, choice.end, choice.rulebook_id)
    except DomainError as exc:
        return render(request, TEMPLATE, {**context, "error": exc.message}, status=400)
    context.update(board=board, report=board.report, query=choice.query, chart_data=board.chart_data())
    return render(request, TEMPLATE, context)


@officer_required
@require_GET
def indicator_dossiers(request: HttpRequest) -> HttpResponse:
    """The dossiers counted in an item's numerator (``part=tu-so``) or in its denominator only
    (``part=con-lai``), of the chosen unit and the units below it, 25 a page."""
    unit = current_unit(request)
    if unit is None:
        return redirect("office:choose_unit")
    form = BoardForm(request.GET)
    if not form.is_valid():
        raise Http404(_("Kỳ không hợp lệ."))
    choice = _choice(request, form, unit)
    try:
        book = rulebook_for(choice.end, choice.rulebook_id)
    except DomainError as exc:
        raise Http404(exc.message) from None
    rule = next((r for r in book.indicators if r.id == request.GET.get("indicator", "")), None)
    part = request.GET.get("part", NUMERATOR)
    found = drill(rule.formula, scope_for(choice.unit, choice.start, choice.end)) if rule else None
    if rule is None or found is None or part not in (NUMERATOR, REST):
        raise Http404(_("Chỉ số này không tính theo hồ sơ."))
    dossiers = (found.numerator if part == NUMERATOR else found.rest).select_related("procedure")
    page = Paginator(dossiers.order_by("received_at", "code"), 25).get_page(request.GET.get("page"))
    context = {
        "unit": choice.unit,
        "rule": rule,
        "part": part,
        "is_numerator": part == NUMERATOR,
        "page": page,
        "date_from": choice.start,
        "date_to": choice.end,
        "query": choice.query,
    }
    return render(request, "office/indicators/dossiers.html", context)


def _export(request: HttpRequest, kind: str) -> HttpResponse:
    unit = current_unit(request)
    if unit is None:
        return redirect("office:choose_unit")
    form = BoardForm(request.GET)
    if not form.is_valid():
        return render(request, TEMPLATE, {"form": form, "unit": unit}, status=400)
    choice = _choice(request, form, unit)
    try:
        board = build_board(choice.unit, choice.start, choice.end, choice.rulebook_id)
    except DomainError as exc:
        context = {"form": form, "unit": choice.unit, "error": exc.message}
        return render(request, TEMPLATE, context, status=400)
    stem = f"chi-so-{choice.unit.code}-{choice.start:%Y%m%d}-{choice.end:%Y%m%d}"
    if kind == "xlsx":
        return generated_attachment(board_workbook(board), f"{stem}.xlsx")
    return generated_attachment(board_pdf(board), f"{stem}.pdf")


@officer_required
@require_GET
def indicator_export_xlsx(request: HttpRequest) -> HttpResponse:
    return _export(request, "xlsx")


@officer_required
@require_GET
def indicator_export_pdf(request: HttpRequest) -> HttpResponse:
    return _export(request, "pdf")
