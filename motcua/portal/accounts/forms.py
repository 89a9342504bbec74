"""Forms of the citizens' account pages. They only parse; the accounts services decide."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from motcua.accounts.models import VerificationCode


class _Styled(forms.Form):
    """Bootstrap classes on every widget (the templates render ``{{ field }}``)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            css = "form-check-input" if isinstance(field.widget, forms.RadioSelect) else "form-control"
            field.widget.attrs.setdefault("class", css)


_CODE_ATTRS = {
    "inputmode": "numeric",
    "autocomplete": "one-time-code",
    "pattern": "[0-9]{6}",
    "maxlength": "6",
}


class SignInForm(_Styled):
    identifier = forms.CharField(
        label=_("Số định danh, mã số thuế, số điện thoại hoặc thư điện tử"),
        max_length=254,
        widget=forms.TextInput(attrs={"autocomplete": "username", "spellcheck": "false"}),
    )
    password = forms.CharField(
        label=_("Mật khẩu"),
        max_length=128,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class RegisterForm(_Styled):
    identifier = forms.CharField(
        label=_("Số định danh cá nhân (hoặc mã số thuế của tổ chức)"),
        max_length=14,
        help_text=_("Công dân: 12 chữ số trên thẻ căn cước. Tổ chức: mã số thuế 10 hoặc 13 ký tự."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "spellcheck": "false"}),
    )
    full_name = forms.CharField(
        label=_("Họ và tên (hoặc tên tổ chức)"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    phone = forms.CharField(
        label=_("Số điện thoại di động"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    email = forms.CharField(
        label=_("Thư điện tử"),
        max_length=254,
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )
    channel = forms.ChoiceField(
        label=_("Nhận mã xác minh qua"),
        choices=[
            (VerificationCode.Channel.SMS, _("Tin nhắn SMS")),
            (VerificationCode.Channel.EMAIL, _("Thư điện tử")),
        ],
        initial=VerificationCode.Channel.SMS,
        widget=forms.RadioSelect,
    )
    password = forms.CharField(
        label=_("Mật khẩu"),
        max_length=128,
        strip=False,
        help_text=_("Ít nhất 10 ký tự, không quá dễ đoán, không chỉ gồm chữ số."),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label=_("Nhập lại mật khẩu"),
        max_length=128,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("password") and data.get("password2") and data["password"] != data["password2"]:
            self.add_error("password2", _("Hai lần nhập mật khẩu không khớp nhau."))
        return data


class CodeForm(_Styled):
    code = forms.RegexField(
        label=_("Mã xác minh (6 chữ số)"),
        regex=r"^\s*\d{6}\s*$",
        error_messages={"invalid": _("Mã xác minh gồm đúng 6 chữ số.")},
        widget=forms.TextInput(attrs=_CODE_ATTRS),
    )


class ResetRequestForm(_Styled):
    identifier = forms.CharField(
        label=_("Số định danh, mã số thuế, số điện thoại hoặc thư điện tử"),
        max_length=254,
        widget=forms.TextInput(attrs={"autocomplete": "username", "spellcheck": "false"}),
    )


class ResetConfirmForm(CodeForm):
    new_password = forms.CharField(
        label=_("Mật khẩu mới"),
        max_length=128,
        strip=False,
        help_text=_("Ít nhất 10 ký tự, không quá dễ đoán, không chỉ gồm chữ số."),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    new_password2 = forms.CharField(
        label=_("Nhập lại mật khẩu mới"),
        max_length=128,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (
            data.get("new_password")
            and data.get("new_password2")
            and data["new_password"] != data["new_password2"]
        ):
            self.add_error("new_password2", _("Hai lần nhập mật khẩu không khớp nhau."))
        return data


class RepresentativeForm(_Styled):
    national_id = forms.CharField(
        label=_("Số định danh cá nhân của người đại diện"),
        max_length=12,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "spellcheck": "false"}),
    )
    title = forms.CharField(label=_("Chức danh, vai trò"), max_length=100, required=False)
