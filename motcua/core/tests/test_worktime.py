"""Working calendar and working-hours arithmetic (pure, no database)."""

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import holidays
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from motcua.core.worktime import TZ, Schedule, WorkCalendar, cover, period_end, period_start, to_local

UTC = dt.UTC
DEFAULT = WorkCalendar()
SATURDAY_COUNTER = WorkCalendar(schedule=Schedule(saturday_morning=True))


def at(y: int, m: int, d: int, hh: int = 0, mm: int = 0) -> dt.datetime:
    """A local (Asia/Ho_Chi_Minh) instant."""
    return dt.datetime(y, m, d, hh, mm, tzinfo=TZ)


def days(first: dt.date, last: dt.date) -> list[dt.date]:
    return [first + dt.timedelta(days=i) for i in range((last - first).days + 1)]


# --- Official civil-servant calendars 2023–2026 ----------------------------------------------------
# Written from the Government's announcements, independently of the ``holidays`` package. Each entry
# is a whole break as announced (weekends included); every weekday inside is a day off and every
# weekday outside all breaks is a working day, except the swapped working weekend days below.
OFFICIAL_BREAKS: dict[int, list[tuple[dt.date, dt.date, str]]] = {
    2023: [
        # 1/1 is a Sunday: compensatory Monday 2/1 (BLLĐ 2019 Điều 111 khoản 3).
        (dt.date(2022, 12, 31), dt.date(2023, 1, 2), "Tết Dương lịch"),
        # 29 Tết – mùng 5, 7 days: VPCP Công văn 8056/VPCP-KGVX of 01/12/2022.
        (dt.date(2023, 1, 20), dt.date(2023, 1, 26), "Tết Nguyên đán Quý Mão"),
        # Hùng Kings 29/4 (Sat) → compensatory Tue 2/5; 30/4 (Sun) → Wed 3/5; 1/5 Mon. Five days by
        # compensation alone (BLLĐ Điều 111 khoản 3), no swapped Saturday that year.
        (dt.date(2023, 4, 29), dt.date(2023, 5, 3), "Giỗ Tổ, 30/4, 1/5"),
        # 1/9 (Fri) + 2/9 (Sat) → compensatory Mon 4/9: VPCP Công văn 8056/VPCP-KGVX.
        (dt.date(2023, 9, 1), dt.date(2023, 9, 4), "Quốc khánh"),
    ],
    2024: [
        (dt.date(2024, 1, 1), dt.date(2024, 1, 1), "Tết Dương lịch"),
        # 29 Tết – mùng 5, 7 days (10–11/2 fall on the weekend → 13–14/2): Bộ LĐTBXH notice, end of 2023.
        (dt.date(2024, 2, 8), dt.date(2024, 2, 14), "Tết Nguyên đán Giáp Thìn"),
        (dt.date(2024, 4, 18), dt.date(2024, 4, 18), "Giỗ Tổ Hùng Vương"),
        # Mon 29/4 off, worked Sat 4/5: VPCP Công văn 2450/VPCP-KGVX of 2024.
        (dt.date(2024, 4, 27), dt.date(2024, 5, 1), "30/4, 1/5"),
        # 2/9 (Mon) + 3/9 (Tue).
        (dt.date(2024, 8, 31), dt.date(2024, 9, 3), "Quốc khánh"),
    ],
    2025: [
        (dt.date(2025, 1, 1), dt.date(2025, 1, 1), "Tết Dương lịch"),
        # 9 days, 27/1–31/1 off: VPCP Công văn 8726/VPCP-KGVX of 26/11/2024; TB 6150/TB-LĐTBXH.
        (dt.date(2025, 1, 25), dt.date(2025, 2, 2), "Tết Nguyên đán Ất Tỵ"),
        (dt.date(2025, 4, 5), dt.date(2025, 4, 7), "Giỗ Tổ Hùng Vương"),
        # Fri 2/5 off, worked Sat 26/4: VPCP Công văn 8726/VPCP-KGVX.
        (dt.date(2025, 4, 30), dt.date(2025, 5, 4), "30/4, 1/5"),
        # 1/9 (Mon) + 2/9 (Tue): VPCP Công văn 8726/VPCP-KGVX.
        (dt.date(2025, 8, 30), dt.date(2025, 9, 2), "Quốc khánh"),
    ],
    2026: [
        # Fri 2/1 off, worked Sat 10/1: VPCP Công văn 12729/VPCP-KGVX of 25/12/2025.
        (dt.date(2026, 1, 1), dt.date(2026, 1, 4), "Tết Dương lịch"),
        # 16/2 (29 tháng Chạp) – 20/2 (mùng 4), 9 days with the weekends: TB 9441/TB-BNV of 16/10/2025.
        (dt.date(2026, 2, 14), dt.date(2026, 2, 22), "Tết Nguyên đán Bính Ngọ"),
        # Hùng Kings 26/4 (Sun) → compensatory Mon 27/4 (BLLĐ Điều 111 khoản 3).
        (dt.date(2026, 4, 25), dt.date(2026, 4, 27), "Giỗ Tổ Hùng Vương"),
        (dt.date(2026, 4, 30), dt.date(2026, 5, 3), "30/4, 1/5"),
        # 1/9 (Tue) + 2/9 (Wed); Mon 31/8 off, worked Sat 22/8: TB 9441/TB-BNV.
        (dt.date(2026, 8, 29), dt.date(2026, 9, 2), "Quốc khánh"),
        # Ngày Văn hóa Việt Nam, paid holiday from 2026 (Nghị quyết 80-NQ/TW as cited by ``holidays``).
        (dt.date(2026, 11, 24), dt.date(2026, 11, 24), "Ngày Văn hóa Việt Nam"),
    ],
}
OFFICIAL_WORKING_WEEKEND_DAYS = {
    dt.date(2024, 5, 4),
    dt.date(2025, 4, 26),
    dt.date(2026, 1, 10),
    dt.date(2026, 8, 22),
}
# What the ``holidays`` 0.108 package lacks: the Tết Dương lịch 2026 swap (Công văn 12729/VPCP-KGVX).
# An operator enters these as CalendarOverride rows; the test below proves the rows fix it.
OFFICIAL_OVERRIDES = {dt.date(2026, 1, 2): "day_off", dt.date(2026, 1, 10): "working_day"}


