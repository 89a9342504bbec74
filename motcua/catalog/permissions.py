"""Who may change the catalog.

The procedure catalog is published by the province (Văn phòng UBND tỉnh, công tác kiểm soát TTHC —
NĐ 63/2010/NĐ-CP Điều 15, as amended by NĐ 92/2017): oversight staff of the province or its office
and unit administrators of the province edit procedures; a unit administrator edits the internal processes of their unit.
"""

from django.db.models import Q

from motcua.accounts.models import User
from motcua.organizations.models import Level, Membership, Role, Unit


def can_edit_catalog(user: User) -> bool:
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    memberships = Membership.objects.current().filter(user=user, unit__is_active=True)
    province_admin = Q(role=Role.UNIT_ADMIN, unit__level=Level.PROVINCE)
    # Oversight sits in the province itself or in its office (Văn phòng UBND tỉnh, a department).
    province_oversight = Q(role=Role.OVERSIGHT) & (
        Q(unit__level=Level.PROVINCE) | Q(unit__level=Level.DEPARTMENT, unit__parent__level=Level.PROVINCE)
    )
    return memberships.filter(province_admin | province_oversight).exists()


def can_edit_process(user: User, unit: Unit) -> bool:
    if can_edit_catalog(user):
        return True
    return Membership.objects.current().filter(user=user, unit=unit, role=Role.UNIT_ADMIN).exists()
