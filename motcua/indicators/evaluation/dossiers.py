"""Per-dossier scores of TT 01/2018/TT-VPCP indices 1, 2, 3, 4, 6 and 7 (Điều 14: these are scored per
dossier) for the dossiers of a unit (with its sub-units) that ended in a period.

Which dossiers: those the unit is responsible for whose handling ended in the period — the result
issued (processed, else returned), or the dossier stopped or refused. Open dossiers are scored when
they end; withdrawn and never-received ones have no handling to evaluate.

Data per index (docs/evaluation.md):

1. the end against the legal appointment (``original_due_at``: restarted when a supplementation
   arrives, as the lifecycle does, NĐ 61/2018 Điều 19 khoản 4; not moved by a form 04 rescheduling),
   with the lifecycle's own early/on time/late rule (``dossiers.deadlines.verdict``);
2. the hand-over verdicts of every step (form 05), all bodies together;
3. the supplementation requests (before and after reception) up to the moment looked at;
4. the applicant's rating when given; otherwise the channel: nothing visited (online or postal
   submission with the result online or by post) ⇒ 2, else only the one-stop counter ⇒ 1;
6. the dossier's procedure in the catalog: published in full (7 parts) ⇒ 2, published ⇒ 1, else 0;
7. the applicant's rating when given; otherwise index 1 and any PAKN about an officer's conduct
   (``FeedbackCategory.CONDUCT``) linked to the dossier.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet

from motcua.catalog.models import Component, Procedure, PublicationState, TimeUnit
from motcua.dossiers.deadlines import verdict
from motcua.dossiers.models import Dossier, DossierEvent, DossierStep, ResultDelivery
from motcua.dossiers.workflow import Channel, EventKind, Status
from motcua.feedback.models import DossierRating, Feedback, FeedbackCategory
from motcua.indicators.evaluation import scales
from motcua.indicators.scope import Scope

OfficerKey = tuple[int | None, str]


@dataclass
class DossierScore:
    dossier_id: int
    code: str
    verdict: str
    indices: dict[int, int | None]
    # who handled the dossier → the verdicts of their own steps (index 2 per officer)
    officers: dict[OfficerKey, list[str]] = field(default_factory=dict)


def ended(scope: Scope) -> QuerySet[Dossier]:
    """Dossiers of the unit (and below) whose handling ended in the period, as of ``scope.as_of``."""

    def within(name: str) -> Q:
        return Q(**{f"{name}__gte": scope.start, f"{name}__lt": scope.end, f"{name}__lte": scope.as_of})

    closed = Q(status__in=[Status.STOPPED, Status.REJECTED]) & within("closed_at")
    end = (
        within("processed_at")
        | (Q(processed_at__isnull=True) & within("returned_at"))
        | (Q(processed_at__isnull=True, returned_at__isnull=True) & closed)
    )
    return Dossier.objects.filter(end, responsible_unit_id__in=scope.unit_ids).order_by()


def _end(dossier: Dossier) -> dt.datetime:
    end = dossier.processed_at or dossier.returned_at or dossier.closed_at
    assert end is not None  # noqa: S101  (``ended`` selects only dossiers with an end)
    return end


def _complete_procedures(ids: set[int]) -> set[int]:
    """Procedures whose 7 published parts are all present (NĐ 63/2010 Điều 8 as amended): name,
    sequence, method, components, time limit, subjects, implementing agency."""
    with_components = set(
        Component.objects.filter(procedure_id__in=ids).values_list("procedure_id", flat=True)
    )
    complete = set()
    for pk, name, sequence, method, limit, unit, subjects, agency in Procedure.objects.filter(
        pk__in=ids
    ).values_list(
        "pk", "name", "sequence", "method", "time_limit", "time_unit", "subjects", "implementing_agency"
    ):
        has_limit = unit == TimeUnit.NONE or limit > 0
        if all((name, sequence, method, has_limit, subjects, agency)) and pk in with_components:
            complete.add(pk)
    return complete


def _add(found: dict[OfficerKey, list[str]], user_id: int | None, name: str, verdict_: str = "") -> None:
    key: OfficerKey = (user_id, "") if user_id is not None else (None, name.strip()[:200])
    if key == (None, ""):
        return
    verdicts = found.setdefault(key, [])
    if verdict_:
        verdicts.append(verdict_)


def score_dossiers(scope: Scope) -> list[DossierScore]:
    """Every dossier that ended in the scope's period, with its index scores and officers; cached on
    the scope."""
    if "tt01_dossiers" in scope.cache:
        return scope.cache["tt01_dossiers"]  # type: ignore[no-any-return]
    dossiers = list(
        ended(scope)
        .select_related("procedure")
        .annotate(
            requests=Count(
                "events",
                filter=Q(events__kind=EventKind.SUPPLEMENT_REQUESTED, events__at__lte=scope.as_of),
            )
        )
        .order_by("code")
    )
    ids = [d.pk for d in dossiers]
    ratings = {
        r.dossier_id: r for r in DossierRating.objects.filter(dossier_id__in=ids, created_at__lte=scope.as_of)
    }
    conduct = set(
        Feedback.objects.filter(
            dossier_id__in=ids, category=FeedbackCategory.CONDUCT, received_at__lte=scope.as_of
        ).values_list("dossier_id", flat=True)
    )
    complete = _complete_procedures({d.procedure_id for d in dossiers})
    officers: dict[int, dict[OfficerKey, list[str]]] = defaultdict(dict)
    step_verdicts: dict[int, list[str]] = defaultdict(list)
    steps = DossierStep.objects.filter(dossier_id__in=ids).order_by("dossier_id", "position", "id")
    for dossier_id, user_id, assignee_id, name, finished_at, verdict_ in steps.values_list(
        "dossier_id", "finished_by_id", "assignee_id", "actor_name", "finished_at", "verdict"
    ):
        counted = verdict_ if finished_at is not None and finished_at <= scope.as_of else ""
        step_verdicts[dossier_id].append(counted)
        _add(officers[dossier_id], user_id or assignee_id, name, counted)
    counter = DossierEvent.objects.filter(
        dossier_id__in=ids, kind__in=[EventKind.RECEIVED, EventKind.RETURNED], at__lte=scope.as_of
    ).order_by("dossier_id", "at", "id")
    for dossier_id, user_id, name in counter.values_list("dossier_id", "actor_id", "actor_name"):
        _add(officers[dossier_id], user_id, name)

    result = []
    for dossier in dossiers:
        end = _end(dossier)
        legal_due = dossier.original_due_at or dossier.due_at
        dossier_verdict = verdict(end, legal_due)
        index_1 = scales.by_verdict(dossier_verdict)
        rating = ratings.get(dossier.pk)
        procedure = dossier.procedure
        published = procedure.publication_state == PublicationState.PUBLISHED and (
            procedure.published_on is None
            or dossier.received_at is None
            or procedure.published_on <= dossier.received_at.date()
        )
        indices: dict[int, int | None] = {
            1: index_1,
            2: scales.bodies_time(step_verdicts.get(dossier.pk, [])),
            3: scales.contacts(dossier.requests),
            4: int(rating.index_4) if rating else _bodies_contacted(dossier),
            6: scales.publicity(published, procedure.pk in complete),
            7: int(rating.index_7) if rating else scales.attitude(index_1, dossier.pk in conduct),
        }
        result.append(
            DossierScore(
                dossier_id=dossier.pk,
                code=dossier.code,
                verdict=dossier_verdict,
                indices=indices,
                officers=officers.get(dossier.pk, {}),
            )
        )
    scope.cache["tt01_dossiers"] = result
    return result


def _bodies_contacted(dossier: Dossier) -> int:
    """Index 4 without a rating: the applicant contacted no body when both the submission and the
    result went online or by post; otherwise only the one-stop counter (the counter forwards to every
    other body, liên thông included, so the applicant never has to)."""
    remote = dossier.channel in (Channel.ONLINE, Channel.POSTAL)
    return 2 if remote and dossier.result_delivery != ResultDelivery.COUNTER else 1