def official_is_working_day(d: dt.date) -> bool:
    breaks = [b for year in OFFICIAL_BREAKS.values() for b in year]
    if d in OFFICIAL_WORKING_WEEKEND_DAYS:
        return True
    if any(first <= d <= last for first, last, _ in breaks):
        return False
    return d.weekday() < 5


@pytest.mark.parametrize("year", sorted(OFFICIAL_BREAKS))
def test_calendar_with_overrides_matches_official_civil_servant_calendar(year):
    calendar = WorkCalendar(overrides=OFFICIAL_OVERRIDES)

    mismatches = [
        (d.isoformat(), calendar.is_working_day(d))
        for d in days(dt.date(year, 1, 1), dt.date(year, 12, 31))
        if calendar.is_working_day(d) != official_is_working_day(d)
    ]

    assert mismatches == []


@pytest.mark.parametrize(
    ("year", "name"),
    [(year, name) for year, breaks in OFFICIAL_BREAKS.items() for _, _, name in breaks],
)
def test_every_official_break_is_closed_and_bounded_by_open_days(year, name):
    first, last = next((f, la) for f, la, n in OFFICIAL_BREAKS[year] if n == name)
    calendar = WorkCalendar(overrides=OFFICIAL_OVERRIDES)

    assert [d for d in days(first, last) if calendar.is_working_day(d)] == []
    before, after = first - dt.timedelta(days=1), last + dt.timedelta(days=1)
    assert before.weekday() >= 5 or calendar.is_working_day(before)
    assert after.weekday() >= 5 or calendar.is_working_day(after)


