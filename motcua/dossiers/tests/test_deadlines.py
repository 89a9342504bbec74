"""Dossier deadline rules against hand-computed cases (default office hours 07:00–11:30, 13:30–17:00).

Tết Giáp Thìn 2024: Thursday 8/2 – Wednesday 14/2 off. Tết Ất Tỵ 2025: Saturday 25/1 – Sunday 2/2
(weekdays 27/1 – 31/1 off). Both come from ``holidays.VN`` (see core/tests/test_worktime.py).
"""

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from motcua.catalog.models import Procedure, TimeUnit
from motcua.core.worktime import TZ, WorkCalendar
from motcua.dossiers import deadlines
from motcua.dossiers.workflow import Channel, Verdict

CAL = WorkCalendar()


def at(y: int, m: int, d: int, hh: int = 0, mm: int = 0, ss: int = 0) -> dt.datetime:
    return dt.datetime(y, m, d, hh, mm, ss, tzinfo=TZ)


def proc(limit: int | str, unit: TimeUnit) -> Procedure:
    return Procedure(code="1.000001", name="Thủ tục", time_limit=Decimal(limit), time_unit=unit)


DIRECT, ONLINE, POSTAL = Channel.DIRECT, Channel.ONLINE, Channel.POSTAL


@pytest.mark.parametrize(
    ("limit", "unit", "received", "channel", "expected"),
    [
        # Monday 08:00 + 3 working days: 7 h on Monday, 8 on Tuesday and Wednesday, 1 on Thursday.
        (3, TimeUnit.WORKING_DAYS, at(2024, 3, 4, 8), DIRECT, at(2024, 3, 7, 8)),
        # The 15:00 rule (NĐ 61 Điều 18): 14:59 counts from now, 15:00 and 15:01 from next morning.
        (1, TimeUnit.WORKING_DAYS, at(2024, 3, 4, 14, 59), DIRECT, at(2024, 3, 5, 14, 59)),
        (1, TimeUnit.WORKING_DAYS, at(2024, 3, 4, 15, 0), DIRECT, at(2024, 3, 5, 17, 0)),
        (1, TimeUnit.WORKING_DAYS, at(2024, 3, 4, 15, 1), DIRECT, at(2024, 3, 5, 17, 0)),
        (1, TimeUnit.WORKING_DAYS, at(2024, 3, 4, 15, 1), POSTAL, at(2024, 3, 5, 17, 0)),
        # Online dossiers are transferred electronically: no cut-off, only office hours.
        (1, TimeUnit.WORKING_DAYS, at(2024, 3, 4, 15, 1), ONLINE, at(2024, 3, 5, 15, 1)),
        # 17:00 is closing time: next morning for every channel.
        (1, TimeUnit.WORKING_DAYS, at(2024, 3, 4, 17, 0), DIRECT, at(2024, 3, 5, 17, 0)),
        (1, TimeUnit.WORKING_DAYS, at(2024, 3, 4, 17, 0), ONLINE, at(2024, 3, 5, 17, 0)),
        # Friday after 15:00: Monday morning.
        (1, TimeUnit.WORKING_DAYS, at(2024, 3, 8, 15, 30), DIRECT, at(2024, 3, 11, 17, 0)),
        # Tết 2024: Wednesday 7/2 10:00 + 1 day: 5 h on 7/2, then 3 h on Thursday 15/2.
        (1, TimeUnit.WORKING_DAYS, at(2024, 2, 7, 10), DIRECT, at(2024, 2, 15, 10)),
        # Wednesday 7/2 15:30, 2 days: the clock starts on 15/2 07:00 and ends Friday 16/2 17:00.
        (2, TimeUnit.WORKING_DAYS, at(2024, 2, 7, 15, 30), DIRECT, at(2024, 2, 16, 17)),
        # Tết 2025: Friday 24/1 16:00, direct: after the cut-off, so Monday 3/2 07:00 + 8 h.
        (1, TimeUnit.WORKING_DAYS, at(2025, 1, 24, 16), DIRECT, at(2025, 2, 3, 17)),
        # ... online: 1 h on Friday, 7 h on Monday 3/2.
        (1, TimeUnit.WORKING_DAYS, at(2025, 1, 24, 16), ONLINE, at(2025, 2, 3, 16)),
        # Working hours: Monday 16:00 + 4 h = Tuesday 10:00.
        (4, TimeUnit.HOURS, at(2024, 3, 4, 16), ONLINE, at(2024, 3, 5, 10)),
        # Calendar days: 15 days from 15/1/2025 land on 30/1, inside Tết: next opening, Monday 3/2.
        (15, TimeUnit.DAYS, at(2025, 1, 15, 9), DIRECT, at(2025, 2, 3, 7)),
        # Calendar days: Friday 10:00 + 1 day = Saturday, not worked: Monday 07:00.
        (1, TimeUnit.DAYS, at(2024, 3, 8, 10), DIRECT, at(2024, 3, 11, 7)),
        # A fractional number of calendar days is rounded up.
        ("1.5", TimeUnit.DAYS, at(2024, 3, 4, 10), DIRECT, at(2024, 3, 6, 10)),
    ],
)
def test_appointment(limit, unit, received, channel, expected):
    assert deadlines.appointment(proc(limit, unit), CAL, received, channel=channel) == expected


