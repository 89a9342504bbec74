"""Fast paths for the synthetic dossier history (``demo.dossiers``): working-time arithmetic on integer
seconds, and bulk writers (``COPY … FROM STDIN`` on PostgreSQL, ``bulk_create`` on SQLite).

``FastCalendar`` is a precomputed copy of one ``core.worktime.WorkCalendar`` over a bounded range of
days: the same sessions, holidays and overrides, so the same answers (the tests compare both), at a
bisect per question instead of a walk over days. Instants are Unix seconds (UTC).
"""

import datetime as dt
import json
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.db.models import Model

from motcua.core.models import IssuedNumber, NumberSequence
from motcua.core.worktime import TZ, WorkCalendar
from motcua.dossiers.models import Dossier, DossierComponent, DossierEvent, DossierStep

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

    def working_seconds_between(self, a: int, b: int) -> int:
        if b <= a:
            return 0
        return self._worked_at(b) - self._worked_at(a)

    def _worked_at(self, t: int) -> int:
        i = self._session(t)
        return self.cum_end[i] - (self.ends[i] - max(self.starts[i], t))

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
        for _ in range(3):
            day = self.next_working_day(day)
        return self.day_close[day]

    def latest_apology_at(self, due: int) -> int:
        """``deadlines.latest_apology_at``: close of the last working day before the due date."""
        return self.day_close[self.previous_working_day(local_day(due))]


def local_iso(t: int | None) -> str | None:
    """Local ISO 8601 with offset, as the services write ``iso()`` into event data."""
    if t is None:
        return None
    return dt.datetime.fromtimestamp(t, TZ).isoformat()


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
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                [table, count],
            )
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
        quote = connection.ops.quote_name
        names = ", ".join(quote(model._meta.get_field(_field_name(c)).column) for c in columns)
        with connection.cursor() as cursor:
            raw: Any = cursor.cursor  # the psycopg cursor under Django's wrapper
            with raw.copy(f"COPY {quote(model._meta.db_table)} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
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
    """Rows of a run of whole days, with local indexes where ids will go (dossier index in ``dossiers``,
    step index in ``steps``); ``flush`` allocates the ids and writes everything."""

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
        write_rows(
            Dossier,
            DOSSIER_COLUMNS,
            ((dossier_ids[i], *row, written_at, written_at) for i, row in enumerate(self.dossiers)),
        )
        write_rows(
            DossierComponent, COMPONENT_COLUMNS, ((dossier_ids[r[0]], *r[1:]) for r in self.components)
        )
        write_rows(
            DossierStep,
            STEP_COLUMNS,
            ((step_ids[i], dossier_ids[s[0]], *s[1:]) for i, s in enumerate(self.steps)),
        )
        write_rows(
            DossierEvent,
            EVENT_COLUMNS,
            (
                (dossier_ids[e[0]], *e[1:7], None if e[7] is None else step_ids[e[7]], *e[8:])
                for e in self.events
            ),
        )
        write_rows(IssuedNumber, ISSUED_COLUMNS, ((*n, "", written_at) for n in self.numbers))
        advance_sequences(self.sequences)
        return len(self.dossiers), len(self.components), len(self.steps), len(self.events)
