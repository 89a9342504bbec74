"""The board as an Excel workbook (XlsxWriter): the scores with every item's numerator and
denominator, the targets, the ranking of sibling units and of the units below with one appendix sheet
per ranked unit (like the annexes of the provincial reports, "Có phụ lục chi tiết kèm theo"), and the
late steps by officer.

Formula injection (OWASP "CSV injection"): unit names, procedure names and officers' names are typed by
people. Every text goes through ``write_string`` (never ``write``, which turns "=…" into a formula) and a
text starting with ``= + - @``, a tab or a carriage return also gets the ``quote_prefix`` format — the
apostrophe Excel itself adds — so it stays text when the sheet is edited or re-saved as CSV. Numbers are
written as numbers with a number format.
"""

import datetime as dt
import io
from decimal import Decimal

import xlsxwriter  # type: ignore[import-untyped]
from xlsxwriter.format import Format  # type: ignore[import-untyped]
from xlsxwriter.worksheet import Worksheet  # type: ignore[import-untyped]

from motcua.core.worktime import TZ
from motcua.indicators.board import Board
from motcua.indicators.ranking import RankedUnit

DANGEROUS_START = ("=", "+", "-", "@", "\t", "\r")


def is_dangerous(text: str) -> bool:
    return text.startswith(DANGEROUS_START)


class Sheet:
    """A worksheet written row by row with the safe writers."""

    def __init__(self, book: "Workbook", name: str) -> None:
        self.book = book
        self.ws: Worksheet = book.wb.add_worksheet(name)
        self.row = 0

    def text(self, col: int, value: object, fmt: Format | None = None) -> None:
        text = "" if value is None else str(value)
        if is_dangerous(text):
            fmt = self.book.quoted_bold if fmt is self.book.bold else self.book.quoted
        self.ws.write_string(self.row, col, text, fmt)

    def number(self, col: int, value: Decimal | int | float, fmt: Format | None = None) -> None:
        self.ws.write_number(self.row, col, float(value), fmt or self.book.integer)

    def line(self, *cells: object, bold: bool = False) -> None:
        for col, cell in enumerate(cells):
            if isinstance(cell, (Decimal, int, float)) and not isinstance(cell, bool):
                self.number(col, cell, self.book.points if isinstance(cell, Decimal) else None)
            else:
                self.text(col, cell, self.book.bold if bold else None)
        self.row += 1

    def skip(self) -> None:
        self.row += 1


class Workbook:
    def __init__(self) -> None:
        self.buffer = io.BytesIO()
        self.wb = xlsxwriter.Workbook(self.buffer, {"in_memory": True, "strings_to_formulas": False})
        self.bold = self.wb.add_format({"bold": True})
        self.quoted = self.wb.add_format({"quote_prefix": True})
        self.quoted_bold = self.wb.add_format({"quote_prefix": True, "bold": True})
        self.integer = self.wb.add_format({"num_format": "#,##0"})
        self.points = self.wb.add_format({"num_format": "0.00"})
        self.percent = self.wb.add_format({"num_format": "0.00%"})
        self.title = self.wb.add_format({"bold": True, "font_size": 13})

    def close(self) -> bytes:
        self.wb.close()
        return self.buffer.getvalue()


def _period(board: Board) -> str:
    report = board.report
    return f"Từ {report.date_from:%d/%m/%Y} đến {report.date_to:%d/%m/%Y}"


def _time(value: dt.datetime | None) -> str:
    return value.astimezone(TZ).strftime("%H:%M %d/%m/%Y") if value is not None else ""


