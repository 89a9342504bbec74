"""Checking files that applicants and officers upload: one gate for the portal and the office.

What a hostile upload may try (QUALITY.md, security item 4) and what this module does about it:

* a renamed HTML, SVG or executable: the type is decided by the **content** (magic bytes), never by the
  name or the browser's content type; only PDF, JPEG and PNG pass (the formats of digitized papers,
  NĐ 45/2020/NĐ-CP Điều 9 and TT 01/2023/TT-VPCP: PDF for documents, JPEG/PNG for photos);
* a file one byte over the limit (``MOTCUA_UPLOAD_MAX_MB``, 20 MB by default) or an empty one;
* a damaged, encrypted or JavaScript/launch-action PDF: opened with pikepdf (qpdf) and refused; a PDF
  with foreign bytes after its end (a polyglot) is refused too. A valid PDF is stored byte for byte,
  so a signed result keeps its digital signature (PAdES);
* an image with a huge pixel count (a decompression bomb) is refused before its pixels are decoded
  (``MOTCUA_UPLOAD_MAX_PIXELS``); every image is decoded and **re-encoded** with Pillow, which drops
  EXIF/GPS metadata, comments and anything appended after the image data;
* path traversal or personal data in file names: the stored name is random (``<uuid>.<ext>``).

Errors are ``ValidationError`` with a Vietnamese message naming the paper (component) and the file.
"""

import io
import re
import uuid
from dataclasses import dataclass
from typing import Any

import pikepdf
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
DEFAULT_MAX_PIXELS = 50_000_000  # an A4 page scanned at 600 dpi is ~35 megapixels

# Magic bytes of the accepted formats: (signature, extension, MIME type).
SIGNATURES: tuple[tuple[bytes, str, str], ...] = (
    (b"%PDF-", "pdf", "application/pdf"),
    (b"\xff\xd8\xff", "jpg", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "png", "image/png"),
)
# PDF keys that run code or open other programs when the file is viewed.
_ACTIVE_PDF_KEYS = frozenset({"/JS", "/JavaScript", "/Launch", "/XFA"})
_ACTIVE_PDF_ACTIONS = frozenset({"/JavaScript", "/Launch", "/ImportData", "/SubmitForm", "/Rendition"})
# After the last %%EOF only line ends and blanks may follow.
_PDF_TAIL = re.compile(rb"%%EOF[\r\n\t \x00]*\Z")


def max_upload_bytes() -> int:
    return int(getattr(settings, "MOTCUA_UPLOAD_MAX_BYTES", DEFAULT_MAX_BYTES))


def max_upload_pixels() -> int:
    return int(getattr(settings, "MOTCUA_UPLOAD_MAX_PIXELS", DEFAULT_MAX_PIXELS))


def max_upload_label() -> str:
    """The limit as people say it, e.g. "20 MB"."""
    size = max_upload_bytes()
    return f"{size // (1024 * 1024)} MB" if size >= 1024 * 1024 else f"{size} B"


@dataclass(frozen=True)
class CheckedFile:
    """An accepted upload: the bytes to store (re-encoded for images) under a random name."""

    content: bytes
    extension: str
    mime_type: str
    original_name: str
    pages: int | None = None

    @property
    def safe_name(self) -> str:
        return f"{uuid.uuid4().hex}.{self.extension}"

    def as_file(self) -> ContentFile[bytes]:
        """A Django file with a random name (nothing from the client ends up in a path)."""
        return ContentFile(self.content, name=self.safe_name)


def display_name(name: str | None) -> str:
    """The client's file name for messages only: the last path part, printable, at most 120 chars."""
    base = re.split(r"[\\/]", name or "")[-1]
    cleaned = "".join(ch for ch in base if ch.isprintable()).strip()
    return cleaned[:120] or "?"


def _refuse(message: str, code: str, label: str, name: str, **params: Any) -> ValidationError:
    text = message % {"name": name, **params}
    text = _("%(label)s: %(problem)s") % {"label": label, "problem": text} if label else capfirst(text)
    return ValidationError(text, code=code)


def check_upload(upload: Any, *, label: str = "", max_bytes: int | None = None) -> CheckedFile:
    """Check ``upload`` (any Django ``File``) and return what may be stored, or raise
    ``ValidationError`` saying why not. ``label`` names the paper in the message (the component)."""
    name = display_name(getattr(upload, "name", ""))
    limit = max_bytes if max_bytes is not None else max_upload_bytes()
    size = getattr(upload, "size", None)
    if size is not None and size > limit:
        raise _refuse(
            _("tệp «%(name)s» lớn hơn %(limit)s: hãy quét lại với độ phân giải thấp hơn hoặc tách tệp."),
            "too_big",
            label,
            name,
            limit=max_upload_label() if max_bytes is None else f"{limit} B",
        )
    upload.seek(0)
    content = upload.read(limit + 1)
    upload.seek(0)
    if len(content) > limit:
        raise _refuse(
            _("tệp «%(name)s» lớn hơn %(limit)s: hãy quét lại với độ phân giải thấp hơn hoặc tách tệp."),
            "too_big",
            label,
            name,
            limit=max_upload_label() if max_bytes is None else f"{limit} B",
        )
    if not content:
        raise _refuse(_("tệp «%(name)s» rỗng."), "empty", label, name)
    for signature, extension, mime_type in SIGNATURES:
        if content.startswith(signature):
            if extension == "pdf":
                return _check_pdf(content, label, name)
            return _reencode_image(content, extension, mime_type, label, name)
    raise _refuse(
        _(
            "tệp «%(name)s» không phải PDF, JPEG hoặc PNG (đã kiểm tra nội dung tệp, không chỉ phần đuôi "
            "tên)."
        ),
        "bad_type",
        label,
        name,
    )


