"""QĐ 766 dossier indicators read from the live counters (``dossiers.counters``).

Each ratio is a SUM of counter rows over the units of the scope and the period: the roll-ups
(``YearlyCounter``, ``QuarterlyCounter``, ``MonthlyCounter``) for its whole years, quarters and months,
``DailyCounter`` for the days left at its edges (``core.worktime.cover``), so its cost grows with
units × periods (+ edge days), not with dossiers; ``prime`` reads many scopes (a
ranking, the months of a trend) with one grouped query per period. The procedures used (3.2, 3.5,
the payment transaction row, 4.5a) are the ``use:`` counters with a positive sum. Each equals the formula of the same key in
``indicators.formulas`` (the recomputation oracle; tests ``test_counters_equal_formulas``) as long as
no dossier time lies after the moment the period is looked at (``Scope.as_of``: the period end, or
now) — true for live data, whose times are never in the future.

2.1 (on time) is counted for dossiers with a terminal status when they end; a dossier of the period
not ended by ``as_of`` is judged at ``as_of`` (the rule in ``dossiers.ontime``): when it has ended
since, by the ``cutoff_…`` counters of the month the period ends with; when it is still open, by its
``OpenTimeline`` row (``_corrections``). Only a past custom range not ending at a month end reads
its open dossiers one by one.
"""

import contextlib
import datetime as dt
import json
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from django.db import connection, transaction
from django.db.backends.utils import CursorWrapper
from django.db.models import Count, Q

from motcua.core.pgsettings import setting
from motcua.core.worktime import cover
from motcua.dossiers.counters import CUTOFF_PREFIX, ROLL_UPS, USE_NAMES, USE_PREFIX, parse_use
from motcua.dossiers.models import DailyCounter, OpenTimeline, Rating
from motcua.dossiers.timelines import CLOSING, on_time_verdicts
from motcua.feedback.models import Feedback
from motcua.indicators.formulas import FORMULAS, feedback
from motcua.indicators.formulas.base import Ratio, received
from motcua.indicators.formulas.catalog import ProcedureUse, authority, catalog_of
from motcua.indicators.formulas.dossiers import all_papers_digitized, result_issued_by
from motcua.indicators.scope import Scope


def prime(scopes: Sequence[Scope]) -> None:
    """Read the counter sums and the 2.1 correction of many scopes at once: one grouped query over
    ``DailyCounter`` and one over the dossiers not ended by ``as_of`` per distinct period (a ranking of
    every unit of a province for a month costs two queries, whatever the number of units or dossiers).
    Results are cached on each scope (``sums``, ``on_time``)."""
    fresh = [scope for scope in scopes if "feedback" not in scope.cache]
    if fresh:
        catalog_of(fresh)  # once for the batch, with the procedures of every department in it
        feedback.prime(fresh)
    todo: dict[tuple[object, ...], list[Scope]] = defaultdict(list)
    for scope in scopes:
        if "counters" not in scope.cache:
            todo[(scope.date_from, scope.date_to, scope.start, scope.end, scope.as_of)].append(scope)
    for group in todo.values():
        first = group[0]
        unit_ids = sorted({pk for scope in group for pk in scope.unit_ids})
        per_unit: dict[int, Counter[str]] = defaultdict(Counter)
        used_by: dict[str, dict[int, set[int]]] = defaultdict(lambda: defaultdict(set))
        totals_rows, use_rows = _counter_rows(unit_ids, first.date_from, first.date_to, _cutoff_month(first))
        for unit_id, metric, total in totals_rows:
            per_unit[unit_id][metric] += total
        for unit_id, name, procedures in use_rows:
            used_by[name][unit_id] |= procedures
        correction, paper_later = _corrections(unit_ids, first, per_unit)
        unhappy: Counter[int] = Counter()
        complained = dict(_complained(unit_ids, first))
        for pk, (_terminal, now_good) in on_time_verdicts(complained, first.as_of).items():
            unhappy[complained[pk]] += int(now_good)
        for scope in group:
            totals: dict[str, int] = {}
            for pk in scope.unit_ids:
                for metric, value in per_unit.get(pk, {}).items():
                    totals[metric] = totals.get(metric, 0) + value
            scope.cache["counters"] = totals
            scope.cache["used"] = {
                name: set().union(*(units[pk] for pk in scope.unit_ids if pk in units))
                for name, units in used_by.items()
            }
            scope.cache["on_time_correction"] = sum(correction[pk] for pk in scope.unit_ids)
            scope.cache["on_time_unhappy"] = sum(unhappy[pk] for pk in scope.unit_ids)
            scope.cache["paper_result_later"] = sum(paper_later[pk] for pk in scope.unit_ids)


