"""Certification of copies from originals (chứng thực bản sao từ bản chính): books and their entries.

- NĐ 23/2015/NĐ-CP Điều 13 and TT 01/2020/TT-BTP Điều 4: every certification is entered in a book
  kept per certifying body and per type; the certification number is the sequence in the book, the
  volume (quyển số), the year and the type code (``SCT/BS`` for copies from originals). Numbering
  runs from 1 for the whole year, continues into the next volume within the year and restarts at 1
  on 1 January. Electronic copies are kept in a book of their own (``SCTĐT/BS``, research §6).
- Books kept on a computer are printed and bound every month (NĐ 23 Điều 13): ``monthly_book_pdf``.

Requester names and ID numbers are personal data: rows are addressed in URLs by ``public_id`` (random),
never by anything the requester typed, and nothing of the requester goes to the logs.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.documents.models import StoredDocument
from motcua.organizations.models import Unit


class BookKind(models.TextChoices):
    """The types of certification books (NĐ 23/2015 Điều 13; electronic copies: research §6)."""

    COPY = "copy", _("Sổ chứng thực bản sao từ bản chính")
    ELECTRONIC_COPY = "electronic_copy", _("Sổ chứng thực bản sao điện tử từ bản chính")
    SIGNATURE = "signature", _("Sổ chứng thực chữ ký, điểm chỉ")
    TRANSLATOR = "translator", _("Sổ chứng thực chữ ký người dịch")
    CONTRACT = "contract", _("Sổ chứng thực hợp đồng, giao dịch")


# The type code printed after the number (NĐ 23/2015 Điều 13; the electronic-copy code follows the
# implementation cited in research §6, [S7] SoChungThuc.cs).
TYPE_CODES: dict[str, str] = {
    BookKind.COPY: "SCT/BS",
    BookKind.ELECTRONIC_COPY: "SCTĐT/BS",
    BookKind.SIGNATURE: "SCT/CK,ĐC",
    BookKind.TRANSLATOR: "SCT/CKND",
    BookKind.CONTRACT: "SCT/HĐ,GD",
}

# The kinds this app certifies: copies from originals, on paper or electronic.
COPY_KINDS = (BookKind.COPY, BookKind.ELECTRONIC_COPY)


class CertificationBook(models.Model):
    """One volume (quyển) of a certification book of a unit for a year."""

    unit = models.ForeignKey(
        Unit,
        verbose_name=_("cơ quan chứng thực"),
        on_delete=models.PROTECT,
        related_name="certification_books",
    )
    year = models.PositiveSmallIntegerField(_("năm"))
    kind = models.CharField(_("loại sổ"), max_length=20, choices=BookKind.choices)
    volume = models.PositiveSmallIntegerField(_("quyển số"), default=1)
    type_code = models.CharField(_("ký hiệu sổ"), max_length=20)
    opened_at = models.DateTimeField(_("ngày mở sổ"), auto_now_add=True)

    class Meta:
        verbose_name = _("sổ chứng thực")
        verbose_name_plural = _("sổ chứng thực")
        ordering = ["unit__code", "-year", "kind", "volume"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "year", "kind", "volume"], name="cert_book_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.unit.code} {self.label}"

    @property
    def label(self) -> str:
        """``Quyển số 01/2024-SCT/BS`` style: volume, year and type code."""
        return f"{self.volume:02d}/{self.year}-{self.type_code}"

    @property
    def scope(self) -> str:
        """The numbering scope: per unit and type, so the number continues into the next volume."""
        return f"{self.unit.code}:{self.type_code}"


class CertificationStatus(models.TextChoices):
    RECEIVED = "received", _("Đã tiếp nhận, chờ ký chứng thực")
    CERTIFIED = "certified", _("Đã chứng thực, chờ ký số")
    SIGNED = "signed", _("Đã ký số")
    REFUSED = "refused", _("Từ chối chứng thực")


class Certification(models.Model):
    """One certification: one original, one number, one or several copies (NĐ 23/2015 Điều 20;
    TT 01/2020 Điều 4: one number per document, whatever the number of copies made at the same time)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    unit = models.ForeignKey(
        Unit, verbose_name=_("cơ quan chứng thực"), on_delete=models.PROTECT, related_name="certifications"
    )
    kind = models.CharField(
        _("loại bản sao"),
        max_length=20,
        choices=[(k.value, k.label) for k in COPY_KINDS],
        default=BookKind.ELECTRONIC_COPY,
    )
    status = models.CharField(
        _("trạng thái"),
        max_length=20,
        choices=CertificationStatus.choices,
        default=CertificationStatus.RECEIVED,
        db_index=True,
    )

    requester_name = models.CharField(_("người yêu cầu chứng thực"), max_length=200)
    requester_id_number = models.CharField(_("số định danh người yêu cầu"), max_length=14, blank=True)
    requester_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("tài khoản của người yêu cầu"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="certifications",
    )
    document_name = models.CharField(_("tên giấy tờ, văn bản"), max_length=300)
    pages = models.PositiveIntegerField(_("số trang"))
    copies = models.PositiveIntegerField(_("số bản sao"))
    fee_vnd = models.PositiveBigIntegerField(_("phí chứng thực (đồng)"))

    received_at = models.DateTimeField(_("thời điểm tiếp nhận"))
    due_at = models.DateTimeField(_("hạn trả"))
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("công chức tiếp nhận"),
        on_delete=models.PROTECT,
        related_name="received_certifications",
    )
    original_scan = models.FileField(_("bản quét bản chính"), upload_to="certification/scans/%Y/%m/")

    # the book entry, filled in when the chair/vice-chair approves
    book = models.ForeignKey(
        CertificationBook,
        verbose_name=_("sổ chứng thực"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="entries",
    )
    number = models.PositiveIntegerField(_("số chứng thực"), null=True, blank=True)
    approver = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người ký chứng thực"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="approved_certifications",
    )
    approver_title = models.CharField(_("chức danh người ký"), max_length=60, blank=True)
    approved_at = models.DateTimeField(_("thời điểm chứng thực"), null=True, blank=True)
    certified_file = models.FileField(
        _("bản sao đã chứng thực"), upload_to="certification/copies/%Y/%m/", blank=True
    )
    sha256 = models.CharField(_("SHA-256 của bản sao"), max_length=64, blank=True)
    signed_file = models.FileField(_("bản sao đã ký số"), upload_to="certification/signed/%Y/%m/", blank=True)
    signed_sha256 = models.CharField(_("SHA-256 của bản sao đã ký số"), max_length=64, blank=True)
    signed_at = models.DateTimeField(_("thời điểm ký số"), null=True, blank=True)
    refusal_reason = models.TextField(_("lý do từ chối"), blank=True)
    in_data_store_at = models.DateTimeField(_("đưa vào kho dữ liệu lúc"), null=True, blank=True)
    stored_document = models.ForeignKey(
        StoredDocument,
        verbose_name=_("giấy tờ trong kho dữ liệu"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    # the fee (TT 226/2016/TT-BTC), collected through ``motcua.payments`` (order ``subject_ref``)
    paid_at = models.DateTimeField(_("thời điểm nộp phí"), null=True, blank=True)
    receipt_number = models.CharField(_("số biên lai"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("chứng thực bản sao")
        verbose_name_plural = _("chứng thực bản sao")
        ordering = ["-received_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["book", "number"], name="cert_book_number_unique"),
            models.CheckConstraint(
                condition=models.Q(number__isnull=True) | models.Q(book__isnull=False),
                name="cert_number_has_book",
            ),
        ]
        indexes = [models.Index(fields=["unit", "status"], name="cert_unit_status")]

    def __str__(self) -> str:
        return f"{self.unit.code} {self.public_id}"

    @property
    def subject_ref(self) -> str:
        """What the payment order names as its subject (``PaymentOrder.subject_ref``): random, no
        personal data, stable from reception on (the number exists only after certification)."""
        return f"CT-{self.public_id.hex}"

    @property
    def is_paid(self) -> bool:
        return self.paid_at is not None

    @property
    def number_label(self) -> str:
        """``Số chứng thực 12, quyển số 01/2024-SCT/BS`` once numbered, empty before."""
        if self.number is None or self.book is None:
            return ""
        return f"{self.number}, quyển số {self.book.label}"
