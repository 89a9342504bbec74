"""What an early warning is: one dossier, step or PAKN that will cost QĐ 766 points unless someone acts
soon, with who should act, until when, and which indicator is at risk (DOMAIN.md §9 "warn before a
point is lost"). Pure data: ``queries`` builds the items, the office page and the digest show them.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from motcua.organizations.models import Role


class Kind(models.TextChoices):
    """The six kinds of point at risk (issue 6 item 6)."""

    RECEPTION = "reception", _("Hồ sơ trực tuyến sắp quá 8 giờ tiếp nhận")
    STEP = "step", _("Bước xử lý sắp đến hạn")
    LATE = "late", _("Hồ sơ sắp quá hạn trả kết quả")
    DIGITIZATION = "digitization", _("Thành phần hồ sơ chưa số hóa, chưa ký số")
    RATING = "rating", _("Hồ sơ đã trả kết quả chưa có đánh giá")
    FEEDBACK = "feedback", _("Phản ánh, kiến nghị sắp đến hạn trả lời")


# The indicator each kind puts at risk (QĐ 766/QĐ-TTg; research §1.2, §2.2).
INDICATOR: dict[str, Promise] = {
    Kind.RECEPTION: _("2.1 đúng hạn · 8 giờ làm việc tiếp nhận"),
    Kind.STEP: _("2.1 đúng hạn · hạn từng bước"),
    Kind.LATE: _("2.1 đúng hạn · 5.4 hài lòng"),
    Kind.DIGITIZATION: _("4.2 số hóa hồ sơ"),
    Kind.RATING: _("5.4 đánh giá hài lòng"),
    Kind.FEEDBACK: _("5.2 PAKN đúng hạn"),
}


@dataclass(frozen=True)
class WarningItem:
    """One point at risk. ``assignee_id`` is the officer who must act; when nobody is assigned yet,
    every officer holding ``role`` in ``unit_id`` is responsible (the unit's queue)."""

    kind: str
    code: str  # dossier code, or PAKN code for ``Kind.FEEDBACK``
    title: str  # procedure name / PAKN title: never personal data
    step: str  # what must be done: the step's name, "Tiếp nhận", "Số hóa 2 thành phần"…
    unit_id: int
    unit_name: str
    role: str
    assignee_id: int | None
    assignee_name: str
    due_at: dt.datetime | None
    hours_left: Decimal | None  # working hours from now to ``due_at``; 0 when already passed
    is_overdue: bool

    @property
    def indicator(self) -> str:
        return str(INDICATOR[self.kind])

    @property
    def kind_label(self) -> str:
        return str(Kind(self.kind).label)

    @property
    def role_label(self) -> str:
        return str(Role(self.role).label) if self.role in Role.values else self.role

    @property
    def is_feedback(self) -> bool:
        return self.kind == Kind.FEEDBACK

    @property
    def key(self) -> str:
        """Stable identity of the warning (the digest remembers which ones it already sent)."""
        return f"{self.kind}:{self.code}:{self.step}"

    def concerns(self, user_id: int, roles: set[tuple[int, str]]) -> bool:
        """Whether the officer must act: assigned to them, or unassigned and waiting for a role they hold
        in the item's unit (``roles`` = their current ``(unit_id, role)`` pairs)."""
        if self.assignee_id is not None:
            return self.assignee_id == user_id
        return (self.unit_id, self.role) in roles


@dataclass
class OfficerGroup:
    """The items one officer (or one unassigned role queue) must act on."""

    label: str
    assignee_id: int | None
    items: list[WarningItem] = field(default_factory=list)


def by_officer(items: list[WarningItem]) -> list[OfficerGroup]:
    """Items grouped by assignee; unassigned items grouped by the role queue of their unit."""
    groups: dict[tuple[int | None, int, str], OfficerGroup] = {}
    for item in items:
        if item.assignee_id is not None:
            key: tuple[int | None, int, str] = (item.assignee_id, 0, "")
            label = item.assignee_name
        else:
            key = (None, item.unit_id, item.role)
            label = str(
                _("Chưa giao · %(role)s · %(unit)s") % {"role": item.role_label, "unit": item.unit_name}
            )
        groups.setdefault(key, OfficerGroup(label=label, assignee_id=item.assignee_id)).items.append(item)
    return sorted(groups.values(), key=lambda g: (g.assignee_id is None, g.label))


def by_unit(items: list[WarningItem]) -> dict[int, list[WarningItem]]:
    grouped: dict[int, list[WarningItem]] = defaultdict(list)
    for item in items:
        grouped[item.unit_id].append(item)
    return dict(grouped)


def counts(items: list[WarningItem]) -> list[tuple[str, str, int]]:
    """``(kind, label, count)`` for every kind, in the order of ``Kind``."""
    tally: dict[str, int] = defaultdict(int)
    for item in items:
        tally[item.kind] += 1
    return [(str(kind.value), str(kind.label), tally[kind.value]) for kind in Kind]
