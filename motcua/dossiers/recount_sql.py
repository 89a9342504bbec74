"""Set-based recount of the live counters on PostgreSQL: the same result as ``counters.recount`` (the
same ``DailyCounter`` rows, the same ``CountedFacts`` snapshots, the same ``Change`` list), computed by
a few SQL statements over the dossier table instead of dossier by dossier in Python (issue 6: a full
recomputation of 10 M dossiers within a minute, docs/benchmarks.md).

The facts are those of ``counters.facts_of`` (VPCP "Mô tả công thức tính chỉ số 766", domain-research
§2.2; module docstring of ``dossiers.counters``), written once more in SQL:

- local day = ``(ts AT TIME ZONE 'Asia/Ho_Chi_Minh')::date`` (``core.worktime.to_local``);
- papers = the provided components aggregated per dossier; history = the ``received``,
  ``supplement_requested`` and ``supplement_completed`` events aggregated per dossier;
- QĐ 766 2.1 terminal verdict exactly as ``verdict(row, history, FOREVER)`` (``dossiers.ontime``):
  the appointment of the first ``received`` event by (at, id), else the dossier's ``due_at``; the
  requests at or after reception; more than one ⇒ late; one request: the first completion at or after
  it subtracts (completed − requested) from the end, no completion ⇒ end = the request time; no
  appointment ⇒ on time. ``end − (completed − requested) ≤ due`` is evaluated as ``end − due ≤
  completed − requested`` (exact interval arithmetic, no calendar days involved).

Writing: the truth is aggregated into a temporary table and only the differences are applied
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

from motcua.catalog.models import Procedure
from motcua.dossiers.counters import Change
from motcua.dossiers.models import CountedFacts, DailyCounter, Dossier, DossierComponent, DossierEvent

TZ = "Asia/Ho_Chi_Minh"
WORK_MEM = "256MB"

# (metric, day column of ``_f``, number contributed) in the order of ``counters.facts_of``.
# Rows with a NULL day or a number ≤ 0 (or NULL) contribute nothing.
METRICS: tuple[tuple[str, str, str], ...] = (
    ("withdrawn", "wday", "1"),
    ("results_issued", "iday", "1"),
    ("results_electronic", "iday", "is_result_electronic::int"),
    ("received", "rday", "1"),
    ("received_online", "rday", "online::int"),
    ("online_result", "rday", "(online AND (NOT result_required OR is_result_electronic))::int"),
    ("online_capable", "rday", "(online AND level_capable)::int"),
    ("full_online_eligible", "rday", "full_online_eligible::int"),
    ("full_online", "rday", "(full_online_eligible AND online AND level_full)::int"),
    ("fee", "rday", "(fee_vnd > 0)::int"),
    ("paid_online", "rday", "(fee_vnd > 0 AND is_paid_online)::int"),
    ("papers_digitized", "rday", "(total > 0 AND digitized = total)::int"),
    (
        "papers_digitized_paper_result",
        "rday",
        "(total > 0 AND digitized = total AND result_required AND NOT is_result_electronic"
        " AND iday IS NOT NULL)::int",
    ),
    ("reused", "rday", "(reused > 0)::int"),
    ("from_store", "rday", "(from_store > 0)::int"),
    ("population_data", "rday", "(is_vneid_verified OR is_population_data_used OR from_store > 0)::int"),
    ("components", "rday", "total"),
    ("components_digitized", "rday", "digitized"),
    ("components_reused", "rday", "reused"),
    ("components_from_store", "rday", "from_store"),
    ("ended_on_time", "rday", "(good IS TRUE)::int"),
    ("ended_late", "rday", "(good IS FALSE)::int"),
    ("finished", "eday", "1"),
    ("finished_on_time", "eday", "(good IS TRUE)::int"),
    ("finished_late", "eday", "(good IS FALSE)::int"),
)


def _dossiers_sql(*, with_snapshot: bool = False) -> str:
    """``_f``: one row per dossier with its unit, its four days (reception ``rday``, result ``iday``,
    end ``eday``, withdrawal ``wday``) and every column the metrics read, incl. the 2.1 verdict
    ``good`` (NULL when the dossier has not ended), and its stored snapshot ``old`` when
    ``with_snapshot``. ``OFFSET 0`` keeps each level from being
    flattened into its readers, so the per-dossier subqueries run once per dossier."""
    d = Dossier._meta.db_table
    p = Procedure._meta.db_table
    c = DossierComponent._meta.db_table
    e = DossierEvent._meta.db_table
    snapshot_column = ", o.facts AS old" if with_snapshot else ""
    snapshot_join = (
        f"\n    LEFT JOIN {CountedFacts._meta.db_table} o ON o.dossier_id = d.id" if with_snapshot else ""
    )
    return f"""
