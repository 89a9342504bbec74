"""Fee payments (nộp phí, lệ phí): orders, the provider's notices, receipts, and the sandbox bank's ledger.

Payments sit below dossiers: an order names what it pays for by a reference string (the dossier code),
never by a foreign key, so this app knows nothing of dossiers. Channels follow NĐ 61/2018/NĐ-CP Điều 22:
cash or transfer at the counter, or online through the payment function of the one-stop system. The
browser redirect is never proof of payment (DOMAIN.md §7): only a verified server-to-server notice
(``ProviderNotice``) or a status query moves an online order to "paid", exactly once.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.organizations.models import Unit


class PaymentStatus(models.TextChoices):
    PENDING = "pending", _("Chờ thanh toán")
    PAID = "paid", _("Đã thanh toán")
    FAILED = "failed", _("Thanh toán không thành công")
    EXPIRED = "expired", _("Hết hạn thanh toán")


class PaymentMethod(models.TextChoices):
    ONLINE = "online", _("Trực tuyến")
    CASH = "cash", _("Tiền mặt tại Bộ phận Một cửa")
    TRANSFER = "transfer", _("Chuyển khoản vào tài khoản của cơ quan")


class PaymentOrder(models.Model):
    """One request to pay an amount for a subject (a dossier, by its code).

    Online orders start ``pending`` and change only through ``payments.services`` on a verified notice
    or status answer; counter orders (cash, transfer) are created ``paid`` by the officer who collected
    the money. ``is_applied`` says whether the payment was credited to its subject; a paid order that
    could not be credited (the dossier was paid at the counter meanwhile, or withdrawn) is listed by the
    reconciliation for a refund.
    """

    order_id = models.CharField(_("mã giao dịch"), max_length=32, unique=True)
    subject_ref = models.CharField(_("mã hồ sơ"), max_length=40, db_index=True)
    unit = models.ForeignKey(
        Unit, verbose_name=_("đơn vị thu"), on_delete=models.PROTECT, related_name="payment_orders"
    )
    description = models.CharField(_("nội dung thanh toán"), max_length=255)
    amount_vnd = models.PositiveBigIntegerField(_("số tiền (đồng)"))
    method = models.CharField(_("hình thức"), max_length=10, choices=PaymentMethod.choices)
    provider = models.CharField(_("đơn vị cung cấp dịch vụ thanh toán"), max_length=30, blank=True)
    status = models.CharField(
        _("trạng thái"), max_length=10, choices=PaymentStatus.choices, default=PaymentStatus.PENDING
    )
    provider_txn_id = models.CharField(_("mã giao dịch tại ngân hàng"), max_length=64, blank=True)
    transfer_reference = models.CharField(_("số tham chiếu chuyển khoản"), max_length=100, blank=True)
    payer_name = models.CharField(_("người nộp tiền"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("thời điểm tạo"), default=timezone.now, db_index=True)
    expires_at = models.DateTimeField(_("hạn thanh toán"), null=True, blank=True)
    paid_at = models.DateTimeField(_("thời điểm thanh toán"), null=True, blank=True)
    is_applied = models.BooleanField(_("đã ghi nhận vào hồ sơ"), default=False)
    note = models.CharField(_("ghi chú"), max_length=500, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("giao dịch thanh toán")
        verbose_name_plural = _("giao dịch thanh toán")
        indexes = [models.Index(fields=["status", "created_at"], name="payment_status_created")]
        constraints = [
            models.CheckConstraint(condition=Q(amount_vnd__gt=0), name="payment_amount_positive"),
            models.CheckConstraint(
                condition=~Q(method="online") | ~Q(provider=""), name="payment_online_has_provider"
            ),
            models.CheckConstraint(
                condition=~Q(status="paid") | Q(paid_at__isnull=False), name="payment_paid_has_time"
            ),
            models.UniqueConstraint(
                fields=["provider", "provider_txn_id"],
                condition=~Q(provider_txn_id=""),
                name="payment_provider_txn_unique",
            ),
        ]

    def __str__(self) -> str:
        return self.order_id

    @property
    def is_paid(self) -> bool:
        return self.status == PaymentStatus.PAID


class NoticeResult(models.TextChoices):
    APPLIED = "applied", _("Đã ghi nhận thanh toán vào hồ sơ")
    PAID_NOT_APPLIED = (
        "paid_not_applied",
        _("Đã thanh toán nhưng không ghi nhận được vào hồ sơ (cần hoàn tiền)"),
    )
    FAILED = "failed", _("Ngân hàng báo thanh toán không thành công")
    DUPLICATE = "duplicate", _("Thông báo lặp lại: không thay đổi gì")
    REJECTED = "rejected", _("Từ chối: thông báo không hợp lệ")


class ProviderNotice(models.Model):
    """Every server-to-server notice as received: the raw body (what the signature covers), whether the
    signature verified, and what it changed. Replays and forgeries are kept too; they change nothing."""

    provider = models.CharField(max_length=30)
    order = models.ForeignKey(
        PaymentOrder, null=True, blank=True, on_delete=models.PROTECT, related_name="notices"
    )
    order_ref = models.CharField(_("mã giao dịch trong thông báo"), max_length=64, blank=True)
    raw_body = models.TextField()
    signature = models.CharField(max_length=200, blank=True)
    is_signature_valid = models.BooleanField(default=False)
    result = models.CharField(max_length=20, choices=NoticeResult.choices)
    message = models.CharField(max_length=500, blank=True)
    received_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["received_at", "id"]
        verbose_name = _("thông báo của ngân hàng")
        verbose_name_plural = _("thông báo của ngân hàng")

    def __str__(self) -> str:
        return f"{self.provider} {self.order_ref} {self.result}"


class Receipt(models.Model):
    """The receipt (biên lai thu phí, lệ phí) that accompanies the dossier (NĐ 61/2018 Điều 22).

    ``number`` is ``<agency code>-BL<YY>-<NNNNNN>``, a yearly sequence per collecting unit handed out by
    ``core.numbering`` (gap-audited like dossier codes)."""

    number = models.CharField(_("số biên lai"), max_length=40, unique=True)
    order = models.OneToOneField(PaymentOrder, on_delete=models.PROTECT, related_name="receipt")
    issued_at = models.DateTimeField(_("ngày lập"))

    class Meta:
        ordering = ["-issued_at"]
        verbose_name = _("biên lai")
        verbose_name_plural = _("biên lai")

    def __str__(self) -> str:
        return self.number


class SandboxBankStatus(models.TextChoices):
    PAID = "paid", _("Đã trừ tiền")
    CANCELLED = "cancelled", _("Khách hàng hủy")


class SandboxBankTransaction(models.Model):
    """The ledger of the sandbox bank, a local fake of an external system (``providers.sandbox_bank``).

    It is the bank's own record, kept apart from ``PaymentOrder`` so that status queries and the
    reconciliation compare two independent books, as they would with a real provider."""

    order_id = models.CharField(max_length=32, unique=True)
    transaction_id = models.CharField(max_length=64, unique=True)
    amount_vnd = models.PositiveBigIntegerField()
    status = models.CharField(max_length=10, choices=SandboxBankStatus.choices)
    decided_at = models.DateTimeField()
    notice_attempts = models.PositiveIntegerField(default=0)
    notified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["decided_at", "id"]

    def __str__(self) -> str:
        return f"{self.order_id} {self.status}"
