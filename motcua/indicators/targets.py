"""A unit's targets for the year of a period (chỉ tiêu giao), the value reached and the gap.

The target for a unit is the one assigned to that unit by name, else the one of its level, for the
year in which the period ends. The value is a formula of ``indicators.formulas`` over the unit and its
sub-units; ``gap = value − target`` (negative = below target), 4 decimals like every rate.
"""

from dataclasses import dataclass
from decimal import Decimal

from motcua.indicators.counters import formula_for
from motcua.indicators.models import Target, TargetKind
from motcua.indicators.scope import Scope
from motcua.indicators.scoring import quantize_rate

TARGET_FORMULAS: dict[str, str] = {
    TargetKind.ONLINE_SHARE_1217: "online_share_1217",
    TargetKind.DIGITIZED_SHARE: "digitized",
    TargetKind.DIGITIZED_AT_RECEPTION: "digitized_at_reception",
}


@dataclass(frozen=True)
class TargetResult:
    id: str
    value: Decimal
    target: Decimal
    gap: Decimal
    numerator: int
    denominator: int
    decision: str

    @property
    def name(self) -> str:
        return str(TargetKind(self.id).label)

    @property
    def value_percent(self) -> Decimal:
        return (self.value * 100).quantize(Decimal("0.01"))

    @property
    def target_percent(self) -> Decimal:
        return (self.target * 100).quantize(Decimal("0.01"))

    @property
    def gap_points(self) -> Decimal:
        """The gap in percentage points (``-15.34`` = 15.34 points below the target)."""
        return (self.gap * 100).quantize(Decimal("0.01"))

    @property
    def gap_points_abs(self) -> Decimal:
        return abs(self.gap_points)


def targets_in_force(scope: Scope) -> list[Target]:
    unit = scope.unit
    rows = Target.objects.filter(year=scope.year).filter(unit=unit) | Target.objects.filter(
        year=scope.year, unit__isnull=True, level=unit.level
    )
    chosen: dict[str, Target] = {}
    for target in rows.order_by("target_id", "unit_id"):
        if target.unit_id is not None or target.target_id not in chosen:
            chosen[target.target_id] = target
    return [chosen[key] for key in sorted(chosen, key=list(TARGET_FORMULAS).index)]


def target_results(scope: Scope) -> list[TargetResult]:
    """Value, target and gap of every target in force; a value without data (no dossiers) is 0."""
    results = []
    for target in targets_in_force(scope):
        ratio = formula_for(TARGET_FORMULAS[target.target_id])(scope)
        rate = ratio.fraction
        value = quantize_rate(rate) if rate is not None else Decimal("0.0000")
        results.append(
            TargetResult(
                id=target.target_id,
                value=value,
                target=target.value,
                gap=value - target.value,
                numerator=ratio.numerator,
                denominator=ratio.denominator,
                decision=target.decision,
            )
        )
    return results