def _check_pdf(content: bytes, label: str, name: str) -> CheckedFile:
    """Open the PDF with qpdf: refuse damaged, encrypted and active (JavaScript, launch) files."""
    if not _PDF_TAIL.search(content[-2048:]):
        raise _refuse(
            _("tệp «%(name)s» có dữ liệu lạ sau phần kết thúc của PDF (tệp ghép, có thể chứa mã độc)."),
            "pdf_tail",
            label,
            name,
        )
    try:
        with pikepdf.open(io.BytesIO(content)) as pdf:
            if pdf.is_encrypted:
                raise _refuse(
                    _("tệp PDF «%(name)s» có mật khẩu hoặc bị mã hóa: hãy gỡ mật khẩu rồi tải lên lại."),
                    "pdf_encrypted",
                    label,
                    name,
                )
            pages = len(pdf.pages)
            if pages == 0:
                raise _refuse(_("tệp PDF «%(name)s» không có trang nào."), "pdf_empty", label, name)
            if _has_active_content(pdf):
                raise _refuse(
                    _(
                        "tệp PDF «%(name)s» chứa mã JavaScript hoặc lệnh tự chạy: hãy in lại thành PDF "
                        "thông thường (In → Lưu dưới dạng PDF) rồi tải lên."
                    ),
                    "pdf_active",
                    label,
                    name,
                )
    except pikepdf.PasswordError as exc:
        raise _refuse(
            _("tệp PDF «%(name)s» có mật khẩu hoặc bị mã hóa: hãy gỡ mật khẩu rồi tải lên lại."),
            "pdf_encrypted",
            label,
            name,
        ) from exc
    except (pikepdf.PdfError, ValueError, RecursionError) as exc:
        raise _refuse(
            _("tệp PDF «%(name)s» bị hỏng, không mở được: hãy quét hoặc xuất lại tệp."),
            "pdf_broken",
            label,
            name,
        ) from exc
    return CheckedFile(content, "pdf", "application/pdf", name, pages)


def _has_active_content(pdf: pikepdf.Pdf) -> bool:
    """Any object of the file (reachable or not, direct ones nested inside too) carrying JavaScript,
    a launch action, an XFA form or another action that reaches outside the document."""
    return any(_is_active(obj, depth=0) for obj in pdf.objects)


def _is_active(obj: Any, *, depth: int) -> bool:
    if depth > 50:  # absurd nesting is itself a sign of a crafted file
        return True
    if isinstance(obj, pikepdf.Stream):
        obj = obj.stream_dict
    if isinstance(obj, pikepdf.Dictionary):
        if set(obj.keys()) & _ACTIVE_PDF_KEYS:
            return True
        action = obj.get("/S")
        if isinstance(action, pikepdf.Name) and str(action) in _ACTIVE_PDF_ACTIONS:
            return True
        children: Any = obj.values()
    elif isinstance(obj, pikepdf.Array):
        children = list(obj)
    else:
        return False
    # Indirect children are visited on their own by the caller (pdf.objects lists every one).
    return any(
        _is_active(child, depth=depth + 1)
        for child in children
        if isinstance(child, pikepdf.Dictionary | pikepdf.Array | pikepdf.Stream) and not child.is_indirect
    )


def _reencode_image(content: bytes, extension: str, mime_type: str, label: str, name: str) -> CheckedFile:
    """Decode and re-encode the image: a fresh file with pixels only (no EXIF, GPS, comments, or
    bytes appended after the image). The pixel count is checked from the header before decoding."""
    limit = max_upload_pixels()
    broken = _refuse(
        _("ảnh «%(name)s» bị hỏng, không đọc được: hãy chụp hoặc quét lại."), "image_broken", label, name
    )
    too_big = _refuse(
        _("ảnh «%(name)s» quá lớn (tối đa %(limit)s điểm ảnh): hãy giảm độ phân giải rồi tải lên lại."),
        "image_pixels",
        label,
        name,
        limit=f"{limit:,}".replace(",", "."),
    )
    try:
        with Image.open(io.BytesIO(content)) as image:
            width, height = image.size
            if width * height > limit:
                raise too_big
            expected = "JPEG" if extension == "jpg" else "PNG"
            if image.format != expected:
                raise broken
            image.load()
            upright = ImageOps.exif_transpose(image)
            clean = _pixels_only(upright)
    except Image.DecompressionBombError as exc:
        raise too_big from exc
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError) as exc:
        raise broken from exc
    out = io.BytesIO()
    if extension == "jpg":
        clean.save(out, format="JPEG", quality=90, optimize=True)
    else:
        clean.save(out, format="PNG", optimize=True)
    return CheckedFile(out.getvalue(), extension, mime_type, name)


def _pixels_only(image: Image.Image) -> Image.Image:
    """A new image holding only the pixels (and the palette): no ``info`` dictionary travels along."""
    mode = image.mode
    if mode not in {"1", "L", "LA", "P", "RGB", "RGBA", "CMYK", "I;16", "I"}:
        image = image.convert("RGBA" if "A" in mode else "RGB")
        mode = image.mode
    fresh = Image.new(mode, image.size)
    fresh.paste(image)
    if mode == "P" and image.getpalette():
        fresh.putpalette(image.getpalette() or [])
    return fresh
