"""Formulas over dossiers: progress (2.1), online share (3.3), full-online (current layout), online
payment (3.6), electronic results (4.1), digitization (4.2), reuse (4.3), data-store sharing (4.4),
population data (4.5b), dossier satisfaction (5.4) and the Decision 1217 online share.

Only fields that both the live services and ``motcua import-dossiers`` fill are read (the dossier's
times and flags, its component flags, its events), so imported and live dossiers give the same
numbers (interchange README: "Indicators computed from imported dossiers must be identical").
Sources: VPCP "Mô tả công thức tính chỉ số 766" and the METRICS sheet (domain-research §2.2).
"""

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Subquery
from django.db.models.expressions import BaseExpression
from django.db.models.functions import Coalesce

from motcua.catalog.models import OnlineLevel
from motcua.dossiers.models import Dossier, DossierComponent, DossierEvent, Rating
from motcua.dossiers.workflow import Channel, EventKind, Status
from motcua.feedback.models import Feedback
from motcua.indicators.formulas.base import NONE, Ratio, ratio, received
from motcua.indicators.ontime import Timeline, is_on_time
from motcua.indicators.scope import Scope

ONLINE_CAPABLE = (OnlineLevel.FULL, OnlineLevel.PARTIAL)
# Statuses whose closing time ends a received dossier (after processed and returned, 2.1 "end").
CLOSING = frozenset({Status.STOPPED, Status.REJECTED, Status.WITHDRAWN})


def _provided(**flags: bool) -> Exists:
    return Exists(DossierComponent.objects.filter(dossier=OuterRef("pk"), is_provided=True, **flags))


def _level_in(levels: tuple[str, ...]) -> Q:
    """The procedure's online level when the dossier was submitted; the procedure's current level for
    dossiers recorded before the field existed (the same fallback as the export)."""
    return Q(online_level__in=levels) | Q(online_level="", procedure__online_level__in=levels)


def _share(qs: QuerySet[Dossier], condition: Q | BaseExpression) -> Ratio:
    counts = qs.aggregate(den=Count("pk"), num=Count("pk", filter=condition))
    return ratio(counts["num"], counts["den"])


def _result_issued(scope: Scope) -> Q:
    return Q(processed_at__lte=scope.as_of) | Q(returned_at__lte=scope.as_of)


# --- 2.1 and 5.4: per-dossier verdicts ---------------------------------------------------------------


def _verdicts(scope: Scope) -> dict[str, int]:
    """One pass over the received dossiers: how many, how many on time (2.1), how many neither late
    nor rated dissatisfied nor the subject of a PAKN (5.4). Cached on the scope."""
    if "verdicts" in scope.cache:
        return scope.cache["verdicts"]  # type: ignore[no-any-return]
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
            has_feedback=Exists(
                Feedback.objects.filter(dossier=OuterRef("pk"), received_at__lte=scope.as_of)
            ),
        )
        .values_list(
            "received_at",
            "appointment",
            "processed_at",
            "returned_at",
            "closed_at",
            "status",
            "rating",
            "supplement_n",
            "supplement_at",
            "completed_at",
            "has_feedback",
        )
    )
    total = punctual = satisfied = 0
    for (
        received_at,
        appointment,
        processed_at,
        returned_at,
        closed_at,
        status,
        rating,
        supplement_n,
        supplement_at,
        completed_at,
        has_feedback,
    ) in rows.iterator(chunk_size=2000):
        closing = closed_at if status in CLOSING else None
        timeline = Timeline(
            received_at=received_at,
            due_at=appointment,
            ended_at=processed_at or returned_at or closing,
            supplement_requests=supplement_n,
            supplement_requested_at=supplement_at,
            supplement_completed_at=completed_at,
        )
        good = is_on_time(timeline, scope.as_of)
        total += 1
        punctual += good
        satisfied += good and rating != Rating.DISSATISFIED and not has_feedback
    result = {"total": total, "on_time": punctual, "satisfied": satisfied}
    scope.cache["verdicts"] = result
    return result


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


