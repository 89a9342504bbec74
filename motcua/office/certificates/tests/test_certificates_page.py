"""The "Chứng thư số" page: own certificates with days left and a warning before expiry; the unit leader
registers (PEM or DER upload + key reference) and withdraws certificates of the unit's officers."""

import pytest
from cryptography.hazmat.primitives import serialization
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from motcua.accounts.tests.factories import UserFactory
from motcua.documents.models import SigningCertificate
from motcua.documents.signing.registry import register_certificate

pytestmark = pytest.mark.django_db

LIST = "office:certificate_list"


def issue(signing_pki, officer, days=365):
    return signing_pki.ca.issue(officer.full_name, "UBND xã", days=days)


def upload(issued, *, der=False):
    data = issued.cert.public_bytes(serialization.Encoding.DER) if der else issued.pem
    data = data.encode() if isinstance(data, str) else data
    return SimpleUploadedFile("chung-thu.cer" if der else "chung-thu.pem", data)


def test_an_officer_sees_their_certificates_and_a_warning_before_expiry(as_officer, receiver, signing_pki):
    client = as_officer(receiver)
    page = client.get(reverse(LIST)).content.decode()
    assert 'data-own="none"' in page and "Đăng ký chứng thư số cho cán bộ" not in page
    soon = register_certificate(receiver, issue(signing_pki, receiver, days=20).pem)
    page = client.get(reverse(LIST)).content.decode()
    assert soon.serial in page and "Sắp hết hiệu lực" in page and 'data-warning="expires-soon"' in page
    assert "ngày" in page and soon.issuer in page
    dashboard = client.get(reverse("office:dashboard")).content.decode()
    assert reverse(LIST) in dashboard and 'data-warning="certificate-expiring"' in dashboard


def test_no_warning_for_a_certificate_valid_for_long(as_officer, receiver, signing_pki):
    register_certificate(receiver, issue(signing_pki, receiver, days=365).pem)
    client = as_officer(receiver)
    assert 'data-warning="expires-soon"' not in client.get(reverse(LIST)).content.decode()
    assert (
        'data-warning="certificate-expiring"' not in client.get(reverse("office:dashboard")).content.decode()
    )


@pytest.mark.parametrize("der", [False, True])
def test_the_leader_registers_a_certificate_for_an_officer_of_the_unit(
    as_officer, leader, receiver, signing_pki, der
):
    # given
    client = as_officer(leader)
    issued = issue(signing_pki, receiver)
    # when
    response = client.post(
        reverse("office:certificate_register"),
        {"officer": receiver.pk, "certificate": upload(issued, der=der), "key_ref": " token-khoa-01 "},
    )
    # then
    assert response.status_code == 302
    certificate = SigningCertificate.objects.get()
    assert (certificate.officer, certificate.key_ref, certificate.active) == (receiver, "token-khoa-01", True)
    page = client.get(reverse(LIST)).content.decode()
    assert certificate.serial in page and receiver.full_name in page
    # and withdraws it
    response = client.post(reverse("office:certificate_deactivate", args=[certificate.pk]))
    assert response.status_code == 302
    certificate.refresh_from_db()
    assert not certificate.active
    again = client.post(reverse("office:certificate_deactivate", args=[certificate.pk]))
    assert again.status_code == 409 and "đã ngừng sử dụng" in again.content.decode()


def test_an_unreadable_file_is_refused_with_the_field_named(as_officer, leader, receiver):
    client = as_officer(leader)
    response = client.post(
        reverse("office:certificate_register"),
        {"officer": receiver.pk, "certificate": SimpleUploadedFile("x.pem", b"not a certificate")},
    )
    assert response.status_code == 400
    assert "Chứng thư số: không đọc được tệp chứng thư" in response.content.decode()
    assert not SigningCertificate.objects.exists()


def test_a_leader_manages_only_officers_of_their_units(as_officer, leader, receiver_elsewhere, signing_pki):
    client = as_officer(leader)
    response = client.post(
        reverse("office:certificate_register"),
        {"officer": receiver_elsewhere.pk, "certificate": upload(issue(signing_pki, receiver_elsewhere))},
    )
    assert response.status_code == 400 and "không thuộc đơn vị bạn quản lý" in response.content.decode()
    foreign = register_certificate(receiver_elsewhere, issue(signing_pki, receiver_elsewhere).pem)
    assert foreign.serial not in client.get(reverse(LIST)).content.decode()
    assert client.post(reverse("office:certificate_deactivate", args=[foreign.pk])).status_code == 404
    foreign.refresh_from_db()
    assert foreign.active


def test_an_officer_who_leads_nothing_may_not_register_or_withdraw(as_officer, receiver, leader, signing_pki):
    own = register_certificate(receiver, issue(signing_pki, receiver).pem)
    client = as_officer(receiver)
    response = client.post(
        reverse("office:certificate_register"),
        {"officer": receiver.pk, "certificate": upload(issue(signing_pki, receiver))},
    )
    assert response.status_code == 403
    assert client.post(reverse("office:certificate_deactivate", args=[own.pk])).status_code == 404
    assert SigningCertificate.objects.filter(active=True).count() == 1


def test_staff_register_for_any_officer(client, receiver_elsewhere, signing_pki):
    from motcua.conftest import login_with_otp

    staff = UserFactory(officer=True, is_staff=True)
    login_with_otp(client, staff)
    response = client.post(
        reverse("office:certificate_register"),
        {"officer": receiver_elsewhere.pk, "certificate": upload(issue(signing_pki, receiver_elsewhere))},
    )
    assert response.status_code == 302
    assert SigningCertificate.objects.get().officer == receiver_elsewhere
