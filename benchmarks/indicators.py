"""The QĐ 766 indicator benchmark of issue 6 (docs/benchmarks.md, "Chỉ số 766 từ bộ đếm"):

(a) the set-based recount (``dossiers.recount_sql``) of every dossier: once from empty counters
    (writes every counter and snapshot, committed), then steady runs (nothing to change, rolled back),
    split into counters alone and snapshots alone;
(b) the Python recount (``dossiers.counters.recount``) — run it on a small copy (``--python``),
    it is extrapolated linearly;
(c) the board from the counters for every unit of the province, one month and one year
    (``indicators.ranking.score_units``) and the province's full board (``indicators.board.build_board``);
(d) the plain ``GROUP BY`` over all dossiers (+ their papers and events for 2.1) for the same units
    and periods, and a check that (c) and (d) give the same numbers.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_ind .venv/bin/python benchmarks/indicators.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_ind_s .venv/bin/python benchmarks/indicators.py --python

The database comes from ``benchmarks/indicators_data.py N``.
"""

import argparse
import datetime as dt
import os
import statistics
import time
from collections.abc import Callable
from typing import Any

from _common import machine, setup

setup()

from django.db import connection, transaction  # noqa: E402

from motcua.dossiers import counters, recount_sql  # noqa: E402
from motcua.dossiers.models import CountedFacts, DailyCounter, OpenTimeline  # noqa: E402
from motcua.indicators.board import build_board  # noqa: E402
from motcua.indicators.counters import COUNTED  # noqa: E402
from motcua.indicators.formulas import FORMULAS  # noqa: E402
from motcua.indicators.ranking import score_units  # noqa: E402
from motcua.indicators.rulebooks import rulebook_for  # noqa: E402
from motcua.indicators.scope import scope_for  # noqa: E402
from motcua.organizations.models import Level, Unit  # noqa: E402

WARMUP = 1  # untimed calls before the timed ones of (c) and (d) (``--warmup``)
MONTH = (dt.date(2026, 9, 1), dt.date(2026, 9, 30))
QUARTER = (dt.date(2026, 7, 1), dt.date(2026, 9, 30))
YEAR = (dt.date(2025, 1, 1), dt.date(2025, 12, 31))
HALF_MONTH = (dt.date(2026, 9, 1), dt.date(2026, 9, 15))  # past, not ending at a month end: the slow path
# Counted indicators also compared with their formula (the oracle, reading the dossiers) for the province.
ORACLE_KEYS = (
    "on_time",
    "digitized",
    "dossier_satisfaction",
    "online_services_used",
    "payment_procedures_integrated",
    "payment_procedures_transacted",
    "population_data_procedures",
)
# Metrics compared between the counters and the plain GROUP BY, per unit.
PLAIN_METRICS = ("received", "online_result", "fee", "paid_online", "papers_digitized")