def _scores(book: Workbook, board: Board) -> None:
    sheet = Sheet(book, "Tổng hợp")
    report = board.report
    sheet.ws.set_column(0, 0, 12)
    sheet.ws.set_column(1, 1, 60)
    sheet.ws.set_column(2, 6, 12)
    sheet.text(0, "BẢNG CHỈ SỐ 766", book.title)
    sheet.row += 2
    sheet.line("Đơn vị", board.unit.name)
    sheet.line("Mã định danh", board.unit.code)
    sheet.line("Kỳ", _period(board))
    sheet.line("Bộ chỉ số", report.rulebook.name)
    sheet.line("Tổng điểm", report.score.total)
    if board.position is not None:
        sheet.line("Xếp hạng", f"{board.position.label} đơn vị cùng cấp")
    sheet.skip()
    sheet.line("Mã", "Chỉ số", "Tử số", "Mẫu số", "Tỷ lệ", "Điểm", "Tối đa", bold=True)
    for group in board.groups:
        sheet.line("", group.title, "", "", "", group.group.score, group.group.max, bold=True)
        for row in group.items:
            item = row.item
            sheet.text(0, item.id)
            sheet.text(1, row.rule.name)
            sheet.number(2, item.numerator)
            sheet.number(3, item.denominator)
            sheet.ws.write_number(sheet.row, 4, float(item.rate), book.percent)
            sheet.number(5, item.score, book.points)
            sheet.number(6, item.max, book.points)
            sheet.skip()
    sheet.skip()
    sheet.line("Chỉ tiêu", "Văn bản giao", "Tử số", "Mẫu số", "Đạt", "Chỉ tiêu", "Chênh lệch", bold=True)
    for target in report.targets:
        sheet.text(0, target.name)
        sheet.text(1, target.decision)
        sheet.number(2, target.numerator)
        sheet.number(3, target.denominator)
        for col, value in ((4, target.value), (5, target.target), (6, target.gap)):
            sheet.ws.write_number(sheet.row, col, float(value), book.percent)
        sheet.skip()


def _ranking_table(sheet: Sheet, board: Board, title: str, ranking: list[RankedUnit], first: int) -> None:
    book = sheet.book
    titles = board.group_titles
    sheet.text(0, title, book.bold)
    sheet.skip()
    sheet.line("Hạng", "Mã định danh", "Đơn vị", *titles.values(), "Tổng điểm", "Phụ lục", bold=True)
    for offset, row in enumerate(ranking):
        sheet.text(0, row.label)
        sheet.text(1, row.unit.code)
        sheet.text(2, row.unit.name)
        for col, group in enumerate(row.score.groups, start=3):
            sheet.number(col, group.score, book.points)
        sheet.number(3 + len(row.score.groups), row.total, book.points)
        sheet.text(4 + len(row.score.groups), f"PL{first + offset}")
        sheet.skip()
    sheet.skip()


def _appendix(book: Workbook, board: Board, number: int, row: RankedUnit) -> None:
    sheet = Sheet(book, f"PL{number}")
    sheet.ws.set_column(1, 1, 60)
    sheet.text(0, f"Phụ lục {number}", book.title)
    sheet.row += 2
    sheet.line("Đơn vị", row.unit.name)
    sheet.line("Mã định danh", row.unit.code)
    sheet.line("Kỳ", _period(board))
    sheet.line("Xếp hạng", row.label)
    sheet.line("Tổng điểm", row.total)
    sheet.skip()
    names = {rule.id: rule.name for rule in board.report.rulebook.indicators}
    sheet.line("Mã", "Chỉ số", "Tử số", "Mẫu số", "Tỷ lệ", "Điểm", "Tối đa", bold=True)
    for group in row.score.groups:
        sheet.line(
            "", board.group_titles.get(group.id, group.id), "", "", "", group.score, group.max, bold=True
        )
        for item in group.indicators:
            sheet.text(0, item.id)
            sheet.text(1, names.get(item.id, item.id))
            sheet.number(2, item.numerator)
            sheet.number(3, item.denominator)
            sheet.ws.write_number(sheet.row, 4, float(item.rate), book.percent)
            sheet.number(5, item.score, book.points)
            sheet.number(6, item.max, book.points)
            sheet.skip()


def _late(book: Workbook, board: Board) -> None:
    sheet = Sheet(book, "Bước quá hạn")
    sheet.ws.set_column(0, 4, 24)
    sheet.line("Người thực hiện", "Số bước quá hạn", bold=True)
    for actor, steps in board.late_by_officer:
        sheet.line(actor, len(steps))
    sheet.skip()
    sheet.line("Người thực hiện", "Hồ sơ", "Bước", "Hạn bước", "Kết thúc", bold=True)
    for actor, steps in board.late_by_officer:
        for step in steps:
            sheet.line(
                actor, step.code, step.step, _time(step.due_at), _time(step.finished_at) or "chưa xong"
            )


def board_workbook(board: Board) -> bytes:
    book = Workbook()
    _scores(book, board)
    ranking = Sheet(book, "Xếp hạng")
    ranking.ws.set_column(2, 2, 40)
    _ranking_table(ranking, board, "Xếp hạng các đơn vị cùng cấp", board.siblings, 1)
    if board.children:
        _ranking_table(
            ranking, board, "Xếp hạng các đơn vị trực thuộc", board.children, len(board.siblings) + 1
        )
    _late(book, board)
    for number, row in enumerate([*board.siblings, *board.children], start=1):
        _appendix(book, board, number, row)
    return book.close()
