"""Who may do what with ratings and PAKN: pure predicates over current memberships."""

from django.utils.translation import gettext as _

from motcua.accounts.models import User
from motcua.core.errors import PermissionDenied
from motcua.dossiers.models import Dossier
from motcua.feedback.models import Feedback
from motcua.organizations.models import Membership, Role, Unit


def _unit_ids(user: User) -> set[int]:
    if not user.is_authenticated or not user.is_active:
        return set()
    return set(
        Membership.objects.current().filter(user=user, unit__is_active=True).values_list("unit_id", flat=True)
    )


def works_in(user: User, unit: Unit) -> bool:
    return unit.pk in _unit_ids(user)


def can_host_rating(user: User, dossier: Dossier) -> bool:
    """A counter device signed in by an officer of the dossier's receiving or responsible unit
    (the unit's own counter rates its own dossiers)."""
    return bool({dossier.receiving_unit_id, dossier.responsible_unit_id} & _unit_ids(user))


def can_handle(user: User, feedback: Feedback) -> bool:
    """Any officer of the receiving unit or of the unit it was assigned to classifies, assigns and
    answers."""
    return bool({feedback.unit_id, feedback.assigned_unit_id} & _unit_ids(user))


def can_publish(user: User, feedback: Feedback) -> bool:
    """Publication follows approval: a leader (or unit administrator) of the receiving unit."""
    if not user.is_authenticated or not user.is_active:
        return False
    return (
        Membership.objects.current()
        .filter(user=user, unit_id=feedback.unit_id, role__in=[Role.LEADER, Role.UNIT_ADMIN])
        .exists()
    )


def require(condition: bool, message: str = "") -> None:
    if not condition:
        raise PermissionDenied(message or _("Bạn không có quyền xử lý phản ánh, kiến nghị này."))
