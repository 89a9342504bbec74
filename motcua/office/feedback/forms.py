"""Officer forms for PAKN handling and the counter rating device. They parse input only."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from motcua.accounts.models import User
from motcua.feedback.forms import RatingForm
from motcua.feedback.models import Feedback, FeedbackCategory
from motcua.organizations.models import Membership, Unit


class VersionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class ClassifyForm(VersionForm):
    category = forms.ChoiceField(
        label=_("Phân loại"),
        choices=FeedbackCategory.choices,
        widget=forms.Select(attrs={"class": "form-select"}),
        error_messages={
            "required": _("Hãy chọn loại phản ánh."),
            "invalid_choice": _("Loại phản ánh không hợp lệ."),
        },
    )


class AssignForm(VersionForm):
    unit = forms.ModelChoiceField(
        label=_("Đơn vị xử lý"),
        queryset=Unit.objects.none(),
        widget=forms.Select(attrs={"class": "form-select"}),
        error_messages={
            "required": _("Hãy chọn đơn vị xử lý."),
            "invalid_choice": _("Đơn vị xử lý không hợp lệ."),
        },
    )
    officer = forms.ModelChoiceField(
        label=_("Cán bộ xử lý (không bắt buộc)"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.Select(attrs={"class": "form-select"}),
        error_messages={"invalid_choice": _("Cán bộ xử lý không thuộc đơn vị được chọn.")},
    )

    def __init__(self, *args: Any, feedback: Feedback, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        units = Unit.objects.active().filter(pk=feedback.unit_id) | Unit.objects.active().filter(
            parent_id=feedback.unit_id
        )
        self.fields["unit"].queryset = units.order_by("code")  # type: ignore[attr-defined]
        members = Membership.objects.current().filter(unit__in=units).values("user")
        self.fields["officer"].queryset = User.objects.filter(  # type: ignore[attr-defined]
            pk__in=members, kind=User.Kind.OFFICER, is_active=True
        ).order_by("full_name")


class AnswerForm(VersionForm):
    answer = forms.CharField(
        label=_("Nội dung văn bản trả lời"),
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 8, "class": "form-control"}),
        error_messages={
            "required": _("Hãy nhập nội dung trả lời."),
            "max_length": _("Nội dung trả lời dài tối đa %(limit_value)d ký tự (đang có %(show_value)d)."),
        },
    )


class DeviceRatingForm(RatingForm):
    """The counter device: the citizen types the dossier code from the receipt and, as a second factor,
    the last 4 digits of the ID number or phone given with the dossier."""

    dossier_code = forms.CharField(
        label=_("Mã hồ sơ (trên giấy tiếp nhận)"),
        max_length=40,
        widget=forms.TextInput(attrs={"class": "form-control", "autocomplete": "off", "spellcheck": "false"}),
        error_messages={"required": _("Hãy nhập mã hồ sơ ghi trên giấy tiếp nhận.")},
    )
    suffix = forms.RegexField(
        label=_("4 số cuối số định danh hoặc số điện thoại đã khai"),
        regex=r"^[0-9]{4}$",
        widget=forms.TextInput(
            attrs={"class": "form-control", "inputmode": "numeric", "autocomplete": "off"}
        ),
        error_messages={
            "required": _("Hãy nhập 4 số cuối số định danh hoặc số điện thoại."),
            "invalid": _("Nhập đúng 4 chữ số."),
        },
    )
