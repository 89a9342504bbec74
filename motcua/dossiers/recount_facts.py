"""The facts of the set-based recount (``dossiers.recount_sql``) in SQL: one row per dossier with
everything its counted facts read (``dossiers_sql``), grouped per unit and day (``truth_sql``: the true
value of every counter), and the digest of those values per unit and day (``digest_sql``) that lets a
steady recount compare 10 M dossiers' counters without joining tens of millions of rows.

The facts are those of ``counters.facts_of`` (VPCP "Mô tả công thức tính chỉ số 766", domain-research
§2.2; module docstring of ``dossiers.counters``), written once more in SQL:

- local day = ``(ts AT TIME ZONE INTERVAL '+07:00')::date`` (``core.worktime.to_local``: Vietnam's
  fixed offset, see ``TZ``);
- papers = the provided components aggregated per dossier; the first ``received`` event by (at, id)
  (``DISTINCT ON``, read in that order from its index: no sort); the ``supplement_requested`` and
  ``supplement_completed`` events aggregated per dossier;
- QĐ 766 2.1 terminal verdict exactly as ``verdict(row, history, FOREVER)`` (``dossiers.ontime``):
  the appointment of the first ``received`` event by (at, id), else the dossier's ``due_at``; the
  requests at or after reception; more than one ⇒ late; one request: the first completion at or after
  it subtracts (completed − requested) from the end, no completion ⇒ end = the request time; no
  appointment ⇒ on time. ``end − (completed − requested) ≤ due`` is evaluated as ``end − due ≤
  completed − requested`` (exact interval arithmetic, no calendar days involved).

The digest of a unit's day is Σ h(metric)·value over its counters, h a 40-bit odd hash (PostgreSQL's
``hashtextextended``, ``hashed``): linear, so a month's digest is the sum of its days' and missing
counters weigh as zeros. Two days with equal digests hold the same values unless their difference
cancels out in the sum — for any given difference about one chance in 2⁴⁰ (one digest of 62 bits in
two sums cost a third more at 10 M dossiers: docs/benchmarks.md); every day whose digest differs is
compared value by value.
"""

import datetime as dt

from motcua.catalog.models import Procedure
from motcua.dossiers.models import Dossier, DossierComponent, DossierEvent

# Local time: Asia/Ho_Chi_Minh (``core.worktime.TZ``) has been UTC+7 without summer time since 13 June
# 1975, so the SQL converts by the fixed offset — the same instants and days for every dossier, and
# twice as fast as a named zone, which PostgreSQL looks up per value (``tests/test_recount_sql.py``
# compares the two from 1975 to 2100).
TZ = "INTERVAL '+07:00'"

# Dossier ids [first, past), an open end when None.
Ids = tuple[int | None, int | None]

# 4.2: all provided papers digitized and a paper result issued (``counters.facts_of``).
PAPER_RESULT = (
    "(total > 0 AND digitized = total AND result_required AND NOT is_result_electronic AND iday IS NOT NULL)"
)

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
    ("'papers_digitized_paper_result'", "rday", f"{PAPER_RESULT}::int"),
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
# after T. Reads the columns of one facts row (or ``_f`` row).
def cutoff_select(paper: str) -> str:
    """The month ends of one row (the comment above); ``paper``: its 4.2 paper-result flag."""
    return f"""
        SELECT to_char(m - interval '1 day', 'YYYY-MM') AS cut,
               coalesce(ended > t AND (good_until IS NULL OR t <= good_until)
                        AND (late_from IS NULL OR t < late_from), false)::int AS on_time_cut,
               coalesce(ended > t AND good, false)::int AS ended_good_cut,
               coalesce({paper} AND first_issued > t, false)::int AS paper_cut
        FROM generate_series(date_trunc('month', received_at AT TIME ZONE {TZ}) + interval '1 month',
                             greatest(ended, CASE WHEN {paper} THEN first_issued END)
                                 AT TIME ZONE {TZ},
                             interval '1 month') AS m
        CROSS JOIN LATERAL (SELECT m AT TIME ZONE {TZ} AS t) AS tt
        WHERE received_at IS NOT NULL
          AND t < greatest(ended, CASE WHEN {paper} THEN first_issued END)"""  # noqa: S608