def test_no_time_limit_means_no_appointment():
    assert deadlines.appointment(proc(0, TimeUnit.NONE), CAL, at(2024, 3, 4, 8)) is None


def test_the_appointment_is_in_vietnam_time_even_from_a_utc_instant():
    # 2024-03-04 08:30 UTC = 15:30 local, after the cut-off.
    received = dt.datetime(2024, 3, 4, 8, 30, tzinfo=dt.UTC)
    due = deadlines.appointment(proc(1, TimeUnit.WORKING_DAYS), CAL, received)
    assert due == at(2024, 3, 5, 17)
    assert due is not None and due.isoformat() == "2024-03-05T17:00:00+07:00"


@pytest.mark.parametrize(
    ("submitted", "expected"),
    [
        # Friday 16:00: 1 h on Friday, then 07:00–11:30 and 13:30–16:00 on Monday.
        (at(2024, 3, 8, 16), at(2024, 3, 11, 16)),
        # Saturday: the count starts Monday 07:00 and uses the whole day.
        (at(2024, 3, 9, 10), at(2024, 3, 11, 17)),
        # During lunch: from 13:30 (3.5 h), then 4.5 h on Tuesday morning.
        (at(2024, 3, 4, 12), at(2024, 3, 5, 11, 30)),
        # Before Tết 2024: Wednesday 7/2 14:00 → 3 h that day, 4.5 + 0.5 h on Thursday 15/2.
        (at(2024, 2, 7, 14), at(2024, 2, 15, 14)),
        # Friday before Tết 2025, 16:00 → Monday 3/2 16:00.
        (at(2025, 1, 24, 16), at(2025, 2, 3, 16)),
        # Arrived at 17:00 sharp: nothing counts that day.
        (at(2024, 3, 4, 17), at(2024, 3, 5, 17)),
    ],
)
def test_online_reception_within_eight_working_hours(submitted, expected):
    assert deadlines.reception_deadline(CAL, submitted) == expected


def test_step_due_counts_working_hours_of_the_step():
    assert deadlines.step_due(CAL, at(2024, 3, 4, 16), Decimal(4)) == at(2024, 3, 5, 10)
    assert deadlines.step_due(CAL, at(2024, 2, 7, 16), 2) == at(2024, 2, 15, 8)


@pytest.mark.parametrize(
    ("finished", "expected"),
    [
        (at(2024, 3, 6, 16), Verdict.EARLY),
        (at(2024, 3, 7, 7, 59), Verdict.ON_TIME),
        (at(2024, 3, 7, 8, 0), Verdict.ON_TIME),  # end ≤ appointment is on time (QĐ 766)
        (at(2024, 3, 7, 8, 0, 1), Verdict.LATE),
        (at(2024, 3, 8, 9), Verdict.LATE),
        # Local midnight is 17:00 UTC: 23:30 local on 6/3 is still the day before (early) ...
        (dt.datetime(2024, 3, 6, 16, 30, tzinfo=dt.UTC), Verdict.EARLY),
        # ... 00:30 local on 7/3 is the due date (on time), though the UTC date is 6/3.
        (dt.datetime(2024, 3, 6, 17, 30, tzinfo=dt.UTC), Verdict.ON_TIME),
    ],
)
def test_verdict(finished, expected):
    assert deadlines.verdict(finished, at(2024, 3, 7, 8)) == expected