def test_holidays_package_lacks_the_tet_duong_lich_2026_swap_and_the_override_fixes_it():
    # If a newer ``holidays`` knows the swap, this assertion fails: drop the two override rows then.
    assert DEFAULT.is_working_day(dt.date(2026, 1, 2))
    assert not DEFAULT.is_working_day(dt.date(2026, 1, 10))

    calendar = WorkCalendar(overrides=OFFICIAL_OVERRIDES)

    assert not calendar.is_working_day(dt.date(2026, 1, 2))
    assert calendar.sessions(dt.date(2026, 1, 10)) == [
        (at(2026, 1, 10, 7), at(2026, 1, 10, 11, 30)),
        (at(2026, 1, 10, 13, 30), at(2026, 1, 10, 17, 0)),
    ]
    # Wednesday 31/12/2025 16:00 + 2 working hours: 1 h that day, then Monday 5/1 (not Fri 2/1).
    assert calendar.add_working_hours(at(2025, 12, 31, 16), 2) == at(2026, 1, 5, 8)


def test_swapped_working_saturdays_known_to_the_package_are_full_days():
    for saturday in (dt.date(2024, 5, 4), dt.date(2025, 4, 26), dt.date(2026, 8, 22)):
        assert saturday.weekday() == 5
        assert len(DEFAULT.sessions(saturday)) == 2
        assert DEFAULT.end_of_working_day(saturday) == dt.datetime.combine(saturday, dt.time(17), TZ)


def test_override_day_off_beats_a_weekday_and_working_day_beats_a_holiday():
    monday, national_day = dt.date(2025, 3, 10), dt.date(2025, 9, 2)
    calendar = WorkCalendar(overrides={monday: "day_off", national_day: "working_day"})

    assert DEFAULT.is_working_day(monday) and not calendar.is_working_day(monday)
    assert not DEFAULT.is_working_day(national_day) and calendar.is_working_day(national_day)


def test_unknown_override_kind_is_refused():
    with pytest.raises(ValueError, match="unknown override"):
        WorkCalendar(overrides={dt.date(2025, 1, 2): "holiday"})  # type: ignore[dict-item]


# --- Sessions, lunch, 17:00 -----------------------------------------------------------------------


def test_daily_hours_are_the_length_of_the_sessions():
    # 07:00–11:30 + 13:30–17:00 is 4.5 h + 3.5 h: the default day is 8 working hours.
    assert Schedule().daily_hours == Decimal(8)
    assert Schedule(morning=(dt.time(7), dt.time(11, 30))).daily_hours == 8


def test_schedule_refuses_disordered_sessions():
    with pytest.raises(ValueError, match="out of order"):
        Schedule(morning=(dt.time(7, 30), dt.time(14)))


def test_lunch_break_is_not_working_time():
    # given Tuesday 4 March 2025
    assert DEFAULT.next_working_instant(at(2025, 3, 4, 11, 30)) == at(2025, 3, 4, 13, 30)
    assert DEFAULT.next_working_instant(at(2025, 3, 4, 12, 15)) == at(2025, 3, 4, 13, 30)
    assert DEFAULT.next_working_instant(at(2025, 3, 4, 11, 29)) == at(2025, 3, 4, 11, 29)
    assert DEFAULT.add_working_hours(at(2025, 3, 4, 11), 1) == at(2025, 3, 4, 14)
    assert DEFAULT.add_working_hours(at(2025, 3, 4, 12), 1) == at(2025, 3, 4, 14, 30)
    assert DEFAULT.working_hours_between(at(2025, 3, 4, 11), at(2025, 3, 4, 14)) == 1


def test_a_limit_used_up_at_a_session_end_stays_there():
    assert DEFAULT.add_working_hours(at(2025, 3, 4, 11), Decimal("0.5")) == at(2025, 3, 4, 11, 30)
    assert DEFAULT.add_working_hours(at(2025, 3, 4, 16), 1) == at(2025, 3, 4, 17)
    assert DEFAULT.add_working_hours(at(2025, 3, 4, 7), Decimal(8)) == at(2025, 3, 4, 17)
    assert DEFAULT.add_working_days(at(2025, 3, 4, 7), 1) == at(2025, 3, 4, 17)
    assert DEFAULT.add_working_hours(at(2025, 3, 4, 16), 2) == at(2025, 3, 5, 8)


def test_17h_closes_the_day():
    assert DEFAULT.is_working_instant(at(2025, 3, 4, 16, 59))
    assert not DEFAULT.is_working_instant(at(2025, 3, 4, 17))
    assert DEFAULT.next_working_instant(at(2025, 3, 4, 17)) == at(2025, 3, 5, 7)
    assert DEFAULT.end_of_working_day(dt.date(2025, 3, 4)) == at(2025, 3, 4, 17)


