"""Dates and times as Vietnamese administrative documents write them: pure, no I/O.

Every datetime is shown in Asia/Ho_Chi_Minh whatever time zone a request has activated: a printed form
is a legal record and must read the same for every officer who prints it.

NĐ 30/2020/NĐ-CP Phụ lục I (thể thức văn bản): in "ngày … tháng … năm …" a day below 10 and the months
1 and 2 take a leading zero ("ngày 05 tháng 02 năm 2024", "ngày 14 tháng 10 năm 2024"), so that a
written date cannot be altered by adding a digit.
"""

import datetime as dt
from zoneinfo import ZoneInfo

VN_TZ = ZoneInfo("Asia/Ho_Chi_Minh")


def local(value: dt.datetime) -> dt.datetime:
    """``value`` in Vietnam time. Naive datetimes are refused: stored times are UTC-aware."""
    if value.tzinfo is None:
        raise ValueError("naive datetime: forms need timezone-aware values")
    return value.astimezone(VN_TZ)


def _as_date(value: dt.date | dt.datetime) -> dt.date:
    return local(value).date() if isinstance(value, dt.datetime) else value


def short_date(value: dt.date | dt.datetime | None) -> str:
    """14/02/2024 (dd/mm/yyyy)."""
    if value is None:
        return ""
    return _as_date(value).strftime("%d/%m/%Y")


def short_datetime(value: dt.datetime | None) -> str:
    """08:30 14/02/2024."""
    if value is None:
        return ""
    return local(value).strftime("%H:%M %d/%m/%Y")


def long_date(value: dt.date | dt.datetime | None) -> str:
    """ngày 14 tháng 02 năm 2024 (NĐ 30/2020 zero-padding, see the module docstring)."""
    if value is None:
        return ""
    day = _as_date(value)
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"ngày {day.day:02d} tháng {month} năm {day.year}"


def time_and_long_date(value: dt.datetime | None) -> str:
    """08 giờ 30 phút, ngày 14 tháng 02 năm 2024 (the reception/return time on form 01)."""
    if value is None:
        return ""
    moment = local(value)
    return f"{moment:%H} giờ {moment:%M} phút, {long_date(moment)}"
