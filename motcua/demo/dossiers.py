"""Synthetic dossier history for the demo province: ``motcua seed-demo --dossiers N``.

Each dossier is simulated in time order through the steps the services take for a live one
(``dossiers.services``): online submission or reception at the counter (15:00 rule, 8-working-hour
online clock), ``start_processing`` creating every step of the internal process in force, hand-overs
with their step deadline and verdict, supplementation (the time limit restarts), one apology with a new
appointment, the result, approval and return; or withdrawal, stop, refusal. Every action appends the
event the service would append and changes the dossier fields the service would change, so replaying
the events gives the summary fields. Nothing later than ``now`` happens: recent dossiers are open.

Deadlines use each unit's real calendar (``organizations.calendars.calendar_for_unit``), copied once
per distinct office-hours schedule into a ``bulk.FastCalendar``. Codes count per receiving unit and
local day in time order; ``NumberSequence`` is advanced and ``IssuedNumber`` written for every number,
so live receptions continue after them and ``numbering-audit`` stays clean.

Not simulated: suspension, fee payment requests, consultations, early-return notices, and the
``PendingNotice`` rows (for history the notices would have been delivered long ago).
"""

import datetime as dt
import json
import math
import random
import time
from bisect import bisect
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import accumulate
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.catalog.models import Component, InternalProcess, OnlineLevel, Procedure, ProcessStep, TimeUnit
from motcua.core.errors import DomainError
from motcua.core.models import NumberSequence
from motcua.core.numbering import DOSSIER_SEQUENCE_MAX, dossier_scope
from motcua.core.text import fold_vi
from motcua.demo.bulk import DAY, HOUR, Chunk, FastCalendar, day_date, is_postgresql, local_day, local_iso
from motcua.demo.bulk import seconds as to_seconds
from motcua.demo.bulk import to_datetime as dt_
from motcua.demo.datafiles import load_json
from motcua.demo.province import SERVICE_CENTRE_CODE, department_code
from motcua.dossiers.models import Dossier
from motcua.dossiers.workflow import CLOSED, Channel, Verdict
from motcua.organizations.calendars import calendar_for_unit
from motcua.organizations.models import Level, Membership, Unit

DEFAULT_SEED = 20221217
HISTORY_DAYS = 548  # about 18 months
CHUNK_DOSSIERS = 20_000

# Civil status and certification at the commune counter dominate (weights per field within a level).
LEVEL_SHARE = {"commune": 0.62, "district": 0.24, "province": 0.14}
FIELD_WEIGHT = {"Chứng thực": 12.0, "Hộ tịch": 5.0, "Đăng ký và quản lý cư trú": 3.0, "Đất đai": 4.0}
# (direct, online) share by the procedure's online level; the rest is postal.
CHANNEL_MIX = {
    OnlineLevel.FULL: (0.26, 0.70),
    OnlineLevel.PARTIAL: (0.50, 0.45),
    OnlineLevel.NONE: (0.93, 0.0),
}
ONLINE_HOURS = [1, 0.5, 0.3, 0.3, 0.3, 0.6, 1.5, 3, 5, 6, 6, 5, 4, 5, 6, 6, 5, 4, 3.5, 3, 3, 2.5, 2, 1.5]
STEP_LATE = 0.08
_CLOSED = frozenset(str(s) for s in CLOSED)


class DossierHistoryExists(DomainError):
    """There are dossiers already and ``append`` was not asked for."""


@dataclass(frozen=True)
class StepTemplate:
    position: int
    name: str
    role: str
    unit_id: int | None
    hours: Decimal


@dataclass
class ProcedureInfo:
    pk: int
    level: str
    online_level: str
    time_unit: str
    time_limit: Decimal
    fee_vnd: int
    result_required: bool
    business: bool
    field: str
    department_id: int | None
    components: list[tuple[int, str, str, int, bool]] = field(default_factory=list)
    # responsible unit (None: every unit) -> [(valid from as a day number, process name, steps)], newest first
    processes: dict[int | None, list[tuple[int, str, list[StepTemplate]]]] = field(default_factory=dict)


class _Picker[T]:
    """Weighted random choice by bisect over cumulative weights."""

    def __init__(self, items: Sequence[T], weights: Sequence[float]) -> None:
        self.items, self.cum = list(items), list(accumulate(weights))

    def __call__(self, rng: random.Random) -> T:
        return self.items[min(bisect(self.cum, rng.random() * self.cum[-1]), len(self.items) - 1)]


