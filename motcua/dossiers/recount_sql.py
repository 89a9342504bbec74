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
from motcua.dossiers.models import (
    CountedFacts,
    DailyCounter,
    Dossier,
    DossierComponent,
    DossierEvent,
    MonthlyCounter,
    OpenTimeline,
)

TZ = "Asia/Ho_Chi_Minh"
WORK_MEM = "256MB"

# (metric, day column of ``_f``, number contributed) in the order of ``counters.facts_of``.
# Rows with a NULL day or a number ≤ 0 (or NULL) contribute nothing. A metric is an SQL expression:
# a literal, or for the procedures used (``counters.use_metric``) the prefix and ``procedure_id``.
METRICS: tuple[tuple[str, str, str], ...] = (
    ("'withdrawn'", "wday", "1"),
    ("'results_issued'", "iday", "1"),
    ("'results_electronic'", "iday", "is_result_electronic::int"),
    ("'received'", "rday", "1"),
    ("'received_online'", "rday", "online::int"),
    ("'online_result'", "rday", "(online AND (NOT result_required OR is_result_electronic))::int"),
    ("'online_capable'", "rday", "(online AND level_capable)::int"),
    ("'full_online_eligible'", "rday", "full_online_eligible::int"),
    ("'full_online'", "rday", "(full_online_eligible AND online AND level_full)::int"),
    ("'fee'", "rday", "(fee_vnd > 0)::int"),
    ("'paid_online'", "rday", "(fee_vnd > 0 AND is_paid_online)::int"),
    ("'papers_digitized'", "rday", "(total > 0 AND digitized = total)::int"),
    (
        "'papers_digitized_paper_result'",
        "rday",
        "(total > 0 AND digitized = total AND result_required AND NOT is_result_electronic"
        " AND iday IS NOT NULL)::int",
    ),
    ("'reused'", "rday", "(reused > 0)::int"),
    ("'from_store'", "rday", "(from_store > 0)::int"),
    ("'population_data'", "rday", "(is_vneid_verified OR is_population_data_used OR from_store > 0)::int"),
    ("'components'", "rday", "total"),
    ("'components_digitized'", "rday", "digitized"),
    ("'components_reused'", "rday", "reused"),
    ("'components_from_store'", "rday", "from_store"),
    ("'ended_on_time'", "rday", "(good IS TRUE)::int"),
    ("'ended_late'", "rday", "(good IS FALSE)::int"),
    ("'finished'", "eday", "1"),
    ("'finished_on_time'", "eday", "(good IS TRUE)::int"),
    ("'finished_late'", "eday", "(good IS FALSE)::int"),
    ("'use:3.2:' || procedure_id", "sday", "1"),
    (
        "'use:4.5a:' || procedure_id",
        "rday",
        "(is_vneid_verified OR is_population_data_used OR from_store > 0)::int",
    ),
    ("'use:3.5:' || procedure_id", "rday", "(fee_vnd > 0)::int"),
    ("'use:pay:' || procedure_id", "rday", "is_paid_online::int"),
)


# The month ends T a received dossier was open at and has ended (or issued its result) since
# (``timelines.cutoffs``): one row per T with its 2.1 verdict at T (the open timeline: on time iff T ≤
# ``good_until`` and T < ``late_from``), its terminal verdict, and whether its paper result (4.2) came
# after T. Reads the columns of one ``_f`` row.
PAPER_RESULT = (
    "(total > 0 AND digitized = total AND result_required AND NOT is_result_electronic AND iday IS NOT NULL)"
)
CUTOFF_SELECT = f"""
        SELECT to_char(m - interval '1 day', 'YYYY-MM') AS cut,
               coalesce(ended > t AND (good_until IS NULL OR t <= good_until)
                        AND (late_from IS NULL OR t < late_from), false)::int AS on_time_cut,
               coalesce(ended > t AND good, false)::int AS ended_good_cut,
               coalesce({PAPER_RESULT} AND first_issued > t, false)::int AS paper_cut
        FROM generate_series(date_trunc('month', received_at AT TIME ZONE '{TZ}') + interval '1 month',
                             greatest(ended, CASE WHEN {PAPER_RESULT} THEN first_issued END)
                                 AT TIME ZONE '{TZ}',
                             interval '1 month') AS m
        CROSS JOIN LATERAL (SELECT m AT TIME ZONE '{TZ}' AS t) AS tt
        WHERE received_at IS NOT NULL
          AND t < greatest(ended, CASE WHEN {PAPER_RESULT} THEN first_issued END)"""  # noqa: S608
