"""The board as an A4 PDF (WeasyPrint), offline: the vendored Liberation Serif of the official forms
(``dossiers.pdf``, Times New Roman metrics, every Vietnamese letter) fetched only from that package by
its local-only URL fetcher. The template lives next to this module and runs in its own engine, always in
Vietnamese, autoescaped (unit and officer names are typed by people)."""

import functools
from pathlib import Path

import weasyprint  # type: ignore[import-untyped]
from django.template import Context, Engine
from django.utils import translation

from motcua.dossiers.pdf.render import PDF_DIR, LocalOnlyURLFetcher
from motcua.indicators.board import Board

TEMPLATES = Path(__file__).resolve().parent / "templates"


@functools.cache
def engine() -> Engine:
    return Engine(dirs=[str(TEMPLATES)], app_dirs=False, autoescape=True, string_if_invalid="")


def board_html(board: Board) -> str:
    context = {"board": board, "report": board.report, "unit": board.unit}
    with translation.override("vi"):
        return engine().get_template("board_pdf.html").render(Context(context, autoescape=True))


def board_pdf(board: Board) -> bytes:
    document = weasyprint.HTML(
        string=board_html(board), base_url=PDF_DIR.as_uri() + "/", url_fetcher=LocalOnlyURLFetcher()
    )
    pdf: bytes = document.write_pdf()
    return pdf