def test_no_appointment_is_never_late():
    assert deadlines.verdict(at(2030, 1, 1), None) == Verdict.ON_TIME


@pytest.mark.parametrize(
    ("received", "expected"),
    [
        (at(2024, 3, 4, 10), at(2024, 3, 7, 17)),  # Monday → Thursday close
        (at(2024, 3, 8, 16), at(2024, 3, 13, 17)),  # Friday → Wednesday close
        (at(2024, 2, 7, 9), at(2024, 2, 19, 17)),  # before Tết 2024: 15/2, 16/2, 19/2
        (at(2025, 1, 24, 9), at(2025, 2, 5, 17)),  # before Tết 2025: 3/2, 4/2, 5/2
    ],
)
def test_supplement_request_deadline(received, expected):
    assert deadlines.supplement_request_deadline(CAL, received) == expected


@pytest.mark.parametrize(
    ("due", "expected"),
    [
        (at(2024, 3, 7, 8), at(2024, 3, 6, 17)),  # due Thursday → Wednesday close
        (at(2024, 3, 11, 10), at(2024, 3, 8, 17)),  # due Monday → Friday close
        (at(2024, 2, 15, 10), at(2024, 2, 7, 17)),  # due the first day after Tết 2024
        (at(2025, 2, 3, 17), at(2025, 1, 24, 17)),  # due the first day after Tết 2025
    ],
)
def test_latest_apology_at(due, expected):
    assert deadlines.latest_apology_at(CAL, due) == expected


# --- properties ----------------------------------------------------------------------------------------

# hypothesis takes naive bounds and attaches the zone itself
FIRST, LAST = dt.date(2024, 1, 1), dt.date(2026, 12, 31)
instants = st.datetimes(
    min_value=dt.datetime.combine(FIRST, dt.time()),
    max_value=dt.datetime.combine(LAST, dt.time()),
    timezones=st.just(TZ),
).map(lambda t: t.replace(second=0, microsecond=0))


@settings(max_examples=300, deadline=None)
@given(submitted=instants)
def test_reception_deadline_is_exactly_eight_working_hours_later(submitted):
    deadline = deadlines.reception_deadline(CAL, submitted)
    assert CAL.working_hours_between(submitted, deadline) == 8
    assert deadline > submitted


@settings(max_examples=300, deadline=None)
@given(received=instants, days=st.integers(min_value=1, max_value=30), channel=st.sampled_from(list(Channel)))
def test_working_day_appointments_hold_the_limit_in_working_hours(received, days, channel):
    due = deadlines.appointment(proc(days, TimeUnit.WORKING_DAYS), CAL, received, channel=channel)
    start = deadlines.processing_start(CAL, received, channel)
    assert due is not None and due > received
    assert CAL.working_hours_between(start, due) == days * 8
    assert start >= received


@settings(max_examples=300, deadline=None)
@given(finished=instants, due=instants)
def test_verdict_late_exactly_when_after_the_appointment(finished, due):
    result = deadlines.verdict(finished, due)
    assert (result == Verdict.LATE) == (finished > due)
    if result == Verdict.EARLY:
        assert finished.date() < due.date()


@settings(max_examples=200, deadline=None)
@given(due=instants)
def test_the_apology_comes_at_least_a_working_day_before_the_due_date(due):
    latest = deadlines.latest_apology_at(CAL, due)
    assert latest.date() < due.date()
    assert CAL.is_working_day(latest.date())
    between = latest.date() + dt.timedelta(days=1)
    while between < due.date():
        assert not CAL.is_working_day(between)
        between += dt.timedelta(days=1)
