"""Formulas over the procedure catalog: publicity (1.1–1.3), online services provided and used (3.1,
3.2), payment integration (3.5, "procedures with an online payment") and population data by procedure
(4.5a). Sources: VPCP "Mô tả công thức tính chỉ số 766", METRICS sheet (domain-research §2.2–2.3).

The catalog keeps the current state of each procedure, not its history: counts over "procedures
under the unit's authority" are point-in-time (as of the computation), not as of the period.
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Q, QuerySet

from motcua.catalog.models import Component, OnlineLevel, Procedure, ProcedureLevel, Subjects, TimeUnit
from motcua.dossiers.models import Dossier, DossierComponent
from motcua.dossiers.workflow import Channel
from motcua.indicators.formulas.base import Ratio, by_period, received, shared, union_ids
from motcua.indicators.scope import Scope
from motcua.organizations.calendars import calendar_for_unit
from motcua.organizations.models import Level

# QĐ 766 1.2: a province publishes within 5 working days of the publishing decision.
PUBLICIZE_WORKING_DAYS = 5

# Procedure levels under the authority of a unit of each level (its own and those of the units below).
AUTHORITY_LEVELS: dict[str, tuple[str, ...]] = {
    Level.PROVINCE: (ProcedureLevel.PROVINCE, ProcedureLevel.DISTRICT, ProcedureLevel.COMMUNE),
    Level.DISTRICT: (ProcedureLevel.DISTRICT, ProcedureLevel.COMMUNE),
    Level.COMMUNE: (ProcedureLevel.COMMUNE,),
}


@dataclass(frozen=True)
class Catalog:
    """The published procedures as id sets, read once per batch of scopes (point in time)."""

    level_of: dict[int, str]
    complete: frozenset[int]  # 1.3: all 7 parts
    online: frozenset[int]  # partial or full online
    with_fee: frozenset[int]
    for_citizens: frozenset[int]
    handled: dict[int, frozenset[int]]  # a department's procedures (its processes name it)


def _complete() -> Q:
    """1.3: all 7 parts (NĐ 63/2010 Điều 8 khoản 2: name, sequence, method, components, time limit,
    subjects, implementing agency)."""
    return (
        ~Q(name="")
        & ~Q(sequence="")
        & ~Q(method="")
        & ~Q(subjects="")
        & ~Q(implementing_agency="")
        & (Q(time_unit=TimeUnit.NONE) | Q(time_limit__gt=0))
        & Q(Exists(Component.objects.filter(procedure=OuterRef("pk"))))
    )


def catalog_of(scopes: Sequence[Scope]) -> Catalog:
    """The catalog (once per batch: ``Scope.cache["shared"]``) with the procedures named by the
    processes of the batch's department-like units."""
    memo = shared(scopes)
    others = sorted({s.unit.pk for s in scopes if s.unit.level not in AUTHORITY_LEVELS})
    known: Catalog | None = memo.get("catalog")
    if known is not None and all(pk in known.handled for pk in others):
        return known
    published = Procedure.objects.published().order_by()
    rows = published.annotate(is_complete=ExpressionWrapper(_complete(), output_field=BooleanField()))
    level_of: dict[int, str] = {}
    sets: dict[str, set[int]] = defaultdict(set)
    for pk, level, online_level, fee, subjects, complete in rows.values_list(
        "pk", "level", "online_level", "fee_vnd", "subjects", "is_complete"
    ):
        level_of[pk] = level
        for name, test in (
            ("complete", complete),
            ("online", online_level in (OnlineLevel.FULL, OnlineLevel.PARTIAL)),
            ("with_fee", fee > 0),
            ("for_citizens", subjects in (Subjects.CITIZEN, Subjects.BOTH)),
        ):
            if test:
                sets[name].add(pk)
    handled: dict[int, set[int]] = {pk: set() for pk in others}
    for path in ("processes__unit_id", "processes__steps__performing_unit_id"):
        for unit_id, pk in published.filter(**{f"{path}__in": others}).values_list(path, "pk"):
            handled[unit_id].add(pk)
    catalog = Catalog(
        level_of=level_of,
        complete=frozenset(sets["complete"]),
        online=frozenset(sets["online"]),
        with_fee=frozenset(sets["with_fee"]),
        for_citizens=frozenset(sets["for_citizens"]),
        handled={pk: frozenset(ids) for pk, ids in handled.items()},
    )
    memo["catalog"] = catalog
    return catalog


