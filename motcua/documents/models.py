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
    key_ref = models.CharField(
        _("tham chiếu khoá ký"),
        max_length=200,
        blank=True,
        help_text=_(
            "Nhãn khoá trên thiết bị ký (PKCS#11), mã khoá ở dịch vụ ký từ xa, hoặc tên tệp PKCS#12 "
            "trong thư mục khoá (chỉ dùng cho demo)."
        ),
    )
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


class StoredKind(models.TextChoices):
    RESULT = "result", _("Kết quả giải quyết thủ tục hành chính")
    COMPONENT = "component", _("Giấy tờ trong hồ sơ đã số hóa")
    CERTIFIED_COPY = "certified_copy", _("Bản sao chứng thực điện tử")


class StoredDocument(models.Model):
    """One document of an applicant's data store (kho quản lý dữ liệu điện tử của tổ chức, cá nhân).

    NĐ 45/2020/NĐ-CP Điều 16 (kho dữ liệu) and NĐ 107/2021/NĐ-CP Điều 21a: digitized papers and
    electronic results belong to the person or organisation they concern, keyed by the national ID
    number (số định danh cá nhân) or tax code, typed so they can be reused in later dossiers without
    being asked for again. The file is kept with its SHA-256, checked on every download
    (``documents.integrity``). Each reuse is a ``StoreUse`` row: the owner sees who used what, when.
    """

    owner_id_number = models.CharField(
        _("số định danh / mã số thuế chủ giấy tờ"), max_length=14, db_index=True
    )
    owner_name = models.CharField(_("chủ giấy tờ"), max_length=200, blank=True)
    kind = models.CharField(_("nguồn"), max_length=20, choices=StoredKind.choices)
    title = models.CharField(_("tên giấy tờ"), max_length=500)
    result_code = models.CharField(_("mã kết quả / mã giấy tờ"), max_length=60, blank=True)
    catalog_component = models.ForeignKey(
        "catalog.Component",
        verbose_name=_("thành phần hồ sơ tương ứng"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    number = models.CharField(_("số, ký hiệu"), max_length=100, blank=True)
    issuer = models.CharField(_("cơ quan cấp"), max_length=300, blank=True)
    issued_on = models.DateField(_("ngày cấp"), null=True, blank=True)
    valid_until = models.DateField(_("có giá trị đến"), null=True, blank=True)
    file = models.FileField(_("tệp"), upload_to="store/%Y/%m/")
    sha256 = models.CharField(_("SHA-256 của tệp"), max_length=64)
    is_signed = models.BooleanField(_("có chữ ký số"), default=False)
    source_dossier_code = models.CharField(_("từ hồ sơ"), max_length=40, blank=True)
    source_unit = models.ForeignKey(
        "organizations.Unit",
        verbose_name=_("đơn vị đưa vào kho"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("ngày đưa vào kho"), default=timezone.now)
    shared_at = models.DateTimeField(_("đã chia sẻ lên kho quốc gia lúc"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("đã thu hồi lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("giấy tờ trong kho dữ liệu")
        verbose_name_plural = _("kho dữ liệu của tổ chức, cá nhân")
        ordering = ["owner_id_number", "-created_at", "-id"]
        indexes = [models.Index(fields=["owner_id_number", "-created_at"], name="store_owner_created")]
        constraints = [
            # the same file from the same source enters an owner's store once
            models.UniqueConstraint(
                fields=["owner_id_number", "sha256", "source_dossier_code"], name="store_owner_file_source"
            )
        ]

    def __str__(self) -> str:
        return self.title


class StoreUse(models.Model):
    """One use of a stored document (in a dossier, at the counter or online): who, where, when.

    Append-only; the owner's page "Kho dữ liệu của tôi" lists them (NĐ 45/2020 Điều 16 khoản 3: the
    owner can see the use of their data)."""

    document = models.ForeignKey(StoredDocument, on_delete=models.PROTECT, related_name="uses")
    used_at = models.DateTimeField(_("thời điểm sử dụng"), default=timezone.now)
    used_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    unit = models.ForeignKey(
        "organizations.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    dossier_code = models.CharField(_("trong hồ sơ"), max_length=40, blank=True)
    purpose = models.CharField(_("mục đích"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("lần sử dụng giấy tờ trong kho")
        verbose_name_plural = _("lịch sử sử dụng kho dữ liệu")
        ordering = ["-used_at", "-id"]

    def __str__(self) -> str:
        return f"{self.document_id} @ {self.used_at:%Y-%m-%d %H:%M}"
