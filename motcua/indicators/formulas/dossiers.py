"""Formulas over dossiers: progress (2.1), online share (3.3), full-online (current layout), online
payment (3.6), electronic results (4.1), digitization (4.2), reuse (4.3), data-store sharing (4.4),
population data (4.5b), dossier satisfaction (5.4) and the Decision 1217 online share.

Only fields that both the live services and ``motcua import-dossiers`` fill are read (the dossier's
times and flags, its component flags, its events), so imported and live dossiers give the same
numbers (interchange README: "Indicators computed from imported dossiers must be identical").
Sources: VPCP "Mô tả công thức tính chỉ số 766" and the METRICS sheet (domain-research §2.2).
"""

import datetime as dt
import functools
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from motcua.catalog.models import OnlineLevel
from motcua.dossiers.models import Dossier, DossierComponent, DossierEvent, Rating
from motcua.dossiers.workflow import Channel, EventKind, Status
from motcua.feedback.models import Feedback
from motcua.indicators.formulas.base import NONE, Ratio, issued, ratio, received
from motcua.indicators.ontime import Timeline, is_on_time
from motcua.indicators.scope import Scope

ONLINE_CAPABLE = (OnlineLevel.FULL, OnlineLevel.PARTIAL)
# Statuses whose closing time ends a received dossier (after processed and returned, 2.1 "end").
CLOSING = frozenset({Status.STOPPED, Status.REJECTED, Status.WITHDRAWN})


def provided(**flags: bool) -> Exists:
    return Exists(DossierComponent.objects.filter(dossier=OuterRef("pk"), is_provided=True, **flags))


def level_in(levels: tuple[str, ...]) -> Q:
    """The procedure's online level when the dossier was submitted; the procedure's current level for
    dossiers recorded before the field existed (the same fallback as the export)."""
    return Q(online_level__in=levels) | Q(online_level="", procedure__online_level__in=levels)


@dataclass(frozen=True)
class DossierSet:
    """A dossier indicator, defined once: the dossiers of its denominator and the condition of its
    numerator. The formula counts it; the board's click-through (``indicators.drilldown``) lists it."""

    base: QuerySet[Dossier]
    condition: Q

    def ratio(self) -> Ratio:
        counts = self.base.aggregate(den=Count("pk"), num=Count("pk", filter=self.condition))
        return ratio(counts["num"], counts["den"])


# formula name → the builder of its dossier set, for the dossier-counting formulas below (``counted``)
DOSSIER_SETS: dict[str, Callable[[Scope], DossierSet]] = {}


def counted(build: Callable[[Scope], DossierSet]) -> Callable[[Scope], Ratio]:
    """The formula of a dossier set (its ratio), the set's builder registered under the formula's
    name so the click-through lists exactly the dossiers the formula counts."""
    DOSSIER_SETS[build.__name__] = build

    @functools.wraps(build)
    def formula(scope: Scope) -> Ratio:
        return build(scope).ratio()

    return formula


def result_issued_by(scope: Scope) -> Q:
    """The result is out (processed, or returned) by the cut-off."""
    return Q(processed_at__lte=scope.as_of) | Q(returned_at__lte=scope.as_of)


# --- 2.1 and 5.4: per-dossier verdicts ---------------------------------------------------------------

