"""Bulk paths of the synthetic dossier history (``demo.dossiers``): ``FastCalendar``, a precomputed
copy of a ``core.worktime.WorkCalendar`` answering on Unix seconds by bisect (same sessions, holidays
and overrides, so the same answers: the tests compare both); ``load_context``, what the generator reads
once per run; the writers (``COPY … FROM STDIN`` on PostgreSQL, ``bulk_create`` on SQLite).
"""

import datetime as dt
import json
import random
from bisect import bisect, bisect_left, bisect_right
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import accumulate
from typing import Any

from django.db import connection
from django.db.models import Model
from django.utils.translation import gettext as _

from motcua.catalog.models import Component, InternalProcess, OnlineLevel, Procedure, ProcessStep
from motcua.core.errors import DomainError
from motcua.core.models import IssuedNumber, NumberSequence
from motcua.core.worktime import TZ, WorkCalendar
from motcua.demo.datafiles import load_json
from motcua.demo.province import SERVICE_CENTRE_CODE, department_code
from motcua.dossiers.models import Dossier, DossierComponent, DossierEvent, DossierStep
from motcua.dossiers.workflow import Verdict
from motcua.organizations.calendars import calendar_for_unit
from motcua.organizations.models import Level, Membership, Unit

LOCAL_OFFSET = 7 * 3600  # Asia/Ho_Chi_Minh is UTC+7 all year (no DST since 1975)
DAY = 86_400
HOUR = 3_600
_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
_EPOCH_DAY = dt.date(1970, 1, 1)


def to_datetime(t: int | None) -> dt.datetime | None:
    return None if t is None else _EPOCH + dt.timedelta(seconds=t)


def epoch(value: dt.datetime) -> int:
    return int((value - _EPOCH).total_seconds())


def local_day(t: int) -> int:
    """Days since 1970-01-01 of the local (UTC+7) date of ``t``."""
    return (t + LOCAL_OFFSET) // DAY


def day_date(day: int) -> dt.date:
    return _EPOCH_DAY + dt.timedelta(days=day)


def seconds(hours: Any) -> int:
    """Working hours (Decimal, int, float) as whole seconds."""
    return round(float(hours) * HOUR)


class FastCalendar:
    """``WorkCalendar`` questions on Unix seconds for local days ``first_day .. last_day``."""

    def __init__(self, calendar: WorkCalendar, first: dt.date, last: dt.date) -> None:
        self.daily_seconds = seconds(calendar.schedule.daily_hours)
        self.first_day = (first - _EPOCH_DAY).days
        self.last_day = (last - _EPOCH_DAY).days
        self.starts: list[int] = []
        self.ends: list[int] = []
        self.cum_end: list[int] = []  # working seconds from the range start to the end of each session
        self.day_open: dict[int, int] = {}  # working day -> opening instant
        self.day_close: dict[int, int] = {}  # working day -> closing instant
        worked = 0
        day = first
        while day <= last:
            sessions = calendar.sessions(day)
            n = (day - _EPOCH_DAY).days
            for start, end in sessions:
                s, e = epoch(start), epoch(end)
                self.starts.append(s)
                self.ends.append(e)
                worked += e - s
                self.cum_end.append(worked)
            if sessions:
                self.day_open[n] = epoch(sessions[0][0])
                self.day_close[n] = epoch(sessions[-1][1])
            day += dt.timedelta(days=1)
        self.working_days = sorted(self.day_open)

    def _session(self, t: int) -> int:
        i = bisect_right(self.ends, t)
        if i >= len(self.ends):
            raise ValueError(f"instant {t} is beyond the precomputed calendar")
        return i

    def is_working_day(self, day: int) -> bool:
        return day in self.day_open

    def next_working_instant(self, t: int) -> int:
        i = self._session(t)
        return max(self.starts[i], t)

    def add_working_seconds(self, t: int, amount: int) -> int:
        """``WorkCalendar.add_working_hours``: a limit used up at a session end stays there."""
        if amount <= 0:
            return t
        i = self._session(t)
        begin = max(self.starts[i], t)
        target = self.cum_end[i] - (self.ends[i] - begin) + amount
        j = bisect_left(self.cum_end, target)
        if j >= len(self.cum_end):
            raise ValueError("deadline beyond the precomputed calendar")
        return self.ends[j] - (self.cum_end[j] - target)

    def next_working_day(self, day: int) -> int:
        i = bisect_right(self.working_days, day)
        return self.working_days[i]

    def previous_working_day(self, day: int) -> int:
        i = bisect_left(self.working_days, day)
        return self.working_days[i - 1]

    def start_after_cutoff(self, t: int, cutoff: int = 15 * HOUR) -> int:
        """``WorkCalendar.start_after_cutoff``: at or after 15:00 on a working day ⇒ next opening."""
        day = local_day(t)
        if day in self.day_open and (t + LOCAL_OFFSET) % DAY >= cutoff:
            return self.day_open[self.next_working_day(day)]
        return self.next_working_instant(t)

    def add_calendar_days(self, t: int, days: int) -> int:
        if days == 0:
            return t
        result = t + days * DAY
        day = local_day(result)
        if day in self.day_open:
            return result
        return self.day_open[self.next_working_day(day)]

    def supplement_request_deadline(self, received: int) -> int:
        """``deadlines.supplement_request_deadline``: close of the 3rd working day after reception."""
        day = local_day(received)
        for _step in range(3):
            day = self.next_working_day(day)
        return self.day_close[day]

    def latest_apology_at(self, due: int) -> int:
        """``deadlines.latest_apology_at``: close of the last working day before the due date."""
        return self.day_close[self.previous_working_day(local_day(due))]


