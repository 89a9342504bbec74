"""Early warning: the points at risk now, for a set of units (cảnh báo sớm; DOMAIN.md §9).

Six kinds (``items.Kind``), each a bounded query on indexed columns:

* **reception** — online dossiers not yet received whose 8-working-hour reception limit
  (``Dossier.reception_due_at``; TT 87/2021/TT-BTC Điều 10, seed 003, research §7.4) falls within the
  horizon or has passed: late reception is a late dossier in QĐ 766 indicator 2.1;
* **step** — open steps of the internal process due within the horizon: one officer's late step
  loses points even when the dossier finishes on time (seed 003, research §1.2; TT 01/2018 form 05);
* **late** — open dossiers whose appointment (``due_at``) falls within the horizon while a step is
  still open (QĐ 766 2.1 "end ≤ appointment"; 5.4 counts overdue dossiers). Dossiers waiting for the
  applicant's supplementation are left out: that time is subtracted (research §2.2);
* **digitization** — received dossiers with provided papers not digitized, or (direct and postal
  dossiers) digitized but not signed by the receiver (NĐ 107/2021/NĐ-CP Điều 21a; seed 003;
  QĐ 766 4.2);
* **rating** — dossiers returned in the last ``MOTCUA_WARNING_RATING_DAYS`` days without a rating
  (NĐ 61/2018 Điều 27–32: guide every applicant to rate; QĐ 766 5.4);
* **feedback** — PAKN not answered with its answer deadline within the horizon, or answered and not
  published with its publication deadline within the horizon (QĐ 766 5.2: 15 working days to
  handle, 2 to publish; research §3.13).

"Within the horizon" is counted in working hours in the calendar of the unit whose time counts
(``organizations.calendars``; ``core.worktime.WorkCalendar``): an item is listed when at most
``horizon_hours`` working hours remain, so on Friday afternoon Monday's deadlines show up.
"""

import datetime as dt
from collections.abc import Callable, Iterable
from decimal import Decimal

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Q, Subquery
from django.utils.translation import gettext as _

from motcua.accounts.models import User
from motcua.core.worktime import WorkCalendar, to_local
from motcua.dossiers.models import Dossier, DossierEvent, DossierStep
from motcua.dossiers.queries import officer_unit_ids
from motcua.dossiers.workflow import OPEN, Channel, EventKind, Status
from motcua.feedback.models import DossierRating, Feedback, FeedbackStatus
from motcua.feedback.queries import OPEN_STATUSES as FEEDBACK_OPEN
from motcua.indicators.warnings.items import Kind, WarningItem
from motcua.organizations.calendars import calendar_overrides, schedule_for_unit
from motcua.organizations.models import Role, Unit

# Open dossiers whose clock runs (the applicant's supplementation time is subtracted: research §2.2).
RUNNING = frozenset(OPEN) - {Status.AWAITING_SUPPLEMENT}


def default_horizon_hours() -> int:
    """``MOTCUA_WARNING_HORIZON_HOURS`` (working hours ahead; 8 = one working day by default)."""
    return int(settings.MOTCUA_WARNING_HORIZON_HOURS)


def rating_days() -> int:
    """``MOTCUA_WARNING_RATING_DAYS``: how long a returned dossier without a rating is listed."""
    return int(settings.MOTCUA_WARNING_RATING_DAYS)


class _Clock:
    """The calendars of the units and the horizon's end in each (one query per unit, overrides once)."""

    def __init__(self, units: Iterable[Unit], now: dt.datetime, hours: int) -> None:
        overrides = calendar_overrides()
        self.now = now
        self.calendars: dict[int, WorkCalendar] = {}
        self.cutoffs: dict[int, dt.datetime] = {}
        for unit in units:
            calendar = WorkCalendar(
                schedule=schedule_for_unit(unit, to_local(now).date()), overrides=overrides
            )
            self.calendars[unit.pk] = calendar
            # Anything due before the next working instant after the horizon's end has at most
            # ``hours`` working hours left (a deadline at Saturday 10:00 counts like Friday 17:00).
            self.cutoffs[unit.pk] = calendar.next_working_instant(calendar.add_working_hours(now, hours))

    @property
    def latest(self) -> dt.datetime:
        return max(self.cutoffs.values(), default=self.now)

    def within(self, unit_id: int, due_at: dt.datetime | None) -> bool:
        return due_at is not None and unit_id in self.cutoffs and due_at <= self.cutoffs[unit_id]

    def left(self, unit_id: int, due_at: dt.datetime | None) -> Decimal | None:
        if due_at is None:
            return None
        return self.calendars[unit_id].working_hours_between(self.now, due_at)


def _name(user: User | None) -> str:
    return (user.full_name or user.username) if user is not None else ""


