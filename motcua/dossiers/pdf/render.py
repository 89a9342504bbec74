"""Django template → PDF with WeasyPrint, offline and with the vendored fonts only.

The PDF templates run in their own template engine: the official forms are always in Vietnamese
(whatever language the officer's UI uses), need no request context processors, and get the date
filters of ``pdf.filters`` as builtins without a project-wide template library.
"""

import functools
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import weasyprint  # type: ignore[import-untyped]
from django.conf import settings
from django.template import Context, Engine
from django.template.backends.django import get_installed_libraries
from django.utils import translation
from weasyprint.urls import URLFetcher, URLFetcherResponse  # type: ignore[import-untyped]

PDF_DIR = Path(__file__).resolve().parent
FONT_DIR = PDF_DIR / "fonts"
TEMPLATE_DIR = PDF_DIR.parent / "templates"


class UnsafeURLError(ValueError):
    pass


class LocalOnlyURLFetcher(URLFetcher):  # type: ignore[misc]
    """Fetches ``data:`` URLs and files inside this package (the fonts), and refuses everything else.

    A form must never reach the network while an officer prints it (closed government networks, and
    no request on behalf of text an applicant typed). ``fail_on_errors`` makes a refused or missing
    resource stop the rendering instead of silently falling back to a system font.
    """

    def __init__(self) -> None:
        super().__init__(allowed_protocols=("file", "data"), fail_on_errors=True)

    def fetch(self, url: str, headers: dict[str, str] | None = None) -> URLFetcherResponse:
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        if scheme == "file":
            path = Path(unquote(parts.path)).resolve()
            if parts.netloc not in ("", "localhost") or not path.is_relative_to(PDF_DIR):
                raise UnsafeURLError(f"refused file outside the PDF package: {url}")
        elif scheme != "data":
            raise UnsafeURLError(f"refused non-local URL: {url[:80]}")
        return super().fetch(url, headers)


@functools.cache
def pdf_engine() -> Engine:
    return Engine(
        dirs=[str(TEMPLATE_DIR)],
        app_dirs=False,
        autoescape=True,
        debug=settings.DEBUG,
        string_if_invalid="",
        libraries=dict(get_installed_libraries()),
        builtins=["motcua.dossiers.pdf.filters"],
    )


def render_html(template_name: str, context: dict[str, Any]) -> str:
    with translation.override("vi"):
        return pdf_engine().get_template(template_name).render(Context(context, autoescape=True))


def render_pdf(template_name: str, context: dict[str, Any]) -> bytes:
    """Render ``template_name`` (under ``templates/``, e.g. ``dossiers/pdf/form_01_receipt.html``)."""
    html = render_html(template_name, context)
    document = weasyprint.HTML(
        string=html,
        # Relative URLs in the templates (the @font-face sources) resolve to files of this package.
        base_url=PDF_DIR.as_uri() + "/",
        url_fetcher=LocalOnlyURLFetcher(),
    )
    pdf: bytes = document.write_pdf()
    return pdf
