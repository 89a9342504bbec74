"""Entering the targets the province assigns (chỉ tiêu giao): add, correct, copy last year's.

The province's People's Committee assigns the targets each year by decision (e.g. Hải Dương Decision
1217/QĐ-UBND of 12/5/2022, domain-research §1.1): for a unit level, or for one named unit, which
overrides its level's (``indicators.targets``). So only the **leader** or the **oversight office**
(Văn phòng UBND tỉnh, a department under the province) of a **province** may enter them, and a per-unit target only for a unit of
their province. Values are typed as percentages (0–100, at most 2 decimals) and stored as a rate 0–1
with 4 decimals, like every rate of the indicators.

``Target`` has no column for who changed a row and when; every change is logged as one line of the
``motcua.indicators.target_admin`` logger (the officer's id, the target's key, the old and new value,
the decision). The project has no audit table yet: the log line is the record.
"""

import logging
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from motcua.accounts.models import User
from motcua.core.errors import Conflict, DomainError, NotFound, PermissionDenied
from motcua.indicators.models import Target, TargetKind
from motcua.indicators.scope import subtree_ids
from motcua.organizations.models import Level, Membership, Role, Unit

logger = logging.getLogger(__name__)

EDITOR_ROLES = frozenset({Role.LEADER, Role.OVERSIGHT})
MIN_YEAR, MAX_YEAR = 2000, 2100
HUNDRED = Decimal(100)
RATE_PLACES = Decimal("0.0001")


# --- who may edit, which units ----------------------------------------------------------------------


def editor_provinces(user: User) -> list[Unit]:
    """The active provinces whose targets ``user`` may enter: as a current leader or oversight officer
    of the province-level unit, or as an oversight officer of a department directly under it (the Văn phòng
    UBND tỉnh, whose administrative-procedure control division follows the targets for the province)."""
    current = Membership.objects.current().filter(user=user, unit__is_active=True)
    at_province = current.filter(role__in=EDITOR_ROLES, unit__level=Level.PROVINCE).values("unit_id")
    office_of = current.filter(
        role=Role.OVERSIGHT, unit__level=Level.DEPARTMENT, unit__parent__level=Level.PROVINCE
    ).values("unit__parent_id")
    return list(
        Unit.objects.filter(Q(pk__in=at_province) | Q(pk__in=office_of), is_active=True).order_by("code")
    )


def can_manage_targets(user: User) -> bool:
    return bool(editor_provinces(user))


def require_editor(user: User) -> list[Unit]:
    provinces = editor_provinces(user)
    if not provinces:
        raise PermissionDenied(
            _(
                "Chỉ lãnh đạo hoặc Văn phòng UBND cấp tỉnh được nhập, sửa chỉ tiêu giao (chỉ tiêu do tỉnh giao)."
            )
        )
    return provinces


def assignable_units(user: User) -> QuerySet[Unit]:
    """Active units of the provinces ``user`` may assign targets in (the provinces included)."""
    provinces = editor_provinces(user)
    if not provinces:
        return Unit.objects.none()
    return Unit.objects.filter(pk__in=subtree_ids(*(p.pk for p in provinces)), is_active=True).order_by(
        "code"
    )


def province_of(unit: Unit) -> Unit:
    """The root of ``unit``'s tree (its province)."""
    ancestors = unit.ancestors()
    return ancestors[-1] if ancestors else unit


def targets_of_year(year: int, unit: Unit) -> list[Target]:
    """The targets of ``year`` an officer of ``unit`` sees: the level-wide ones, and those assigned to a
    unit of the same province."""
    in_province = subtree_ids(province_of(unit).pk)
    rows = Target.objects.filter(Q(unit__isnull=True) | Q(unit_id__in=in_province), year=year)
    order = list(TargetKind.values)
    levels = list(Level.values)
    return sorted(
        rows.select_related("unit"),
        key=lambda t: (
            order.index(t.target_id),
            t.unit is not None,
            levels.index(t.level),
            t.unit.code if t.unit else "",
        ),
    )


# --- validation -------------------------------------------------------------------------------------


