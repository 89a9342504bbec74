"""Certification of copies from originals: receive the original, certify, number in the book, sign.

The steps (NĐ 23/2015/NĐ-CP Điều 20; electronic copy: DOMAIN.md §6 "scan → statement → signature →
book entry"):

1. ``receive_original``: the justice officer (công chức tư pháp) of the unit checks the original and
   scans it; the page count comes from the scan, the fee from TT 226/2016/TT-BTC and the due time from
   NĐ 23 Điều 7 (same working day; next working day when received at or after 15:00).
2. ``approve``: the chair/vice-chair (commune) or head/deputy head (district justice office) certifies;
   the number in the book is issued atomically (``core.numbering.book_number``) and the certified copy
   is built (the scan followed by the statement page in the legal wording).
3. ``sign_certified_copy``: the approver signs the electronic copy with their own certificate
   (``documents.signing.officer``); the fee must be paid first (``fees.record_fee_payment``). A paper
   copy is signed by hand when certified, so ``approve`` asks for the fee first for paper copies.
4. ``place_in_data_store``: the signed electronic copy goes to the requester's data store
   (``documents.store.put_document``, under the requester's ID number).

One service call per change; every change runs in one transaction. No requester data is logged.
"""

import datetime as dt
import hashlib
import logging
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile, File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.accounts.models import User
from motcua.certification import pdf
from motcua.certification.models import (
    COPY_KINDS,
    TYPE_CODES,
    BookKind,
    Certification,
    CertificationBook,
    CertificationStatus,
)
from motcua.certification.permissions import can_approve, can_receive, signer_titles
from motcua.core.errors import Conflict, DomainError, InputProblem, InvalidInput, NotFound, PermissionDenied
from motcua.core.numbering import LOCAL_TZ, book_number
from motcua.core.worktime import WorkCalendar
from motcua.documents.models import StoredKind
from motcua.documents.signing.officer import sign_as_officer
from motcua.documents.store import StoreError, put_document
from motcua.documents.uploads import check_upload
from motcua.organizations.calendars import calendar_for_unit
from motcua.organizations.models import Unit
from motcua.payments.money import format_vnd

logger = logging.getLogger(__name__)

# NĐ 23/2015 Điều 7: requests received at or after 15:00 are due the next working day.
CUTOFF = dt.time(15, 0)

STATEMENT = "Chứng thực bản sao đúng với bản chính."


def fee_for(
    pages: int,
    copies: int = 1,
    *,
    first_pages_vnd: int = 2000,
    next_pages_vnd: int = 1000,
    cap_vnd: int = 200_000,
) -> int:
    """The certification fee in đồng (TT 226/2016/TT-BTC Điều 4); pure.

    Per copy: ``first_pages_vnd`` for each of pages 1–2, ``next_pages_vnd`` for each page from page 3,
    at most ``cap_vnd`` per copy; the pages are those of the original. ``copies`` copies pay ``copies``
    times that. A 5-page copy: 2 × 2,000 + 3 × 1,000 = 7,000 đ.
    """
    if pages < 1:
        raise ValueError(f"pages must be at least 1, got {pages}")
    if copies < 1:
        raise ValueError(f"copies must be at least 1, got {copies}")
    per_copy = first_pages_vnd * min(pages, 2) + next_pages_vnd * max(pages - 2, 0)
    return min(per_copy, cap_vnd) * copies


def configured_fee(pages: int, copies: int) -> int:
    """``fee_for`` with the amounts of the settings (MOTCUA_CERTIFICATION_FEE_*)."""
    return fee_for(
        pages,
        copies,
        first_pages_vnd=settings.MOTCUA_CERTIFICATION_FEE_FIRST_PAGES_VND,
        next_pages_vnd=settings.MOTCUA_CERTIFICATION_FEE_NEXT_PAGES_VND,
        cap_vnd=settings.MOTCUA_CERTIFICATION_FEE_CAP_VND,
    )