@dataclass
class Context:
    """What the simulation reads from the database, loaded once per run."""

    units: dict[int, Unit]
    procedures: _Picker[ProcedureInfo]
    online_procedures: _Picker[ProcedureInfo]
    communes: _Picker[int]
    districts: list[int]
    centre_id: int
    calendars: dict[int, FastCalendar]
    default_calendar: FastCalendar
    staff: dict[tuple[int, str], list[tuple[int, str]]]
    names: dict[str, list[str]]


def load_context(*, first: dt.date, last: dt.date, rng: random.Random) -> Context:
    units = {u.pk: u for u in Unit.objects.filter(is_active=True)}
    by_code = {u.code: u for u in units.values()}
    if SERVICE_CENTRE_CODE not in by_code:
        raise DomainError(_("Chưa có dữ liệu tỉnh demo: hãy chạy motcua seed-demo trước khi tạo hồ sơ."))
    fields: dict[str, Any] = load_json("fields.json")
    procedures: dict[int, ProcedureInfo] = {}
    for p in Procedure.objects.published().select_related("field").order_by("code"):
        department = by_code.get(department_code(int(fields.get(p.field.name, {}).get("department", 0))))
        procedures[p.pk] = ProcedureInfo(
            pk=p.pk,
            level=p.level,
            online_level=p.online_level,
            time_unit=p.time_unit,
            time_limit=p.time_limit,
            fee_vnd=p.fee_vnd,
            result_required=p.result_required,
            business=p.subjects == "business",
            field=p.field.name,
            department_id=department.pk if department else None,
        )
    for c in Component.objects.filter(procedure__in=procedures).order_by("procedure_id", "position"):
        procedures[c.procedure_id].components.append((c.pk, c.name, c.copy_type, c.count, c.store_eligible))
    steps: dict[int, list[StepTemplate]] = {}
    for s in ProcessStep.objects.filter(process__procedure__in=procedures).order_by("process_id", "position"):
        steps.setdefault(s.process_id, []).append(
            StepTemplate(s.position, s.name, s.role, s.performing_unit_id, s.hours)
        )
    for process in InternalProcess.objects.filter(procedure__in=procedures).order_by("-valid_from", "-id"):
        if process.pk in steps:
            day = (process.valid_from - dt.date(1970, 1, 1)).days
            versions = procedures[process.procedure_id].processes.setdefault(process.unit_id, [])
            versions.append((day, process.name, steps[process.pk]))
    usable = [p for p in procedures.values() if None in p.processes]
    if not usable:
        raise DomainError(_("Danh mục thủ tục chưa có quy trình nội bộ: hãy chạy motcua seed-demo trước."))
    field_totals: dict[str, float] = {}
    for p in usable:
        field_totals[p.level] = field_totals.get(p.level, 0.0) + FIELD_WEIGHT.get(p.field, 1.0)
    weights = [
        LEVEL_SHARE[p.level]
        * FIELD_WEIGHT.get(p.field, 1.0)
        / field_totals[p.level]
        * rng.lognormvariate(0, 0.5)
        for p in usable
    ]
    online = [(p, w) for p, w in zip(usable, weights, strict=True) if p.online_level != OnlineLevel.NONE]
    span = (first - dt.timedelta(days=7), last + dt.timedelta(days=800))
    shared: dict[object, FastCalendar] = {}
    calendars: dict[int, FastCalendar] = {}
    for unit in units.values():
        work = calendar_for_unit(unit, last)
        if work.schedule not in shared:
            shared[work.schedule] = FastCalendar(work, *span)
        calendars[unit.pk] = shared[work.schedule]
    staff: dict[tuple[int, str], list[tuple[int, str]]] = {}
    for m in Membership.objects.current(last).select_related("user").order_by("unit_id", "role", "user_id"):
        staff.setdefault((m.unit_id, m.role), []).append((m.user_id, str(m.user)[:200]))
    communes = sorted(pk for pk, u in units.items() if u.level == Level.COMMUNE)
    return Context(
        units=units,
        procedures=_Picker(usable, weights),
        online_procedures=_Picker([p for p, _w in online], [w for _p, w in online]),
        communes=_Picker(communes, [rng.lognormvariate(0, 0.5) for _ in communes]),
        districts=sorted(pk for pk, u in units.items() if u.level == Level.DISTRICT),
        centre_id=by_code[SERVICE_CENTRE_CODE].pk,
        calendars=calendars,
        default_calendar=FastCalendar(calendar_for_unit(None, last), *span),
        staff=staff,
        names=load_json("names.json"),
    )