PLAIN_SQL = """
WITH d AS (
    SELECT d.id, d.responsible_unit_id AS unit_id, d.received_at, d.due_at, d.channel, d.fee_vnd,
           d.is_paid_online, d.is_result_electronic, p.result_required,
           coalesce(d.processed_at, d.returned_at,
                    CASE WHEN d.status IN ('stopped', 'rejected', 'withdrawn') THEN d.closed_at END) AS ended
    FROM dossiers_dossier d JOIN catalog_procedure p ON p.id = d.procedure_id
    WHERE d.received_at >= %(start)s AND d.received_at < %(end)s AND d.received_at <= %(as_of)s
), h AS (
    SELECT d.*, c.total, c.digitized,
           coalesce(e.receipt_due, d.due_at) AS appointment, e.requests, e.requested, e.completions,
           CASE WHEN d.ended IS NOT NULL AND d.ended <= %(as_of)s THEN d.ended ELSE %(as_of)s END AS end0
    FROM d
    LEFT JOIN LATERAL (
        SELECT count(*) AS total, count(*) FILTER (WHERE x.is_digitized) AS digitized
        FROM dossiers_dossiercomponent x WHERE x.dossier_id = d.id AND x.is_provided
    ) c ON true
    LEFT JOIN LATERAL (
        SELECT (array_agg(e.due_at ORDER BY e.at, e.id) FILTER (WHERE e.kind = 'received'))[1] AS receipt_due,
               count(*) FILTER (WHERE e.kind = 'supplement_requested' AND e.at >= d.received_at
                                AND e.at <= %(as_of)s) AS requests,
               min(e.at) FILTER (WHERE e.kind = 'supplement_requested' AND e.at >= d.received_at
                                 AND e.at <= %(as_of)s) AS requested,
               array_agg(e.at) FILTER (WHERE e.kind = 'supplement_completed' AND e.at <= %(as_of)s) AS completions
        FROM dossiers_dossierevent e
        WHERE e.dossier_id = d.id AND e.kind IN ('received', 'supplement_requested', 'supplement_completed')
    ) e ON true
), v AS (
    SELECT h.*, (SELECT min(x) FROM unnest(h.completions) x WHERE x >= h.requested) AS completed FROM h
)
SELECT unit_id,
       count(*) AS received,
       count(*) FILTER (WHERE channel = 2 AND (NOT result_required OR is_result_electronic)) AS online_result,
       count(*) FILTER (WHERE fee_vnd > 0) AS fee,
       count(*) FILTER (WHERE fee_vnd > 0 AND is_paid_online) AS paid_online,
       count(*) FILTER (WHERE total > 0 AND digitized = total) AS papers_digitized,
       count(*) FILTER (WHERE CASE
           WHEN requests > 1 THEN false
           WHEN appointment IS NULL THEN true
           WHEN requests = 1 AND requested <= end0 AND completed IS NULL THEN requested <= appointment
           WHEN requests = 1 AND requested <= end0 THEN end0 - appointment <= completed - requested
           ELSE end0 <= appointment END) AS on_time
FROM v GROUP BY unit_id
"""


def times(fn: Callable[[], object], runs: int, warmup: int = 1, budget: float = 90.0) -> list[float]:
    """Seconds per call: ``runs`` calls after ``warmup`` untimed ones, fewer (at least 2) once
    ``budget`` seconds are spent (the slow baselines at 10 M dossiers)."""
    for _ in range(warmup):
        fn()
    samples: list[float] = []
    for _ in range(runs):
        if len(samples) >= 2 and sum(samples) > budget:
            break
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return samples


def show(name: str, samples: list[float]) -> None:
    unit, scale = ("ms", 1000.0) if max(samples) < 10 else ("s", 1.0)
    print(
        f"{name:<58} median {statistics.median(samples) * scale:9.1f} {unit}   "
        f"max {max(samples) * scale:9.1f} {unit}   (n={len(samples)})   load {os.getloadavg()[0]:.1f}",
        flush=True,
    )


def data_size() -> str:
    with connection.cursor() as cursor:
        parts = []
        for table in ("dossiers_dossier", "dossiers_dossierevent", "dossiers_dossiercomponent",
                      "dossiers_dailycounter", "dossiers_monthlycounter", "dossiers_opentimeline",
                      "dossiers_countedfacts"):  # fmt: skip
            cursor.execute(
                "SELECT reltuples::bigint, pg_total_relation_size(%s) FROM pg_class WHERE relname = %s",
                [table, table],
            )
            rows, size = cursor.fetchone()
            parts.append(f"{table.removeprefix('dossiers_')} {rows:,} rows {size / 2**30:.1f} GB")
        cursor.execute("SELECT pg_database_size(current_database())")
        (total,) = cursor.fetchone()
    return "; ".join(parts) + f"; database {total / 2**30:.1f} GB"


def first_recount(snapshots: bool = True) -> None:
    """One committed recount before anything is timed: from empty counters (a fresh benchmark database)
    it writes every counter and snapshot (``snapshots=False``: the counters, roll-ups and open
    timelines only); afterwards it only catches up with facts added to the code since the last run, so
    that the steady runs below change nothing."""
    start = time.perf_counter()
    with transaction.atomic():
        outcome = recount_sql.recount_outcome(fetch=False, snapshots=snapshots)
    print(f"(a) committed SQL recount ({outcome.changed:,} counters, {outcome.snapshots:,} snapshots "
          f"written): {time.perf_counter() - start:.1f} s", flush=True)  # fmt: skip
    if outcome.changed or outcome.snapshots:
        tables = [DailyCounter, *(model for model, _span in counters.ROLL_UPS), OpenTimeline, CountedFacts]
        with connection.cursor() as cursor:
            for table in tables:
                cursor.execute(f"VACUUM ANALYZE {table._meta.db_table}")


