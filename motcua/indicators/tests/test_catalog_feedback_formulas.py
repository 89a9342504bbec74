"""Publicity, online services, payment procedures, population data by procedure, PAKN and
electronic certification formulas on hand-built data."""

import datetime as dt
import uuid

import pytest

from motcua.accounts.tests.factories import UserFactory
from motcua.catalog.models import OnlineLevel, ProcedureLevel, Subjects, TimeUnit
from motcua.catalog.tests.factories import (
    ComponentFactory,
    InternalProcessFactory,
    ProcedureFactory,
    ProcessStepFactory,
)
from motcua.certification.models import BookKind, Certification
from motcua.dossiers.workflow import Channel
from motcua.feedback.models import Feedback, FeedbackSubject
from motcua.indicators.formulas import FORMULAS, Ratio
from motcua.indicators.tests.builders import at, august, make_dossier
from motcua.organizations.models import Level
from motcua.organizations.tests.factories import UnitFactory

pytestmark = pytest.mark.django_db


def ratio_of(name, unit):  # type: ignore[no-untyped-def]
    return FORMULAS[name](august(unit))


def test_publicized_on_time_within_five_working_days_of_the_decision(world):
    # given: decisions of Thursday 3 August 2023; 5 working days later is Thursday 10 August
    ProcedureFactory(decision_date=dt.date(2023, 8, 3), published_on=dt.date(2023, 8, 10))
    ProcedureFactory(decision_date=dt.date(2023, 8, 3), published_on=dt.date(2023, 8, 11))
    ProcedureFactory(decision_date=dt.date(2023, 8, 3), published_on=None)  # not publicized yet
    ProcedureFactory(decision_date=dt.date(2023, 7, 3), published_on=dt.date(2023, 8, 1))  # other period
    # 1, 2 and 4 September 2023 are days off: 28/8 + 5 working days is 6/9, after the period end
    ProcedureFactory(decision_date=dt.date(2023, 8, 28), published_on=dt.date(2023, 9, 6))
    ProcedureFactory(decision_date=dt.date(2023, 8, 28), published_on=dt.date(2023, 9, 7))

    assert ratio_of("publicized_on_time", world.province) == Ratio(2, 5)


def test_complete_publication_needs_all_seven_parts(world):
    for procedure in (world.online, world.partial):
        ComponentFactory(procedure=procedure)
    world.partial.method = ""
    world.partial.save(update_fields=["method"])
    # offline has no component; a draft does not count at all
    ProcedureFactory(level=ProcedureLevel.COMMUNE)

    assert ratio_of("complete_publication", world.province) == Ratio(1, 3)


def test_a_procedure_without_time_limit_is_complete_with_unit_none(world):
    procedure = ProcedureFactory(published=True, time_limit=0, time_unit=TimeUnit.NONE)
    ComponentFactory(procedure=procedure)
    assert ratio_of("complete_publication", world.commune) == Ratio(1, 4)


def test_online_services_provided_and_used_by_the_units_authority(world):
    ProcedureFactory(published=True, level=ProcedureLevel.PROVINCE, online_level=OnlineLevel.FULL)
    make_dossier(world.commune, world.partial, channel=Channel.ONLINE)

    assert ratio_of("online_services_provided", world.commune) == Ratio(2, 3)  # commune-level only
    assert ratio_of("online_services_provided", world.province) == Ratio(3, 4)
    assert ratio_of("online_services_used", world.commune) == Ratio(1, 2)
    assert ratio_of("online_services_used", world.other_commune) == Ratio(0, 2)


def test_a_departments_procedures_are_those_its_internal_processes_name(world):
    # given: the district's justice office performs a step of the partial procedure's process
    office = UnitFactory(code="000.10.12.H23", level=Level.DEPARTMENT, parent=world.district)
    process = InternalProcessFactory(procedure=world.partial, unit=None)
    ProcessStepFactory(process=process, position=1, performing_unit=office)
    ProcessStepFactory(process=process, position=2, performing_unit=office)

    assert ratio_of("online_services_provided", office) == Ratio(1, 1)
    assert ratio_of("payment_procedures_integrated", office) == Ratio(0, 1)


def test_payment_procedures_integrated_and_transacted(world):
    ProcedureFactory(published=True, fee_vnd=50000)  # a fee, no dossier
    make_dossier(world.commune, world.partial, fee_vnd=20000)
    make_dossier(world.commune, world.partial, fee_vnd=20000, is_paid_online=True)

    assert ratio_of("payment_procedures_integrated", world.commune) == Ratio(1, 2)
    assert ratio_of("payment_procedures_transacted", world.commune) == Ratio(1, 2)
    assert ratio_of("payment_procedures_transacted", world.other_commune) == Ratio(0, 2)


