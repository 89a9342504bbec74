"""The TT 01/2018/TT-VPCP evaluation (Điều 13–15) as an Excel workbook: the unit's nine indices and
grade, the officers' scores over indices 1, 2, 3, 4, 7 with their grade, and the late steps per officer
with the dossier codes.

The caller passes the officers' rows and late steps already scoped to what the reader may see (a
leader or the oversight office: everyone; anyone else: their own row). Every text goes through the safe
writers of ``exports.xlsx`` (``write_string``, Excel's quote prefix on a text starting a formula): an
officer's name is typed by people.
"""

import datetime as dt
from decimal import Decimal

from motcua.core.worktime import TZ
from motcua.indicators.evaluation.accountability import OfficerLateSteps
from motcua.indicators.evaluation.report import Evaluation, OfficerResult
from motcua.indicators.evaluation.scales import OFFICER_INDICES
from motcua.indicators.exports.xlsx import Sheet, Workbook

NO_DATA = "—"


def _time(value: dt.datetime | None) -> str:
    return value.astimezone(TZ).strftime("%H:%M %d/%m/%Y") if value is not None else ""


def _score(sheet: Sheet, col: int, value: Decimal | None) -> None:
    if value is None:
        sheet.text(col, NO_DATA)
    else:
        sheet.number(col, value, sheet.book.points)


def _unit(book: Workbook, result: Evaluation) -> None:
    sheet = Sheet(book, "Đơn vị")
    sheet.ws.set_column(0, 0, 8)
    sheet.ws.set_column(1, 1, 60)
    sheet.ws.set_column(2, 3, 16)
    sheet.text(0, "ĐÁNH GIÁ VIỆC GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH", book.title)
    sheet.row += 1
    sheet.text(0, "Thông tư 01/2018/TT-VPCP, Điều 13–15")
    sheet.row += 2
    sheet.line("Đơn vị", result.unit.name)
    sheet.line("Mã định danh", result.unit.code)
    sheet.line("Kỳ", f"Từ {result.date_from:%d/%m/%Y} đến {result.date_to:%d/%m/%Y}")
    sheet.line("Số hồ sơ", result.dossiers)
    sheet.text(0, "Tổng điểm")
    _score(sheet, 1, result.total)
    sheet.number(2, result.max_points)
    sheet.skip()
    sheet.line("Xếp loại", result.grade.label if result.grade else "chưa có dữ liệu")
    sheet.skip()
    sheet.line("Chỉ số", "Tên chỉ số", "Điểm (tối đa 2)", "Số hồ sơ có dữ liệu", bold=True)
    for index in result.indices:
        sheet.number(0, index.number)
        sheet.text(1, index.name)
        _score(sheet, 2, index.score)
        if index.dossiers is None:
            sheet.text(3, "chấm theo đơn vị")
        else:
            sheet.number(3, index.dossiers)
        sheet.skip()
    sheet.skip()
    sheet.text(0, "«—»: chỉ số không có dữ liệu, không tính vào tổng (Điều 15).")


def _officers(book: Workbook, officers: list[OfficerResult], sees_all: bool) -> None:
    sheet = Sheet(book, "Cán bộ")
    sheet.ws.set_column(0, 0, 32)
    sheet.ws.set_column(len(OFFICER_INDICES) + 2, len(OFFICER_INDICES) + 2, 40)
    title = "Đánh giá cán bộ, công chức" if sees_all else "Đánh giá của tôi"
    sheet.text(0, f"{title} (chỉ số 1, 2, 3, 4, 7; tối đa 10 điểm)", book.title)
    sheet.row += 2
    sheet.line("Cán bộ", *(f"CS {n}" for n in OFFICER_INDICES), "Tổng", "Xếp loại", "Số hồ sơ", bold=True)
    for row in officers:
        sheet.text(0, row.name)
        for col, number in enumerate(OFFICER_INDICES, start=1):
            _score(sheet, col, row.indices[number])
        after = len(OFFICER_INDICES) + 1
        _score(sheet, after, row.total)
        sheet.text(after + 1, row.grade.label if row.grade else NO_DATA)
        sheet.number(after + 2, row.dossiers)
        sheet.skip()
    if not officers:
        sheet.line("Không có hồ sơ nào do cán bộ xử lý kết thúc trong kỳ.")


def _late(book: Workbook, late: list[OfficerLateSteps]) -> None:
    sheet = Sheet(book, "Bước quá hạn")
    sheet.ws.set_column(0, 5, 24)
    sheet.line("Cán bộ", "Số bước quá hạn", bold=True)
    for person in late:
        sheet.line(person.name, person.count)
    sheet.skip()
    sheet.line("Cán bộ", "Hồ sơ", "Bước", "Đơn vị", "Hạn bước", "Kết thúc", bold=True)
    for person in late:
        for step in person.steps:
            sheet.line(
                person.name,
                step.code,
                step.step,
                step.unit,
                _time(step.due_at),
                _time(step.finished_at) or "chưa xong",
            )
    if not late:
        sheet.line("Không có bước xử lý quá hạn trong kỳ.")


def evaluation_workbook(
    result: Evaluation, officers: list[OfficerResult], late: list[OfficerLateSteps], *, sees_all: bool
) -> bytes:
    """Sheets «Đơn vị», «Cán bộ», «Bước quá hạn» of ``result``, with only the given officers' rows."""
    book = Workbook()
    _unit(book, result)
    _officers(book, officers, sees_all)
    _late(book, late)
    return book.close()
