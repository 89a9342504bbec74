"""The first pass of the set-based recount (``dossiers.recount_sql``) — every dossier's facts, the
digest of their counters per unit and day (and per unit and month, quarter, year), and the same digests
of the stored counters — split into parts computed at once by several database sessions that read one
and the same snapshot of the database.

Why: the pass is ~95 % of a steady recount, and one PostgreSQL session computes the facts on one core
(their merge joins in dossier order do not split between parallel workers: docs/benchmarks.md). With
``MOTCUA_RECOUNT_SESSIONS`` sessions (default 2) a server with as many cores does it that many times
faster; the issue 6 budget is a full recount of 10 M dossiers within a minute.

How, on PostgreSQL: the recounting transaction, once it holds the counters' lock (``recount_sql``:
no refresh can commit until it ends), exports its snapshot (``pg_export_snapshot``); each session opens
a ``REPEATABLE READ`` transaction on that snapshot (``SET TRANSACTION SNAPSHOT``, as ``pg_dump --jobs``
does), so every part sees exactly the dossiers, events, papers and counters the recounting transaction
saw when it took the lock. Part *k* takes the dossiers of the *k*-th id range and the *k*-th range of
pages of each counter table (a TID range scan: each session reads its share of the heap), writes its
results to unlogged tables ``_recount_part<k>_…`` and commits them (other sessions can only read
committed tables). The recounting transaction then reads them: ``_recount_facts`` becomes a temporary
view over the facts parts, and a unit differs where, for one of its days (or months, quarters, years),
the true digests of the parts minus the stored digests of the parts do not sum to zero (the digest is
linear: ``recount_facts``). It drops the part tables when it ends well; a recount that fails or is
rolled back leaves them to the next one, which, once it holds the lock (recounts exclude each other:
the lock conflicts with itself), has every ``_recount_part…`` table dropped by a session of its own — a
drop of its own would be a write, and the parts could not read its snapshot.

One part, computed in the recounting transaction itself, when ``MOTCUA_RECOUNT_SESSIONS`` is 1 or when
the transaction has already written something (``txid_current_if_assigned()``): other sessions would
not see its own uncommitted rows.
"""

import re
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import partial
from queue import Empty, SimpleQueue

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.backends.utils import CursorWrapper

from motcua.core.pgsettings import setting
from motcua.dossiers.counters import ROLL_UPS
from motcua.dossiers.models import DailyCounter, Dossier
from motcua.dossiers.recount_facts import (
    FACTS,
    Dates,
    Ids,
    date_range,
    digest_sql,
    facts_table_sql,
    stored_digest_sql,
)

PREFIX = "_recount_part"
# What a whole recount digests: days, and the periods of the roll-ups.
SPANS = ("day", *(span for _model, span in ROLL_UPS))
# Seconds a part took for its facts, their digests and the stored digests.
Steps = tuple[float, float, float]
# The recount's memory for its hash tables, in every session (``recount_sql`` too).
WORK_MEM = "256MB"


# Pages [first, past) of a table, an open end when None.
Blocks = tuple[int | None, int | None]
# A range of pages of a counter table, whose stored digest the first free session computes.
Chunk = tuple[str, str, Blocks]  # table, span, pages
# Chunks of the daily counters per session, taken by whichever session is free: the pages do not all
# digest at the same speed (docs/benchmarks.md).
DAILY_CHUNKS = 2


@dataclass(frozen=True)
class Part:
    number: int  # k
    ids: Ids  # the dossiers [first, past)

    def table(self, what: str) -> str:
        return f"{PREFIX}{self.number}_{what}"


@dataclass(frozen=True)
class Computed:
    parts: tuple[Part, ...]
    seconds: tuple[Steps, ...]  # each part's steps, in its session
    spans: tuple[str, ...]  # "day", and the roll-ups' spans for a whole recount

    def balance(self, span: str) -> str:
        """SQL: (unit_id, day, s) rows of every part — the true digests per unit and ``span`` (its first
        day) and the stored ones negated — whose sums per (unit, day) are zero where the stored
        counters are right."""
        return " UNION ALL ".join(
            f"SELECT unit_id, day, s FROM {part.table(f'truth_{span}')} "  # noqa: S608
            f"UNION ALL SELECT unit_id, day, -s FROM {part.table(f'stored_{span}')}"
            for part in self.parts
        )

    def tables(self) -> list[str]:
        return [part.table(what) for part in self.parts for what in _tables(self.spans)]


def sessions() -> int:
    """The number of sessions computing the parts (``MOTCUA_RECOUNT_SESSIONS``, at least 1)."""
    return max(1, int(settings.MOTCUA_RECOUNT_SESSIONS))


