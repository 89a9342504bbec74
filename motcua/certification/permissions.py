"""Who may do what in copy certification (NĐ 23/2015/NĐ-CP Điều 5, Điều 20).

The justice officer (công chức tư pháp - hộ tịch, ``Role.JUSTICE_OFFICER``) receives the original and
prepares the copy; the chair or vice-chair of the commune People's Committee — at a district justice
office its head or deputy head — signs (``Role.LEADER``). Roles are the current memberships of the unit.
"""

from motcua.accounts.models import User
from motcua.organizations.models import Level, Role, Unit
from motcua.organizations.queries import roles_in


def can_receive(user: User, unit: Unit) -> bool:
    return Role.JUSTICE_OFFICER in roles_in(user, unit)


def can_approve(user: User, unit: Unit) -> bool:
    return Role.LEADER in roles_in(user, unit)


def can_view(user: User, unit: Unit) -> bool:
    return bool(roles_in(user, unit) & {Role.JUSTICE_OFFICER, Role.LEADER})


def signer_titles(unit: Unit) -> tuple[str, ...]:
    """The titles that sign the statement: Chủ tịch / Phó Chủ tịch at a commune (UBND), Trưởng phòng /
    Phó Trưởng phòng at a justice office (NĐ 23/2015 Điều 5)."""
    if unit.level == Level.COMMUNE:
        return ("Chủ tịch", "Phó Chủ tịch")
    return ("Trưởng phòng", "Phó Trưởng phòng", "Chủ tịch", "Phó Chủ tịch")
