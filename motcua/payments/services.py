"""The write API of payments: create orders, accept a provider's notice, record counter payments, issue
receipts. Each function runs in the caller's transaction (or its own) and locks the order it changes.

Rules (DOMAIN.md §7; NĐ 61/2018/NĐ-CP Điều 22; QUALITY.md security item 6):
- an online order becomes "paid" only from a notice whose signature over the raw body verifies and
  whose order and amount match, or from the provider's own status answer — never from the browser;
- a notice may arrive several times: the first one that pays the order changes it, the others are
  stored as duplicates and change nothing;
- every notice is stored, forged or not, with what it changed.
"""

import datetime as dt
import secrets
from collections.abc import Mapping
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.accounts.models import User
from motcua.core import numbering
from motcua.core.errors import DomainError, NotFound
from motcua.organizations.models import Unit
from motcua.payments import providers
from motcua.payments.models import (
    NoticeResult,
    PaymentMethod,
    PaymentOrder,
    PaymentStatus,
    ProviderNotice,
    Receipt,
)
from motcua.payments.providers import InvalidNotice, StatusAnswer, VerifiedNotice

_ORDER_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
RECEIPT_SEQUENCE_MAX = 999_999


class PaymentRefused(DomainError):
    """The payment cannot be taken with these data."""


@dataclass
class NoticeOutcome:
    """What a notice did: the stored notice, its order (when known), and whether it paid the order now."""

    notice: ProviderNotice
    order: PaymentOrder | None = None
    newly_paid: bool = False

    @property
    def accepted(self) -> bool:
        """The provider may stop resending: the notice was valid (new or duplicate)."""
        return self.notice.result != NoticeResult.REJECTED


def new_order_id() -> str:
    """``MC`` + local date + 10 random characters: unique, unguessable, no personal data."""
    stamp = timezone.localtime().strftime("%y%m%d")
    return "MC" + stamp + "".join(secrets.choice(_ORDER_ALPHABET) for _ in range(10))


def _vnd(amount: int) -> str:
    return f"{amount:,}".replace(",", ".")


def open_order_for(*, subject_ref: str, amount_vnd: int, provider: str) -> PaymentOrder | None:
    """A pending online order for the same subject, amount and provider that can still be paid."""
    return (
        PaymentOrder.objects.filter(
            subject_ref=subject_ref,
            amount_vnd=amount_vnd,
            provider=provider,
            method=PaymentMethod.ONLINE,
            status=PaymentStatus.PENDING,
            expires_at__gt=timezone.now(),
        )
        .order_by("-created_at")
        .first()
    )


@transaction.atomic
def create_online_order(
    *,
    subject_ref: str,
    unit: Unit,
    amount_vnd: int,
    description: str,
    provider: str,
    by: User,
    payer_name: str,
) -> PaymentOrder:
    """Open an online order, or give back the one still open for the same payment (a double click or a
    second tab does not make two orders). The caller has checked that the subject awaits this amount."""
    providers.get_provider(provider)
    if amount_vnd <= 0:
        raise PaymentRefused(_("Số tiền phải nộp phải lớn hơn 0 đồng."))
    existing = open_order_for(subject_ref=subject_ref, amount_vnd=amount_vnd, provider=provider)
    if existing is not None:
        return existing
    now = timezone.now()
    expire_orders(subject_ref=subject_ref, now=now)
    return PaymentOrder.objects.create(
        order_id=new_order_id(),
        subject_ref=subject_ref,
        unit=unit,
        description=description[:255],
        amount_vnd=amount_vnd,
        method=PaymentMethod.ONLINE,
        provider=provider,
        payer_name=payer_name[:200],
        created_by=by,
        created_at=now,
        expires_at=now + dt.timedelta(minutes=settings.PAYMENT_ORDER_MINUTES),
    )