def recount_part(runs: int, with_snapshots: bool = True) -> None:
    statements: list[tuple[float, str]] = []

    def timed(execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any) -> Any:
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            statements.append((time.perf_counter() - start, " ".join(sql.split())[:80]))

    parts: list[tuple[float, float, float]] = []

    def steady(**options: Any) -> Callable[[], None]:
        def run() -> None:
            statements.clear()
            with connection.execute_wrapper(timed), transaction.atomic():
                outcome = recount_sql.recount_outcome(fetch=False, **options)
                transaction.set_rollback(True)
            if outcome.changed or outcome.snapshots:
                raise SystemExit(f"a steady recount changed something: {outcome}")
            parts[:] = outcome.parts

        return run

    show("(a) SQL recount, counters only, steady", times(steady(snapshots=False), runs, warmup=0))
    print(f"    {len(parts)} sessions computed the parts of the last run (facts, digest, stored digest):")
    for k, (facts, digest, stored) in enumerate(parts):
        print(f"    part {k}: {facts:7.1f} s {digest:7.1f} s {stored:7.1f} s")
    print("    statements of the last run (the recounting session) taking 0.5 s or more:")
    for seconds, sql in statements:
        if seconds >= 0.5:
            print(f"    {seconds:7.1f} s  {sql}")
    if not with_snapshots:
        return
    show("(a) SQL recount, full (counters + snapshots), steady", times(steady(), runs, warmup=0))

    def snapshots_only() -> None:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL work_mem = '256MB'")
            recount_sql.create_facts(cursor)
            written = recount_sql.align_snapshots(cursor, None, None)
            transaction.set_rollback(True)
        if written:
            raise SystemExit(f"{written} snapshots differed")

    show(
        "(a) SQL snapshot comparison only (with the facts table it reads)",
        times(snapshots_only, runs, warmup=0),
    )


def python_part(runs: int) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM dossiers_dossier")
        (n,) = cursor.fetchone()

    def run() -> None:
        with transaction.atomic():
            counters.recount()
            transaction.set_rollback(True)

    samples = times(run, runs)
    show(f"(b) Python recount, {n:,} dossiers", samples)
    print(f"    → {n / statistics.median(samples):,.0f} dossiers/s; 10 M ≈ "
          f"{10_000_000 / n * statistics.median(samples) / 60:,.0f} min (linear extrapolation)")  # fmt: skip


def plain(date_from: dt.date, date_to: dt.date, as_of: dt.datetime) -> dict[int, dict[str, int]]:
    scope = scope_for(Unit.objects.filter(level=Level.PROVINCE).get(), date_from, date_to)
    with connection.cursor() as cursor:
        cursor.execute("SET work_mem = '256MB'")
        cursor.execute(PLAIN_SQL, {"start": scope.start, "end": scope.end, "as_of": as_of})
        names = [c.name for c in cursor.description]
        return {row[0]: dict(zip(names[1:], row[1:], strict=True)) for row in cursor.fetchall()}


def counter_sums(date_from: dt.date, date_to: dt.date) -> dict[int, dict[str, int]]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT unit_id, metric, sum(value) FROM dossiers_dailycounter WHERE day BETWEEN %s AND %s "
            "AND metric = ANY(%s) GROUP BY unit_id, metric",
            [date_from, date_to, list(PLAIN_METRICS)],
        )
        found: dict[int, dict[str, int]] = {}
        for unit_id, metric, total in cursor.fetchall():
            found.setdefault(unit_id, dict.fromkeys(PLAIN_METRICS, 0))[metric] = int(total)
        return found


