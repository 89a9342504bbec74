"""Who may change the catalog.

The procedure catalog is published by the province (Văn phòng UBND tỉnh, công tác kiểm soát TTHC —
NĐ 63/2010/NĐ-CP Điều 15, as amended by NĐ 92/2017): oversight staff of the province or its office
and unit administrators of the province edit procedures; a unit administrator edits the internal processes of their unit.
"""

from motcua.accounts.models import User
from motcua.organizations.models import Level, Membership, Role, Unit


def can_edit_catalog(user: User) -> bool:
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    return (
        Membership.objects.current()
        .filter(
            user=user,
            role__in=[Role.OVERSIGHT, Role.UNIT_ADMIN],
            unit__level=Level.PROVINCE,
            unit__is_active=True,
        )
        .exists()
    )


def can_edit_process(user: User, unit: Unit) -> bool:
    if can_edit_catalog(user):
        return True
    return Membership.objects.current().filter(user=user, unit=unit, role=Role.UNIT_ADMIN).exists()