def issue_receipt(order: PaymentOrder, *, at: dt.datetime) -> Receipt:
    """The receipt of a paid order: ``<agency code>-BL<YY>-<NNNNNN>``, a yearly sequence per unit
    (``core.numbering``: one number per receipt, gaps detectable). Must run inside the transaction that
    marks the order paid; at most one receipt per order."""
    existing = Receipt.objects.filter(order=order).first()
    if existing is not None:
        return existing
    year = timezone.localtime(at).year
    sequence = numbering.next_number(
        scope=f"receipt:{order.unit.code}",
        period=f"{year:04d}",
        reference=order.order_id,
        limit=RECEIPT_SEQUENCE_MAX,
    )
    number = f"{order.unit.code}-BL{year % 100:02d}-{sequence:06d}"
    return Receipt.objects.create(number=number, order=order, issued_at=at)


@transaction.atomic
def record_counter_payment(
    *,
    subject_ref: str,
    unit: Unit,
    amount_vnd: int,
    method: str,
    transfer_reference: str,
    description: str,
    by: User,
    payer_name: str,
) -> PaymentOrder:
    """Money taken at the counter (cash) or seen on the agency's account (transfer, with its bank
    reference): a paid order and its receipt at once (NĐ 61/2018 Điều 22 khoản 1)."""
    if method not in (PaymentMethod.CASH, PaymentMethod.TRANSFER):
        raise PaymentRefused(_("Hình thức nộp tại quầy phải là tiền mặt hoặc chuyển khoản."))
    if amount_vnd <= 0:
        raise PaymentRefused(_("Số tiền đã nộp phải lớn hơn 0 đồng."))
    reference = transfer_reference.strip()
    if method == PaymentMethod.TRANSFER and not reference:
        raise PaymentRefused(_("Số tham chiếu chuyển khoản: bắt buộc khi nộp bằng chuyển khoản."))
    now = timezone.now()
    order = PaymentOrder.objects.create(
        order_id=new_order_id(),
        subject_ref=subject_ref,
        unit=unit,
        description=description[:255],
        amount_vnd=amount_vnd,
        method=method,
        status=PaymentStatus.PAID,
        transfer_reference=reference[:100] if method == PaymentMethod.TRANSFER else "",
        payer_name=payer_name[:200],
        created_by=by,
        created_at=now,
        paid_at=now,
        is_applied=True,
    )
    issue_receipt(order, at=now)
    return order


def _reject(provider: str, raw_body: bytes, signature: str, message: str, **fields: object) -> NoticeOutcome:
    notice = ProviderNotice.objects.create(
        provider=provider[:30],
        raw_body=raw_body.decode("utf-8", errors="replace"),
        signature=signature,
        result=NoticeResult.REJECTED,
        message=message[:500],
        **fields,
    )
    return NoticeOutcome(notice=notice, order=notice.order)


@transaction.atomic
def accept_notice(*, provider: str, raw_body: bytes, headers: Mapping[str, str]) -> NoticeOutcome:
    """Store a provider's notice and apply it to its order at most once.

    Verify the signature over the exact bytes received (nothing is parsed before), then the order
    (known, of this provider) and the amount (equal to the order's). A valid "paid" notice for an order
    not yet paid marks it paid, with the provider's transaction id, and issues its receipt
    (``newly_paid``); the caller credits the subject in the same transaction. A valid "failed" notice
    fails a pending order. Anything else is stored and changes nothing."""
    adapter = providers.get_provider(provider)
    signature = adapter.signature_of(headers)
    try:
        verified = adapter.verify_notice(raw_body, headers)
    except InvalidNotice as exc:
        return _reject(provider, raw_body, signature, exc.message)
    order = (
        PaymentOrder.objects.select_for_update().filter(order_id=verified.order_id, provider=provider).first()
    )
    valid = {"is_signature_valid": True, "order_ref": verified.order_id}
    if order is None:
        return _reject(
            provider,
            raw_body,
            signature,
            _("Không có giao dịch %(id)s.") % {"id": verified.order_id},
            **valid,
        )
    if verified.amount_vnd != order.amount_vnd:
        return _reject(
            provider,
            raw_body,
            signature,
            _("Số tiền %(got)s đồng khác số tiền của giao dịch %(want)s đồng.")
            % {"got": _vnd(verified.amount_vnd), "want": _vnd(order.amount_vnd)},
            order=order,
            **valid,
        )
    result, message, newly_paid = _apply(order, verified)
    notice = ProviderNotice.objects.create(
        provider=provider,
        order=order,
        raw_body=raw_body.decode("utf-8", errors="replace"),
        signature=signature,
        result=result,
        message=message[:500],
        **valid,
    )
    return NoticeOutcome(notice=notice, order=order, newly_paid=newly_paid)


