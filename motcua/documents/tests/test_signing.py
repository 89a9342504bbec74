"""Signing behind one interface (software key, PKCS#11 token, remote service), the Vietnamese stamp,
RFC 3161 timestamps with long-term validation data (issue 5, item 2)."""

import io
import os
import shutil
import subprocess
from pathlib import Path

import pikepdf
import pytest
from cryptography.hazmat.primitives import serialization
from pypdf import PdfReader

from motcua.documents.signing import SigningError, StampFields, configured_signer
from motcua.documents.signing.demo_pki import new_key
from motcua.documents.signing.loopback import RemoteSigningService, TimestampAuthority
from motcua.documents.signing.pkcs11 import Pkcs11Signer
from motcua.documents.signing.remote import HttpRemoteSigningClient, RemoteSigner
from motcua.documents.signing.software import SoftwareSigner
from motcua.documents.signing.stamp import render_stamp_pdf
from motcua.documents.tests.signing_support import PASSWORD, Pki, sample_pdf
from motcua.documents.verification import verify_pdf

SOFTHSM = Path("/usr/lib/softhsm/libsofthsm2.so")
STAMP = StampFields(signer_name="Nguyễn Văn An", unit="UBND xã Hòa Bình, tỉnh Thái Nguyên")


def _sign(signer, pdf: bytes | None = None) -> bytes:  # type: ignore[no-untyped-def]
    return signer.sign(pdf or sample_pdf(), reason="Phê duyệt kết quả", location="Thái Nguyên", stamp=STAMP)


def test_stamp_text_is_vietnamese_with_signer_unit_and_time() -> None:
    import datetime as dt

    when = dt.datetime(2026, 3, 5, 7, 7, tzinfo=dt.UTC)  # 14:07 in Hà Nội
    fields = StampFields(signer_name="Trần Thị Bích Ngọc", unit="Sở Tư pháp", signed_at=when)
    text = PdfReader(io.BytesIO(render_stamp_pdf(fields))).pages[0].extract_text()
    assert "Ký bởi: Trần Thị Bích Ngọc" in text
    assert "Đơn vị: Sở Tư pháp" in text
    assert "Thời gian: 05/03/2026 14:07" in text


def test_software_signer_pkcs12_signs_with_visible_stamp(trust, pki: Pki) -> None:
    original = sample_pdf()
    signed = _sign(SoftwareSigner.from_pkcs12(pki.paths["p12"], PASSWORD), original)
    report = verify_pdf(signed)
    assert report.ok, report
    (sig,) = report.signatures
    assert sig.certificate is not None and sig.certificate.common_name == "Nguyễn Văn An"
    assert sig.reason == "Phê duyệt kết quả" and sig.location == "Thái Nguyên"
    assert sig.timestamp is None  # no TSA configured
    # The widget is visible (non-empty rectangle, bottom right of the last page) and has an appearance.
    with pikepdf.open(io.BytesIO(signed)) as pdf:
        (widget,) = [a for a in pdf.pages[-1].Annots if a.get("/FT") == "/Sig"]
        x1, y1, x2, y2 = (float(v) for v in widget.Rect)
        assert x2 - x1 > 100 and y2 - y1 > 40 and x1 > 595 / 2
        assert "/N" in widget.AP
    # The original revision is kept byte for byte (incremental update).
    assert signed.startswith(original)


def test_software_signer_from_pem_files_and_settings(trust, pki: Pki) -> None:
    trust.MOTCUA_SIGNER = "software"
    trust.MOTCUA_SIGNING_PKCS12 = ""
    trust.MOTCUA_SIGNING_KEY = str(pki.paths["key"])
    trust.MOTCUA_SIGNING_CERT = str(pki.paths["cert"])
    trust.MOTCUA_SIGNING_CHAIN = [str(pki.paths["root"])]
    trust.MOTCUA_SIGNING_PASSWORD = PASSWORD.decode()
    signer = configured_signer()
    assert signer.certificate().subject.native["common_name"] == "Nguyễn Văn An"
    assert verify_pdf(_sign(signer)).ok