def local_iso(t: int | None) -> str | None:
    """Local ISO 8601 with offset, as the services write ``iso()`` into event data."""
    return None if t is None else dt.datetime.fromtimestamp(t, TZ).isoformat()


# --- what the generator reads, once per run -----------------------------------------------------------

# Civil status and certification at the commune counter dominate (weights per field within a level).
LEVEL_SHARE = {"commune": 0.62, "district": 0.24, "province": 0.14}
FIELD_WEIGHT = {"Chứng thực": 12.0, "Hộ tịch": 5.0, "Đăng ký và quản lý cư trú": 3.0, "Đất đai": 4.0}


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
    field_name: str
    department_id: int | None
    components: list[tuple[int, str, str, int, bool]] = field(default_factory=list)
    # responsible unit (None: every unit) -> [(valid from as a day number, process name, steps)], newest first
    processes: dict[int | None, list[tuple[int, str, list[StepTemplate]]]] = field(default_factory=dict)


class Picker[T]:
    """Weighted random choice by bisect over cumulative weights."""

    def __init__(self, items: Sequence[T], weights: Sequence[float]) -> None:
        self.items, self.cum = list(items), list(accumulate(weights))

    def __call__(self, rng: random.Random) -> T:
        return self.items[min(bisect(self.cum, rng.random() * self.cum[-1]), len(self.items) - 1)]