def _item(
    clock: _Clock,
    units: dict[int, Unit],
    *,
    kind: Kind,
    code: str,
    title: str,
    step: str,
    unit_id: int,
    role: str,
    assignee: User | None,
    due_at: dt.datetime | None,
) -> WarningItem:
    return WarningItem(
        kind=str(kind.value),
        code=code,
        title=title,
        step=step,
        unit_id=unit_id,
        unit_name=units[unit_id].name,
        role=role,
        assignee_id=assignee.pk if assignee is not None else None,
        assignee_name=_name(assignee),
        due_at=due_at,
        hours_left=clock.left(unit_id, due_at),
        is_overdue=due_at is not None and due_at <= clock.now,
    )


def _actor_of(kind: EventKind) -> Subquery:
    """The officer who recorded the dossier's first event of ``kind`` (who received, who returned)."""
    return Subquery(
        DossierEvent.objects.filter(dossier=OuterRef("pk"), kind=kind)
        .order_by("at", "id")
        .values("actor")[:1]
    )


def _users(ids: Iterable[int | None]) -> dict[int | None, User]:
    return {u.pk: u for u in User.objects.filter(pk__in=[i for i in ids if i is not None])}


def _reception(clock: _Clock, units: dict[int, Unit]) -> list[WarningItem]:
    rows = Dossier.objects.filter(
        status=Status.SUBMITTED,
        channel=Channel.ONLINE,
        receiving_unit_id__in=list(units),
        reception_due_at__lte=clock.latest,
    ).select_related("procedure")
    return [
        _item(
            clock,
            units,
            kind=Kind.RECEPTION,
            code=d.code,
            title=d.procedure.name,
            step=_("Tiếp nhận hoặc yêu cầu bổ sung"),
            unit_id=d.receiving_unit_id,
            role=Role.RECEIVER,
            assignee=None,
            due_at=d.reception_due_at,
        )
        for d in rows
        if clock.within(d.receiving_unit_id, d.reception_due_at)
    ]


def _steps(clock: _Clock, units: dict[int, Unit]) -> list[WarningItem]:
    rows = DossierStep.objects.filter(
        started_at__isnull=False,
        finished_at__isnull=True,
        unit_id__in=list(units),
        due_at__lte=clock.latest,
        dossier__status__in=[str(s) for s in OPEN],
    ).select_related("dossier", "dossier__procedure", "assignee")
    return [
        _item(
            clock,
            units,
            kind=Kind.STEP,
            code=s.dossier.code,
            title=s.dossier.procedure.name,
            step=s.name,
            unit_id=s.unit_id,
            role=s.role,
            assignee=s.assignee,
            due_at=s.due_at,
        )
        for s in rows
        if clock.within(s.unit_id, s.due_at)
    ]


def _heading_late(clock: _Clock, units: dict[int, Unit]) -> list[WarningItem]:
    open_steps = DossierStep.objects.filter(started_at__isnull=False, finished_at__isnull=True)
    rows = [
        d
        for d in Dossier.objects.filter(
            status__in=[str(s) for s in RUNNING],
            responsible_unit_id__in=list(units),
            due_at__lte=clock.latest,
        )
        .filter(Exists(open_steps.filter(dossier=OuterRef("pk"))))
        .select_related("procedure")
        if clock.within(d.responsible_unit_id, d.due_at)
    ]
    first_open: dict[int, DossierStep] = {}
    for step in open_steps.filter(dossier__in=rows).select_related("assignee").order_by("position", "id"):
        first_open.setdefault(step.dossier_id, step)
    items = []
    for d in rows:
        step = first_open[d.pk]
        here = step.unit_id == d.responsible_unit_id
        items.append(
            _item(
                clock,
                units,
                kind=Kind.LATE,
                code=d.code,
                title=d.procedure.name,
                step=step.name,
                unit_id=d.responsible_unit_id,
                # a step at another unit (liên thông, consultation) is chased by the leader here
                role=step.role if here else Role.LEADER,
                assignee=step.assignee if here else None,
                due_at=d.due_at,
            )
        )
    return items


def _digitization(clock: _Clock, units: dict[int, Unit]) -> list[WarningItem]:
    paper = Q(channel__in=[Channel.DIRECT, Channel.POSTAL])
    missing = Q(components__is_provided=True) & (
        Q(components__is_digitized=False) | (paper & Q(components__signed_at__isnull=True))
    )
    rows = (
        Dossier.objects.filter(
            status__in=[*(str(s) for s in OPEN), Status.PROCESSED],
            receiving_unit_id__in=list(units),
            received_at__isnull=False,
            digitized_at__isnull=True,
        )
        .annotate(missing=Count("components", filter=missing), actor=_actor_of(EventKind.RECEIVED))
        .filter(missing__gt=0)
        .values("code", "procedure__name", "receiving_unit_id", "missing", "actor")
    )
    receivers = _users(d["actor"] for d in rows)
    return [
        _item(
            clock,
            units,
            kind=Kind.DIGITIZATION,
            code=d["code"],
            title=d["procedure__name"],
            step=_("Số hóa, ký số %(n)d thành phần") % {"n": d["missing"]},
            unit_id=d["receiving_unit_id"],
            role=Role.RECEIVER,
            assignee=receivers.get(d["actor"]),
            due_at=None,
        )
        for d in rows
    ]