def authority(scope: Scope, catalog: Catalog) -> frozenset[int]:
    """Published procedures under the unit's authority: by level for a province, district or commune
    (a province's set includes its communes', research §2.2 row 3.1); for any other unit (a
    department) those its internal processes name, as ``ProcedureQuerySet.handled_by`` reads them.
    Remembered on the scope for this catalog (several indicators ask)."""
    known = scope.cache.get("authority")
    if known is not None and known[0] is catalog:
        return known[1]  # type: ignore[no-any-return]
    levels = AUTHORITY_LEVELS.get(scope.unit.level)
    if levels is None:
        own = {pk for pk, level in catalog.level_of.items() if level == scope.unit.level}
        under = frozenset(own | catalog.handled[scope.unit.pk])
    else:
        under = frozenset(pk for pk, level in catalog.level_of.items() if level in levels)
    scope.cache["authority"] = (catalog, under)
    return under


def publication_on_time(scope: Scope) -> Ratio:
    """1.1: procedures whose publishing decision is dated at least 5 working days before the latest
    effective date of their legal basis ÷ procedures whose publishing decision is dated in the period
    (VPCP "Mô tả công thức tính chỉ số 766" row 1.1; 5 working days for a province). A procedure
    without a recorded legal-basis effective date cannot be judged and is left out of both (the
    catalog keeps one decision per procedure: its latest)."""
    rows = Procedure.objects.filter(
        decision_date__gte=scope.date_from,
        decision_date__lte=scope.date_to,
        legal_basis_effective_on__isnull=False,
    )
    total = punctual = 0
    for decided, effective in rows.values_list("decision_date", "legal_basis_effective_on").order_by():
        if decided is None or effective is None:  # not reachable: both filtered on
            continue
        total += 1
        punctual += decided <= _working_days_before(effective, PUBLICIZE_WORKING_DAYS)
    return Ratio(punctual, total)


def _working_days_before(day: dt.date, count: int) -> dt.date:
    calendar = calendar_for_unit(None, day)
    while count:
        day -= dt.timedelta(days=1)
        count -= calendar.is_working_day(day)
    return day


def _working_days_after(day: dt.date, count: int) -> dt.date:
    calendar = calendar_for_unit(None, day)
    while count:
        day += dt.timedelta(days=1)
        count -= calendar.is_working_day(day)
    return day


def publicized_on_time(scope: Scope) -> Ratio:
    """1.2: procedures publicized (``published_on``) within 5 working days of their publishing
    decision ÷ procedures whose decision is dated in the period. Province level only (the rulebook's
    scope). Procedures decided but not yet publicized count in the denominator only; a publication
    after the period end still counts when it is within the 5 days (the national rule looks past the
    period end: "decision date ≤ period end + 5 WD")."""
    rows = Procedure.objects.filter(decision_date__gte=scope.date_from, decision_date__lte=scope.date_to)
    total = punctual = 0
    for decided, published in rows.values_list("decision_date", "published_on").order_by():
        if decided is None:  # not reachable: filtered on the decision date
            continue
        total += 1
        limit = _working_days_after(decided, PUBLICIZE_WORKING_DAYS)
        punctual += published is not None and published <= limit
    return Ratio(punctual, total)


def complete_publication(scope: Scope) -> Ratio:
    """1.3: published procedures with all 7 parts (``_complete``) ÷ published procedures under
    authority. Point in time."""
    catalog = catalog_of([scope])
    under = authority(scope, catalog)
    return Ratio(len(under & catalog.complete), len(under))