def test_friday_afternoon_rolls_to_monday():
    assert DEFAULT.add_working_hours(at(2025, 3, 7, 16), 2) == at(2025, 3, 10, 8)
    assert DEFAULT.add_working_days(at(2025, 3, 7, 14), 1) == at(2025, 3, 10, 14)
    # 13:30 Friday is, in working time, the same point as 11:30: the day ends at Monday 11:30.
    assert DEFAULT.add_working_days(at(2025, 3, 7, 13, 30), 1) == at(2025, 3, 10, 11, 30)
    assert DEFAULT.next_working_instant(at(2025, 3, 8, 10)) == at(2025, 3, 10, 7)
    assert DEFAULT.working_hours_between(at(2025, 3, 7, 16), at(2025, 3, 10, 8)) == 2


def test_working_days_are_multiples_of_the_units_daily_hours():
    # 1 working day = the unit's daily hours, so a day later is the same time on the next working
    # day: Monday 08:00 + 1 day = Tuesday 08:00; + 3 days across 30/4–4/5/2025 (2/5 swapped off).
    assert DEFAULT.add_working_days(at(2025, 3, 3, 8), 1) == at(2025, 3, 4, 8)
    assert DEFAULT.add_working_days(at(2025, 4, 29, 9), 3) == at(2025, 5, 7, 9)
    long_days = WorkCalendar(schedule=Schedule(morning=(dt.time(7), dt.time(11, 30))))
    assert long_days.add_working_days(at(2025, 3, 3, 7), 1) == at(2025, 3, 3, 17)


def test_tet_2025_is_skipped():
    # Friday 24/1/2025 16:00 + 4 working hours: 1 h on Friday, 3 h on Monday 3/2.
    assert DEFAULT.add_working_hours(at(2025, 1, 24, 16), 4) == at(2025, 2, 3, 10)


# --- The 15:00 cut-off (NĐ 61/2018 Điều 18; NĐ 23/2015 Điều 7) ------------------------------------


@pytest.mark.parametrize(
    ("received", "starts"),
    [
        (at(2025, 3, 4, 14, 59), at(2025, 3, 4, 14, 59)),
        (at(2025, 3, 4, 15, 0), at(2025, 3, 5, 7)),
        (at(2025, 3, 4, 15, 1), at(2025, 3, 5, 7)),
        (at(2025, 3, 4, 18, 0), at(2025, 3, 5, 7)),
        (at(2025, 3, 4, 6, 0), at(2025, 3, 4, 7)),
        (at(2025, 3, 4, 12, 0), at(2025, 3, 4, 13, 30)),
        (at(2025, 3, 7, 14, 59), at(2025, 3, 7, 14, 59)),
        (at(2025, 3, 7, 15, 0), at(2025, 3, 10, 7)),
        (at(2025, 3, 9, 10, 0), at(2025, 3, 10, 7)),
        (at(2025, 4, 29, 15, 30), at(2025, 5, 5, 7)),
    ],
)
def test_start_after_cutoff(received, starts):
    assert DEFAULT.start_after_cutoff(received) == starts


def test_cutoff_is_configurable():
    assert DEFAULT.start_after_cutoff(at(2025, 3, 4, 16), cutoff=dt.time(16, 30)) == at(2025, 3, 4, 16)


# --- Saturday-morning counters ---------------------------------------------------------------------


def test_saturday_morning_counter_works_saturday_morning_only():
    saturday = dt.date(2025, 3, 8)
    assert SATURDAY_COUNTER.is_working_day(saturday)
    assert SATURDAY_COUNTER.sessions(saturday) == [(at(2025, 3, 8, 7), at(2025, 3, 8, 11, 30))]
    assert SATURDAY_COUNTER.end_of_working_day(saturday) == at(2025, 3, 8, 11, 30)
    assert not SATURDAY_COUNTER.is_working_day(dt.date(2025, 3, 9))
    assert not DEFAULT.is_working_day(saturday)


