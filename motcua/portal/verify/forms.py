"""The upload form of the public signature check."""

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _


class VerifyForm(forms.Form):
    tep = forms.FileField(
        label=_("Tệp PDF đã ký số"),
        help_text=_("Tệp kết quả giải quyết thủ tục hành chính hoặc văn bản có chữ ký số, định dạng PDF."),
        error_messages={
            "required": _("Hãy chọn tệp PDF cần kiểm tra chữ ký số."),
            "empty": _("Tệp PDF cần kiểm tra đang trống."),
        },
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
    )

    def clean_tep(self) -> bytes:
        upload: UploadedFile[bytes] = self.cleaned_data["tep"]
        limit = settings.MOTCUA_VERIFY_MAX_BYTES
        if upload.size is not None and upload.size > limit:
            raise forms.ValidationError(
                _("Tệp PDF cần kiểm tra lớn hơn %(mb)d MB.") % {"mb": limit // (1024 * 1024)}
            )
        data: bytes = upload.read(limit + 1)
        if not data.startswith(b"%PDF-"):
            raise forms.ValidationError(_("Tệp PDF cần kiểm tra không phải là tệp PDF."))
        return data
