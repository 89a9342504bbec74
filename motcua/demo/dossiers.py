"""Synthetic dossier history for the demo province: ``motcua seed-demo --dossiers N``.

Each dossier is simulated in time order through what the services do to a live one
(``dossiers.services``: reception with the 15:00 rule or the online queue, ``start_processing``,
hand-overs with step deadlines and verdicts, supplementation, one apology, result, approval, return;
or withdrawal, stop, refusal). Every action appends the event the service would append and changes
the fields it would change, so replaying the events gives the summary fields. Nothing later than
``now`` happens: recent dossiers are still open.

Deadlines use each unit's real calendar (``organizations.calendars.calendar_for_unit``), copied once
per distinct office-hours schedule into a ``bulk.FastCalendar``. Codes count per receiving unit and
local day in time order; ``NumberSequence`` is advanced and ``IssuedNumber`` written for every number,
so live receptions continue after them and ``numbering-audit`` stays clean.

Not simulated: suspension, fee requests, consultations, early-return notices, ``PendingNotice`` rows.
"""

import datetime as dt
import json
import math
import random
import time
from collections.abc import Callable, Mapping
from contextlib import nullcontext
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.catalog.models import TimeUnit
from motcua.core.errors import DomainError
from motcua.core.models import NumberSequence
from motcua.core.numbering import DOSSIER_SEQUENCE_MAX, dossier_scope
from motcua.core.text import fold_vi
from motcua.demo import bulk
from motcua.demo.bulk import Chunk, Context, FastCalendar, ProcedureInfo
from motcua.dossiers.models import Dossier
from motcua.dossiers.workflow import CLOSED, Channel, Verdict
from motcua.organizations.models import Level

DEFAULT_SEED = 20221217
dt_, to_seconds, DAY, HOUR = bulk.to_datetime, bulk.seconds, bulk.DAY, bulk.HOUR
HISTORY_DAYS = 548  # about 18 months
CHUNK_DOSSIERS = 20_000

# (direct, online) share by the procedure's online level; the rest is postal.
CHANNEL_MIX = {"full": (0.22, 0.74), "partial": (0.46, 0.49), "none": (0.93, 0.0)}
STEP_LATE = 0.08
_CLOSED = frozenset(str(s) for s in CLOSED)
# Cumulative probabilities of what happens after reception (the rest: the normal course).
_SCENARIOS = [(0.05, "supplement"), (0.062, "reschedule"), (0.077, "refuse"), (0.085, "withdraw"),
              (0.09, "stop"), (1.0, "normal")]  # fmt: skip


class DossierHistoryExists(DomainError):
    """There are dossiers already and ``append`` was not asked for."""


class _Stop(Exception):
    """The next action would happen after ``now``: the dossier stays as it is."""


_NO_STEP_YET = (None,) * 4 + ("",) * 4  # started, due, finished, by; verdict, actor, note, answer
_MISSING = [{"name": "Giấy tờ còn thiếu", "reason": ""}]
_ENDINGS: dict[
    str, tuple[str, str, dict[str, object]]
] = {  # after reception: (event kind, status, data) of withdraw / stop / reject_after_appraisal
    "withdraw": ("withdrawn", "withdrawn", {"reason": "Người nộp đề nghị rút hồ sơ", "by_applicant": True}),
    "stop": ("stopped", "stopped", {"reason": "Người nộp không bổ sung hồ sơ theo yêu cầu"}),
    "refuse": ("refused", "rejected", {"reasons": ["Hồ sơ không đủ điều kiện giải quyết theo quy định"]}),
}


