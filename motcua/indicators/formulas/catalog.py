"""Formulas over the procedure catalog: publicity (1.1–1.3), online services provided and used (3.1,
3.2), payment integration (3.5, "procedures with an online payment") and population data by procedure
(4.5a). Sources: VPCP "Mô tả công thức tính chỉ số 766", METRICS sheet (domain-research §2.2–2.3).

The catalog keeps the current state of each procedure, not its history: counts over "procedures
under the unit's authority" are point-in-time (as of the computation), not as of the period.
"""

import datetime as dt

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.db.models.expressions import BaseExpression

from motcua.catalog.models import Component, OnlineLevel, Procedure, ProcedureLevel, Subjects, TimeUnit
from motcua.dossiers.models import Dossier, DossierComponent
from motcua.dossiers.workflow import Channel
from motcua.indicators.formulas.base import NONE, Ratio, ratio, received
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


def authority(scope: Scope) -> QuerySet[Procedure]:
    """Published procedures under the unit's authority: by level for a province, district or commune
    (a province's set includes its communes', research §2.2 row 3.1); a department's are those its
    internal processes name (``ProcedureQuerySet.handled_by``)."""
    published = Procedure.objects.published()
    levels = AUTHORITY_LEVELS.get(scope.unit.level)
    if levels is None:
        return published.filter(pk__in=published.handled_by(scope.unit).values("pk"))
    return published.filter(level__in=levels)


def _count(procedures: QuerySet[Procedure], condition: Q | BaseExpression) -> Ratio:
    counts = procedures.order_by().aggregate(den=Count("pk"), num=Count("pk", filter=condition))
    return ratio(counts["num"], counts["den"])


def _has_dossier(dossiers: QuerySet[Dossier]) -> Q:
    """Procedures with at least one of ``dossiers``: a semi-join on the period's dossiers (read once
    through the unit and time indexes), not a look-up of each procedure's whole history."""
    return Q(pk__in=dossiers.values("procedure_id"))


def publication_on_time(scope: Scope) -> Ratio:
    """1.1: procedures whose publishing decision is dated at least 5 working days before the legal
    basis takes effect. The catalog does not record the effective date of the legal basis: no data."""
    return NONE


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
    """1.3: published procedures with all 7 parts (NĐ 63/2010 Điều 8 khoản 2: name, sequence, method,
    components, time limit, subjects, implementing agency) ÷ published procedures. Point in time."""
    has_component = Exists(Component.objects.filter(procedure=OuterRef("pk")))
    complete = (
        ~Q(name="")
        & ~Q(sequence="")
        & ~Q(method="")
        & ~Q(subjects="")
        & ~Q(implementing_agency="")
        & (Q(time_unit=TimeUnit.NONE) | Q(time_limit__gt=0))
    )
    return _count(authority(scope), complete & Q(has_component))


def online_services_provided(scope: Scope) -> Ratio:
    """3.1: procedures offered online (partial or full, counted once) ÷ procedures under authority."""
    return _count(authority(scope), Q(online_level__in=(OnlineLevel.FULL, OnlineLevel.PARTIAL)))


def online_services_used(scope: Scope) -> Ratio:
    """3.2: online services that received at least one online dossier submitted in the period ÷ online
    services (published, partial or full) under authority."""
    online = authority(scope).filter(online_level__in=(OnlineLevel.FULL, OnlineLevel.PARTIAL))
    submitted = Dossier.objects.filter(
        responsible_unit_id__in=scope.unit_ids,
        channel=Channel.ONLINE,
        submitted_at__gte=scope.start,
        submitted_at__lt=scope.end,
    )
    return _count(online, _has_dossier(submitted))


def payment_procedures_integrated(scope: Scope) -> Ratio:
    """3.5: procedures with a fee that had dossiers with fee data in the period ÷ procedures with a fee
    in the catalog (fee ≠ 0)."""
    with_fee = authority(scope).filter(fee_vnd__gt=0)
    return _count(with_fee, _has_dossier(received(scope).filter(fee_vnd__gt=0)))


def payment_procedures_transacted(scope: Scope) -> Ratio:
    """Current layout, "procedures with an online payment transaction": procedures with a fee that had
    a dossier paid online in the period ÷ procedures with a fee."""
    with_fee = authority(scope).filter(fee_vnd__gt=0)
    return _count(with_fee, _has_dossier(received(scope).filter(is_paid_online=True)))


def population_data_procedures(scope: Scope) -> Ratio:
    """4.5a: procedures for citizens that had a dossier using population data in the period (VNeID-
    verified account, a paper from the national store, the population database) ÷ procedures whose
    subjects include citizens."""
    for_citizens = authority(scope).filter(subjects__in=(Subjects.CITIZEN, Subjects.BOTH))
    store = Exists(
        DossierComponent.objects.filter(dossier=OuterRef("pk"), is_provided=True, is_from_store=True)
    )
    using = received(scope).filter(Q(is_vneid_verified=True) | Q(is_population_data_used=True) | store)
    return _count(for_citizens, _has_dossier(using))