def compute(cursor: CursorWrapper, dates: Dates) -> Computed:
    """The parts of the days ``dates`` (module docstring), then the view ``FACTS`` over them, in the
    recounting transaction (``cursor``'s, holding the counters' lock)."""
    n = sessions()
    if n > 1:
        # Alone when this transaction has written (or the view of a failed recount of this session
        # is still there: dropping it would be a write).
        cursor.execute(
            "SELECT txid_current_if_assigned() IS NULL AND to_regclass(%s) IS NULL", [f"pg_temp.{FACTS}"]
        )
        (clean,) = cursor.fetchone()
        n = n if clean else 1
    spans = SPANS if dates == (None, None) else ("day",)
    parts: tuple[Part, ...]
    seconds: tuple[Steps, ...]
    chunks: SimpleQueue[Chunk] = SimpleQueue()
    if n == 1:
        sweep(cursor)
        parts = _split(cursor, 1, chunks, spans)
        seconds = (_compute_part(cursor, part=parts[0], dates=dates, spans=spans, chunks=chunks, alone=True),)
    else:
        # The leftovers are dropped by a session of its own (committed before the parts are created
        # under the same names), so that this transaction still has written nothing when it exports.
        _in_session(sweep)
        cursor.execute("SELECT pg_export_snapshot()")
        (snapshot,) = cursor.fetchone()
        parts = _split(cursor, n, chunks, spans)
        with ThreadPoolExecutor(max_workers=n) as pool:
            work = [
                partial(_compute_part, part=part, dates=dates, spans=spans, chunks=chunks, alone=False)
                for part in parts
            ]
            running = [pool.submit(_in_session, each, snapshot) for each in work]
            seconds = tuple(future.result() for future in running)
    facts = " UNION ALL ".join(f"SELECT * FROM {part.table('facts')}" for part in parts)  # noqa: S608
    cursor.execute(f"CREATE TEMP VIEW {FACTS} AS {facts}")
    return Computed(parts, seconds, spans)


def drop(cursor: CursorWrapper, computed: Computed) -> None:
    """Drop the view and the parts' tables (in the recounting transaction)."""
    cursor.execute(f"DROP VIEW {FACTS}")
    cursor.execute(f"DROP TABLE {', '.join(computed.tables())}")


def _tables(spans: tuple[str, ...]) -> list[str]:
    """The tables of a part besides its facts: true and stored digests per span."""
    return ["facts", *(f"{kind}_{span}" for span in spans for kind in ("truth", "stored"))]


def sweep(cursor: CursorWrapper) -> None:
    """Drop what a failed or rolled-back recount left: part tables (and the view over them, hence
    ``CASCADE``), and the facts table of the versions before the parts."""
    cursor.execute(
        "SELECT quote_ident(relname) FROM pg_class WHERE relkind = 'r' "
        "AND relnamespace = current_schema()::regnamespace "
        "AND (starts_with(relname, %s) OR relname = %s)",
        [PREFIX, FACTS],
    )
    stale = [name for (name,) in cursor.fetchall()]
    if stale:
        cursor.execute(f"DROP TABLE IF EXISTS {', '.join(stale)} CASCADE")
    cursor.execute(f"DROP VIEW IF EXISTS {FACTS}")


def _split(
    cursor: CursorWrapper, n: int, chunks: "SimpleQueue[Chunk]", spans: tuple[str, ...] = SPANS
) -> tuple[Part, ...]:
    """``n`` parts by equal ranges of dossier ids (ids are dense: a sequence); the pages of the counter
    tables of ``spans`` put in ``chunks``: the daily ones in ``DAILY_CHUNKS`` per part, each roll-up in
    one per part. The first and last ranges are open, so a dossier or page outside those read here is
    still in one."""
    if n == 1:
        for table, span in _counter_tables(spans):
            chunks.put((table, span, (None, None)))
        return (Part(0, (None, None)),)
    cursor.execute(f"SELECT min(id), max(id) FROM {Dossier._meta.db_table}")  # noqa: S608
    low, high = cursor.fetchone()
    ids = _ranges(low or 0, (high or 0) + 1, n)
    for table, span in _counter_tables(spans):
        cursor.execute("SELECT pg_relation_size(%s) / current_setting('block_size')::bigint", [table])
        (pages,) = cursor.fetchone()
        for blocks in _ranges(0, int(pages), n * DAILY_CHUNKS if span == "day" else n):
            chunks.put((table, span, blocks))
    return tuple(Part(k, ids[k]) for k in range(n))


