"""The write API for the unit tree. Every change appends a ``UnitChange`` row (history is never edited).

Units are founded, renamed, moved, merged and dissolved by resolutions (e.g. the 2025 two-tier reform,
Nghị quyết 1656-1687/NQ-UBTVQH15): indicators of a past period must still roll up as they were, so the
absorbed unit stays in the table, inactive, with a ``MERGED_INTO`` row naming the unit that took it over.
"""

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.accounts.models import User
from motcua.core.errors import DomainError
from motcua.organizations.codes import agency_code_problem
from motcua.organizations.models import ALLOWED_PARENT_LEVELS, Level, Unit, UnitChange

NAME_MAX_LENGTH = Unit._meta.get_field("name").max_length or 255


class UnitChangeRefused(DomainError):
    """The requested change would break the unit tree or its history."""


def level_label(level: str | None) -> str:
    if level is None:
        return _("không có cấp trên")
    try:
        return str(Level(level).label)
    except ValueError:
        return level


def parent_level_problem(level: str, parent_level: str | None) -> str | None:
    """Why a unit of ``level`` may not sit under a unit of ``parent_level`` (None = a root), or None."""
    allowed = ALLOWED_PARENT_LEVELS.get(level)
    if allowed is None or parent_level in allowed:
        return None
    if parent_level is None:
        return _("Đơn vị cấp «%(level)s» phải có đơn vị cấp trên.") % {"level": level_label(level)}
    return _("Đơn vị cấp «%(level)s» không thể trực thuộc đơn vị cấp «%(parent)s».") % {
        "level": level_label(level),
        "parent": level_label(parent_level),
    }


def name_problem(name: str) -> str | None:
    if not name.strip():
        return _("Tên đơn vị không được để trống.")
    if len(name.strip()) > NAME_MAX_LENGTH:
        return _("Tên đơn vị dài quá %(max)d ký tự.") % {"max": NAME_MAX_LENGTH}
    return None


def _refuse_if(problem: str | None) -> None:
    if problem:
        raise UnitChangeRefused(problem)


def _require_active(unit: Unit) -> None:
    if not unit.is_active:
        raise UnitChangeRefused(
            _("Đơn vị «%(code)s» đã ngừng hoạt động (sáp nhập hoặc giải thể).") % {"code": unit.code}
        )


def _check_parent(unit_level: str, parent: Unit | None) -> None:
    if parent is not None:
        _require_active(parent)
    _refuse_if(parent_level_problem(unit_level, parent.level if parent is not None else None))


def _record(
    unit: Unit,
    kind: UnitChange.Kind,
    *,
    effective_on: dt.date | None,
    legal_basis: str,
    by: User | None,
    **details: object,
) -> UnitChange:
    return UnitChange.objects.create(
        unit=unit,
        kind=kind,
        effective_on=effective_on or timezone.localdate(),
        legal_basis=legal_basis.strip(),
        recorded_by=by,
        **details,
    )


@transaction.atomic
def create_unit(
    *,
    code: str,
    name: str,
    level: str,
    parent: Unit | None,
    effective_on: dt.date | None = None,
    legal_basis: str = "",
    by: User | None,
) -> Unit:
    """Found a unit under ``parent`` (None = a root, i.e. a province). The code is its QCVN 102:2016
    electronic agency code and never changes; ``effective_on`` defaults to today."""
    code = code.strip()
    _refuse_if(agency_code_problem(code))
    _refuse_if(name_problem(name))
    if level not in Level.values:
        raise UnitChangeRefused(_("Cấp đơn vị «%(level)s» không hợp lệ.") % {"level": level})
    if Unit.objects.filter(code=code).exists():
        raise UnitChangeRefused(_("Mã định danh «%(code)s» đã được dùng.") % {"code": code})
    _check_parent(level, parent)
    unit = Unit.objects.create(code=code, name=name.strip(), level=level, parent=parent)
    _record(
        unit,
        UnitChange.Kind.CREATED,
        effective_on=effective_on,
        legal_basis=legal_basis,
        by=by,
        new_name=unit.name,
        new_parent=parent,
    )
    return unit