def _corrections(
    unit_ids: list[int], scope: Scope, per_unit: dict[int, Counter[str]]
) -> tuple[Counter[int], Counter[int]]:
    """Per unit, what the dossiers of the period not ended by ``as_of`` change: in 2.1 (their verdict at
    ``as_of`` in, their terminal verdict out) and in 4.2 (paper results out only after ``as_of``).

    - The period has ended at a month end: those ended since are the ``cutoff_…:<month>`` counters
      (``dossiers.counters.facts_of``), those still open are counted from ``OpenTimeline`` at ``as_of``.
    - The period is running (``as_of`` is now): the dossiers not ended are the open ones.
    - Otherwise (a past custom range not ending at a month end) they are read and judged one by one."""
    correction: Counter[int] = Counter()
    paper_later: Counter[int] = Counter()
    month = _cutoff_month(scope)
    if month is not None or scope.as_of < scope.end:
        correction.update(_open_on_time(unit_ids, scope))
        if month is not None:
            for unit_id, totals in per_unit.items():
                correction[unit_id] += (
                    totals[f"cutoff_on_time:{month}"] - totals[f"cutoff_ended_on_time:{month}"]
                )
                paper_later[unit_id] += totals[f"cutoff_paper_later:{month}"]
        return correction, paper_later
    not_ended = dict(_not_ended(unit_ids, scope))
    for pk, (terminal, now_good) in on_time_verdicts(not_ended, scope.as_of).items():
        correction[not_ended[pk]] += int(now_good) - int(bool(terminal))
    paper_later.update(unit for _pk, unit in _paper_result_later(unit_ids, scope))
    return correction, paper_later


def _cutoff_month(scope: Scope) -> str | None:
    """``"YYYY-MM"`` when the period has ended (``as_of`` is its end) on the last day of that month."""
    if scope.as_of == scope.end and (scope.date_to + dt.timedelta(days=1)).day == 1:
        return f"{scope.date_to:%Y-%m}"
    return None


def _open_on_time(unit_ids: list[int], scope: Scope) -> dict[int, int]:
    """Per unit, the open dossiers received in the period on time at ``as_of`` (``OpenTimeline``)."""
    as_of = scope.as_of
    on_time = (Q(good_until__isnull=True) | Q(good_until__gte=as_of)) & (
        Q(late_from__isnull=True) | Q(late_from__gt=as_of)
    )
    rows = (
        OpenTimeline.objects.filter(
            on_time,
            unit_id__in=unit_ids,
            received_at__gte=scope.start,
            received_at__lt=scope.end,
            received_at__lte=as_of,
        )
        .order_by()
        .values_list("unit_id")
        .annotate(n=Count("pk"))
    )
    return {int(unit_id): int(n) for unit_id, n in rows}


def _counter_rows(
    unit_ids: list[int], date_from: dt.date, date_to: dt.date, cutoff: str | None
) -> tuple[list[tuple[int, str, int]], list[tuple[int, str, frozenset[int]]]]:
    """Over ``[date_from, date_to]``: ``(unit, metric, sum)`` of every metric but the procedures used
    and the month-end facts (``cutoff_…``) of other months than ``cutoff``, and ``(unit, use,
    procedures with a positive sum)`` for the procedures used; the whole years, quarters and months
    from their roll-ups, the edge days from ``DailyCounter`` (``cover``). Plain SQL with the units as
    one array parameter: the ORM's IN list of hundreds of placeholders cost more to build and parse
    than the index-only scans themselves (docs/benchmarks.md)."""
    tables: dict[str, str] = {
        "day": DailyCounter._meta.db_table,
        **{span: model._meta.db_table for model, span in ROLL_UPS},
    }
    units_sql, units_param = _units_filter(unit_ids)
    parts: list[str] = []
    params: list[Any] = []
    for span, first, last in cover(date_from, date_to):
        parts.append(
            f"SELECT unit_id, metric, value FROM {tables[span]} "  # noqa: S608
            f"WHERE {span} >= %s AND {span} <= %s AND {units_sql}"
        )
        params += [first, last, units_param]
    rows = " UNION ALL ".join(parts)
    cutoffs, patterns = "metric NOT LIKE %s ESCAPE '!'", [_prefix(USE_PREFIX), _prefix(CUTOFF_PREFIX)]
    if cutoff is not None:
        cutoffs = f"({cutoffs} OR metric LIKE %s ESCAPE '!')"
        patterns.append(_prefix(CUTOFF_PREFIX) + _literal(f":{cutoff}"))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT unit_id, metric, sum(value) FROM ({rows}) AS c "  # noqa: S608
            f"WHERE metric NOT LIKE %s ESCAPE '!' AND {cutoffs} GROUP BY unit_id, metric",
            params + patterns,
        )
        totals = [(int(unit), metric, int(total)) for unit, metric, total in cursor.fetchall()]
    positive = f"SELECT unit_id, metric FROM ({rows}) AS c WHERE value > 0"  # noqa: S608
    return totals, _procedures_used(positive, params)