def test_saturday_morning_counts_as_working_time():
    # Friday 16:00 + 2 h: 1 h Friday, Saturday 07:00–08:00.
    assert SATURDAY_COUNTER.add_working_hours(at(2025, 3, 7, 16), 2) == at(2025, 3, 8, 8)
    assert SATURDAY_COUNTER.add_working_hours(at(2025, 3, 8, 10, 30), 1) == at(2025, 3, 8, 11, 30)
    assert SATURDAY_COUNTER.add_working_hours(at(2025, 3, 8, 10, 30), 2) == at(2025, 3, 10, 8)
    assert SATURDAY_COUNTER.next_working_instant(at(2025, 3, 8, 11, 30)) == at(2025, 3, 10, 7)
    assert SATURDAY_COUNTER.start_after_cutoff(at(2025, 3, 8, 12)) == at(2025, 3, 10, 7)
    assert SATURDAY_COUNTER.start_after_cutoff(at(2025, 3, 8, 9)) == at(2025, 3, 8, 9)


def test_saturday_morning_counter_is_closed_on_holidays_and_overrides_and_full_on_swaps():
    assert not SATURDAY_COUNTER.is_working_day(dt.date(2025, 2, 1))  # mùng 4 Tết Ất Tỵ
    assert len(SATURDAY_COUNTER.sessions(dt.date(2025, 4, 26))) == 2  # swapped working Saturday
    closed = WorkCalendar(
        schedule=Schedule(saturday_morning=True), overrides={dt.date(2025, 3, 8): "day_off"}
    )
    assert not closed.is_working_day(dt.date(2025, 3, 8))


def test_end_of_working_day_refuses_a_day_off():
    with pytest.raises(ValueError, match="not a working day"):
        DEFAULT.end_of_working_day(dt.date(2025, 9, 2))


# --- Calendar days ("ngày") -------------------------------------------------------------------------


def test_calendar_days_keep_the_time_and_move_off_days_off_to_the_next_opening():
    assert DEFAULT.add_calendar_days(at(2025, 3, 5, 10), 1) == at(2025, 3, 6, 10)
    assert DEFAULT.add_calendar_days(at(2025, 3, 6, 20), 1) == at(2025, 3, 7, 20)
    assert DEFAULT.add_calendar_days(at(2025, 3, 7, 10), 1) == at(2025, 3, 10, 7)
    assert DEFAULT.add_calendar_days(at(2025, 3, 5, 10), 7) == at(2025, 3, 12, 10)
    # 15 days from 15/1/2025 land on 30/1, inside Tết: the next opening is Monday 3/2.
    assert DEFAULT.add_calendar_days(at(2025, 1, 15, 9), 15) == at(2025, 2, 3, 7)
    assert DEFAULT.add_calendar_days(at(2025, 3, 8, 10), 0) == at(2025, 3, 8, 10)


# --- Time zones: local midnight is 17:00 UTC ----------------------------------------------------------


def test_local_midnight_is_17h_utc():
    assert to_local(dt.datetime(2025, 4, 29, 17, tzinfo=UTC)) == at(2025, 4, 30)
    # Thursday 6/3 17:30 UTC is Friday 00:30 local: one calendar day later is Saturday ⇒ Monday.
    assert DEFAULT.add_calendar_days(dt.datetime(2025, 3, 6, 17, 30, tzinfo=UTC), 1) == at(2025, 3, 10, 7)
    # Sunday 9/3 23:59 UTC is Monday 06:59 local, before opening; 00:30 UTC is 07:30 local.
    assert not DEFAULT.is_working_instant(dt.datetime(2025, 3, 9, 23, 59, tzinfo=UTC))
    assert DEFAULT.is_working_instant(dt.datetime(2025, 3, 10, 0, 30, tzinfo=UTC))
    # Monday 08:00 UTC is 15:00 local: past the cut-off.
    assert DEFAULT.start_after_cutoff(dt.datetime(2025, 3, 10, 8, tzinfo=UTC)) == at(2025, 3, 11, 7)
    assert DEFAULT.start_after_cutoff(dt.datetime(2025, 3, 10, 7, 59, tzinfo=UTC)) == at(2025, 3, 10, 14, 59)
    # Friday 17:00 local (10:00 UTC) to Monday 07:01 local (00:01 UTC): one working minute.
    minute = DEFAULT.working_hours_between(
        dt.datetime(2025, 3, 7, 10, tzinfo=UTC), dt.datetime(2025, 3, 10, 0, 1, tzinfo=UTC)
    )
    assert minute * 60 == 1