WITH pap AS (
    SELECT dossier_id, count(*) AS total,
           count(*) FILTER (WHERE is_digitized) AS digitized,
           count(*) FILTER (WHERE is_reused) AS reused,
           count(*) FILTER (WHERE is_from_store) AS from_store
    FROM {c} WHERE is_provided GROUP BY dossier_id
), hist AS (
    SELECT dossier_id,
           (array_agg(due_at ORDER BY at, id) FILTER (WHERE kind = 'received'))[1] AS receipt_due,
           array_agg(at) FILTER (WHERE kind = 'supplement_requested') AS requests,
           array_agg(at) FILTER (WHERE kind = 'supplement_completed') AS completions
    FROM {e} WHERE kind IN ('received', 'supplement_requested', 'supplement_completed')
    GROUP BY dossier_id
), f0 AS (
    SELECT d.id AS dossier_id, d.responsible_unit_id AS unit_id, d.received_at,
           d.channel = 2 AS online, d.fee_vnd, d.is_paid_online, d.is_result_electronic,
           d.is_vneid_verified, d.is_population_data_used,
           p.result_required, p.full_online_eligible,
           (d.online_level IN ('full', 'partial')
               OR (d.online_level = '' AND p.online_level IN ('full', 'partial'))) AS level_capable,
           (d.online_level = 'full' OR (d.online_level = '' AND p.online_level = 'full')) AS level_full,
           coalesce(pap.total, 0) AS total, coalesce(pap.digitized, 0) AS digitized,
           coalesce(pap.reused, 0) AS reused, coalesce(pap.from_store, 0) AS from_store,
           CASE WHEN d.status = 'withdrawn' THEN (d.closed_at AT TIME ZONE '{TZ}')::date END AS wday,
           CASE WHEN p.result_required
                THEN (coalesce(d.processed_at, d.returned_at) AT TIME ZONE '{TZ}')::date END AS iday,
           (d.received_at AT TIME ZONE '{TZ}')::date AS rday,
           CASE WHEN d.received_at IS NOT NULL THEN coalesce(d.processed_at, d.returned_at,
               CASE WHEN d.status IN ('stopped', 'rejected', 'withdrawn') THEN d.closed_at END) END AS ended,
           coalesce(h.receipt_due, d.due_at) AS appointment,
           CASE WHEN h.requests IS NULL THEN 0
                ELSE (SELECT count(*) FROM unnest(h.requests) r WHERE r >= d.received_at) END AS requests,
           CASE WHEN h.requests IS NOT NULL
                THEN (SELECT min(r) FROM unnest(h.requests) r WHERE r >= d.received_at) END AS requested,
           h.completions{snapshot_column}
    FROM {d} d
    JOIN {p} p ON p.id = d.procedure_id
    LEFT JOIN pap ON pap.dossier_id = d.id
    LEFT JOIN hist h ON h.dossier_id = d.id{snapshot_join}
    OFFSET 0
), f1 AS (
    SELECT f0.*,
           CASE WHEN requested IS NOT NULL AND completions IS NOT NULL
                THEN (SELECT min(x) FROM unnest(completions) x WHERE x >= requested) END AS completed
    FROM f0
    OFFSET 0
), _f AS (
    SELECT f1.*, (ended AT TIME ZONE '{TZ}')::date AS eday,
           CASE WHEN ended IS NULL THEN NULL
                WHEN requests > 1 THEN false
                WHEN appointment IS NULL THEN true
                WHEN requests = 1 AND requested <= ended AND completed IS NULL THEN requested <= appointment
                WHEN requests = 1 AND requested <= ended THEN ended - appointment <= completed - requested
                ELSE ended <= appointment END AS good
    FROM f1
    OFFSET 0
)"""  # noqa: S608


DAYS = ("rday", "iday", "eday", "wday")


def _truth_sql(day_filter: str) -> str:
    """(unit_id, day, metric, value) for every counter of the days passing ``day_filter``: one scan of
    ``_f`` grouped by (unit, day) for each of the four days at once (``GROUPING SETS``), then each
    group's sums unpivoted into metrics. Far cheaper than one row per dossier and metric."""
    sums = ",\n       ".join(f"sum({n})::bigint AS m{i}" for i, (_m, _day, n) in enumerate(METRICS))
    # GROUPING(rday, iday, eday, wday): the bit of the day grouped on is 0, the others 1.
    selectors = {day: sum(1 << (3 - j) for j in range(4) if j != i) for i, day in enumerate(DAYS)}
    unpivot = ",\n        ".join(
        f"({selectors[day]}, '{metric}', m{i})" for i, (metric, day, _n) in enumerate(METRICS)
    )
    return f"""{_dossiers_sql()}
SELECT g.unit_id, g.day, v.metric, v.value FROM (
    SELECT unit_id, GROUPING(rday, iday, eday, wday) AS which, coalesce(rday, iday, eday, wday) AS day,
       {sums}
    FROM _f
    GROUP BY GROUPING SETS ((unit_id, rday), (unit_id, iday), (unit_id, eday), (unit_id, wday))
) g CROSS JOIN LATERAL (VALUES
        {unpivot}
    ) AS v (which, metric, value)
WHERE v.which = g.which AND g.day IS NOT NULL AND v.value > 0 AND {day_filter}
"""  # noqa: S608


