"""Digitization at reception (số hóa): scans and photos of one paper become one normalised PDF.

NĐ 107/2021/NĐ-CP Điều 21a (added to NĐ 61/2018) and TT 01/2023/TT-VPCP: the counter digitizes the
papers of a dossier when it receives them; NĐ 45/2020/NĐ-CP Điều 8–9: an electronic dossier is kept
as PDF (documents) so it can be read, searched and signed. What this module does, on bytes only:

* every file goes through the upload gate (``uploads.check_upload``: content sniffing, damaged,
  encrypted or active PDFs refused, images decoded and re-encoded without metadata);
* JPEG/PNG pages become PDF pages with img2pdf (lossless: the image is embedded as is), each fitted
  onto an A4 page in its own orientation, because re-encoded images carry no resolution;
* PDFs are re-saved with pikepdf (qpdf) and all pages are concatenated in the order given;
* optionally, OCR with Tesseract ``vie`` through OCRmyPDF adds an invisible text layer and writes
  PDF/A-2b for long-term keeping; when PDF/A cannot be made the OCR'd plain PDF is kept and a note
  says so; when OCR itself fails the PDF without text layer is kept and a note says so.

The result is not signed here: the dossier service signs it as the receiving officer.
"""

import functools
import io
import logging
import shutil
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import img2pdf  # type: ignore[import-untyped]
import pikepdf
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import Image

from motcua.documents.uploads import CheckedFile, check_upload, max_upload_pixels

logger = logging.getLogger(__name__)

DEFAULT_MAX_FILES = 30
DEFAULT_MAX_PAGES = 300
DEFAULT_OCR_TIMEOUT_SECONDS = 180
OCR_LANGUAGE = "vie"
# A4 in PDF points, portrait; landscape images get the page turned (auto_orient).
A4 = (img2pdf.mm_to_pt(210), img2pdf.mm_to_pt(297))


@dataclass(frozen=True)
class Digitized:
    """One paper as a normalised PDF: its bytes, pages, whether it has a text layer, whether it is
    PDF/A, and notes (Vietnamese, for the officer) about what could not be done."""

    content: bytes
    page_count: int
    has_text_layer: bool
    is_pdfa: bool = False
    is_ocr: bool = False
    notes: tuple[str, ...] = field(default=())


def max_files() -> int:
    return int(getattr(settings, "MOTCUA_DIGITIZE_MAX_FILES", DEFAULT_MAX_FILES))


def max_pages() -> int:
    return int(getattr(settings, "MOTCUA_DIGITIZE_MAX_PAGES", DEFAULT_MAX_PAGES))


def ocr_timeout() -> float:
    return float(getattr(settings, "MOTCUA_OCR_TIMEOUT_SECONDS", DEFAULT_OCR_TIMEOUT_SECONDS))


@functools.cache
def ocr_available() -> bool:
    """Whether Tesseract is installed with the Vietnamese language data (``vie``)."""
    tesseract = shutil.which("tesseract")
    if tesseract is None:
        return False
    try:
        listed = subprocess.run(  # noqa: S603
            [tesseract, "--list-langs"], capture_output=True, text=True, timeout=20, check=False
        )
    except (OSError, subprocess.SubprocessError):
        return False
    languages = {line.strip() for line in (listed.stdout + listed.stderr).splitlines()}
    return OCR_LANGUAGE in languages


def pdfa_available() -> bool:
    """PDF/A output needs Ghostscript."""
    return shutil.which("gs") is not None


def check_files(files: Sequence[Any], *, label: str) -> list[CheckedFile]:
    """Every file through the upload gate, in order; ``ValidationError`` naming the paper and the file."""
    if not files:
        raise ValidationError(
            _("%(label)s: chưa chọn tệp bản quét hoặc ảnh chụp nào.") % {"label": label}, code="no_file"
        )
    if len(files) > max_files():
        raise ValidationError(
            _(
                "%(label)s: tối đa %(limit)d tệp cho một thành phần; hãy gộp bớt hoặc quét thành PDF nhiều trang."
            )
            % {"label": label, "limit": max_files()},
            code="too_many_files",
        )
    return [check_upload(upload, label=label) for upload in files]


