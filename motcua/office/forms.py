from django import forms
from django.utils.translation import gettext_lazy as _


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
