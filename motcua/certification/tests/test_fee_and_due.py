"""The fee rule (TT 226/2016/TT-BTC) and the same-day / next-day rule (NĐ 23/2015/NĐ-CP Điều 7)."""

import pytest

from motcua.certification.services import configured_fee, due_at, fee_for
from motcua.core.models import CalendarOverride
from motcua.core.worktime import WorkCalendar
from motcua.dossiers.tests.conftest import local
from motcua.organizations.calendars import calendar_for_unit


@pytest.mark.parametrize(
    ("pages", "copies", "fee"),
    [
        (1, 1, 2_000),
        (2, 1, 4_000),
        (3, 1, 5_000),
        (5, 1, 7_000),  # 2 × 2,000 + 3 × 1,000: the example of the circular
        (10, 1, 12_000),
        (198, 1, 200_000),  # 4,000 + 196,000: exactly the cap
        (200, 1, 200_000),  # 202,000 capped
        (250, 1, 200_000),
        (5, 3, 21_000),
        (250, 2, 400_000),  # the cap is per copy
        (1, 10, 20_000),
    ],
)
def test_fee_per_page_with_the_cap_per_copy(pages, copies, fee):
    assert fee_for(pages, copies) == fee


@pytest.mark.parametrize(("pages", "copies"), [(0, 1), (1, 0), (-1, 1)])
def test_fee_refuses_impossible_counts(pages, copies):
    with pytest.raises(ValueError, match="at least 1"):
        fee_for(pages, copies)


def test_configured_fee_reads_the_settings(settings):
    settings.MOTCUA_CERTIFICATION_FEE_CAP_VND = 5_000
    settings.MOTCUA_CERTIFICATION_FEE_FIRST_PAGES_VND = 3_000
    assert configured_fee(1, 1) == 3_000
    assert configured_fee(5, 2) == 10_000


CAL = WorkCalendar()


@pytest.mark.parametrize(
    ("received", "due"),
    [
        (local(2024, 3, 4, 8, 0), local(2024, 3, 4, 17, 0)),  # Monday morning: the same day
        (local(2024, 3, 4, 14, 59), local(2024, 3, 4, 17, 0)),  # a minute before 15:00: the same day
        (local(2024, 3, 4, 15, 0), local(2024, 3, 5, 17, 0)),  # at 15:00: the next working day
        (local(2024, 3, 4, 16, 30), local(2024, 3, 5, 17, 0)),
        (local(2024, 3, 8, 15, 30), local(2024, 3, 11, 17, 0)),  # Friday after 15:00: Monday
        (local(2024, 3, 9, 9, 0), local(2024, 3, 11, 17, 0)),  # Saturday: Monday
        (local(2024, 3, 4, 6, 30), local(2024, 3, 4, 17, 0)),  # before opening: the same day
        (local(2023, 12, 29, 15, 10), local(2024, 1, 2, 17, 0)),  # Friday before Tết Dương lịch 1/1/2024
        (local(2024, 9, 2, 9, 0), local(2024, 9, 4, 17, 0)),  # Quốc khánh 2–3/9/2024
    ],
)
def test_due_same_working_day_or_next_after_15h(received, due):
    assert due_at(CAL, received) == due


@pytest.mark.django_db
def test_due_uses_the_units_calendar_overrides(units):
    # a Government notice gives Tuesday 5/3/2024 off: a request on Monday 15:30 is due Wednesday
    CalendarOverride.objects.create(day=local(2024, 3, 5).date(), kind=CalendarOverride.Kind.DAY_OFF)
    calendar = calendar_for_unit(units.commune)
    assert due_at(calendar, local(2024, 3, 4, 15, 30)) == local(2024, 3, 6, 17, 0)
