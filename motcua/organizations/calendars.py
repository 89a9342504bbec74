"""The working calendar of a unit: its office hours and the national overrides, read from the database.

``core.worktime`` does the arithmetic and knows nothing about units; this module is the only place
that turns ``OfficeHours`` and ``CalendarOverride`` rows into a ``WorkCalendar``.
"""

import datetime as dt

from django.utils import timezone

from motcua.core.models import CalendarOverride
from motcua.core.worktime import DAY_OFF, WORKING_DAY, OverrideKind, Schedule, WorkCalendar
from motcua.organizations.models import OfficeHours, Unit


def schedule_for_unit(unit: Unit | None, on: dt.date | None = None) -> Schedule:
    """The unit's office hours in force on ``on`` (default: today, local): the ``OfficeHours`` row
    with the latest ``valid_from <= on``; the default 07:30–11:30, 13:30–17:00 when it has none."""
    if unit is None:
        return Schedule()
    on = on or timezone.localdate()
    hours = OfficeHours.objects.filter(unit=unit, valid_from__lte=on).order_by("-valid_from").first()
    if hours is None:
        return Schedule()
    return Schedule(
        morning=(hours.morning_start, hours.morning_end),
        afternoon=(hours.afternoon_start, hours.afternoon_end),
        saturday_morning=hours.saturday_morning,
    )


_KINDS: dict[str, OverrideKind] = {
    CalendarOverride.Kind.DAY_OFF: DAY_OFF,
    CalendarOverride.Kind.WORKING_DAY: WORKING_DAY,
}


def calendar_overrides() -> dict[dt.date, OverrideKind]:
    """Every ``CalendarOverride`` row as ``{day: kind}`` (a few rows per year)."""
    return {day: _KINDS[kind] for day, kind in CalendarOverride.objects.values_list("day", "kind")}


def calendar_for_unit(unit: Unit | None, on: dt.date | None = None) -> WorkCalendar:
    """The working calendar of ``unit`` (the national default calendar when ``unit`` is None).

    Office hours are those in force on ``on`` (default: today) and are applied to every day the
    calendar computes: a deadline that crosses a change of office hours uses the hours of ``on``,
    normally the day the dossier was received. Overrides are national (CalendarOverride has no unit).
    """
    return WorkCalendar(schedule=schedule_for_unit(unit, on), overrides=calendar_overrides())
