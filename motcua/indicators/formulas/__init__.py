"""The numerator/denominator pairs of the QĐ 766 indicators, computed from the system's own data.

Each formula takes a ``Scope`` (a unit with its sub-units, a period) and returns a ``Ratio``. They are
plain aggregate queries: the recomputation oracle that the live counters (issue 6, later) must equal.
Rulebooks (``indicators/rulebooks/*.json``) name a formula by its key in ``FORMULAS``. The legal
source and the data rule of each formula are in its docstring and in docs/indicators.md.
"""

from collections.abc import Callable, Sequence

from motcua.indicators.formulas import catalog, feedback
from motcua.indicators.formulas.base import Ratio
from motcua.indicators.formulas.catalog import (
    complete_publication,
    online_services_provided,
    online_services_used,
    payment_procedures_integrated,
    payment_procedures_transacted,
    population_data_procedures,
    publication_on_time,
    publicized_on_time,
)
from motcua.indicators.formulas.dossiers import (
    digitized,
    digitized_at_reception,
    dossier_satisfaction,
    electronic_results,
    full_online,
    on_time,
    online_share,
    online_share_1217,
    paid_online,
    population_data_dossiers,
    reused,
    shared_with_store,
    synced_to_national_portal,
)
from motcua.indicators.formulas.feedback import (
    electronic_certification,
    feedback_on_time,
    feedback_satisfaction,
)
from motcua.indicators.scope import Scope

Formula = Callable[[Scope], Ratio]

FORMULAS: dict[str, Formula] = {
    "publication_on_time": publication_on_time,
    "publicized_on_time": publicized_on_time,
    "complete_publication": complete_publication,
    "synced_to_national_portal": synced_to_national_portal,
    "on_time": on_time,
    "online_services_provided": online_services_provided,
    "online_services_used": online_services_used,
    "online_share": online_share,
    "full_online": full_online,
    "payment_procedures_integrated": payment_procedures_integrated,
    "payment_procedures_transacted": payment_procedures_transacted,
    "paid_online": paid_online,
    "electronic_results": electronic_results,
    "digitized": digitized,
    "digitized_at_reception": digitized_at_reception,
    "electronic_certification": electronic_certification,
    "reused": reused,
    "shared_with_store": shared_with_store,
    "population_data_procedures": population_data_procedures,
    "population_data_dossiers": population_data_dossiers,
    "feedback_on_time": feedback_on_time,
    "feedback_satisfaction": feedback_satisfaction,
    "dossier_satisfaction": dossier_satisfaction,
    "online_share_1217": online_share_1217,
}


def prime(scopes: "Sequence[Scope]") -> None:
    """Compute the formulas that read many scopes at once (procedures used, PAKN, e-certification)
    for all ``scopes`` together; each formula then answers from its scope's cache."""
    catalog.prime(scopes)
    feedback.prime(scopes)


__all__ = ["FORMULAS", "Formula", "Ratio", "prime"]
