"""The public signature check: upload a PDF, see the report; the API twin; throttling; nothing stored."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from motcua.documents.signing import StampFields
from motcua.documents.signing.software import SoftwareSigner
from motcua.documents.tests.signing_support import ORIGINAL_TEXT, PASSWORD, Pki, apply_trust, sample_pdf

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> Pki:
    return Pki(tmp_path_factory.mktemp("pki"))


@pytest.fixture
def trust(settings, pki: Pki):  # type: ignore[no-untyped-def]
    return apply_trust(settings, pki)


@pytest.fixture
def signed(trust, pki: Pki) -> bytes:
    signer = SoftwareSigner.from_pkcs12(pki.paths["p12"], PASSWORD)
    return signer.sign(
        sample_pdf(), reason="", location="", stamp=StampFields("Nguyễn Văn An", "UBND xã Hòa Bình")
    )


def _upload(data: bytes, name: str = "ket-qua.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/pdf")


def test_page_shows_a_valid_signature_with_signer_and_issuer(client, signed: bytes) -> None:
    assert client.get(reverse("portal:verify_signature")).status_code == 200
    response = client.post(reverse("portal:verify_signature"), {"tep": _upload(signed)})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Tất cả chữ ký số hợp lệ" in html
    assert "Nguyễn Văn An" in html and "CA thử nghiệm Một Cửa" in html


def test_page_reports_a_tampered_file_as_invalid(client, signed: bytes) -> None:
    at = signed.index(ORIGINAL_TEXT)
    response = client.post(
        reverse("portal:verify_signature"), {"tep": _upload(signed[:at] + b"X" + signed[at + 1 :])}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "không hợp lệ hoặc đã bị thay đổi" in html and "mã băm không khớp" in html


def test_page_names_the_field_for_a_missing_or_non_pdf_file(client, trust) -> None:
    response = client.post(reverse("portal:verify_signature"), {})
    assert response.status_code == 400 and "Hãy chọn tệp PDF" in response.content.decode()
    response = client.post(reverse("portal:verify_signature"), {"tep": _upload(b"<html></html>", "a.pdf")})
    assert response.status_code == 400 and "không phải là tệp PDF" in response.content.decode()


def test_page_is_throttled_per_address(client, trust) -> None:
    trust.MOTCUA_VERIFY_PER_HOUR = 2
    for _ in range(2):
        assert (
            client.post(reverse("portal:verify_signature"), {"tep": _upload(sample_pdf())}).status_code == 200
        )
    response = client.post(reverse("portal:verify_signature"), {"tep": _upload(sample_pdf())})
    assert response.status_code == 429 and "quá nhiều tệp" in response.content.decode()


def test_api_verify_returns_the_report_as_json(client, signed: bytes) -> None:
    url = reverse("api:verify_pdf")
    assert url == "/api/v1/verify"
    body = client.post(url, {"file": _upload(signed)}).json()
    assert body["ok"] is True
    (sig,) = body["signatures"]
    assert sig["intact"] and sig["trusted"] and not sig["modified"]
    assert sig["certificate"]["common_name"] == "Nguyễn Văn An"
    at = signed.index(ORIGINAL_TEXT)
    tampered = client.post(url, {"file": _upload(signed[:at] + b"X" + signed[at + 1 :])}).json()
    assert tampered["ok"] is False and tampered["signatures"][0]["intact"] is False
    unsigned = client.post(url, {"file": _upload(sample_pdf())}).json()
    assert unsigned["ok"] is False and "không có chữ ký số" in unsigned["error"]
    assert client.post(url, {}).status_code == 400
    assert client.post(url, {"file": _upload(b"GIF89a")}).status_code == 400