def due_at(calendar: WorkCalendar, received_at: dt.datetime) -> dt.datetime:
    """When the certified copy is due (NĐ 23/2015 Điều 7): the close of the same working day when
    received before 15:00; at or after 15:00 (or on a day off) the close of the next working day."""
    start = calendar.start_after_cutoff(received_at, CUTOFF)
    return calendar.end_of_working_day(start.date())


MAX_COPIES = 100


def receive_original(
    *,
    by: User,
    unit: Unit,
    scan: File[Any],
    requester_name: str,
    requester_id_number: str,
    document_name: str,
    copies: int,
    kind: str = BookKind.ELECTRONIC_COPY,
    requester_user: User | None = None,
) -> Certification:
    """Record a request: the original checked and scanned by the justice officer of ``unit``.

    Only a current justice officer of the unit may receive (NĐ 23/2015 Điều 5: the commune People's
    Committee's justice officer receives; the chair/vice-chair signs). The scan must be a clean PDF
    (``documents.uploads``); its page count is the page count of the original for the fee.
    """
    if not can_receive(by, unit):
        raise PermissionDenied(_("Chỉ công chức tư pháp của đơn vị mới tiếp nhận yêu cầu chứng thực."))
    problems = []
    name = " ".join(requester_name.split())
    id_number = requester_id_number.strip()
    document = " ".join(document_name.split())
    if not name:
        problems.append(InputProblem(_("bắt buộc."), field=_("Họ và tên người yêu cầu")))
    if id_number and not (id_number.isdigit() and len(id_number) in (9, 12)):
        problems.append(InputProblem(_("gồm 9 hoặc 12 chữ số."), field=_("Số định danh")))
    if not document:
        problems.append(InputProblem(_("bắt buộc."), field=_("Tên giấy tờ")))
    if not 1 <= copies <= MAX_COPIES:
        problems.append(InputProblem(_("từ 1 đến %(max)d.") % {"max": MAX_COPIES}, field=_("Số bản sao")))
    if kind not in COPY_KINDS:
        problems.append(InputProblem(_("không hợp lệ."), field=_("Loại bản sao")))
    checked = None
    try:
        checked = check_upload(scan, label=_("Bản quét bản chính"))  # the message names the field
    except ValidationError as exc:
        problems.extend(InputProblem(message) for message in exc.messages)
    if checked is not None and checked.extension != "pdf":
        problems.append(
            InputProblem(_("phải là tệp PDF quét đủ các trang của bản chính."), field=_("Bản quét bản chính"))
        )
    if problems or checked is None:
        raise InvalidInput(problems)
    pages = pdf.page_count(checked.content)
    received_at = timezone.now()
    calendar = calendar_for_unit(unit, received_at.astimezone(LOCAL_TZ).date())
    with transaction.atomic():
        certification = Certification(
            unit=unit,
            kind=kind,
            requester_name=name,
            requester_id_number=id_number,
            requester_user=requester_user,
            document_name=document,
            pages=pages,
            copies=copies,
            fee_vnd=configured_fee(pages, copies),
            received_at=received_at,
            due_at=due_at(calendar, received_at),
            officer=by,
        )
        certification.original_scan.save(checked.safe_name, ContentFile(checked.content), save=False)
        certification.save()
    logger.info("certification received unit=%s id=%s pages=%d", unit.code, certification.public_id, pages)
    return certification


def _locked(certification_id: int) -> Certification:
    try:
        return Certification.objects.select_for_update().select_related("unit").get(pk=certification_id)
    except Certification.DoesNotExist:
        raise NotFound(_("Không tìm thấy yêu cầu chứng thực.")) from None


def current_book(unit: Unit, kind: str, year: int) -> CertificationBook:
    """The open volume of ``kind`` for ``unit`` and ``year`` (volume 1 on first use).

    Call after ``book_number`` in the same transaction: the sequence row lock serialises the callers,
    so two of them never create the same volume."""
    book = CertificationBook.objects.filter(unit=unit, kind=kind, year=year).order_by("-volume").first()
    if book is None:
        book = CertificationBook.objects.create(unit=unit, kind=kind, year=year, type_code=TYPE_CODES[kind])
    return book


