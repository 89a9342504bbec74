"""Formulas over PAKN (5.2, 5.3) and electronic certification of copies (group "digitization").

Sources: VPCP "Mô tả công thức tính chỉ số 766" rows 5.2/5.3 and the METRICS sheet row
``ELECTRONIC_CERTIFIED_COPY`` (domain-research §2.2–2.3).
"""

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet

from motcua.certification.models import BookKind, Certification
from motcua.feedback.models import Feedback
from motcua.indicators.formulas.base import Ratio, ratio
from motcua.indicators.scope import Scope
from motcua.organizations.models import Level, Unit


def _feedback(scope: Scope) -> QuerySet[Feedback]:
    """PAKN sent to or handled by the unit (or a unit below it), received in the period."""
    return Feedback.objects.filter(
        Q(unit_id__in=scope.unit_ids) | Q(assigned_unit_id__in=scope.unit_ids),
        received_at__gte=scope.start,
        received_at__lt=scope.end,
        received_at__lte=scope.as_of,
    ).order_by()


def _handled_in_time(scope: Scope) -> Q:
    """Answered by the deadline, or not answered yet and the deadline not passed (as of the moment
    the period is looked at: "in process within time")."""
    answered = Q(answered_at__isnull=False, answered_at__lte=scope.as_of)
    return (answered & Q(answered_at__lte=F("due_at"))) | (~answered & Q(due_at__gte=scope.as_of))


def feedback_on_time(scope: Scope) -> Ratio:
    """5.2: PAKN handled on time + PAKN in process within time ÷ PAKN received in the period (handling
    deadline 15 working days, ``feedback.deadlines``)."""
    counts = _feedback(scope).aggregate(den=Count("pk"), num=Count("pk", filter=_handled_in_time(scope)))
    return ratio(counts["num"], counts["den"])


def feedback_satisfaction(scope: Scope) -> Ratio:
    """5.3: PAKN − (PAKN whose answer got more dislikes than likes + overdue PAKN) ÷ PAKN received in
    the period. (A repeated PAKN with a dissatisfied follow-up is not recorded yet.)"""
    disliked = Q(dislike_count__gt=F("like_count"))
    good = _handled_in_time(scope) & ~disliked
    counts = _feedback(scope).aggregate(den=Count("pk"), num=Count("pk", filter=good))
    return ratio(counts["num"], counts["den"])


def electronic_certification(scope: Scope) -> Ratio:
    """Electronic certified copies (METRICS ``ELECTRONIC_CERTIFIED_COPY``): communes that signed at
    least one electronic copy certified from its original in the period ÷ communes of the unit (a
    commune scores itself: 1 of 1 or 0 of 1)."""
    communes = Unit.objects.filter(pk__in=scope.unit_ids, level=Level.COMMUNE)
    signed = Certification.objects.filter(
        unit=OuterRef("pk"),
        kind=BookKind.ELECTRONIC_COPY,
        signed_at__gte=scope.start,
        signed_at__lt=scope.end,
        signed_at__lte=scope.as_of,
    )
    counts = communes.order_by().aggregate(den=Count("pk"), num=Count("pk", filter=Exists(signed)))
    return ratio(counts["num"], counts["den"])
