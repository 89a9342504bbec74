"""Receiving originals, certifying, the book numbers, the certified PDF and the signing seam."""

import hashlib
import io

import pypdf
import pytest
from django.core.files.base import ContentFile

from motcua.certification import services
from motcua.certification.models import BookKind, Certification, CertificationBook, CertificationStatus
from motcua.certification.tests.conftest import paid, scan_file, scan_pdf
from motcua.core.errors import Conflict, DomainError, InvalidInput, PermissionDenied
from motcua.core.models import IssuedNumber
from motcua.core.numbering import audit
from motcua.dossiers.tests.conftest import local

pytestmark = pytest.mark.django_db


def receive(by, unit, *, pages=5, copies=1, kind=BookKind.ELECTRONIC_COPY, **changes):
    data = {
        "by": by,
        "unit": unit,
        "scan": scan_file(pages),
        "requester_name": "Nguyễn Văn An",
        "requester_id_number": "030090000123",
        "document_name": "Bằng tốt nghiệp trung học phổ thông",
        "copies": copies,
        "kind": kind,
        **changes,
    }
    return services.receive_original(**data)


def text_of(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(content)).pages)


def test_receiving_counts_the_pages_and_computes_fee_and_due_time(clock, units, justice_officer):
    clock.move_to(local(2024, 3, 4, 15, 5))
    content = scan_pdf(5)
    c = receive(justice_officer, units.commune, copies=2, scan=ContentFile(content, name="Nguyen Van An.pdf"))
    assert (c.pages, c.copies, c.fee_vnd) == (5, 2, 14_000)
    assert c.due_at == local(2024, 3, 5, 17, 0)  # after 15:00: next working day
    assert c.status == CertificationStatus.RECEIVED and c.number is None and c.book is None
    assert c.original_scan.read() == content
    assert "Nguyen" not in c.original_scan.name  # stored under a random name


@pytest.mark.parametrize("persona", ["leader", "receiver"])
def test_only_the_justice_officer_of_the_unit_receives(clock, units, persona, request):
    with pytest.raises(PermissionDenied):
        receive(request.getfixturevalue(persona), units.commune)
    assert not Certification.objects.exists()


def test_a_justice_officer_of_another_unit_cannot_receive_here(clock, units, justice_officer):
    with pytest.raises(PermissionDenied):
        receive(justice_officer, units.other_commune)


def test_bad_input_names_every_field(clock, units, justice_officer):
    with pytest.raises(InvalidInput) as caught:
        receive(
            justice_officer,
            units.commune,
            requester_name="  ",
            requester_id_number="12ab",
            document_name="",
            copies=0,
            scan=ContentFile(b"not a pdf", name="x.pdf"),
        )
    message = caught.value.message
    for label in (
        "Họ và tên người yêu cầu",
        "Số định danh",
        "Tên giấy tờ",
        "Số bản sao",
        "Bản quét bản chính",
    ):
        assert label in message
    assert not Certification.objects.exists()


def test_an_image_scan_is_refused_with_a_message(clock, units, justice_officer):
    png = io.BytesIO()
    from PIL import Image

    Image.new("RGB", (10, 10)).save(png, "PNG")
    with pytest.raises(InvalidInput, match="phải là tệp PDF"):
        receive(justice_officer, units.commune, scan=ContentFile(png.getvalue(), name="a.png"))


def test_the_leader_certifies_numbers_and_builds_the_copy(clock, units, justice_officer, leader):
    c = receive(justice_officer, units.commune, pages=3)
    clock.move_to(local(2024, 3, 4, 10, 0))
    c = services.approve(certification_id=c.pk, by=leader, title="Chủ tịch")
    assert c.status == CertificationStatus.CERTIFIED
    assert (c.number, c.book.label, c.book.kind) == (1, "01/2024-SCTĐT/BS", BookKind.ELECTRONIC_COPY)
    assert (c.approver, c.approver_title, c.approved_at) == (leader, "Chủ tịch", local(2024, 3, 4, 10, 0))
    content = c.certified_file.read()
    assert c.sha256 == hashlib.sha256(content).hexdigest()
    reader = pypdf.PdfReader(io.BytesIO(content))
    assert len(reader.pages) == 4  # 3 scanned pages + the statement page
    statement = reader.pages[-1].extract_text()
    assert "Chứng thực bản sao đúng với bản chính." in statement
    assert "Số chứng thực: 1, quyển số 01/2024-SCTĐT/BS" in statement
    assert "ngày 04 tháng 3 năm 2024" in statement.lower()
    assert "Người thực hiện chứng thực" in statement
    assert "Vũ Quang Huy" in statement and "CHỦ TỊCH" in statement
    assert "Bằng tốt nghiệp" in statement
    assert not c.signed_file


@pytest.mark.parametrize("persona", ["justice_officer", "receiver", "other_leader"])
def test_only_a_leader_of_the_unit_certifies(clock, units, justice_officer, persona, request):
    c = receive(justice_officer, units.commune)
    with pytest.raises(PermissionDenied):
        services.approve(certification_id=c.pk, by=request.getfixturevalue(persona), title="Chủ tịch")
    c.refresh_from_db()
    assert c.number is None and c.status == CertificationStatus.RECEIVED
    assert not IssuedNumber.objects.exists()


def test_certifying_twice_is_a_conflict_and_uses_no_second_number(clock, units, justice_officer, leader):
    c = receive(justice_officer, units.commune)
    services.approve(certification_id=c.pk, by=leader, title="Chủ tịch")
    with pytest.raises(Conflict):
        services.approve(certification_id=c.pk, by=leader, title="Chủ tịch")
    assert IssuedNumber.objects.count() == 1


