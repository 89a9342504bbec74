"""The dossiers behind an indicator's numbers (click-through from the board): for the dossier-based
sub-indicators, the dossiers counted in the numerator and those in the denominator but not the
numerator. Each definition mirrors its formula in ``indicators.formulas.dossiers`` exactly (same base
queryset, same condition); ``test_ranking_drilldown`` checks the counts equal the formula's numerator
and denominator, so a change to a formula that is not made here fails a test.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from motcua.catalog.models import OnlineLevel
from motcua.dossiers.models import Dossier, DossierComponent, DossierEvent
from motcua.dossiers.workflow import Channel, EventKind, Status
from motcua.indicators.formulas.base import received
from motcua.indicators.ontime import Timeline, is_on_time
from motcua.indicators.scope import Scope

ONLINE_CAPABLE = (OnlineLevel.FULL, OnlineLevel.PARTIAL)
CLOSING = frozenset({Status.STOPPED, Status.REJECTED, Status.WITHDRAWN})


@dataclass(frozen=True)
class Drill:
    """``numerator``: dossiers counted in the numerator; ``rest``: in the denominator only."""

    numerator: QuerySet[Dossier]
    rest: QuerySet[Dossier]


def _split(base: QuerySet[Dossier], condition: Q) -> Drill:
    return Drill(numerator=base.filter(condition), rest=base.exclude(condition))


def _provided(**flags: bool) -> Exists:
    return Exists(DossierComponent.objects.filter(dossier=OuterRef("pk"), is_provided=True, **flags))


def _level_in(levels: tuple[str, ...]) -> Q:
    return Q(online_level__in=levels) | Q(online_level="", procedure__online_level__in=levels)


def _all_papers_digitized() -> Q:
    return Q(_provided()) & ~Q(_provided(is_digitized=False))


def on_time_ids(scope: Scope) -> set[int]:
    """2.1: the received dossiers judged on time, by the same timeline as the formula."""
    requests = DossierEvent.objects.filter(
        dossier=OuterRef("pk"),
        kind=EventKind.SUPPLEMENT_REQUESTED,
        at__gte=OuterRef("received_at"),
        at__lte=scope.as_of,
    ).order_by()
    completions = DossierEvent.objects.filter(
        dossier=OuterRef("pk"),
        kind=EventKind.SUPPLEMENT_COMPLETED,
        at__gte=OuterRef("supplement_at"),
        at__lte=scope.as_of,
    ).order_by("at")
    receipt = DossierEvent.objects.filter(dossier=OuterRef("pk"), kind=EventKind.RECEIVED).order_by(
        "at", "id"
    )
    rows = (
        received(scope)
        .annotate(
            supplement_n=Coalesce(
                Subquery(requests.values("dossier").annotate(n=Count("pk")).values("n")[:1]), 0
            ),
            supplement_at=Subquery(requests.order_by("at").values("at")[:1]),
            completed_at=Subquery(completions.values("at")[:1]),
            appointment=Coalesce(Subquery(receipt.values("due_at")[:1]), F("due_at")),
        )
        .values_list(
            "pk",
            "received_at",
            "appointment",
            "processed_at",
            "returned_at",
            "closed_at",
            "status",
            "supplement_n",
            "supplement_at",
            "completed_at",
        )
    )
    found = set()
    for (
        pk,
        received_at,
        appointment,
        processed,
        returned,
        closed,
        status,
        n,
        requested,
        completed,
    ) in rows.iterator(chunk_size=2000):
        timeline = Timeline(
            received_at=received_at,
            due_at=appointment,
            ended_at=processed or returned or (closed if status in CLOSING else None),
            supplement_requests=n,
            supplement_requested_at=requested,
            supplement_completed_at=completed,
        )
        if is_on_time(timeline, scope.as_of):
            found.add(pk)
    return found


def _on_time(scope: Scope) -> Drill:
    return _split(received(scope), Q(pk__in=on_time_ids(scope)))


def _online_share(scope: Scope) -> Drill:
    condition = Q(channel=Channel.ONLINE) & (
        Q(procedure__result_required=False) | Q(is_result_electronic=True)
    )
    return _split(received(scope), condition)


def _online_share_1217(scope: Scope) -> Drill:
    return _split(received(scope), Q(channel=Channel.ONLINE) & _level_in(ONLINE_CAPABLE))


def _full_online(scope: Scope) -> Drill:
    base = received(scope).filter(procedure__full_online_eligible=True)
    return _split(base, Q(channel=Channel.ONLINE) & _level_in((OnlineLevel.FULL,)))


def _paid_online(scope: Scope) -> Drill:
    return _split(received(scope).filter(fee_vnd__gt=0), Q(is_paid_online=True))


def _electronic_results(scope: Scope) -> Drill:
    base = (
        Dossier.objects.filter(responsible_unit_id__in=scope.unit_ids, procedure__result_required=True)
        .annotate(issued_at=Coalesce("processed_at", "returned_at"))
        .filter(issued_at__gte=scope.start, issued_at__lt=scope.end, issued_at__lte=scope.as_of)
        .order_by()
    )
    return _split(base, Q(is_result_electronic=True))


def _digitized(scope: Scope) -> Drill:
    issued = Q(processed_at__lte=scope.as_of) | Q(returned_at__lte=scope.as_of)
    missing = Q(procedure__result_required=True, is_result_electronic=False) & issued
    return _split(received(scope), _all_papers_digitized() & ~missing)


def _digitized_at_reception(scope: Scope) -> Drill:
    return _split(received(scope), _all_papers_digitized())


def _reused(scope: Scope) -> Drill:
    return _split(received(scope), Q(_provided(is_reused=True)))


def _shared_with_store(scope: Scope) -> Drill:
    return _split(received(scope), Q(_provided(is_from_store=True)))


def _population_data(scope: Scope) -> Drill:
    condition = Q(is_vneid_verified=True) | Q(is_population_data_used=True) | Q(_provided(is_from_store=True))
    return _split(received(scope), condition)


DRILLS: dict[str, Callable[[Scope], Drill]] = {
    "on_time": _on_time,
    "online_share": _online_share,
    "online_share_1217": _online_share_1217,
    "full_online": _full_online,
    "paid_online": _paid_online,
    "electronic_results": _electronic_results,
    "digitized": _digitized,
    "digitized_at_reception": _digitized_at_reception,
    "reused": _reused,
    "shared_with_store": _shared_with_store,
    "population_data_dossiers": _population_data,
}


def drill(formula: str, scope: Scope) -> Drill | None:
    """The dossiers behind ``formula`` (a key of ``FORMULAS``) over ``scope``; None when the formula
    does not count dossiers (publication, PAKN, procedures)."""
    build = DRILLS.get(formula)
    return build(scope) if build is not None else None


def has_drill(formula: str) -> bool:
    return formula in DRILLS


__all__ = ["DRILLS", "Drill", "drill", "has_drill"]
