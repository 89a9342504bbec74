"""Forms of the targets page: parse and name the field in every message; the rules themselves are
checked again by ``indicators.target_admin`` (every front door reaches the same services)."""

from decimal import Decimal
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from motcua.core.errors import DomainError
from motcua.indicators.models import TargetKind
from motcua.indicators.target_admin import MAX_YEAR, MIN_YEAR, percent_to_rate
from motcua.organizations.models import Level, Unit


class YearForm(forms.Form):
    nam = forms.IntegerField(label=gettext_lazy("Năm"), min_value=MIN_YEAR, max_value=MAX_YEAR)


def decision_field() -> forms.CharField:
    return forms.CharField(
        label=gettext_lazy("Văn bản giao chỉ tiêu"),
        max_length=255,
        help_text=gettext_lazy("Ví dụ: Quyết định số 85/QĐ-UBND ngày 15/01/2026 của UBND tỉnh."),
        error_messages={
            "required": gettext_lazy("Văn bản giao chỉ tiêu: hãy nhập số, ngày của văn bản giao chỉ tiêu."),
            "max_length": gettext_lazy("Văn bản giao chỉ tiêu: dài quá 255 ký tự."),
        },
    )


class ValueFields(forms.Form):
    percent = forms.CharField(
        label=gettext_lazy("Mức chỉ tiêu (%)"),
        max_length=12,
        help_text=gettext_lazy("Từ 0 đến 100, tối đa 2 chữ số thập phân, ví dụ 55 hoặc 37,5."),
        error_messages={"required": gettext_lazy("Mức chỉ tiêu (%): hãy nhập mức chỉ tiêu.")},
    )
    decision = decision_field()
    note = forms.CharField(
        label=gettext_lazy("Ghi chú"),
        max_length=500,
        required=False,
        error_messages={"max_length": gettext_lazy("Ghi chú: dài quá 500 ký tự.")},
    )

    def clean_percent(self) -> Decimal:
        text = self.cleaned_data["percent"]
        try:
            percent_to_rate(text)
        except DomainError as exc:
            raise forms.ValidationError(exc.message) from None
        return Decimal(text.strip().replace(",", "."))


class TargetForm(ValueFields):
    field_order = ["kind", "year", "level", "unit", "percent", "decision", "note"]

    kind = forms.ChoiceField(
        label=gettext_lazy("Chỉ tiêu"),
        choices=TargetKind.choices,
        error_messages={
            "required": gettext_lazy("Chỉ tiêu: hãy chọn chỉ tiêu."),
            "invalid_choice": gettext_lazy("Chỉ tiêu: hãy chọn một chỉ tiêu trong danh sách."),
        },
    )
    year = forms.IntegerField(
        label=gettext_lazy("Năm"),
        min_value=MIN_YEAR,
        max_value=MAX_YEAR,
        error_messages={
            "required": gettext_lazy("Năm: hãy nhập năm áp dụng."),
            "invalid": gettext_lazy("Năm: hãy nhập năm gồm 4 chữ số."),
            "min_value": gettext_lazy("Năm: phải từ 2000 đến 2100."),
            "max_value": gettext_lazy("Năm: phải từ 2000 đến 2100."),
        },
    )
    level = forms.ChoiceField(
        label=gettext_lazy("Giao cho cấp đơn vị"),
        choices=[("", gettext_lazy("— chọn cấp —")), *Level.choices],
        required=False,
        error_messages={"invalid_choice": gettext_lazy("Cấp đơn vị: hãy chọn một cấp trong danh sách.")},
    )
    unit = forms.ModelChoiceField(
        label=gettext_lazy("hoặc giao riêng cho đơn vị"),
        queryset=Unit.objects.none(),
        required=False,
        empty_label=gettext_lazy("— không —"),
        error_messages={"invalid_choice": gettext_lazy("Đơn vị: hãy chọn một đơn vị trong danh sách.")},
    )

    def __init__(self, *args: Any, units: QuerySet[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("level") and data.get("unit"):
            self.add_error("unit", _("Đơn vị: chọn cấp đơn vị hoặc một đơn vị, không chọn cả hai."))
        elif not data.get("level") and not data.get("unit") and "unit" not in self.errors:
            self.add_error("level", _("Cấp đơn vị: hãy chọn cấp đơn vị hoặc một đơn vị được giao chỉ tiêu."))
        return data


class CopyForm(forms.Form):
    year = forms.IntegerField(
        label=gettext_lazy("Sao chép vào năm"),
        min_value=MIN_YEAR + 1,
        max_value=MAX_YEAR,
        widget=forms.HiddenInput,
        error_messages={
            "required": gettext_lazy("Năm: hãy chọn năm."),
            "invalid": gettext_lazy("Năm: không hợp lệ."),
        },
    )
    decision = decision_field()