def _image_pdf(checked: CheckedFile, label: str) -> bytes:
    layout = img2pdf.get_layout_fun(pagesize=A4, fit=img2pdf.FitMode.into, auto_orient=True)
    try:
        return bytes(img2pdf.convert(checked.content, layout_fun=layout, rotation=img2pdf.Rotation.ifvalid))
    except (img2pdf.AlphaChannelError, img2pdf.UnsupportedColorspaceError, img2pdf.JpegColorspaceError):
        pass  # transparency or an unusual colour space: flatten onto white below
    except (img2pdf.ImageOpenError, ValueError, OSError) as exc:
        raise _broken(label, checked.original_name) from exc
    try:
        with Image.open(io.BytesIO(checked.content)) as image:
            rgba = image.convert("RGBA")
            flat = Image.new("RGB", rgba.size, (255, 255, 255))
            flat.paste(rgba, mask=rgba.getchannel("A"))
        out = io.BytesIO()
        flat.save(out, format="PNG")
        return bytes(img2pdf.convert(out.getvalue(), layout_fun=layout))
    except (img2pdf.ImageOpenError, ValueError, OSError) as exc:
        raise _broken(label, checked.original_name) from exc


def _broken(label: str, name: str) -> ValidationError:
    return ValidationError(
        _("%(label)s: không chuyển được «%(name)s» thành PDF; hãy quét hoặc chụp lại.")
        % {"label": label, "name": name},
        code="convert_failed",
    )


def normalise(checked: Sequence[CheckedFile], *, label: str) -> bytes:
    """One PDF with the pages of every file, in order (images as A4 pages, PDFs page by page)."""
    result = pikepdf.new()
    sources: list[pikepdf.Pdf] = []
    try:
        for item in checked:
            data = item.content if item.extension == "pdf" else _image_pdf(item, label)
            try:
                source = pikepdf.open(io.BytesIO(data))
            except pikepdf.PdfError as exc:
                raise _broken(label, item.original_name) from exc
            sources.append(source)
            result.pages.extend(source.pages)
            if len(result.pages) > max_pages():
                raise ValidationError(
                    _("%(label)s: quá %(limit)d trang; hãy tách thành nhiều lần số hóa.")
                    % {"label": label, "limit": max_pages()},
                    code="too_many_pages",
                )
        # Drop links to the sources' interactive forms and document-level scripts: pages only.
        out = io.BytesIO()
        result.remove_unreferenced_resources()
        result.save(out, object_stream_mode=pikepdf.ObjectStreamMode.generate)
        return out.getvalue()
    finally:
        for source in sources:
            source.close()
        result.close()


def page_count(pdf: bytes) -> int:
    with pikepdf.open(io.BytesIO(pdf)) as document:
        return len(document.pages)


def has_text_layer(pdf: bytes) -> bool:
    """Whether any page draws text (uses a font in its resources, directly or in a form XObject):
    a born-digital PDF or an OCR'd scan; a bare scan has images only."""
    with pikepdf.open(io.BytesIO(pdf)) as document:
        return any(_uses_fonts(page.obj.get("/Resources"), depth=0) for page in document.pages)


def _uses_fonts(resources: Any, *, depth: int) -> bool:
    if depth > 5 or not isinstance(resources, pikepdf.Dictionary):
        return False
    fonts = resources.get("/Font")
    if isinstance(fonts, pikepdf.Dictionary) and len(fonts.keys()) > 0:
        return True
    xobjects = resources.get("/XObject")
    if not isinstance(xobjects, pikepdf.Dictionary):
        return False
    return any(
        _uses_fonts(xobject.stream_dict.get("/Resources"), depth=depth + 1)
        for xobject in xobjects.values()
        if isinstance(xobject, pikepdf.Stream) and xobject.stream_dict.get("/Subtype") == pikepdf.Name.Form
    )


