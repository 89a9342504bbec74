"""The sandbox provider: our side of the protocol spoken by the local sandbox bank (``sandbox_bank``).

The protocol (docs/payments.md) is the usual shape of Vietnamese payment gateways and of the national
payment platform (INIT with a checksum, redirect, signed notice, status query), with one signature
scheme everywhere: HMAC-SHA256 with the shared secret ``PAYMENT_SANDBOX_SECRET``, hex-encoded.

- Checkout: the browser is sent to ``PAYMENT_SANDBOX_BANK_URL`` with the query parameters
  ``order_id, amount, description, return_url, ts`` and ``sig`` = HMAC over the canonical query string
  (the other parameters sorted by name, percent-encoded, joined with ``&``), so the amount and the return
  address cannot be changed on the way.
- Notice: the bank POSTs JSON ``{"version", "order_id", "amount", "status": "paid"|"failed",
  "transaction_id", "sent_at"}`` with the header ``X-Sandbox-Signature: sha256=<HMAC over the raw body>``.
  We verify the signature over the exact bytes received before parsing anything, and refuse notices
  whose ``sent_at`` is further than ``PAYMENT_NOTICE_MAX_AGE_SECONDS`` from our clock.
- Status query: a signed JSON request ``{"version", "order_id", "ts"}``; the bank answers a signed JSON
  ``{"order_id", "status", "amount", "transaction_id"}``. The sandbox bank runs in this process, so the
  query is a function call carrying the same signed bytes a real provider would get over HTTPS.
"""

import datetime as dt
import hashlib
import hmac
import json
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, urlencode

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from motcua.payments.providers.base import InvalidNotice, ProviderUnavailable, StatusAnswer, VerifiedNotice

if TYPE_CHECKING:
    from motcua.payments.models import PaymentOrder

CODE = "sandbox"
VERSION = "1"
SIGNATURE_HEADER = "X-Sandbox-Signature"
SIGNATURE_PREFIX = "sha256="
CHECKOUT_FIELDS = ("order_id", "amount", "description", "return_url", "ts")


def sign(data: bytes) -> str:
    """HMAC-SHA256 of ``data`` with the shared secret, hex."""
    return hmac.new(settings.PAYMENT_SANDBOX_SECRET.encode(), data, hashlib.sha256).hexdigest()


def signature_matches(data: bytes, signature: str) -> bool:
    """Constant-time comparison (QUALITY.md security item 6)."""
    return hmac.compare_digest(sign(data), signature)


def canonical_query(params: Mapping[str, str]) -> bytes:
    """The bytes the checkout signature covers: parameters sorted by name, percent-encoded."""
    return "&".join(f"{key}={quote(str(params[key]), safe='')}" for key in sorted(params)).encode()


def checkout_params(*, order_id: str, amount_vnd: int, description: str, return_url: str) -> dict[str, str]:
    params = {
        "order_id": order_id,
        "amount": str(amount_vnd),
        "description": description,
        "return_url": return_url,
        "ts": timezone.now().strftime("%Y%m%d%H%M%S"),
    }
    params["sig"] = sign(canonical_query(params))
    return params


def encode(payload: Mapping[str, Any]) -> bytes:
    return json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def signed_headers(body: bytes) -> dict[str, str]:
    return {
        "Content-Type": "application/json; charset=utf-8",
        SIGNATURE_HEADER: SIGNATURE_PREFIX + sign(body),
    }


def _signature_from(headers: Mapping[str, str]) -> str:
    value = headers.get(SIGNATURE_HEADER, "") or ""
    return value[len(SIGNATURE_PREFIX) :] if value.startswith(SIGNATURE_PREFIX) else ""


def _parse_instant(value: object) -> dt.datetime:
    if not isinstance(value, str):
        raise InvalidNotice(_("Trường sent_at phải là thời điểm ISO 8601 có múi giờ."))
    try:
        instant = dt.datetime.fromisoformat(value)
    except ValueError:
        raise InvalidNotice(_("Trường sent_at phải là thời điểm ISO 8601 có múi giờ.")) from None
    if instant.tzinfo is None or instant.utcoffset() is None:
        raise InvalidNotice(_("Trường sent_at thiếu múi giờ."))
    return instant


