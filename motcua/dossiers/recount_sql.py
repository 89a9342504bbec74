"""Set-based recount of the live counters on PostgreSQL: the same result as ``counters.recount`` (the
same ``DailyCounter`` rows, the same ``CountedFacts`` snapshots, the same ``Change`` list), computed by
a few SQL statements over the dossier table instead of dossier by dossier in Python (issue 6: a full
recomputation of 10 M dossiers within a minute, docs/benchmarks.md).

The facts and their SQL are in ``dossiers.recount_facts``; they are computed in parts by several
database sessions on one snapshot (``dossiers.recount_parts``).

Comparing: the true counters are first summed per unit and day into a digest (``recount_facts``:
a hashed sum) and compared with the same digest of the stored counters, and the roll-ups
(months, quarters, years) likewise; only the units with a differing day (or period) are recounted value
by value. A steady recount of 10 M dossiers thus reads every dossier once and joins a few million digests
instead of two sets of tens of millions of counters.

Writing: the truth of those units is aggregated into a temporary table and only the differences are applied
(``DELETE`` / ``UPDATE`` / ``INSERT``, no ``TRUNCATE``) in the caller's transaction; snapshots are
rebuilt as ``jsonb`` arrays in ``counters._encode``'s order (unit, day, metric in code-point order) and
rewritten only where they differ, so ``counters.refresh`` keeps working afterwards. The counter and
snapshot tables are locked against concurrent writers (``SHARE ROW EXCLUSIVE``) for the transaction so
that no refresh interleaves with the recount; readers are not blocked.
"""

import datetime as dt
from dataclasses import dataclass

from django.db import connection
from django.db.backends.utils import CursorWrapper
from django.db.models import Model

from motcua.core.pgsettings import setting
from motcua.core.worktime import period_start
from motcua.dossiers import recount_parts
from motcua.dossiers.counters import ROLL_UPS, Change
from motcua.dossiers.models import CountedFacts, DailyCounter, OpenTimeline, RollUpCounter
from motcua.dossiers.recount_facts import (
    CUTS,
    FACTS,
    METRICS,
    Dates,
    cutoff_select,
    date_range,
    truth_sql,
)

# Query parameters: the dates of the range, the units recounted value by value.
Params = dict[str, dt.date | list[int] | None]


@dataclass(frozen=True)
class Outcome:
    changes: list[Change]
    changed: int  # number of counters changed (= len(changes) when they were fetched)
    snapshots: int  # snapshots rewritten
    parts: tuple[recount_parts.Steps, ...]  # per database session computing the facts (``recount_parts``)

    @property
    def sessions(self) -> int:
        return len(self.parts)


def recount_outcome(
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    *,
    fetch: bool = True,
    snapshots: bool = True,
) -> Outcome:
    """``counters.recount`` in SQL (module docstring). ``fetch=False`` counts the changed counters
    without loading them (the first recount of 10 M generated dossiers changes millions);
    ``snapshots=False`` leaves the snapshots alone (benchmark of the counters alone: the snapshots
    must then be aligned before the next ``refresh``)."""
    if connection.vendor != "postgresql":
        raise RuntimeError("recount_sql needs PostgreSQL; use dossiers.counters.recount elsewhere")
    if not connection.in_atomic_block:
        raise RuntimeError("recount_sql runs inside the caller's transaction")
    with connection.cursor() as cursor:
        tables: list[type[Model]] = [
            DailyCounter,
            *(model for model, _span in ROLL_UPS),
            OpenTimeline,
            CountedFacts,
        ]
        cursor.execute(
            f"LOCK TABLE {', '.join(t._meta.db_table for t in tables)} IN SHARE ROW EXCLUSIVE MODE"
        )
        with setting(cursor, "work_mem", recount_parts.WORK_MEM):
            changes, changed, rewritten, parts = _recount(
                cursor, date_from, date_to, fetch=fetch, snapshots=snapshots
            )
    return Outcome(changes, changed, rewritten, parts)


