"""The first pass of the set-based recount (``dossiers.recount_sql``) — every dossier's facts, their
digest per unit and day, and the digest of the stored daily counters — split into parts computed at
once by several database sessions that read one and the same snapshot of the database.

Why: the pass is ~95 % of a steady recount, and one PostgreSQL session computes it on one core (its
merge joins in dossier order do not split between parallel workers: docs/benchmarks.md). With
``MOTCUA_RECOUNT_SESSIONS`` sessions (default 2) a server with as many cores does it that many times
faster; the issue 6 budget is a full recount of 10 M dossiers within a minute.

How, on PostgreSQL: the recounting transaction, once it holds the counters' lock (``recount_sql``:
no refresh can commit until it ends), exports its snapshot (``pg_export_snapshot``); each session opens
a ``REPEATABLE READ`` transaction on that snapshot (``SET TRANSACTION SNAPSHOT``, as ``pg_dump --jobs``
does), so every part sees exactly the dossiers, events, papers and counters the recounting transaction
saw when it took the lock. Part *k* takes the dossiers of the *k*-th id range and the stored counters
of the units with ``mod(unit_id, n) = k``, writes its three results to unlogged tables
``_recount_part<k>_{facts,digest,stored}`` and commits them (other sessions can only read committed
tables). The recounting transaction then reads them: ``_recount_facts`` becomes a temporary view over
the facts parts and ``_recount_digest`` the sum of the digest parts (the digest is linear: a unit's day
sums over its dossiers). It drops the part tables when it ends well; a recount that fails or is rolled
back leaves them to the next one, which, once it holds the lock (recounts exclude each other: the lock
conflicts with itself), has every ``_recount_part…`` table dropped by a session of its own — a drop
of its own would be a write, and the parts could not read its snapshot.

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

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.backends.utils import CursorWrapper

from motcua.core.pgsettings import setting
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
# Seconds a part took for its facts, their digest and the stored digest.
Steps = tuple[float, float, float]
WORK_MEM = "256MB"


@dataclass(frozen=True)
class Part:
    number: int  # k
    of: int  # n
    ids: Ids  # the dossiers [first, past)

    def table(self, what: str) -> str:
        return f"{PREFIX}{self.number}_{what}"


@dataclass(frozen=True)
class Computed:
    parts: tuple[Part, ...]
    seconds: tuple[Steps, ...]  # each part's steps, in its session
    stored: str  # SQL: the stored daily counters' digest (unit_id, day, s0, s1, s2), all parts


def sessions() -> int:
    """The number of sessions computing the parts (``MOTCUA_RECOUNT_SESSIONS``, at least 1)."""
    return max(1, int(settings.MOTCUA_RECOUNT_SESSIONS))


def compute(cursor: CursorWrapper, dates: Dates) -> Computed:
    """The parts of the days ``dates`` (module docstring), then ``FACTS`` and ``_recount_digest`` in the
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
    parts: tuple[Part, ...]
    seconds: tuple[Steps, ...]
    if n == 1:
        sweep(cursor)
        part = Part(0, 1, (None, None))
        parts, seconds = (part,), (_compute_part(cursor, part=part, dates=dates),)
    else:
        # The leftovers are dropped by a session of its own (committed before the parts are created
        # under the same names), so that this transaction still has written nothing when it exports.
        _in_session(sweep)
        cursor.execute("SELECT pg_export_snapshot()")
        (snapshot,) = cursor.fetchone()
        parts = _split(cursor, n)
        with ThreadPoolExecutor(max_workers=n) as pool:
            running = [
                pool.submit(_in_session, partial(_compute_part, part=part, dates=dates), snapshot)
                for part in parts
            ]
            seconds = tuple(future.result() for future in running)
    cursor.execute(f"CREATE TEMP VIEW {FACTS} AS {_union(parts, 'facts')}")
    cursor.execute("DROP TABLE IF EXISTS _recount_digest")
    # Hashed, not sorted (the planner, counting on numeric sums too big for work_mem, would sort).
    with setting(cursor, "enable_sort", "off"):
        cursor.execute(
            f"CREATE TEMP TABLE _recount_digest ON COMMIT DROP AS "  # noqa: S608
            f"SELECT unit_id, day, sum(s0) AS s0, sum(s1) AS s1, sum(s2) AS s2 FROM ({_union(parts, 'digest')}) x "
            f"GROUP BY unit_id, day"
        )
    cursor.execute("ANALYZE _recount_digest")
    return Computed(parts, seconds, _union(parts, "stored"))


def _union(parts: tuple[Part, ...], what: str) -> str:
    """SQL: the rows of the parts' tables ``what``."""
    return " UNION ALL ".join(f"SELECT * FROM {part.table(what)}" for part in parts)  # noqa: S608


def drop(cursor: CursorWrapper, computed: Computed) -> None:
    """Drop the view, the combined digest and the parts' tables (in the recounting transaction)."""
    tables = ", ".join(part.table(what) for part in computed.parts for what in ("facts", "digest", "stored"))
    cursor.execute(f"DROP VIEW {FACTS}")
    cursor.execute(f"DROP TABLE _recount_digest, {tables}")


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


def _split(cursor: CursorWrapper, n: int) -> tuple[Part, ...]:
    """``n`` parts by equal ranges of dossier ids (ids are dense: a sequence); the first and last are
    open, so a dossier outside the ids read here is still in a part."""
    cursor.execute(f"SELECT min(id), max(id) FROM {Dossier._meta.db_table}")  # noqa: S608
    low, high = cursor.fetchone()
    low, high = (low or 0), (high or 0)
    bounds = [low + (high - low + 1) * k // n for k in range(1, n)]
    edges: list[int | None] = [None, *bounds, None]
    return tuple(Part(k, n, (edges[k], edges[k + 1])) for k in range(n))


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


def _compute_part(cursor: CursorWrapper, *, part: Part, dates: Dates) -> Steps:
    """The three tables of ``part``: its dossiers' facts (read from whole tables in dossier order from
    the covering indexes of migration ``dossiers.0015``, index-only scans merged, never bitmap scans: in
    a real database the events and papers of a dossier lie months apart), their digest per unit and
    day, and the stored digest of its units' daily counters."""
    facts = part.table("facts")
    params = {"date_from": dates[0], "date_to": dates[1]}
    marks = [time.perf_counter()]
    with setting(cursor, "work_mem", WORK_MEM):
        with setting(cursor, "enable_bitmapscan", "off"):
            cursor.execute(f"CREATE UNLOGGED TABLE {facts} AS {facts_table_sql(part.ids)}")
        cursor.execute(f"ANALYZE {facts}")
        marks.append(time.perf_counter())
        # Hashed, not sorted, into (unit, day) digests (as ``compute``).
        with setting(cursor, "enable_sort", "off"):
            cursor.execute(
                f"CREATE UNLOGGED TABLE {part.table('digest')} AS {digest_sql(dates, facts)}", params
            )
        marks.append(time.perf_counter())
        mine = f" AND mod(unit_id, {part.of}) = {part.number}" if part.of > 1 else ""
        stored = stored_digest_sql(DailyCounter._meta.db_table, "day", date_range("day", *dates) + mine)
        cursor.execute(f"CREATE UNLOGGED TABLE {part.table('stored')} AS {stored}", params)
        marks.append(time.perf_counter())
    return marks[1] - marks[0], marks[2] - marks[1], marks[3] - marks[2]
