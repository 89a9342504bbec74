"""The sandbox bank: a local fake of the external payment system, speaking the protocol of
``providers.sandbox`` (docs/payments.md) from the bank's side.

It keeps its own ledger (``SandboxBankTransaction``), checks the signed checkout request, records the
customer's decision once (a second click on "Pay" never charges twice), sends the signed
server-to-server notice over real HTTP after commit, and answers signed status queries from its ledger
— so a notice lost on the way shows up in the reconciliation, as it would with a real bank.
Only reachable when the sandbox provider is configured (``providers.is_enabled("sandbox")``).
"""

import logging
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from functools import partial
from urllib.parse import urlencode, urlsplit

import httpx
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.core.errors import DomainError
from motcua.payments.models import SandboxBankStatus, SandboxBankTransaction
from motcua.payments.providers import sandbox
from motcua.payments.providers.base import InvalidNotice

logger = logging.getLogger(__name__)


class InvalidCheckout(DomainError):
    """The checkout request was not signed by the merchant, or was changed on the way."""


@dataclass(frozen=True)
class Checkout:
    order_id: str
    amount_vnd: int
    description: str
    return_url: str


def read_checkout(params: Mapping[str, str]) -> Checkout:
    """Check the merchant's signature over the checkout parameters; raise ``InvalidCheckout``."""
    values = {name: params.get(name, "") for name in sandbox.CHECKOUT_FIELDS}
    signature = params.get("sig", "")
    if not all(values.values()) or not signature:
        raise InvalidCheckout(_("Yêu cầu thanh toán thiếu thông tin."))
    if not sandbox.signature_matches(sandbox.canonical_query(values), signature):
        raise InvalidCheckout(
            _("Chữ ký của yêu cầu thanh toán không hợp lệ: số tiền hoặc địa chỉ đã bị sửa.")
        )
    if not values["amount"].isdigit() or int(values["amount"]) <= 0:
        raise InvalidCheckout(_("Số tiền của yêu cầu thanh toán không hợp lệ."))
    if urlsplit(values["return_url"]).scheme not in ("http", "https", ""):
        raise InvalidCheckout(_("Địa chỉ quay về không hợp lệ."))
    return Checkout(
        order_id=values["order_id"][:32],
        amount_vnd=int(values["amount"]),
        description=values["description"][:255],
        return_url=values["return_url"],
    )


def find(order_id: str) -> SandboxBankTransaction | None:
    return SandboxBankTransaction.objects.filter(order_id=order_id).first()


@transaction.atomic
def decide(*, checkout: Checkout, pay: bool) -> SandboxBankTransaction:
    """Record the customer's choice (pay or cancel) once per order and send the notice after commit.

    A decision is final: a repeated click answers with the first decision and sends nothing new."""
    existing = SandboxBankTransaction.objects.select_for_update().filter(order_id=checkout.order_id).first()
    if existing is not None:
        return existing
    txn = SandboxBankTransaction.objects.create(
        order_id=checkout.order_id,
        transaction_id="SBX" + secrets.token_hex(8).upper(),
        amount_vnd=checkout.amount_vnd,
        status=SandboxBankStatus.PAID if pay else SandboxBankStatus.CANCELLED,
        decided_at=timezone.now(),
    )
    transaction.on_commit(partial(deliver_notice, txn.pk))
    return txn


def notice_body(txn: SandboxBankTransaction) -> bytes:
    return sandbox.encode(
        {
            "version": sandbox.VERSION,
            "order_id": txn.order_id,
            "amount": txn.amount_vnd,
            "status": "paid" if txn.status == SandboxBankStatus.PAID else "failed",
            "transaction_id": txn.transaction_id,
            "sent_at": timezone.now().isoformat(),
        }
    )


def deliver_notice(txn_id: int) -> bool:
    """POST the signed notice to the merchant (``PAYMENT_SANDBOX_NOTIFY_URL``); True when acknowledged.

    Runs outside any transaction (after commit): the merchant's server reads our ledger meanwhile.
    A failure is logged without personal data and left for the reconciliation or a later retry."""
    txn = SandboxBankTransaction.objects.get(pk=txn_id)
    body = notice_body(txn)
    SandboxBankTransaction.objects.filter(pk=txn_id).update(notice_attempts=txn.notice_attempts + 1)
    try:
        response = httpx.post(
            settings.PAYMENT_SANDBOX_NOTIFY_URL,
            content=body,
            headers=sandbox.signed_headers(body),
            timeout=settings.PAYMENT_SANDBOX_NOTIFY_TIMEOUT,
        )
    except httpx.HTTPError as exc:
        logger.warning(
            "sandbox bank: notice for order %s not delivered: %s", txn.order_id, type(exc).__name__
        )
        return False
    if response.status_code != 200:
        logger.warning("sandbox bank: notice for order %s answered %s", txn.order_id, response.status_code)
        return False
    SandboxBankTransaction.objects.filter(pk=txn_id).update(notified_at=timezone.now())
    return True


def return_address(checkout: Checkout, txn: SandboxBankTransaction) -> str:
    """Where the browser goes back: the merchant's return page, with the bank's (unsigned) result in
    the query string like real gateways add it. The merchant must not believe it."""
    separator = "&" if "?" in checkout.return_url else "?"
    result = {"status": txn.status, "transaction_id": txn.transaction_id}
    return f"{checkout.return_url}{separator}{urlencode(result)}"


def answer_status_query(raw_request: bytes, signature: str) -> tuple[bytes, str]:
    """The bank's status endpoint: a signed request in, a signed answer out."""
    if not sandbox.signature_matches(raw_request, signature):
        body = sandbox.encode({"error": "invalid signature"})
        return body, sandbox.sign(body)
    try:
        payload = sandbox.parse_json_object(raw_request)
    except InvalidNotice:
        body = sandbox.encode({"error": "malformed"})
        return body, sandbox.sign(body)
    order_id = str(payload.get("order_id", ""))[:32]
    txn = find(order_id)
    if txn is None:
        answer: dict[str, object] = {"order_id": order_id, "status": "unknown"}
    else:
        answer = {
            "order_id": order_id,
            "status": "paid" if txn.status == SandboxBankStatus.PAID else "failed",
            "amount": txn.amount_vnd,
            "transaction_id": txn.transaction_id,
        }
    body = sandbox.encode(answer)
    return body, sandbox.sign(body)