def test_unconfigured_or_wrong_password_gives_a_vietnamese_error(trust, pki: Pki) -> None:
    trust.MOTCUA_SIGNER = ""
    with pytest.raises(SigningError, match="Chưa cấu hình"):
        configured_signer()
    with pytest.raises((SigningError, ValueError)):
        SoftwareSigner.from_pkcs12(pki.paths["p12"], b"sai-mat-khau")


def test_signing_a_non_pdf_is_refused(trust, pki: Pki) -> None:
    signer = SoftwareSigner.from_pkcs12(pki.paths["p12"], PASSWORD)
    with pytest.raises(SigningError, match="không phải là tệp PDF"):
        _sign(signer, b"<html>not a pdf</html>")


def test_a_second_signature_keeps_the_first_valid(trust, pki: Pki) -> None:
    signer = SoftwareSigner.from_pkcs12(pki.paths["p12"], PASSWORD)
    twice = _sign(signer, _sign(signer))
    report = verify_pdf(twice)
    assert len(report.signatures) == 2
    first, second = report.signatures
    assert not first.covers_whole_file and not first.modified
    assert second.covers_whole_file
    assert report.ok, report


# --- Remote signing --------------------------------------------------------------------------------


def _service(pki: Pki, *, key=None) -> RemoteSigningService:  # type: ignore[no-untyped-def]
    assert pki.signer.key is not None
    return RemoteSigningService(
        api_key="khoa-truy-cap",
        key_id="can-bo-1",
        private_key=key or pki.signer.key,
        certificate_pem=pki.signer.pem.decode(),
        chain_pem=[pki.ca.root.pem.decode()],
    )


def test_remote_signer_signs_through_the_loopback_service(trust, pki: Pki) -> None:
    with _service(pki) as service:
        trust.MOTCUA_SIGNER = "remote"
        trust.MOTCUA_REMOTE_SIGNING_URL = service.url
        trust.MOTCUA_REMOTE_SIGNING_API_KEY = "khoa-truy-cap"
        trust.MOTCUA_REMOTE_SIGNING_KEY_ID = "can-bo-1"
        signed = _sign(configured_signer())
        assert service.signed == 1  # only the real signature, not the size estimate
    report = verify_pdf(signed)
    assert report.ok, report


def test_remote_service_refuses_wrong_key_and_unknown_key_id(trust, pki: Pki) -> None:
    with _service(pki) as service:
        with pytest.raises(SigningError, match="từ chối khoá truy cập"):
            RemoteSigner(HttpRemoteSigningClient(service.url, "sai", "can-bo-1")).certificate()
        with pytest.raises(SigningError, match="không có khoá ký"):
            RemoteSigner(HttpRemoteSigningClient(service.url, "khoa-truy-cap", "khac")).certificate()
        client = HttpRemoteSigningClient(service.url, "khoa-truy-cap", "can-bo-1")
        with pytest.raises(SigningError, match="400"):
            client.sign_digest(b"too short", "sha256")
        assert service.signed == 0


def test_a_remote_signature_from_another_key_is_reported_invalid(trust, pki: Pki) -> None:
    with _service(pki, key=new_key()) as service:
        signer = RemoteSigner(HttpRemoteSigningClient(service.url, "khoa-truy-cap", "can-bo-1"))
        signed = _sign(signer)
    report = verify_pdf(signed)
    assert not report.ok
    assert report.signatures[0].intact and not report.signatures[0].valid


# --- Timestamps and long-term validation ------------------------------------------------------------


def test_timestamp_and_ltv_data_when_a_tsa_is_configured(trust, pki: Pki) -> None:
    with TimestampAuthority(pki.tsa.asn1, pki.tsa.asn1_key) as tsa:
        trust.MOTCUA_TSA_URL = tsa.url
        signed = _sign(SoftwareSigner.from_pkcs12(pki.paths["p12"], PASSWORD))
        assert tsa.requests >= 2  # the signature timestamp and the document timestamp (B-LTA)
    with pikepdf.open(io.BytesIO(signed)) as pdf:
        assert "/DSS" in pdf.Root  # embedded validation data (certificates) for long-term validation
        assert len(pdf.Root.DSS.Certs) >= 2
    report = verify_pdf(signed)
    assert report.ok, report
    kinds = [s.kind for s in report.signatures]
    assert kinds == ["signature", "document_timestamp"]
    assert report.signatures[0].timestamp is not None


