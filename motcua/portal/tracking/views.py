"""Tracking and results on the portal: the public status lookup (from the receipt's QR code), "Hồ sơ của
tôi", the result download, "Kết quả của tôi" and the in-app notices.

Reads only. Every applicant page starts from ``dossiers.queries.dossiers_of_applicant``: another
person's dossier answers 404, exactly like a missing one. The public lookup needs the code and a
second factor, answers one generic message for every mismatch, and is throttled per client address and
per dossier code across processes (``core.throttle``; QUALITY.md security item 11).
"""

import datetime as dt
import logging

from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from motcua.accounts.models import User
from motcua.core import throttle
from motcua.core.downloads import attachment, streamed, tampered_response
from motcua.core.errors import NotFound
from motcua.core.integrity import TamperedFile
from motcua.dossiers import queries
from motcua.dossiers.models import Dossier, DossierEvent
from motcua.dossiers.signatures import result_check
from motcua.notifications.queries import portal_messages_for
from motcua.portal.auth import applicant_required, current_applicant
from motcua.portal.tracking import plain
from motcua.portal.tracking.forms import CODE_MAX, LookupForm

logger = logging.getLogger(__name__)

PAGE_SIZE = 20
LOOKUP_TEMPLATE = "portal/tracking/lookup.html"


def lookup_rules() -> tuple[throttle.Rule, throttle.Rule]:
    """Failed lookups allowed per client address and per dossier code (settings, docs/portal.md)."""
    by_address = throttle.Rule(
        "lookup:address",
        int(getattr(settings, "MOTCUA_LOOKUP_IP_FAILURES", 10)),
        dt.timedelta(minutes=int(getattr(settings, "MOTCUA_LOOKUP_IP_WINDOW_MINUTES", 15))),
    )
    by_code = throttle.Rule(
        "lookup:code",
        int(getattr(settings, "MOTCUA_LOOKUP_CODE_FAILURES", 5)),
        dt.timedelta(minutes=int(getattr(settings, "MOTCUA_LOOKUP_CODE_WINDOW_MINUTES", 60))),
    )
    return by_address, by_code


