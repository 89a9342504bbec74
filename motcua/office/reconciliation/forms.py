"""The form that copies a paper register's numbers for a period. It checks types and presence, with a
Vietnamese message naming the field; the rules (period ended, late ≤ finished, who may enter) are the
service's (``indicators.reconciliation.services``), whose problems are put back on the same fields."""

from typing import TYPE_CHECKING

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from motcua.catalog.models import Field
from motcua.indicators.reconciliation.models import RegisterKind

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


def _count(label: "StrOrPromise", *, required: bool) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        required=required,
        min_value=0,
        max_value=10_000_000,
        error_messages={
            "required": format_lazy(_("{label}: hãy nhập số theo sổ."), label=label),
            "invalid": format_lazy(_("{label}: phải là số nguyên."), label=label),
            "min_value": format_lazy(_("{label}: không được là số âm."), label=label),
            "max_value": format_lazy(_("{label}: số quá lớn."), label=label),
        },
    )


def _date(label: "StrOrPromise") -> forms.DateField:
    return forms.DateField(
        label=label,
        error_messages={
            "required": format_lazy(_("{label}: hãy nhập ngày."), label=label),
            "invalid": format_lazy(_("{label}: ngày không hợp lệ."), label=label),
        },
    )


class RegisterCountForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Sổ"),
        choices=RegisterKind.choices,
        error_messages={
            "required": _("Sổ: hãy chọn sổ."),
            "invalid_choice": _("Sổ: lựa chọn không hợp lệ."),
        },
    )
    field = forms.ModelChoiceField(
        label=_("Lĩnh vực (khi là sổ của một lĩnh vực)"),
        queryset=Field.objects.order_by("name"),
        required=False,
        empty_label=_("— không chọn —"),
        error_messages={"invalid_choice": _("Lĩnh vực: lựa chọn không hợp lệ.")},
    )
    date_from = _date(_("Từ ngày"))
    date_to = _date(_("Đến ngày"))
    received = _count(_("Số hồ sơ tiếp nhận"), required=True)
    finished = _count(_("Số hồ sơ đã giải quyết"), required=False)
    late = _count(_("Số hồ sơ quá hạn"), required=False)
    note = forms.CharField(
        label=_("Ghi chú (ví dụ: lý do sửa số liệu)"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"max_length": _("Ghi chú: dài quá 500 ký tự.")},
    )