def approve(*, certification_id: int, by: User, title: str) -> Certification:
    """The chair/vice-chair certifies: number in the book, certified copy built, approver recorded.

    NĐ 23/2015 Điều 13 and TT 01/2020 Điều 4: one number per certified document, continuous in the
    unit's book of that type for the year of certification (restarts at 1 on 1 January; the paper
    and the electronic copies have separate books). The number, the book entry and the certified copy
    commit together: a failure gives the number back (``core.numbering``).
    """
    with transaction.atomic():
        certification = _locked(certification_id)
        if not can_approve(by, certification.unit):
            raise PermissionDenied(_("Chỉ Chủ tịch, Phó Chủ tịch (lãnh đạo đơn vị) mới ký chứng thực."))
        if certification.status != CertificationStatus.RECEIVED:
            raise Conflict(
                _("Yêu cầu này đã được xử lý: %(status)s.") % {"status": certification.get_status_display()}
            )
        if title not in signer_titles(certification.unit):
            raise InvalidInput([InputProblem(_("không hợp lệ."), field=_("Chức danh người ký"))])
        if certification.kind == BookKind.COPY and not certification.is_paid:
            # the paper copy is signed by hand and sealed now: not signed unpaid (docs/certification.md)
            raise DomainError(
                _("Người yêu cầu chưa nộp phí chứng thực: hãy thu phí trước khi ký chứng thực.")
            )
        now = timezone.now()
        year = now.astimezone(LOCAL_TZ).year
        scope = f"{certification.unit.code}:{TYPE_CODES[certification.kind]}"
        number = book_number(book=scope, year=year, reference=str(certification.public_id))
        certification.book = current_book(certification.unit, certification.kind, year)
        certification.number = number
        certification.approver = by
        certification.approver_title = title
        certification.approved_at = now
        certification.status = CertificationStatus.CERTIFIED
        content = build_certified_copy(certification)
        certification.sha256 = hashlib.sha256(content).hexdigest()
        certification.certified_file.save(
            f"{certification.public_id.hex}.pdf", ContentFile(content), save=False
        )
        certification.save()
    logger.info(
        "certification approved unit=%s id=%s number=%d",
        certification.unit.code,
        certification.public_id,
        number,
    )
    return certification


def refuse(*, certification_id: int, by: User, reason: str) -> Certification:
    """The leader refuses to certify (NĐ 23/2015 Điều 22: cases where copies may not be certified),
    with the reason told to the requester. No number is used."""
    reason = reason.strip()
    with transaction.atomic():
        certification = _locked(certification_id)
        if not can_approve(by, certification.unit):
            raise PermissionDenied(_("Chỉ Chủ tịch, Phó Chủ tịch (lãnh đạo đơn vị) mới từ chối chứng thực."))
        if certification.status != CertificationStatus.RECEIVED:
            raise Conflict(
                _("Yêu cầu này đã được xử lý: %(status)s.") % {"status": certification.get_status_display()}
            )
        if not reason:
            raise InvalidInput([InputProblem(_("bắt buộc."), field=_("Lý do từ chối"))])
        certification.status = CertificationStatus.REFUSED
        certification.refusal_reason = reason
        certification.approver = by
        certification.approved_at = timezone.now()
        certification.save()
    return certification


def statement_context(certification: Certification) -> dict[str, Any]:
    unit = certification.unit
    approver = certification.approver
    return {
        "issuer": {
            "parent_name": unit.parent.name if unit.parent_id and unit.parent else "",
            "name": unit.name,
        },
        "statement": STATEMENT,
        "certification": certification,
        "book": certification.book,
        "number": certification.number,
        "book_label": certification.book.label if certification.book else "",
        "approved_at": certification.approved_at,
        "approver_title": certification.approver_title,
        "approver_name": (approver.full_name or approver.get_username()) if approver else "",
        "fee": format_vnd(certification.fee_vnd),
        "electronic": certification.kind == BookKind.ELECTRONIC_COPY,
    }