def _events(dossier: Dossier) -> list[DossierEvent]:
    return list(dossier.events.order_by("at", "id"))


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def lookup(request: HttpRequest) -> HttpResponse:
    """Tra cứu tình trạng hồ sơ: the address printed (and QR-encoded) on receipt form 01."""
    if request.method != "POST":
        code = request.GET.get("ma", "")[:CODE_MAX].strip()
        return render(request, LOOKUP_TEMPLATE, {"form": LookupForm(initial={"ma": code})})

    form = LookupForm(request.POST)
    if not form.is_valid():
        return render(request, LOOKUP_TEMPLATE, {"form": form}, status=400)
    code, factor = form.cleaned_data["ma"], form.cleaned_data["xac_thuc"]
    address = throttle.client_address(request)
    by_address, by_code = lookup_rules()
    # Count first (exact under concurrency); a successful lookup gives its attempts back.
    if not throttle.consume(by_address, address) or not throttle.consume(by_code, code):
        minutes = int(max(by_address.window, by_code.window).total_seconds() // 60)
        message = _(
            "Bạn đã tra cứu không thành công quá nhiều lần. Vui lòng thử lại sau %(minutes)d phút."
        ) % {"minutes": minutes}
        return render(request, LOOKUP_TEMPLATE, {"form": form, "error": message}, status=429)

    dossier = queries.lookup_dossier(code, factor)
    if dossier is None:
        logger.info("public lookup: no match")  # never the code or the second factor
        message = _(
            "Không tìm thấy hồ sơ khớp với thông tin đã nhập. Hãy kiểm tra mã hồ sơ trên giấy tiếp nhận và "
            "số điện thoại hoặc 4 số cuối số định danh của người nộp."
        )
        return render(request, LOOKUP_TEMPLATE, {"form": form, "error": message})

    throttle.refund(by_address, address)
    throttle.refund(by_code, code)
    events = _events(dossier)
    context = {
        "form": LookupForm(initial={"ma": dossier.code}),
        "dossier": dossier,
        "status": plain.plain_status(dossier.status),
        "timeline": plain.timeline(dossier, events),
        "next_step": plain.next_step(dossier, events, signed_in=False),
        # the signature status only: who signed and whether it is valid, never the file
        "result_signature": result_check(dossier, public=True),
    }
    return render(request, LOOKUP_TEMPLATE, context)


# --- the signed-in applicant ---------------------------------------------------------------------------


def _applicant(request: HttpRequest) -> User:
    user = current_applicant(request)
    if user is None:  # applicant_required ran first; this only narrows the type
        raise Http404
    return user


def _own_dossier(request: HttpRequest, code: str) -> Dossier:
    user = _applicant(request)
    try:
        return queries.get_dossier_for_applicant(user, code)
    except NotFound as exc:
        raise Http404(exc.message) from exc


@never_cache
@applicant_required
@require_safe
def my_dossiers(request: HttpRequest) -> HttpResponse:
    """Hồ sơ của tôi: the applicant's dossiers, newest first, filtered by a status group."""
    user = _applicant(request)
    groups = plain.status_groups()
    chosen = next((g for g in groups if g.slug == request.GET.get("trang-thai")), None)
    dossiers = queries.dossiers_of_applicant(user).select_related("procedure", "receiving_unit")
    if chosen is not None:
        dossiers = dossiers.filter(status__in=[str(s) for s in chosen.statuses])
    page_obj = Paginator(dossiers.order_by("-submitted_at", "-id"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    rows = [(d, plain.plain_status(d.status)) for d in page_obj.object_list]
    context = {"page_obj": page_obj, "rows": rows, "groups": groups, "chosen": chosen}
    return render(request, "portal/tracking/my_dossiers.html", context)


@never_cache
@applicant_required
@require_safe
def my_dossier(request: HttpRequest, dossier_code: str) -> HttpResponse:
    """One of the applicant's dossiers: status, appointment, timeline, papers, fees, what to do now."""
    dossier = _own_dossier(request, dossier_code)
    events = _events(dossier)
    has_result = dossier.status in queries.RESULT_STATUSES and bool(dossier.result_file)
    context = {
        "dossier": dossier,
        "status": plain.plain_status(dossier.status),
        "timeline": plain.timeline(dossier, events),
        "next_step": plain.next_step(dossier, events, signed_in=True),
        "components": list(dossier.components.all()),
        "has_result": has_result,
        "result_signature": result_check(dossier, public=True) if has_result else None,
    }
    return render(request, "portal/tracking/my_dossier.html", context)


@never_cache
@applicant_required
@require_safe
def my_result_file(request: HttpRequest, dossier_code: str) -> HttpResponse:
    """The electronic result of the applicant's own finished dossier, as a download
    (NĐ 45/2020/NĐ-CP Điều 21: the electronic result is returned to the applicant's account); refused
    (409) when the stored file no longer has the SHA-256 recorded when it was stored or signed."""
    dossier = _own_dossier(request, dossier_code)
    if dossier.status not in queries.RESULT_STATUSES:
        raise Http404
    try:
        return streamed(
            attachment(dossier.result_file, stem=f"{dossier.code}-ket-qua", sha256=dossier.result_sha256)
        )
    except TamperedFile:
        return tampered_response()


@never_cache
@applicant_required
@require_safe
def my_results(request: HttpRequest) -> HttpResponse:
    """Kết quả của tôi: the results of the applicant's dossiers (the data store proper is issue 5)."""
    user = _applicant(request)
    page_obj = Paginator(queries.results_of_applicant(user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "portal/tracking/my_results.html", {"page_obj": page_obj})


@never_cache
@applicant_required
@require_safe
def notifications(request: HttpRequest) -> HttpResponse:
    """Thông báo: the applicant's in-app notices, newest first."""
    user = _applicant(request)
    page_obj = Paginator(portal_messages_for(user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "portal/tracking/notifications.html", {"page_obj": page_obj})
