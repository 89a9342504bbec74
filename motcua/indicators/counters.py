"""QĐ 766 dossier indicators read from the live per-day counters (``dossiers.counters``).

Each ratio is a SUM of ``DailyCounter`` rows over (units of the scope × local days of the period),
so its cost grows with units × days, not with dossiers; ``prime`` reads many scopes (a ranking, the
months of a trend) with one grouped query per period. Each equals the formula of the same key in
``indicators.formulas`` (the recomputation oracle; tests ``test_counters_equal_formulas``) as long as
no dossier time lies after the moment the period is looked at (``Scope.as_of``: the period end, or
now) — true for live data, whose times are never in the future.

2.1 (on time) is counted for dossiers with a terminal status when they end; a dossier of the period
not ended by ``as_of`` (still open, or, for a past period, ended after it) is judged at ``as_of`` one
by one (the rule in ``dossiers.ontime``), so only the dossiers open at the period end are read.
"""

from collections import Counter, defaultdict
from collections.abc import Callable, Sequence

from django.db.models import Exists, OuterRef, Q, Sum

from motcua.dossiers.counters import CLOSING, on_time_verdicts
from motcua.dossiers.models import DailyCounter, Rating
from motcua.feedback.models import Feedback
from motcua.indicators import formulas
from motcua.indicators.formulas import FORMULAS
from motcua.indicators.formulas.base import Ratio, received
from motcua.indicators.formulas.dossiers import all_papers_digitized, result_issued_by
from motcua.indicators.scope import Scope


def prime(scopes: Sequence[Scope]) -> None:
    """Read the counter sums and the 2.1 correction of many scopes at once: one grouped query over
    ``DailyCounter`` and one over the dossiers not ended by ``as_of`` per distinct period (a ranking of
    every unit of a province for a month costs two queries, whatever the number of units or dossiers).
    Results are cached on each scope (``sums``, ``on_time``)."""
    fresh = [scope for scope in scopes if "feedback" not in scope.cache]
    if fresh:
        formulas.prime(fresh)
    todo: dict[tuple[object, ...], list[Scope]] = defaultdict(list)
    for scope in scopes:
        if "counters" not in scope.cache:
            todo[(scope.date_from, scope.date_to, scope.start, scope.end, scope.as_of)].append(scope)
    for group in todo.values():
        first = group[0]
        unit_ids = sorted({pk for scope in group for pk in scope.unit_ids})
        per_unit: dict[int, Counter[str]] = defaultdict(Counter)
        rows = (
            DailyCounter.objects.filter(
                unit_id__in=unit_ids, day__gte=first.date_from, day__lte=first.date_to
            )
            .order_by()
            .values_list("unit_id", "metric")
            .annotate(total=Sum("value"))
        )
        for unit_id, metric, total in rows:
            per_unit[unit_id][metric] += int(total or 0)
        correction: Counter[int] = Counter()
        not_ended = dict(_not_ended(unit_ids, first))
        for pk, (terminal, now_good) in on_time_verdicts(not_ended, first.as_of).items():
            correction[not_ended[pk]] += int(now_good) - int(bool(terminal))
        paper_later = Counter(unit for _pk, unit in _paper_result_later(unit_ids, first))
        unhappy: Counter[int] = Counter()
        complained = dict(_complained(unit_ids, first))
        for pk, (_terminal, now_good) in on_time_verdicts(complained, first.as_of).items():
            unhappy[complained[pk]] += int(now_good)
        for scope in group:
            totals: Counter[str] = Counter()
            for pk in scope.unit_ids:
                totals.update(per_unit.get(pk, Counter()))
            scope.cache["counters"] = dict(totals)
            scope.cache["on_time_correction"] = sum(correction[pk] for pk in scope.unit_ids)
            scope.cache["on_time_unhappy"] = sum(unhappy[pk] for pk in scope.unit_ids)
            scope.cache["paper_result_later"] = sum(paper_later[pk] for pk in scope.unit_ids)


def sums(scope: Scope) -> dict[str, int]:
    """Every metric summed over the scope's units and days (cached on the scope)."""
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
    dissatisfied or are the subject of a PAKN received by ``as_of`` (few: read one by one)."""
    feedback = Feedback.objects.filter(dossier=OuterRef("pk"), received_at__lte=scope.as_of)
    return list(
        received(scope, unit_ids)
        .filter(Q(rating=Rating.DISSATISFIED) | Q(Exists(feedback)))
        .order_by()
        .values_list("pk", "responsible_unit_id")
    )


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
}


def formula_for(key: str) -> Callable[[Scope], Ratio]:
    """What the boards, reports and API compute for formula ``key``: its counter-based form when there
    is one (cost ∝ units × days), else the formula itself (``indicators.formulas``, the oracle)."""
    return COUNTED.get(key) or FORMULAS[key]