def _ratings(clock: _Clock, units: dict[int, Unit], days: int) -> list[WarningItem]:
    rows = (
        Dossier.objects.filter(
            status=Status.RETURNED,
            receiving_unit_id__in=list(units),
            returned_at__gte=clock.now - dt.timedelta(days=days),
            returned_at__lte=clock.now,
            rating="",
        )
        .filter(~Exists(DossierRating.objects.filter(dossier=OuterRef("pk"))))
        .annotate(actor=_actor_of(EventKind.RETURNED))
        .values("code", "procedure__name", "receiving_unit_id", "actor")
    )
    returners = _users(d["actor"] for d in rows)
    return [
        _item(
            clock,
            units,
            kind=Kind.RATING,
            code=d["code"],
            title=d["procedure__name"],
            step=_("Hướng dẫn người dân đánh giá"),
            unit_id=d["receiving_unit_id"],
            role=Role.RECEIVER,
            assignee=returners.get(d["actor"]),
            due_at=None,
        )
        for d in rows
    ]


def _feedback(clock: _Clock, units: dict[int, Unit]) -> list[WarningItem]:
    ids = list(units)
    handled_here = Q(assigned_unit_id__in=ids) | Q(assigned_unit__isnull=True, unit_id__in=ids)
    unanswered = Q(status__in=list(FEEDBACK_OPEN), due_at__lte=clock.latest)
    unpublished = Q(status=FeedbackStatus.ANSWERED, publish_due_at__lte=clock.latest)
    items = []
    for f in (
        Feedback.objects.filter(handled_here)
        .filter(unanswered | unpublished)
        .select_related("assigned_officer")
    ):
        unit_id = f.assigned_unit_id or f.unit_id
        if f.status == FeedbackStatus.ANSWERED:
            step, due_at, role, who = _("Công khai kết quả trả lời"), f.publish_due_at, Role.LEADER, None
        else:
            step, due_at, role, who = _("Trả lời bằng văn bản"), f.due_at, Role.LEADER, f.assigned_officer
        if clock.within(unit_id, due_at):
            items.append(
                _item(
                    clock,
                    units,
                    kind=Kind.FEEDBACK,
                    code=f.code,
                    title=f.title,
                    step=step,
                    unit_id=unit_id,
                    role=role,
                    assignee=who,
                    due_at=due_at,
                )
            )
    return items


def _order(item: WarningItem) -> tuple[int, dt.datetime, str]:
    far = dt.datetime.max.replace(tzinfo=dt.UTC)
    return (0 if item.is_overdue else 1 if item.due_at else 2, item.due_at or far, item.code)


def warnings_for(
    unit_ids: Iterable[int],
    *,
    now: dt.datetime,
    horizon_hours: int | None = None,
    kinds: Iterable[str] | None = None,
) -> list[WarningItem]:
    """Every point at risk in the units ``unit_ids`` at ``now``, overdue first, then by deadline.

    ``horizon_hours`` working hours ahead (default ``MOTCUA_WARNING_HORIZON_HOURS``); ``kinds``
    narrows to some ``items.Kind`` values. The caller resolves the units the reader may see
    (``warnings_for_officer``); nothing outside them is read.
    """
    units = {u.pk: u for u in Unit.objects.filter(pk__in=list(unit_ids), is_active=True)}
    if not units:
        return []
    hours = horizon_hours if horizon_hours is not None else default_horizon_hours()
    clock = _Clock(units.values(), now, hours)
    wanted = set(kinds) if kinds is not None else set(Kind.values)
    collectors: dict[Kind, Callable[[], list[WarningItem]]] = {
        Kind.RECEPTION: lambda: _reception(clock, units),
        Kind.STEP: lambda: _steps(clock, units),
        Kind.LATE: lambda: _heading_late(clock, units),
        Kind.DIGITIZATION: lambda: _digitization(clock, units),
        Kind.RATING: lambda: _ratings(clock, units, rating_days()),
        Kind.FEEDBACK: lambda: _feedback(clock, units),
    }
    found: list[WarningItem] = []
    for kind, collect in collectors.items():
        if kind.value in wanted:
            found.extend(collect())
    return sorted(found, key=_order)


def warnings_for_officer(
    user: User, unit: Unit | None = None, *, now: dt.datetime, horizon_hours: int | None = None
) -> list[WarningItem]:
    """The items of ``unit`` (or of every unit where ``user`` holds a current role) — never of a unit
    where they hold none (``dossiers.queries.officer_unit_ids``, the resolution behind
    ``Dossier.objects.visible_to``)."""
    allowed = officer_unit_ids(user)
    if unit is not None:
        allowed = [unit.pk] if unit.pk in allowed else []
    return warnings_for(allowed, now=now, horizon_hours=horizon_hours)