# What the on-time rule reads of a dossier, in ``timeline_of``'s order.
TIMELINE_FIELDS = (
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


def judged(scope: Scope) -> QuerySet[Dossier]:
    """The received dossiers annotated with what the on-time rule needs: the number of supplement
    requests, the first one and its completion (up to the cut-off), and the appointment given at
    reception (``TIMELINE_FIELDS``)."""
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
    return received(scope).annotate(
        supplement_n=Coalesce(
            Subquery(requests.values("dossier").annotate(n=Count("pk")).values("n")[:1]), 0
        ),
        supplement_at=Subquery(requests.order_by("at").values("at")[:1]),
        completed_at=Subquery(completions.values("at")[:1]),
        appointment=Coalesce(Subquery(receipt.values("due_at")[:1]), F("due_at")),
    )


def timeline_of(
    received_at: dt.datetime,
    appointment: dt.datetime | None,
    processed_at: dt.datetime | None,
    returned_at: dt.datetime | None,
    closed_at: dt.datetime | None,
    status: str,
    supplement_n: int,
    supplement_at: dt.datetime | None,
    completed_at: dt.datetime | None,
) -> Timeline:
    """A row of ``judged(...).values_list(*TIMELINE_FIELDS)`` as the on-time rule's timeline."""
    return Timeline(
        received_at=received_at,
        due_at=appointment,
        ended_at=processed_at or returned_at or (closed_at if status in CLOSING else None),
        supplement_requests=supplement_n,
        supplement_requested_at=supplement_at,
        supplement_completed_at=completed_at,
    )


def _verdicts(scope: Scope) -> dict[str, int]:
    """One pass over the received dossiers: how many, how many on time (2.1), how many neither late
    nor rated dissatisfied nor the subject of a PAKN (5.4). Cached on the scope."""
    if "verdicts" in scope.cache:
        return scope.cache["verdicts"]  # type: ignore[no-any-return]
    rows = (
        judged(scope)
        .annotate(
            has_feedback=Exists(Feedback.objects.filter(dossier=OuterRef("pk"), received_at__lte=scope.as_of))
        )
        .values_list(*TIMELINE_FIELDS, "rating", "has_feedback")
    )
    total = punctual = satisfied = 0
    for *fields, rating, has_feedback in rows.iterator(chunk_size=2000):
        good = is_on_time(timeline_of(*fields), scope.as_of)
        total += 1
        punctual += good
        satisfied += good and rating != Rating.DISSATISFIED and not has_feedback
    result = {"total": total, "on_time": punctual, "satisfied": satisfied}
    scope.cache["verdicts"] = result
    return result


def on_time_ids(scope: Scope) -> set[int]:
    """The received dossiers judged on time (2.1), by the same rows and rule as ``_verdicts``."""
    rows = judged(scope).values_list("pk", *TIMELINE_FIELDS)
    return {
        pk for pk, *fields in rows.iterator(chunk_size=2000) if is_on_time(timeline_of(*fields), scope.as_of)
    }


def on_time(scope: Scope) -> Ratio:
    """2.1: dossiers finished early or on time plus dossiers still in process within their time ÷
    dossiers received in the period (rule in ``indicators.ontime``). The appointment is the one given
    at reception (the ``received`` event): a supplementation is subtracted instead of restarting the
    clock, and a rescheduled appointment (form 04, an apology for lateness) does not make a late
    dossier on time."""
    counts = _verdicts(scope)
    return Ratio(counts["on_time"], counts["total"])


def dossier_satisfaction(scope: Scope) -> Ratio:
    """5.4: (dossiers − dossiers rated dissatisfied, with a PAKN, or late) ÷ dossiers received in the
    period (METRICS wording of "100 % − overdue rate − rate with PAKN/dislike")."""
    counts = _verdicts(scope)
    return Ratio(counts["satisfied"], counts["total"])


# --- online services and payment ---------------------------------------------------------------------


@counted
def online_share(scope: Scope) -> DossierSet:
    """3.3: dossiers received online (``KenhThucHien`` = 2) that, when the procedure issues a document,
    got an electronic result ÷ all dossiers received. The 1.4 sync coefficient is not applied (no
    national-portal sync yet: docs/indicators.md)."""
    condition = Q(channel=Channel.ONLINE) & (
        Q(procedure__result_required=False) | Q(is_result_electronic=True)
    )
    return DossierSet(received(scope), condition)


@counted
def full_online(scope: Scope) -> DossierSet:
    """Current layout, group "online services": full-online dossiers ÷ dossiers of procedures flagged
    eligible for full-online service (METRICS, domain-research §2.5)."""
    qs = received(scope).filter(procedure__full_online_eligible=True)
    return DossierSet(qs, Q(channel=Channel.ONLINE) & level_in((OnlineLevel.FULL,)))


@counted
def paid_online(scope: Scope) -> DossierSet:
    """3.6: dossiers paid online ÷ dossiers with a fee (fee ≠ 0)."""
    return DossierSet(received(scope).filter(fee_vnd__gt=0), Q(is_paid_online=True))


@counted
def online_share_1217(scope: Scope) -> DossierSet:
    """Hải Dương Decision 1217/QĐ-UBND (12/5/2022) Điều 1 khoản 3: dossiers processed online *of
    procedures published as online-capable (level 3/4 = partial/full)* ÷ *all* dossiers the unit
    handled. An online dossier of a procedure not published as online-capable does not count."""
    return DossierSet(received(scope), Q(channel=Channel.ONLINE) & level_in(ONLINE_CAPABLE))


# --- digitization --------------------------------------------------------------------------------------


@counted
def electronic_results(scope: Scope) -> DossierSet:
    """4.1: dossiers with an electronic result ÷ dossiers of procedures that issue a document, counted
    when the result is issued (processed, else returned) in the period."""
    qs = issued(scope).filter(procedure__result_required=True)
    return DossierSet(qs, Q(is_result_electronic=True))


def all_papers_digitized() -> Q:
    return Q(provided()) & ~Q(provided(is_digitized=False))


@counted
def digitized(scope: Scope) -> DossierSet:
    """4.2: dossiers whose every provided paper is digitized and, when the procedure issues a document
    and the result is out, whose result is electronic ÷ dossiers received (seed 001 "hồ sơ đã số hóa")."""
    result_missing = Q(procedure__result_required=True, is_result_electronic=False) & result_issued_by(scope)
    return DossierSet(received(scope), all_papers_digitized() & ~result_missing)


@counted
def digitized_at_reception(scope: Scope) -> DossierSet:
    """Target "digitized at reception" (seed 000, CV 550/VP-NC-KSTTHC): dossiers whose every provided
    paper was digitized ÷ dossiers received."""
    return DossierSet(received(scope), all_papers_digitized())


@counted
def reused(scope: Scope) -> DossierSet:
    """4.3: dossiers with at least one paper reused from digitized data ÷ dossiers received."""
    return DossierSet(received(scope), Q(provided(is_reused=True)))


@counted
def shared_with_store(scope: Scope) -> DossierSet:
    """4.4: dossiers with at least one paper taken from the applicant's data store ÷ dossiers received.
    (An electronic result pushed to the applicant's store also counts nationally; interchange v1 has
    no column for it, so it is left out to keep imported and live numbers equal.)"""
    return DossierSet(received(scope), Q(provided(is_from_store=True)))


@counted
def population_data_dossiers(scope: Scope) -> DossierSet:
    """4.5b: dossiers using population data (account verified with the national ID, a paper from the
    national store, or the population database consulted) ÷ dossiers received."""
    condition = Q(is_vneid_verified=True) | Q(is_population_data_used=True) | Q(provided(is_from_store=True))
    return DossierSet(received(scope), condition)


def synced_to_national_portal(scope: Scope) -> Ratio:
    """1.4: dossiers synced to the national portal ÷ dossiers received. No sync exists yet
    (integrations, a later issue): no data, denominator 0."""
    return NONE
