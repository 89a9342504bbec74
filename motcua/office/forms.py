from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from motcua.catalog.models import Procedure


def mark_invalid_fields(form: forms.BaseForm) -> None:
    """After validation, flag every field in error for styles and screen readers (``is-invalid``,
    ``aria-invalid``) and point it at its message, ``<field id>-error`` in the templates."""
    for name in form.errors:
        if name in form.fields:
            widget = form.fields[name].widget
            widget.attrs["class"] = widget.attrs.get("class", "") + " is-invalid"
            widget.attrs["aria-invalid"] = "true"
            widget.attrs["aria-describedby"] = f"{form[name].id_for_label}-error"


class OfficerLoginForm(forms.Form):
    username = forms.CharField(
        label=_("Tên đăng nhập"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "username", "autofocus": True}),
    )
    password = forms.CharField(
        label=_("Mật khẩu"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    otp_token = forms.RegexField(
        label=_("Mã xác thực (OTP) 6 chữ số"),
        regex=r"^\d{6}$",
        error_messages={"invalid": _("Mã xác thực phải gồm đúng 6 chữ số.")},
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "maxlength": 6}
        ),
    )


class ChooseUnitForm(forms.Form):
    unit = forms.IntegerField(widget=forms.HiddenInput)


class ProcedureForm(forms.ModelForm):  # type: ignore[type-arg]
    """The published parts an officer of the province edits. Validation only: saving goes through
    ``catalog.services.update_procedure``."""

    modified_at = forms.DateTimeField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Procedure
        fields = [
            "name",
            "field",
            "level",
            "subjects",
            "implementing_agency",
            "competent_authority",
            "sequence",
            "method",
            "conditions",
            "result",
            "legal_basis",
            "time_limit",
            "time_unit",
            "time_limit_note",
            "fee_vnd",
            "fee_timing",
            "online_level",
            "full_online_eligible",
            "result_required",
            "decision_number",
            "decision_date",
            "legal_basis_effective_on",
        ]
        widgets = {
            "sequence": forms.Textarea(attrs={"rows": 5}),
            "method": forms.Textarea(attrs={"rows": 3}),
            "conditions": forms.Textarea(attrs={"rows": 3}),
            "legal_basis": forms.Textarea(attrs={"rows": 4}),
            "decision_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "legal_basis_effective_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput | forms.HiddenInput):
                continue
            widget.attrs["class"] = "form-select" if isinstance(widget, forms.Select) else "form-control"

    def full_clean(self) -> None:
        super().full_clean()
        mark_invalid_fields(self)


class PublishForm(forms.Form):
    on = forms.DateField(
        label=_("Ngày"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d"],
    )