# The three numbers of the month ends; their day is the reception day.
CUTOFF_METRICS: tuple[tuple[str, str, str], ...] = (
    ("'cutoff_on_time:' || cut", "rday", "on_time_cut"),
    ("'cutoff_ended_on_time:' || cut", "rday", "ended_good_cut"),
    ("'cutoff_paper_later:' || cut", "rday", "paper_cut"),
)


def dossiers_sql(ids: Ids = (None, None)) -> str:
    """``_f``: one row per dossier with its unit, its five days (reception ``rday``, result ``iday``,
    end ``eday``, withdrawal ``wday``, online submission ``sday``) and every column the metrics read,
    incl. the 2.1 verdict ``good`` (NULL when the dossier has not ended). ``OFFSET 0`` keeps each level
    from being flattened into its readers, so the per-dossier subqueries run once per dossier. ``ids``:
    only the dossiers with an id in [first, past) (``recount_parts``), an open end when None."""
    first, past = ids

    def within(column: str) -> str:
        return (f" AND {column} >= {int(first)}" if first is not None else "") + (
            f" AND {column} < {int(past)}" if past is not None else ""
        )

    d = Dossier._meta.db_table
    p = Procedure._meta.db_table
    c = DossierComponent._meta.db_table
    e = DossierEvent._meta.db_table
    return f"""
WITH pap AS (
    SELECT dossier_id, count(*)::int AS total,
           (count(*) FILTER (WHERE is_digitized))::int AS digitized,
           (count(*) FILTER (WHERE is_reused))::int AS reused,
           (count(*) FILTER (WHERE is_from_store))::int AS from_store
    FROM {c} WHERE is_provided{within("dossier_id")} GROUP BY dossier_id
), rec AS (
    SELECT DISTINCT ON (dossier_id) dossier_id, due_at AS receipt_due
    FROM {e} WHERE kind = 'received'{within("dossier_id")} ORDER BY dossier_id, at, id
), sup AS (
    SELECT dossier_id,
           array_agg(at) FILTER (WHERE kind = 'supplement_requested') AS requests,
           array_agg(at) FILTER (WHERE kind = 'supplement_completed') AS completions
    FROM {e} WHERE (kind = 'supplement_requested' OR kind = 'supplement_completed'){within("dossier_id")}
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
           CASE WHEN d.status = 'withdrawn' THEN (d.closed_at AT TIME ZONE {TZ})::date END AS wday,
           CASE WHEN p.result_required
                THEN (coalesce(d.processed_at, d.returned_at) AT TIME ZONE {TZ})::date END AS iday,
           (d.received_at AT TIME ZONE {TZ})::date AS rday,
           CASE WHEN d.channel = 2 THEN (d.submitted_at AT TIME ZONE {TZ})::date END AS sday,
           CASE WHEN d.received_at IS NOT NULL THEN coalesce(d.processed_at, d.returned_at,
               CASE WHEN d.status IN ('stopped', 'rejected', 'withdrawn') THEN d.closed_at END) END AS ended,
           coalesce(rec.receipt_due, d.due_at) AS appointment,
           CASE WHEN h.requests IS NULL THEN 0
                ELSE (SELECT count(*) FROM unnest(h.requests) r WHERE r >= d.received_at) END AS requests,
           CASE WHEN h.requests IS NOT NULL
                THEN (SELECT min(r) FROM unnest(h.requests) r WHERE r >= d.received_at) END AS requested,
           CASE WHEN h.requests IS NOT NULL
                THEN (SELECT r FROM unnest(h.requests) r WHERE r >= d.received_at ORDER BY r OFFSET 1 LIMIT 1)
           END AS late_from,
           least(d.processed_at, d.returned_at) AS first_issued,
           h.completions
    FROM {d} d
    JOIN {p} p ON p.id = d.procedure_id
    LEFT JOIN pap ON pap.dossier_id = d.id
    LEFT JOIN rec ON rec.dossier_id = d.id
    LEFT JOIN sup h ON h.dossier_id = d.id
    WHERE true{within("d.id")}
    OFFSET 0
), f1 AS (
    SELECT f0.*,
           CASE WHEN requested IS NOT NULL AND completions IS NOT NULL
                THEN (SELECT min(x) FROM unnest(completions) x WHERE x >= requested) END AS completed
    FROM f0
    OFFSET 0
), _f AS (
    SELECT f1.*, (ended AT TIME ZONE {TZ})::date AS eday,
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


# The facts of every dossier (``recount_parts``: a view over the parts' tables).
FACTS = "_recount_facts"


def facts_table_sql(ids: Ids = (None, None)) -> str:
    """One narrow row per dossier with an id in ``ids`` (unit, procedure, its five days, what the month
    ends and the open timeline need, and ``n<i>`` = the number it adds to ``METRICS[i]``), so that the
    dossiers, events and papers are read once per recount."""
    numbers = ",\n       ".join(f"({n})::int AS n{i}" for i, (_metric, _day, n) in enumerate(METRICS))
    return f"""{dossiers_sql(ids)}
