"""Demo officers get their own demo certificate and key, and can sign with them at once."""

import pytest

from motcua.accounts.tests.factories import UserFactory
from motcua.demo.signing import seed_signing_keys
from motcua.documents.models import SigningCertificate
from motcua.documents.signing.officer import sign_as_officer
from motcua.documents.tests.signing_support import sample_pdf
from motcua.documents.verification import verify_pdf

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_signing(settings, tmp_path):  # type: ignore[no-untyped-def]
    keys = tmp_path / "demo-keys"
    settings.MOTCUA_SIGNER = "software"
    settings.MOTCUA_SIGNING_KEYS_DIR = str(keys)
    settings.MOTCUA_SIGNING_PASSWORD = "demo-ky-so"
    settings.MOTCUA_TRUST_ROOTS = [str(keys / "root.pem")]
    settings.MOTCUA_SIGNATURE_FETCH_REVOCATION = False
    return keys


def test_showcase_officers_get_keys_once_and_sign_with_them(demo_signing):
    leader = UserFactory(officer=True, username="lanhdao.xa", full_name="Phạm Văn Hùng")
    UserFactory(username="dan.thuong")  # an applicant: never gets a key

    assert seed_signing_keys(["lanhdao.xa", "dan.thuong"]) == 1
    assert seed_signing_keys(["lanhdao.xa", "dan.thuong"]) == 0  # same CA, nothing new
    assert SigningCertificate.objects.get().officer == leader

    report = verify_pdf(sign_as_officer(leader, sample_pdf(), reason="Ký", unit_name="UBND xã"))
    assert report.ok
    assert report.signatures[0].certificate.common_name == "Phạm Văn Hùng"


def test_nothing_is_issued_without_the_demo_signer(settings, tmp_path):
    settings.MOTCUA_SIGNER = ""
    UserFactory(officer=True, username="lanhdao.xa")
    assert seed_signing_keys(["lanhdao.xa"]) == 0
    assert not SigningCertificate.objects.exists()
