"""The comparison as an Excel workbook (XlsxWriter) and an A4 PDF (WeasyPrint), always in Vietnamese.

Excel: the safe writers of ``indicators.exports.xlsx`` (every text through ``write_string``, a text
starting with ``= + - @``, tab or CR quote-prefixed: applicants' names and notes are typed by people,
OWASP "CSV injection"); numbers as numeric cells. PDF: the board's approach (``indicators.exports.pdf``):
the vendored Liberation Serif, local files only, an autoescaped template of its own engine.
"""

import datetime as dt
import functools
from pathlib import Path

import weasyprint  # type: ignore[import-untyped]
from django.template import Context, Engine
from django.utils import translation

from motcua.core.worktime import TZ
from motcua.dossiers.pdf.render import PDF_DIR, LocalOnlyURLFetcher
from motcua.indicators.exports.pdf import TEMPLATES as BOARD_TEMPLATES
from motcua.indicators.exports.xlsx import Sheet, Workbook
from motcua.indicators.reconciliation.compare import Comparison, Line
from motcua.indicators.reconciliation.models import RegisterCount

TEMPLATES = Path(__file__).resolve().parent / "templates"


def _time(value: dt.datetime | None) -> str:
    return value.astimezone(TZ).strftime("%H:%M %d/%m/%Y") if value is not None else ""


def _period(entry: RegisterCount) -> str:
    return f"Từ {entry.date_from:%d/%m/%Y} đến {entry.date_to:%d/%m/%Y}"


def _summary(book: Workbook, comparison: Comparison, history: list[RegisterCount]) -> None:
    entry = comparison.entry
    sheet = Sheet(book, "Đối chiếu")
    sheet.ws.set_column(0, 0, 34)
    sheet.ws.set_column(1, 4, 18)
    sheet.text(0, "ĐỐI CHIẾU SỐ LIỆU SỔ SÁCH GIẤY VỚI PHẦN MỀM", book.title)
    sheet.row += 2
    sheet.line("Đơn vị", entry.unit.name)
    sheet.line("Mã định danh", entry.unit.code)
    sheet.line("Sổ", entry.register_label)
    sheet.line("Kỳ", _period(entry))
    sheet.line("Người nhập", str(entry.entered_by))
    sheet.line("Thời điểm nhập", _time(entry.entered_at))
    sheet.line("Ghi chú", entry.note)
    sheet.skip()
    sheet.line("Nội dung", "Theo sổ", "Theo phần mềm", "Chênh lệch (sổ − phần mềm)", bold=True)
    for m in comparison.measures:
        sheet.text(0, m.label)
        for col, value in ((1, m.paper), (2, m.system), (3, m.difference)):
            if value is None:
                sheet.text(col, "không nhập")
            else:
                sheet.number(col, value)
        sheet.skip()
    sheet.skip()
    sheet.line("Lịch sử nhập, sửa", bold=True)
    sheet.line("Thời điểm nhập", "Người nhập", "Tiếp nhận", "Đã giải quyết", "Quá hạn", "Ghi chú", bold=True)
    for row in history:
        sheet.text(0, _time(row.entered_at))
        sheet.text(1, str(row.entered_by))
        for col, value in ((2, row.received), (3, row.finished), (4, row.late)):
            if value is None:
                sheet.text(col, "")
            else:
                sheet.number(col, value)
        sheet.text(5, row.note)
        sheet.skip()


def _lines(sheet: Sheet, title: str, lines: list[Line], *, with_reason: bool) -> None:
    sheet.text(0, title, sheet.book.bold)
    sheet.skip()
    header = ["STT", "Mã hồ sơ", "Thời điểm", "Người nộp", "Thủ tục", "Trạng thái"]
    sheet.line(*header, *(["Lý do cần kiểm tra"] if with_reason else []), bold=True)
    for number, line in enumerate(lines, start=1):
        sheet.number(0, number)
        cells = [line.code, _time(line.at), line.applicant_name, line.procedure, line.status_label]
        for col, value in enumerate([*cells, *([line.reason] if with_reason else [])], start=1):
            sheet.text(col, value)
        sheet.skip()
    sheet.skip()


def comparison_workbook(comparison: Comparison, history: list[RegisterCount]) -> bytes:
    """Sheets: *Đối chiếu* (the numbers and the entry's history), *Hồ sơ cần kiểm tra* (per column:
    the candidates when the book counts more, the system's dossiers when it counts less)."""
    with translation.override("vi"):
        book = Workbook()
        _summary(book, comparison, history)
        sheet = Sheet(book, "Hồ sơ cần kiểm tra")
        sheet.ws.set_column(1, 1, 28)
        sheet.ws.set_column(2, 2, 17)
        sheet.ws.set_column(3, 4, 36)
        sheet.ws.set_column(5, 6, 30)
        empty = True
        for m in comparison.measures:
            if m.candidates:
                _lines(sheet, f"{m.label}: hồ sơ có thể thiếu trên phần mềm", m.candidates, with_reason=True)
                empty = False
            if m.system_lines:
                _lines(
                    sheet,
                    f"{m.label}: hồ sơ trên phần mềm (đối chiếu từng dòng với sổ)",
                    m.system_lines,
                    with_reason=False,
                )
                empty = False
        if empty:
            sheet.text(0, "Không có chênh lệch cần kiểm tra.")
        return book.close()


@functools.cache
def engine() -> Engine:
    # the shared PDF style (``exports/templates/_pdf_style.html``) is found beside the board's templates
    return Engine(
        dirs=[str(TEMPLATES), str(BOARD_TEMPLATES)], app_dirs=False, autoescape=True, string_if_invalid=""
    )


def comparison_html(comparison: Comparison, history: list[RegisterCount]) -> str:
    context = {"comparison": comparison, "entry": comparison.entry, "history": history}
    with translation.override("vi"):
        return engine().get_template("reconciliation_pdf.html").render(Context(context, autoescape=True))


def comparison_pdf(comparison: Comparison, history: list[RegisterCount]) -> bytes:
    document = weasyprint.HTML(
        string=comparison_html(comparison, history),
        base_url=PDF_DIR.as_uri() + "/",
        url_fetcher=LocalOnlyURLFetcher(),
    )
    pdf: bytes = document.write_pdf()
    return pdf
