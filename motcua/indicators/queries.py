"""Which units' indicators a person may read: the units where they hold a current role and every unit
below them (a district officer sees the district's communes; the provincial office the province).
Anything else is "not found", the same as a unit that does not exist."""

from django.utils.translation import gettext as _

from motcua.accounts.models import User
from motcua.core.errors import NotFound
from motcua.dossiers.queries import officer_unit_ids
from motcua.indicators.scope import subtree_ids
from motcua.organizations.models import Unit


def unit_by_code(code: str) -> Unit:
    unit = Unit.objects.filter(code=code.strip()).first()
    if unit is None:
        raise NotFound(_("Không tìm thấy đơn vị có mã định danh «%(code)s».") % {"code": code.strip()[:40]})
    return unit


def visible_unit_ids(user: User) -> set[int]:
    roots = officer_unit_ids(user)
    return set(subtree_ids(*roots)) if roots else set()


def get_unit_for_indicators(user: User, code: str) -> Unit:
    """The unit with ``code`` if ``user`` may read its indicators; ``NotFound`` otherwise."""
    unit = Unit.objects.filter(code=code.strip()).first()
    if unit is None or unit.pk not in visible_unit_ids(user):
        raise NotFound(_("Không tìm thấy đơn vị có mã định danh «%(code)s».") % {"code": code.strip()[:40]})
    return unit