SELECT dossier_id, unit_id, procedure_id, rday, iday, eday, wday, sday,
       received_at, ended, good, good_until, late_from, first_issued, {PAPER_RESULT} AS paper,
       {numbers}
FROM _f"""  # noqa: S608


# The facts rows expanded over the month ends (``c``, ``cutoff_select``), only for the dossiers that
# ended (or got their paper result) after the end of their reception month: the others have none.
def month_ends(facts: str = FACTS) -> str:
    """The rows of the table ``facts`` expanded over their month ends (the comment above)."""
    return (
        f"{facts} CROSS JOIN LATERAL ({cutoff_select('paper')}) AS c WHERE received_at IS NOT NULL "
        f"AND greatest(ended, CASE WHEN paper THEN first_issued END) > "
        f"(date_trunc('month', received_at AT TIME ZONE {TZ}) + interval '1 month') AT TIME ZONE {TZ}"
    )


# (metric, number) of the month ends read from ``c``.
CUTS = [(metric.replace("|| cut", "|| c.cut"), f"c.{n}") for metric, _day, n in CUTOFF_METRICS]


def _grouping(metric: str, day: str) -> tuple[str, ...]:
    """The columns a metric is grouped on besides the unit: its day, and the procedure for a use, the
    month end for a cut-off."""
    if "procedure_id" in metric:
        return (day, "procedure_id")
    return (day, "cut") if "|| cut" in metric else (day,)


# Each group: its columns and its metrics (index in METRICS or CUTOFF_METRICS, metric read from ``g``).
GROUPS: tuple[tuple[tuple[str, ...], tuple[tuple[int, str], ...]], ...] = tuple(
    (
        columns,
        tuple(
            (i, metric.replace("procedure_id", "g.key").replace("|| cut", "|| g.key"))
            for i, (metric, day, _n) in enumerate(CUTOFF_METRICS if "cut" in columns else METRICS)
            if _grouping(metric, day) == columns
        ),
    )
    for columns in sorted({_grouping(metric, day) for metric, day, _n in (*METRICS, *CUTOFF_METRICS)})
)


def date_range(column: str, date_from: dt.date | None, date_to: dt.date | None, name: str = "date") -> str:
    """``column`` within [``%(<name>_from)s``, ``%(<name>_to)s``], an open end when the date is None."""
    clauses = ["true"]
    if date_from is not None:
        clauses.append(f"{column} >= %({name}_from)s")
    if date_to is not None:
        clauses.append(f"{column} <= %({name}_to)s")
    return " AND ".join(clauses)


Dates = tuple[dt.date | None, dt.date | None]


def _group_sql(
    columns: tuple[str, ...], metrics: tuple[tuple[int, str], ...], dates: Dates, units: bool
) -> str:
    """One group's sums ``m<i>`` per (unit, day, key) from the facts table, for the days in ``dates``
    and the units ``%(units)s`` when ``units``; the month ends are expanded from the dossiers ended
    (or given their paper result) after the end of their reception month."""
    day = columns[0]
    key = columns[1] if len(columns) > 1 else None
    where = date_range(day, *dates) + (" AND unit_id = ANY(%(units)s)" if units else "")
    if key == "cut":
        sums = ", ".join(f"sum(c.{n})::bigint AS m{i}" for i, (_m, _d, n) in enumerate(CUTOFF_METRICS))
        source = month_ends()
    else:
        sums = ", ".join(f"sum(n{i})::bigint AS m{i}" for i, _metric in metrics)
        source = f"{FACTS} WHERE true"
    keyed = f", {key}" if key else ""
    return (
        f"SELECT unit_id, {day} AS day, {key or 'NULL'}::text AS key, {sums} "  # noqa: S608
        f"FROM {source} AND {day} IS NOT NULL AND {where} GROUP BY unit_id, {day}{keyed}"
    )


# The digest's hash: 40 bits, odd. Wide enough that a difference hides in a day's digest about once in
# 2⁴⁰; narrow enough that a number times the hash stays within bigint (a counted number below 2²³ — a
# year's count of one unit and metric — or a dossier's below 2¹⁸ on each of ≤ 22 metrics of one day):
# past that PostgreSQL raises "bigint out of range", it never wraps.
HASH_MASK = 2**40 - 1


def hashed(metric: str) -> str:
    """The 40-bit odd hash of a metric (the SQL expression ``metric``) from PostgreSQL's 64-bit
    ``hashtextextended``. Constant metrics fold at planning time."""
    return f"((hashtextextended({metric}, 0) & {HASH_MASK}) | 1)"


def truth_sql(dates: Dates, *, units: bool = False) -> str:
    """(unit_id, day, metric, value) of every counter of the days in ``dates`` (of the units
    ``%(units)s`` when ``units``), from the facts table: each group's sums unpivoted into its metrics."""
    return "\nUNION ALL\n".join(
        f"SELECT g.unit_id, g.day, v.metric, v.value FROM ({_group_sql(columns, metrics, dates, units)}) AS g "  # noqa: S608
        f"CROSS JOIN LATERAL (VALUES {', '.join(f'({metric}, g.m{i})' for i, metric in metrics)}) "
        f"AS v (metric, value) WHERE v.value > 0"
        for columns, metrics in GROUPS
    )