def build_certified_copy(certification: Certification) -> bytes:
    """The certified copy: the scanned pages followed by the statement page.

    The statement reads as the legal form (NĐ 23/2015 Điều 20; TT 01/2020/TT-BTP, lời chứng chứng
    thực bản sao từ bản chính): "Chứng thực bản sao đúng với bản chính.", số chứng thực, quyển số,
    ngày tháng năm, người thực hiện chứng thực (title and name; the seal / digital signature follow).
    Needs a numbered certification (``approve`` calls it)."""
    if certification.number is None or certification.book is None or certification.approved_at is None:
        raise DomainError(_("Chưa có số chứng thực: lãnh đạo phải ký chứng thực trước."))
    statement = pdf.render_pdf("certification/pdf/statement.html", statement_context(certification))
    with certification.original_scan.open("rb") as handle:
        scan = handle.read()
    return pdf.join(scan, statement)


SIGNING_REASON = "Chứng thực bản sao điện tử từ bản chính"


def sign_certified_copy(*, certification_id: int, by: User) -> Certification:
    """The approver signs the certified electronic copy with their own digital signature.

    NĐ 23/2015/NĐ-CP Điều 20 and NĐ 45/2020/NĐ-CP Điều 6: the electronic copy certified from the
    original carries the digital signature of the person who certifies (chair/vice-chair), with their
    own registered certificate (``documents.signing.officer``). The stamp shows the certification number.
    Only the approver, only an electronic copy waiting for its signature, and only once the fee is paid
    (TT 226/2016/TT-BTC: the fee is paid when the service is rendered; a copy is not signed unpaid).

    The key may be a token or a remote service waiting for the officer's phone: the signature is made
    outside the row lock, then the row is locked again and checked unchanged before the file is kept.
    ``SigningError`` (Vietnamese, safe to show) leaves everything as it was.
    """
    certification = _checked_for_signing(_unlocked(certification_id), by)
    with certification.certified_file.open("rb") as handle:
        original = handle.read()
    if hashlib.sha256(original).hexdigest() != certification.sha256:
        raise DomainError(_("Bản sao đã chứng thực bị thay đổi so với khi được lưu; không thể ký số."))
    signed = sign_as_officer(
        by,
        original,
        reason=SIGNING_REASON,
        unit_name=certification.unit.name,
        # the stamp is part of the official document: Vietnamese whatever the officer's UI language
        extra_lines=(f"Số chứng thực: {certification.number_label}",),
    )
    if not signed.startswith(original) or len(signed) == len(original):
        # PAdES signs by incremental update: anything else is not this copy signed
        raise DomainError(_("Tệp đã ký không phải là bản sao đã chứng thực này."))
    with transaction.atomic():
        certification = _checked_for_signing(_locked(certification_id), by)
        certification.signed_file.save(
            f"{certification.public_id.hex}-ky-so.pdf", ContentFile(signed), save=False
        )
        certification.signed_sha256 = hashlib.sha256(signed).hexdigest()
        certification.signed_at = timezone.now()
        certification.status = CertificationStatus.SIGNED
        certification.save()
    logger.info("certification signed unit=%s id=%s", certification.unit.code, certification.public_id)
    return certification


def _unlocked(certification_id: int) -> Certification:
    try:
        return Certification.objects.select_related("unit", "book").get(pk=certification_id)
    except Certification.DoesNotExist:
        raise NotFound(_("Không tìm thấy yêu cầu chứng thực.")) from None


def may_sign(user: User, certification: Certification) -> bool:
    """Whether ``user`` may sign ``certification`` now (for the "Ký số" button)."""
    return (
        certification.approver_id == user.pk
        and certification.kind == BookKind.ELECTRONIC_COPY
        and certification.status == CertificationStatus.CERTIFIED
        and can_approve(user, certification.unit)
    )