def _apply(order: PaymentOrder, verified: VerifiedNotice | StatusAnswer) -> tuple[str, str, bool]:
    """Change the locked order once; answer (result, message, newly paid)."""
    if order.status == PaymentStatus.PAID:
        if verified.transaction_id and verified.transaction_id != order.provider_txn_id:
            return NoticeResult.DUPLICATE, _("Giao dịch đã thanh toán với mã ngân hàng khác."), False
        return NoticeResult.DUPLICATE, _("Giao dịch đã được ghi nhận trước đó."), False
    if verified.status == "failed":
        if order.status == PaymentStatus.PENDING:
            order.status = PaymentStatus.FAILED
            order.save(update_fields=["status"])
            return NoticeResult.FAILED, _("Ngân hàng báo thanh toán không thành công."), False
        return NoticeResult.DUPLICATE, _("Giao dịch đã ở trạng thái kết thúc."), False
    # Paid at the bank: the money is taken, even for an order that had expired or failed here.
    now = timezone.now()
    order.status = PaymentStatus.PAID
    order.paid_at = now
    order.provider_txn_id = verified.transaction_id[:64]
    order.save(update_fields=["status", "paid_at", "provider_txn_id"])
    issue_receipt(order, at=now)
    return NoticeResult.APPLIED, _("Đã thanh toán."), True


def settle(outcome: NoticeOutcome, *, applied: bool, message: str = "") -> None:
    """Record whether the newly paid order was credited to its subject (called in the same transaction
    as ``accept_notice``). A payment that could not be credited is kept for a refund."""
    if outcome.order is None or not outcome.newly_paid:
        return
    order = outcome.order
    order.is_applied = applied
    fields = ["is_applied"]
    if not applied:
        order.note = message[:500]
        fields.append("note")
        outcome.notice.result = NoticeResult.PAID_NOT_APPLIED
        outcome.notice.message = message[:500]
        outcome.notice.save(update_fields=["result", "message"])
    order.save(update_fields=fields)


@transaction.atomic
def confirm_from_status(*, order_id: str) -> tuple[PaymentOrder, bool]:
    """Ask the provider about a pending order and, when the provider's signed answer says paid with the
    order's amount, mark it paid (the status query is proof, DOMAIN.md §7). Answers (order, newly paid)."""
    order = PaymentOrder.objects.select_for_update().filter(order_id=order_id).first()
    if order is None or order.method != PaymentMethod.ONLINE:
        raise NotFound(_("Không có giao dịch %(id)s.") % {"id": order_id[:32]})
    if order.status == PaymentStatus.PAID:
        return order, False
    answer = providers.get_provider(order.provider).query_status(order)
    if answer.status != "paid" or answer.amount_vnd != order.amount_vnd:
        return order, False
    _result, _message, newly_paid = _apply(order, answer)
    return order, newly_paid


def expire_orders(*, subject_ref: str, now: dt.datetime) -> int:
    """Mark the subject's pending online orders past their time as expired. A bank notice that still
    comes for one pays it (the money was taken); the reconciliation shows whether it was credited."""
    return PaymentOrder.objects.filter(
        subject_ref=subject_ref,
        method=PaymentMethod.ONLINE,
        status=PaymentStatus.PENDING,
        expires_at__lte=now,
    ).update(status=PaymentStatus.EXPIRED)
