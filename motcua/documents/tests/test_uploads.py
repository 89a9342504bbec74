"""The upload gate (``documents.uploads.check_upload``): types by content, size limit, PDF structure,
images re-encoded without metadata, pixel floods refused, random names, messages naming the paper."""

import io

import pikepdf
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from motcua.documents.tests.samples import (
    jpeg_with_exif,
    pdf_bytes,
    pdf_of_size,
    pdf_with_javascript,
    png_bytes,
)
from motcua.documents.uploads import DEFAULT_MAX_BYTES, check_upload

LABEL = "Tờ khai đăng ký khai sinh"


def upload(name: str, content: bytes, content_type: str = "application/pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def refusal(name: str, content: bytes, **kwargs: object) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        check_upload(upload(name, content), label=LABEL, **kwargs)  # type: ignore[arg-type]
    return caught.value


def test_a_valid_pdf_is_kept_byte_for_byte_under_a_random_name():
    content = pdf_bytes(pages=2)
    checked = check_upload(upload("../../etc/to khai của tôi.pdf", content), label=LABEL)
    assert checked.content == content  # signatures stay valid
    assert checked.extension == "pdf"
    assert checked.pages == 2
    assert checked.original_name == "to khai của tôi.pdf"
    stored = checked.as_file()
    assert stored.name.endswith(".pdf")
    assert "/" not in stored.name and "to khai" not in stored.name
    assert len(stored.name) == 36  # 32 hex + ".pdf"


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("giay-to.pdf", b"<html><script>alert(1)</script></html>"),
        ("anh.png", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'),
        ("tai-lieu.jpg", b"MZ\x90\x00\x03 executable"),
        ("nen.pdf", b"PK\x03\x04 a zip renamed"),
    ],
)
def test_a_fake_extension_is_refused_by_content(name, content):
    error = refusal(name, content)
    assert error.code == "bad_type"
    assert error.messages == [
        f"{LABEL}: tệp «{name}» không phải PDF, JPEG hoặc PNG (đã kiểm tra nội dung tệp, "
        "không chỉ phần đuôi tên)."
    ]


def test_a_pdf_followed_by_html_polyglot_is_refused():
    error = refusal("da-nang.pdf", pdf_bytes() + b"<html><script>alert(document.cookie)</script></html>")
    assert error.code == "pdf_tail"
    assert LABEL in error.messages[0]


def test_a_jpeg_with_a_zip_appended_polyglot_is_stored_without_it():
    checked = check_upload(upload("anh.jpg", jpeg_with_exif() + b"PK\x03\x04payload.html"), label=LABEL)
    assert b"PK\x03\x04" not in checked.content
    assert b"payload" not in checked.content


def test_a_broken_pdf_is_refused():
    error = refusal("hong.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    assert error.code == "pdf_broken"
    assert "bị hỏng" in error.messages[0]


@pytest.mark.parametrize("user_password", ["mat-khau", ""])
def test_an_encrypted_pdf_is_refused_with_or_without_a_user_password(user_password):
    content = pdf_bytes(encryption=pikepdf.Encryption(owner="chu-so-huu", user=user_password))
    error = refusal("ma-hoa.pdf", content)
    assert error.code == "pdf_encrypted"
    assert "mật khẩu" in error.messages[0]


def test_a_pdf_with_javascript_is_refused():
    error = refusal("js.pdf", pdf_with_javascript())
    assert error.code == "pdf_active"
    assert "JavaScript" in error.messages[0]


def test_a_pdf_with_a_launch_action_in_an_annotation_is_refused():
    pdf = pikepdf.new()
    pdf.add_blank_page()
    link = pdf.make_indirect(
        pikepdf.Dictionary(
            Type=pikepdf.Name.Annot,
            Subtype=pikepdf.Name.Link,
            Rect=[0, 0, 10, 10],
            A=pikepdf.Dictionary(S=pikepdf.Name.Launch, F=pikepdf.String("cmd.exe")),
        )
    )
    pdf.pages[0].Annots = pdf.make_indirect([link])
    out = io.BytesIO()
    pdf.save(out)
    assert refusal("launch.pdf", out.getvalue()).code == "pdf_active"


def test_an_image_is_reencoded_without_exif_gps_or_comment():
    original = jpeg_with_exif()
    assert b"Canon" in original and b"secret comment" in original
    checked = check_upload(upload("anh.jpg", original, "image/jpeg"), label=LABEL)
    assert checked.extension == "jpg"
    assert b"Canon" not in checked.content
    assert b"secret comment" not in checked.content
    image = Image.open(io.BytesIO(checked.content))
    assert image.format == "JPEG"
    assert image.size == (40, 20)
    assert not image.getexif()
    assert "comment" not in image.info


def test_a_png_stays_a_png():
    checked = check_upload(upload("anh.png", png_bytes(), "image/png"), label=LABEL)
    assert checked.extension == "png"
    assert checked.as_file().name.endswith(".png")
    assert Image.open(io.BytesIO(checked.content)).format == "PNG"


def test_huge_image_dimensions_are_refused_before_decoding(settings):
    # given a small file that declares a large canvas
    settings.MOTCUA_UPLOAD_MAX_PIXELS = 1_000_000
    content = png_bytes(size=(2000, 1000), mode="1")
    assert len(content) < 50_000
    # then
    error = refusal("bom.png", content)
    assert error.code == "image_pixels"
    assert "quá lớn" in error.messages[0]


def test_a_pixel_flood_beyond_pillows_own_guard_is_refused():
    content = png_bytes(size=(20000, 20000), mode="1")  # 400 megapixels in ~50 kB
    assert refusal("bom.png", content).code == "image_pixels"


def test_a_truncated_image_is_refused():
    content = jpeg_with_exif()[:200]
    assert refusal("cut.jpg", content).code == "image_broken"


def test_the_size_limit_is_exact():
    at_limit = pdf_of_size(DEFAULT_MAX_BYTES)
    assert len(at_limit) == DEFAULT_MAX_BYTES
    assert check_upload(upload("vua.pdf", at_limit), label=LABEL).content == at_limit
    error = refusal("lon.pdf", at_limit + b"\n")
    assert error.code == "too_big"
    assert error.messages == [
        f"{LABEL}: tệp «lon.pdf» lớn hơn 20 MB: hãy quét lại với độ phân giải thấp hơn hoặc tách tệp."
    ]


def test_the_size_limit_is_configurable(settings):
    settings.MOTCUA_UPLOAD_MAX_BYTES = 2 * 1024 * 1024
    content = pdf_of_size(2 * 1024 * 1024 + 1)
    error = refusal("lon.pdf", content)
    assert "lớn hơn 2 MB" in error.messages[0]


def test_an_empty_file_is_refused():
    assert refusal("rong.pdf", b"").code == "empty"


def test_without_a_label_the_message_starts_with_the_file():
    with pytest.raises(ValidationError) as caught:
        check_upload(upload("rong.pdf", b""))
    assert caught.value.messages == ["Tệp «rong.pdf» rỗng."]
