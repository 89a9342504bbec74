"""Kiểm tra chữ ký số: anyone uploads a signed PDF and sees, per signature, whether it is intact, who
signed, with which certificate, whether the certificate is trusted, and whether the file was changed
after signing (Luật Giao dịch điện tử 2023 Điều 22–24; ``documents.verification``).

The upload is checked in memory and never stored or logged. Each upload counts against a per-address
limit (``MOTCUA_VERIFY_PER_HOUR``; QUALITY.md security item 11), since checking costs CPU.
"""

import datetime as dt

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from motcua.core import throttle
from motcua.documents.verification import verify_pdf
from motcua.portal.verify.forms import VerifyForm

TEMPLATE = "portal/verify/verify.html"


def verify_rule() -> throttle.Rule:
    return throttle.Rule("verify:address", settings.MOTCUA_VERIFY_PER_HOUR, dt.timedelta(hours=1))


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return render(request, TEMPLATE, {"form": VerifyForm()})
    form = VerifyForm(request.POST, request.FILES)
    if not throttle.consume(verify_rule(), throttle.client_address(request)):
        error = _("Bạn đã kiểm tra quá nhiều tệp. Vui lòng thử lại sau một giờ.")
        return render(request, TEMPLATE, {"form": VerifyForm(), "error": error}, status=429)
    if not form.is_valid():
        return render(request, TEMPLATE, {"form": form}, status=400)
    report = verify_pdf(form.cleaned_data["tep"])
    return render(request, TEMPLATE, {"form": VerifyForm(), "report": report})
