"""Fees of a dossier paid online or at the counter, and the receipt (NĐ 61/2018/NĐ-CP Điều 22).

The dossier asks for its fees with ``holds.request_payment`` (national status 6). This module connects
the dossier to ``motcua.payments``: it opens an online order for the applicant's own dossier, credits
a verified provider notice to the dossier exactly once (``holds.record_payment_by_provider``), records
cash or a transfer taken at the counter (``holds.record_payment``) and renders the receipt. The browser
coming back from the bank changes nothing (DOMAIN.md §7): only ``confirm_online_payment`` (a signed
server-to-server notice) or ``confirm_by_status_query`` (the provider's own signed answer) do.
"""

import functools
from collections.abc import Mapping
from pathlib import Path

import weasyprint  # type: ignore[import-untyped]
from django.conf import settings
from django.db import transaction
from django.template import Context, Engine
from django.template.backends.django import get_installed_libraries
from django.utils import translation
from django.utils.translation import gettext as _

import motcua.payments
from motcua.accounts.models import User
from motcua.core.errors import DomainError, NotFound
from motcua.dossiers import permissions
from motcua.dossiers.models import Dossier
from motcua.dossiers.pdf import render
from motcua.dossiers.services._core import lock_dossier, require_status
from motcua.dossiers.services.holds import record_payment, record_payment_by_provider
from motcua.dossiers.workflow import Status
from motcua.payments import providers
from motcua.payments import services as payments
from motcua.payments.models import PaymentMethod, PaymentOrder
from motcua.payments.money import format_vnd, vnd_in_words
from motcua.payments.services import NoticeOutcome

PAYMENTS_TEMPLATES = Path(motcua.payments.__file__).resolve().parent / "templates"


def description_for(dossier: Dossier) -> str:
    return _("Nộp phí, lệ phí hồ sơ %(code)s") % {"code": dossier.code}


def gateway_name(provider: str) -> str:
    """Who the PAID event names as its actor when the payment came through a provider."""
    return f"{_('Cổng thanh toán')}: {providers.KNOWN[provider].label}"


@transaction.atomic
def start_online_payment(*, dossier_id: int, by: User, provider: str) -> PaymentOrder:
    """Open (or reuse) the online order for the fee the dossier awaits. Only the applicant who owns the
    dossier may pay online for it here; anyone else gets "not found"."""
    dossier = lock_dossier(dossier_id)
    if dossier.applicant_user_id is None or dossier.applicant_user_id != by.pk:
        raise NotFound(_("Không tìm thấy hồ sơ."))
    require_status(dossier, {Status.AWAITING_PAYMENT}, _("thanh toán phí, lệ phí"))
    return payments.create_online_order(
        subject_ref=dossier.code,
        unit=dossier.receiving_unit,
        amount_vnd=dossier.fee_vnd,
        description=description_for(dossier),
        provider=provider,
        by=by,
        payer_name=dossier.applicant_name,
    )


def _credit(order: PaymentOrder, receipt_number: str) -> str:
    """Record the paid order on its dossier; answer "" on success or why it could not be credited."""
    dossier_id = Dossier.objects.filter(code=order.subject_ref).values_list("pk", flat=True).first()
    if dossier_id is None:
        return _("Không tìm thấy hồ sơ %(code)s.") % {"code": order.subject_ref}
    try:
        record_payment_by_provider(
            dossier_id=dossier_id,
            provider_name=gateway_name(order.provider),
            amount_vnd=order.amount_vnd,
            receipt_number=receipt_number,
        )
    except DomainError as exc:
        return exc.message
    return ""


@transaction.atomic
def confirm_online_payment(*, provider: str, raw_body: bytes, headers: Mapping[str, str]) -> NoticeOutcome:
    """The provider's server-to-server notice: verify it (signature over the raw body, order, amount),
    mark the order paid once and, in the same transaction, record the payment on the dossier
    (AWAITING_PAYMENT → PROCESSING, or PROCESSED when only the fee was pending). Duplicates and replays
    are stored and change nothing. A payment the dossier can no longer take (paid at the counter
    meanwhile, withdrawn) stays paid and is listed by the reconciliation for a refund."""
    outcome = payments.accept_notice(provider=provider, raw_body=raw_body, headers=headers)
    if outcome.newly_paid and outcome.order is not None:
        problem = _credit(outcome.order, outcome.order.receipt.number)
        payments.settle(outcome, applied=not problem, message=problem)
    return outcome


