"""Due-date rules of a dossier and of its steps, on top of ``core.worktime.WorkCalendar``: pure.

Every rule takes the calendar of the unit whose time counts (``organizations.calendars
.calendar_for_unit``) and aware datetimes; results are aware datetimes in Asia/Ho_Chi_Minh.
``docs/dossier-lifecycle.md`` explains the choices with examples.
"""

import datetime as dt
import math
from decimal import Decimal

from motcua.catalog.models import Procedure, TimeUnit
from motcua.core.worktime import WorkCalendar, to_local
from motcua.dossiers.workflow import Channel, Verdict

# NĐ 61/2018 Điều 18: a direct dossier received after 15:00 goes to the processing unit next morning.
FORWARDING_CUTOFF = dt.time(15, 0)
# Online dossiers: received (or sent back for supplementation) within 8 working hours of arrival
# (TT 87/2021/TT-BTC Điều 10, seed 003; research §7.4).
ONLINE_RECEPTION_HOURS = 8
# NĐ 61/2018 Điều 19 khoản 4: a supplementation request during appraisal within 3 working days.
SUPPLEMENT_REQUEST_WORKING_DAYS = 3


def processing_start(calendar: WorkCalendar, received_at: dt.datetime, channel: int) -> dt.datetime:
    """When the statutory clock starts for a dossier received at ``received_at``.

    Direct and postal dossiers reach the processing unit the same working day, or at the start of the
    next working day when received at or after 15:00 (NĐ 61/2018/NĐ-CP Điều 18), so the clock starts
    at ``start_after_cutoff``. Online dossiers are transferred electronically at once (same article):
    the clock starts at the next working instant (research §7.3).
    """
    if channel == Channel.ONLINE:
        return calendar.next_working_instant(received_at)
    return calendar.start_after_cutoff(received_at, FORWARDING_CUTOFF)


def appointment(
    procedure: Procedure,
    calendar: WorkCalendar,
    received_at: dt.datetime,
    *,
    channel: int = Channel.DIRECT,
) -> dt.datetime | None:
    """The return appointment (ngày hẹn trả, form 01): the procedure's time limit counted from reception.

    The clock starts at ``processing_start`` (15:00 rule for direct/postal dossiers, NĐ 61/2018 Điều 18).
    Then, by the unit of the limit (research §7.3):

    * ``working_days`` — ``WorkCalendar.add_working_days`` (1 day = the unit's daily hours);
    * ``hours`` — ``add_working_hours``;
    * ``days`` (plain "ngày") — ``add_calendar_days``; a fractional number of calendar days is
      rounded up (the law never gives one; rounding up never shortens the applicant's limit);
    * ``none`` ("không quy định" / "giải quyết ngay") — ``None``: no appointment is printed (form 01
      says "no specific due date", NĐ 61/2018 Điều 17 khoản 4) and such a dossier is never late.
    """
    unit = TimeUnit(procedure.time_unit)
    if unit == TimeUnit.NONE:
        return None
    start = processing_start(calendar, received_at, channel)
    limit = Decimal(procedure.time_limit)
    if unit == TimeUnit.WORKING_DAYS:
        return calendar.add_working_days(start, limit)
    if unit == TimeUnit.HOURS:
        return calendar.add_working_hours(start, limit)
    return calendar.add_calendar_days(start, math.ceil(limit))


def reception_deadline(calendar: WorkCalendar, submitted_at: dt.datetime) -> dt.datetime:
    """When an online dossier must be received or sent back for supplementation at the latest.

    8 working hours from arrival; outside office hours the count starts at the next working instant
    (DOMAIN §3; TT 87/2021/TT-BTC Điều 10; research §7.4). A dossier that arrives on Friday 16:00 is due
    Monday 16:00 (1 hour on Friday, 4.5 + 2.5 hours on Monday) with the default office hours.
    """
    return calendar.add_working_hours(calendar.next_working_instant(submitted_at), ONLINE_RECEPTION_HOURS)


def step_due(calendar: WorkCalendar, started_at: dt.datetime, hours: Decimal | int) -> dt.datetime:
    """Deadline of a step of the internal process: its budget in working hours from its start, in the
    calendar of the unit performing it (quy trình nội bộ; TT 01/2018 form 05 records it per hand-over)."""
    return calendar.add_working_hours(started_at, hours)


def verdict(finished_at: dt.datetime, due_at: dt.datetime | None) -> Verdict:
    """Early, on time or late (trước hạn / đúng hạn / quá hạn; TT 01/2018 form 05).

    * late — ``finished_at > due_at`` (QĐ 766: "end ≤ appointment is on time", so one second after the
      appointment is late even on the same day);
    * early — finished on an earlier local date than the due date (implementations compare dates:
      research §7.3, §3.9);
    * on time — otherwise: on the due date, not after the due instant.

    No appointment (time limit "none") is never late: on time.
    """
    if due_at is None:
        return Verdict.ON_TIME
    if finished_at > due_at:
        return Verdict.LATE
    if to_local(finished_at).date() < to_local(due_at).date():
        return Verdict.EARLY
    return Verdict.ON_TIME


def supplement_request_deadline(calendar: WorkCalendar, received_at: dt.datetime) -> dt.datetime:
    """The last instant a supplementation request may be issued during appraisal.

    NĐ 61/2018/NĐ-CP Điều 19 khoản 4: "trong thời hạn 03 ngày làm việc kể từ ngày tiếp nhận". The
    period counts from the day after reception and ends at the end of its last day (Bộ luật Dân sự
    2015 Điều 147 khoản 1, Điều 148 khoản 1): the close of the third working day after the day of
    reception. Received Monday 10:00 ⇒ Thursday 17:00.
    """
    day = to_local(received_at).date()
    for _ in range(SUPPLEMENT_REQUEST_WORKING_DAYS):
        day = calendar.next_working_day(day)
    return calendar.end_of_working_day(day)


def previous_working_day(calendar: WorkCalendar, day: dt.date) -> dt.date:
    """The last working day strictly before ``day``."""
    day -= dt.timedelta(days=1)
    while not calendar.is_working_day(day):
        day -= dt.timedelta(days=1)
    return day


def latest_apology_at(calendar: WorkCalendar, due_at: dt.datetime) -> dt.datetime:
    """The last instant the apology and new appointment (form 04) may be issued for ``due_at``.

    NĐ 61/2018/NĐ-CP Điều 19 khoản 9: "chậm nhất 01 ngày trước ngày hết hạn". Read as at least one
    working day before the due date: the close of the last working day before the local date of
    ``due_at``. Due Monday 10:00 ⇒ the previous Friday 17:00 (or earlier across a holiday).
    """
    return calendar.end_of_working_day(previous_working_day(calendar, to_local(due_at).date()))