def _recount(
    cursor: CursorWrapper, date_from: dt.date | None, date_to: dt.date | None, *, fetch: bool, snapshots: bool
) -> tuple[list[Change], int, int, tuple[recount_parts.Steps, ...]]:
    """The recount's statements, in the caller's transaction (``recount_outcome``)."""
    params: Params = {"date_from": date_from, "date_to": date_to}
    computed = recount_parts.compute(cursor, (date_from, date_to))
    units = units_differing(cursor, computed)
    changes, changed = (
        _apply(cursor, (date_from, date_to), {**params, "units": units}, fetch=fetch) if units else ([], 0)
    )
    for model, span in ROLL_UPS:
        if date_from is None and date_to is None:
            differing = units_differing(cursor, computed, span)
            if differing:
                roll_up(cursor, model, span, None, None, units=differing)
        else:
            roll_up(cursor, model, span, date_from, date_to)
    align_open(cursor)
    rewritten = align_snapshots(cursor, date_from, date_to) if snapshots else 0
    recount_parts.drop(cursor, computed)
    return changes, changed, rewritten, computed.seconds


def create_facts(cursor: CursorWrapper) -> recount_parts.Computed:
    """``recount_facts.FACTS`` and the digests of a whole recount for the rest of the transaction
    (``recount_parts``); ``recount_parts.drop`` drops them."""
    return recount_parts.compute(cursor, (None, None))


def units_differing(cursor: CursorWrapper, computed: recount_parts.Computed, span: str = "day") -> list[int]:
    """The units with a day (or a period of the roll-up of ``span``, whole recount only) whose true
    digest differs from its stored counters' digest: the parts' digests, the stored ones negated, do
    not sum to zero."""
    # Hashed, not sorted (the parts' tables are not analyzed: the planner would sort millions of rows).
    with setting(cursor, "enable_sort", "off"):
        cursor.execute(
            f"""SELECT DISTINCT unit_id FROM (
                SELECT unit_id, day, sum(s) AS s FROM ({computed.balance(span)}) x GROUP BY unit_id, day
            ) y WHERE s <> 0"""  # noqa: S608
        )
        return sorted(unit for (unit,) in cursor.fetchall())


def _apply(cursor: CursorWrapper, dates: Dates, params: Params, *, fetch: bool) -> tuple[list[Change], int]:
    """Recount the counters of the units ``params["units"]`` value by value: the true values, the
    differences from the stored ones, written as ``DELETE`` / ``UPDATE`` / ``INSERT``."""
    counters = DailyCounter._meta.db_table
    truth = truth_sql(dates, units=True)
    cursor.execute("DROP TABLE IF EXISTS _recount_truth, _recount_changes")
    cursor.execute(f"CREATE TEMP TABLE _recount_truth ON COMMIT DROP AS {truth}", params)
    cursor.execute(
        f"CREATE TEMP TABLE _recount_changes ON COMMIT DROP AS "  # noqa: S608
        f"SELECT coalesce(t.unit_id, c.unit_id) AS unit_id, coalesce(t.day, c.day) AS day, "
        f"coalesce(t.metric, c.metric) AS metric, coalesce(c.value, 0) AS old, "
        f"coalesce(t.value, 0) AS new, c.id AS counter_id "
        f"FROM _recount_truth t FULL JOIN (SELECT * FROM {counters} c "
        f"WHERE {date_range('c.day', *dates)} AND c.unit_id = ANY(%(units)s)) c "
        f"ON c.unit_id = t.unit_id AND c.day = t.day AND c.metric = t.metric "
        f"WHERE coalesce(c.value, 0) <> coalesce(t.value, 0)",
        params,
    )
    changes: list[Change] = []
    if fetch:
        cursor.execute(
            "SELECT unit_id, day, metric, old, new FROM _recount_changes "
            'ORDER BY unit_id, day, metric COLLATE "C"'
        )
        changes = [Change(int(u), d, str(m), int(o), int(n)) for u, d, m, o, n in cursor.fetchall()]
    cursor.execute("SELECT count(*) FROM _recount_changes")
    (changed,) = cursor.fetchone()
    cursor.execute(
        f"DELETE FROM {counters} c USING _recount_changes x WHERE c.id = x.counter_id AND x.new = 0"  # noqa: S608
    )
    cursor.execute(
        f"UPDATE {counters} c SET value = x.new FROM _recount_changes x "  # noqa: S608
        f"WHERE c.id = x.counter_id AND x.new <> 0"
    )
    cursor.execute(
        f"INSERT INTO {counters} (unit_id, day, metric, value) "  # noqa: S608
        f"SELECT unit_id, day, metric, new FROM _recount_changes WHERE counter_id IS NULL AND new <> 0"
    )
    cursor.execute("DROP TABLE _recount_truth, _recount_changes")
    return changes, int(changed)