@transaction.atomic
def confirm_by_status_query(*, order_id: str) -> PaymentOrder:
    """Ask the provider about an order whose notice never came; when its signed answer says paid with
    the order's amount, mark it paid and credit the dossier like a notice would."""
    order, newly_paid = payments.confirm_from_status(order_id=order_id)
    if newly_paid:
        problem = _credit(order, order.receipt.number)
        order.is_applied = not problem
        order.note = problem[:500]
        order.save(update_fields=["is_applied", "note"])
    return order


@transaction.atomic
def record_counter_payment(
    *,
    dossier_id: int,
    by: User,
    method: str,
    amount_vnd: int,
    transfer_reference: str = "",
    expected_version: int | None = None,
) -> PaymentOrder:
    """Cash at the counter or a transfer to the agency's account (with the bank reference): a paid
    order and its receipt, and the payment recorded on the dossier with the receipt number — all or
    nothing (the officer's permission and the amount are checked by ``holds.record_payment``)."""
    dossier = lock_dossier(dossier_id, expected_version)
    require_status(dossier, {Status.AWAITING_PAYMENT}, _("ghi nhận nộp phí, lệ phí"))
    permissions.require(
        permissions.can_handle_payment(by, dossier),
        _("Bạn không có quyền ghi nhận nộp phí, lệ phí cho hồ sơ %(code)s.") % {"code": dossier.code},
    )
    order = payments.record_counter_payment(
        subject_ref=dossier.code,
        unit=dossier.receiving_unit,
        amount_vnd=amount_vnd,
        method=method,
        transfer_reference=transfer_reference,
        description=description_for(dossier),
        by=by,
        payer_name=dossier.applicant_name,
    )
    record_payment(
        dossier_id=dossier.pk,
        by=by,
        amount_vnd=amount_vnd,
        receipt_number=order.receipt.number,
        is_online=False,
    )
    return order


# --- the receipt (read only) --------------------------------------------------------------------------


@functools.cache
def _receipt_engine() -> Engine:
    """The PDF engine of the official forms (fonts, CSS, date filters) plus the receipt template."""
    return Engine(
        dirs=[str(render.TEMPLATE_DIR), str(PAYMENTS_TEMPLATES)],
        app_dirs=False,
        autoescape=True,
        debug=settings.DEBUG,
        string_if_invalid="",
        libraries=dict(get_installed_libraries()),
        builtins=["motcua.dossiers.pdf.filters"],
    )


def receipt_pdf(order: PaymentOrder) -> bytes:
    """The receipt of a paid order as PDF (Vietnamese, Liberation Serif, no network)."""
    receipt = getattr(order, "receipt", None)
    if receipt is None:
        raise NotFound(_("Giao dịch %(id)s chưa có biên lai.") % {"id": order.order_id})
    dossier = Dossier.objects.select_related("procedure").filter(code=order.subject_ref).first()
    context = {
        "order": order,
        "receipt": receipt,
        "issuer": {
            "parent_name": order.unit.parent.name if order.unit.parent is not None else "",
            "name": order.unit.name,
        },
        "show_number": True,
        "number": receipt.number,
        "issued_at": receipt.issued_at,
        "unit": order.unit,
        "dossier": dossier,
        "amount": format_vnd(order.amount_vnd),
        "amount_words": vnd_in_words(order.amount_vnd),
        "method": PaymentMethod(order.method).label,
        "provider": providers.KNOWN[order.provider].label if order.provider in providers.KNOWN else "",
    }
    with translation.override("vi"):
        html = _receipt_engine().get_template("payments/pdf/receipt.html").render(Context(context))
    document = weasyprint.HTML(
        string=html, base_url=render.PDF_DIR.as_uri() + "/", url_fetcher=render.LocalOnlyURLFetcher()
    )
    pdf: bytes = document.write_pdf()
    return pdf
