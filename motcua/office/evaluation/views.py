"""The TT 01/2018/TT-VPCP evaluation page (``danh-gia-tthc/``; ``danh-gia/`` is the applicants'
ratings page of the feedback area): for the officer's current unit (with its
sub-units) and a quarter, a year or a custom range — the nine indices and the unit's grade, the
officers' scores over indices 1, 2, 3, 4, 7 with their grade and number of dossiers, and the late
steps per officer with a link to each dossier; the same as an Excel workbook and an A4 PDF
(``danh-gia-tthc/xuat/excel/``, ``.../pdf/``, same query parameters, same scoping).

A leader or the oversight office of the unit sees every officer; any other officer sees only their
own row (TT 01/2018 Điều 15 scores each official; the unit's own total is public to its staff).
Thin: gate → validate (``PeriodForm``) → the current unit (re-checked against the officer's roles)
→ ``indicators.evaluation.report.evaluate`` → render.
"""

import datetime as dt
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from motcua.core.downloads import generated_attachment
from motcua.indicators.evaluation.accountability import OfficerLateSteps
from motcua.indicators.evaluation.report import Evaluation, OfficerResult, evaluate, quarter, whole_year
from motcua.indicators.evaluation.scales import OFFICER_INDICES
from motcua.indicators.exports.evaluation_pdf import evaluation_pdf
from motcua.indicators.exports.evaluation_xlsx import evaluation_workbook
from motcua.office.auth import current_unit, officer, officer_required
from motcua.organizations.models import Role
from motcua.organizations.queries import roles_in

TEMPLATE = "office/evaluation/page.html"
SEE_ALL = frozenset({Role.LEADER, Role.OVERSIGHT})
PERIODS = (
    ("1", gettext_lazy("Quý I")),
    ("2", gettext_lazy("Quý II")),
    ("3", gettext_lazy("Quý III")),
    ("4", gettext_lazy("Quý IV")),
    ("year", gettext_lazy("Cả năm")),
    ("custom", gettext_lazy("Khoảng thời gian khác")),
)


class PeriodForm(forms.Form):
    year = forms.IntegerField(label=gettext_lazy("Năm"), min_value=2000, max_value=2100)
    period = forms.ChoiceField(label=gettext_lazy("Kỳ đánh giá"), choices=PERIODS)
    date_from = forms.DateField(label=gettext_lazy("Từ ngày"), required=False)
    date_to = forms.DateField(label=gettext_lazy("Đến ngày"), required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("period") == "custom":
            start, end = data.get("date_from"), data.get("date_to")
            if start is None:
                self.add_error("date_from", _("Từ ngày: hãy nhập ngày bắt đầu của khoảng thời gian."))
            if end is None:
                self.add_error("date_to", _("Đến ngày: hãy nhập ngày kết thúc của khoảng thời gian."))
            if start and end and start > end:
                self.add_error("date_from", _("Từ ngày: ngày bắt đầu sau ngày kết thúc."))
            if start and end and (end - start).days > 366:
                self.add_error("date_to", _("Đến ngày: khoảng thời gian dài quá một năm."))
        return data

    def dates(self) -> tuple[dt.date, dt.date]:
        data = self.cleaned_data
        if data["period"] == "custom":
            return data["date_from"], data["date_to"]
        if data["period"] == "year":
            return whole_year(data["year"])
        return quarter(data["year"], int(data["period"]))


@dataclass(frozen=True)
class Scoped:
    """The evaluation as this officer may see it: every officer's row for a leader or the oversight
    office of the unit, only their own for anyone else (page and exports alike)."""

    form: PeriodForm
    result: Evaluation
    officers: list[OfficerResult]
    late: list[OfficerLateSteps]
    sees_all: bool


def _scoped(request: HttpRequest) -> Scoped | HttpResponse:
    """The scoped evaluation of the request's period, or the answer to give instead (no current unit:
    choose one; a wrong period: the page with the form's errors, 400)."""
    unit = current_unit(request)
    if unit is None:
        return redirect("office:choose_unit")
    today = timezone.localdate()
    initial = {"year": today.year, "period": str((today.month - 1) // 3 + 1)}
    form = PeriodForm(request.GET if "year" in request.GET else initial)
    if not form.is_valid():
        return render(request, TEMPLATE, {"form": form, "unit": unit}, status=400)
    date_from, date_to = form.dates()
    user = officer(request)
    result = evaluate(unit, date_from, date_to)
    sees_all = bool(roles_in(user, unit) & SEE_ALL)
    officers = result.officers if sees_all else [o for o in result.officers if o.user_id == user.pk]
    late = result.late if sees_all else [o for o in result.late if o.key[0] == user.pk]
    return Scoped(form, result, officers, late, sees_all)


@officer_required
@require_GET
def evaluation(request: HttpRequest) -> HttpResponse:
    scoped = _scoped(request)
    if isinstance(scoped, HttpResponse):
        return scoped
    result, form = scoped.result, scoped.form
    chosen = {name: form.data.get(name) for name in form.fields if form.data.get(name)}
    context = {
        "form": form,
        "unit": result.unit,
        "result": result,
        "officers": [(o, [o.indices[n] for n in OFFICER_INDICES]) for o in scoped.officers],
        "late": scoped.late,
        "sees_all": scoped.sees_all,
        "officer_indices": OFFICER_INDICES,
        "export_query": urlencode(chosen),
    }
    return render(request, TEMPLATE, context)


def _export(request: HttpRequest, kind: str) -> HttpResponse:
    scoped = _scoped(request)
    if isinstance(scoped, HttpResponse):
        return scoped
    result = scoped.result
    stem = f"danh-gia-tthc-{result.unit.code}-{result.date_from:%Y%m%d}-{result.date_to:%Y%m%d}"
    if kind == "xlsx":
        content = evaluation_workbook(result, scoped.officers, scoped.late, sees_all=scoped.sees_all)
        return generated_attachment(content, f"{stem}.xlsx")
    content = evaluation_pdf(result, scoped.officers, scoped.late, sees_all=scoped.sees_all)
    return generated_attachment(content, f"{stem}.pdf")


@officer_required
@require_GET
def evaluation_export_xlsx(request: HttpRequest) -> HttpResponse:
    """The evaluation as an Excel workbook: same period parameters and same scoping as the page."""
    return _export(request, "xlsx")


@officer_required
@require_GET
def evaluation_export_pdf(request: HttpRequest) -> HttpResponse:
    """The evaluation as an A4 PDF: same period parameters and same scoping as the page."""
    return _export(request, "pdf")
