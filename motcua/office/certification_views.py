"""Certification of copies from originals at the office (NĐ 23/2015/NĐ-CP; docs/certification.md).

The justice officer receives the original and uploads its scan (receive); the chair/vice-chair reviews
and certifies or refuses (detail → approve/refuse); the certified PDF is downloaded; the book of each
month is listed and printed. Officers see the certifications of the units where they are justice
officer or leader; anything else answers 404. Requests are addressed by their random ``public_id``.
"""

import datetime as dt
import uuid
from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from motcua.accounts.models import User
from motcua.certification import services
from motcua.certification.fees import COUNTER_METHODS
from motcua.certification.models import COPY_KINDS, BookKind, Certification, CertificationStatus
from motcua.certification.permissions import can_approve, can_receive, can_view, signer_titles
from motcua.core.downloads import attachment, streamed
from motcua.core.errors import Conflict, DomainError, PermissionDenied
from motcua.documents.uploads import max_upload_label
from motcua.office.auth import current_unit, officer, officer_required
from motcua.organizations.models import Unit
from motcua.organizations.queries import units_for
from motcua.payments.money import format_vnd


class ReceiveForm(forms.Form):
    requester_name = forms.CharField(
        label=gettext_lazy("Họ và tên người yêu cầu chứng thực"),
        max_length=200,
        error_messages={"required": gettext_lazy("Họ và tên người yêu cầu chứng thực: bắt buộc.")},
    )
    requester_id_number = forms.CharField(
        label=gettext_lazy("Số định danh cá nhân (không bắt buộc)"), max_length=14, required=False
    )
    document_name = forms.CharField(
        label=gettext_lazy("Tên giấy tờ, văn bản (bản chính)"),
        max_length=300,
        error_messages={"required": gettext_lazy("Tên giấy tờ, văn bản: bắt buộc.")},
    )
    copies = forms.IntegerField(
        label=gettext_lazy("Số bản sao"),
        min_value=1,
        max_value=services.MAX_COPIES,
        initial=1,
        error_messages={
            "required": gettext_lazy("Số bản sao: bắt buộc."),
            "invalid": gettext_lazy("Số bản sao phải là số nguyên."),
            "min_value": gettext_lazy("Số bản sao: ít nhất 1."),
            "max_value": gettext_lazy("Số bản sao: tối đa %(limit_value)s."),
        },
    )
    kind = forms.ChoiceField(
        label=gettext_lazy("Loại bản sao"),
        choices=[(k.value, k.label) for k in COPY_KINDS],
        initial=BookKind.ELECTRONIC_COPY,
        widget=forms.RadioSelect,
    )
    scan = forms.FileField(
        label=gettext_lazy("Bản quét bản chính (PDF, đủ các trang)"),
        error_messages={"required": gettext_lazy("Bản quét bản chính: hãy chọn tệp PDF.")},
    )