def test_results_are_in_local_time_whatever_the_input_zone():
    result = DEFAULT.add_working_hours(dt.datetime(2025, 3, 4, 2, tzinfo=UTC), 1)
    assert result == at(2025, 3, 4, 10)
    assert result.tzinfo == TZ
    assert result.utcoffset() == dt.timedelta(hours=7)
    tokyo = dt.datetime(2025, 3, 4, 11, tzinfo=ZoneInfo("Asia/Tokyo"))  # 09:00 local
    assert DEFAULT.next_working_instant(tokyo).hour == 9


def test_naive_datetimes_are_refused():
    naive = dt.datetime(2025, 3, 4, 9)  # noqa: DTZ001
    for call in (
        lambda: DEFAULT.next_working_instant(naive),
        lambda: DEFAULT.add_working_hours(naive, 1),
        lambda: DEFAULT.add_working_days(naive, 1),
        lambda: DEFAULT.add_calendar_days(naive, 1),
        lambda: DEFAULT.working_hours_between(naive, at(2025, 3, 5)),
        lambda: DEFAULT.working_hours_between(at(2025, 3, 5), naive),
        lambda: DEFAULT.start_after_cutoff(naive),
        lambda: DEFAULT.is_working_instant(naive),
    ):
        with pytest.raises(ValueError, match="naive"):
            call()


def test_bad_durations_are_refused():
    with pytest.raises(ValueError, match=">= 0"):
        DEFAULT.add_working_hours(at(2025, 3, 4, 9), -1)
    with pytest.raises(TypeError):
        DEFAULT.add_working_hours(at(2025, 3, 4, 9), 1.5)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=">= 0"):
        DEFAULT.add_calendar_days(at(2025, 3, 4, 9), -1)


def test_zero_hours_is_the_identity_and_backwards_intervals_are_empty():
    assert DEFAULT.add_working_hours(at(2025, 3, 8, 22), 0) == at(2025, 3, 8, 22)
    assert DEFAULT.working_hours_between(at(2025, 3, 5, 10), at(2025, 3, 4, 10)) == 0
    assert DEFAULT.working_hours_between(at(2025, 3, 5, 10), at(2025, 3, 5, 10)) == 0


# --- Properties and an independent oracle ------------------------------------------------------------
# The oracle steps minute by minute over local wall-clock time and decides each minute from the
# documented rules, using the ``holidays`` data directly (the data is tested above; this checks the
# arithmetic).

ORACLE_OVERRIDES = {
    dt.date(2026, 1, 2): "day_off",
    dt.date(2026, 1, 10): "working_day",
    dt.date(2025, 6, 11): "day_off",
    dt.date(2025, 6, 15): "working_day",  # a Sunday
    dt.date(2027, 3, 6): "day_off",  # a Saturday
}
CALENDARS = {
    "default": WorkCalendar(overrides=ORACLE_OVERRIDES),
    "saturday": WorkCalendar(schedule=Schedule(saturday_morning=True), overrides=ORACLE_OVERRIDES),
    "long": WorkCalendar(
        schedule=Schedule(morning=(dt.time(7), dt.time(11, 30)), afternoon=(dt.time(13), dt.time(16, 45))),
        overrides=ORACLE_OVERRIDES,
    ),
}
_VN = holidays.country_holidays("VN", years=range(2025, 2029))
_VN_SWAPPED = set(_VN.weekend_workdays)


def oracle_day_sessions(calendar: WorkCalendar, d: dt.date) -> list[tuple[dt.time, dt.time]]:
    schedule = calendar.schedule
    kind = calendar.overrides.get(d)
    if kind == "working_day":
        return [schedule.morning, schedule.afternoon]
    if kind == "day_off" or d in _VN:
        return []
    if d in _VN_SWAPPED or d.weekday() < 5:
        return [schedule.morning, schedule.afternoon]
    if d.weekday() == 5 and schedule.saturday_morning:
        return [schedule.morning]
    return []


