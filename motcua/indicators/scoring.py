"""Points from rates under a rulebook (QĐ 766 scaling, domain-research §2.3). Pure.

- an item: ``score = max × rate`` (linear), or with a threshold ``score = max × min(1, rate ÷ threshold)``;
- no denominator: ``zero`` or ``full`` points as the rulebook says; an item outside its scope (a
  province-only item for a commune) scores by the rulebook's ``out_of_scope`` rule;
- rates are shown with 4 decimals and points with 2 (interchange contract); an item's points are
  rounded once, and group and total scores are the sums of the rounded points shown, so every figure
  of a report adds up by hand.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from functools import lru_cache

from motcua.indicators.formulas.base import Ratio
from motcua.indicators.rulebooks import IndicatorRule, Rulebook

RATE_PLACES = Decimal("0.0001")
POINT_PLACES = Decimal("0.01")


def _decimal(value: Fraction) -> Decimal:
    return Decimal(value.numerator) / Decimal(value.denominator)


def quantize_rate(value: Fraction) -> Decimal:
    # the exact fraction, rounded once (Decimal division has 28 significant digits: enough for counts)
    return _decimal(value).quantize(RATE_PLACES, rounding=ROUND_HALF_UP)


def quantize_points(value: Decimal) -> Decimal:
    return value.quantize(POINT_PLACES, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class IndicatorScore:
    id: str
    numerator: int
    denominator: int
    rate: Decimal
    score: Decimal
    max: Decimal
    applies: bool = True


@dataclass(frozen=True)
class GroupScore:
    id: str
    score: Decimal
    max: Decimal
    indicators: tuple[IndicatorScore, ...]


@dataclass(frozen=True)
class Score:
    rulebook: str
    total: Decimal
    groups: tuple[GroupScore, ...]


def points(
    rule: IndicatorRule, rate: Fraction | None, *, applies: bool = True, out_of_scope: str = "full"
) -> Decimal:
    """The item's points before rounding."""
    if not applies:
        return rule.max if out_of_scope == "full" else Decimal(0)
    if rate is None:
        return rule.max if rule.zero_denominator == "full" else Decimal(0)
    scaled = rate if rule.threshold is None else rate / Fraction(rule.threshold)
    return rule.max * _decimal(min(Fraction(1), max(Fraction(0), scaled)))


def score_indicator(
    rule: IndicatorRule, ratio: Ratio, *, applies: bool = True, out_of_scope: str = "full"
) -> IndicatorScore:
    return _scored(rule, ratio, applies, out_of_scope)


@lru_cache(maxsize=16384)
def _scored(rule: IndicatorRule, ratio: Ratio, applies: bool, out_of_scope: str) -> IndicatorScore:
    """One item's score (pure and immutable, so remembered and shared: a ranking of hundreds of units
    meets the same ratios many times, "no data" above all)."""
    rate = ratio.fraction
    shown = quantize_rate(rate) if rate is not None else Decimal("0.0000")
    return IndicatorScore(
        id=rule.id,
        numerator=ratio.numerator,
        denominator=ratio.denominator,
        rate=shown,
        score=quantize_points(points(rule, rate, applies=applies, out_of_scope=out_of_scope)),
        max=rule.max,
        applies=applies,
    )


def score(rulebook: Rulebook, ratios: dict[str, Ratio], level: str) -> Score:
    """Score every item of ``rulebook`` from ``ratios`` (by indicator id) for a unit of ``level``."""
    groups = []
    for group in rulebook.groups:
        items = tuple(
            score_indicator(
                rule,
                ratios[rule.id],
                applies=rule.applies_to(level),
                out_of_scope=rulebook.out_of_scope,
            )
            for rule in group.indicators
        )
        groups.append(
            GroupScore(
                id=group.id, score=sum((i.score for i in items), Decimal(0)), max=group.max, indicators=items
            )
        )
    return Score(rulebook=rulebook.id, total=sum((g.score for g in groups), Decimal(0)), groups=tuple(groups))