@dataclass
class Context:
    """What the simulation reads from the database, loaded once per run."""

    units: dict[int, Unit]
    procedures: Picker[ProcedureInfo]
    online_procedures: Picker[ProcedureInfo]
    communes: Picker[int]
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
        # fmt: off
        procedures[p.pk] = ProcedureInfo(p.pk, p.level, p.online_level, p.time_unit, p.time_limit, p.fee_vnd,
                                         p.result_required, p.subjects == "business", p.field.name,
                                         department.pk if department else None)
        # fmt: on
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
    usable = [info for info in procedures.values() if None in info.processes]
    if not usable:
        raise DomainError(_("Danh mục thủ tục chưa có quy trình nội bộ: hãy chạy motcua seed-demo trước."))
    field_totals: dict[str, float] = {}
    for info in usable:
        field_totals[info.level] = field_totals.get(info.level, 0.0) + FIELD_WEIGHT.get(info.field_name, 1.0)
    weights = [
        LEVEL_SHARE[p.level]
        * FIELD_WEIGHT.get(p.field_name, 1.0)
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
    districts = sorted(pk for pk, u in units.items() if u.level == Level.DISTRICT)
    online_picker = Picker([p for p, _w in online], [w for _p, w in online])
    commune_picker = Picker(communes, [rng.lognormvariate(0, 0.5) for _c in communes])
    default = FastCalendar(calendar_for_unit(None, last), *span)
    return Context(units, Picker(usable, weights), online_picker, commune_picker, districts,
                   by_code[SERVICE_CENTRE_CODE].pk, calendars, default, staff, load_json("names.json"))  # fmt: skip


ONLINE_HOURS = [1, 0.5, 0.3, 0.3, 0.3, 0.6, 1.5, 3, 5, 6, 6, 5, 4, 5, 6, 6, 5, 4, 3.5, 3, 3, 2.5, 2, 1.5]


def day_counts(n: int, days: list[int], cal: FastCalendar) -> list[int]:
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


def reception_instant(rng: random.Random, day: int, *, online: bool) -> int:
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


def verdict(finished: int, due: int | None) -> str:
    """``deadlines.verdict`` / ``interchange.step_verdict`` on Unix seconds."""
    if due is None:
        return Verdict.ON_TIME.value
    if finished > due:
        return Verdict.LATE.value
    return Verdict.EARLY.value if local_day(finished) < local_day(due) else Verdict.ON_TIME.value


_TAX_WEIGHTS = (31, 29, 23, 19, 17, 13, 7, 5, 3)  # TT 105/2020/TT-BTC check digit


def applicant(
    rng: random.Random, names: dict[str, list[str]], *, business: bool
) -> tuple[str, str, str, str]:
    """Name and ID number of who submits, and of the owner when someone else (12 % of people)."""
    if business:  # a company with a valid tax code (TT 105/2020/TT-BTC check digit)
        while True:
            digits = [rng.randint(0, 9) for _digit in range(9)]
            check = 10 - sum(w * d for w, d in zip(_TAX_WEIGHTS, digits, strict=True)) % 11
            if check < 10:
                break
        given = names["given_male"][rng.randrange(len(names["given_male"]))]
        return f"Công ty TNHH {given} {rng.randint(1, 99)}", "".join(map(str, digits)) + str(check), "", ""
    name, id_number = _person(rng, names)
    if rng.random() < 0.12:
        return name, id_number, *_person(rng, names)
    return name, id_number, "", ""


def _person(rng: random.Random, names: dict[str, list[str]]) -> tuple[str, str]:
    """A Vietnamese name and a 12-digit ID (province code 030 Hải Dương, century-and-sex digit, year)."""
    female = rng.random() < 0.5
    middle = names["middle_female" if female else "middle_male"]
    given = names["given_female" if female else "given_male"]
    surname = names["surnames"][rng.randrange(len(names["surnames"]))]
    full = f"{surname} {middle[rng.randrange(len(middle))]} {given[rng.randrange(len(given))]}"
    year = rng.randint(1945, 2022)
    return full, f"030{(0 if year < 2000 else 2) + female}{year % 100:02d}{rng.randint(0, 999_999):06d}"


# --- writers -------------------------------------------------------------------------------------------

DOSSIER_COLUMNS = (
    "id", "code", "procedure_id", "receiving_unit_id", "responsible_unit_id", "channel", "status",
    "version", "applicant_name", "applicant_id_number", "owner_name", "owner_id_number", "address",
    "phone", "email", "applicant_user_id", "is_own_account", "search_folded", "fee_vnd",
    "result_delivery", "submitted_at", "reception_due_at", "received_at", "due_at", "original_due_at",
    "reschedule_count", "supplement_request_count", "processed_at", "returned_at", "closed_at",
    "verdict", "result_number", "result_date", "result_signer", "result_file", "is_result_electronic",
    "online_level", "is_vneid_verified", "is_paid_online", "is_population_data_used", "rating",
    "idempotency_key", "created_at", "modified_at",
)  # fmt: skip
COMPONENT_COLUMNS = (
    "dossier_id", "catalog_component_id", "position", "name", "copy_type", "count", "is_provided",
    "file", "is_digitized", "is_reused", "is_from_store",
)  # fmt: skip
STEP_COLUMNS = (
    "id", "dossier_id", "position", "kind", "name", "role", "unit_id", "assignee_id", "budget_hours",
    "started_at", "due_at", "finished_at", "finished_by_id", "verdict", "actor_name", "note", "answer",
)  # fmt: skip
EVENT_COLUMNS = (
    "dossier_id", "kind", "at", "actor_id", "actor_name", "from_status", "to_status", "step_id",
    "step_name", "due_at", "data",
)  # fmt: skip
ISSUED_COLUMNS = ("scope", "period", "number", "reference", "issued_at")


def is_postgresql() -> bool:
    return connection.vendor == "postgresql"


def allocate_ids(model: type[Model], count: int) -> list[int]:
    """``count`` fresh primary keys for ``model``.

    PostgreSQL: taken from the table's own sequence (``nextval`` over ``generate_series``), so rows the
    application inserts later, or concurrently, never collide with the ones we COPY with these explicit
    ids, and no ``setval`` is needed afterwards. SQLite: ``max(id) + 1 …`` inside the caller's
    transaction, which holds the only write lock.
    """
    if count == 0:
        return []
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if is_postgresql():
            sql = "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)"
            cursor.execute(sql, [table, count])
            return [int(row[0]) for row in cursor.fetchall()]
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {connection.ops.quote_name(table)}")  # noqa: S608 - model metadata
        top = int(cursor.fetchone()[0])
    return list(range(top + 1, top + 1 + count))


def write_rows(model: type[Model], columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    """Insert ``rows`` (values in the order of ``columns``, model attnames) into ``model``'s table.

    PostgreSQL: one ``COPY … FROM STDIN`` through psycopg 3 (``cursor.copy``, rows adapted in C).
    SQLite: ``bulk_create`` in batches of 2,000; JSON columns arrive as serialised text and are decoded.
    """
    count = 0
    if is_postgresql():
        # Columns the generator does not fill get the model's default (COPY would write NULL: the
        # defaults live in Django, not in the table), so a field added later never breaks the loader.
        defaults = _defaults_for_unlisted(model, columns)
        quote = connection.ops.quote_name
        names = ", ".join(quote(_column(model, c)) for c in [*columns, *defaults])
        tail = tuple(defaults.values())
        with connection.cursor() as cursor:
            raw: Any = cursor.cursor  # the psycopg cursor under Django's wrapper
            with raw.copy(f"COPY {quote(model._meta.db_table)} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row((*row, *tail) if tail else row)
                    count += 1
        return count
    json_at = [
        i
        for i, c in enumerate(columns)
        if model._meta.get_field(_field_name(c)).get_internal_type() == "JSONField"
    ]
    batch: list[Model] = []
    for row in rows:
        values = list(row)
        for i in json_at:
            values[i] = json.loads(values[i])
        batch.append(model(**dict(zip(columns, values, strict=True))))
        count += 1
        if len(batch) >= 2000:
            model._default_manager.bulk_create(batch)
            batch = []
    model._default_manager.bulk_create(batch)
    return count


def _defaults_for_unlisted(model: type[Model], columns: Sequence[str]) -> dict[str, Any]:
    """attname → Django's default of the concrete fields ``columns`` omits ("" for a text field
    without one, None for a nullable field)."""
    listed = set(columns)
    defaults: dict[str, Any] = {}
    for f in model._meta.concrete_fields:
        if f.attname in listed or f.primary_key:
            continue
        value = f.get_default()
        defaults[f.attname] = json.dumps(value) if f.get_internal_type() == "JSONField" else value
    return defaults


def _column(model: type[Model], attname: str) -> str:
    return str(getattr(model._meta.get_field(_field_name(attname)), "column"))  # noqa: B009 - a concrete field


def _field_name(column: str) -> str:
    return column[:-3] if column.endswith("_id") and column != "id" else column


def advance_sequences(last: dict[tuple[str, str], int]) -> None:
    """Set each (scope, period) counter to at least ``last`` (an upsert; never moves a counter back)."""
    if not last:
        return
    quote = connection.ops.quote_name
    table = quote(NumberSequence._meta.db_table)
    greatest = "GREATEST" if is_postgresql() else "MAX"
    sql = (
        f"INSERT INTO {table} (scope, period, {quote('last')}) VALUES (%s, %s, %s) "  # noqa: S608 - model metadata
        f"ON CONFLICT (scope, period) DO UPDATE SET {quote('last')} = "
        f"{greatest}({table}.{quote('last')}, excluded.{quote('last')})"
    )
    rows = sorted(last.items())
    with connection.cursor() as cursor:
        if is_postgresql():  # one statement for the whole chunk
            cursor.execute(
                sql.replace("VALUES (%s, %s, %s)", "SELECT * FROM unnest(%s::text[], %s::text[], %s::int[])"),
                [[k[0] for k, _n in rows], [k[1] for k, _n in rows], [n for _k, n in rows]],
            )
        else:
            cursor.executemany(sql, [(scope, period, n) for (scope, period), n in rows])


@dataclass
class Chunk:
    """Rows of a run of whole days, with indexes into ``dossiers`` and ``steps`` where ids will go."""

    dossiers: list[tuple[Any, ...]] = field(default_factory=list)
    components: list[tuple[Any, ...]] = field(default_factory=list)
    steps: list[list[Any]] = field(default_factory=list)
    events: list[tuple[Any, ...]] = field(default_factory=list)
    numbers: list[tuple[str, str, int]] = field(default_factory=list)
    sequences: dict[tuple[str, str], int] = field(default_factory=dict)

    def flush(self, written_at: dt.datetime) -> tuple[int, int, int, int]:
        """Write the chunk; returns (dossiers, components, steps, events). ``written_at`` fills the
        ``created_at``/``modified_at``/``issued_at`` columns, as ``bulk_create`` does on SQLite."""
        dossier_ids = allocate_ids(Dossier, len(self.dossiers))
        step_ids = allocate_ids(DossierStep, len(self.steps))
        # fmt: off
        write_rows(Dossier, DOSSIER_COLUMNS,
                   ((dossier_ids[i], *row, written_at, written_at) for i, row in enumerate(self.dossiers)))
        write_rows(DossierComponent, COMPONENT_COLUMNS, ((dossier_ids[r[0]], *r[1:]) for r in self.components))
        write_rows(DossierStep, STEP_COLUMNS,
                   ((step_ids[i], dossier_ids[s[0]], *s[1:]) for i, s in enumerate(self.steps)))
        write_rows(DossierEvent, EVENT_COLUMNS,
                   ((dossier_ids[e[0]], *e[1:7], None if e[7] is None else step_ids[e[7]], *e[8:]) for e in self.events))
        write_rows(IssuedNumber, ISSUED_COLUMNS, ((*n, "", written_at) for n in self.numbers))
        # fmt: on
        advance_sequences(self.sequences)
        return len(self.dossiers), len(self.components), len(self.steps), len(self.events)


# --- loading without secondary indexes (PostgreSQL) ----------------------------------------------------

# Below this many new dossiers, or fewer than the table already holds, keeping the indexes is cheaper.
DEFER_INDEXES_FROM = 50_000
BULK_TABLES: tuple[type[Model], ...] = (Dossier, DossierComponent, DossierStep, DossierEvent)


def should_defer_indexes(n: int, existing: int) -> bool:
    """Drop and rebuild the secondary indexes only when the load is big against what is there."""
    return is_postgresql() and n >= max(DEFER_INDEXES_FROM, existing)


@contextmanager
def secondary_indexes_deferred(models: Sequence[type[Model]] = BULK_TABLES) -> Iterator[list[str]]:
    """Drop the indexes that back no constraint and the foreign keys of ``models``' tables, yield,
    then build them again (PostgreSQL; ``yield`` only elsewhere).

    Must run inside the caller's transaction: DDL is transactional in PostgreSQL, so a failure or
    an interruption rolls the drops back with the rows (nothing is ever left without its indexes).
    The tables stay locked (``ACCESS EXCLUSIVE``) until the commit: a demo load, not a live site.
    Primary keys and unique constraints (code, idempotency key) stay, so duplicates still fail at
    once. Foreign keys come back validated (one join per key instead of one trigger per row).
    """
    if not is_postgresql():
        yield []
        return
    if not connection.in_atomic_block:
        raise RuntimeError("secondary_indexes_deferred() needs a transaction")
    indexes: list[tuple[str, str]] = []
    foreign_keys: list[tuple[str, str, str]] = []
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for model in models:
            table = model._meta.db_table
            cursor.execute(
                "SELECT c.relname, pg_get_indexdef(i.indexrelid) FROM pg_index i "
                "JOIN pg_class c ON c.oid = i.indexrelid WHERE i.indrelid = %s::regclass "
                "AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid) "
                "ORDER BY c.relname",
                [table],
            )
            indexes += [(str(name), str(definition)) for name, definition in cursor.fetchall()]
            cursor.execute(
                "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
                "WHERE conrelid = %s::regclass AND contype = 'f' ORDER BY conname",
                [table],
            )
            foreign_keys += [(table, str(name), str(definition)) for name, definition in cursor.fetchall()]
        for table, name, _definition in foreign_keys:
            cursor.execute(f"ALTER TABLE {quote(table)} DROP CONSTRAINT {quote(name)}")
        for name, _definition in indexes:
            cursor.execute(f"DROP INDEX {quote(name)}")
    yield [name for name, _definition in indexes]
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
        for _name, definition in indexes:
            cursor.execute(definition)
        for table, name, definition in foreign_keys:
            cursor.execute(f"ALTER TABLE {quote(table)} ADD CONSTRAINT {quote(name)} {definition}")