def _ranges(low: int, past: int, n: int) -> list[tuple[int | None, int | None]]:
    """[low, past) cut into ``n`` equal ranges, the first open below and the last open above."""
    edges: list[int | None] = [None, *(low + (past - low) * k // n for k in range(1, n)), None]
    return [(edges[k], edges[k + 1]) for k in range(n)]


def _counter_tables(spans: tuple[str, ...]) -> list[tuple[str, str]]:
    """(table, span) of the daily counters and of each roll-up, those of ``spans``."""
    tables = [
        (DailyCounter._meta.db_table, "day"),
        *((model._meta.db_table, span) for model, span in ROLL_UPS),
    ]
    return [(table, span) for table, span in tables if span in spans]


def _in_session[T](work: Callable[[CursorWrapper], T], snapshot: str | None = None) -> T:
    """``work`` in a transaction of a session of its own (on the exported ``snapshot`` if given),
    committed. Runs in any thread: the session is opened and closed here (closing a session rolls
    back what it has not committed)."""
    if snapshot is not None and not re.fullmatch(r"[0-9A-F]+-[0-9A-F]+(-[0-9]+)?", snapshot):
        raise ValueError(f"unexpected snapshot identifier {snapshot!r}")
    session = connections.create_connection(DEFAULT_DB_ALIAS)
    try:
        with session.cursor() as cursor:
            if snapshot is None:
                cursor.execute("BEGIN")
            else:
                cursor.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ WRITE")
                cursor.execute(f"SET TRANSACTION SNAPSHOT '{snapshot}'")
            result = work(cursor)
            cursor.execute("COMMIT")
    finally:
        session.close()
    return result


def _as_bigint(digest: str, span: str = "day") -> str:
    """A day's digests in ``bigint`` (the balance sums them faster than ``numeric``): a day's digest is
    below 2⁴⁰ × its unit's counted numbers (``recount_facts.HASH_MASK``), within bigint up to 2²³ a day.
    A longer period's may not be: left ``numeric``."""
    return f"SELECT unit_id, day, s::bigint AS s FROM ({digest}) d" if span == "day" else digest  # noqa: S608


def _compute_part(
    cursor: CursorWrapper,
    *,
    part: Part,
    dates: Dates,
    spans: tuple[str, ...],
    chunks: "SimpleQueue[Chunk]",
    alone: bool,
) -> Steps:
    """The tables of ``part``: its dossiers' facts (read from whole tables in dossier order from the
    covering indexes of migration ``dossiers.0015``, index-only scans merged, never bitmap scans: in a
    real database the events and papers of a dossier lie months apart); their digest per unit and day,
    and per unit and month, quarter, year for a whole recount; then the digests of the stored counters
    of the ``chunks`` it takes while some are left. With other parts beside it (not ``alone``) it takes
    no parallel workers: the sessions already keep the cores busy, and a parallel aggregate hashes
    every group twice."""
    facts = part.table("facts")
    params = {"date_from": dates[0], "date_to": dates[1]}
    marks = [time.perf_counter()]
    with setting(cursor, "work_mem", WORK_MEM), setting(cursor, "enable_sort", "off"):
        if not alone:
            cursor.execute("SELECT set_config('max_parallel_workers_per_gather', '0', true)")
        with setting(cursor, "enable_bitmapscan", "off"):
            cursor.execute(f"CREATE UNLOGGED TABLE {facts} AS {facts_table_sql(part.ids)}")
        cursor.execute(f"ANALYZE {facts}")
        marks.append(time.perf_counter())
        # Hashed, not sorted (the planner, counting on numeric sums too big for work_mem, would sort).
        truth = part.table("truth_day")
        cursor.execute(f"CREATE UNLOGGED TABLE {truth} AS {_as_bigint(digest_sql(dates, facts))}", params)
        for span in spans[1:]:
            cursor.execute(
                f"CREATE UNLOGGED TABLE {part.table(f'truth_{span}')} AS "  # noqa: S608
                f"SELECT unit_id, date_trunc('{span}', day)::date AS day, sum(s) AS s FROM {truth} GROUP BY 1, 2"
            )
        marks.append(time.perf_counter())
        for table, span in _counter_tables(spans):
            empty = _as_bigint(stored_digest_sql(table, span, "false"), span)
            cursor.execute(f"CREATE UNLOGGED TABLE {part.table(f'stored_{span}')} AS {empty} WITH NO DATA")
        while True:
            try:
                table, span, (first, past) = chunks.get_nowait()
            except Empty:
                break
            where = date_range("day", *dates) if span == "day" else "true"
            if first is not None:
                where += f" AND ctid >= '({int(first)},0)'::tid"
            if past is not None:
                where += f" AND ctid < '({int(past)},0)'::tid"
            stored = _as_bigint(stored_digest_sql(table, span, where), span)
            cursor.execute(f"INSERT INTO {part.table(f'stored_{span}')} {stored}", params)
        marks.append(time.perf_counter())
    return marks[1] - marks[0], marks[2] - marks[1], marks[3] - marks[2]
