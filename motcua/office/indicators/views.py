"""The indicator board (bảng chỉ số): a unit's QĐ 766 score for a period — groups against their
maxima, each item with its numerator and denominator, the targets with their gap, and the late steps
with a link to each dossier. The same numbers as ``motcua indicators`` and ``/api/v1/indicators``.

Thin: gate (``officer_required``) → validate (``BoardForm``) → guarded read (the unit must be one the
officer works in or below: ``indicators.queries``) → report → render."""

import datetime as dt

from django import forms
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from motcua.core.errors import DomainError, NotFound
from motcua.indicators.queries import get_unit_for_indicators
from motcua.indicators.report import indicator_report
from motcua.indicators.rulebooks import rulebooks
from motcua.office.auth import current_unit, officer, officer_required


class BoardForm(forms.Form):
    unit = forms.CharField(label=gettext_lazy("Mã định danh đơn vị"), max_length=20, required=False)
    date_from = forms.DateField(label=gettext_lazy("Từ ngày"), required=False)
    date_to = forms.DateField(label=gettext_lazy("Đến ngày"), required=False)
    rulebook = forms.ChoiceField(label=gettext_lazy("Bộ chỉ số"), required=False)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        choices = [("", _("Bộ chỉ số có hiệu lực"))] + [(key, book.name) for key, book in rulebooks().items()]
        self.fields["rulebook"].choices = choices  # type: ignore[attr-defined]

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if isinstance(start, dt.date) and isinstance(end, dt.date) and start > end:
            self.add_error("date_from", _("Ngày bắt đầu sau ngày kết thúc."))
        return data


@officer_required
@require_GET
def indicator_board(request: HttpRequest) -> HttpResponse:
    unit = current_unit(request)
    if unit is None:
        return redirect("office:choose_unit")
    today = timezone.localdate()
    form = BoardForm(request.GET or None)
    chosen_code, start, end, rulebook_id = unit.code, today.replace(day=1), today, None
    report = None
    error = ""
    if form.is_bound and not form.is_valid():
        return render(request, "office/indicators/board.html", {"form": form, "unit": unit}, status=400)
    if form.is_bound:
        chosen_code = form.cleaned_data["unit"] or unit.code
        start = form.cleaned_data["date_from"] or start
        end = form.cleaned_data["date_to"] or end
        rulebook_id = form.cleaned_data["rulebook"] or None
    try:
        board_unit = get_unit_for_indicators(officer(request), chosen_code)
    except NotFound as exc:
        raise Http404(exc.message) from None
    try:
        report = indicator_report(board_unit, start, end, rulebook_id)
    except DomainError as exc:
        error = exc.message
    groups = []
    if report is not None:
        names = {rule.id: rule.name for rule in report.rulebook.indicators}
        titles = {group.id: group.name for group in report.rulebook.groups}
        groups = [
            (group, titles[group.id], [(item, names[item.id]) for item in group.indicators])
            for group in report.score.groups
        ]
    context = {
        "form": form,
        "unit": board_unit,
        "date_from": start,
        "date_to": end,
        "report": report,
        "error": error,
        "groups": groups,
    }
    return render(request, "office/indicators/board.html", context, status=400 if error else 200)
