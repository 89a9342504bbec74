"""The one door that writes register counts: ``record_register_count``.

Who may enter counts: the unit's reception officers (they keep the reception book, TT 01/2018/TT-VPCP
mẫu 06), its leaders and its oversight office (Văn phòng UBND, which checks the registers against the
software: seed 000). Any officer of the unit may read them (``office/reconciliation``).
"""

import datetime as dt
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.accounts.models import User
from motcua.catalog.models import Field
from motcua.core.errors import Conflict, InputProblem, InvalidInput, PermissionDenied
from motcua.indicators.reconciliation.models import RegisterCount, RegisterKind
from motcua.organizations.models import Role, Unit
from motcua.organizations.queries import roles_in

MAY_ENTER = frozenset({Role.RECEIVER, Role.LEADER, Role.OVERSIGHT})
# A paper register is closed per month, quarter or year; a longer period is a typing mistake.
LONGEST_PERIOD_DAYS = 366  # inclusive: a leap year
EARLIEST = dt.date(2000, 1, 1)


@dataclass(frozen=True)
class CountProblem(InputProblem):
    """A problem with one input; ``key`` names it for a form (the message already names it in words)."""

    key: str = ""


def may_enter(officer: User, unit: Unit) -> bool:
    return bool(roles_in(officer, unit) & MAY_ENTER)


def _problems(
    *,
    kind: str,
    field: Field | None,
    date_from: dt.date,
    date_to: dt.date,
    received: int | None,
    finished: int | None,
    late: int | None,
    today: dt.date,
) -> list[InputProblem]:
    problems: list[InputProblem] = []

    def add(key: str, name: str, message: str) -> None:
        problems.append(CountProblem(f"{name}: {message}", key=key))

    if kind not in RegisterKind.values:
        add("kind", _("Sổ"), _("hãy chọn sổ tiếp nhận và trả kết quả hoặc sổ của một lĩnh vực."))
    if kind == RegisterKind.FIELD and field is None:
        add("field", _("Lĩnh vực"), _("hãy chọn lĩnh vực của sổ."))
    if kind == RegisterKind.RECEPTION and field is not None:
        add("field", _("Lĩnh vực"), _("sổ tiếp nhận và trả kết quả gồm mọi lĩnh vực, không chọn lĩnh vực."))
    if date_from > date_to:
        add("date_from", _("Từ ngày"), _("ngày bắt đầu sau ngày kết thúc của kỳ."))
    if date_from < EARLIEST:
        add("date_from", _("Từ ngày"), _("ngày bắt đầu trước năm 2000."))
    if date_to > today:
        add("date_to", _("Đến ngày"), _("kỳ chưa kết thúc (ngày ở tương lai): chỉ đối chiếu sổ đã chốt."))
    if (date_to - date_from).days >= LONGEST_PERIOD_DAYS:
        add("date_to", _("Đến ngày"), _("kỳ đối chiếu dài quá một năm."))
    for key, name, value, required in (
        ("received", _("Số hồ sơ tiếp nhận"), received, True),
        ("finished", _("Số hồ sơ đã giải quyết"), finished, False),
        ("late", _("Số hồ sơ quá hạn"), late, False),
    ):
        if value is None:
            if required:
                add(key, name, _("hãy nhập số theo sổ."))
        elif isinstance(value, bool) or not isinstance(value, int):
            add(key, name, _("phải là số nguyên."))
        elif value < 0:
            add(key, name, _("không được là số âm."))
    if isinstance(finished, int) and isinstance(late, int) and late > finished >= 0:
        add("late", _("Số hồ sơ quá hạn"), _("lớn hơn số hồ sơ đã giải quyết."))
    return problems


@transaction.atomic(durable=True)
def record_register_count(
    officer: User,
    unit: Unit,
    *,
    kind: str,
    field: Field | None,
    date_from: dt.date,
    date_to: dt.date,
    received: int,
    finished: int | None = None,
    late: int | None = None,
    note: str = "",
    replaces: RegisterCount | None = None,
) -> RegisterCount:
    """Record the counts of a paper register for a closed period, or correct the current entry.

    Rules: the officer holds a receiver, leader or oversight role in ``unit``; the numbers are
    non-negative integers (received required; finished and late optional, late ≤ finished); the period
    is ``date_from ≤ date_to``, ended (not in the future, local date) and at most a year long. A first
    entry for a (unit, register, field, period) that already has one is a conflict ("correct it
    instead"), as is a correction of an entry that was corrected meanwhile: two officers never overwrite
    each other silently. A correction keeps the register and period of the entry it corrects and appends
    a new row; the old values stay visible (STYLE.md principle 4)."""
    if not roles_in(officer, unit):
        raise PermissionDenied(_("Bạn không làm việc tại đơn vị này."))
    if not may_enter(officer, unit):
        raise PermissionDenied(
            _(
                "Chỉ cán bộ Bộ phận Một cửa, lãnh đạo hoặc Văn phòng UBND của đơn vị được nhập số liệu sổ sách."
            )
        )
    if replaces is not None:
        replaces = RegisterCount.objects.select_for_update().get(pk=replaces.pk)
        if replaces.unit_id != unit.pk:
            raise PermissionDenied(_("Số liệu này không thuộc đơn vị của bạn."))
        kind, field = replaces.kind, replaces.field
        date_from, date_to = replaces.date_from, replaces.date_to
    problems = _problems(
        kind=kind,
        field=field,
        date_from=date_from,
        date_to=date_to,
        received=received,
        finished=finished,
        late=late,
        today=timezone.localdate(),
    )
    if problems:
        raise InvalidInput(problems)
    if replaces is not None and RegisterCount.objects.filter(replaces=replaces).exists():
        raise Conflict(_("Số liệu này vừa được người khác sửa; hãy tải lại trang để xem số liệu hiện hành."))
    entry = RegisterCount(
        unit=unit,
        kind=kind,
        field=field,
        date_from=date_from,
        date_to=date_to,
        received=received,
        finished=finished,
        late=late,
        note=note.strip()[:500],
        entered_by=officer,
        entered_at=timezone.now(),
        replaces=replaces,
    )
    try:
        with transaction.atomic():
            entry.save()
    except IntegrityError:
        if replaces is None:
            raise Conflict(
                _(
                    "Sổ này đã có số liệu cho kỳ này. Hãy mở số liệu đó và chọn «Sửa số liệu» "
                    "(số liệu cũ vẫn được lưu lại)."
                )
            ) from None
        raise Conflict(
            _("Số liệu này vừa được người khác sửa; hãy tải lại trang để xem số liệu hiện hành.")
        ) from None
    return entry
