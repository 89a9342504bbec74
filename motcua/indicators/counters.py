"""QĐ 766 dossier indicators read from the live per-day counters (``dossiers.counters``).

Each ratio is a SUM of ``DailyCounter`` rows over (units of the scope × local days of the period),
so its cost grows with units × days, not with dossiers. Each equals the formula of the same key in
``indicators.formulas`` (the recomputation oracle; tests ``test_counters_equal_formulas``) as long as
no dossier time lies after the moment the period is looked at (``Scope.as_of``: the period end, or
now) — true for live data, whose times are never in the future.

2.1 (on time) is counted for dossiers with a terminal status when they end; a dossier of the period
not ended by ``as_of`` (still open, or, for a past period, ended after it) is judged at ``as_of`` one
by one (the rule in ``dossiers.ontime``), so only the dossiers open at the period end are read.
"""

from collections.abc import Callable

from django.db.models import Q, Sum

from motcua.dossiers.counters import CLOSING, on_time_verdicts
from motcua.dossiers.models import DailyCounter, Dossier
from motcua.indicators.formulas.base import Ratio
from motcua.indicators.scope import Scope


def sums(scope: Scope) -> dict[str, int]:
    """Every metric summed over the scope's units and days, in one query (cached on the scope)."""
    if "counters" in scope.cache:
        return scope.cache["counters"]  # type: ignore[no-any-return]
    rows = (
        DailyCounter.objects.filter(
            unit_id__in=scope.unit_ids, day__gte=scope.date_from, day__lte=scope.date_to
        )
        .order_by()
        .values("metric")
        .annotate(total=Sum("value"))
    )
    found = {r["metric"]: int(r["total"] or 0) for r in rows}
    scope.cache["counters"] = found
    return found


def _pair(numerator: str, denominator: str) -> Callable[[Scope], Ratio]:
    def counted(scope: Scope) -> Ratio:
        totals = sums(scope)
        return Ratio(totals.get(numerator, 0), totals.get(denominator, 0))

    counted.__doc__ = f"{numerator} ÷ {denominator}, summed over the scope's units and days."
    return counted


def _not_ended(scope: Scope) -> list[int]:
    """Dossiers received in the period whose 2.1 end (processed > returned > closing) is not by
    ``as_of``."""
    as_of = scope.as_of
    ended = (
        Q(processed_at__lte=as_of)
        | Q(processed_at__isnull=True, returned_at__lte=as_of)
        | Q(processed_at__isnull=True, returned_at__isnull=True, status__in=CLOSING, closed_at__lte=as_of)
    )
    return list(
        Dossier.objects.filter(
            responsible_unit_id__in=scope.unit_ids,
            received_at__gte=scope.start,
            received_at__lt=scope.end,
            received_at__lte=as_of,
        )
        .exclude(ended)
        .order_by()
        .values_list("pk", flat=True)
    )


def on_time(scope: Scope) -> Ratio:
    """2.1 from counters: ``ended_on_time`` by reception day, corrected for the dossiers not ended by
    ``as_of`` (their terminal verdict, if any, taken out; their verdict at ``as_of`` put in)."""
    totals = sums(scope)
    numerator = totals.get("ended_on_time", 0)
    for terminal, now_good in on_time_verdicts(_not_ended(scope), scope.as_of).values():
        numerator += int(now_good) - int(bool(terminal))
    return Ratio(numerator, totals.get("received", 0))


COUNTED: dict[str, Callable[[Scope], Ratio]] = {
    "on_time": on_time,
    "online_share": _pair("online_result", "received"),
    "full_online": _pair("full_online", "full_online_eligible"),
    "paid_online": _pair("paid_online", "fee"),
    "online_share_1217": _pair("online_capable", "received"),
    "electronic_results": _pair("results_electronic", "results_issued"),
    "digitized_at_reception": _pair("papers_digitized", "received"),
    "reused": _pair("reused", "received"),
    "shared_with_store": _pair("from_store", "received"),
    "population_data_dossiers": _pair("population_data", "received"),
}
