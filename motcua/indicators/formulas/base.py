"""The answer of a formula, and the scoped querysets formulas start from."""

from dataclasses import dataclass
from fractions import Fraction

from django.db.models import QuerySet

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


def received(scope: Scope) -> QuerySet[Dossier]:
    """Dossiers the unit (or a unit below it) is responsible for, received on a local day of the
    period (``NgayTiepNhan`` in period: the base of most QĐ 766 dossier indicators). A dossier never
    received (withdrawn or refused before reception) has no reception time and is not here."""
    return Dossier.objects.filter(
        responsible_unit_id__in=scope.unit_ids,
        received_at__gte=scope.start,
        received_at__lt=scope.end,
        received_at__lte=scope.as_of,
    ).order_by()


def ratio(numerator: int, denominator: int) -> Ratio:
    return Ratio(int(numerator or 0), int(denominator or 0))
