"""Citizens' forms for PAKN: send one, look one up (code + the contact given), react to an answer.

Contact details are personal data: they travel only in POST bodies, never in a URL.
"""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from motcua.catalog.models import Procedure
from motcua.feedback.models import FeedbackSubject, Reaction
from motcua.organizations.models import Unit


def _styled(form: forms.Form) -> None:
    for field in form.fields.values():
        if isinstance(field.widget, forms.RadioSelect):
            continue
        css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
        field.widget.attrs.setdefault("class", css)


class FeedbackForm(forms.Form):
    unit = forms.ModelChoiceField(
        label=_("Cơ quan tiếp nhận"),
        queryset=Unit.objects.active().order_by("name"),
        to_field_name="code",
        empty_label=_("— Chọn cơ quan —"),
        error_messages={
            "required": _("Hãy chọn cơ quan tiếp nhận phản ánh."),
            "invalid_choice": _("Cơ quan tiếp nhận không hợp lệ; hãy chọn trong danh sách."),
        },
    )
    subject = forms.ChoiceField(
        label=_("Phản ánh về"),
        choices=FeedbackSubject.choices,
        error_messages={
            "required": _("Hãy chọn đối tượng phản ánh."),
            "invalid_choice": _("Đối tượng phản ánh không hợp lệ."),
        },
    )
    procedure = forms.CharField(
        label=_("Mã thủ tục (nếu có)"), required=False, max_length=20, help_text=_("Ví dụ: 1.001193")
    )
    subject_detail = forms.CharField(
        label=_("Cán bộ, bộ phận hoặc nội dung cụ thể (nếu có)"), required=False, max_length=200
    )
    dossier_code = forms.CharField(
        label=_("Mã hồ sơ liên quan (nếu có)"),
        required=False,
        max_length=40,
        help_text=_("Chỉ gắn được hồ sơ nộp từ tài khoản của bạn."),
    )
    title = forms.CharField(
        label=_("Tiêu đề"), max_length=200, error_messages={"required": _("Hãy nhập tiêu đề.")}
    )
    content = forms.CharField(
        label=_("Nội dung phản ánh, kiến nghị"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={
            "required": _("Hãy nhập nội dung phản ánh, kiến nghị."),
            "max_length": _("Nội dung dài tối đa %(limit_value)d ký tự (đang có %(show_value)d)."),
        },
    )
    submitter_name = forms.CharField(
        label=_("Họ và tên"), max_length=150, error_messages={"required": _("Hãy nhập họ và tên người gửi.")}
    )
    submitter_email = forms.EmailField(
        label=_("Thư điện tử"),
        required=False,
        error_messages={"invalid": _("Thư điện tử không đúng định dạng, ví dụ: ten@example.vn.")},
    )
    submitter_phone = forms.RegexField(
        label=_("Số điện thoại"),
        required=False,
        regex=r"^\+?[0-9 .]{9,15}$",
        error_messages={"invalid": _("Số điện thoại chỉ gồm chữ số, ví dụ: 0912345678.")},
    )
    submitter_address = forms.CharField(label=_("Địa chỉ (không bắt buộc)"), required=False, max_length=300)

    def __init__(self, *args: Any, signed_in: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not signed_in:
            del self.fields["dossier_code"]
        _styled(self)

    def clean_procedure(self) -> Procedure | None:
        code = self.cleaned_data["procedure"].strip()
        if not code:
            return None
        procedure = Procedure.objects.published().filter(code=code).first()
        if procedure is None:
            raise forms.ValidationError(
                _("Không có thủ tục đang công khai mang mã «%(code)s».") % {"code": code}
            )
        return procedure

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        has_contact = data.get("submitter_email") or data.get("submitter_phone")
        if not (has_contact or self.has_error("submitter_email") or self.has_error("submitter_phone")):
            self.add_error(
                "submitter_email", _("Hãy nhập thư điện tử hoặc số điện thoại để nhận văn bản trả lời.")
            )
        return data


class TrackForm(forms.Form):
    """Look up one's own PAKN: its code and the email or phone given when sending it."""

    code = forms.CharField(
        label=_("Mã phản ánh, kiến nghị"),
        max_length=30,
        error_messages={"required": _("Hãy nhập mã phản ánh.")},
    )
    contact = forms.CharField(
        label=_("Thư điện tử hoặc số điện thoại đã khai khi gửi"),
        max_length=254,
        error_messages={"required": _("Hãy nhập thư điện tử hoặc số điện thoại đã khai khi gửi.")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _styled(self)


class ReactionForm(forms.Form):
    code = forms.CharField(max_length=30)
    kind = forms.ChoiceField(
        choices=Reaction.choices,
        error_messages={"invalid_choice": _("Hãy chọn hài lòng hoặc không hài lòng.")},
    )
