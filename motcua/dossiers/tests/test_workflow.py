"""The workflow table: every (from, to) pair, allowed or forbidden, and a named service for each allowed
one."""

import itertools
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone

from motcua.dossiers import services
from motcua.dossiers.models import DossierEvent
from motcua.dossiers.services import MissingItem, TransitionNotAllowed
from motcua.dossiers.services._core import _move
from motcua.dossiers.workflow import ALLOWED_TRANSITIONS, CLOSED, NATIONAL_STATUS, EventKind, Status, can_move

from .factories import DossierFactory

PAIRS = list(itertools.product(Status, Status))


def test_the_table_is_complete_and_closed_statuses_are_final():
    assert set(ALLOWED_TRANSITIONS) == set(Status) == set(NATIONAL_STATUS)
    for status in CLOSED:
        assert ALLOWED_TRANSITIONS[status] == frozenset()
    # online dossiers are never refused at reception: nothing before reception leads to NOT_RECEIVED
    assert not any(can_move(s, Status.NOT_RECEIVED) for s in Status)


@pytest.mark.django_db
@pytest.mark.parametrize(("from_status", "to_status"), PAIRS, ids=[f"{a.value}->{b.value}" for a, b in PAIRS])
def test_every_pair_through_move(from_status, to_status):
    dossier = DossierFactory(status=from_status)
    version = dossier.version
    if can_move(from_status, to_status):
        event = _move(dossier, to=to_status, kind=EventKind.RECEIVED, by=None, at=timezone.now())
        dossier.refresh_from_db()
        assert dossier.status == to_status
        assert dossier.version == version + 1
        assert (event.from_status, event.to_status) == (from_status, to_status)
        assert (dossier.closed_at is not None) == (to_status in CLOSED)
    else:
        with pytest.raises(TransitionNotAllowed):
            _move(dossier, to=to_status, kind=EventKind.RECEIVED, by=None, at=timezone.now())
        dossier.refresh_from_db()
        assert dossier.status == from_status and dossier.version == version
    assert DossierEvent.objects.filter(dossier=dossier).count() == int(can_move(from_status, to_status))


# --- each allowed transition has its named service ----------------------------------------------------

Call = Callable[[Any, dict[str, Any]], object]
ITEMS = [MissingItem("Tờ khai")]


def _w(d: Any, p: dict[str, Any]) -> object:
    return services.withdraw(dossier_id=d.pk, by=p["applicant"], reason="Không có nhu cầu nữa")


