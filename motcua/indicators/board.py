"""Everything the board shows for a unit and period, gathered once for the page and the exports:
the report (scores, targets, late steps), the ranking among siblings and of the units below, the
scores by month, the late steps grouped by officer, and the chart data (the tables carry the same
numbers: charts only enhance them)."""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from motcua.indicators.drilldown import has_drill
from motcua.indicators.late import LateStep
from motcua.indicators.ranking import RankedUnit, children_ranking, position_of, sibling_ranking
from motcua.indicators.report import IndicatorReport, indicator_report
from motcua.indicators.rulebooks import IndicatorRule
from motcua.indicators.scoring import GroupScore, IndicatorScore
from motcua.indicators.trends import MonthScore, monthly_scores
from motcua.organizations.models import Unit


@dataclass(frozen=True)
class ItemRow:
    item: IndicatorScore
    rule: IndicatorRule
    drillable: bool


@dataclass(frozen=True)
class GroupRow:
    group: GroupScore
    title: str
    items: list[ItemRow]


@dataclass(frozen=True)
class Board:
    unit: Unit
    report: IndicatorReport
    groups: list[GroupRow]
    siblings: list[RankedUnit]
    position: RankedUnit | None
    children: list[RankedUnit]
    trends: list[MonthScore]
    late_by_officer: list[tuple[str, list[LateStep]]]

    @property
    def group_titles(self) -> dict[str, str]:
        return {row.group.id: row.title for row in self.groups}

    def chart_data(self) -> dict[str, Any]:
        titles = self.group_titles
        return {
            "labels": {"score": _("Điểm đạt"), "max": _("Điểm tối đa"), "total": _("Tổng điểm")},
            "groups": [
                {"name": row.title, "score": float(row.group.score), "max": float(row.group.max)}
                for row in self.groups
            ],
            "trend": {
                "months": [f"{m.month:%m/%Y}" for m in self.trends],
                "total": [float(m.total) for m in self.trends],
                "series": [
                    {"name": titles.get(gid, gid), "data": [float(dict(m.groups)[gid]) for m in self.trends]}
                    for gid in titles
                ],
            },
            "ranking": [
                {"name": row.unit.name, "total": float(row.total), "own": row.unit.pk == self.unit.pk}
                for row in self.siblings
            ],
        }


def late_by_officer(steps: list[LateStep]) -> list[tuple[str, list[LateStep]]]:
    """Late steps grouped by the officer who performed (or holds) them, most late first."""
    grouped: dict[str, list[LateStep]] = defaultdict(list)
    for step in steps:
        grouped[step.actor or _("(chưa giao người xử lý)")].append(step)
    return sorted(grouped.items(), key=lambda pair: (-len(pair[1]), pair[0]))


def build_board(unit: Unit, start: dt.date, end: dt.date, rulebook_id: str | None) -> Board:
    """Raises what ``indicator_report`` raises (``InvalidPeriod``, ``NotFound``, ``NoRulebook``)."""
    report = indicator_report(unit, start, end, rulebook_id)
    book = report.rulebook
    rules = {rule.id: rule for rule in book.indicators}
    titles = {group.id: group.name for group in book.groups}
    groups = [
        GroupRow(
            group=group,
            title=titles[group.id],
            items=[
                ItemRow(
                    item=item,
                    rule=rules[item.id],
                    drillable=item.applies and has_drill(rules[item.id].formula),
                )
                for item in group.indicators
            ],
        )
        for group in report.score.groups
    ]
    siblings = sibling_ranking(unit, start, end, book.id)
    return Board(
        unit=unit,
        report=report,
        groups=groups,
        siblings=siblings,
        position=position_of(siblings, unit),
        children=children_ranking(unit, start, end, book.id),
        trends=monthly_scores(unit, start, end, book.id),
        late_by_officer=late_by_officer(report.late_steps),
    )