def _checked_for_signing(certification: Certification, by: User) -> Certification:
    if certification.approver_id != by.pk or not can_approve(by, certification.unit):
        raise PermissionDenied(_("Chỉ người ký chứng thực mới ký số bản sao."))
    if certification.kind != BookKind.ELECTRONIC_COPY:
        raise Conflict(_("Bản sao giấy được ký tay và đóng dấu, không ký số."))
    if certification.status != CertificationStatus.CERTIFIED:
        raise Conflict(_("Bản sao không ở trạng thái chờ ký số."))
    if not certification.is_paid:
        raise DomainError(_("Người yêu cầu chưa nộp phí chứng thực: hãy thu phí trước khi ký số."))
    return certification


def may_place_in_data_store(certification: Certification) -> bool:
    return (
        certification.kind == BookKind.ELECTRONIC_COPY
        and certification.status == CertificationStatus.SIGNED
        and bool(certification.requester_id_number)
        and certification.in_data_store_at is None
    )


def place_in_data_store(*, certification_id: int, by: User) -> Certification:
    """Put the signed electronic copy in the requester's data store, under their ID number.

    NĐ 45/2020/NĐ-CP Điều 6 and Điều 16: the electronic copy certified from the original has the value
    of the original for the procedures and is kept in the requester's store for reuse (NĐ 107/2021
    Điều 21a). Needs the signature and the requester's ID number. Done once; again is a no-op."""
    with transaction.atomic():
        certification = _locked(certification_id)
        if not (can_receive(by, certification.unit) or can_approve(by, certification.unit)):
            raise PermissionDenied(_("Bạn không có quyền với yêu cầu chứng thực này."))
        if certification.in_data_store_at is not None:
            return certification
        if (
            certification.kind != BookKind.ELECTRONIC_COPY
            or certification.status != CertificationStatus.SIGNED
        ):
            raise Conflict(_("Chỉ bản sao điện tử đã ký số mới đưa được vào kho dữ liệu."))
        if not certification.requester_id_number:
            raise DomainError(_("Chưa có số định danh cá nhân của người yêu cầu chứng thực."))
        with certification.signed_file.open("rb") as handle:
            signed = handle.read()
        approved_on = (
            certification.approved_at.astimezone(LOCAL_TZ).date() if certification.approved_at else None
        )
        try:
            document = put_document(
                owner_id_number=certification.requester_id_number,
                owner_name=certification.requester_name,
                kind=StoredKind.CERTIFIED_COPY,
                title=certification.document_name,
                content=signed,
                filename="ban-sao-chung-thuc.pdf",
                is_signed=True,
                number=certification.number_label,
                issuer=certification.unit.name,
                issued_on=approved_on,
                source_unit=certification.unit,
                created_by=by,
            )
        except StoreError as exc:
            raise DomainError(str(exc)) from exc
        certification.stored_document = document
        certification.in_data_store_at = timezone.now()
        certification.save(update_fields=["stored_document", "in_data_store_at"])
    logger.info(
        "certification placed in store unit=%s id=%s", certification.unit.code, certification.public_id
    )
    return certification


def monthly_book_pdf(unit: Unit, kind: str, year: int, month: int) -> bytes:
    """The monthly print of the book (NĐ 23/2015 Điều 13: books kept on a computer are printed and
    bound every month). A4 landscape; the entries of ``kind`` certified in ``month`` of ``year``,
    in number order, across the volumes of the year."""
    if not 1 <= month <= 12:
        raise ValueError(f"month out of range: {month}")
    start = dt.datetime(year, month, 1, tzinfo=LOCAL_TZ)
    end = dt.datetime(year + (month == 12), month % 12 + 1, 1, tzinfo=LOCAL_TZ)
    entries = (
        Certification.objects.filter(
            unit=unit, book__kind=kind, book__year=year, approved_at__gte=start, approved_at__lt=end
        )
        .exclude(number=None)
        .select_related("book", "approver", "officer")
        .order_by("number")
    )
    context = {
        "issuer": {
            "parent_name": unit.parent.name if unit.parent_id and unit.parent else "",
            "name": unit.name,
        },
        "title": BookKind(kind).label,
        "type_code": TYPE_CODES[kind],
        "year": year,
        "month": month,
        "rows": [{"entry": e, "fee": format_vnd(e.fee_vnd)} for e in entries],
    }
    return pdf.render_pdf("certification/pdf/book.html", context)
