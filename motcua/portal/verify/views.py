"""Kiểm tra chữ ký số: anyone uploads a signed PDF and sees, per signature, whether it is intact, who
signed, with which certificate, whether the certificate is trusted, and whether the file was changed
after signing (Luật Giao dịch điện tử 2023 Điều 22–24; ``documents.verification``).

The upload is checked in memory and never stored or logged. Each upload counts against a per-address
limit (``MOTCUA_VERIFY_PER_HOUR``; QUALITY.md security item 11), since checking costs CPU.

By dossier code: the code and the lookup's second factor (the phone on the dossier or the last 4 digits
of the submitter's ID, ``dossiers.queries.lookup_dossier``) show the check of the stored electronic
result (once ready) and of the latest signed forms — signatures only, never the files or personal
data. An unknown code and a wrong second factor get the same answer, and attempts count against the
public lookup's limits per address and per code (``portal.tracking.views.lookup_rules``).
"""

import datetime as dt
import logging

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from motcua.core import throttle
from motcua.documents.verification import verify_pdf
from motcua.dossiers import queries
from motcua.dossiers.signatures import form_checks, result_check
from motcua.portal.tracking.forms import LookupForm
from motcua.portal.tracking.views import lookup_rules
from motcua.portal.verify.forms import VerifyForm

logger = logging.getLogger(__name__)

TEMPLATE = "portal/verify/verify.html"
BY_CODE = "ma-ho-so"


def verify_rule() -> throttle.Rule:
    return throttle.Rule("verify:address", settings.MOTCUA_VERIFY_PER_HOUR, dt.timedelta(hours=1))


def _page(request: HttpRequest, status: int = 200, **context: object) -> HttpResponse:
    context.setdefault("form", VerifyForm())
    context.setdefault("code_form", LookupForm())
    return render(request, TEMPLATE, context, status=status)


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return _page(request)
    if request.POST.get("kiem_tra") == BY_CODE:
        return _verify_by_code(request)
    form = VerifyForm(request.POST, request.FILES)
    if not throttle.consume(verify_rule(), throttle.client_address(request)):
        error = _("Bạn đã kiểm tra quá nhiều tệp. Vui lòng thử lại sau một giờ.")
        return _page(request, 429, error=error)
    if not form.is_valid():
        return _page(request, 400, form=form)
    report = verify_pdf(form.cleaned_data["tep"])
    return _page(request, report=report)


def _verify_by_code(request: HttpRequest) -> HttpResponse:
    form = LookupForm(request.POST)
    if not form.is_valid():
        return _page(request, 400, code_form=form)
    code, factor = form.cleaned_data["ma"], form.cleaned_data["xac_thuc"]
    address = throttle.client_address(request)
    by_address, by_code = lookup_rules()
    if (
        not throttle.consume(verify_rule(), address)
        or not throttle.consume(by_address, address)
        or not throttle.consume(by_code, code)
    ):
        error = _("Bạn đã kiểm tra không thành công quá nhiều lần. Vui lòng thử lại sau.")
        return _page(request, 429, code_form=form, code_error=error)
    dossier = queries.lookup_dossier(code, factor)
    if dossier is None:
        logger.info("signature check by dossier code: no match")  # never the code or the factor
        error = _(
            "Không tìm thấy hồ sơ khớp với thông tin đã nhập. Hãy kiểm tra mã hồ sơ trên giấy tiếp nhận và "
            "số điện thoại hoặc 4 số cuối số định danh của người nộp."
        )
        return _page(request, code_form=form, code_error=error)
    throttle.refund(by_address, address)
    throttle.refund(by_code, code)
    result = result_check(dossier, public=True)
    checks = ([result] if result is not None else []) + form_checks(dossier)
    return _page(
        request, code_form=LookupForm(initial={"ma": dossier.code}), checked_code=dossier.code, checks=checks
    )
