from django import forms
from django.utils.translation import gettext_lazy as _


class NewIdentityForm(forms.Form):
    national_id = forms.CharField(label=_("Số định danh cá nhân (12 chữ số)"), max_length=12)
    full_name = forms.CharField(label=_("Họ và tên"), max_length=150)
    birth_date = forms.DateField(label=_("Ngày sinh"), required=False, input_formats=["%Y-%m-%d", "%d/%m/%Y"])
    phone = forms.CharField(label=_("Số điện thoại"), max_length=20, required=False)
    email = forms.EmailField(label=_("Thư điện tử"), required=False)