def oracle_minute_works(calendar: WorkCalendar, local: dt.datetime) -> bool:
    return any(s <= local.time() < e for s, e in oracle_day_sessions(calendar, local.date()))


def oracle_add_minutes(calendar: WorkCalendar, t: dt.datetime, minutes: int) -> dt.datetime:
    current, counted = t.astimezone(TZ), 0
    while counted < minutes:
        if oracle_minute_works(calendar, current):
            counted += 1
        current += dt.timedelta(minutes=1)
    return current


def oracle_minutes_between(calendar: WorkCalendar, a: dt.datetime, b: dt.datetime) -> int:
    current, end, counted = a.astimezone(TZ), b.astimezone(TZ), 0
    while current < end:
        counted += oracle_minute_works(calendar, current)
        current += dt.timedelta(minutes=1)
    return counted


minute_instants = st.builds(
    lambda naive, zone: naive.replace(second=0, microsecond=0, tzinfo=zone),
    st.datetimes(min_value=dt.datetime(2025, 1, 1), max_value=dt.datetime(2027, 12, 31)),  # noqa: DTZ001
    st.sampled_from([TZ, UTC]),
)
instants = st.builds(
    lambda naive, zone: naive.replace(tzinfo=zone),
    st.datetimes(min_value=dt.datetime(2025, 1, 1), max_value=dt.datetime(2027, 12, 31)),  # noqa: DTZ001
    st.sampled_from([TZ, UTC]),
)
hours = st.decimals(min_value=0, max_value=40, places=2)
positive_hours = st.decimals(min_value=Decimal("0.01"), max_value=40, places=2)
calendars = st.sampled_from(sorted(CALENDARS)).map(CALENDARS.__getitem__)


@settings(max_examples=150, deadline=None)
@given(calendar=calendars, t=minute_instants, minutes=st.integers(min_value=0, max_value=3 * 8 * 60))
def test_add_working_hours_matches_minute_stepping_oracle(calendar, t, minutes):
    expected = oracle_add_minutes(calendar, t, minutes)

    assert calendar.add_working_hours(t, Decimal(minutes) / 60) == expected


@settings(max_examples=100, deadline=None)
@given(calendar=calendars, a=minute_instants, span=st.integers(min_value=0, max_value=6 * 24 * 60))
def test_working_hours_between_matches_minute_stepping_oracle(calendar, a, span):
    b = a + dt.timedelta(minutes=span)

    assert calendar.working_hours_between(a, b) == Decimal(oracle_minutes_between(calendar, a, b)) / 60


def at_session_boundary_or_inside(calendar: WorkCalendar, t: dt.datetime) -> bool:
    local = t.astimezone(TZ)
    return any(s <= local.time() <= e for s, e in oracle_day_sessions(calendar, local.date()))


@settings(max_examples=200, deadline=None)
@given(calendar=calendars, t=instants, h=positive_hours)
def test_results_land_inside_a_session_or_exactly_at_its_end(calendar, t, h):
    assert at_session_boundary_or_inside(calendar, calendar.add_working_hours(t, h))
    assert at_session_boundary_or_inside(calendar, calendar.next_working_instant(t))
    assert calendar.is_working_instant(calendar.next_working_instant(t))


@settings(max_examples=200, deadline=None)
@given(calendar=calendars, t=instants, h1=hours, h2=hours)
def test_add_working_hours_is_monotonic(calendar, t, h1, h2):
    low, high = sorted([h1, h2])

    assert t <= calendar.add_working_hours(t, low) <= calendar.add_working_hours(t, high)


@settings(max_examples=200, deadline=None)
@given(calendar=calendars, t=instants, a=hours, b=hours)
def test_add_working_hours_is_additive(calendar, t, a, b):
    start = calendar.next_working_instant(t)

    assert calendar.add_working_hours(calendar.add_working_hours(start, a), b) == calendar.add_working_hours(
        start, a + b
    )


@settings(max_examples=200, deadline=None)
@given(calendar=calendars, t=instants, h=hours)
def test_working_hours_between_inverts_add(calendar, t, h):
    assert calendar.working_hours_between(t, calendar.add_working_hours(t, h)) == h