def _require_text(payload: Mapping[str, Any], name: str, max_length: int) -> str:
    value = payload.get(name)
    if not isinstance(value, str) or not value.strip() or len(value) > max_length:
        raise InvalidNotice(_("Trường %(name)s thiếu hoặc không hợp lệ.") % {"name": name})
    return value


def _require_amount(payload: Mapping[str, Any]) -> int:
    value = payload.get("amount")
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise InvalidNotice(_("Trường amount phải là số nguyên đồng lớn hơn 0."))
    return value


def parse_json_object(raw: bytes) -> dict[str, Any]:
    try:
        payload = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise InvalidNotice(_("Nội dung thông báo không phải JSON UTF-8.")) from None
    if not isinstance(payload, dict):
        raise InvalidNotice(_("Nội dung thông báo phải là một đối tượng JSON."))
    if payload.get("version") not in (None, VERSION):
        raise InvalidNotice(
            _("Phiên bản giao thức %(v)s không được hỗ trợ.") % {"v": str(payload["version"])[:10]}
        )
    return payload


class SandboxProvider:
    code = CODE
    label = gettext_lazy("Ngân hàng thử nghiệm (sandbox)")

    def checkout_url(self, order: "PaymentOrder", *, return_url: str) -> str:
        params = checkout_params(
            order_id=order.order_id,
            amount_vnd=order.amount_vnd,
            description=order.description,
            return_url=return_url,
        )
        return f"{settings.PAYMENT_SANDBOX_BANK_URL}?{urlencode(params)}"

    def signature_of(self, headers: Mapping[str, str]) -> str:
        return (headers.get(SIGNATURE_HEADER, "") or "")[:200]

    def verify_notice(self, raw_body: bytes, headers: Mapping[str, str]) -> VerifiedNotice:
        signature = _signature_from(headers)
        if not signature or not signature_matches(raw_body, signature):
            raise InvalidNotice(_("Chữ ký của thông báo không hợp lệ."))
        payload = parse_json_object(raw_body)
        status = payload.get("status")
        if status not in ("paid", "failed"):
            raise InvalidNotice(_("Trường status phải là paid hoặc failed."))
        sent_at = _parse_instant(payload.get("sent_at"))
        age = abs((timezone.now() - sent_at).total_seconds())
        if age > settings.PAYMENT_NOTICE_MAX_AGE_SECONDS:
            raise InvalidNotice(
                _("Thông báo gửi lúc %(at)s đã quá thời gian hiệu lực.") % {"at": sent_at.isoformat()}
            )
        return VerifiedNotice(
            order_id=_require_text(payload, "order_id", 32),
            amount_vnd=_require_amount(payload),
            status=status,
            transaction_id=_require_text(payload, "transaction_id", 64),
            sent_at=sent_at,
        )

    def query_status(self, order: "PaymentOrder") -> StatusAnswer:
        from motcua.payments.providers import sandbox_bank

        request = encode(
            {"version": VERSION, "order_id": order.order_id, "ts": timezone.now().strftime("%Y%m%d%H%M%S")}
        )
        body, signature = sandbox_bank.answer_status_query(request, sign(request))
        if not signature_matches(body, signature):
            raise ProviderUnavailable(_("Câu trả lời tra cứu trạng thái không có chữ ký hợp lệ."))
        try:
            payload = parse_json_object(body)
        except InvalidNotice as exc:
            raise ProviderUnavailable(exc.message) from None
        status = payload.get("status")
        if payload.get("order_id") != order.order_id or status not in (
            "paid",
            "failed",
            "pending",
            "unknown",
        ):
            raise ProviderUnavailable(_("Câu trả lời tra cứu trạng thái không khớp giao dịch."))
        amount = payload.get("amount")
        return StatusAnswer(
            order_id=order.order_id,
            status=status,
            amount_vnd=amount if isinstance(amount, int) and not isinstance(amount, bool) else None,
            transaction_id=str(payload.get("transaction_id") or ""),
        )
