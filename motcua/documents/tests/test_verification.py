"""Verification of signed PDFs: intact files pass; any change after signing is reported (issue 5, item 3)."""

import io

import pikepdf
import pytest
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

from motcua.documents.signing import StampFields
from motcua.documents.signing.demo_pki import DemoPki
from motcua.documents.signing.software import SoftwareSigner
from motcua.documents.tests.signing_support import ORIGINAL_TEXT, PASSWORD, Pki, sample_pdf
from motcua.documents.verification import verify_pdf


@pytest.fixture
def signed(trust, pki: Pki) -> bytes:
    signer = SoftwareSigner.from_pkcs12(pki.paths["p12"], PASSWORD)
    return signer.sign(
        sample_pdf(),
        reason="Ký kết quả",
        location="Hà Nội",
        stamp=StampFields("Nguyễn Văn An", "UBND xã Hòa Bình"),
    )


def test_an_untouched_signed_file_is_valid_and_names_the_signer(signed: bytes, pki: Pki) -> None:
    report = verify_pdf(signed)
    assert report.ok
    (sig,) = report.signatures
    assert sig.intact and sig.valid and sig.trusted and sig.covers_whole_file and not sig.modified
    assert sig.certificate is not None
    assert sig.certificate.serial == format(pki.signer.cert.serial_number, "X")
    assert "CA thử nghiệm Một Cửa" in sig.certificate.issuer
    assert sig.certificate.valid_to > sig.certificate.valid_from
    assert sig.signed_at is not None


def test_a_flipped_byte_inside_the_signed_range_breaks_integrity(signed: bytes) -> None:
    at = signed.index(ORIGINAL_TEXT)
    tampered = signed[:at] + b"H" + signed[at + 1 :]  # "Giay" -> "Hiay"
    report = verify_pdf(tampered)
    assert not report.ok
    assert not report.signatures[0].intact
    assert "mã băm không khớp" in report.signatures[0].problems[0]


def test_an_incremental_update_adding_content_is_reported_modified(signed: bytes) -> None:
    writer = IncrementalPdfFileWriter(io.BytesIO(signed))
    stream = writer.add_object(
        generic.StreamObject(stream_data=b"BT /F1 14 Tf 72 600 Td (Da sua so tien) Tj ET")
    )
    writer.add_stream_to_page(0, stream)
    out = io.BytesIO()
    writer.write(out)
    report = verify_pdf(out.getvalue())
    (sig,) = report.signatures
    assert sig.intact  # the signed bytes themselves are unchanged ...
    assert not sig.covers_whole_file and sig.modified  # ... but the file was changed afterwards
    assert not report.ok


def test_bytes_appended_after_the_signature_are_reported_modified(signed: bytes) -> None:
    appended = signed + b"\n99 0 obj\n<< /Type /Annot /Subtype /Text /Contents (sua) >>\nendobj\n"
    report = verify_pdf(appended)
    (sig,) = report.signatures
    assert sig.intact and not sig.covers_whole_file
    assert sig.modified and not report.ok


def test_a_second_signature_on_top_keeps_the_first_valid(signed: bytes, pki: Pki) -> None:
    signer = SoftwareSigner.from_pkcs12(pki.paths["p12"], PASSWORD)
    twice = signer.sign(signed, reason="Ký lần hai", location="", stamp=StampFields("B", "UBND"))
    report = verify_pdf(twice)
    assert len(report.signatures) == 2 and report.ok


def test_a_stripped_signature_leaves_an_unsigned_file(signed: bytes) -> None:
    with pikepdf.open(io.BytesIO(signed)) as pdf:
        del pdf.Root.AcroForm
        for page in pdf.pages:
            if "/Annots" in page:
                del page.Annots
        out = io.BytesIO()
        pdf.save(out)
    report = verify_pdf(out.getvalue())
    assert not report.ok and not report.signatures
    assert "không có chữ ký số" in report.error


def test_a_resaved_file_is_not_valid(signed: bytes) -> None:
    with pikepdf.open(io.BytesIO(signed)) as pdf:
        out = io.BytesIO()
        pdf.save(out)
    report = verify_pdf(out.getvalue())
    assert not report.ok
    assert all(not s.intact or s.modified for s in report.signatures)


def test_a_certificate_from_an_unlisted_root_is_not_trusted(trust, tmp_path) -> None:  # type: ignore[no-untyped-def]
    stranger = DemoPki("CA lạ")
    issued = stranger.issue("Người lạ")
    paths = stranger.write(tmp_path, issued, PASSWORD)
    signer = SoftwareSigner.from_pkcs12(paths["p12"], PASSWORD)
    signed = signer.sign(sample_pdf(), reason="", location="", stamp=StampFields("Người lạ", "Không rõ"))
    report = verify_pdf(signed)
    (sig,) = report.signatures
    assert sig.intact and sig.valid and not sig.trusted and not report.ok


def test_an_expired_certificate_is_not_trusted(trust, pki: Pki, tmp_path) -> None:  # type: ignore[no-untyped-def]
    import datetime as dt

    old = pki.ca.issue("Cán bộ cũ", days=10, not_before=pki.ca.now - dt.timedelta(days=30))
    paths = pki.ca.write(tmp_path, old, PASSWORD)
    signer = SoftwareSigner.from_pkcs12(paths["p12"], PASSWORD)
    signed = signer.sign(sample_pdf(), reason="", location="", stamp=StampFields("Cán bộ cũ", "UBND"))
    assert not verify_pdf(signed).ok


@pytest.mark.parametrize("data", [b"", b"not a pdf", b"%PDF-1.7\ngarbage without structure"])
def test_bad_input_gives_a_message_not_a_crash(trust, data: bytes) -> None:  # type: ignore[no-untyped-def]
    report = verify_pdf(data)
    assert not report.ok and report.error


def test_an_unsigned_pdf_is_reported_as_unsigned(trust) -> None:  # type: ignore[no-untyped-def]
    report = verify_pdf(sample_pdf())
    assert not report.ok and "không có chữ ký số" in report.error