@transaction.atomic
def rename_unit(
    *, unit: Unit, name: str, effective_on: dt.date | None = None, legal_basis: str = "", by: User | None
) -> Unit:
    """Give the unit a new name (e.g. a district town becoming a city); the old name stays in history."""
    _require_active(unit)
    _refuse_if(name_problem(name))
    new_name = name.strip()
    if new_name == unit.name:
        return unit
    old_name = unit.name
    unit.name = new_name
    unit.save(update_fields=["name"])
    _record(
        unit,
        UnitChange.Kind.RENAMED,
        effective_on=effective_on,
        legal_basis=legal_basis,
        by=by,
        old_name=old_name,
        new_name=new_name,
    )
    return unit


@transaction.atomic
def reparent_unit(
    *,
    unit: Unit,
    parent: Unit | None,
    effective_on: dt.date | None = None,
    legal_basis: str = "",
    by: User | None,
) -> Unit:
    """Move the unit under ``parent`` (None = make it a root). Refuses cycles and level combinations
    outside ``ALLOWED_PARENT_LEVELS`` (e.g. a commune under a commune)."""
    _require_active(unit)
    if parent is not None and parent.pk == unit.pk:
        raise UnitChangeRefused(_("Đơn vị không thể là cấp trên của chính nó."))
    if parent is not None and any(a.pk == unit.pk for a in parent.ancestors()):
        raise UnitChangeRefused(
            _("Không thể chuyển «%(unit)s» vào «%(parent)s»: «%(parent)s» đang trực thuộc «%(unit)s».")
            % {"unit": unit.code, "parent": parent.code}
        )
    if unit.parent_id == (parent.pk if parent is not None else None):
        return unit
    _check_parent(unit.level, parent)
    old_parent = unit.parent
    unit.parent = parent
    unit.save(update_fields=["parent"])
    _record(
        unit,
        UnitChange.Kind.REPARENTED,
        effective_on=effective_on,
        legal_basis=legal_basis,
        by=by,
        old_parent=old_parent,
        new_parent=parent,
    )
    return unit


@transaction.atomic
def merge_unit(*, unit: Unit, into: Unit, effective_on: dt.date, legal_basis: str, by: User | None) -> Unit:
    """Merge ``unit`` into ``into`` (sáp nhập): the absorbed unit becomes inactive and its active
    subordinate units move under ``into``, each move recorded. Only units of the same level merge."""
    _require_active(unit)
    _require_active(into)
    if into.pk == unit.pk:
        raise UnitChangeRefused(_("Không thể sáp nhập một đơn vị vào chính nó."))
    if unit.level != into.level:
        raise UnitChangeRefused(
            _("Chỉ sáp nhập được các đơn vị cùng cấp: «%(unit)s» là %(a)s, «%(into)s» là %(b)s.")
            % {
                "unit": unit.code,
                "into": into.code,
                "a": level_label(unit.level),
                "b": level_label(into.level),
            }
        )
    if any(a.pk == unit.pk for a in into.ancestors()):
        raise UnitChangeRefused(
            _("Không thể sáp nhập «%(unit)s» vào đơn vị trực thuộc nó («%(into)s»).")
            % {"unit": unit.code, "into": into.code}
        )
    for child in unit.children.filter(is_active=True).order_by("code"):
        reparent_unit(unit=child, parent=into, effective_on=effective_on, legal_basis=legal_basis, by=by)
    unit.is_active = False
    unit.save(update_fields=["is_active"])
    _record(
        unit,
        UnitChange.Kind.MERGED_INTO,
        effective_on=effective_on,
        legal_basis=legal_basis,
        by=by,
        other_unit=into,
    )
    return unit


@transaction.atomic
def dissolve_unit(*, unit: Unit, effective_on: dt.date, legal_basis: str, by: User | None) -> Unit:
    """Dissolve the unit (giải thể). Its active subordinate units must be moved or merged first, so no
    active unit is ever left under an inactive one."""
    _require_active(unit)
    remaining = list(unit.children.filter(is_active=True).order_by("code").values_list("code", flat=True))
    if remaining:
        raise UnitChangeRefused(
            _("Không thể giải thể «%(unit)s»: còn đơn vị trực thuộc đang hoạt động (%(codes)s).")
            % {"unit": unit.code, "codes": ", ".join(remaining)}
        )
    unit.is_active = False
    unit.save(update_fields=["is_active"])
    _record(unit, UnitChange.Kind.DISSOLVED, effective_on=effective_on, legal_basis=legal_basis, by=by)
    return unit
