"""Digitization at reception (NĐ 107/2021/NĐ-CP Điều 21a): scans and photos → one normalised PDF,
with an optional Vietnamese text layer (Tesseract ``vie`` through OCRmyPDF)."""

import io
import shutil
import subprocess
from pathlib import Path

import pikepdf
import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from PIL import Image, ImageDraw, ImageFont

from motcua.documents import digitize as dg
from motcua.documents.tests.samples import jpeg_with_exif, pdf_bytes, pdf_with_javascript, png_bytes

FONTS = (
    Path("/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf"),
    Path(__file__).resolve().parents[2] / "dossiers" / "pdf" / "fonts" / "LiberationSerif-Regular.ttf",
)


def upload(data: bytes, name: str) -> ContentFile[bytes]:
    return ContentFile(data, name=name)


def vietnamese_scan() -> bytes:
    """A white A5-ish page at 300 dpi with two lines of the civil-status heading, as a PNG."""
    font_path = next(p for p in FONTS if p.is_file())
    font = ImageFont.truetype(str(font_path), 64)
    image = Image.new("L", (1800, 900), 255)
    draw = ImageDraw.Draw(image)
    draw.text((90, 150), "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", font=font, fill=0)
    draw.text((90, 450), "GIẤY KHAI SINH", font=font, fill=0)
    out = io.BytesIO()
    image.save(out, format="PNG", dpi=(300, 300))
    return out.getvalue()


def pdf_text(pdf: bytes) -> str:
    """The text layer as pdftotext reads it (poppler), else as pikepdf finds it in content streams."""
    tool = shutil.which("pdftotext")
    assert tool is not None, "pdftotext (poppler-utils) is needed to read the text layer back"
    done = subprocess.run([tool, "-enc", "UTF-8", "-", "-"], input=pdf, capture_output=True, check=True)
    return done.stdout.decode()


def test_images_and_pdfs_become_one_pdf_with_every_page_in_order() -> None:
    # given a photo, a two-page PDF and a scan
    files = [
        upload(jpeg_with_exif((400, 600)), "anh-chup.jpg"),
        upload(pdf_bytes(2), "ban-quet.pdf"),
        upload(png_bytes((800, 400)), "trang-cuoi.png"),
    ]

    # when
    result = dg.digitize(files, label="Tờ khai đăng ký khai sinh")

    # then four pages: the photo portrait on A4, the two PDF pages, the landscape scan turned
    assert result.page_count == 4
    assert result.has_text_layer is False and result.is_ocr is False
    with pikepdf.open(io.BytesIO(result.content)) as pdf:
        assert len(pdf.pages) == 4
        first, last = pdf.pages[0].mediabox, pdf.pages[3].mediabox
        assert round(float(first[2])) == 595 and round(float(first[3])) == 842
        assert round(float(last[2])) == 842 and round(float(last[3])) == 595


def test_the_photo_metadata_does_not_reach_the_pdf() -> None:
    result = dg.digitize([upload(jpeg_with_exif(), "anh.jpg")], label="Giấy chứng sinh")

    assert b"Canon" not in result.content and b"secret comment" not in result.content


@pytest.mark.parametrize(
    ("data", "name", "expected"),
    [
        (b"<html><script>alert(1)</script></html>", "to-khai.pdf", "không phải PDF, JPEG hoặc PNG"),
        (pdf_with_javascript(), "co-ma.pdf", "chứa mã JavaScript"),
        (b"", "rong.pdf", "rỗng"),
    ],
)
def test_a_bad_file_is_refused_with_a_vietnamese_message_naming_the_paper(
    data: bytes, name: str, expected: str
) -> None:
    with pytest.raises(ValidationError) as refused:
        dg.digitize([upload(pdf_bytes(1), "tot.pdf"), upload(data, name)], label="Tờ khai đăng ký khai sinh")

    message = refused.value.messages[0]
    assert message.startswith("Tờ khai đăng ký khai sinh:")
    assert expected in message and name in message


