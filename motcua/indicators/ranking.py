"""Ranking of units by their QĐ 766 total (xếp hạng): a unit among its siblings ("xếp thứ 10/12
huyện, thị xã, thành phố", seed 001) and the units directly below a unit (a district sees its
communes).

Siblings are the active units with the same parent and the same level; every unit is scored under the
same rulebook (the one in force on the period end, or the one chosen) and rolled up over its sub-units
(``indicators.report.ratios``). Order: total descending, then unit code. Ties share a rank and the next
rank skips (standard competition ranking, 1-2-2-4), so "x/y" never shows two units at the same place
with different numbers.
"""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from motcua.indicators.counters import prime
from motcua.indicators.report import ratios
from motcua.indicators.rulebooks import Rulebook, rulebook_for
from motcua.indicators.scope import scope_for, unit_tree
from motcua.indicators.scoring import Score, score
from motcua.organizations.models import Level, Unit


@dataclass(frozen=True)
class RankedUnit:
    unit: Unit
    score: Score
    rank: int
    of: int

    @property
    def total(self) -> Decimal:
        return self.score.total

    @property
    def label(self) -> str:
        """``"10/12"``: the rank and the number of units ranked."""
        return f"{self.rank}/{self.of}"


def score_unit(
    unit: Unit, rulebook: Rulebook, date_from: dt.date, date_to: dt.date, now: dt.datetime | None
) -> Score:
    return score_units([unit], rulebook, date_from, date_to, now)[unit.pk]


def score_units(
    units: list[Unit],
    rulebook: Rulebook,
    date_from: dt.date,
    date_to: dt.date,
    now: dt.datetime | None = None,
) -> dict[int, Score]:
    """The score of each unit (rolled up over its sub-units) for one period; the counters of all of
    them are read together (``indicators.counters.prime``)."""
    tree = unit_tree()
    scopes = [scope_for(unit, date_from, date_to, now, tree=tree) for unit in units]
    prime(scopes)
    return {scope.unit.pk: score(rulebook, ratios(rulebook, scope), scope.unit.level) for scope in scopes}


def rank_units(
    units: list[Unit],
    rulebook: Rulebook,
    date_from: dt.date,
    date_to: dt.date,
    now: dt.datetime | None = None,
) -> list[RankedUnit]:
    """Score and rank ``units``; ties (equal totals) share the better rank."""
    scores = score_units(units, rulebook, date_from, date_to, now)
    return _ranked([(unit, scores[unit.pk]) for unit in units])


def _ranked(pairs: list[tuple[Unit, Score]]) -> list[RankedUnit]:
    scored = sorted(pairs, key=lambda pair: (-pair[1].total, pair[0].code))
    result: list[RankedUnit] = []
    for position, (unit, unit_score) in enumerate(scored, start=1):
        tied = result and result[-1].total == unit_score.total
        rank = result[-1].rank if tied else position
        result.append(RankedUnit(unit=unit, score=unit_score, rank=rank, of=len(scored)))
    return result


def siblings(unit: Unit) -> list[Unit]:
    """The unit and the active units with its parent and level (a root unit is alone)."""
    if unit.parent_id is None:
        return [unit]
    others = Unit.objects.filter(parent_id=unit.parent_id, level=unit.level, is_active=True).exclude(
        pk=unit.pk
    )
    return [unit, *others]


def sibling_ranking(
    unit: Unit,
    date_from: dt.date,
    date_to: dt.date,
    rulebook_id: str | None = None,
    now: dt.datetime | None = None,
) -> list[RankedUnit]:
    return rank_units(siblings(unit), rulebook_for(date_to, rulebook_id), date_from, date_to, now)


def children_ranking(
    unit: Unit,
    date_from: dt.date,
    date_to: dt.date,
    rulebook_id: str | None = None,
    now: dt.datetime | None = None,
) -> list[RankedUnit]:
    """The active units directly below ``unit``, ranked among those of the same level (a district's
    communes among themselves, its specialised offices among themselves: a commune is never ranked
    against an office), administrative levels first; empty for a commune."""
    children = list(Unit.objects.filter(parent_id=unit.pk, is_active=True))
    scores = score_units(children, rulebook_for(date_to, rulebook_id), date_from, date_to, now)
    levels = sorted({child.level for child in children}, key=lambda level: (level == Level.DEPARTMENT, level))
    result: list[RankedUnit] = []
    for level in levels:
        result += _ranked([(child, scores[child.pk]) for child in children if child.level == level])
    return result


def position_of(ranking: list[RankedUnit], unit: Unit) -> RankedUnit | None:
    return next((row for row in ranking if row.unit.pk == unit.pk), None)