def align_open(cursor: CursorWrapper) -> int:
    """``counters.align_open`` for every dossier in SQL: the open timelines of the received dossiers
    without an end (``timelines.open_timeline``: on time until the appointment, plus the applicant's
    time after one request; late from a second request), read from the facts table, only the
    differences written."""
    o = OpenTimeline._meta.db_table
    cursor.execute("DROP TABLE IF EXISTS _recount_open")
    cursor.execute(
        f"CREATE TEMP TABLE _recount_open ON COMMIT DROP AS "  # noqa: S608
        f"SELECT dossier_id, unit_id, received_at, good_until, late_from FROM {FACTS} "
        f"WHERE received_at IS NOT NULL AND ended IS NULL"
    )
    cursor.execute(
        f"DELETE FROM {o} t WHERE NOT EXISTS "  # noqa: S608
        f"(SELECT 1 FROM _recount_open x WHERE x.dossier_id = t.dossier_id)"
    )
    gone = cursor.rowcount
    cursor.execute(
        f"""INSERT INTO {o} AS t (dossier_id, unit_id, received_at, good_until, late_from)
        SELECT dossier_id, unit_id, received_at, good_until, late_from FROM _recount_open
        ON CONFLICT (dossier_id) DO UPDATE SET unit_id = excluded.unit_id, received_at = excluded.received_at,
            good_until = excluded.good_until, late_from = excluded.late_from
        WHERE (t.unit_id, t.received_at, t.good_until, t.late_from)
              IS DISTINCT FROM (excluded.unit_id, excluded.received_at, excluded.good_until, excluded.late_from)"""  # noqa: S608
    )
    written = cursor.rowcount
    cursor.execute("DROP TABLE _recount_open")
    return int(gone) + int(written)


def roll_up(
    cursor: CursorWrapper,
    model: type[RollUpCounter],
    span: str,
    date_from: dt.date | None,
    date_to: dt.date | None,
    *,
    units: list[int] | None = None,
) -> int:
    """``counters.roll_up`` of one roll-up in SQL: its periods (``span``) touching the range (of the
    ``units``, all when None) set to their daily sums, only the differences written. Returns the number
    of rows written."""
    daily, rolled = DailyCounter._meta.db_table, model._meta.db_table
    start_from = period_start(date_from, span) if date_from is not None else None
    start_to = period_start(date_to, span) if date_to is not None else None
    params: Params = {"period_from": start_from, "period_to": start_to, "units": units}
    only = " AND unit_id = ANY(%(units)s)" if units is not None else ""
    d_range = date_range(f"date_trunc('{span}', day)::date", start_from, start_to, "period") + only
    r_range = date_range(span, start_from, start_to, "period") + only
    cursor.execute("DROP TABLE IF EXISTS _recount_periods")
    cursor.execute(
        f"""CREATE TEMP TABLE _recount_periods ON COMMIT DROP AS
        SELECT coalesce(t.unit_id, r.unit_id) AS unit_id, coalesce(t.start, r.{span}) AS start,
               coalesce(t.metric, r.metric) AS metric, coalesce(t.value, 0) AS new, r.id AS counter_id
        FROM (
            SELECT unit_id, date_trunc('{span}', day)::date AS start, metric, sum(value)::bigint AS value
            FROM {daily} WHERE {d_range} GROUP BY 1, 2, 3 HAVING sum(value) <> 0
        ) t FULL JOIN (SELECT * FROM {rolled} WHERE {r_range}) r
        ON r.unit_id = t.unit_id AND r.{span} = t.start AND r.metric = t.metric
        WHERE coalesce(t.value, 0) <> coalesce(r.value, 0) OR t.unit_id IS NULL""",  # noqa: S608
        params,
    )
    cursor.execute(
        f"DELETE FROM {rolled} r USING _recount_periods x WHERE r.id = x.counter_id AND x.new = 0"  # noqa: S608
    )
    cursor.execute(
        f"UPDATE {rolled} r SET value = x.new FROM _recount_periods x "  # noqa: S608
        f"WHERE r.id = x.counter_id AND x.new <> 0"
    )
    cursor.execute(
        f"INSERT INTO {rolled} (unit_id, {span}, metric, value) "  # noqa: S608
        f"SELECT unit_id, start, metric, new FROM _recount_periods WHERE counter_id IS NULL AND new <> 0"
    )
    cursor.execute("SELECT count(*) FROM _recount_periods")
    (written,) = cursor.fetchone()
    cursor.execute("DROP TABLE _recount_periods")
    return int(written)


