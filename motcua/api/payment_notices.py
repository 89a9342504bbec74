"""``POST /api/v1/payments/notices/<provider>``: the payment provider's server-to-server notice.

Public and CSRF-exempt (a machine calls it, with no session): trust comes only from the signature over
the raw body, checked by the provider adapter before anything is parsed, then the order and the amount
(``dossiers.services.fees.confirm_online_payment``, one service call). Answers:

- 200 ``{"code": "00", "result": ...}`` — accepted (new, failed-at-bank, duplicate or replay): the
  provider may stop resending; a duplicate changed nothing;
- 400 ``{"code": "97", "detail": ...}`` — refused (bad signature, unknown order, wrong amount, malformed,
  stale): nothing changed; the notice is stored for the audit either way;
- 404 — the provider is not configured here.

``GET`` on the same address answers what the endpoint expects (for the provider's set-up check); it
changes nothing.
"""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from ninja import Router

from motcua.dossiers.services import confirm_online_payment
from motcua.payments import providers

router = Router(tags=["payments"])
# A notice is a few hundred bytes; anything much larger is not one (and is not stored).
MAX_NOTICE_BYTES = 16 * 1024


def _not_configured(code: str) -> HttpResponse:
    return JsonResponse({"detail": _("Không có đơn vị thanh toán «%(code)s».") % {"code": code}}, status=404)


def _notice_view(code: str) -> Callable[[HttpRequest], HttpResponse]:
    def receive(request: HttpRequest) -> HttpResponse:
        if not providers.is_enabled(code):
            return _not_configured(code)
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = MAX_NOTICE_BYTES + 1
        if length > MAX_NOTICE_BYTES:
            detail = _("Thông báo quá lớn (tối đa %(n)d byte).") % {"n": MAX_NOTICE_BYTES}
            return JsonResponse({"code": "97", "detail": detail}, status=413)
        outcome = confirm_online_payment(provider=code, raw_body=request.body, headers=request.headers)
        if outcome.accepted:
            return JsonResponse({"code": "00", "result": outcome.notice.result})
        return JsonResponse({"code": "97", "detail": outcome.notice.message}, status=400)

    return receive


def _describe_view(code: str) -> Callable[[HttpRequest], HttpResponse]:
    def describe(request: HttpRequest) -> HttpResponse:
        if not providers.is_enabled(code):
            return _not_configured(code)
        return JsonResponse(
            {
                "provider": code,
                "detail": _(
                    "Gửi thông báo thanh toán bằng POST, nội dung JSON, có chữ ký trên toàn bộ nội dung."
                ),
            }
        )

    return describe


for _code in providers.KNOWN:
    router.add_api_operation(
        f"/notices/{_code}",
        ["POST"],
        _notice_view(_code),
        url_name=f"payment_notice_{_code}",
        operation_id=f"payment_notice_{_code}",
        summary=f"Thông báo thanh toán từ {_code}",
    )
    router.add_api_operation(
        f"/notices/{_code}",
        ["GET"],
        _describe_view(_code),
        url_name=f"payment_notice_{_code}",
        operation_id=f"payment_notice_{_code}_describe",
        summary=f"Mô tả địa chỉ nhận thông báo của {_code}",
    )