class ApproveForm(forms.Form):
    title = forms.ChoiceField(label=gettext_lazy("Chức danh người ký"))

    def __init__(self, *args: Any, unit: Unit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["title"].choices = [(t, t) for t in signer_titles(unit)]  # type: ignore[attr-defined]


class BookForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Sổ"), choices=[(k.value, k.label) for k in COPY_KINDS])
    month = forms.DateField(
        label=gettext_lazy("Tháng"),
        input_formats=["%Y-%m"],
        widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
        error_messages={"invalid": gettext_lazy("Tháng phải có dạng năm-tháng, ví dụ 2026-11.")},
    )


def _units(user: User, check: Any) -> list[Unit]:
    return [unit for unit in units_for(user) if check(user, unit)]


def _unit_for(request: HttpRequest, check: Any) -> Unit | None:
    """The session's unit when the officer holds the role there, else the first unit where they do."""
    user = officer(request)
    unit = current_unit(request)
    if unit is not None and check(user, unit):
        return unit
    units = _units(user, check)
    return units[0] if units else None


def _certification(request: HttpRequest, public_id: str) -> Certification:
    """The request by its random id, if the officer may see it; 404 for a malformed or foreign id."""
    try:
        key = uuid.UUID(public_id)
    except ValueError:
        raise Http404 from None
    certification = (
        Certification.objects.select_related("unit", "book", "officer", "approver")
        .filter(public_id=key)
        .first()
    )
    if certification is None or not can_view(officer(request), certification.unit):
        raise Http404
    return certification


@officer_required
@require_safe
def certification_list(request: HttpRequest) -> HttpResponse:
    units = _units(officer(request), can_view)
    rows = (
        Certification.objects.filter(unit__in=units)
        .select_related("unit", "book")
        .order_by("-received_at")[:200]
    )
    context = {
        "rows": rows,
        "may_receive": any(can_receive(officer(request), u) for u in units),
        "pending": sum(1 for r in rows if r.status == CertificationStatus.RECEIVED),
    }
    return render(request, "office/certification/list.html", context)


@officer_required
@require_http_methods(["GET", "HEAD", "POST"])
def certification_receive(request: HttpRequest) -> HttpResponse:
    unit = _unit_for(request, can_receive)
    if unit is None:
        return render(
            request,
            "office/certification/refused.html",
            {"reason": _("Chỉ công chức tư pháp của đơn vị mới tiếp nhận yêu cầu chứng thực.")},
            status=403,
        )
    error, status = "", 200
    if request.method == "POST":
        form = ReceiveForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            try:
                certification = services.receive_original(
                    by=officer(request),
                    unit=unit,
                    scan=data["scan"],
                    requester_name=data["requester_name"],
                    requester_id_number=data["requester_id_number"],
                    document_name=data["document_name"],
                    copies=data["copies"],
                    kind=data["kind"],
                )
            except PermissionDenied as exc:
                error, status = exc.message, 403
            except DomainError as exc:
                error, status = exc.message, 400
            else:
                messages.success(
                    request,
                    _("Đã tiếp nhận: %(pages)d trang, phí %(fee)s đồng, hẹn trả %(due)s.")
                    % {
                        "pages": certification.pages,
                        "fee": format_vnd(certification.fee_vnd),
                        "due": timezone.localtime(certification.due_at).strftime("%H:%M %d/%m/%Y"),
                    },
                )
                return redirect("office:certification_detail", public_id=certification.public_id)
        else:
            error, status = _("Chưa tiếp nhận được: hãy sửa các mục được đánh dấu."), 400
    else:
        form = ReceiveForm()
    context = {"form": form, "unit": unit, "error": error, "max_upload": max_upload_label()}
    return render(request, "office/certification/receive.html", context, status=status)


@officer_required
@require_safe
def certification_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    certification = _certification(request, public_id)
    return _detail(request, certification)


def _detail(
    request: HttpRequest, certification: Certification, *, form: ApproveForm | None = None, status: int = 200
) -> HttpResponse:
    user = officer(request)
    may_decide = certification.status == CertificationStatus.RECEIVED and can_approve(
        user, certification.unit
    )
    may_collect = (
        not certification.is_paid
        and certification.status != CertificationStatus.REFUSED
        and (can_receive(user, certification.unit) or can_approve(user, certification.unit))
    )
    context = {
        "c": certification,
        "fee": format_vnd(certification.fee_vnd),
        "may_decide": may_decide,
        "may_collect": may_collect,
        "may_sign": services.may_sign(user, certification),
        "may_store": services.may_place_in_data_store(certification),
        "form": form or ApproveForm(unit=certification.unit),
        "fee_methods": [(m.value, m.label) for m in COUNTER_METHODS],
    }
    return render(request, "office/certification/detail.html", context, status=status)


@officer_required
@require_POST
def certification_approve(request: HttpRequest, public_id: str) -> HttpResponse:
    certification = _certification(request, public_id)
    form = ApproveForm(request.POST, unit=certification.unit)
    if not can_approve(officer(request), certification.unit):
        messages.error(request, _("Chỉ Chủ tịch, Phó Chủ tịch (lãnh đạo đơn vị) mới ký chứng thực."))
        return _detail(request, certification, status=403)
    if not form.is_valid():
        messages.error(request, _("Chức danh người ký: hãy chọn một chức danh."))
        return _detail(request, certification, form=form, status=400)
    try:
        certification = services.approve(
            certification_id=certification.pk, by=officer(request), title=form.cleaned_data["title"]
        )
    except Conflict as exc:
        messages.error(request, exc.message)
        return _detail(request, certification, status=409)
    except DomainError as exc:
        messages.error(request, exc.message)
        return _detail(request, certification, form=form, status=400)
    messages.success(request, _("Đã chứng thực: số %(number)s.") % {"number": certification.number_label})
    return redirect("office:certification_detail", public_id=certification.public_id)


@officer_required
@require_POST
def certification_refuse(request: HttpRequest, public_id: str) -> HttpResponse:
    certification = _certification(request, public_id)
    if not can_approve(officer(request), certification.unit):
        messages.error(request, _("Chỉ Chủ tịch, Phó Chủ tịch (lãnh đạo đơn vị) mới từ chối chứng thực."))
        return _detail(request, certification, status=403)
    try:
        services.refuse(
            certification_id=certification.pk, by=officer(request), reason=request.POST.get("reason", "")
        )
    except Conflict as exc:
        messages.error(request, exc.message)
        return _detail(request, certification, status=409)
    except DomainError as exc:
        messages.error(request, exc.message)
        return _detail(request, certification, status=400)
    messages.success(request, _("Đã từ chối chứng thực."))
    return redirect("office:certification_detail", public_id=certification.public_id)


def _pdf(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@officer_required
@require_safe
def certification_pdf(request: HttpRequest, public_id: str) -> HttpResponse:
    """The signed copy when there is one, else the certified copy (not signed yet); a stored file that
    no longer matches its SHA-256 is refused (409, ``core.downloads``)."""
    certification = _certification(request, public_id)
    if certification.signed_file:
        stem = f"ban-sao-chung-thuc-{certification.number or 0}-da-ky-so"
        return streamed(attachment(certification.signed_file, stem=stem, sha256=certification.signed_sha256))
    stem = f"ban-sao-chung-thuc-{certification.number or 0}"
    return streamed(attachment(certification.certified_file, stem=stem, sha256=certification.sha256))


def _book_form(request: HttpRequest) -> BookForm:
    today = timezone.localdate()
    data = {
        "kind": request.GET.get("kind", BookKind.COPY),
        "month": request.GET.get("month", f"{today:%Y-%m}"),
    }
    return BookForm(data)


@officer_required
@require_safe
def certification_book(request: HttpRequest) -> HttpResponse:
    unit = _unit_for(request, can_view)
    if unit is None:
        return render(
            request,
            "office/certification/refused.html",
            {"reason": _("Sổ chứng thực chỉ dành cho công chức tư pháp và lãnh đạo đơn vị.")},
            status=403,
        )
    form = _book_form(request)
    rows: list[Certification] = []
    if form.is_valid():
        month: dt.date = form.cleaned_data["month"]
        rows = list(
            Certification.objects.filter(
                unit=unit,
                book__kind=form.cleaned_data["kind"],
                book__year=month.year,
                approved_at__year=month.year,
                approved_at__month=month.month,
            )
            .exclude(number=None)
            .select_related("book", "approver")
            .order_by("number")
        )
    context = {"form": form, "unit": unit, "rows": rows, "query": request.GET.urlencode()}
    return render(request, "office/certification/book.html", context, status=200 if form.is_valid() else 400)


@officer_required
@require_safe
def certification_book_pdf(request: HttpRequest) -> HttpResponse:
    unit = _unit_for(request, can_view)
    if unit is None:
        return render(
            request,
            "office/certification/refused.html",
            {"reason": _("Sổ chứng thực chỉ dành cho công chức tư pháp và lãnh đạo đơn vị.")},
            status=403,
        )
    form = _book_form(request)
    if not form.is_valid():
        return render(
            request, "office/certification/book.html", {"form": form, "unit": unit, "rows": []}, status=400
        )
    month: dt.date = form.cleaned_data["month"]
    kind = form.cleaned_data["kind"]
    content = services.monthly_book_pdf(unit, kind, month.year, month.month)
    return _pdf(content, f"so-chung-thuc-{kind}-{month:%Y-%m}.pdf")
