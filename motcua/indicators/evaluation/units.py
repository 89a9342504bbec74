"""Per-body TT 01/2018/TT-VPCP indices 5, 8 and 9 (Điều 14: scored per counter or body) for a unit with
its sub-units and a period, from the catalog, the PAKN handled and the online dossiers. Data choices
and what cannot be measured: docs/evaluation.md.
"""

from fractions import Fraction

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet

from motcua.catalog.models import InternalProcess, OnlineLevel, Procedure, ProcedureLevel, ProcessStep
from motcua.dossiers.models import Dossier
from motcua.dossiers.workflow import OPEN, Channel, Status, Verdict
from motcua.feedback.models import Feedback
from motcua.indicators.evaluation import scales
from motcua.indicators.formulas.base import received
from motcua.indicators.scope import Scope
from motcua.organizations.models import Level, Role, Unit


def _level(unit: Unit) -> str:
    """The level whose threshold applies: a department takes the level of the body it belongs to."""
    node: Unit | None = unit
    while node is not None and node.level == Level.DEPARTMENT:
        node = node.parent
    return node.level if node is not None else Level.PROVINCE


def _procedures(scope: Scope) -> QuerySet[Procedure]:
    """The published procedures handled by the unit or a unit below it: those of their levels and
    those their internal processes name (the rule of ``ProcedureQuerySet.handled_by``, over the
    subtree)."""
    levels = set(Unit.objects.filter(pk__in=scope.unit_ids).values_list("level", flat=True))
    ids = scope.unit_ids
    named = Q(processes__unit_id__in=ids) | Q(processes__steps__performing_unit_id__in=ids)
    by_level = Q(level__in=levels & set(ProcedureLevel.values))
    return Procedure.objects.published().filter(by_level | named).distinct()


def _share(numerator: int, denominator: int) -> Fraction | None:
    return Fraction(numerator, denominator) if denominator else None


def counter_share(scope: Scope) -> Fraction | None:
    """Index 5 point 2: share of the unit's published procedures appraised and approved at the
    counter — an internal process of the unit (or of its level) whose every step is a counter
    (receiver) step."""
    other_step = ProcessStep.objects.filter(process=OuterRef("pk")).exclude(role=Role.RECEIVER)
    at_counter = (
        InternalProcess.objects.filter(
            Q(unit_id__in=scope.unit_ids) | Q(unit__isnull=True), steps__isnull=False
        )
        .annotate(other=Exists(other_step))
        .filter(other=False)
        .values("procedure_id")
    )
    counts = _procedures(scope).aggregate(
        den=Count("pk", distinct=True), num=Count("pk", distinct=True, filter=Q(pk__in=at_counter))
    )
    return _share(counts["num"], counts["den"])


def index_5(scope: Scope) -> int | None:
    has_dossiers = received(scope).exists()
    return scales.full_process(counter_share(scope), _level(scope.unit), has_dossiers)


def feedback_counts(scope: Scope) -> tuple[int, int, int]:
    """PAKN sent to or handled by the unit (and below) received in the period: how many, how many
    handled in time (answered by the deadline, or still open within it), how many prolonged (open past
    the deadline) — the same population and clock as QĐ 766 indicator 5.2."""
    answered = Q(answered_at__isnull=False, answered_at__lte=scope.as_of)
    in_time = (answered & Q(answered_at__lte=F("due_at"))) | (~answered & Q(due_at__gte=scope.as_of))
    prolonged = ~answered & Q(due_at__lt=scope.as_of)
    counts = (
        Feedback.objects.filter(
            Q(unit_id__in=scope.unit_ids) | Q(assigned_unit_id__in=scope.unit_ids),
            received_at__gte=scope.start,
            received_at__lt=scope.end,
            received_at__lte=scope.as_of,
        )
        .order_by()
        .aggregate(
            total=Count("pk"),
            in_time=Count("pk", filter=in_time),
            prolonged=Count("pk", filter=prolonged),
        )
    )
    return counts["total"], counts["in_time"], counts["prolonged"]


def index_8(scope: Scope) -> int:
    return scales.feedback_handling(*feedback_counts(scope))


def online_procedure_share(scope: Scope) -> Fraction | None:
    online = Q(online_level__in=[OnlineLevel.PARTIAL, OnlineLevel.FULL])
    counts = _procedures(scope).aggregate(
        den=Count("pk", distinct=True), num=Count("pk", distinct=True, filter=online)
    )
    return _share(counts["num"], counts["den"])


def online_dossier_share(scope: Scope) -> Fraction | None:
    counts = received(scope).aggregate(den=Count("pk"), num=Count("pk", filter=Q(channel=Channel.ONLINE)))
    return _share(counts["num"], counts["den"])


def online_problems(scope: Scope) -> int:
    """Online dossiers late or left unresolved: received in the period and ended late or still open
    past the appointment; or submitted in the period and still not received past the 8-working-hour
    reception limit."""
    late = received(scope).filter(
        Q(verdict=Verdict.LATE) | Q(status__in=OPEN, due_at__lt=scope.as_of), channel=Channel.ONLINE
    )
    waiting = Dossier.objects.filter(
        responsible_unit_id__in=scope.unit_ids,
        channel=Channel.ONLINE,
        submitted_at__gte=scope.start,
        submitted_at__lt=scope.end,
        status=Status.SUBMITTED,
        reception_due_at__lt=scope.as_of,
    )
    return late.count() + waiting.count()


def index_9(scope: Scope) -> int | None:
    return scales.online_services(
        online_procedure_share(scope), online_dossier_share(scope), online_problems(scope) > 0
    )
