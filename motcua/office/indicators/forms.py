"""The board's unit, period and rulebook picker. A period is a month, a quarter, a year or a custom
range of local days (both ends included); no kind given with dates = a custom range."""

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from motcua.core.worktime import month_end, month_start
from motcua.indicators.rulebooks import rulebooks

MONTH, QUARTER, YEAR, CUSTOM = "thang", "quy", "nam", "tuy-chon"


class BoardForm(forms.Form):
    unit = forms.CharField(label=gettext_lazy("Mã định danh đơn vị"), max_length=20, required=False)
    kind = forms.ChoiceField(
        label=gettext_lazy("Kỳ"),
        required=False,
        widget=forms.Select(attrs={"class": "form-select"}),
        choices=[
            ("", gettext_lazy("Tháng này")),
            (MONTH, gettext_lazy("Tháng")),
            (QUARTER, gettext_lazy("Quý")),
            (YEAR, gettext_lazy("Năm")),
            (CUSTOM, gettext_lazy("Tùy chọn")),
        ],
    )
    year = forms.IntegerField(label=gettext_lazy("Năm"), min_value=2000, max_value=2100, required=False)
    month = forms.IntegerField(label=gettext_lazy("Tháng"), min_value=1, max_value=12, required=False)
    quarter = forms.IntegerField(label=gettext_lazy("Quý"), min_value=1, max_value=4, required=False)
    date_from = forms.DateField(label=gettext_lazy("Từ ngày"), required=False)
    date_to = forms.DateField(label=gettext_lazy("Đến ngày"), required=False)
    # Bootstrap's form-select: as wide as its column, not as its longest rulebook name (a phone's screen).
    rulebook = forms.ChoiceField(
        label=gettext_lazy("Bộ chỉ số"), required=False, widget=forms.Select(attrs={"class": "form-select"})
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        choices = [("", _("Bộ chỉ số có hiệu lực"))] + [(key, book.name) for key, book in rulebooks().items()]
        self.fields["rulebook"].choices = choices  # type: ignore[attr-defined]

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        today = timezone.localdate()
        date_from, date_to = data.get("date_from"), data.get("date_to")
        kind = str(data.get("kind") or "")
        if not kind and (date_from or date_to):
            kind = CUSTOM
        year = int(str(data.get("year") or today.year))
        start, end = today.replace(day=1), today
        if kind == MONTH:
            start = dt.date(year, int(str(data.get("month") or today.month)), 1)
            end = month_end(start)
        elif kind == QUARTER:
            quarter = int(str(data.get("quarter") or (today.month - 1) // 3 + 1))
            start = dt.date(year, 3 * quarter - 2, 1)
            end = month_end(month_start(start, 2))
        elif kind == YEAR:
            start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
        elif kind == CUSTOM:
            if not date_from and not date_to:
                self.add_error("date_from", _("Kỳ tùy chọn cần ngày bắt đầu hoặc ngày kết thúc."))
            end = date_to if isinstance(date_to, dt.date) else end
            start = date_from if isinstance(date_from, dt.date) else end.replace(day=1)
        if start > end:
            self.add_error("date_from", _("Ngày bắt đầu sau ngày kết thúc."))
        data["start"], data["end"] = start, end
        return data
