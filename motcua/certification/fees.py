"""The certification fee collected through ``motcua.payments``, and its receipt.

TT 226/2016/TT-BTC (as amended) sets the fee for certifying copies from originals (``services.fee_for``);
the body that certifies collects it and gives a receipt (biên lai thu phí, NĐ 61/2018/NĐ-CP Điều 22 for
the one-stop counter). The order names the request by ``Certification.subject_ref`` (random, no personal
data), so payments knows nothing of this app. The amount is the fee computed at reception: the officer
does not type it. A copy is not signed while the fee is unpaid (``services.approve`` for paper copies,
``services.sign_certified_copy`` for electronic ones).
"""

import logging

from django.db import transaction
from django.utils.translation import gettext as _

from motcua.accounts.models import User
from motcua.certification import pdf
from motcua.certification.models import Certification, CertificationStatus
from motcua.certification.permissions import can_approve, can_receive
from motcua.core.errors import Conflict, DomainError, NotFound, PermissionDenied
from motcua.payments import services as payments
from motcua.payments.models import PaymentMethod, PaymentOrder, PaymentStatus
from motcua.payments.money import format_vnd, vnd_in_words

logger = logging.getLogger(__name__)

COUNTER_METHODS = (PaymentMethod.CASH, PaymentMethod.TRANSFER)


def description_for(certification: Certification) -> str:
    return _("Phí chứng thực bản sao từ bản chính: %(pages)d trang × %(copies)d bản") % {
        "pages": certification.pages,
        "copies": certification.copies,
    }


def record_fee_payment(
    *, certification_id: int, by: User, method: str = PaymentMethod.CASH, transfer_reference: str = ""
) -> PaymentOrder:
    """Cash at the counter (or a transfer to the body's account, with its bank reference): a paid order
    for the fee and its numbered receipt, and the request marked paid — all or nothing.

    The justice officer who receives (or the leader) of the certifying unit collects; a request that was
    refused or already paid takes no payment (one receipt per request)."""
    if method not in COUNTER_METHODS:
        raise DomainError(_("Hình thức nộp phí: chọn tiền mặt hoặc chuyển khoản."))
    with transaction.atomic():
        try:
            certification = (
                Certification.objects.select_for_update().select_related("unit").get(pk=certification_id)
            )
        except Certification.DoesNotExist:
            raise NotFound(_("Không tìm thấy yêu cầu chứng thực.")) from None
        if not (can_receive(by, certification.unit) or can_approve(by, certification.unit)):
            raise PermissionDenied(_("Chỉ công chức tư pháp hoặc lãnh đạo đơn vị mới thu phí chứng thực."))
        if certification.is_paid:
            raise Conflict(
                _("Phí chứng thực đã được thu (biên lai số %(number)s).")
                % {"number": certification.receipt_number}
            )
        if certification.status == CertificationStatus.REFUSED:
            raise Conflict(_("Yêu cầu đã bị từ chối chứng thực: không thu phí."))
        order = payments.record_counter_payment(
            subject_ref=certification.subject_ref,
            unit=certification.unit,
            amount_vnd=certification.fee_vnd,
            method=method,
            transfer_reference=transfer_reference,
            description=description_for(certification),
            by=by,
            payer_name=certification.requester_name,
        )
        certification.paid_at = order.paid_at
        certification.receipt_number = order.receipt.number
        certification.save(update_fields=["paid_at", "receipt_number"])
    logger.info(
        "certification fee paid unit=%s id=%s receipt=%s",
        certification.unit.code,
        certification.public_id,
        certification.receipt_number,
    )
    return order


def paid_order(certification: Certification) -> PaymentOrder | None:
    """The paid order of the request's fee, with its receipt (None while unpaid)."""
    return (
        PaymentOrder.objects.filter(subject_ref=certification.subject_ref, status=PaymentStatus.PAID)
        .select_related("receipt", "unit", "unit__parent")
        .order_by("paid_at")
        .first()
    )


def receipt_pdf(certification: Certification) -> bytes:
    """The receipt of the fee as PDF (the layout of the payments receipt, in this app's wording)."""
    order = paid_order(certification)
    receipt = getattr(order, "receipt", None) if order is not None else None
    if order is None or receipt is None:
        raise NotFound(_("Yêu cầu chứng thực này chưa có biên lai thu phí."))
    unit = order.unit
    context = {
        "order": order,
        "receipt": receipt,
        "certification": certification,
        "issuer": {"parent_name": unit.parent.name if unit.parent is not None else "", "name": unit.name},
        "unit": unit,
        "amount": format_vnd(order.amount_vnd),
        "amount_words": vnd_in_words(order.amount_vnd),
        "method": PaymentMethod(order.method).label,
    }
    return pdf.render_pdf("certification/pdf/receipt.html", context)