def _literal(text: str) -> str:
    """``text`` matched literally by ``LIKE … ESCAPE '!'``."""
    return text.replace("!", "!!").replace("%", "!%").replace("_", "!_")


def _prefix(prefix: str) -> str:
    """The ``LIKE … ESCAPE '!'`` pattern of the metrics starting with ``prefix``."""
    return _literal(prefix) + "%"


def _units_filter(unit_ids: list[int]) -> tuple[str, Any]:
    """``unit_id`` among ``unit_ids`` as one parameter: an array on PostgreSQL, a JSON list on SQLite."""
    if connection.vendor == "postgresql":
        return "unit_id = ANY(%s::bigint[])", list(unit_ids)
    return "unit_id IN (SELECT value FROM json_each(%s))", json.dumps(unit_ids)


def _procedures_used(positive: str, params: list[Any]) -> list[tuple[int, str, frozenset[int]]]:
    """``(unit, use, procedures)`` of the ``use:`` rows of ``positive`` (the counters with a positive
    value: values are counts, never negative, so "a positive sum" = "a positive row"). PostgreSQL
    gathers the procedures itself (one row per unit and use instead of one per procedure); elsewhere
    the metrics are parsed here."""
    uses, params = f"{positive} AND metric LIKE %s ESCAPE '!'", [*params, _prefix(USE_PREFIX)]
    if connection.vendor == "postgresql":
        with _hash_room() as cursor:
            cursor.execute(
                f"SELECT unit_id, split_part(metric, ':', 2), "  # noqa: S608
                f"array_agg(split_part(metric, ':', 3)::int) FROM ({uses}) AS u GROUP BY 1, 2",
                params,
            )
            return [(int(unit), USE_NAMES[code], frozenset(ids)) for unit, code, ids in cursor.fetchall()]
    found: dict[tuple[int, str], set[int]] = defaultdict(set)
    with connection.cursor() as cursor:
        cursor.execute(uses, params)
        for unit_id, metric in cursor.fetchall():
            use = parse_use(metric)
            if use is not None:
                found[(int(unit_id), use[0])].add(use[1])
    return [(unit_id, name, frozenset(ids)) for (unit_id, name), ids in found.items()]


@contextlib.contextmanager
def _hash_room() -> Iterator[CursorWrapper]:
    """A cursor with PostgreSQL's ``work_mem`` at 32 MB for its statements: the planner reckons 8 kB per
    ``array_agg`` group, so it plans the ~1,700 (unit, use) groups of a month (2 MB in fact) as ~20 MB
    and spills them to disk under the stock 4 MB — twice as slow (docs/benchmarks.md)."""
    with transaction.atomic(), connection.cursor() as cursor, setting(cursor, "work_mem", "32MB"):
        yield cursor


def sums(scope: Scope) -> dict[str, int]:
    """Every metric summed over the scope's units and days (cached on the scope)."""
    if "counters" not in scope.cache:
        prime([scope])
    return scope.cache["counters"]  # type: ignore[no-any-return]


def _pair(numerator: str, denominator: str) -> Callable[[Scope], Ratio]:
    def counted(scope: Scope) -> Ratio:
        totals = sums(scope)
        return Ratio(totals.get(numerator, 0), totals.get(denominator, 0))

    counted.__doc__ = f"{numerator} ÷ {denominator}, summed over the scope's units and days."
    return counted


def _not_ended(unit_ids: list[int], scope: Scope) -> list[tuple[int, int]]:
    """``(dossier, responsible unit)`` of the dossiers received in the period whose 2.1 end (processed >
    returned > closing) is not by ``as_of``: only these are judged one by one."""
    as_of = scope.as_of
    ended = (
        Q(processed_at__lte=as_of)
        | Q(processed_at__isnull=True, returned_at__lte=as_of)
        | Q(processed_at__isnull=True, returned_at__isnull=True, status__in=CLOSING, closed_at__lte=as_of)
    )
    return list(received(scope, unit_ids).exclude(ended).order_by().values_list("pk", "responsible_unit_id"))


