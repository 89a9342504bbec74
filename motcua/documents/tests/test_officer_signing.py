"""Signing as a named officer: their own registered certificate, never someone else's key."""

import pytest

from motcua.accounts.tests.factories import UserFactory
from motcua.documents.signing import SigningError
from motcua.documents.signing.officer import sign_as_officer
from motcua.documents.tests.signing_support import sample_pdf
from motcua.documents.verification import verify_pdf

pytestmark = pytest.mark.django_db


def test_officer_signs_with_own_certificate_and_the_signature_validates(officer_keys):
    officer = UserFactory(officer=True, full_name="Trần Thị Lan")
    officer_keys.enrol(officer, "UBND phường Trần Hưng Đạo")

    signed = sign_as_officer(
        officer, sample_pdf(), reason="Ký kết quả", unit_name="UBND phường Trần Hưng Đạo"
    )

    report = verify_pdf(signed)
    assert len(report.signatures) == 1
    signature = report.signatures[0]
    assert signature.ok
    assert signature.certificate is not None
    assert signature.certificate.common_name == "Trần Thị Lan"


def test_officer_without_registered_certificate_cannot_sign(officer_keys):
    officer = UserFactory(officer=True)

    with pytest.raises(SigningError, match="chưa có chứng thư số"):
        sign_as_officer(officer, sample_pdf(), reason="Ký", unit_name="UBND")


def test_key_of_another_certificate_is_refused(officer_keys):
    officer, other = UserFactory(officer=True), UserFactory(officer=True)
    officer_keys.enrol(officer)
    theirs = officer_keys.enrol(other)
    mine = officer.signing_certificates.get()
    mine.key_ref = theirs.key_ref  # points at the other officer's key file
    mine.save()

    with pytest.raises(SigningError, match="không khớp"):
        sign_as_officer(officer, sample_pdf(), reason="Ký", unit_name="UBND")
