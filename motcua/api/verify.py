"""``POST /api/v1/verify``: check the digital signatures of a PDF (multipart field ``file``).

Public, like the portal page ``portal:verify_signature``: answers 200 with the report of
``documents.verification`` (``ok``, ``error``, one entry per signature: intact, trusted, modified after
signing, signer, certificate, timestamp); 400 for a missing or non-PDF file, 413 above
``MOTCUA_VERIFY_MAX_MB``, 429 when the per-address limit (``MOTCUA_VERIFY_PER_HOUR``) is used up. The
file is never stored. ``GET`` on the same address describes the endpoint.

Instead of ``file``: ``dossier_code`` + ``second_factor`` (the phone on the dossier or the last 4 digits
of the submitter's ID), as form fields or a JSON body, check the dossier's stored electronic result
(once ready) and its latest signed forms: ``{"dossier_code", "result": report | null, "forms":
[{"form", "signed_at", "unchanged", "report"}]}``. An unknown code and a wrong second factor get the
same 404; attempts count against the public lookup's limits per address and per code (the same
counters as ``portal:lookup``), so the API gives no more guesses than the page.
"""

import datetime as dt
import json

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from ninja import Router

from motcua.core import throttle
from motcua.documents.verification import report_as_dict, verify_pdf
from motcua.dossiers import queries
from motcua.dossiers.signatures import FileCheck, form_checks, result_check

router = Router(tags=["verify"])


def _rule() -> throttle.Rule:
    return throttle.Rule("verify:address", settings.MOTCUA_VERIFY_PER_HOUR, dt.timedelta(hours=1))


def _lookup_rules() -> tuple[throttle.Rule, throttle.Rule]:
    """The public lookup's failure limits (same scopes and settings as ``portal.tracking.views``)."""
    return (
        throttle.Rule(
            "lookup:address",
            int(getattr(settings, "MOTCUA_LOOKUP_IP_FAILURES", 10)),
            dt.timedelta(minutes=int(getattr(settings, "MOTCUA_LOOKUP_IP_WINDOW_MINUTES", 15))),
        ),
        throttle.Rule(
            "lookup:code",
            int(getattr(settings, "MOTCUA_LOOKUP_CODE_FAILURES", 5)),
            dt.timedelta(minutes=int(getattr(settings, "MOTCUA_LOOKUP_CODE_WINDOW_MINUTES", 60))),
        ),
    )


def _check_as_dict(check: FileCheck) -> dict[str, object]:
    data = report_as_dict(check.report)
    data["unchanged"] = check.is_unchanged
    data["ok"] = check.ok
    return data


def _code_fields(request: HttpRequest) -> tuple[str, str] | None:
    """``dossier_code`` and ``second_factor`` from form fields or a JSON body; None when absent."""
    fields: dict[str, object] = dict(request.POST.items())
    if request.content_type == "application/json":
        try:
            body = json.loads(request.body or b"{}")
        except ValueError:
            body = {}
        fields = body if isinstance(body, dict) else {}
    if "dossier_code" not in fields and "second_factor" not in fields:
        return None
    return str(fields.get("dossier_code") or "")[:40].strip(), str(fields.get("second_factor") or "")[
        :20
    ].strip()


def verify_dossier(request: HttpRequest, code: str, factor: str) -> HttpResponse:
    if not code or not factor:
        detail = _(
            "Cần cả mã hồ sơ («dossier_code») và số điện thoại hoặc 4 số cuối số định danh («second_factor»)."
        )
        return JsonResponse({"detail": detail}, status=400)
    code = "".join(code.split()).upper()
    address = throttle.client_address(request)
    by_address, by_code = _lookup_rules()
    if not throttle.consume(by_address, address) or not throttle.consume(by_code, code):
        detail = _("Bạn đã kiểm tra không thành công quá nhiều lần. Vui lòng thử lại sau.")
        return JsonResponse({"detail": detail}, status=429)
    dossier = queries.lookup_dossier(code, factor)
    if dossier is None:
        detail = _("Không tìm thấy hồ sơ khớp với mã hồ sơ và thông tin xác nhận đã gửi.")
        return JsonResponse({"detail": detail}, status=404)
    throttle.refund(by_address, address)
    throttle.refund(by_code, code)
    result = result_check(dossier, public=True)
    forms = [
        {
            "form": check.signed_form.form if check.signed_form else "",
            "signed_at": check.signed_form.signed_at.isoformat() if check.signed_form else None,
            **_check_as_dict(check),
        }
        for check in form_checks(dossier)
    ]
    return JsonResponse(
        {
            "dossier_code": dossier.code,
            "result": _check_as_dict(result) if result is not None else None,
            "is_certified_copy": bool(result and result.is_certified_copy),
            "forms": forms,
        }
    )


def verify_pdf_upload(request: HttpRequest) -> HttpResponse:
    if not throttle.consume(_rule(), throttle.client_address(request)):
        return JsonResponse(
            {"detail": _("Bạn đã kiểm tra quá nhiều tệp. Vui lòng thử lại sau một giờ.")}, status=429
        )
    by_code = _code_fields(request) if "file" not in request.FILES else None
    if by_code is not None:
        return verify_dossier(request, *by_code)
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
                "Gửi tệp PDF bằng POST, dạng multipart/form-data, trường «file», để kiểm tra chữ ký số; "
                "hoặc gửi «dossier_code» và «second_factor» (số điện thoại hoặc 4 số cuối số định danh "
                "của người nộp) để kiểm tra kết quả điện tử và các biểu mẫu đã ký của hồ sơ."
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
