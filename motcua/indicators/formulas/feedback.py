"""Formulas over PAKN (5.2, 5.3) and electronic certification of copies (group "digitization").

Sources: VPCP "Mô tả công thức tính chỉ số 766" rows 5.2/5.3 and the METRICS sheet row
``ELECTRONIC_CERTIFIED_COPY`` (domain-research §2.2–2.3).
"""

from collections.abc import Sequence

from django.db.models import Count, F, Q

from motcua.certification.models import BookKind, Certification
from motcua.feedback.models import Feedback
from motcua.indicators.formulas.base import Ratio, by_period, ratio, union_ids
from motcua.indicators.scope import Scope
from motcua.organizations.models import Level, Unit


def _handled_in_time(scope: Scope) -> Q:
    """Answered by the deadline, or not answered yet and the deadline not passed (as of the moment
    the period is looked at: "in process within time")."""
    answered = Q(answered_at__isnull=False, answered_at__lte=scope.as_of)
    return (answered & Q(answered_at__lte=F("due_at"))) | (~answered & Q(due_at__gte=scope.as_of))


def _counts(scope: Scope) -> dict[str, int]:
    if "feedback" not in scope.cache:
        prime([scope])
    return scope.cache["feedback"]  # type: ignore[no-any-return]


def feedback_on_time(scope: Scope) -> Ratio:
    """5.2: PAKN handled on time + PAKN in process within time ÷ PAKN received in the period (handling
    deadline 15 working days, ``feedback.deadlines``)."""
    counts = _counts(scope)
    return ratio(counts["on_time"], counts["total"])


def feedback_satisfaction(scope: Scope) -> Ratio:
    """5.3: PAKN − (PAKN whose answer got more dislikes than likes + overdue PAKN) ÷ PAKN received in
    the period. (A repeated PAKN with a dissatisfied follow-up is not recorded yet.)"""
    counts = _counts(scope)
    return ratio(counts["satisfied"], counts["total"])


def electronic_certification(scope: Scope) -> Ratio:
    """Electronic certified copies (METRICS ``ELECTRONIC_CERTIFIED_COPY``): communes that signed at
    least one electronic copy certified from its original in the period ÷ communes of the unit (a
    commune scores itself: 1 of 1 or 0 of 1)."""
    counts = _counts(scope)
    return ratio(counts["communes_signing"], counts["communes"])


def prime(scopes: Sequence[Scope]) -> None:
    """5.2, 5.3 and e-certification of many scopes, per period: the PAKN sent to or handled by the
    units (or units below them) received in the period, counted by (unit, handling unit) pair so that a
    PAKN inside a scope through either unit counts once; the communes that signed an electronic copy."""
    for group in by_period(scopes):
        first, ids = group[0], union_ids(group)
        disliked = Q(dislike_count__gt=F("like_count"))
        pairs = (
            Feedback.objects.filter(
                Q(unit_id__in=ids) | Q(assigned_unit_id__in=ids),
                received_at__gte=first.start,
                received_at__lt=first.end,
                received_at__lte=first.as_of,
            )
            .order_by()
            .values_list("unit_id", "assigned_unit_id")
            .annotate(
                total=Count("pk"),
                on_time=Count("pk", filter=_handled_in_time(first)),
                satisfied=Count("pk", filter=_handled_in_time(first) & ~disliked),
            )
        )
        rows = list(pairs)
        communes = set(Unit.objects.filter(pk__in=ids, level=Level.COMMUNE).values_list("pk", flat=True))
        signing = set(
            Certification.objects.filter(
                unit_id__in=communes,
                kind=BookKind.ELECTRONIC_COPY,
                signed_at__gte=first.start,
                signed_at__lt=first.end,
                signed_at__lte=first.as_of,
            )
            .order_by()
            .values_list("unit_id", flat=True)
            .distinct()
        )
        for scope in group:
            inside = set(scope.unit_ids)
            counts = {"total": 0, "on_time": 0, "satisfied": 0}
            for unit_id, assigned_id, total, on_time, satisfied in rows:
                if unit_id in inside or assigned_id in inside:
                    counts["total"] += total
                    counts["on_time"] += on_time
                    counts["satisfied"] += satisfied
            counts["communes"] = len(inside & communes)
            counts["communes_signing"] = len(inside & signing)
            scope.cache["feedback"] = counts
