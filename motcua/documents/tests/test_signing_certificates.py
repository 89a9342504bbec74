"""The registry of officers' signing certificates and the expiry query (issue 5, item 2)."""

import datetime as dt

import pytest
from cryptography.hazmat.primitives import serialization
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from motcua.accounts.models import User
from motcua.documents.models import SigningCertificate
from motcua.documents.signing.registry import register_certificate
from motcua.documents.tests.signing_support import Pki

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer() -> User:
    return User.objects.create_user("canbo.ky", password="x-2026-mat-khau", kind=User.Kind.OFFICER)


def test_register_records_issuer_serial_and_validity(officer: User, pki: Pki) -> None:
    row = register_certificate(officer, pki.signer.pem)
    assert row.officer == officer
    assert row.serial == format(pki.signer.cert.serial_number, "X")
    assert "CA thử nghiệm" in row.issuer and "Nguyễn Văn An" in row.subject
    assert row.valid_to == pki.signer.cert.not_valid_after_utc
    # Registering the same certificate again is idempotent; DER is accepted too.
    der = pki.signer.cert.public_bytes(serialization.Encoding.DER)
    assert register_certificate(officer, der).pk == row.pk
    assert SigningCertificate.objects.count() == 1


def test_register_refuses_garbage_applicants_and_another_officers_cert(officer: User, pki: Pki) -> None:
    with pytest.raises(ValidationError, match="không đọc được"):
        register_certificate(officer, b"-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n")
    citizen = User.objects.create_user("nguoidan", password="x-2026-mat-khau")
    with pytest.raises(ValidationError, match="cho cán bộ"):
        register_certificate(citizen, pki.signer.pem)
    register_certificate(officer, pki.signer.pem)
    other = User.objects.create_user("canbo.khac", password="x-2026-mat-khau", kind=User.Kind.OFFICER)
    with pytest.raises(ValidationError, match="cán bộ khác"):
        register_certificate(other, pki.signer.pem)


def test_expiring_within_lists_only_active_current_certs_soon_to_expire(officer: User, pki: Pki) -> None:
    soon = register_certificate(officer, pki.ca.issue("Sắp hết hạn", days=10).pem)
    register_certificate(officer, pki.ca.issue("Còn lâu", days=300).pem)
    expired = pki.ca.issue("Đã hết hạn", days=5, not_before=pki.ca.now - dt.timedelta(days=30))
    register_certificate(officer, expired.pem)
    revoked = register_certificate(officer, pki.ca.issue("Ngừng dùng", days=5).pem)
    revoked.active = False
    revoked.save()
    assert list(SigningCertificate.objects.expiring_within(30)) == [soon]
    assert SigningCertificate.objects.expiring_within(5).count() == 0


def test_issuer_and_serial_are_unique(officer: User, pki: Pki) -> None:
    row = register_certificate(officer, pki.signer.pem)
    with transaction.atomic(), pytest.raises(IntegrityError):
        SigningCertificate.objects.create(
            officer=officer,
            subject="x",
            issuer=row.issuer,
            serial=row.serial,
            valid_from=row.valid_from,
            valid_to=row.valid_to,
            fingerprint="0" * 64,
            pem="",
        )