def digest_sql(dates: Dates, facts: str = FACTS) -> str:
    """Per (unit_id, day): the digest ``s`` = Σ hash(metric)·value of every counter's true value of the
    days in ``dates`` from the table ``facts``. Being linear, it is summed straight from each dossier's
    weighted numbers per kind of day (reception, result, end, withdrawal, submission, month end), with
    no group per procedure or metric. ``stored_digest_sql`` gives the same of the stored counters; a
    missing counter and a zero one weigh nothing."""

    def weighted(pairs: list[tuple[str, str]]) -> str:
        # A hash per row only where the metric is not a constant and the number not 0.
        return " + ".join(
            f"{hashed(metric)} * {n}"
            if metric.startswith("'") and metric.endswith("'")
            else f"CASE WHEN {n} = 0 THEN 0 ELSE {hashed(metric)} * {n} END"
            for metric, n in pairs
        )

    parts = []
    for day in sorted({day for _metric, day, _n in METRICS}):
        pairs = [
            (metric.replace("procedure_id", "procedure_id::text"), f"n{i}")
            for i, (metric, d, _n) in enumerate(METRICS)
            if d == day
        ]
        parts.append(
            f"SELECT unit_id, {day} AS day, sum({weighted(pairs)}) AS s "  # noqa: S608
            f"FROM {facts} WHERE {day} IS NOT NULL AND {date_range(day, *dates)} GROUP BY unit_id, {day}"
        )
    parts.append(
        f"SELECT unit_id, rday AS day, sum({weighted(CUTS)}) AS s "  # noqa: S608
        f"FROM {month_ends(facts)} AND {date_range('rday', *dates)} GROUP BY unit_id, rday"
    )
    union = "\n    UNION ALL\n    ".join(parts)
    return f"""SELECT unit_id, day, sum(s) AS s FROM (
    {union}
) x GROUP BY unit_id, day"""  # noqa: S608


def stored_digest_sql(table: str, day: str, where: str) -> str:
    """The digest of ``digest_sql`` of the stored counters of ``table`` per (unit_id, ``day``)."""
    return f"""SELECT unit_id, {day} AS day, sum({hashed("metric")} * value) AS s
    FROM {table} WHERE {where} GROUP BY unit_id, {day}"""  # noqa: S608