def ocr(pdf: bytes) -> tuple[bytes, bool, list[str]]:
    """Add a Vietnamese text layer with OCRmyPDF; pages that already have text are left alone.
    Returns (PDF, is PDF/A, notes). PDF/A-2b when Ghostscript can make it, else plain PDF with a note.
    Raises ``OcrFailed`` when no OCR'd file could be produced."""
    import ocrmypdf  # heavy: loaded only when OCR is asked for
    from ocrmypdf.exceptions import ExitCode, ExitCodeException

    notes: list[str] = []
    # Pages that already carry text are skipped; ``skip_text`` is passed only when such pages exist,
    # because OCRmyPDF refuses it with PDF/A on Ghostscript 10.0–10.02 (text-corrupting regressions).
    skip_text = has_text_layer(pdf)
    want_pdfa = pdfa_available()
    if not want_pdfa:
        notes.append(_("Máy chủ chưa có Ghostscript: bản số hóa là PDF thường, không phải PDF/A."))
    for output_type in ["pdfa-2", "pdf"] if want_pdfa else ["pdf"]:
        out = io.BytesIO()
        try:
            code = ocrmypdf.ocr(
                io.BytesIO(pdf),
                out,
                language=[OCR_LANGUAGE],
                output_type=output_type,
                skip_text=skip_text,
                jobs=1,
                use_threads=True,
                progress_bar=False,
                tesseract_timeout=ocr_timeout(),
                max_image_mpixels=max_upload_pixels() / 1_000_000,
            )
        except (ExitCodeException, OSError, ValueError, RuntimeError) as exc:
            logger.warning("OCR failed (%s): %s: %s", output_type, type(exc).__name__, exc)
            if output_type == "pdfa-2":
                notes.append(_("Không tạo được PDF/A: bản số hóa là PDF thường có lớp chữ."))
                continue
            raise OcrFailed(str(exc)) from exc
        content = out.getvalue()
        if code == ExitCode.pdfa_conversion_failed:
            notes.append(_("Không tạo được PDF/A: bản số hóa là PDF thường có lớp chữ."))
            return content, False, notes
        if code != ExitCode.ok or not content:
            if output_type == "pdfa-2":
                notes.append(_("Không tạo được PDF/A: bản số hóa là PDF thường có lớp chữ."))
                continue
            raise OcrFailed(f"exit code {int(code)}")
        return content, output_type == "pdfa-2" and _is_pdfa(content), notes
    raise OcrFailed("no output")  # pragma: no cover  (the loop always returns or raises)


def _is_pdfa(pdf: bytes) -> bool:
    with pikepdf.open(io.BytesIO(pdf)) as document:
        return bool(document.open_metadata().pdfa_status)


class OcrFailed(Exception):
    """OCRmyPDF produced no file (technical detail in the message; not for the officer)."""


def digitize(files: Sequence[Any], *, label: str, with_ocr: bool = False) -> Digitized:
    """Check, normalise and (optionally) OCR the files of one paper, in the order given.

    Bad files raise ``ValidationError`` with a Vietnamese message naming ``label`` (the paper) and the
    file. OCR asked for where Tesseract/``vie`` is missing is refused (``code="ocr_unavailable"``) so the
    officer is never told a text layer exists when it does not; an OCR run that fails keeps the
    normalised PDF without text layer and says so in ``notes``.
    """
    if with_ocr and not ocr_available():
        raise ValidationError(
            _(
                "%(label)s: máy chủ chưa cài Tesseract với dữ liệu tiếng Việt nên không nhận dạng chữ "
                "(OCR) được; hãy bỏ chọn «Nhận dạng chữ (OCR)»."
            )
            % {"label": label},
            code="ocr_unavailable",
        )
    pdf = normalise(check_files(files, label=label), label=label)
    notes: list[str] = []
    is_pdfa = is_ocr = False
    if with_ocr:
        try:
            pdf, is_pdfa, notes = ocr(pdf)
            is_ocr = True
        except OcrFailed:
            notes.append(_("Không nhận dạng được chữ (OCR): bản số hóa được lưu không có lớp chữ."))
    return Digitized(
        content=pdf,
        page_count=page_count(pdf),
        has_text_layer=has_text_layer(pdf),
        is_pdfa=is_pdfa,
        is_ocr=is_ocr,
        notes=tuple(notes),
    )
