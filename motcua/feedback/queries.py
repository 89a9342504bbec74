"""Protected reads of ratings and PAKN: scoped querysets and guarded getters.

Officers see the PAKN addressed to, or assigned to, a unit where they hold a current role; the
public sees published answers only. "Not found" and "not yours" look the same (``NotFound``).
"""

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Avg, Count, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.accounts.models import User
from motcua.core.errors import NotFound
from motcua.dossiers.models import Dossier, Rating
from motcua.feedback import indices
from motcua.feedback.models import DossierRating, Feedback, FeedbackStatus, OfficerRating
from motcua.organizations.models import Membership, Unit

OPEN_STATUSES = (FeedbackStatus.RECEIVED, FeedbackStatus.ASSIGNED)


def _units_of(user: User) -> QuerySet[Membership, Any]:
    return Membership.objects.current().filter(user=user, unit__is_active=True).values("unit")


def feedback_visible_to(user: User) -> QuerySet[Feedback]:
    """PAKN addressed to or assigned to a unit where ``user`` holds a current role."""
    if not user.is_authenticated or not user.is_active:
        return Feedback.objects.none()
    units = _units_of(user)
    return Feedback.objects.filter(Q(unit__in=units) | Q(assigned_unit__in=units))


def get_feedback_for_user(user: User, code: str) -> Feedback:
    feedback = (
        feedback_visible_to(user)
        .select_related("unit", "assigned_unit", "assigned_officer", "procedure", "dossier", "answered_by")
        .filter(code=code.strip().upper())
        .first()
    )
    if feedback is None:
        raise NotFound(_("Không tìm thấy phản ánh, kiến nghị."))
    return feedback


def inbox(unit: Unit, user: User, *, status: str = "") -> QuerySet[Feedback]:
    """The unit's PAKN (addressed or assigned to it), open ones by deadline first."""
    rows = feedback_visible_to(user).filter(Q(unit=unit) | Q(assigned_unit=unit))
    if status in FeedbackStatus.values:
        rows = rows.filter(status=status)
    return rows.select_related("unit", "assigned_unit", "assigned_officer").order_by("status", "due_at", "id")


def published() -> QuerySet[Feedback]:
    """Answers the public may read (QĐ 766 §5: 100 % of PAKN results are published)."""
    return (
        Feedback.objects.filter(status=FeedbackStatus.PUBLISHED)
        .select_related("unit", "procedure")
        .order_by("-published_at", "-id")
    )


def get_published(code: str) -> Feedback:
    feedback = published().filter(code=code.strip().upper()).first()
    if feedback is None:
        raise NotFound(_("Không tìm thấy câu trả lời đã công khai."))
    return feedback


def is_overdue(feedback: Feedback, at: dt.datetime | None = None) -> bool:
    """Still unanswered after its due instant."""
    return feedback.status in OPEN_STATUSES and feedback.due_at < (at or timezone.now())


@dataclass(frozen=True)
class RatingSummary:
    count: int
    satisfied: int
    dissatisfied: int
    index_1: Decimal | None
    index_3: Decimal | None
    index_4: Decimal | None
    index_7: Decimal | None


def unit_summary(unit: Unit, since: dt.datetime | None = None) -> RatingSummary:
    """Averages per index for the unit's ratings (TT 01/2018 Điều 15: sum ÷ count, one decimal)."""
    rows = DossierRating.objects.filter(unit=unit)
    if since is not None:
        rows = rows.filter(created_at__gte=since)
    agg = rows.aggregate(
        n=Count("id"),
        dissatisfied=Count("id", filter=Q(satisfaction=Rating.DISSATISFIED)),
        i1=Sum("index_1"),
        i3=Sum("index_3"),
        i4=Sum("index_4"),
        i7=Sum("index_7"),
    )
    n = agg["n"]
    return RatingSummary(
        count=n,
        satisfied=n - agg["dissatisfied"],
        dissatisfied=agg["dissatisfied"],
        index_1=indices.average(agg["i1"], n),
        index_3=indices.average(agg["i3"], n),
        index_4=indices.average(agg["i4"], n),
        index_7=indices.average(agg["i7"], n),
    )


def officer_summaries(unit: Unit) -> list[dict[str, Any]]:
    """One row per officer rated through this unit's dossiers: count and average of indices 1, 2, 3,
    4, 7, their total (max 10) and the TT 01/2018 Điều 15 band."""
    rows = (
        OfficerRating.objects.filter(unit=unit)
        .values("officer_id", "officer_name")
        .annotate(
            n=Count("id"),
            dissatisfied=Count("id", filter=Q(satisfaction=Rating.DISSATISFIED)),
            i1=Avg("index_1"),
            i2=Avg("index_2"),
            i3=Avg("index_3"),
            i4=Avg("index_4"),
            i7=Avg("index_7"),
        )
        .order_by("officer_name", "officer_id")
    )
    result = []
    for row in rows:
        averages = {
            key: (
                Decimal(str(row[key])).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
                if row[key] is not None
                else None
            )
            for key in ("i1", "i2", "i3", "i4", "i7")
        }
        present = [v for v in averages.values() if v is not None]
        total = sum(present, Decimal(0)) if present else None
        result.append({**row, **averages, "total": total, "band": indices.officer_band(total)})
    return result


def unit_ratings(unit: Unit) -> QuerySet[DossierRating]:
    return DossierRating.objects.filter(unit=unit).select_related("dossier", "dossier__procedure")


def _digits(value: str) -> str:
    return "".join(ch for ch in value if ch.isdigit())


def find_own_feedback(code: str, contact: str) -> Feedback | None:
    """The PAKN with ``code`` when ``contact`` is the email or the phone given when it was sent
    (the code alone is guessable: the contact is the second factor). None otherwise."""
    feedback = Feedback.objects.select_related("unit", "procedure").filter(code=code.strip().upper()).first()
    if feedback is None:
        return None
    typed = contact.strip()
    if feedback.submitter_email and typed.casefold() == feedback.submitter_email.casefold():
        return feedback
    phone = _digits(feedback.submitter_phone)
    if phone and len(phone) >= 9 and _digits(typed) == phone:
        return feedback
    return None


def has_reacted(feedback: Feedback, *, user: User | None, session_key: str) -> bool:
    if user is not None:
        return feedback.reactions.filter(user=user).exists()
    return (
        bool(session_key) and feedback.reactions.filter(user__isnull=True, session_key=session_key).exists()
    )


def dossier_for_device(unit: Unit, code: str, suffix: str) -> Dossier | None:
    """The dossier a citizen names on the counter device of ``unit``: received or handled by that
    unit, and ``suffix`` equals the last 4 digits of the applicant's or owner's ID number or phone
    (the receipt code alone is guessable). None otherwise, whatever the reason."""
    dossier = (
        Dossier.objects.filter(Q(receiving_unit=unit) | Q(responsible_unit=unit), code=code.strip().upper())
        .select_related("procedure")
        .first()
    )
    if dossier is None or len(suffix) != 4:
        return None
    candidates = {dossier.applicant_id_number, dossier.owner_id_number, _digits(dossier.phone)}
    if any(len(value) >= 4 and value[-4:] == suffix for value in candidates):
        return dossier
    return None
