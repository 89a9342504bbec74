"""Officers' signing certificates at the office ("Chứng thư số", docs/signatures.md).

Every officer sees their own certificates (issuer, serial, validity, days left; a warning in the last
``MOTCUA_CERT_EXPIRY_REMINDER_DAYS`` days). The leader or administrator of a unit — staff and superusers
for everyone — also sees the certificates of the unit's officers, registers one by uploading the
certificate file (PEM or DER) with the reference of its key, and withdraws one
(``documents.certificates``). A certificate the officer may not manage answers 404.
"""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe

from motcua.accounts.models import User
from motcua.core.errors import Conflict, NotFound, PermissionDenied
from motcua.documents.certificates import deactivate_certificate, is_manager, managed_officers, register_for
from motcua.documents.models import SigningCertificate
from motcua.documents.reminders import days_left
from motcua.office.auth import officer, officer_required

MAX_CERTIFICATE_BYTES = 64 * 1024  # a certificate is a few KB; a chain file is refused anyway


class OfficerChoice(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.full_name or obj.username} ({obj.username})"


class RegisterForm(forms.Form):
    officer = OfficerChoice(
        label=gettext_lazy("Cán bộ"),
        queryset=User.objects.none(),
        error_messages={
            "required": gettext_lazy("Cán bộ: hãy chọn một cán bộ của đơn vị."),
            "invalid_choice": gettext_lazy("Cán bộ: không thuộc đơn vị bạn quản lý."),
        },
    )
    certificate = forms.FileField(
        label=gettext_lazy("Tệp chứng thư số (PEM hoặc DER: .pem, .crt, .cer, .der)"),
        error_messages={"required": gettext_lazy("Tệp chứng thư số: hãy chọn tệp.")},
    )
    key_ref = forms.CharField(
        label=gettext_lazy("Tham chiếu khoá ký"),
        max_length=200,
        required=False,
        help_text=gettext_lazy(
            "Nhãn khoá trên thiết bị ký (USB token), mã khoá ở dịch vụ ký từ xa, hoặc tên tệp khoá (demo)."
        ),
    )

    def __init__(self, *args: Any, officers: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["officer"].queryset = officers  # type: ignore[attr-defined]

    def clean_certificate(self) -> bytes:
        upload = self.cleaned_data["certificate"]
        if upload.size > MAX_CERTIFICATE_BYTES:
            raise ValidationError(_("Tệp chứng thư số: quá lớn (tối đa 64 KB)."))
        content: bytes = upload.read()
        return content


@dataclass(frozen=True)
class Row:
    certificate: SigningCertificate
    days_left: int
    is_expired: bool
    expires_soon: bool


def _rows(certificates: QuerySet[SigningCertificate], now: dt.datetime) -> list[Row]:
    window = settings.MOTCUA_CERT_EXPIRY_REMINDER_DAYS
    rows = []
    for certificate in certificates:
        expired = certificate.valid_to <= now
        left = days_left(certificate, now)
        rows.append(Row(certificate, left, expired, certificate.active and not expired and left < window))
    return rows


def _page(request: HttpRequest, *, form: RegisterForm | None = None, status: int = 200) -> HttpResponse:
    user = officer(request)
    now = timezone.now()
    own = SigningCertificate.objects.filter(officer=user).order_by("-active", "-valid_to")
    manager = is_manager(user)
    managed: list[Row] = []
    if manager:
        officers = managed_officers(user)
        managed = _rows(
            SigningCertificate.objects.filter(officer__in=officers)
            .select_related("officer")
            .order_by("officer__full_name", "-active", "-valid_to"),
            now,
        )
        form = form or RegisterForm(officers=officers)
    context = {
        "own": _rows(own, now),
        "manager": manager,
        "managed": managed,
        "form": form,
        "window": settings.MOTCUA_CERT_EXPIRY_REMINDER_DAYS,
    }
    return render(request, "office/certificates/list.html", context, status=status)


@officer_required
@require_safe
def certificate_list(request: HttpRequest) -> HttpResponse:
    return _page(request)


@officer_required
@require_POST
def certificate_register(request: HttpRequest) -> HttpResponse:
    user = officer(request)
    if not is_manager(user):
        messages.error(request, _("Chỉ lãnh đạo đơn vị mới đăng ký chứng thư số cho cán bộ."))
        return _page(request, status=403)
    form = RegisterForm(request.POST, request.FILES, officers=managed_officers(user))
    if not form.is_valid():
        return _page(request, form=form, status=400)
    try:
        certificate = register_for(
            officer=form.cleaned_data["officer"],
            by=user,
            pem=form.cleaned_data["certificate"],
            key_ref=form.cleaned_data["key_ref"],
        )
    except PermissionDenied as exc:
        messages.error(request, exc.message)
        return _page(request, status=403)
    except ValidationError as exc:
        for message in exc.messages:
            form.add_error("certificate", message)
        return _page(request, form=form, status=400)
    messages.success(
        request,
        _("Đã đăng ký chứng thư số số hiệu %(serial)s, hiệu lực đến %(until)s.")
        % {
            "serial": certificate.serial,
            "until": timezone.localtime(certificate.valid_to).strftime("%d/%m/%Y"),
        },
    )
    return redirect("office:certificate_list")


@officer_required
@require_POST
def certificate_deactivate(request: HttpRequest, certificate_id: int) -> HttpResponse:
    try:
        certificate = deactivate_certificate(certificate_id=certificate_id, by=officer(request))
    except NotFound as exc:
        messages.error(request, exc.message)
        return _page(request, status=404)
    except Conflict as exc:
        messages.error(request, exc.message)
        return _page(request, status=409)
    messages.success(
        request, _("Đã ngừng sử dụng chứng thư số số hiệu %(serial)s.") % {"serial": certificate.serial}
    )
    return redirect("office:certificate_list")