def test_population_data_by_procedure_counts_procedures_for_citizens(world):
    ProcedureFactory(published=True, subjects=Subjects.BUSINESS)
    make_dossier(world.commune, world.online, is_vneid_verified=True)
    make_dossier(world.commune, world.partial)

    assert ratio_of("population_data_procedures", world.commune) == Ratio(1, 3)


def test_publication_on_time_has_no_data_without_legal_basis_dates(world):
    ProcedureFactory(decision_date=dt.date(2023, 8, 3))  # no effective date recorded: not judged
    assert ratio_of("publication_on_time", world.province) == Ratio(0, 0)


def test_publication_on_time_needs_five_working_days_before_the_legal_basis_takes_effect(world):
    # given: a legal basis effective Friday 1 September 2023 (a holiday, like Monday 4 September);
    # 5 working days before it is Friday 25 August (25, 28, 29, 30, 31 August)
    effective = dt.date(2023, 9, 1)
    ProcedureFactory(decision_date=dt.date(2023, 8, 25), legal_basis_effective_on=effective)
    ProcedureFactory(decision_date=dt.date(2023, 8, 28), legal_basis_effective_on=effective)  # late
    ProcedureFactory(decision_date=dt.date(2023, 8, 1), legal_basis_effective_on=dt.date(2023, 10, 1))
    ProcedureFactory(decision_date=dt.date(2023, 7, 3), legal_basis_effective_on=effective)  # July
    ProcedureFactory(decision_date=dt.date(2023, 8, 3))  # no effective date: left out

    assert ratio_of("publication_on_time", world.province) == Ratio(2, 3)


def feedback(unit, *, received, due, answered=None, likes=0, dislikes=0, assigned=None):  # type: ignore[no-untyped-def]
    return Feedback.objects.create(
        code=f"PA-{uuid.uuid4().hex[:10]}",
        unit=unit,
        assigned_unit=assigned,
        subject=FeedbackSubject.PROCEDURE,
        title="Hỏi về thủ tục",
        content="…",
        submitter_name="Nguyễn Văn An",
        received_at=received,
        due_at=due,
        answered_at=answered,
        status="answered" if answered else "received",
        like_count=likes,
        dislike_count=dislikes,
    )


def test_feedback_on_time_and_satisfaction(world):
    feedback(world.commune, received=at(1), due=at(22), answered=at(20), likes=3, dislikes=1)
    feedback(world.commune, received=at(1), due=at(22), answered=at(20), likes=0, dislikes=2)  # disliked
    feedback(world.commune, received=at(1), due=at(22), answered=at(23))  # late
    feedback(world.commune, received=at(25), due=at(15, month=9))  # open, within time
    feedback(world.commune, received=at(2), due=at(23))  # open, overdue
    feedback(world.province, received=at(3), due=at(24), answered=at(4), assigned=world.commune)
    feedback(world.commune, received=at(3, month=9), due=at(24, month=9))  # other period

    assert ratio_of("feedback_on_time", world.commune) == Ratio(4, 6)
    assert ratio_of("feedback_satisfaction", world.commune) == Ratio(3, 6)
    assert ratio_of("feedback_on_time", world.other_commune) == Ratio(0, 0)


def test_electronic_certification_counts_communes_that_signed_an_electronic_copy(world):
    justice_officer = UserFactory(officer=True, with_totp=False)

    def certification(unit, kind, signed_at):  # type: ignore[no-untyped-def]
        return Certification.objects.create(
            unit=unit,
            kind=kind,
            requester_name="Nguyễn Văn An",
            document_name="Giấy khai sinh",
            pages=1,
            copies=1,
            fee_vnd=2000,
            received_at=at(1),
            due_at=at(1, 17),
            signed_at=signed_at,
            officer=justice_officer,
        )

    certification(world.commune, BookKind.ELECTRONIC_COPY, at(10))
    certification(world.other_commune, BookKind.COPY, at(10))  # on paper
    certification(world.other_commune, BookKind.ELECTRONIC_COPY, at(10, month=9))  # other period

    assert ratio_of("electronic_certification", world.district) == Ratio(1, 2)
    assert ratio_of("electronic_certification", world.commune) == Ratio(1, 1)
    assert ratio_of("electronic_certification", world.other_commune) == Ratio(0, 1)