def board_period(
    units: list[Unit], province: Unit, label: str, date_from: dt.date, date_to: dt.date, runs: int
) -> None:
    book = rulebook_for(date_to)
    scope = scope_for(province, date_from, date_to)
    show(f"(c) score_units, {len(units)} units, {label}",
         times(lambda: score_units(units, book, date_from, date_to), runs, WARMUP))  # fmt: skip
    show(f"(d) plain GROUP BY over dossiers (+papers, events), {label}",
         times(lambda: plain(date_from, date_to, scope.as_of), max(3, runs // 2), WARMUP))  # fmt: skip
    # agreement: per unit, every compared metric; 2.1 numerator for the province
    baseline = plain(date_from, date_to, scope.as_of)
    counted = counter_sums(date_from, date_to)
    same = {u: {m: v[m] for m in PLAIN_METRICS} for u, v in baseline.items()} == {
        u: v for u, v in counted.items() if any(v.values())
    }
    on_time = COUNTED["on_time"](scope_for(province, date_from, date_to))
    plain_on_time = sum(v["on_time"] for v in baseline.values())
    plain_received = sum(v["received"] for v in baseline.values())
    print(f"    agreement {label}: {len(baseline)} units × {PLAIN_METRICS} equal: {same}; 2.1 province "
          f"counters {on_time.numerator:,}/{on_time.denominator:,} vs plain {plain_on_time:,}/{plain_received:,}")  # fmt: skip
    for key in ORACLE_KEYS:
        start = time.perf_counter()
        oracle = FORMULAS[key](scope_for(province, date_from, date_to))
        seconds = time.perf_counter() - start
        counted_ratio = COUNTED[key](scope_for(province, date_from, date_to))
        print(f"    {key}: counters {counted_ratio.numerator:,}/{counted_ratio.denominator:,} "
              f"formula {oracle.numerator:,}/{oracle.denominator:,} ({seconds:.1f} s) "
              f"{'equal' if counted_ratio == oracle else 'DIFFERENT'}", flush=True)  # fmt: skip
    show(f"(c) build_board(province), {label}",
         times(lambda: build_board(province, date_from, date_to, None), runs, WARMUP))  # fmt: skip


def board_part(runs: int) -> None:
    units = list(Unit.objects.filter(is_active=True))
    province = next(u for u in units if u.level == Level.PROVINCE)
    board_period(units, province, "one month", *MONTH, runs)
    book = rulebook_for(QUARTER[1])
    show(f"(c) score_units, {len(units)} units, one quarter",
         times(lambda: score_units(units, book, *QUARTER), runs, WARMUP))  # fmt: skip
    board_period(units, province, "one year", *YEAR, runs)
    book = rulebook_for(HALF_MONTH[1])
    show(f"(c) score_units, {len(units)} units, half a month (past, mid-month end: dossiers read)",
         times(lambda: score_units(units, book, *HALF_MONTH), 2, 0))  # fmt: skip


def scores_part(runs: int) -> None:
    units = list(Unit.objects.filter(is_active=True))
    for label, (date_from, date_to) in (("one month", MONTH), ("one quarter", QUARTER), ("one year", YEAR)):
        book = rulebook_for(date_to)
        show(f"(c) score_units, {len(units)} units, {label}",
             times(lambda: score_units(units, book, date_from, date_to), runs, WARMUP))  # fmt: skip  # noqa: B023


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--python", action="store_true", help="(b) only: the Python recount (small database)")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument(
        "--recount-runs", type=int, default=3, help="runs of each steady recount (minutes each)"
    )
    parser.add_argument("--skip-recount", action="store_true")
    parser.add_argument("--skip-board", action="store_true")
    parser.add_argument(
        "--scores-only", action="store_true", help="(c) score_units only: one month, quarter and year"
    )
    parser.add_argument("--warmup", type=int, default=1, help="untimed calls before the board timings")
    parser.add_argument(
        "--counters-only", action="store_true", help="(a) without the snapshots (first and steady recounts)"
    )
    args = parser.parse_args()
    global WARMUP
    WARMUP = args.warmup
    print(f"{machine()} · nproc {os.cpu_count()} · {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC")
    print(data_size(), flush=True)
    if args.python:
        python_part(args.runs)
        return
    if args.scores_only:
        scores_part(args.runs)
        return
    if not args.skip_recount:
        first_recount(snapshots=not args.counters_only)
    if not args.skip_board:
        board_part(args.runs)
    if not args.skip_recount and args.recount_runs > 0:
        recount_part(args.recount_runs, with_snapshots=not args.counters_only)


if __name__ == "__main__":
    main()