def verdict(finished: int, due: int | None) -> str:
    """``deadlines.verdict`` / ``interchange.step_verdict`` on Unix seconds."""
    if due is None:
        return Verdict.ON_TIME.value
    if finished > due:
        return Verdict.LATE.value
    return Verdict.EARLY.value if local_day(finished) < local_day(due) else Verdict.ON_TIME.value


class _Stop(Exception):
    """The next action would happen after ``now``: the dossier stays as it is."""


class Simulator:
    """Turns one dossier's draw into rows of a ``bulk.Chunk``, action by action in time order."""

    def __init__(self, ctx: Context, rng: random.Random, now: int, chunk: Chunk) -> None:
        self.ctx, self.rng, self.now, self.chunk = ctx, rng, now, chunk

    # --- the dossier's state, as the services keep it -----------------------------------------------

    def _emit(
        self,
        kind: str,
        at: int,
        *,
        to: str = "",
        step: int | None = None,
        due: int | None = None,
        data: str = "{}",
        actor: tuple[int | None, str] = (None, ""),
    ) -> None:
        """``services._core._move``: one event, the status and ``closed_at``, ``version`` + 1."""
        if at > self.now:
            raise _Stop
        before = self.status if to else ""
        if to:
            self.status = to
            if to in _CLOSED:
                self.closed_at = at
        self.version += 1
        self.modified = at
        name = self.chunk.steps[step][3] if step is not None else ""
        self.chunk.events.append(
            (self.idx, kind, dt_(at), actor[0], actor[1], before, to, step, name, dt_(due), data)
        )

    def _appointment(self, at: int) -> int | None:
        """``deadlines.appointment`` in the responsible unit's calendar."""
        p, cal = self.proc, self.cal_u
        if p.time_unit == TimeUnit.NONE:
            return None
        start = cal.next_working_instant(at) if self.channel == Channel.ONLINE else cal.start_after_cutoff(at)
        if p.time_unit == TimeUnit.WORKING_DAYS:
            return cal.add_working_seconds(start, round(float(p.time_limit) * cal.daily_seconds))
        if p.time_unit == TimeUnit.HOURS:
            return cal.add_working_seconds(start, to_seconds(p.time_limit))
        return cal.add_calendar_days(start, math.ceil(p.time_limit))

    def _officer(self, unit_id: int, role: str) -> tuple[int | None, str]:
        people = self.ctx.staff.get((unit_id, role))
        return people[self.rng.randrange(len(people))] if people else (None, "")

    # --- one dossier ----------------------------------------------------------------------------------

    def dossier(
        self,
        *,
        code: str,
        submitted: int,
        proc: ProcedureInfo,
        receiving: int,
        responsible: int,
        channel: int,
    ) -> str:
        self.idx = len(self.chunk.dossiers)
        self.chunk.dossiers.append(())  # placeholder: the row is complete only at the end
        self.proc, self.channel, self.receiving, self.responsible = proc, channel, receiving, responsible
        self.cal_r, self.cal_u = self.ctx.calendars[receiving], self.ctx.calendars[responsible]
        self.status, self.version, self.modified, self.closed_at = "", 0, submitted, None
        self.reception_due: int | None = None
        self.received: int | None = None
        self.due: int | None = None
        self.original_due: int | None = None
        self.processed: int | None = None
        self.returned: int | None = None
        self.verdict = ""
        self.reschedules = self.supplements = 0
        self.result: tuple[str, dt.date, str] | None = None
        self.receiver = self._officer(receiving, "receiver")
        try:
            self._reception(submitted)
            if self.received is not None:
                self._processing()
        except _Stop:
            pass
        self._rows(code, submitted)
        return self.status

    def _reception(self, t: int) -> None:
        rng, cal = self.rng, self.cal_r
        n = len(self.proc.components)
        if self.channel == Channel.ONLINE:
            self.reception_due = cal.add_working_seconds(cal.next_working_instant(t), 8 * HOUR)
            self._emit(
                "submitted",
                t,
                to="submitted",
                due=self.reception_due,
                data=f'{{"channel": 2, "components": {n}}}',
            )
            draw = rng.random()
            if draw < 0.004:  # the applicant withdraws before reception
                at = cal.add_working_seconds(cal.next_working_instant(t), rng.randint(HOUR, 6 * HOUR))
                self._emit(
                    "withdrawn",
                    at,
                    to="withdrawn",
                    data='{"reason": "Người nộp rút hồ sơ", "by_applicant": true}',
                )
                return
            if draw < 0.05:  # sent back for supplementation before reception, never refused (8-hour rule)
                t = self._intake_supplement(
                    cal.add_working_seconds(cal.next_working_instant(t), rng.randint(HOUR // 2, 7 * HOUR))
                )
            late = rng.random() < 0.06
            hours = rng.randint(8 * HOUR + 600, 16 * HOUR) if late else rng.randint(600, 7 * HOUR + 1800)
            at = cal.add_working_seconds(cal.next_working_instant(t), hours)
            assert self.reception_due is not None  # noqa: S101
            self._receive(
                at, f'{{"channel": 2, "late_reception": {"true" if at > self.reception_due else "false"}}}'
            )
            return
        draw = rng.random()
        if draw < 0.012:  # form 03: refused at the counter
            self._emit(
                "not_received",
                t,
                to="not_received",
                actor=self.receiver,
                data=f'{{"reasons": ["Hồ sơ không thuộc thẩm quyền giải quyết"], "channel": {self.channel}}}',
            )
            return
        if draw < 0.04:  # form 02 at the counter, the applicant comes back with the missing papers
            self._emit(
                "supplement_requested",
                t,
                to="intake_supplement",
                actor=self.receiver,
                data=f'{{"items": [{{"name": "Giấy tờ còn thiếu", "reason": ""}}], "channel": {self.channel}}}',
            )
            back = self._intake_supplement(None, requested=t)
            self._receive(
                self.cal_r.add_working_seconds(back, rng.randint(300, 3600)),
                f'{{"channel": {self.channel}, "late_reception": false}}',
            )
            return
        forward_by = self.cal_r.start_after_cutoff(t)
        self._receive(
            t, f'{{"channel": {self.channel}, "components": {n}, "forward_by": "{local_iso(forward_by)}"}}'
        )
        if self.responsible != self.receiving:
            codes = (self.ctx.units[self.receiving].code, self.ctx.units[self.responsible].code)
            self._emit(
                "forwarded",
                t,
                due=forward_by,
                actor=self.receiver,
                data=f'{{"from_unit": "{codes[0]}", "to_unit": "{codes[1]}"}}',
            )

    def _intake_supplement(self, at: int | None, requested: int | None = None) -> int:
        """Form 02 before reception (online: ``return_for_supplement_online``), then
        ``complete_supplement`` back to SUBMITTED with a fresh 8-working-hour clock."""
        rng, cal = self.rng, self.cal_r
        if at is not None:
            late = self.reception_due is not None and at > self.reception_due
            self._emit(
                "supplement_requested",
                at,
                to="intake_supplement",
                actor=self.receiver,
                data=f'{{"items": [{{"name": "Giấy tờ còn thiếu", "reason": ""}}], "late_reception": {"true" if late else "false"}}}',
            )
            requested = at
        assert requested is not None  # noqa: S101
        back = cal.next_working_instant(requested + rng.randint(1, 8) * DAY + rng.randint(0, 8 * HOUR))
        self.reception_due = cal.add_working_seconds(cal.next_working_instant(back), 8 * HOUR)
        self._emit(
            "supplement_completed",
            back,
            to="submitted",
            due=self.reception_due,
            data='{"note": "", "components": 1}',
        )
        return back

    def _receive(self, at: int, data: str) -> None:
        due = self._appointment(at)
        self._emit("received", at, to="received", due=due, data=data, actor=self.receiver)
        self.received, self.due, self.original_due = at, due, due

    def _processing(self) -> None:
        rng, ctx, proc = self.rng, self.ctx, self.proc
        assert self.received is not None  # noqa: S101
        day = local_day(self.received)
        versions = proc.processes.get(self.responsible) or proc.processes[None]
        _valid, process_name, templates = next((v for v in versions if v[0] <= day), versions[-1])
        if self.channel == Channel.ONLINE:
            ready = self.cal_u.next_working_instant(self.received)
        else:
            ready = self.cal_r.start_after_cutoff(self.received)
        start = self.cal_u.add_working_seconds(ready, rng.randint(0, 2400))
        first = len(self.chunk.steps)
        for tpl in templates:  # start_processing creates every step of the process at once
            unit = tpl.unit_id or self.responsible
            assignee = self._officer(unit, tpl.role)
            self.chunk.steps.append(
                [
                    self.idx,
                    tpl.position,
                    "process",
                    tpl.name,
                    tpl.role,
                    unit,
                    assignee[0],
                    tpl.hours,
                    None,
                    None,
                    None,
                    None,
                    "",
                    "",
                    "",
                    "",
                ]  # fmt: skip
            )
        count = len(templates)
        work = max(range(count), key=lambda i: templates[i].hours)  # the appraisal step
        leader = max((i for i in range(count) if templates[i].role == "leader"), default=count - 1)
        draw = rng.random()
        scenario = (
            "supplement" if draw < 0.05 else "reschedule" if draw < 0.062 else "refuse" if draw < 0.077
            else "withdraw" if draw < 0.085 else "stop" if draw < 0.09 else "normal"
        )  # fmt: skip
        t = start
        for i in range(count):
            step = first + i
            row = self.chunk.steps[step]
            cal = ctx.calendars[row[5]]
            budget = to_seconds(row[7])
            due = cal.add_working_seconds(t, budget)
            actor = (row[6], self._officer_name(row))
            if i == 0:
                self._emit(
                    "step_started",
                    t,
                    to="processing",
                    step=step,
                    due=due,
                    actor=self.receiver,
                    data=f'{{"kind": "process", "unit": "{ctx.units[row[5]].code}", "process": {json.dumps(process_name, ensure_ascii=False)}, "steps": {count}}}',
                )
            else:
                self._emit(
                    "step_started",
                    t,
                    step=step,
                    due=due,
                    actor=actor,
                    data=f'{{"kind": "process", "unit": "{ctx.units[row[5]].code}"}}',
                )
            row[8], row[9] = dt_(t), dt_(due)
            work_from = t
            if i == work and scenario == "supplement":
                work_from, due = self._supplement(row, cal, t, budget, due, actor)
            elif i == work and scenario == "reschedule" and self.due is not None:
                work_from = self._reschedule(cal, t, budget)
            elif i == work and scenario in ("withdraw", "stop"):
                at = cal.add_working_seconds(t, rng.randint(0, budget))
                self._close_after_reception(scenario, at)
                return
            elif i == leader and scenario == "refuse":
                at = cal.add_working_seconds(t, rng.randint(0, budget))
                self._close_after_reception("refused", at)
                return
            late = rng.random() < STEP_LATE
            spent = (
                int(budget * rng.uniform(1.05, 2.2)) + 600
                if late
                else max(60, int(budget * rng.uniform(0.1, 0.95)))
            )
            done = cal.add_working_seconds(work_from, spent)
            if i == leader and proc.result_required:
                self._emit("result_recorded", done, actor=actor, data='{"electronic": false}')
                self.result = (f"{rng.randint(1, 9999)}/{day_date(local_day(done)).year}",
                               day_date(local_day(done)), actor[1] or "Lãnh đạo đơn vị")  # fmt: skip
            v = verdict(done, due)
            self._emit(
                "step_finished",
                done,
                step=step,
                due=due,
                actor=actor,
                data=f'{{"kind": "process", "unit": "{ctx.units[row[5]].code}", "verdict": "{v}", "note": ""}}',
            )
            row[10], row[11], row[12], row[13] = dt_(done), actor[0], v, ""
            t = done
        at = t + rng.randint(300, 2400)
        v = verdict(at, self.due)
        boss = self._officer(self.responsible, "leader")
        self._emit(
            "processed",
            at,
            to="processed",
            due=self.due,
            actor=boss,
            data=f'{{"verdict": "{v}", "note": ""}}',
        )
        self.processed, self.verdict = at, v
        if rng.random() < 0.02:
            return  # never collected (yet)
        if self.channel == Channel.ONLINE:
            back = at + rng.randint(600, 4 * HOUR)
        else:
            back = self.cal_r.next_working_instant(at + rng.randint(0, 4 * DAY))
        self._emit("returned", back, to="returned", actor=self.receiver, data='{"note": ""}')
        self.returned = back

    def _officer_name(self, row: list[Any]) -> str:
        if row[6] is None:
            return ""
        for user_id, name in self.ctx.staff.get((row[5], row[4]), ()):
            if user_id == row[6]:
                return name
        return ""

    def _supplement(self, row: list[Any], cal: FastCalendar, t: int, budget: int, due: int,
                    actor: tuple[int | None, str]) -> tuple[int, int]:  # fmt: skip
        """``request_supplement`` within 3 working days of the last complete arrival, then
        ``complete_supplement``: new appointment, open step due again. A few dossiers get two."""
        rng = self.rng
        since = self.received
        assert since is not None  # noqa: S101
        for _round in range(2 if rng.random() < 0.2 else 1):
            at = cal.add_working_seconds(t, rng.randint(600, max(601, budget // 2)))
            limit = self.cal_u.supplement_request_deadline(since)
            if at > limit:
                break
            self.supplements += 1
            self._emit(
                "supplement_requested",
                at,
                to="awaiting_supplement",
                actor=actor,
                data=f'{{"items": [{{"name": "Giấy tờ cần bổ sung", "reason": ""}}], "request_number": {self.supplements}, "limit": "{local_iso(limit)}"}}',
            )
            if rng.random() < 0.08:  # never completed: the leader stops it a month later
                self._close_after_reception("stopped", self.cal_u.next_working_instant(at + 30 * DAY))
                raise _Stop
            back = self.cal_r.next_working_instant(at + rng.randint(1, 10) * DAY + rng.randint(0, 6 * HOUR))
            previous, new_due = self.due, self._appointment(back)
            self._emit(
                "supplement_completed",
                back,
                to="processing",
                due=new_due,
                actor=self.receiver,
                data=f'{{"note": "", "components": 1, "previous_due_at": "{local_iso(previous)}"}}',
            )
            self.due = new_due
            if self.reschedules == 0:
                self.original_due = new_due
            due = cal.add_working_seconds(back, budget)
            row[9] = dt_(due)
            t = since = back
        return t, due

    def _reschedule(self, cal: FastCalendar, t: int, budget: int) -> int:
        """Form 04: the apology at least one working day before the due date, once; this step then
        runs past the first appointment."""
        assert self.due is not None  # noqa: S101
        at = cal.add_working_seconds(t, self.rng.randint(0, max(1, budget // 4)))
        if at > self.cal_u.latest_apology_at(self.due):
            return t
        old = self.due
        new_due = self.cal_u.add_working_seconds(old, self.rng.randint(2, 8) * self.cal_u.daily_seconds)
        boss = self._officer(self.responsible, "leader")
        self._emit(
            "rescheduled",
            at,
            due=new_due,
            actor=boss,
            data=f'{{"previous_due_at": "{local_iso(old)}", "reason": "Hồ sơ cần xác minh thêm"}}',
        )
        self.due, self.reschedules = new_due, 1
        return old

    def _close_after_reception(self, kind: str, at: int) -> None:
        """``withdraw`` / ``stop`` / ``reject_after_appraisal`` after reception: the end counts."""
        v = verdict(at, self.due)
        to = {"withdraw": "withdrawn", "stop": "stopped", "stopped": "stopped", "refused": "rejected"}[kind]
        event = {"withdrawn": "withdrawn", "stopped": "stopped", "rejected": "refused"}[to]
        data = {
            "withdrawn": '{"reason": "Người nộp đề nghị rút hồ sơ", "written_request": "", "by_applicant": true}',
            "stopped": '{"reason": "Người nộp không bổ sung hồ sơ theo yêu cầu"}',
            "rejected": '{"reasons": ["Hồ sơ không đủ điều kiện giải quyết theo quy định"]}',
        }[to]
        actor = self._officer(self.responsible, "leader") if to != "withdrawn" else (None, "")
        self._emit(event, at, to=to, actor=actor, data=data)
        self.verdict = v

    def _rows(self, code: str, submitted: int) -> None:
        """The dossier row (summary fields as the events left them), its components and its flags."""
        rng, proc, online = self.rng, self.proc, self.channel == Channel.ONLINE
        name, id_number, owner, owner_id = self._applicant()
        own = online and rng.random() < 0.85
        digitized_share = 1.0 if online else 0.72
        reuse_share = 0.55 if online else 0.3
        for position, (catalog_id, title, copy_type, count, store) in enumerate(proc.components, start=1):
            reused = store and rng.random() < reuse_share
            self.chunk.components.append(
                (
                    self.idx,
                    catalog_id,
                    position,
                    title,
                    copy_type,
                    count,
                    True,
                    "",
                    rng.random() < digitized_share,
                    reused,
                    reused and rng.random() < 0.6,
                )  # fmt: skip
            )
        rating = ""
        if self.returned is not None and rng.random() < 0.6:
            draw = rng.random()
            if self.verdict == Verdict.LATE:
                rating = "dissatisfied" if draw < 0.3 else "satisfied" if draw < 0.8 else "very_satisfied"
            else:
                rating = "very_satisfied" if draw < 0.58 else "satisfied" if draw < 0.97 else "dissatisfied"
        delivery = (
            ("online" if rng.random() < 0.8 else "post")
            if online
            else ("post" if self.channel == Channel.POSTAL or rng.random() < 0.08 else "counter")
        )
        result_number, result_date, signer = self.result or ("", None, "")
        unit = self.ctx.units[self.receiving]
        search = fold_vi(" ".join(x for x in (code, name, owner, id_number, owner_id) if x))[:500]
        self.chunk.dossiers[self.idx] = (
            code, proc.pk, self.receiving, self.responsible, self.channel, self.status, self.version,
            name, id_number, owner, owner_id, f"Thôn {rng.randint(1, 12)}, {unit.name.removeprefix('UBND ')}"[:300],
            f"09{rng.randint(0, 99_999_999):08d}", f"nguoidan{rng.randint(1, 999_999)}@example.com" if online and rng.random() < 0.5 else "",
            None, own, search, proc.fee_vnd, delivery, dt_(submitted), dt_(self.reception_due),
            dt_(self.received), dt_(self.due), dt_(self.original_due), self.reschedules, self.supplements,
            dt_(self.processed), dt_(self.returned), dt_(self.closed_at), self.verdict, result_number,
            result_date, signer, "", bool(self.result) and rng.random() < (0.8 if online else 0.35),
            proc.online_level, own and rng.random() < 0.75, online and proc.fee_vnd > 0 and rng.random() < 0.7,
            rng.random() < (0.6 if online else 0.35), rating, f"demo:{code}" if online else None,
        )  # fmt: skip

    def _applicant(self) -> tuple[str, str, str, str]:
        rng, names = self.rng, self.ctx.names
        if self.proc.business:
            while True:
                digits = [rng.randint(0, 9) for _ in range(9)]
                check = (
                    10
                    - sum(w * d for w, d in zip((31, 29, 23, 19, 17, 13, 7, 5, 3), digits, strict=True)) % 11
                )
                if check < 10:
                    break
            given = names["given_male"][rng.randrange(len(names["given_male"]))]
            return (
                f"Công ty TNHH {given} {rng.randint(1, 99)}",
                "".join(map(str, digits)) + str(check),
                "",
                "",
            )
        person, id_number = self._person()
        if rng.random() < 0.12:
            owner, owner_id = self._person()
            return person, id_number, owner, owner_id
        return person, id_number, "", ""

    def _person(self) -> tuple[str, str]:
        rng, names = self.rng, self.ctx.names
        female = rng.random() < 0.5
        middle = names["middle_female" if female else "middle_male"]
        given = names["given_female" if female else "given_male"]
        surname = names["surnames"][rng.randrange(len(names["surnames"]))]
        full = f"{surname} {middle[rng.randrange(len(middle))]} {given[rng.randrange(len(given))]}"
        year = rng.randint(1945, 2022)
        century = (0 if year < 2000 else 2) + female
        return full, f"030{century}{year % 100:02d}{rng.randint(0, 999_999):06d}"


# --- the run --------------------------------------------------------------------------------------------


@dataclass
class Report:
    dossiers: int = 0
    components: int = 0
    steps: int = 0
    events: int = 0
    seconds: float = 0.0
    by_status: dict[str, int] = field(default_factory=dict)
    by_channel: dict[int, int] = field(default_factory=dict)


def _day_counts(n: int, days: list[int], cal: FastCalendar) -> list[int]:
    """``n`` dossiers over ``days``: working days full weight, other days a little (online only), a
    slow growth over the period; cumulative rounding gives exactly ``n``."""
    weights = [
        (1.0 if cal.is_working_day(d) else 0.06) * (0.85 + 0.3 * i / max(1, len(days) - 1))
        for i, d in enumerate(days)
    ]
    total, counts, placed, running = sum(weights), [], 0, 0.0
    for w in weights:
        running += w
        upto = round(n * running / total)
        counts.append(upto - placed)
        placed = upto
    return counts


def _reception_instant(rng: random.Random, day: int, online: bool) -> int:
    """Direct and postal: office hours, mostly 07:30–11:15 and 13:30–15:00, a few after 15:00. Online:
    any hour, more by day."""
    base = day * DAY - 7 * HOUR
    if online:
        hour = bisect(_ONLINE_CUM, rng.random() * _ONLINE_CUM[-1])
        return base + min(hour, 23) * HOUR + rng.randrange(HOUR)
    draw = rng.random()
    if draw < 0.62:
        return base + rng.randint(7 * HOUR + 1800, 11 * HOUR + 900)
    if draw < 0.9:
        return base + rng.randint(13 * HOUR + 1800, 15 * HOUR - 1)
    return base + rng.randint(15 * HOUR, 16 * HOUR + 1800)


_ONLINE_CUM = list(accumulate(ONLINE_HOURS))


def generate_dossiers(
    n: int,
    *,
    seed: int = DEFAULT_SEED,
    append: bool = False,
    now: dt.datetime | None = None,
    chunk_size: int = CHUNK_DOSSIERS,
    progress: Callable[[Report], None] | None = None,
) -> Report:
    """Generate ``n`` dossiers over the ~18 months up to ``now`` for the demo province.

    Refuses (``DossierHistoryExists``) when dossiers exist, unless ``append``. The same ``seed``,
    ``now`` and database give the same rows. SQLite: one transaction. PostgreSQL: one transaction per
    chunk of whole days (COPY), so a long run keeps what it wrote if interrupted; a rerun then needs
    ``append``.
    """
    started = time.monotonic()
    if not append and Dossier.objects.exists():
        raise DossierHistoryExists(
            _(
                "Cơ sở dữ liệu đã có %(count)d hồ sơ: không tạo thêm hồ sơ mẫu để tránh trộn dữ liệu. "
                "Dùng --append nếu thật sự muốn thêm."
            )
            % {"count": Dossier.objects.count()}
        )
    rng = random.Random(seed)
    moment = now or timezone.now()
    now_s = int(moment.timestamp())
    today = local_day(now_s)
    days = list(range(today - HISTORY_DAYS + 1, today + 1))
    ctx = load_context(first=day_date(days[0]), last=day_date(today), rng=rng)
    report = Report()
    if is_postgresql():
        _run(n, days, ctx, rng, now_s, moment, chunk_size, report, progress, per_chunk=True)
    else:
        with transaction.atomic():
            _run(n, days, ctx, rng, now_s, moment, chunk_size, report, progress, per_chunk=False)
    report.seconds = time.monotonic() - started
    return report


def _run(
    n: int, days: list[int], ctx: Context, rng: random.Random, now_s: int, moment: dt.datetime,
    chunk_size: int, report: Report, progress: Callable[[Report], None] | None, *, per_chunk: bool,
) -> None:  # fmt: skip
    agencies = {pk: u.code for pk, u in ctx.units.items()}
    existing: dict[tuple[str, str], int] = {
        (scope, period): last
        for scope, period, last in NumberSequence.objects.filter(
            scope__startswith="dossier:", period__gte=day_date(days[0]).isoformat()
        ).values_list("scope", "period", "last")
    }
    chunk = Chunk()
    sim = Simulator(ctx, rng, now_s, chunk)

    def flush() -> None:
        if per_chunk:
            with transaction.atomic():
                counts = chunk.flush(moment)
        else:
            counts = chunk.flush(moment)
        report.dossiers += counts[0]
        report.components += counts[1]
        report.steps += counts[2]
        report.events += counts[3]
        if progress is not None:
            progress(report)

    for day, count in zip(days, _day_counts(n, days, ctx.default_calendar), strict=True):
        working = ctx.default_calendar.is_working_day(day)
        draws = []
        for _draw in range(count):
            proc = ctx.procedures(rng) if working else ctx.online_procedures(rng)
            direct, online = CHANNEL_MIX[OnlineLevel(proc.online_level)]
            x = rng.random()
            channel = Channel.ONLINE if not working or direct <= x < direct + online else (
                Channel.DIRECT if x < direct else Channel.POSTAL
            )  # fmt: skip
            if proc.level == Level.COMMUNE:
                receiving = responsible = ctx.communes(rng)
            elif proc.level == Level.DISTRICT:
                receiving = responsible = ctx.districts[rng.randrange(len(ctx.districts))]
            else:
                receiving, responsible = ctx.centre_id, proc.department_id or ctx.centre_id
            draws.append(
                (
                    _reception_instant(rng, day, channel == Channel.ONLINE),
                    proc,
                    receiving,
                    responsible,
                    int(channel),
                )
            )
        draws.sort(key=lambda d: d[0])
        period = day_date(day).isoformat()
        stamp = day_date(day).strftime("%y%m%d")
        for at, proc, receiving, responsible, channel in draws:
            if at > now_s:
                at = now_s - rng.randint(60, 3600)
            agency = agencies[receiving]
            key = (dossier_scope(agency), period)
            number = chunk.sequences.get(key) or existing.get(key, 0)
            number += 1
            if number > DOSSIER_SEQUENCE_MAX:
                raise DomainError(
                    _("Quá %(max)d hồ sơ trong một ngày tại %(agency)s.")
                    % {"max": DOSSIER_SEQUENCE_MAX, "agency": agency}
                )
            chunk.sequences[key] = number
            chunk.numbers.append((key[0], period, number))
            status = sim.dossier(code=f"{agency}-{stamp}-{number:04d}", submitted=at, proc=proc,
                                 receiving=receiving, responsible=responsible, channel=channel)  # fmt: skip
            report.by_status[status] = report.by_status.get(status, 0) + 1
            report.by_channel[channel] = report.by_channel.get(channel, 0) + 1
        if len(chunk.dossiers) >= chunk_size:
            flush()
            existing.update(chunk.sequences)
            chunk = Chunk()
            sim.chunk = chunk
    flush()