def on_time(scope: Scope) -> Ratio:
    """2.1 from counters: ``ended_on_time`` by reception day, corrected for the dossiers not ended by
    ``as_of`` (their terminal verdict, if any, taken out; their verdict at ``as_of`` put in)."""
    totals = sums(scope)
    numerator = totals.get("ended_on_time", 0) + int(scope.cache["on_time_correction"])
    return Ratio(numerator, totals.get("received", 0))


def _complained(unit_ids: list[int], scope: Scope) -> list[tuple[int, int]]:
    """``(dossier, responsible unit)`` of the dossiers received in the period that were rated
    dissatisfied or are the subject of a PAKN received by ``as_of`` (few: read one by one, from the
    partial index of dissatisfied ratings and from the PAKN, not from the period's dossiers)."""
    period = received(scope, unit_ids)
    found = set(period.filter(rating=Rating.DISSATISFIED).order_by().values_list("pk", "responsible_unit_id"))
    subjects = sorted(
        set(
            Feedback.objects.filter(dossier__isnull=False, received_at__lte=scope.as_of)
            .order_by()
            .values_list("dossier_id", flat=True)
        )
    )
    for i in range(0, len(subjects), 2000):
        part = subjects[i : i + 2000]
        found |= set(period.filter(pk__in=part).order_by().values_list("pk", "responsible_unit_id"))
    return sorted(found)


def _paper_result_later(unit_ids: list[int], scope: Scope) -> list[tuple[int, int]]:
    """``(dossier, responsible unit)`` of the dossiers of the period with every paper digitized whose
    procedure issues a document, with a paper result issued, but after ``as_of`` (few: results out
    after the cut-off)."""
    return list(
        received(scope, unit_ids)
        .filter(all_papers_digitized(), procedure__result_required=True, is_result_electronic=False)
        .filter(Q(processed_at__isnull=False) | Q(returned_at__isnull=False))
        .exclude(result_issued_by(scope))
        .order_by()
        .values_list("pk", "responsible_unit_id")
    )


def digitized(scope: Scope) -> Ratio:
    """4.2 from counters: the dossiers with every paper digitized, less those whose procedure issues a
    document and whose paper result was out by ``as_of`` (``papers_digitized_paper_result`` counts
    them once the result is out, whenever; those out only after ``as_of`` are put back)."""
    totals = sums(scope)
    numerator = (
        totals.get("papers_digitized", 0)
        - totals.get("papers_digitized_paper_result", 0)
        + int(scope.cache["paper_result_later"])
    )
    return Ratio(numerator, totals.get("received", 0))


def dossier_satisfaction(scope: Scope) -> Ratio:
    """5.4 from counters: the dossiers on time (2.1 above) less those of them rated dissatisfied or
    the subject of a PAKN by ``as_of`` (``indicators.formulas.dossiers.dossier_satisfaction``)."""
    punctual = on_time(scope)
    return Ratio(punctual.numerator - int(scope.cache["on_time_unhappy"]), punctual.denominator)


def _used(use: ProcedureUse) -> Callable[[Scope], Ratio]:
    def counted(scope: Scope) -> Ratio:
        if "used" not in scope.cache:
            prime([scope])
        catalog = catalog_of([scope])
        under = authority(scope, catalog) & use.procedures(catalog)
        used = scope.cache["used"].get(use.name, set())
        return Ratio(len(under & used), len(under))

    counted.__doc__ = f"{use.name}: procedures used in the period read from the ``use:`` counters."
    return counted


COUNTED: dict[str, Callable[[Scope], Ratio]] = {
    "on_time": on_time,
    "dossier_satisfaction": dossier_satisfaction,
    "online_share": _pair("online_result", "received"),
    "full_online": _pair("full_online", "full_online_eligible"),
    "paid_online": _pair("paid_online", "fee"),
    "online_share_1217": _pair("online_capable", "received"),
    "electronic_results": _pair("results_electronic", "results_issued"),
    "digitized": digitized,
    "digitized_at_reception": _pair("papers_digitized", "received"),
    "reused": _pair("reused", "received"),
    "shared_with_store": _pair("from_store", "received"),
    "population_data_dossiers": _pair("population_data", "received"),
    **{key: _used(use) for key, use in FORMULAS.items() if isinstance(use, ProcedureUse)},
}


def formula_for(key: str) -> Callable[[Scope], Ratio]:
    """What the boards, reports and API compute for formula ``key``: its counter-based form when there
    is one (cost ∝ units × days), else the formula itself (``indicators.formulas``, the oracle)."""
    return COUNTED.get(key) or FORMULAS[key]