class Simulator:
    """Turns one dossier's draw into rows of a ``bulk.Chunk``, action by action in time order."""

    def __init__(self, ctx: Context, rng: random.Random, now: int, chunk: Chunk) -> None:
        self.ctx, self.rng, self.now, self.chunk = ctx, rng, now, chunk
        self.status, self.version, self.verdict = "", 0, ""
        self.closed_at: int | None = None
        self.reception_due: int | None = None
        self.received: int | None = None
        self.due: int | None = None
        self.original_due: int | None = None
        self.processed: int | None = None
        self.returned: int | None = None

    def _emit(self, kind: str, at: int, *, to: str = "", step: int | None = None, due: int | None = None,
              data: Mapping[str, object] | None = None, actor: tuple[int | None, str] = (None, "")) -> None:  # fmt: skip
        """``services._core._move``: one event, the status and ``closed_at``, ``version`` + 1."""
        if at > self.now:
            raise _Stop
        before = self.status if to else ""
        if to:
            self.status = to
            if to in _CLOSED:
                self.closed_at = at
        self.version += 1
        name = self.chunk.steps[step][3] if step is not None else ""
        payload = json.dumps(data or {}, ensure_ascii=False)
        self.chunk.events.append((self.idx, kind, dt_(at), *actor, before, to, step, name, dt_(due), payload))

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

    def dossier(self, *, code: str, submitted: int, proc: ProcedureInfo, receiving: int, responsible: int,
                channel: int) -> str:  # fmt: skip
        """Simulate one dossier and add its rows to the chunk; returns its status at ``now``."""
        self.idx = len(self.chunk.dossiers)
        self.chunk.dossiers.append(())  # placeholder: the row is complete only at the end
        self.proc, self.channel, self.receiving, self.responsible = proc, channel, receiving, responsible
        self.cal_r, self.cal_u = self.ctx.calendars[receiving], self.ctx.calendars[responsible]
        self.status, self.version, self.verdict = "", 0, ""
        self.closed_at = self.reception_due = self.received = self.due = self.original_due = None
        self.processed = self.returned = None
        self.reschedules = self.supplements = 0
        self.result: tuple[str, dt.date, str] | None = None  # number, signed on, signer
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
        rng, cal, channel = self.rng, self.cal_r, self.channel
        if channel == Channel.ONLINE:  # submit_online, then receive_online within 8 working hours (mostly)
            self.reception_due = cal.add_working_seconds(cal.next_working_instant(t), 8 * HOUR)
            data: dict[str, Any] = {"channel": 2, "components": len(self.proc.components)}
            self._emit("submitted", t, to="submitted", due=self.reception_due, data=data)
            draw = rng.random()
            if draw < 0.004:  # withdrawn by the applicant before reception
                at = cal.add_working_seconds(cal.next_working_instant(t), rng.randint(HOUR, 6 * HOUR))
                self._emit("withdrawn", at, to="withdrawn", data=_ENDINGS["withdraw"][2])
                return
            if draw < 0.05:  # sent back for supplementation: never refused, never cancelled
                asked = cal.add_working_seconds(cal.next_working_instant(t), rng.randint(HOUR // 2, 7 * HOUR))
                late = self.reception_due is not None and asked > self.reception_due
                data = {"items": _MISSING, "late_reception": late}
                self._emit(
                    "supplement_requested", asked, to="intake_supplement", actor=self.receiver, data=data
                )
                t = self._intake_supplement_completed(asked)
            late = rng.random() < 0.06
            spent = rng.randint(8 * HOUR + 600, 16 * HOUR) if late else rng.randint(600, 7 * HOUR)
            at = cal.add_working_seconds(cal.next_working_instant(t), spent)
            self._receive(at, {"channel": 2, "late_reception": at > (self.reception_due or at)})
            return
        draw = rng.random()
        if draw < 0.012:  # refuse_at_counter (form 03)
            data = {"reasons": ["Hồ sơ không thuộc thẩm quyền giải quyết"], "channel": channel}
            self._emit("not_received", t, to="not_received", actor=self.receiver, data=data)
            return
        if draw < 0.04:  # request_supplement_at_counter (form 02); the applicant comes back later
            data = {"items": _MISSING, "channel": channel}
            self._emit("supplement_requested", t, to="intake_supplement", actor=self.receiver, data=data)
            back = self._intake_supplement_completed(t)
            at = cal.add_working_seconds(back, rng.randint(300, 3600))
            self._receive(at, {"channel": channel, "late_reception": at > (self.reception_due or at)})
            return
        forward_by = cal.start_after_cutoff(t)  # receive_at_counter: form 01, the 15:00 rule
        n = len(self.proc.components)
        self._receive(t, {"channel": channel, "components": n, "forward_by": bulk.local_iso(forward_by)})
        if self.responsible != self.receiving:
            units = self.ctx.units
            data = {"from_unit": units[self.receiving].code, "to_unit": units[self.responsible].code}
            self._emit("forwarded", t, due=forward_by, actor=self.receiver, data=data)

    def _intake_supplement_completed(self, asked: int) -> int:
        """``complete_supplement`` before reception: back to SUBMITTED, a fresh 8-working-hour clock."""
        cal = self.cal_r
        back = cal.next_working_instant(asked + self.rng.randint(1, 8) * DAY + self.rng.randint(0, 8 * HOUR))
        due = cal.add_working_seconds(back, 8 * HOUR)
        data: dict[str, Any] = {"note": "", "components": 1}
        self._emit("supplement_completed", back, to="submitted", due=due, data=data)
        self.reception_due = due  # fields change only once the event is written (not after now)
        return back

    def _receive(self, at: int, data: dict[str, Any]) -> None:
        due = self._appointment(at)
        self._emit("received", at, to="received", due=due, data=data, actor=self.receiver)
        self.received, self.due, self.original_due = at, due, due

    def _processing(self) -> None:
        """``start_processing`` (every step created, the first started), hand-overs, the exceptions,
        ``record_result``, ``mark_processed`` and ``return_result``."""
        rng, ctx, proc, received = self.rng, self.ctx, self.proc, self.received
        assert received is not None  # noqa: S101
        versions = proc.processes.get(self.responsible) or proc.processes[None]
        day = bulk.local_day(received)
        _valid, process, templates = next((v for v in versions if v[0] <= day), versions[-1])
        online = self.channel == Channel.ONLINE
        ready = self.cal_u.next_working_instant if online else self.cal_r.start_after_cutoff
        t = self.cal_u.add_working_seconds(ready(received), rng.randint(0, 2400))
        first = len(self.chunk.steps)
        officers = []
        for tpl in templates:
            unit = tpl.unit_id or self.responsible
            officers.append(self._officer(unit, tpl.role))
            values = [self.idx, tpl.position, "process", tpl.name, tpl.role, unit, officers[-1][0], tpl.hours]
            self.chunk.steps.append([*values, *_NO_STEP_YET])
        count = len(templates)
        work = max(range(count), key=lambda i: templates[i].hours)  # the appraisal step
        leader = max((i for i in range(count) if templates[i].role == "leader"), default=count - 1)
        draw = rng.random()
        scenario = next(name for limit, name in _SCENARIOS if draw < limit)
        for i in range(count):
            step = first + i
            row = self.chunk.steps[step]
            cal, unit_code, budget = ctx.calendars[row[5]], ctx.units[row[5]].code, to_seconds(row[7])
            due = cal.add_working_seconds(t, budget)
            actor = officers[i]
            if i == 0:
                data: dict[str, Any] = {
                    "kind": "process",
                    "unit": unit_code,
                    "process": process,
                    "steps": count,
                }
                self._emit(
                    "step_started", t, to="processing", step=step, due=due, actor=self.receiver, data=data
                )
            else:
                self._emit(
                    "step_started",
                    t,
                    step=step,
                    due=due,
                    actor=actor,
                    data={"kind": "process", "unit": unit_code},
                )
            row[8], row[9] = dt_(t), dt_(due)
            if i == work and scenario == "supplement":
                t, due = self._supplement(row, cal, t, budget, due, actor)
            elif i == work and scenario == "reschedule" and self.due is not None:
                t = self._reschedule(cal, t, budget)
            elif (i == work and scenario in ("withdraw", "stop")) or (i == leader and scenario == "refuse"):
                self._end_after_reception(scenario, cal.add_working_seconds(t, rng.randint(0, budget)))
                return
            late = rng.random() < STEP_LATE
            low, high, extra = (1.05, 2.2, 600) if late else (0.1, 0.95, 0)
            spent = int(budget * rng.uniform(low, high)) + extra
            done = cal.add_working_seconds(t, max(60, spent))
            if i == leader and proc.result_required:
                signed_on = bulk.day_date(bulk.local_day(done))
                self._emit("result_recorded", done, actor=actor, data={"signed_on": signed_on.isoformat()})
                self.result = (f"{rng.randint(1, 9999)}/{signed_on.year}", signed_on, actor[1] or "Lãnh đạo")
            v = bulk.verdict(done, due)
            data = {"kind": "process", "unit": unit_code, "verdict": v, "note": ""}
            self._emit("step_finished", done, step=step, due=due, actor=actor, data=data)
            row[10], row[11], row[12], row[13] = dt_(done), actor[0], v, actor[1]
            t = done
        at = t + rng.randint(300, 2400)
        v = bulk.verdict(at, self.due)
        boss = self._officer(self.responsible, "leader")
        self._emit("processed", at, to="processed", due=self.due, actor=boss, data={"verdict": v, "note": ""})
        self.processed, self.verdict = at, v
        if rng.random() < 0.02:
            return  # never collected
        back = (
            at + rng.randint(600, 4 * HOUR)
            if online
            else self.cal_r.next_working_instant(at + rng.randint(0, 4 * DAY))
        )
        self._emit("returned", back, to="returned", actor=self.receiver, data={"note": ""})
        self.returned = back

    def _supplement(self, row: list[Any], cal: FastCalendar, t: int, budget: int, due: int,
                    actor: tuple[int | None, str]) -> tuple[int, int]:  # fmt: skip
        """``request_supplement`` within 3 working days of the last complete arrival, then
        ``complete_supplement``: new appointment, the open step due again. A few dossiers get two."""
        rng, since = self.rng, self.received
        assert since is not None  # noqa: S101
        for _round in range(2 if rng.random() < 0.2 else 1):
            at = cal.add_working_seconds(t, rng.randint(600, max(601, budget // 2)))
            limit = self.cal_u.supplement_request_deadline(since)
            if at > limit:
                break
            data: dict[str, Any] = {
                "items": _MISSING,
                "request_number": self.supplements + 1,
                "limit": bulk.local_iso(limit),
            }
            self._emit("supplement_requested", at, to="awaiting_supplement", actor=actor, data=data)
            self.supplements += 1
            if rng.random() < 0.08:  # never completed: the leader stops it a month later
                self._end_after_reception("stop", self.cal_u.next_working_instant(at + 30 * DAY))
                raise _Stop
            back = self.cal_r.next_working_instant(at + rng.randint(1, 10) * DAY + rng.randint(0, 6 * HOUR))
            new_due = self._appointment(back)
            data = {"note": "", "components": 1, "previous_due_at": bulk.local_iso(self.due)}
            self._emit(
                "supplement_completed", back, to="processing", due=new_due, actor=self.receiver, data=data
            )
            self.due = new_due
            if self.reschedules == 0:
                self.original_due = self.due
            due = cal.add_working_seconds(back, budget)
            row[9] = dt_(due)
            t = since = back
        return t, due

    def _reschedule(self, cal: FastCalendar, t: int, budget: int) -> int:
        """Form 04: the apology at least one working day before the due date, once; the step then
        runs past the first appointment. Returns when the step's work resumes."""
        old = self.due
        assert old is not None  # noqa: S101
        at = cal.add_working_seconds(t, self.rng.randint(0, max(1, budget // 4)))
        if at > self.cal_u.latest_apology_at(old):
            return t
        new_due = self.cal_u.add_working_seconds(old, self.rng.randint(2, 8) * self.cal_u.daily_seconds)
        data: dict[str, Any] = {"previous_due_at": bulk.local_iso(old), "reason": "Hồ sơ cần xác minh thêm"}
        self._emit("rescheduled", at, due=new_due, actor=self._officer(self.responsible, "leader"), data=data)
        self.due, self.reschedules = new_due, 1
        return old

    def _end_after_reception(self, scenario: str, at: int) -> None:
        """``withdraw`` / ``stop`` / ``reject_after_appraisal``: closed, the end counts for the verdict."""
        kind, to, data = _ENDINGS[scenario]
        actor = (None, "") if scenario == "withdraw" else self._officer(self.responsible, "leader")
        self._emit(kind, at, to=to, actor=actor, data=data)
        self.verdict = bulk.verdict(at, self.due)

    def _rows(self, code: str, submitted: int) -> None:
        """The dossier row (summary fields as the events left them), its components and its flags."""
        rng, proc, online = self.rng, self.proc, self.channel == Channel.ONLINE
        name, id_number, owner, owner_id = bulk.applicant(
            self.rng, self.ctx.names, business=self.proc.business
        )
        own = online and rng.random() < 0.85
        digitized_share = 1.0 if online else 0.72
        reuse_share = 0.55 if online else 0.3
        for position, (catalog_id, title, copy_type, count, store) in enumerate(proc.components, start=1):
            reused = store and rng.random() < reuse_share
            # fmt: off
            self.chunk.components.append((self.idx, catalog_id, position, title, copy_type, count, True, "",
                                          rng.random() < digitized_share, reused, reused and rng.random() < 0.6))
            # fmt: on
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
        # fmt: off
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
        )
        # fmt: on


# --- the run --------------------------------------------------------------------------------------------


@dataclass
class Report:
    dossiers: int = 0
    components: int = 0
    steps: int = 0
    events: int = 0
    seconds: float = 0.0
    by_status: dict[str, int] = field(default_factory=dict)


def generate_dossiers(n: int, *, seed: int = DEFAULT_SEED, append: bool = False, now: dt.datetime | None = None,
                      chunk_size: int = CHUNK_DOSSIERS, progress: Callable[[Report], None] | None = None,
                      ) -> Report:  # fmt: skip
    """Generate ``n`` dossiers over the ~18 months up to ``now`` for the demo province.

    Refuses (``DossierHistoryExists``) when dossiers exist, unless ``append``. The same ``seed``,
    ``now`` and database give the same rows. SQLite: one transaction. PostgreSQL: one transaction per
    chunk of whole days (COPY), so a long run keeps what it wrote if interrupted; a rerun then needs
    ``append``. A big PostgreSQL load (``bulk.should_defer_indexes``: at least 50,000 dossiers and at
    least as many as the table holds) runs in one transaction that drops the secondary indexes and
    foreign keys first and builds them once at the end (``bulk.secondary_indexes_deferred``).
    """
    started = time.monotonic()
    existing = Dossier.objects.count()
    if not append and existing:
        raise DossierHistoryExists(
            _(
                "Cơ sở dữ liệu đã có %(count)d hồ sơ: không tạo thêm hồ sơ mẫu để tránh trộn dữ liệu. "
                "Dùng --append nếu thật sự muốn thêm."
            )
            % {"count": existing}
        )
    rng = random.Random(seed)  # noqa: S311 - demo data, reproducible on purpose
    moment = now or timezone.now()
    now_s = int(moment.timestamp())
    today = bulk.local_day(now_s)
    days = list(range(today - HISTORY_DAYS + 1, today + 1))
    ctx = bulk.load_context(first=bulk.day_date(days[0]), last=bulk.day_date(today), rng=rng)
    report = Report()
    if bulk.should_defer_indexes(n, existing):
        # A big load: one transaction, secondary indexes and foreign keys built once at the end.
        with transaction.atomic(), bulk.secondary_indexes_deferred():
            _run(n, days, ctx, rng, now_s, moment, chunk_size, report, progress, per_chunk=False)
    elif bulk.is_postgresql():
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
            scope__startswith="dossier:", period__gte=bulk.day_date(days[0]).isoformat()
        ).values_list("scope", "period", "last")
    }
    chunk = Chunk()
    sim = Simulator(ctx, rng, now_s, chunk)

    def flush() -> None:
        with transaction.atomic() if per_chunk else nullcontext():
            counts = chunk.flush(moment)
        for name, value in zip(("dossiers", "components", "steps", "events"), counts, strict=True):
            setattr(report, name, getattr(report, name) + value)
        if progress is not None:
            progress(report)

    for day, count in zip(days, bulk.day_counts(n, days, ctx.default_calendar), strict=True):
        working = ctx.default_calendar.is_working_day(day)
        draws = []
        for _draw in range(count):
            proc = ctx.procedures(rng) if working else ctx.online_procedures(rng)
            direct, online = CHANNEL_MIX[proc.online_level]
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
            at = bulk.reception_instant(rng, day, online=channel == Channel.ONLINE)
            draws.append((at, proc, receiving, responsible, int(channel)))
        draws.sort(key=lambda d: d[0])
        period = bulk.day_date(day).isoformat()
        stamp = bulk.day_date(day).strftime("%y%m%d")
        for at, proc, receiving, responsible, kanal in draws:
            at = min(at, now_s)  # today: nothing after now
            agency = agencies[receiving]
            key = (dossier_scope(agency), period)
            number = (chunk.sequences.get(key) or existing.get(key, 0)) + 1
            if number > DOSSIER_SEQUENCE_MAX:
                raise DomainError(
                    _("Quá %(max)d hồ sơ trong một ngày tại %(agency)s.")
                    % {"max": DOSSIER_SEQUENCE_MAX, "agency": agency}
                )
            chunk.sequences[key] = number
            chunk.numbers.append((key[0], period, number))
            status = sim.dossier(code=f"{agency}-{stamp}-{number:04d}", submitted=at, proc=proc,
                                 receiving=receiving, responsible=responsible, channel=kanal)  # fmt: skip
            report.by_status[status] = report.by_status.get(status, 0) + 1
        if len(chunk.dossiers) >= chunk_size:
            flush()
            existing.update(chunk.sequences)
            chunk = Chunk()
            sim.chunk = chunk
    flush()