def percent_to_rate(percent: Decimal | str) -> Decimal:
    """A percentage typed by the officer (0–100, at most 2 decimals) as the stored rate 0–1."""
    try:
        value = Decimal(str(percent).strip().replace(",", "."))
    except InvalidOperation:
        raise DomainError(_("Mức chỉ tiêu (%): hãy nhập một số, ví dụ 55 hoặc 37,5.")) from None
    if not value.is_finite():
        raise DomainError(_("Mức chỉ tiêu (%): hãy nhập một số, ví dụ 55 hoặc 37,5."))
    if value < 0 or value > HUNDRED:
        raise DomainError(_("Mức chỉ tiêu (%): phải từ 0 đến 100."))
    if value != value.quantize(Decimal("0.01")):
        raise DomainError(_("Mức chỉ tiêu (%): chỉ được có tối đa 2 chữ số thập phân."))
    return (value / HUNDRED).quantize(RATE_PLACES)


def rate_to_percent(rate: Decimal) -> Decimal:
    """The stored rate as the percentage typed: 0.5500 → 55, 0.3750 → 37.5, 0.5525 → 55.25."""
    percent = (rate * HUNDRED).quantize(Decimal("0.01"))
    return percent.quantize(Decimal(1)) if percent == percent.to_integral_value() else percent.normalize()


def _clean_decision(decision: str) -> str:
    text = " ".join(decision.split())
    if not text:
        raise DomainError(
            _(
                "Văn bản giao chỉ tiêu: hãy nhập số, ngày của văn bản, ví dụ «Quyết định số 85/QĐ-UBND ngày 15/01/2026»."
            )
        )
    if len(text) > 255:
        raise DomainError(_("Văn bản giao chỉ tiêu: dài quá 255 ký tự."))
    return text


def _clean_note(note: str) -> str:
    text = " ".join(note.split())
    if len(text) > 500:
        raise DomainError(_("Ghi chú: dài quá 500 ký tự."))
    return text


def _clean_year(year: int) -> int:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise DomainError(_("Năm: phải từ %(min)s đến %(max)s.") % {"min": MIN_YEAR, "max": MAX_YEAR})
    return year


def _clean_kind(kind: str) -> str:
    if kind not in TargetKind.values:
        raise DomainError(_("Chỉ tiêu: hãy chọn một chỉ tiêu trong danh sách."))
    return kind


def describe(target: Target) -> str:
    """«<indicator>, <level or unit>, <year>» for messages."""
    whom = target.unit.name if target.unit_id and target.unit else Level(target.level).label
    return f"«{TargetKind(target.target_id).label}», {whom}, {target.year}"


def _log(action: str, by: User, target: Target, old: Decimal | None = None) -> None:
    logger.info(
        "target %s by officer=%s id=%s kind=%s year=%s level=%s unit=%s value=%s->%s decision=%r",
        action,
        by.pk,
        target.pk,
        target.target_id,
        target.year,
        target.level,
        target.unit.code if target.unit_id and target.unit else "-",
        old if old is not None else "-",
        target.value,
        target.decision,
    )


# --- the write API ----------------------------------------------------------------------------------


@transaction.atomic
def add_target(
    *,
    by: User,
    kind: str,
    year: int,
    percent: Decimal | str,
    decision: str,
    level: str = "",
    unit: Unit | None = None,
    note: str = "",
) -> Target:
    """Record the target the province assigned for ``year``: to every unit of ``level``, or to one
    ``unit`` of the editor's province (then its level's target does not apply to it). One target per
    indicator, year and level (or unit): a second one is refused, the existing one is corrected."""
    provinces = require_editor(by)
    kind, year = _clean_kind(kind), _clean_year(year)
    rate, decision, note = percent_to_rate(percent), _clean_decision(decision), _clean_note(note)
    if unit is not None and level:
        raise DomainError(_("Cấp đơn vị: chọn cấp đơn vị hoặc một đơn vị, không chọn cả hai."))
    if unit is None and level not in Level.values:
        raise DomainError(_("Cấp đơn vị: hãy chọn cấp đơn vị hoặc một đơn vị được giao chỉ tiêu."))
    if unit is not None:
        if unit.pk not in subtree_ids(*(p.pk for p in provinces)) or not unit.is_active:
            raise NotFound(_("Đơn vị: không tìm thấy đơn vị này trong tỉnh của bạn."))
        level = unit.level
        existing = Target.objects.filter(target_id=kind, year=year, unit=unit).first()
    else:
        existing = Target.objects.filter(target_id=kind, year=year, level=level, unit__isnull=True).first()
    if existing is not None:
        raise Conflict(_duplicate_message(existing))
    try:
        with transaction.atomic():
            target = Target.objects.create(
                target_id=kind, year=year, level=level, unit=unit, value=rate, decision=decision, note=note
            )
    except IntegrityError:  # entered by someone else a moment ago
        raise Conflict(_("Chỉ tiêu này vừa được người khác nhập. Hãy tải lại trang để xem.")) from None
    _log("added", by, target)
    return target