def test_an_unknown_title_is_refused_before_a_number_is_used(clock, units, justice_officer, leader):
    c = receive(justice_officer, units.commune)
    with pytest.raises(InvalidInput, match="Chức danh người ký"):
        services.approve(certification_id=c.pk, by=leader, title="Trưởng phòng")
    assert not IssuedNumber.objects.exists()


def test_paper_and_electronic_copies_have_separate_books(clock, units, justice_officer, leader):
    made = []
    for kind in (
        BookKind.COPY,
        BookKind.ELECTRONIC_COPY,
        BookKind.COPY,
        BookKind.ELECTRONIC_COPY,
        BookKind.COPY,
    ):
        c = paid(receive(justice_officer, units.commune, kind=kind), justice_officer)
        made.append(services.approve(certification_id=c.pk, by=leader, title="Phó Chủ tịch"))
    assert [(c.book.type_code, c.number) for c in made] == [
        ("SCT/BS", 1),
        ("SCTĐT/BS", 1),
        ("SCT/BS", 2),
        ("SCTĐT/BS", 2),
        ("SCT/BS", 3),
    ]
    assert CertificationBook.objects.count() == 2
    assert audit(scope=f"book:{units.commune.code}:SCT/BS", period="2024").is_clean


def test_numbers_are_per_unit(clock, units, justice_officer, leader, other_leader):
    from motcua.dossiers.tests.conftest import officer
    from motcua.organizations.models import Role

    other_officer = officer(units.other_commune, Role.JUSTICE_OFFICER, "Tư pháp xã khác")
    a = services.approve(
        certification_id=receive(justice_officer, units.commune).pk, by=leader, title="Chủ tịch"
    )
    b = services.approve(
        certification_id=receive(other_officer, units.other_commune).pk, by=other_leader, title="Chủ tịch"
    )
    assert (a.number, b.number) == (1, 1) and a.book != b.book


def test_numbering_restarts_at_1_on_1_january(clock, units, justice_officer, leader):
    clock.move_to(local(2024, 12, 31, 9, 0))
    first = receive(justice_officer, units.commune)
    second = receive(justice_officer, units.commune)
    third = receive(justice_officer, units.commune)
    assert services.approve(certification_id=first.pk, by=leader, title="Chủ tịch").number == 1
    clock.move_to(local(2024, 12, 31, 23, 59))
    assert services.approve(certification_id=second.pk, by=leader, title="Chủ tịch").number == 2
    clock.move_to(local(2025, 1, 1, 0, 1))  # 17:01 UTC on 31/12: already 2025 in Vietnam
    late = services.approve(certification_id=third.pk, by=leader, title="Chủ tịch")
    assert (late.number, late.book.year, late.book.label) == (1, 2025, "01/2025-SCTĐT/BS")
    assert "Số chứng thực: 1, quyển số 01/2025-SCTĐT/BS" in text_of(late.certified_file.read())


def test_a_paper_copy_is_not_certified_before_the_fee_is_paid(clock, units, justice_officer, leader):
    # the chair signs and seals the paper copy when certifying: not signed unpaid
    c = receive(justice_officer, units.commune, kind=BookKind.COPY)
    with pytest.raises(DomainError, match="chưa nộp phí"):
        services.approve(certification_id=c.pk, by=leader, title="Chủ tịch")
    c.refresh_from_db()
    assert c.number is None and not IssuedNumber.objects.exists()
    c = services.approve(certification_id=paid(c, justice_officer).pk, by=leader, title="Chủ tịch")
    assert (c.status, c.number) == (CertificationStatus.CERTIFIED, 1)


def test_refusal_records_the_reason_and_uses_no_number(clock, units, justice_officer, leader):
    c = receive(justice_officer, units.commune)
    with pytest.raises(InvalidInput, match="Lý do từ chối"):
        services.refuse(certification_id=c.pk, by=leader, reason=" ")
    c = services.refuse(certification_id=c.pk, by=leader, reason="Bản chính bị tẩy xóa (NĐ 23 Điều 22)")
    assert c.status == CertificationStatus.REFUSED and c.number is None
    assert not IssuedNumber.objects.exists()


def test_the_monthly_book_print_lists_the_month_in_number_order(clock, units, justice_officer, leader):
    clock.move_to(local(2024, 2, 29, 9, 0))
    feb = services.approve(
        certification_id=receive(justice_officer, units.commune).pk, by=leader, title="Chủ tịch"
    )
    clock.move_to(local(2024, 3, 1, 9, 0))
    mar = [
        services.approve(
            certification_id=paid(
                receive(justice_officer, units.commune, kind=BookKind.COPY, document_name=f"Giấy {i}"),
                justice_officer,
            ).pk,
            by=leader,
            title="Chủ tịch",
        )
        for i in range(2)
    ]
    services.approve(certification_id=receive(justice_officer, units.commune).pk, by=leader, title="Chủ tịch")
    text = text_of(services.monthly_book_pdf(units.commune, BookKind.COPY, 2024, 3))
    assert "SỔ CHỨNG THỰC BẢN SAO TỪ BẢN CHÍNH" in text and "tháng 3 năm 2024" in text
    assert text.index("Giấy 0") < text.index("Giấy 1")
    assert "Bằng tốt nghiệp" not in text  # the electronic copies are in their own book
    electronic = text_of(services.monthly_book_pdf(units.commune, BookKind.ELECTRONIC_COPY, 2024, 2))
    assert "Bằng tốt nghiệp" in electronic and feb.number == 1 and mar[0].number == 1
    page = pypdf.PdfReader(
        io.BytesIO(services.monthly_book_pdf(units.commune, BookKind.COPY, 2024, 3))
    ).pages[0]
    assert page.mediabox.width > page.mediabox.height  # A4 landscape