CUTOFF_METRICS: tuple[tuple[str, str, str], ...] = (
    ("'cutoff_on_time:' || cut", "rday", "on_time_cut"),
    ("'cutoff_ended_on_time:' || cut", "rday", "ended_good_cut"),
    ("'cutoff_paper_later:' || cut", "rday", "paper_cut"),
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
    SELECT d.id AS dossier_id, d.responsible_unit_id AS unit_id, d.procedure_id, d.received_at,
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
           CASE WHEN d.channel = 2 THEN (d.submitted_at AT TIME ZONE '{TZ}')::date END AS sday,
           CASE WHEN d.received_at IS NOT NULL THEN coalesce(d.processed_at, d.returned_at,
               CASE WHEN d.status IN ('stopped', 'rejected', 'withdrawn') THEN d.closed_at END) END AS ended,
           coalesce(h.receipt_due, d.due_at) AS appointment,
           CASE WHEN h.requests IS NULL THEN 0
                ELSE (SELECT count(*) FROM unnest(h.requests) r WHERE r >= d.received_at) END AS requests,
           CASE WHEN h.requests IS NOT NULL
                THEN (SELECT min(r) FROM unnest(h.requests) r WHERE r >= d.received_at) END AS requested,
           CASE WHEN h.requests IS NOT NULL
                THEN (SELECT r FROM unnest(h.requests) r WHERE r >= d.received_at ORDER BY r OFFSET 1 LIMIT 1)
           END AS late_from,
           least(d.processed_at, d.returned_at) AS first_issued,
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
           CASE WHEN appointment IS NULL THEN NULL
                WHEN requested IS NULL OR requested > appointment THEN appointment
                WHEN completed IS NULL THEN NULL
                ELSE appointment + (completed - requested) END AS good_until,
           CASE WHEN ended IS NULL THEN NULL
                WHEN requests > 1 THEN false
                WHEN appointment IS NULL THEN true
                WHEN requests = 1 AND requested <= ended AND completed IS NULL THEN requested <= appointment
                WHEN requests = 1 AND requested <= ended THEN ended - appointment <= completed - requested
                ELSE ended <= appointment END AS good
    FROM f1
    OFFSET 0
)"""  # noqa: S608


DAYS = ("rday", "iday", "eday", "wday", "sday")
GROUPED = (*DAYS, "procedure_id", "cut")


def _grouping(metric: str, day: str) -> tuple[str, ...]:
    """The columns a metric is grouped on besides the unit: its day, and the procedure for a use, the
    month end for a cut-off."""
    if "procedure_id" in metric:
        return (day, "procedure_id")
    return (day, "cut") if "|| cut" in metric else (day,)


def _truth_sql(day_filter: str) -> str:
    """(unit_id, day, metric, value) for every counter of the days passing ``day_filter``: one scan of
    ``_f`` grouped by (unit, day) for each day, and by (unit, day, procedure) for the procedures used,
    all at once (``GROUPING SETS``), then each group's sums unpivoted into metrics. Far cheaper than
    one row per dossier and metric."""
    every = (*METRICS, *CUTOFF_METRICS)
    sums = ",\n       ".join(
        f"(sum({n}) FILTER (WHERE cut IS {'NOT ' if (metric, day, n) in CUTOFF_METRICS else ''}NULL))::bigint"
        f" AS m{i}"
        for i, (metric, day, n) in enumerate(every)
    )
    sets = sorted({_grouping(metric, day) for metric, day, _n in every})

    def selector(columns: tuple[str, ...]) -> int:
        # GROUPING(rday, …, procedure_id): the bits of the columns grouped on are 0, the others 1.
        return sum(1 << (len(GROUPED) - 1 - j) for j, c in enumerate(GROUPED) if c not in columns)

    unpivot = ",\n        ".join(
        f"({selector(_grouping(metric, day))}, "
        f"{metric.replace('procedure_id', 'g.procedure_id').replace('|| cut', '|| g.cut')}, m{i})"
        for i, (metric, day, _n) in enumerate(every)
    )
    grouping_sets = ", ".join("(unit_id, " + ", ".join(columns) + ")" for columns in sets)
    return f"""{_dossiers_sql()}, _x AS (
    SELECT _f.*, c.cut, c.on_time_cut, c.ended_good_cut, c.paper_cut
    FROM _f CROSS JOIN LATERAL (
        SELECT NULL::text AS cut, 0 AS on_time_cut, 0 AS ended_good_cut, 0 AS paper_cut
        UNION ALL{CUTOFF_SELECT}
    ) AS c
)
SELECT g.unit_id, g.day, v.metric, v.value FROM (
    SELECT unit_id, procedure_id, cut, GROUPING({", ".join(GROUPED)}) AS which,
       coalesce({", ".join(DAYS)}) AS day,
       {sums}
    FROM _x
    GROUP BY GROUPING SETS ({grouping_sets})
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
        cursor.execute(
            f"LOCK TABLE {counters}, {MonthlyCounter._meta.db_table}, {OpenTimeline._meta.db_table}, "
            f"{CountedFacts._meta.db_table} "
            f"IN SHARE ROW EXCLUSIVE MODE"
        )
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
        roll_up_months(cursor, date_from, date_to)
        align_open(cursor)
        rewritten = align_snapshots(cursor, date_from, date_to) if snapshots else 0
        cursor.execute("DROP TABLE _recount_truth, _recount_changes")
        cursor.execute("SELECT set_config('work_mem', %s, true)", [work_mem])
    return Outcome(changes, int(changed), rewritten)


def align_open(cursor: CursorWrapper) -> int:
    """``counters.align_open`` for every dossier in SQL: the open timelines of the received dossiers
    without an end (``timelines.open_timeline``: on time until the appointment, plus the applicant's
    time after one request; late from a second request), only the differences written."""
    d, e, o = Dossier._meta.db_table, DossierEvent._meta.db_table, OpenTimeline._meta.db_table
    cursor.execute("DROP TABLE IF EXISTS _recount_open")
    cursor.execute(
        f"""CREATE TEMP TABLE _recount_open ON COMMIT DROP AS
        WITH o AS (
            SELECT d.id AS dossier_id, d.responsible_unit_id AS unit_id, d.received_at,
                   coalesce(h.receipt_due, d.due_at) AS appointment, h.requests[1] AS r1, h.requests[2] AS r2
            FROM {d} d
            LEFT JOIN LATERAL (
                SELECT (array_agg(x.due_at ORDER BY x.at, x.id) FILTER (WHERE x.kind = 'received'))[1]
                           AS receipt_due,
                       array_agg(x.at ORDER BY x.at)
                           FILTER (WHERE x.kind = 'supplement_requested' AND x.at >= d.received_at) AS requests
                FROM {e} x WHERE x.dossier_id = d.id AND x.kind IN ('received', 'supplement_requested')
            ) AS h ON true
            WHERE d.received_at IS NOT NULL AND d.processed_at IS NULL AND d.returned_at IS NULL
              AND NOT (d.status IN ('stopped', 'rejected', 'withdrawn') AND d.closed_at IS NOT NULL)
        ), c AS (
            SELECT o.*, (SELECT min(x.at) FROM {e} x WHERE x.dossier_id = o.dossier_id
                         AND x.kind = 'supplement_completed' AND x.at >= o.r1) AS c1
            FROM o
        )
        SELECT dossier_id, unit_id, received_at,
               CASE WHEN appointment IS NULL THEN NULL
                    WHEN r1 IS NULL OR r1 > appointment THEN appointment
                    WHEN c1 IS NULL THEN NULL
                    ELSE appointment + (c1 - r1) END AS good_until,
               r2 AS late_from
        FROM c"""  # noqa: S608
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


def roll_up_months(cursor: CursorWrapper, date_from: dt.date | None, date_to: dt.date | None) -> int:
    """``counters.roll_up_months`` in SQL: the months touching the range set to their daily sums,
    only the differences written. Returns the number of rows written."""
    daily, monthly = DailyCounter._meta.db_table, MonthlyCounter._meta.db_table
    first = date_from.replace(day=1) if date_from is not None else None
    last = date_to.replace(day=1) if date_to is not None else None
    d_range, d_params = _range("date_trunc('month', day)::date", first, last)
    m_range, m_params = _range("month", first, last)
    cursor.execute("DROP TABLE IF EXISTS _recount_months")
    cursor.execute(
        f"""CREATE TEMP TABLE _recount_months ON COMMIT DROP AS
        SELECT coalesce(t.unit_id, m.unit_id) AS unit_id, coalesce(t.month, m.month) AS month,
               coalesce(t.metric, m.metric) AS metric, coalesce(t.value, 0) AS new, m.id AS counter_id
        FROM (
            SELECT unit_id, date_trunc('month', day)::date AS month, metric, sum(value)::bigint AS value
            FROM {daily} WHERE {d_range} GROUP BY 1, 2, 3 HAVING sum(value) <> 0
        ) t FULL JOIN (SELECT * FROM {monthly} WHERE {m_range}) m
        ON m.unit_id = t.unit_id AND m.month = t.month AND m.metric = t.metric
        WHERE coalesce(t.value, 0) <> coalesce(m.value, 0) OR t.unit_id IS NULL""",  # noqa: S608
        d_params + m_params,
    )
    cursor.execute(
        f"DELETE FROM {monthly} m USING _recount_months x WHERE m.id = x.counter_id AND x.new = 0"  # noqa: S608
    )
    cursor.execute(
        f"UPDATE {monthly} m SET value = x.new FROM _recount_months x "  # noqa: S608
        f"WHERE m.id = x.counter_id AND x.new <> 0"
    )
    cursor.execute(
        f"INSERT INTO {monthly} (unit_id, month, metric, value) "  # noqa: S608
        f"SELECT unit_id, month, metric, new FROM _recount_months WHERE counter_id IS NULL AND new <> 0"
    )
    cursor.execute("SELECT count(*) FROM _recount_months")
    (written,) = cursor.fetchone()
    cursor.execute("DROP TABLE _recount_months")
    return int(written)


def align_snapshots(cursor: CursorWrapper, date_from: dt.date | None, date_to: dt.date | None) -> int:
    """Rewrite the snapshots that differ from (facts in range) ∪ (old snapshot entries outside the
    range), built per dossier in ``_encode``'s order; a dossier left without facts gets ``[]`` only if
    it had a snapshot (as ``counters.recount``). Every snapshot belongs to a dossier (``CASCADE``), so
    one pass over the dossiers joined to their snapshots sees them all. Returns the number written."""
    snapshots = CountedFacts._meta.db_table
    v_range, params = _range("v.day", date_from, date_to)
    r_range, r_params = _range("_f.rday", date_from, date_to)
    params = params + r_params
    values = ",\n            ".join(f"({m}, {day}, {n})" for m, day, n in METRICS)
    kept = f"""
        SELECT _f.unit_id AS unit, to_char(v.day, 'YYYY-MM-DD') AS day, v.metric, v.n::bigint AS n
        FROM (VALUES
            {values}
        ) AS v (metric, day, n)
        WHERE v.day IS NOT NULL AND v.n > 0 AND {v_range}
        UNION ALL
        SELECT _f.unit_id, to_char(_f.rday, 'YYYY-MM-DD'), v.metric, v.n::bigint
        FROM ({CUTOFF_SELECT}
        ) AS c CROSS JOIN LATERAL (VALUES
            ('cutoff_on_time:' || c.cut, c.on_time_cut),
            ('cutoff_ended_on_time:' || c.cut, c.ended_good_cut),
            ('cutoff_paper_later:' || c.cut, c.paper_cut)
        ) AS v (metric, n)
        WHERE v.n > 0 AND {r_range}"""  # noqa: S608
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