SERVICE_FOR: dict[tuple[Status, Status], tuple[dict[str, Any], Call]] = {
    (Status.SUBMITTED, Status.RECEIVED): (
        {"online": True},
        lambda d, p: services.receive_online(dossier_id=d.pk, by=p["receiver"]),
    ),
    (Status.SUBMITTED, Status.INTAKE_SUPPLEMENT): (
        {"online": True},
        lambda d, p: services.return_for_supplement_online(dossier_id=d.pk, by=p["receiver"], items=ITEMS),
    ),
    (Status.SUBMITTED, Status.WITHDRAWN): ({"online": True}, _w),
    (Status.INTAKE_SUPPLEMENT, Status.SUBMITTED): (
        {"online": True, "status": Status.INTAKE_SUPPLEMENT},
        lambda d, p: services.complete_supplement(dossier_id=d.pk, by=p["applicant"]),
    ),
    (Status.INTAKE_SUPPLEMENT, Status.WITHDRAWN): ({"online": True, "status": Status.INTAKE_SUPPLEMENT}, _w),
    (Status.RECEIVED, Status.PROCESSING): (
        {},
        lambda d, p: services.start_processing(dossier_id=d.pk, by=p["receiver"]),
    ),
    (Status.RECEIVED, Status.WITHDRAWN): ({}, _w),
    (Status.PROCESSING, Status.AWAITING_SUPPLEMENT): (
        {"processing": True},
        lambda d, p: services.request_supplement(dossier_id=d.pk, by=p["specialist"], items=ITEMS),
    ),
    (Status.PROCESSING, Status.AWAITING_PAYMENT): (
        {"processing": True},
        lambda d, p: services.request_payment(dossier_id=d.pk, by=p["receiver"], amount_vnd=8000),
    ),
    (Status.PROCESSING, Status.SUSPENDED): (
        {"processing": True},
        lambda d, p: services.suspend(dossier_id=d.pk, by=p["specialist"], reason="Chờ giám định"),
    ),
    (Status.PROCESSING, Status.WITHDRAWN): ({"processing": True}, _w),
    (Status.PROCESSING, Status.STOPPED): (
        {"processing": True},
        lambda d, p: services.stop(dossier_id=d.pk, by=p["leader"], reason="Không bổ sung"),
    ),
    (Status.PROCESSING, Status.REJECTED): (
        {"processing": True},
        lambda d, p: services.reject_after_appraisal(
            dossier_id=d.pk, by=p["leader"], reasons=["Sai đối tượng"]
        ),
    ),
    (Status.PROCESSING, Status.PROCESSED): (
        {"processing": True, "result_number": "1/KS"},
        lambda d, p: services.mark_processed(dossier_id=d.pk, by=p["leader"]),
    ),
    (Status.AWAITING_SUPPLEMENT, Status.PROCESSING): (
        {"status": Status.AWAITING_SUPPLEMENT},
        lambda d, p: services.complete_supplement(dossier_id=d.pk, by=p["applicant"]),
    ),
    (Status.AWAITING_SUPPLEMENT, Status.WITHDRAWN): ({"status": Status.AWAITING_SUPPLEMENT}, _w),
    (Status.AWAITING_SUPPLEMENT, Status.STOPPED): (
        {"status": Status.AWAITING_SUPPLEMENT},
        lambda d, p: services.stop(dossier_id=d.pk, by=p["leader"], reason="Quá hạn bổ sung"),
    ),
    (Status.AWAITING_PAYMENT, Status.PROCESSING): (
        {"status": Status.AWAITING_PAYMENT, "fee_vnd": 8000},
        lambda d, p: services.record_payment(dossier_id=d.pk, by=p["receiver"], amount_vnd=8000),
    ),
    (Status.AWAITING_PAYMENT, Status.PROCESSED): (
        {"status": Status.AWAITING_PAYMENT, "fee_vnd": 8000, "result_number": "1/KS"},
        lambda d, p: services.record_payment(dossier_id=d.pk, by=p["receiver"], amount_vnd=8000),
    ),
    (Status.AWAITING_PAYMENT, Status.WITHDRAWN): ({"status": Status.AWAITING_PAYMENT}, _w),
    (Status.SUSPENDED, Status.PROCESSING): (
        {"status": Status.SUSPENDED},
        lambda d, p: services.resume(dossier_id=d.pk, by=p["specialist"]),
    ),
    (Status.SUSPENDED, Status.WITHDRAWN): ({"status": Status.SUSPENDED}, _w),
    (Status.SUSPENDED, Status.STOPPED): (
        {"status": Status.SUSPENDED},
        lambda d, p: services.stop(dossier_id=d.pk, by=p["leader"], reason="Hết thời hạn tạm dừng"),
    ),
    (Status.PROCESSED, Status.RETURNED): (
        {"processed": True},
        lambda d, p: services.return_result(dossier_id=d.pk, by=p["receiver"]),
    ),
}
ALLOWED = sorted((a, b) for a, targets in ALLOWED_TRANSITIONS.items() for b in targets)


def test_every_allowed_transition_has_a_service():
    assert sorted(SERVICE_FOR) == ALLOWED


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("from_status", "to_status"), ALLOWED, ids=[f"{a.value}->{b.value}" for a, b in ALLOWED]
)
def test_each_allowed_transition_through_its_service(
    from_status, to_status, clock, procedure, units, applicant, receiver, specialist, leader
):
    overrides, call = SERVICE_FOR[(from_status, to_status)]
    dossier = DossierFactory(
        procedure=procedure, receiving_unit=units.commune, applicant_user=applicant, **overrides
    )
    assert dossier.status == from_status
    people = {"applicant": applicant, "receiver": receiver, "specialist": specialist, "leader": leader}
    call(dossier, people)
    dossier.refresh_from_db()
    assert dossier.status == to_status
    moves = DossierEvent.objects.filter(dossier=dossier).exclude(to_status="")
    assert list(moves.values_list("from_status", "to_status")) == [(from_status, to_status)]