def align_snapshots(cursor: CursorWrapper, date_from: dt.date | None, date_to: dt.date | None) -> int:
    """Rewrite the snapshots that differ from (facts in range) ∪ (old snapshot entries outside the
    range), built per dossier in ``_encode``'s order; a dossier left without facts gets ``[]`` only if
    it had a snapshot (as ``counters.recount``). Every snapshot belongs to a dossier (``CASCADE``), so
    one pass over the facts table (``create_facts``) joined to the snapshots sees them all. Returns the
    number written."""
    snapshots = CountedFacts._meta.db_table
    params = {"date_from": date_from, "date_to": date_to}
    v_range = date_range("v.day", date_from, date_to)
    r_range = date_range("_f.rday", date_from, date_to)
    values = ",\n            ".join(f"({m}, {day}, n{i})" for i, (m, day, _n) in enumerate(METRICS))
    kept = f"""
        SELECT _f.unit_id AS unit, to_char(v.day, 'YYYY-MM-DD') AS day, v.metric, v.n::bigint AS n
        FROM (VALUES
            {values}
        ) AS v (metric, day, n)
        WHERE v.day IS NOT NULL AND v.n > 0 AND {v_range}
        UNION ALL
        SELECT _f.unit_id, to_char(_f.rday, 'YYYY-MM-DD'), v.metric, v.n::bigint
        FROM ({cutoff_select("paper")}
        ) AS c CROSS JOIN LATERAL (VALUES {", ".join(f"({metric}, {n})" for metric, n in CUTS)}) AS v (metric, n)
        WHERE v.n > 0 AND {r_range}"""  # noqa: S608
    if date_from is not None or date_to is not None:
        inside = date_range("(e ->> 1)::date", date_from, date_to)
        kept += f"""
        UNION ALL
        SELECT (e ->> 0)::bigint, e ->> 1, e ->> 2, (e ->> 3)::bigint
        FROM jsonb_array_elements(o.facts) AS e WHERE NOT ({inside})"""  # noqa: S608
    sql = f"""
INSERT INTO {snapshots} (dossier_id, facts)
SELECT dossier_id, new FROM (
    SELECT _f.dossier_id, o.facts AS old, coalesce((
        SELECT jsonb_agg(jsonb_build_array(unit, day, metric, n) ORDER BY unit, day COLLATE "C", metric COLLATE "C")
        FROM ({kept}
        ) AS s
    ), '[]'::jsonb) AS new
    FROM {FACTS} _f LEFT JOIN {snapshots} o ON o.dossier_id = _f.dossier_id
) x
WHERE new <> coalesce(old, '[]'::jsonb)
ON CONFLICT (dossier_id) DO UPDATE SET facts = excluded.facts
"""  # noqa: S608
    cursor.execute(sql, params)
    return int(cursor.rowcount)


def recount(date_from: dt.date | None = None, date_to: dt.date | None = None) -> list[Change]:
    """Same contract as ``counters.recount``: the counters that changed, sorted by (unit, day, metric)."""
    return recount_outcome(date_from, date_to).changes