@settings(max_examples=100, deadline=None)
@given(calendar=calendars, t=instants, n=st.integers(min_value=0, max_value=30))
def test_working_days_are_daily_hours(calendar, t, n):
    assert calendar.add_working_days(t, n) == calendar.add_working_hours(t, n * calendar.schedule.daily_hours)


@settings(max_examples=100, deadline=None)
@given(calendar=calendars, t=instants, n=st.integers(min_value=1, max_value=60))
def test_calendar_days_end_on_a_working_day_not_before_the_plain_date(calendar, t, n):
    result = calendar.add_calendar_days(t, n)
    plain = t.astimezone(TZ) + dt.timedelta(days=n)

    assert result >= plain
    assert oracle_day_sessions(calendar, result.date())
    assert result == plain or all(
        not oracle_day_sessions(calendar, plain.date() + dt.timedelta(days=i))
        for i in range((result.date() - plain.date()).days)
    )


@settings(max_examples=100, deadline=None)
@given(calendar=calendars, t=instants)
def test_start_after_cutoff_is_a_working_instant_not_before_t(calendar, t):
    start = calendar.start_after_cutoff(t)
    local = t.astimezone(TZ)

    assert start >= local
    assert calendar.is_working_instant(start)
    if oracle_day_sessions(calendar, local.date()) and local.time() >= dt.time(15):
        assert start.date() > local.date()
        assert start.time() == calendar.schedule.morning[0]


def test_periods_start_and_end_with_their_month_quarter_or_year() -> None:
    day = dt.date(2024, 8, 17)
    assert [period_start(day, s) for s in ("month", "quarter", "year")] == [
        dt.date(2024, 8, 1),
        dt.date(2024, 7, 1),
        dt.date(2024, 1, 1),
    ]
    assert [period_end(day, s) for s in ("month", "quarter", "year")] == [
        dt.date(2024, 8, 31),
        dt.date(2024, 9, 30),
        dt.date(2024, 12, 31),
    ]
    assert period_end(dt.date(2024, 2, 10), "month") == dt.date(2024, 2, 29)  # leap year


def test_a_range_is_covered_by_its_whole_years_quarters_months_and_edge_days() -> None:
    d = dt.date
    assert cover(d(2024, 2, 15), d(2025, 12, 31)) == [
        ("day", d(2024, 2, 15), d(2024, 2, 29)),
        ("month", d(2024, 3, 1), d(2024, 3, 1)),
        ("quarter", d(2024, 4, 1), d(2024, 10, 1)),
        ("year", d(2025, 1, 1), d(2025, 1, 1)),
    ]
    assert cover(d(2025, 1, 1), d(2025, 12, 31)) == [("year", d(2025, 1, 1), d(2025, 1, 1))]
    assert cover(d(2025, 7, 1), d(2025, 9, 30)) == [("quarter", d(2025, 7, 1), d(2025, 7, 1))]
    assert cover(d(2025, 9, 1), d(2025, 9, 30)) == [("month", d(2025, 9, 1), d(2025, 9, 1))]
    # a year's range ending before its last day: its quarters and months, then days
    assert cover(d(2025, 1, 1), d(2025, 11, 20)) == [
        ("quarter", d(2025, 1, 1), d(2025, 7, 1)),
        ("month", d(2025, 10, 1), d(2025, 10, 1)),
        ("day", d(2025, 11, 1), d(2025, 11, 20)),
    ]
    assert cover(d(2025, 9, 3), d(2025, 9, 3)) == [("day", d(2025, 9, 3), d(2025, 9, 3))]


@given(
    first=st.dates(min_value=dt.date(2019, 1, 1), max_value=dt.date(2027, 12, 31)),
    length=st.integers(min_value=0, max_value=1200),
)
def test_the_cover_holds_every_day_of_the_range_once(first: dt.date, length: int) -> None:
    last = first + dt.timedelta(days=length)
    covered: list[dt.date] = []
    for span, start, end in cover(first, last):
        if span == "day":
            covered += days(start, end)
            continue
        period = start
        while period <= end:
            assert period_start(period, span) == period
            covered += days(period, period_end(period, span))
            period = period_end(period, span) + dt.timedelta(days=1)
    assert covered == days(first, last)