def online_services_provided(scope: Scope) -> Ratio:
    """3.1: procedures offered online (partial or full, counted once) ÷ procedures under authority."""
    catalog = catalog_of([scope])
    under = authority(scope, catalog)
    return Ratio(len(under & catalog.online), len(under))


# --- procedures used in the period: a procedure counts when a dossier of the unit (or a unit below) of
# the kind named was received (submitted, for 3.2) in the period. Read for many scopes at once: the
# (responsible unit, procedure) pairs of the period's dossiers, then each scope's union over its units.


@dataclass(frozen=True)
class ProcedureUse:
    name: str
    procedures: Callable[[Catalog], frozenset[int]]  # which procedures (intersected with authority)
    dossiers: Callable[[Scope, Sequence[int]], QuerySet[Dossier]]  # which dossiers of these units count

    def __call__(self, scope: Scope) -> Ratio:
        key = f"use:{self.name}"
        if key not in scope.cache:
            prime([scope])
        return scope.cache[key]  # type: ignore[no-any-return]


def _submitted_online(scope: Scope, unit_ids: Sequence[int]) -> QuerySet[Dossier]:
    return Dossier.objects.filter(
        responsible_unit_id__in=unit_ids,
        channel=Channel.ONLINE,
        submitted_at__gte=scope.start,
        submitted_at__lt=scope.end,
    )


def _using_population_data(scope: Scope, unit_ids: Sequence[int]) -> QuerySet[Dossier]:
    store = Exists(
        DossierComponent.objects.filter(dossier=OuterRef("pk"), is_provided=True, is_from_store=True)
    )
    return received(scope, unit_ids).filter(
        Q(is_vneid_verified=True) | Q(is_population_data_used=True) | store
    )


online_services_used = ProcedureUse(
    "3.2",
    lambda catalog: catalog.online,
    _submitted_online,
)
"""3.2: online services that received at least one online dossier submitted in the period ÷ online
services (published, partial or full) under authority."""

payment_procedures_integrated = ProcedureUse(
    "3.5",
    lambda catalog: catalog.with_fee,
    lambda scope, ids: received(scope, ids).filter(fee_vnd__gt=0),
)
"""3.5: procedures with a fee that had dossiers with fee data in the period ÷ procedures with a fee in
the catalog (fee ≠ 0)."""

payment_procedures_transacted = ProcedureUse(
    "payment_transaction",
    lambda catalog: catalog.with_fee,
    lambda scope, ids: received(scope, ids).filter(is_paid_online=True),
)
"""Current layout, "procedures with an online payment transaction": procedures with a fee that had a
dossier paid online in the period ÷ procedures with a fee."""

population_data_procedures = ProcedureUse(
    "4.5a",
    lambda catalog: catalog.for_citizens,
    _using_population_data,
)
"""4.5a: procedures for citizens that had a dossier using population data in the period (VNeID-verified
account, a paper from the national store, the population database) ÷ procedures whose subjects
include citizens."""

USES = (
    online_services_used,
    payment_procedures_integrated,
    payment_procedures_transacted,
    population_data_procedures,
)


def prime(scopes: Sequence[Scope]) -> None:
    """Compute every ``ProcedureUse`` of ``scopes``: the catalog once, then per period one query per
    use for the (responsible unit, procedure) pairs of the period's dossiers."""
    catalog = catalog_of(scopes)
    for group in by_period(scopes):
        first, ids = group[0], union_ids(group)
        for use in USES:
            used_by: dict[int, set[int]] = defaultdict(set)
            pairs = use.dossiers(first, ids).order_by().values_list("responsible_unit_id", "procedure_id")
            for unit_id, procedure_id in pairs.distinct():
                used_by[unit_id].add(procedure_id)
            for scope in group:
                under = authority(scope, catalog) & use.procedures(catalog)
                used = set().union(*(used_by.get(pk, set()) for pk in scope.unit_ids))
                scope.cache[f"use:{use.name}"] = Ratio(len(under & used), len(under))
