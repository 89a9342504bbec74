"""The answer of a formula, and the scoped querysets formulas start from."""

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from django.db.models import QuerySet
from django.db.models.functions import Coalesce

from motcua.dossiers.models import Dossier
from motcua.indicators.scope import Scope


@dataclass(frozen=True)
class Ratio:
    numerator: int
    denominator: int

    @property
    def fraction(self) -> Fraction | None:
        """The exact rate, or None when there is nothing to divide by (scored by the rulebook's
        zero-denominator rule)."""
        return Fraction(self.numerator, self.denominator) if self.denominator else None


NONE = Ratio(0, 0)


def by_period(scopes: Sequence[Scope]) -> list[list[Scope]]:
    """Scopes grouped by period (same local days and cut-off): each group is read with one query per
    formula over the union of its units (a ranking of every unit, the months of a trend)."""
    groups: dict[tuple[object, ...], list[Scope]] = {}
    for scope in scopes:
        groups.setdefault((scope.start, scope.end, scope.as_of), []).append(scope)
    return list(groups.values())


def union_ids(scopes: Sequence[Scope]) -> list[int]:
    return sorted({pk for scope in scopes for pk in scope.unit_ids})


def shared(scopes: Sequence[Scope]) -> dict[object, Any]:
    """One memo dict for every scope of a batch (``Scope.cache["shared"]``): what does not depend on
    the unit's sub-units (the procedures under a level's authority) is read once per batch."""
    memo: dict[object, Any] = next((s.cache["shared"] for s in scopes if "shared" in s.cache), {})
    for scope in scopes:
        scope.cache["shared"] = memo
    return memo


def received(scope: Scope, unit_ids: Sequence[int] | None = None) -> QuerySet[Dossier]:
    """Dossiers the unit (or a unit below it) is responsible for, received on a local day of the
    period (``NgayTiepNhan`` in period: the base of most QĐ 766 dossier indicators). A dossier never
    received (withdrawn or refused before reception) has no reception time and is not here.
    ``unit_ids``: those units instead of the scope's (a batch of scopes over the same period)."""
    return Dossier.objects.filter(
        responsible_unit_id__in=scope.unit_ids if unit_ids is None else unit_ids,
        received_at__gte=scope.start,
        received_at__lt=scope.end,
        received_at__lte=scope.as_of,
    ).order_by()


def issued(scope: Scope, unit_ids: Sequence[int] | None = None) -> QuerySet[Dossier]:
    """Dossiers of the units whose result was issued (processed, else returned) on a local day of the
    period by the cut-off, annotated ``issued_at`` (4.1's base; the "finished" column of a register)."""
    units = scope.unit_ids if unit_ids is None else unit_ids
    return (
        Dossier.objects.filter(responsible_unit_id__in=units)
        .annotate(issued_at=Coalesce("processed_at", "returned_at"))
        .filter(issued_at__gte=scope.start, issued_at__lt=scope.end, issued_at__lte=scope.as_of)
        .order_by()
    )


def ratio(numerator: int, denominator: int) -> Ratio:
    return Ratio(int(numerator or 0), int(denominator or 0))
