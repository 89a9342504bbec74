"""``POST /api/v1/verify``: check the digital signatures of a PDF (multipart field ``file``).

Public, like the portal page ``portal:verify_signature``: answers 200 with the report of
``documents.verification`` (``ok``, ``error``, one entry per signature: intact, trusted, modified after
signing, signer, certificate, timestamp); 400 for a missing or non-PDF file, 413 above
``MOTCUA_VERIFY_MAX_MB``, 429 when the per-address limit (``MOTCUA_VERIFY_PER_HOUR``) is used up. The
file is never stored. ``GET`` on the same address describes the endpoint.
"""

import datetime as dt

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from ninja import Router

from motcua.core import throttle
from motcua.documents.verification import report_as_dict, verify_pdf

router = Router(tags=["verify"])


def _rule() -> throttle.Rule:
    return throttle.Rule("verify:address", settings.MOTCUA_VERIFY_PER_HOUR, dt.timedelta(hours=1))


def verify_pdf_upload(request: HttpRequest) -> HttpResponse:
    if not throttle.consume(_rule(), throttle.client_address(request)):
        return JsonResponse(
            {"detail": _("Bạn đã kiểm tra quá nhiều tệp. Vui lòng thử lại sau một giờ.")}, status=429
        )
    upload = request.FILES.get("file")
    if upload is None:
        return JsonResponse({"detail": _("Thiếu tệp PDF cần kiểm tra (trường «file»).")}, status=400)
    limit = settings.MOTCUA_VERIFY_MAX_BYTES
    if upload.size is not None and upload.size > limit:
        detail = _("Tệp PDF cần kiểm tra lớn hơn %(mb)d MB.") % {"mb": limit // (1024 * 1024)}
        return JsonResponse({"detail": detail}, status=413)
    data = upload.read(limit + 1)
    if not data.startswith(b"%PDF-"):
        return JsonResponse({"detail": _("Tệp «file» không phải là tệp PDF.")}, status=400)
    return JsonResponse(report_as_dict(verify_pdf(data)))


def describe(request: HttpRequest) -> HttpResponse:
    return JsonResponse(
        {
            "detail": _(
                "Gửi tệp PDF bằng POST, dạng multipart/form-data, trường «file», để kiểm tra chữ ký số."
            )
        }
    )


router.add_api_operation(
    "",
    ["POST"],
    verify_pdf_upload,
    url_name="verify_pdf",
    operation_id="verify_pdf",
    summary="Kiểm tra chữ ký số của tệp PDF",
)
router.add_api_operation(
    "",
    ["GET"],
    describe,
    url_name="verify_pdf",
    operation_id="verify_pdf_describe",
    summary="Mô tả cách kiểm tra chữ ký số",
)
