"""The working calendar and working-hours arithmetic: pure functions, no database.

Every statutory time limit of an administrative procedure is counted in working time of the
unit that handles it:

* Public holidays come from the ``holidays`` package (``VN``: Bộ luật Lao động 2019 Điều 112,
  including the compensatory days of Điều 111 khoản 3 and the swaps it knows about), with an
  administrable override table on top for what each year's Government notice adds
  (``core.models.CalendarOverride``, turned into a plain mapping by ``organizations.calendars``).
* Office hours come from the unit (``Schedule``); 1 working day = the unit's daily hours, the
  length of its two sessions (07:00–11:30 and 13:30–17:00 = 8 hours by default, the 40-hour week of
  research §7.2; a unit on 07:30–11:30 records that and gets 7.5-hour days).
* Limits are stored in hours; working time is only the time inside the sessions (skipping nights,
  lunch, weekends and holidays). Limits in plain "ngày" are calendar days whose end moves off a
  non-working day (``add_calendar_days``).

All instants are timezone-aware. Results are in Asia/Ho_Chi_Minh (UTC+7, no daylight saving time
since 1975), so local midnight is 17:00 UTC of the previous day: every "which day is it" question
is asked after converting to local time, never on the UTC date.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Literal
from zoneinfo import ZoneInfo

import holidays

TZ = ZoneInfo("Asia/Ho_Chi_Minh")

OverrideKind = Literal["day_off", "working_day"]
DAY_OFF: OverrideKind = "day_off"
WORKING_DAY: OverrideKind = "working_day"

_US_PER_HOUR = 3_600_000_000
_SATURDAY = 5
_SUNDAY = 6


def _us(delta: dt.timedelta) -> int:
    return (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds


def _hours_to_us(hours: Decimal | int) -> int:
    if isinstance(hours, bool) or not isinstance(hours, (int, Decimal)):
        raise TypeError(f"hours must be an int or a Decimal, not {type(hours).__name__}")
    value = Decimal(hours)
    if not value.is_finite() or value < 0:
        raise ValueError(f"a duration must be a finite number >= 0, got {hours}")
    return int((value * _US_PER_HOUR).to_integral_value(rounding=ROUND_HALF_EVEN))


def _us_to_hours(us: int) -> Decimal:
    return Decimal(us) / Decimal(_US_PER_HOUR)


def month_start(day: dt.date, shift: int = 0) -> dt.date:
    """The first day of ``day``'s month, ``shift`` months later (earlier when negative)."""
    index = day.year * 12 + day.month - 1 + shift
    return dt.date(index // 12, index % 12 + 1, 1)


def month_end(day: dt.date) -> dt.date:
    """The last day of ``day``'s month."""
    return month_start(day, 1) - dt.timedelta(days=1)


# The roll-up periods: months in each (the names are PostgreSQL's ``date_trunc`` fields).
SPANS = {"month": 1, "quarter": 3, "year": 12}


def period_start(day: dt.date, span: str) -> dt.date:
    """The first day of the month, quarter or year (``span``) holding ``day``."""
    index = day.year * 12 + day.month - 1
    index -= index % SPANS[span]
    return dt.date(index // 12, index % 12 + 1, 1)


def period_end(day: dt.date, span: str) -> dt.date:
    """The last day of the month, quarter or year (``span``) holding ``day``."""
    return month_start(period_start(day, span), SPANS[span]) - dt.timedelta(days=1)


def cover(date_from: dt.date, date_to: dt.date) -> list[tuple[str, dt.date, dt.date]]:
    """``[date_from, date_to]`` as consecutive runs ``(span, first start, last start)`` of whole years,
    quarters, months (``SPANS``) or single days (``"day"``): at each day the longest period starting
    there and ending within the range, so a range reads as few roll-up rows as it can."""
    runs: list[tuple[str, dt.date, dt.date]] = []
    day = date_from
    while day <= date_to:
        span = next(
            (s for s in reversed(SPANS) if period_start(day, s) == day and period_end(day, s) <= date_to),
            "day",
        )
        if runs and runs[-1][0] == span:
            runs[-1] = (span, runs[-1][1], day)
        else:
            runs.append((span, day, day))
        day = (day if span == "day" else period_end(day, span)) + dt.timedelta(days=1)
    return runs


def to_local(t: dt.datetime) -> dt.datetime:
    """``t`` in Asia/Ho_Chi_Minh. Naive datetimes are refused: their meaning depends on the server."""
    if t.tzinfo is None or t.utcoffset() is None:
        raise ValueError(f"naive datetime {t.isoformat()}: working-time arithmetic needs an aware datetime")
    return t.astimezone(TZ)


@dataclass(frozen=True)
class Schedule:
    """A unit's office hours: a morning and an afternoon session on Monday–Friday.

    The province sets the hours (often by season). The default is 07:00–11:30 and 13:30–17:00, which
    is 4.5 + 3.5 = 8 hours (the 40-hour week); ``daily_hours`` is always computed from the sessions, so
    a unit on 07:30–11:30 gets 7.5-hour working days. ``saturday_morning`` is for
    counters that also receive on Saturday morning: that session is working time of the unit
    (see ``WorkCalendar.sessions``). Times are local wall-clock times (naive ``datetime.time``).
    """

    morning: tuple[dt.time, dt.time] = (dt.time(7, 0), dt.time(11, 30))
    afternoon: tuple[dt.time, dt.time] = (dt.time(13, 30), dt.time(17, 0))
    saturday_morning: bool = False

    def __post_init__(self) -> None:
        times = [*self.morning, *self.afternoon]
        if len(times) != 4 or any(t.tzinfo is not None for t in times):
            raise ValueError("a schedule is two (start, end) pairs of naive local times")
        (m_start, m_end), (a_start, a_end) = self.morning, self.afternoon
        if not (m_start < m_end <= a_start < a_end):
            raise ValueError(f"sessions out of order: {m_start}–{m_end}, {a_start}–{a_end}")

    @property
    def daily_hours(self) -> Decimal:
        """Length of one standard working day (morning + afternoon): what ``1 ngày làm việc`` is worth."""
        return _us_to_hours(sum((_span_us(*session) for session in (self.morning, self.afternoon)), 0))


def _span_us(start: dt.time, end: dt.time) -> int:
    day = dt.date(2000, 1, 3)
    return _us(dt.datetime.combine(day, end) - dt.datetime.combine(day, start))


@functools.lru_cache(maxsize=64)
def _statutory_year(year: int) -> tuple[frozenset[dt.date], frozenset[dt.date]]:
    """Holidays and swapped working weekend days of ``year`` according to ``holidays.VN``.

    The package includes the Tết days, Hùng Kings (10/3 lunar), 30/4, 1/5, 2/9 plus its adjacent day,
    24/11 from 2026, the compensatory days off (nghỉ bù) and the swaps of the Government notices it
    knows about (``weekend_workdays``: a Saturday worked in exchange for a weekday off).
    """
    vn = holidays.country_holidays("VN", years=year, language="vi")
    days_off = frozenset(d for d in vn if d.year == year)
    swapped = frozenset(d for d in getattr(vn, "weekend_workdays", ()) if d.year == year)
    return days_off, swapped


@dataclass(frozen=True)
class WorkCalendar:
    """Working days and working hours of one unit.

    Whether a day is worked, first rule that applies:

    1. an override (``CalendarOverride``): ``working_day`` makes it a full working day (a swapped
       Saturday, or a holiday a Government notice moved), ``day_off`` makes it a day off (a swapped
       weekday off, a compensatory day the package does not know, a local closure);
    2. a public holiday or compensatory day of ``holidays.VN`` (BLLĐ 2019 Điều 111 khoản 3, Điều 112):
       day off;
    3. a weekend day worked under a swap known to ``holidays.VN``: full working day;
    4. Monday–Friday: working day; Saturday: working morning only when the schedule has
       ``saturday_morning``; Sunday: day off.
    """

    schedule: Schedule = field(default_factory=Schedule)
    overrides: Mapping[dt.date, OverrideKind] = field(default_factory=dict)

    def __post_init__(self) -> None:
        bad = {d: kind for d, kind in self.overrides.items() if kind not in (DAY_OFF, WORKING_DAY)}
        if bad:
            raise ValueError(f"unknown override kinds: {bad}")
        object.__setattr__(self, "overrides", dict(self.overrides))

    # --- days --------------------------------------------------------------------------------------

    def is_holiday(self, d: dt.date) -> bool:
        """A statutory holiday or compensatory day of ``holidays.VN`` (before overrides)."""
        return d in _statutory_year(d.year)[0]

    def _is_full_day(self, d: dt.date) -> bool:
        override = self.overrides.get(d)
        if override is not None:
            return override == WORKING_DAY
        days_off, swapped = _statutory_year(d.year)
        if d in days_off:
            return False
        return d in swapped or d.weekday() < _SATURDAY

    def is_working_day(self, d: dt.date) -> bool:
        """Whether the unit works on ``d`` at all (a Saturday morning counter counts; see class doc)."""
        return bool(self.sessions(d))

    def sessions(self, d: dt.date) -> list[tuple[dt.datetime, dt.datetime]]:
        """The working sessions of ``d`` as aware local ``(start, end)`` pairs, [] on a day off.

        A Saturday of a ``saturday_morning`` unit has only the morning session, unless it is a
        holiday or a ``day_off`` override (closed) or a swapped working Saturday (full day).
        """
        if self._is_full_day(d):
            pairs = [self.schedule.morning, self.schedule.afternoon]
        elif (
            d.weekday() == _SATURDAY
            and self.schedule.saturday_morning
            and d not in self.overrides
            and not self.is_holiday(d)
        ):
            pairs = [self.schedule.morning]
        else:
            return []
        return [
            (dt.datetime.combine(d, start, tzinfo=TZ), dt.datetime.combine(d, end, tzinfo=TZ))
            for start, end in pairs
        ]

    def next_working_day(self, d: dt.date) -> dt.date:
        """The first working day strictly after ``d``."""
        d += dt.timedelta(days=1)
        while not self.is_working_day(d):
            d += dt.timedelta(days=1)
        return d

    def start_of_working_day(self, d: dt.date) -> dt.datetime:
        """Opening time of working day ``d``; ValueError when ``d`` is a day off."""
        sessions = self.sessions(d)
        if not sessions:
            raise ValueError(f"{d.isoformat()} is not a working day")
        return sessions[0][0]

    def end_of_working_day(self, d: dt.date) -> dt.datetime:
        """Closing time of working day ``d`` (17:00, or 11:30 on a Saturday morning); ValueError on a day off."""
        sessions = self.sessions(d)
        if not sessions:
            raise ValueError(f"{d.isoformat()} is not a working day")
        return sessions[-1][1]

    # --- instants ----------------------------------------------------------------------------------

    def _sessions_from(self, local: dt.datetime) -> Iterator[tuple[dt.datetime, dt.datetime]]:
        """Remaining working time from ``local`` on: ``(max(start, local), end)`` for each session
        that ends after ``local``, in order, forever."""
        d = local.date()
        while True:
            for start, end in self.sessions(d):
                if end > local:
                    yield max(start, local), end
            d += dt.timedelta(days=1)

    def is_working_instant(self, t: dt.datetime) -> bool:
        """Whether ``t`` lies inside a session; sessions are half-open: 11:30 and 17:00 are outside."""
        local = to_local(t)
        return any(start <= local < end for start, end in self.sessions(local.date()))

    def next_working_instant(self, t: dt.datetime) -> dt.datetime:
        """``t`` itself when it lies inside a session, otherwise the start of the next session.

        Received before opening ⇒ opening time; during lunch ⇒ afternoon start; after closing, on a
        weekend or a holiday ⇒ the next working day's opening time (research §7.3).
        """
        start, _ = next(self._sessions_from(to_local(t)))
        return start

    def add_working_hours(self, t: dt.datetime, hours: Decimal | int) -> dt.datetime:
        """The earliest instant at which ``hours`` working hours have elapsed since ``t``.

        Only time inside sessions counts. A limit that is used up exactly at a session end stays
        there (11:30, 17:00): it does not jump to the next session start. ``hours`` is exact to the
        microsecond; ``hours == 0`` returns ``t`` (in local time) unchanged. Example: the 8 working
        hours for receiving an online dossier (TT 87/2021/TT-BTC Điều 10; research §7.4).
        """
        local = to_local(t)
        remaining = _hours_to_us(hours)
        if remaining == 0:
            return local
        for start, end in self._sessions_from(local):
            available = _us(end - start)
            if remaining <= available:
                return start + dt.timedelta(microseconds=remaining)
            remaining -= available
        raise AssertionError("unreachable: the calendar never ends")  # pragma: no cover

    def add_working_days(self, t: dt.datetime, days: Decimal | int) -> dt.datetime:
        """``days`` "ngày làm việc" = ``days × schedule.daily_hours`` working hours from ``t``.

        1 working day is the unit's daily hours (research §7.3 stores limits in hours with 1 day =
        8 h, the daily hours of its 07:00–11:30, 13:30–17:00 schedule), so a dossier received Monday
        08:00 with a 1-day limit is due Tuesday 08:00 whatever the unit's hours are.
        """
        if isinstance(days, bool) or not isinstance(days, (int, Decimal)):
            raise TypeError(f"days must be an int or a Decimal, not {type(days).__name__}")
        return self.add_working_hours(t, Decimal(days) * self.schedule.daily_hours)

    def add_calendar_days(self, t: dt.datetime, days: int) -> dt.datetime:
        """A limit in plain "ngày": ``days`` calendar days after ``t`` at the same local wall-clock time.

        Weekends and holidays are counted. When that instant falls on a day that is not a working
        day, the end moves to the opening time of the next working day (research §7.3: "a due date
        falling on a non-working day moves to the next working day"). An instant on a working day
        stays as it is, even outside office hours. ``days == 0`` returns ``t`` in local time.
        """
        if isinstance(days, bool) or not isinstance(days, int):
            raise TypeError(f"days must be an int, not {type(days).__name__}")
        if days < 0:
            raise ValueError(f"days must be >= 0, got {days}")
        local = to_local(t)
        if days == 0:
            return local
        result = local + dt.timedelta(days=days)
        if self.is_working_day(result.date()):
            return result
        return self.start_of_working_day(self.next_working_day(result.date()))

    def working_hours_between(self, a: dt.datetime, b: dt.datetime) -> Decimal:
        """Working hours inside ``[a, b]`` (0 when ``b <= a``): how long a step really took."""
        start_local, end_local = to_local(a), to_local(b)
        if end_local <= start_local:
            return Decimal(0)
        total = 0
        for start, end in self._sessions_from(start_local):
            if start >= end_local:
                break
            total += _us(min(end, end_local) - start)
        return _us_to_hours(total)

    def start_after_cutoff(self, t: dt.datetime, cutoff: dt.time = dt.time(15, 0)) -> dt.datetime:
        """When the clock starts for something handed in at ``t`` at a counter with a same-day cut-off.

        Direct dossiers received after 15:00 are forwarded at the start of the next working day
        (NĐ 61/2018/NĐ-CP Điều 18) and copy certification requested after 15:00 is due on the next
        working day (NĐ 23/2015/NĐ-CP Điều 7). So: on a working day at or after ``cutoff`` (local
        time), the opening time of the next working day; otherwise ``next_working_instant(t)``
        (before opening ⇒ opening time, lunch ⇒ afternoon start, day off ⇒ next opening).
        """
        local = to_local(t)
        if self.is_working_day(local.date()) and local.time() >= cutoff:
            return self.start_of_working_day(self.next_working_day(local.date()))
        return self.next_working_instant(local)