def test_no_file_and_too_many_files_are_refused(settings) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError, match="chưa chọn tệp"):
        dg.digitize([], label="Tờ khai")
    settings.MOTCUA_DIGITIZE_MAX_FILES = 2
    with pytest.raises(ValidationError, match="tối đa 2 tệp"):
        dg.digitize([upload(png_bytes(), f"{i}.png") for i in range(3)], label="Tờ khai")


def test_too_many_pages_are_refused(settings) -> None:  # type: ignore[no-untyped-def]
    settings.MOTCUA_DIGITIZE_MAX_PAGES = 3
    with pytest.raises(ValidationError, match="quá 3 trang"):
        dg.digitize([upload(pdf_bytes(2), "a.pdf"), upload(pdf_bytes(2), "b.pdf")], label="Tờ khai")


def test_a_born_digital_pdf_keeps_its_text_layer() -> None:
    # given a PDF that draws text with a font
    pdf = pikepdf.new()
    pdf.add_blank_page()
    font = pdf.make_indirect(
        pikepdf.Dictionary(
            Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1, BaseFont=pikepdf.Name.Helvetica
        )
    )
    page = pdf.pages[0]
    page.obj.Resources = pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=font))
    page.obj.Contents = pdf.make_stream(b"BT /F1 12 Tf 72 720 Td (Giay khai sinh) Tj ET")
    out = io.BytesIO()
    pdf.save(out)

    # when
    result = dg.digitize([upload(out.getvalue(), "to-khai.pdf")], label="Tờ khai")

    # then
    assert result.has_text_layer is True
    assert "Giay khai sinh" in pdf_text(result.content)


def test_ocr_asked_where_tesseract_is_missing_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(dg, "ocr_available", lambda: False)

    with pytest.raises(ValidationError, match="chưa cài Tesseract"):
        dg.digitize([upload(png_bytes(), "a.png")], label="Tờ khai", with_ocr=True)


def test_a_failed_ocr_run_keeps_the_pdf_and_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(pdf: bytes) -> tuple[bytes, bool, list[str]]:
        raise dg.OcrFailed("tesseract crashed")

    monkeypatch.setattr(dg, "ocr_available", lambda: True)
    monkeypatch.setattr(dg, "ocr", broken)

    result = dg.digitize([upload(png_bytes(), "a.png")], label="Tờ khai", with_ocr=True)

    assert result.page_count == 1 and result.has_text_layer is False and result.is_ocr is False
    assert any("Không nhận dạng được chữ" in note for note in result.notes)


def test_ocr_makes_a_searchable_pdfa_of_a_vietnamese_scan() -> None:
    if not dg.ocr_available():
        pytest.skip("Tesseract with Vietnamese data (tesseract-ocr-vie) is not installed: OCR not tested")
    # given a scan the test draws itself, with no text layer
    scan = vietnamese_scan()
    plain = dg.digitize([upload(scan, "giay-khai-sinh.png")], label="Giấy khai sinh")
    assert plain.has_text_layer is False
    assert "KHAI SINH" not in pdf_text(plain.content)

    # when
    result = dg.digitize([upload(scan, "giay-khai-sinh.png")], label="Giấy khai sinh", with_ocr=True)

    # then the Vietnamese text (with its marks) is found in the text layer
    text = pdf_text(result.content)
    assert "GIẤY KHAI SINH" in text
    assert "CỘNG HÒA XÃ HỘI" in text
    assert result.is_ocr is True and result.has_text_layer is True and result.page_count == 1
    if dg.pdfa_available():
        assert result.is_pdfa is True, result.notes
        with pikepdf.open(io.BytesIO(result.content)) as pdf:
            assert pdf.open_metadata().pdfa_status == "2B"
    else:
        assert any("Ghostscript" in note for note in result.notes)
