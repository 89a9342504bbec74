"""The public status lookup form: the dossier code and a second factor, sent by POST only."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from motcua.dossiers.queries import LOOKUP_ID_DIGITS, normalize_phone

CODE_MAX = 40


class LookupForm(forms.Form):
    """Dossier code + the phone number on the dossier or the last 4 digits of the submitter's ID.

    The second factor never travels in a URL: the form is sent by POST (QUALITY.md security item 8).
    Format problems are told next to the field; whether a dossier matches is told in one generic
    message by the view, whatever was wrong.
    """

    ma = forms.CharField(
        label=_("Mã hồ sơ"),
        max_length=CODE_MAX,
        strip=True,
        help_text=_("Ghi trên giấy tiếp nhận hồ sơ và hẹn trả kết quả, ví dụ 000.00.06.H56-231027-0361."),
        error_messages={
            "required": _("Hãy nhập mã hồ sơ (ghi trên giấy tiếp nhận hồ sơ)."),
            "max_length": _("Mã hồ sơ dài nhất %(limit_value)d ký tự."),
        },
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "spellcheck": "false", "autocapitalize": "characters"}
        ),
    )
    xac_thuc = forms.CharField(
        label=_("Số điện thoại hoặc 4 số cuối số định danh của người nộp"),
        max_length=20,
        strip=True,
        help_text=_("Số điện thoại đã khai trong hồ sơ, hoặc 4 chữ số cuối của số định danh cá nhân."),
        error_messages={
            "required": _("Hãy nhập số điện thoại đã khai trong hồ sơ hoặc 4 số cuối số định danh."),
            "max_length": _("Số điện thoại hoặc 4 số cuối số định danh dài nhất %(limit_value)d ký tự."),
        },
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            field.widget.attrs.setdefault("class", "form-control")
            field.widget.attrs["aria-describedby"] = f"id_{name}_helptext"

    def full_clean(self) -> None:
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                attrs = self.fields[name].widget.attrs
                attrs["class"] = "form-control is-invalid"
                attrs["aria-invalid"] = "true"
                attrs["aria-describedby"] = f"id_{name}_error id_{name}_helptext"

    def clean_ma(self) -> str:
        code: str = self.cleaned_data["ma"]
        return "".join(code.split()).upper()

    def clean_xac_thuc(self) -> str:
        value: str = self.cleaned_data["xac_thuc"]
        allowed = set("0123456789 +.-()")
        digits = "".join(ch for ch in value if ch.isdigit())
        if any(ch not in allowed for ch in value) or not (
            len(digits) == LOOKUP_ID_DIGITS or 9 <= len(normalize_phone(value)) <= 11
        ):
            raise forms.ValidationError(
                _("Nhập đúng 4 chữ số cuối của số định danh, hoặc số điện thoại đầy đủ (ví dụ 0912345678)."),
                code="format",
            )
        return value
