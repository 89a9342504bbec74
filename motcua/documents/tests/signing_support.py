"""Shared test material for signing and verification: a PDF to sign and a throw-away PKI."""

import io
from pathlib import Path

import pikepdf

from motcua.documents.signing.demo_pki import DemoPki

PASSWORD = b"mat-khau-ky-so"
ORIGINAL_TEXT = b"Giay xac nhan ket qua giai quyet TTHC"


def sample_pdf(pages: int = 1) -> bytes:
    """A small PDF whose page text sits uncompressed in the file (so a test can flip one byte of it)."""
    pdf = pikepdf.new()
    font = pdf.make_indirect(
        pikepdf.Dictionary(
            Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1, BaseFont=pikepdf.Name.Helvetica
        )
    )
    for _ in range(pages):
        page = pdf.add_blank_page(page_size=(595, 842))
        page.Resources = pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=font))
        page.Contents = pdf.make_stream(b"BT /F1 14 Tf 72 720 Td (" + ORIGINAL_TEXT + b") Tj ET")
    buffer = io.BytesIO()
    pdf.save(buffer, compress_streams=False)
    return buffer.getvalue()


class Pki:
    def __init__(self, directory: Path) -> None:
        self.ca = DemoPki()
        self.signer = self.ca.issue("Nguyễn Văn An", "UBND xã Hòa Bình")
        self.tsa = self.ca.issue("TSA thử nghiệm", timestamping=True)
        self.paths = self.ca.write(directory, self.signer, PASSWORD)


def apply_trust(settings, pki: Pki):  # type: ignore[no-untyped-def]
    """The test root is the only trust anchor; no network fetching of revocation data; no TSA."""
    settings.MOTCUA_TRUST_ROOTS = [str(pki.paths["root"])]
    settings.MOTCUA_SIGNATURE_FETCH_REVOCATION = False
    settings.MOTCUA_TSA_URL = ""
    return settings


class OfficerKeys:
    """Software keys per officer for tests of signing in the workflow (``signing.officer``): ``enrol``
    issues a certificate from the test CA, writes the officer's PKCS#12 into the keys directory and
    registers the certificate with its ``key_ref``; the CA root is the trust anchor."""

    def __init__(self, settings, pki: Pki, directory: Path) -> None:  # type: ignore[no-untyped-def]
        from motcua.documents.signing.demo_pki import write_pkcs12

        self._write = write_pkcs12
        self.pki = pki
        self.directory = directory
        apply_trust(settings, pki)
        settings.MOTCUA_SIGNER = "software"
        settings.MOTCUA_SIGNING_KEYS_DIR = str(directory)
        settings.MOTCUA_SIGNING_PASSWORD = PASSWORD.decode()

    def enrol(self, officer, unit: str = "", days: int = 365):  # type: ignore[no-untyped-def]
        from motcua.documents.signing.registry import register_certificate

        issued = self.pki.ca.issue(officer.full_name or officer.get_username(), unit, days=days)
        name = f"officer-{officer.pk}.p12"
        self._write(self.directory / name, issued, [self.pki.ca.root], PASSWORD)
        return register_certificate(officer, issued.pem, key_ref=name)
