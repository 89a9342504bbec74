"""The office actions after reception: collect the fee, sign ("Ký số"), place in the data store; refusals
come back as a Vietnamese message on the detail page with nothing changed."""

import pytest
from django.urls import reverse

from motcua.certification import services
from motcua.certification.models import BookKind, CertificationStatus
from motcua.certification.tests.conftest import paid, scan_file
from motcua.certification.tests.test_office_pages import sign_in
from motcua.payments.models import PaymentOrder

pytestmark = pytest.mark.django_db


def certified(justice_officer, leader, unit, *, pay=True):
    c = services.receive_original(
        by=justice_officer,
        unit=unit,
        scan=scan_file(3),
        requester_name="Nguyễn Văn An",
        requester_id_number="030090000123",
        document_name="Giấy khai sinh",
        copies=1,
        kind=BookKind.ELECTRONIC_COPY,
    )
    if pay:
        c = paid(c, justice_officer)
    return services.approve(certification_id=c.pk, by=leader, title="Chủ tịch")


def test_a_signing_error_is_shown_in_vietnamese_and_nothing_changes(client, units, justice_officer, leader):
    c = certified(justice_officer, leader, units.commune)  # the chair has no registered certificate
    sign_in(client, leader)
    response = client.post(reverse("office:certification_sign", args=[c.public_id]))
    assert response.status_code == 400
    assert "chưa có chứng thư số còn hiệu lực" in response.content.decode()
    c.refresh_from_db()
    assert c.status == CertificationStatus.CERTIFIED and not c.signed_file


def test_the_sign_button_is_for_the_approver_only(client, units, justice_officer, leader, officer_keys):
    officer_keys.enrol(leader, units.commune.name)
    c = certified(justice_officer, leader, units.commune)
    sign_url = reverse("office:certification_sign", args=[c.public_id])
    sign_in(client, justice_officer)
    assert (
        sign_url
        not in client.get(reverse("office:certification_detail", args=[c.public_id])).content.decode()
    )
    assert client.post(sign_url).status_code == 403
    c.refresh_from_db()
    assert c.status == CertificationStatus.CERTIFIED


def test_an_unpaid_copy_shows_a_disabled_button_and_refuses_signing(
    client, units, justice_officer, leader, officer_keys
):
    officer_keys.enrol(leader, units.commune.name)
    c = certified(justice_officer, leader, units.commune, pay=False)
    sign_in(client, leader)
    page = client.get(reverse("office:certification_detail", args=[c.public_id])).content.decode()
    assert 'disabled aria-describedby="sign-unpaid"' in page and "Thu phí chứng thực" in page
    response = client.post(reverse("office:certification_sign", args=[c.public_id]))
    assert response.status_code == 400 and "chưa nộp phí" in response.content.decode()
    listing = client.get(reverse("office:certification_list")).content.decode()
    assert "Chưa nộp phí" in listing


def test_fee_collection_from_the_page_and_a_second_payment_is_a_conflict(
    client, units, justice_officer, leader
):
    c = certified(justice_officer, leader, units.commune, pay=False)
    sign_in(client, justice_officer)
    url = reverse("office:certification_pay", args=[c.public_id])
    refused = client.post(url, {"method": "transfer"})
    assert refused.status_code == 400 and "Số tham chiếu chuyển khoản" in refused.content.decode()
    assert client.post(url, {"method": "transfer", "transfer_reference": "FT1"}).status_code == 302
    assert client.post(url, {"method": "cash"}).status_code == 409
    assert PaymentOrder.objects.filter(subject_ref=c.subject_ref).count() == 1
    assert "Đã nộp phí" in client.get(reverse("office:certification_list")).content.decode()


def test_actions_on_another_units_request_answer_404(client, units, justice_officer, leader, other_leader):
    c = certified(justice_officer, leader, units.commune, pay=False)
    sign_in(client, other_leader)
    for name in ("office:certification_pay", "office:certification_sign", "office:certification_store"):
        assert client.post(reverse(name, args=[c.public_id]), {"method": "cash"}).status_code == 404
    assert client.get(reverse("office:certification_receipt", args=[c.public_id])).status_code == 404
    c.refresh_from_db()
    assert not c.is_paid