@dataclass(frozen=True)
class Outcome:
    changes: list[Change]
    changed: int  # number of counters changed (= len(changes) when they were fetched)
    snapshots: int  # snapshots rewritten


def _range(column: str, date_from: dt.date | None, date_to: dt.date | None) -> tuple[str, list[dt.date]]:
    clauses, params = ["true"], []
    if date_from is not None:
        clauses.append(f"{column} >= %s")
        params.append(date_from)
    if date_to is not None:
        clauses.append(f"{column} <= %s")
        params.append(date_to)
    return " AND ".join(clauses), params


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
    counters = DailyCounter._meta.db_table
    g_range, g_params = _range("g.day", date_from, date_to)
    c_range, c_params = _range("c.day", date_from, date_to)
    with connection.cursor() as cursor:
        cursor.execute(f"LOCK TABLE {counters}, {CountedFacts._meta.db_table} IN SHARE ROW EXCLUSIVE MODE")
        cursor.execute("SELECT current_setting('work_mem')")
        (work_mem,) = cursor.fetchone()
        cursor.execute("SELECT set_config('work_mem', %s, true)", [WORK_MEM])
        cursor.execute("DROP TABLE IF EXISTS _recount_truth, _recount_changes")
        cursor.execute(f"CREATE TEMP TABLE _recount_truth ON COMMIT DROP AS {_truth_sql(g_range)}", g_params)
        cursor.execute(
            f"CREATE TEMP TABLE _recount_changes ON COMMIT DROP AS "  # noqa: S608
            f"SELECT coalesce(t.unit_id, c.unit_id) AS unit_id, coalesce(t.day, c.day) AS day, "
            f"coalesce(t.metric, c.metric) AS metric, coalesce(c.value, 0) AS old, "
            f"coalesce(t.value, 0) AS new, c.id AS counter_id "
            f"FROM _recount_truth t FULL JOIN (SELECT * FROM {counters} c WHERE {c_range}) c "
            f"ON c.unit_id = t.unit_id AND c.day = t.day AND c.metric = t.metric "
            f"WHERE coalesce(c.value, 0) <> coalesce(t.value, 0)",
            c_params,
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
        rewritten = align_snapshots(cursor, date_from, date_to) if snapshots else 0
        cursor.execute("DROP TABLE _recount_truth, _recount_changes")
        cursor.execute("SELECT set_config('work_mem', %s, true)", [work_mem])
    return Outcome(changes, int(changed), rewritten)


def align_snapshots(cursor: CursorWrapper, date_from: dt.date | None, date_to: dt.date | None) -> int:
    """Rewrite the snapshots that differ from (facts in range) ∪ (old snapshot entries outside the
    range), built per dossier in ``_encode``'s order; a dossier left without facts gets ``[]`` only if
    it had a snapshot (as ``counters.recount``). Every snapshot belongs to a dossier (``CASCADE``), so
    one pass over the dossiers joined to their snapshots sees them all. Returns the number written."""
    snapshots = CountedFacts._meta.db_table
    v_range, params = _range("v.day", date_from, date_to)
    values = ",\n            ".join(f"('{m}', {day}, {n})" for m, day, n in METRICS)
    kept = f"""
        SELECT _f.unit_id AS unit, to_char(v.day, 'YYYY-MM-DD') AS day, v.metric, v.n::bigint AS n
        FROM (VALUES
            {values}
        ) AS v (metric, day, n)
        WHERE v.day IS NOT NULL AND v.n > 0 AND {v_range}"""  # noqa: S608
    if date_from is not None or date_to is not None:
        inside, outside_params = _range("(e ->> 1)::date", date_from, date_to)
        params = params + outside_params
        kept += f"""
        UNION ALL
        SELECT (e ->> 0)::bigint, e ->> 1, e ->> 2, (e ->> 3)::bigint
        FROM jsonb_array_elements(_f.old) AS e WHERE NOT ({inside})"""  # noqa: S608
    sql = f"""
INSERT INTO {snapshots} (dossier_id, facts)
{_dossiers_sql(with_snapshot=True)}
SELECT dossier_id, new FROM (
    SELECT _f.dossier_id, _f.old, coalesce((
        SELECT jsonb_agg(jsonb_build_array(unit, day, metric, n) ORDER BY unit, day COLLATE "C", metric COLLATE "C")
        FROM ({kept}
        ) AS s
    ), '[]'::jsonb) AS new
    FROM _f
) x
WHERE new <> coalesce(old, '[]'::jsonb)
ON CONFLICT (dossier_id) DO UPDATE SET facts = excluded.facts
"""  # noqa: S608
    cursor.execute(sql, params)
    return int(cursor.rowcount)


def recount(date_from: dt.date | None = None, date_to: dt.date | None = None) -> list[Change]:
    """Same contract as ``counters.recount``: the counters that changed, sorted by (unit, day, metric)."""
    return recount_outcome(date_from, date_to).changes
