"""Officers' signing certificates, registered per person.

NĐ 30/2020/NĐ-CP Điều 8 and Luật Giao dịch điện tử 2023 Điều 24: a digital signature on an
administrative document is valid only if the certificate was valid when signing. The registry keeps,
per officer, the certificates they sign with (issuer, serial, subject, validity, the certificate
itself), so the office can see who signs with what and remind officers before a certificate expires
(``expiring_within``; the reminder itself goes through notifications, see docs/signatures.md).
"""

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class SigningCertificateQuerySet(models.QuerySet["SigningCertificate"]):
    def current(self) -> "SigningCertificateQuerySet":
        now = timezone.now()
        return self.filter(active=True, valid_from__lte=now, valid_to__gt=now)

    def expiring_within(self, days: int) -> "SigningCertificateQuerySet":
        """Active certificates still valid now that expire within ``days`` days (soonest first)."""
        now = timezone.now()
        return self.current().filter(valid_to__lte=now + dt.timedelta(days=days)).order_by("valid_to")


class SigningCertificate(models.Model):
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="signing_certificates",
        verbose_name=_("cán bộ"),
    )
    subject = models.CharField(_("chủ thể"), max_length=500)
    issuer = models.CharField(_("tổ chức cấp"), max_length=500)
    serial = models.CharField(_("số hiệu"), max_length=64, help_text=_("Số hiệu chứng thư, dạng hexa."))
    valid_from = models.DateTimeField(_("có hiệu lực từ"))
    valid_to = models.DateTimeField(_("hết hiệu lực"))
    fingerprint = models.CharField(_("dấu vân tay SHA-256"), max_length=64, unique=True)
    pem = models.TextField(_("chứng thư số (PEM)"))
    active = models.BooleanField(_("đang dùng"), default=True)
    created_at = models.DateTimeField(_("ngày đăng ký"), auto_now_add=True)

    objects = SigningCertificateQuerySet.as_manager()

    class Meta:
        verbose_name = _("chứng thư số của cán bộ")
        verbose_name_plural = _("chứng thư số của cán bộ")
        ordering = ["officer_id", "-valid_to"]
        constraints = [
            models.UniqueConstraint(fields=["issuer", "serial"], name="signing_cert_issuer_serial_unique"),
            models.CheckConstraint(
                condition=models.Q(valid_to__gt=models.F("valid_from")), name="signing_cert_validity"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.subject} ({self.serial})"
