"""PDFs of the certification: the certified copy (scan + statement page) and the monthly book print.

Rendered with WeasyPrint through the dossiers' PDF machinery (vendored Liberation Serif, no network:
``LocalOnlyURLFetcher``); the templates of this app are looked up first, the dossiers' PDF templates
(``forms.css``, the motto header) second. The scan and the statement page are joined with pikepdf.
"""

import functools
import io
from pathlib import Path
from typing import Any

import pikepdf
import weasyprint  # type: ignore[import-untyped]
from django.conf import settings
from django.template import Context, Engine
from django.template.backends.django import get_installed_libraries
from django.utils import translation

from motcua.dossiers.pdf import render

TEMPLATE_DIR = Path(__file__).resolve().parent / "templates"


@functools.cache
def _engine() -> Engine:
    return Engine(
        dirs=[str(TEMPLATE_DIR), str(render.TEMPLATE_DIR)],
        app_dirs=False,
        autoescape=True,
        debug=settings.DEBUG,
        string_if_invalid="",
        libraries=dict(get_installed_libraries()),
        builtins=["motcua.dossiers.pdf.filters"],
    )


def render_pdf(template_name: str, context: dict[str, Any]) -> bytes:
    """Render one of this app's PDF templates (always in Vietnamese, like every official form)."""
    with translation.override("vi"):
        html = _engine().get_template(template_name).render(Context(context, autoescape=True))
    document = weasyprint.HTML(
        string=html, base_url=render.PDF_DIR.as_uri() + "/", url_fetcher=render.LocalOnlyURLFetcher()
    )
    pdf: bytes = document.write_pdf()
    return pdf


def page_count(content: bytes) -> int:
    """Number of pages of a PDF (qpdf via pikepdf); the fee counts the pages of the original."""
    with pikepdf.open(io.BytesIO(content)) as pdf:
        return len(pdf.pages)


def join(scan: bytes, statement: bytes) -> bytes:
    """The scanned pages followed by the statement page(s), as one PDF.

    NĐ 23/2015 Điều 20: the statement (lời chứng) goes at the end of the copy; a copy of several pages
    is one document (the paper copy gets the overlapping seal; the electronic one the signature over the
    whole file). Document information of the scan is dropped: it may carry the scanner user's name.
    """
    out = io.BytesIO()
    with pikepdf.open(io.BytesIO(scan)) as pdf, pikepdf.open(io.BytesIO(statement)) as tail:
        pdf.pages.extend(tail.pages)
        with pdf.open_metadata(set_pikepdf_as_editor=False) as meta:
            for key in list(meta.keys()):
                del meta[key]
        if "/Info" in pdf.trailer:
            del pdf.trailer["/Info"]
        pdf.save(out, deterministic_id=True)
    return out.getvalue()
