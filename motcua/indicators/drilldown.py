"""The dossiers behind an indicator's numbers (click-through from the board): for the dossier-based
sub-indicators, the dossiers counted in the numerator and those in the denominator but not the
numerator. Each is the formula's own dossier set (``formulas.dossiers.DOSSIER_SETS``), so the list and
the count cannot drift apart; 2.1 lists the dossiers its per-dossier rule judged on time.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from motcua.dossiers.models import Dossier
from motcua.indicators.formulas.base import received
from motcua.indicators.formulas.dossiers import DOSSIER_SETS, DossierSet, on_time_ids
from motcua.indicators.scope import Scope


@dataclass(frozen=True)
class Drill:
    """``numerator``: dossiers counted in the numerator; ``rest``: in the denominator only."""

    numerator: QuerySet[Dossier]
    rest: QuerySet[Dossier]


def _split(dossiers: DossierSet) -> Drill:
    return Drill(
        numerator=dossiers.base.filter(dossiers.condition), rest=dossiers.base.exclude(dossiers.condition)
    )


def _on_time(scope: Scope) -> DossierSet:
    return DossierSet(received(scope), Q(pk__in=on_time_ids(scope)))


SETS: dict[str, Callable[[Scope], DossierSet]] = {"on_time": _on_time, **DOSSIER_SETS}
DRILLS = frozenset(SETS)


def drill(formula: str, scope: Scope) -> Drill | None:
    """The dossiers behind ``formula`` (a key of ``FORMULAS``) over ``scope``; None when the formula
    does not count dossiers (publication, PAKN, procedures)."""
    build = SETS.get(formula)
    return _split(build(scope)) if build is not None else None


def has_drill(formula: str) -> bool:
    return formula in DRILLS


__all__ = ["DRILLS", "Drill", "drill", "has_drill"]
