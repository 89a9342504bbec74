"""What an indicator is computed over: a unit with every unit below it, and a period of local days.

Units roll up over their sub-units (QĐ 766: a province's score aggregates the province body and all
its units, communes included). The tree is read once, as ``(id, parent_id)`` pairs, the same walk as
``dossiers.interchange.dossiers_of_unit``. Period ends are local midnights (Asia/Ho_Chi_Minh), both
ends of ``[date_from, date_to]`` inclusive.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from motcua.core.worktime import TZ
from motcua.organizations.models import Unit

Tree = dict[int | None, list[int]]


def unit_tree() -> Tree:
    """Every unit's children ids (one query; pass it on when scoping many units)."""
    children: Tree = defaultdict(list)
    for pk, parent_id in Unit.objects.values_list("pk", "parent_id"):
        children[parent_id].append(pk)
    return children


def subtree_ids(*root_ids: int, tree: Tree | None = None) -> list[int]:
    """The ``root_ids`` and the ids of every unit below them (active or not: a merged unit's history
    still belongs to the unit it was under), sorted, each once."""
    children = tree if tree is not None else unit_tree()
    found: set[int] = set()
    todo = list(root_ids)
    while todo:
        pk = todo.pop()
        if pk not in found:
            found.add(pk)
            todo += children.get(pk, [])
    return sorted(found)


def local_midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), tzinfo=TZ)


@dataclass
class Scope:
    """A unit (with its sub-units) and a period. ``as_of`` is the instant the period is looked at:
    its end, or now when the period has not ended (QĐ 766 indicator 2.1: a dossier without a
    terminal status is judged at the period end "or today"). ``cache`` holds per-dossier work shared
    by several formulas (2.1 and 5.4 read the same verdicts)."""

    unit: Unit
    unit_ids: list[int]
    date_from: dt.date
    date_to: dt.date
    start: dt.datetime
    end: dt.datetime
    as_of: dt.datetime
    cache: dict[str, Any] = field(default_factory=dict, repr=False)

    @property
    def year(self) -> int:
        return self.date_to.year


def scope_for(
    unit: Unit,
    date_from: dt.date,
    date_to: dt.date,
    now: dt.datetime | None = None,
    *,
    tree: Tree | None = None,
) -> Scope:
    start = local_midnight(date_from)
    end = local_midnight(date_to + dt.timedelta(days=1))
    current = now or timezone.now()
    return Scope(
        unit=unit,
        unit_ids=subtree_ids(unit.pk, tree=tree),
        date_from=date_from,
        date_to=date_to,
        start=start,
        end=end,
        as_of=min(end, current),
    )
