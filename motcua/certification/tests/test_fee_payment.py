"""The certification fee collected through payments: cash or transfer at the counter, a numbered receipt,
paid/unpaid on the request, one payment per request (TT 226/2016/TT-BTC; NĐ 61/2018/NĐ-CP Điều 22)."""

import io

import pypdf
import pytest

from motcua.certification import fees, services
from motcua.certification.models import BookKind
from motcua.certification.tests.conftest import scan_file
from motcua.core.errors import Conflict, DomainError, PermissionDenied
from motcua.dossiers.tests.conftest import local
from motcua.payments.models import PaymentMethod, PaymentOrder, PaymentStatus
from motcua.payments.services import PaymentRefused

pytestmark = pytest.mark.django_db


def receive(by, unit, *, pages=5, kind=BookKind.ELECTRONIC_COPY):
    return services.receive_original(
        by=by,
        unit=unit,
        scan=scan_file(pages),
        requester_name="Nguyễn Văn An",
        requester_id_number="030090000123",
        document_name="Giấy khai sinh",
        copies=1,
        kind=kind,
    )


def test_cash_at_the_counter_gives_a_numbered_receipt_and_marks_the_request_paid(
    clock, units, justice_officer
):
    # given
    clock.move_to(local(2024, 3, 4, 9, 0))
    c = receive(justice_officer, units.commune)
    assert not c.is_paid and c.fee_vnd == 7_000
    # when
    order = fees.record_fee_payment(certification_id=c.pk, by=justice_officer)
    # then
    c.refresh_from_db()
    assert (order.status, order.method, order.amount_vnd) == (PaymentStatus.PAID, PaymentMethod.CASH, 7_000)
    assert order.subject_ref == c.subject_ref and "030090000123" not in order.subject_ref
    assert c.is_paid and c.paid_at == local(2024, 3, 4, 9, 0)
    assert c.receipt_number == order.receipt.number == f"{units.commune.code}-BL24-000001"
    second = fees.record_fee_payment(
        certification_id=receive(justice_officer, units.commune).pk, by=justice_officer
    )
    assert second.receipt.number.endswith("-000002")  # one sequence per collecting unit and year
    text = pypdf.PdfReader(io.BytesIO(fees.receipt_pdf(c))).pages[0].extract_text()
    assert "BIÊN LAI THU PHÍ CHỨNG THỰC" in text and c.receipt_number in text
    assert "7.000 đồng" in text and "Bảy nghìn đồng" in text and "Giấy khai sinh" in text


def test_a_request_is_paid_once(clock, units, justice_officer, leader):
    c = receive(justice_officer, units.commune)
    fees.record_fee_payment(certification_id=c.pk, by=justice_officer)
    with pytest.raises(Conflict, match="đã được thu"):
        fees.record_fee_payment(certification_id=c.pk, by=leader)
    assert PaymentOrder.objects.count() == 1


def test_a_transfer_needs_its_bank_reference_and_nothing_is_recorded_without_it(
    clock, units, justice_officer
):
    c = receive(justice_officer, units.commune)
    with pytest.raises(PaymentRefused, match="Số tham chiếu chuyển khoản"):
        fees.record_fee_payment(certification_id=c.pk, by=justice_officer, method=PaymentMethod.TRANSFER)
    c.refresh_from_db()
    assert not c.is_paid and not PaymentOrder.objects.exists()
    order = fees.record_fee_payment(
        certification_id=c.pk, by=justice_officer, method=PaymentMethod.TRANSFER, transfer_reference="FT24064"
    )
    assert order.transfer_reference == "FT24064"


def test_online_is_not_a_counter_method(clock, units, justice_officer):
    c = receive(justice_officer, units.commune)
    with pytest.raises(DomainError, match="Hình thức nộp phí"):
        fees.record_fee_payment(certification_id=c.pk, by=justice_officer, method=PaymentMethod.ONLINE)


@pytest.mark.parametrize("persona", ["receiver", "other_leader"])
def test_only_the_justice_officer_or_leader_of_the_unit_collects(
    clock, units, justice_officer, persona, request
):
    c = receive(justice_officer, units.commune)
    with pytest.raises(PermissionDenied):
        fees.record_fee_payment(certification_id=c.pk, by=request.getfixturevalue(persona))
    assert not PaymentOrder.objects.exists()


def test_a_refused_request_takes_no_fee(clock, units, justice_officer, leader):
    c = receive(justice_officer, units.commune)
    services.refuse(certification_id=c.pk, by=leader, reason="Bản chính bị tẩy xóa")
    with pytest.raises(Conflict, match="từ chối"):
        fees.record_fee_payment(certification_id=c.pk, by=justice_officer)


def test_no_receipt_before_payment(clock, units, justice_officer):
    from motcua.core.errors import NotFound

    with pytest.raises(NotFound, match="chưa có biên lai"):
        fees.receipt_pdf(receive(justice_officer, units.commune))