def _duplicate_message(existing: Target) -> str:
    return _(
        "Đã có chỉ tiêu %(what)s (%(value)s%%, theo %(decision)s). Hãy bấm «Sửa» ở dòng đó để sửa, "
        "không nhập thêm."
    ) % {"what": describe(existing), "value": rate_to_percent(existing.value), "decision": existing.decision}


@transaction.atomic
def correct_target(
    *, by: User, target_id: int, percent: Decimal | str, decision: str, note: str = ""
) -> Target:
    """Correct the value, the assigning decision or the note of a target (its indicator, year and
    level or unit are what it is: a different one is added, not edited into this one)."""
    require_editor(by)
    target = _get_editable(by, target_id)
    rate, decision, note = percent_to_rate(percent), _clean_decision(decision), _clean_note(note)
    old = target.value
    target.value, target.decision, target.note = rate, decision, note
    target.save(update_fields=["value", "decision", "note"])
    _log("corrected", by, target, old)
    return target


def get_target_for_editor(by: User, target_id: int) -> Target:
    """The target if ``by`` may correct it (level-wide, or of a unit of their province); ``NotFound``
    otherwise, the same as a target that does not exist."""
    require_editor(by)
    return _get_editable(by, target_id, lock=False)


def _get_editable(by: User, target_id: int, *, lock: bool = True) -> Target:
    rows = Target.objects.select_related("unit")
    if lock:
        rows = rows.select_for_update(of=("self",))
    target = rows.filter(pk=target_id).first()
    allowed = set(assignable_units(by).values_list("pk", flat=True))
    if target is None or (target.unit_id is not None and target.unit_id not in allowed):
        raise NotFound(_("Không tìm thấy chỉ tiêu này."))
    return target


@dataclass(frozen=True)
class CopyResult:
    year: int
    copied: list[Target]
    skipped: int  # targets of the previous year that already had one this year


def copy_previous_year(*, by: User, year: int, decision: str) -> CopyResult:
    """Give ``year`` every target of ``year − 1`` (same indicator, level or unit and value) under the
    ``decision`` the officer types, skipping those ``year`` already has; all or nothing. Per-unit
    targets are copied only for units of the editor's province that are still active."""
    provinces = require_editor(by)
    year, decision = _clean_year(year), _clean_decision(decision)
    allowed = set(subtree_ids(*(p.pk for p in provinces)))
    try:
        with transaction.atomic(durable=True):
            return _copy(by, year, decision, allowed)
    except IntegrityError:
        raise Conflict(
            _("Chỉ tiêu năm này vừa được người khác nhập. Hãy tải lại trang rồi thử lại.")
        ) from None


def _copyable(year: int, allowed: set[int]) -> QuerySet[Target]:
    """The targets of ``year − 1`` a copy into ``year`` considers."""
    return Target.objects.filter(
        Q(unit__isnull=True) | Q(unit_id__in=allowed, unit__is_active=True), year=year - 1
    ).order_by("target_id", "level", "unit")


def copyable_count(user: User, year: int) -> int:
    """How many targets of ``year − 1`` «Sao chép chỉ tiêu năm trước» would consider for ``user``."""
    allowed = set(subtree_ids(*(p.pk for p in editor_provinces(user))))
    return _copyable(year, allowed).count() if allowed else 0


def _copy(by: User, year: int, decision: str, allowed: set[int]) -> CopyResult:
    previous = list(_copyable(year, allowed))
    if not previous:
        raise DomainError(_("Năm %(year)s chưa có chỉ tiêu nào để sao chép.") % {"year": year - 1})
    have = {(t.target_id, t.level, t.unit_id) for t in Target.objects.filter(year=year)}
    copied: list[Target] = []
    for old in previous:
        if (old.target_id, old.level, old.unit_id) in have:
            continue
        target = Target.objects.create(
            target_id=old.target_id,
            year=year,
            level=old.level,
            unit_id=old.unit_id,
            value=old.value,
            decision=decision,
            note=_("Sao chép từ năm %(year)s") % {"year": year - 1},
        )
        _log("copied", by, target)
        copied.append(target)
    return CopyResult(year=year, copied=copied, skipped=len(previous) - len(copied))
