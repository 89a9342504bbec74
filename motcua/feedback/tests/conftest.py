"""Personas and data for ratings and PAKN: the small province of the dossier tests (imported, not
copied) and a returned dossier handled by three officers, built with factories (fixtures for reads;
behaviour goes through ``feedback.services``)."""

import datetime as dt

import pytest

from motcua.accounts.models import User
from motcua.dossiers.models import Dossier, DossierEvent
from motcua.dossiers.tests import conftest as dossier_fixtures
from motcua.dossiers.tests.conftest import MONDAY_8, Province
from motcua.dossiers.tests.factories import DossierFactory, DossierStepFactory
from motcua.dossiers.workflow import EventKind, Status, Verdict
from motcua.feedback.models import FeedbackSubject
from motcua.feedback.services import Contact, submit_feedback

# the personas and the small province of the dossier tests
units = dossier_fixtures.units
applicant = dossier_fixtures.applicant
other_applicant = dossier_fixtures.other_applicant
receiver = dossier_fixtures.receiver
receiver_elsewhere = dossier_fixtures.receiver_elsewhere
specialist = dossier_fixtures.specialist
leader = dossier_fixtures.leader
procedure = dossier_fixtures.procedure

FULL_MARKS = {"index_1": 2, "index_3": 2, "index_4": 1, "index_7": 2}


def handled_dossier(
    province: Province, owner: User, counter: User, expert: User, chief: User, **changes: object
) -> Dossier:
    """A returned dossier of the commune filed from ``owner``'s account: received and returned by
    ``counter``; step 1 by ``expert`` (early), step 2 by ``chief`` (late), an imported step 3 by
    "Trần Văn Cũ" (on time) with no account."""
    fields: dict[str, object] = {
        "returned": True,
        "receiving_unit": province.commune,
        "responsible_unit": province.commune,
        "applicant_user": owner,
        "applicant_id_number": "030090000123",
        "phone": "0912000111",
    }
    fields.update(changes)
    dossier = DossierFactory(**fields)
    at = MONDAY_8
    DossierEvent.objects.create(
        dossier=dossier, kind=EventKind.RECEIVED, at=at, actor=counter, to_status=Status.RECEIVED
    )
    DossierStepFactory(
        dossier=dossier, position=1, assignee=expert, finished_by=expert, verdict=Verdict.EARLY
    )
    DossierStepFactory(dossier=dossier, position=2, assignee=None, finished_by=chief, verdict=Verdict.LATE)
    DossierStepFactory(dossier=dossier, position=3, actor_name="Trần Văn Cũ", verdict=Verdict.ON_TIME)
    DossierEvent.objects.create(
        dossier=dossier,
        kind=EventKind.RETURNED,
        at=at + dt.timedelta(days=2),
        actor=counter,
        from_status=Status.PROCESSED,
        to_status=Status.RETURNED,
    )
    return dossier


@pytest.fixture
def returned(units, applicant, receiver, specialist, leader):  # type: ignore[no-untyped-def]
    return handled_dossier(units, applicant, receiver, specialist, leader)


def send_pakn(unit, **changes):  # type: ignore[no-untyped-def]
    data = {
        "unit": unit,
        "subject": FeedbackSubject.PROCEDURE,
        "title": "Thời gian cấp giấy khai sinh",
        "content": "Đề nghị rút ngắn thời gian giải quyết.",
        "contact": Contact(name="Nguyễn Thị Mai", email="mai@example.vn", phone="0987654321"),
    }
    data.update(changes)
    return submit_feedback(**data)