def test_an_unreachable_tsa_fails_signing_instead_of_signing_without_time(trust, pki: Pki) -> None:
    trust.MOTCUA_TSA_URL = "http://127.0.0.1:9/tsa"
    with pytest.raises(SigningError):
        _sign(SoftwareSigner.from_pkcs12(pki.paths["p12"], PASSWORD))


# --- PKCS#11 token (SoftHSM2) -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def token(tmp_path_factory: pytest.TempPathFactory, pki: Pki):  # type: ignore[no-untyped-def]
    """A SoftHSM2 token in a temporary directory, with a key pair generated ON the token and the
    certificate the test CA issued for its public key stored beside it."""
    if not SOFTHSM.exists() or shutil.which("softhsm2-util") is None:
        pytest.skip("SoftHSM2 (libsofthsm2.so) is not installed: apt-get install softhsm2")
    import pkcs11
    from pkcs11 import Attribute, KeyType
    from pkcs11.util.rsa import encode_rsa_public_key
    from pkcs11.util.x509 import decode_x509_certificate

    directory = tmp_path_factory.mktemp("softhsm")
    (directory / "tokens").mkdir()
    config = directory / "softhsm2.conf"
    config.write_text(f"directories.tokendir = {directory / 'tokens'}\nobjectstore.backend = file\n")
    os.environ["SOFTHSM2_CONF"] = str(config)
    subprocess.run(
        [
            "softhsm2-util",
            "--init-token",
            "--free",
            "--label",
            "motcua-test",
            "--pin",
            "123456",
            "--so-pin",
            "654321",
        ],
        check=True,
        capture_output=True,
    )
    lib = pkcs11.lib(str(SOFTHSM))
    with lib.get_token(token_label="motcua-test").open(rw=True, user_pin="123456") as session:
        public, _private = session.generate_keypair(KeyType.RSA, 2048, label="can-bo", store=True)
        public_key = serialization.load_der_public_key(encode_rsa_public_key(public))
        issued = pki.ca.issue("Lê Thị Hoa", "UBND xã Hòa Bình", public_key=public_key)
        attributes = decode_x509_certificate(issued.cert.public_bytes(serialization.Encoding.DER))
        attributes[Attribute.TOKEN] = True
        attributes[Attribute.LABEL] = "can-bo"
        session.create_object(attributes)
    chain = directory / "chain.pem"
    chain.write_bytes(pki.ca.root.pem)
    return {"module": str(SOFTHSM), "label": "motcua-test", "pin": "123456", "chain": str(chain)}


def test_pkcs11_token_signs_with_key_generated_on_the_token(trust, token) -> None:  # type: ignore[no-untyped-def]
    trust.MOTCUA_SIGNER = "pkcs11"
    trust.MOTCUA_PKCS11_MODULE = token["module"]
    trust.MOTCUA_PKCS11_TOKEN = token["label"]
    trust.MOTCUA_PKCS11_PIN = token["pin"]
    trust.MOTCUA_PKCS11_KEY_LABEL = "can-bo"
    trust.MOTCUA_PKCS11_CERT_LABEL = ""
    trust.MOTCUA_PKCS11_CERT = ""
    trust.MOTCUA_SIGNING_CHAIN = [token["chain"]]
    signer = configured_signer()
    signed = _sign(signer)
    report = verify_pdf(signed)
    assert report.ok, report
    assert report.signatures[0].certificate.common_name == "Lê Thị Hoa"  # type: ignore[union-attr]


def test_pkcs11_wrong_pin_is_a_clear_error(trust, token) -> None:  # type: ignore[no-untyped-def]
    signer = Pkcs11Signer(
        module=token["module"], token_label=token["label"], pin="000000", key_label="can-bo"
    )
    with pytest.raises(SigningError, match="mã PIN"):
        _sign(signer)