def online_share(scope: Scope) -> Ratio:
    """3.3: dossiers received online (``KenhThucHien`` = 2) that, when the procedure issues a document,
    got an electronic result ÷ all dossiers received. The 1.4 sync coefficient is not applied (no
    national-portal sync yet: docs/indicators.md)."""
    condition = Q(channel=Channel.ONLINE) & (
        Q(procedure__result_required=False) | Q(is_result_electronic=True)
    )
    return _share(received(scope), condition)


def full_online(scope: Scope) -> Ratio:
    """Current layout, group "online services": full-online dossiers ÷ dossiers of procedures flagged
    eligible for full-online service (METRICS, domain-research §2.5)."""
    qs = received(scope).filter(procedure__full_online_eligible=True)
    return _share(qs, Q(channel=Channel.ONLINE) & _level_in((OnlineLevel.FULL,)))


def paid_online(scope: Scope) -> Ratio:
    """3.6: dossiers paid online ÷ dossiers with a fee (fee ≠ 0)."""
    return _share(received(scope).filter(fee_vnd__gt=0), Q(is_paid_online=True))


def online_share_1217(scope: Scope) -> Ratio:
    """Hải Dương Decision 1217/QĐ-UBND (12/5/2022) Điều 1 khoản 3: dossiers processed online *of
    procedures published as online-capable (level 3/4 = partial/full)* ÷ *all* dossiers the unit
    handled. An online dossier of a procedure not published as online-capable does not count."""
    return _share(received(scope), Q(channel=Channel.ONLINE) & _level_in(ONLINE_CAPABLE))


# --- digitization --------------------------------------------------------------------------------------


def electronic_results(scope: Scope) -> Ratio:
    """4.1: dossiers with an electronic result ÷ dossiers of procedures that issue a document, counted
    when the result is issued (processed, else returned) in the period."""
    issued = Coalesce("processed_at", "returned_at")
    qs = (
        Dossier.objects.filter(responsible_unit_id__in=scope.unit_ids, procedure__result_required=True)
        .annotate(issued_at=issued)
        .filter(issued_at__gte=scope.start, issued_at__lt=scope.end, issued_at__lte=scope.as_of)
        .order_by()
    )
    return _share(qs, Q(is_result_electronic=True))


def _all_papers_digitized() -> Q:
    return _provided() & ~_provided(is_digitized=False)


def digitized(scope: Scope) -> Ratio:
    """4.2: dossiers whose every provided paper is digitized and, when the procedure issues a document
    and the result is out, whose result is electronic ÷ dossiers received (seed 001 "hồ sơ đã số hóa")."""
    result_missing = Q(procedure__result_required=True, is_result_electronic=False) & _result_issued(scope)
    return _share(received(scope), _all_papers_digitized() & ~result_missing)


def digitized_at_reception(scope: Scope) -> Ratio:
    """Target "digitized at reception" (seed 000, CV 550/VP-NC-KSTTHC): dossiers whose every provided
    paper was digitized ÷ dossiers received."""
    return _share(received(scope), _all_papers_digitized())


def reused(scope: Scope) -> Ratio:
    """4.3: dossiers with at least one paper reused from digitized data ÷ dossiers received."""
    return _share(received(scope), _provided(is_reused=True))


def shared_with_store(scope: Scope) -> Ratio:
    """4.4: dossiers with at least one paper taken from the applicant's data store ÷ dossiers received.
    (An electronic result pushed to the applicant's store also counts nationally; interchange v1 has
    no column for it, so it is left out to keep imported and live numbers equal.)"""
    return _share(received(scope), _provided(is_from_store=True))


def population_data_dossiers(scope: Scope) -> Ratio:
    """4.5b: dossiers using population data (account verified with the national ID, a paper from the
    national store, or the population database consulted) ÷ dossiers received."""
    condition = Q(is_vneid_verified=True) | Q(is_population_data_used=True) | Q(_provided(is_from_store=True))
    return _share(received(scope), condition)


def synced_to_national_portal(scope: Scope) -> Ratio:
    """1.4: dossiers synced to the national portal ÷ dossiers received. No sync exists yet
    (integrations, a later issue): no data, denominator 0."""
    return NONE
