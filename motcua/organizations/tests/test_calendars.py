"""A unit's working calendar read from OfficeHours and CalendarOverride rows."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine

from motcua.core.models import CalendarOverride
from motcua.core.worktime import TZ, Schedule
from motcua.organizations.calendars import calendar_for_unit, calendar_overrides, schedule_for_unit
from motcua.organizations.models import Level, OfficeHours, Unit

SUMMER = Schedule(
    morning=(dt.time(7), dt.time(11, 30)), afternoon=(dt.time(13, 30), dt.time(17)), saturday_morning=True
)


@pytest.fixture
def commune():
    return Unit.objects.create(code="000.00.06.H56", name="UBND xã Thử Nghiệm", level=Level.PROVINCE)


@pytest.fixture
def seasonal_hours(commune):
    OfficeHours.objects.create(unit=commune, valid_from=dt.date(2025, 1, 1))
    OfficeHours.objects.create(
        unit=commune,
        valid_from=dt.date(2025, 5, 1),
        morning_start=dt.time(7),
        morning_end=dt.time(11, 30),
        afternoon_start=dt.time(13, 30),
        afternoon_end=dt.time(17),
        saturday_morning=True,
    )
    return commune


@pytest.mark.django_db
def test_no_unit_or_no_office_hours_gives_the_default_schedule(commune):
    assert schedule_for_unit(None) == Schedule()
    assert schedule_for_unit(commune, dt.date(2025, 6, 1)) == Schedule()
    assert calendar_for_unit(commune, dt.date(2025, 6, 1)).schedule == Schedule()


@pytest.mark.django_db
def test_the_latest_office_hours_in_force_on_the_day_apply(seasonal_hours):
    assert schedule_for_unit(seasonal_hours, dt.date(2024, 12, 31)) == Schedule()
    assert schedule_for_unit(seasonal_hours, dt.date(2025, 4, 30)) == Schedule()
    assert schedule_for_unit(seasonal_hours, dt.date(2025, 5, 1)) == SUMMER
    assert schedule_for_unit(seasonal_hours, dt.date(2026, 1, 1)) == SUMMER


@pytest.mark.django_db
def test_another_units_office_hours_do_not_leak(seasonal_hours):
    other = Unit.objects.create(code="000.00.07.H56", name="UBND xã Bên Cạnh", level=Level.PROVINCE)

    assert schedule_for_unit(other, dt.date(2025, 6, 1)) == Schedule()


@pytest.mark.django_db
def test_the_unit_schedule_drives_the_arithmetic(seasonal_hours):
    calendar = calendar_for_unit(seasonal_hours, dt.date(2025, 6, 1))

    assert calendar.schedule.daily_hours == 8
    # Friday 16:00 + 2 working hours: 1 h on Friday, then the Saturday-morning counter from 07:00.
    friday = dt.datetime(2025, 6, 6, 16, tzinfo=TZ)
    assert calendar.add_working_hours(friday, 2) == dt.datetime(2025, 6, 7, 8, tzinfo=TZ)
    assert calendar.add_working_hours(friday, Decimal("5.5")) == dt.datetime(2025, 6, 7, 11, 30, tzinfo=TZ)


@pytest.mark.django_db
def test_on_defaults_to_the_local_date_not_the_utc_date(seasonal_hours):
    # 30/4/2025 17:30 UTC is already 1/5/2025 00:30 in Việt Nam: the summer hours apply.
    with time_machine.travel(dt.datetime(2025, 4, 30, 17, 30, tzinfo=dt.UTC), tick=False):
        assert schedule_for_unit(seasonal_hours) == SUMMER
    with time_machine.travel(dt.datetime(2025, 4, 30, 16, 59, tzinfo=dt.UTC), tick=False):
        assert schedule_for_unit(seasonal_hours) == Schedule()


@pytest.mark.django_db
def test_override_rows_fix_the_tet_duong_lich_2026_swap(commune):
    # given the swap of Công văn 12729/VPCP-KGVX, which holidays 0.108 does not know
    CalendarOverride.objects.create(
        day=dt.date(2026, 1, 2),
        kind=CalendarOverride.Kind.DAY_OFF,
        note="Nghỉ Tết Dương lịch (hoán đổi)",
        legal_basis="Công văn 12729/VPCP-KGVX ngày 25/12/2025",
    )
    CalendarOverride.objects.create(
        day=dt.date(2026, 1, 10),
        kind=CalendarOverride.Kind.WORKING_DAY,
        note="Làm bù cho thứ Sáu 02/01/2026",
        legal_basis="Công văn 12729/VPCP-KGVX ngày 25/12/2025",
    )

    # when
    calendar = calendar_for_unit(commune, dt.date(2026, 1, 1))

    # then
    assert calendar_overrides() == {dt.date(2026, 1, 2): "day_off", dt.date(2026, 1, 10): "working_day"}
    assert not calendar.is_working_day(dt.date(2026, 1, 2))
    assert calendar.is_working_day(dt.date(2026, 1, 10))
    assert calendar_for_unit(None).overrides == calendar.overrides
    wednesday = dt.datetime(2025, 12, 31, 16, tzinfo=TZ)
    assert calendar.add_working_hours(wednesday, 2) == dt.datetime(2026, 1, 5, 8, tzinfo=TZ)


@pytest.mark.django_db
def test_calendar_override_admin_lists_filters_and_searches(admin_client):
    CalendarOverride.objects.create(day=dt.date(2026, 1, 2), kind="day_off", note="Nghỉ Tết Dương lịch")
    CalendarOverride.objects.create(day=dt.date(2026, 1, 10), kind="working_day", note="Làm bù")
    url = "/quan-tri/core/calendaroverride/"

    listing = admin_client.get(url)
    filtered = admin_client.get(url, {"kind__exact": "working_day"})
    searched = admin_client.get(url, {"q": "Tết"})

    assert listing.status_code == filtered.status_code == searched.status_code == 200
    assert list(filtered.context["cl"].result_list.values_list("day", flat=True)) == [dt.date(2026, 1, 10)]
    assert list(searched.context["cl"].result_list.values_list("day", flat=True)) == [dt.date(2026, 1, 2)]
