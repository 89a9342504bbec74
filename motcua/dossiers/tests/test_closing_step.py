"""The counter's closing step ("Vào sổ theo dõi, trả kết quả") does not hold approval back: it starts
when the leader approves and ends with the return of the result (NĐ 61/2018/NĐ-CP Điều 20)."""

from decimal import Decimal

import pytest

from motcua.catalog.tests.factories import InternalProcessFactory, ProcessStepFactory
from motcua.dossiers import services
from motcua.dossiers.models import DossierEvent, DossierStep
from motcua.dossiers.services import ActionRefused
from motcua.dossiers.workflow import EventKind, Status, Verdict
from motcua.organizations.models import Role

from .conftest import local


@pytest.fixture
def closing_process(procedure):  # type: ignore[no-untyped-def]
    """The procedure's process with the counter's closing step after the leader's approval."""
    process = InternalProcessFactory(procedure=procedure, unit=None, name="Quy trình có bước trả kết quả")
    procedure.processes.exclude(pk=process.pk).delete()
    ProcessStepFactory(process=process, position=1, name="Thẩm định", role=Role.SPECIALIST, hours=Decimal(8))
    ProcessStepFactory(process=process, position=2, name="Ký duyệt", role=Role.LEADER, hours=Decimal(4))
    ProcessStepFactory(
        process=process, position=3, name="Vào sổ theo dõi, trả kết quả", role=Role.RECEIVER, hours=Decimal(2)
    )
    return process


def _to_leader(clock, dossier, receiver, specialist):  # type: ignore[no-untyped-def]
    clock.move_to(local(2024, 3, 4, 8, 30))
    d = services.start_processing(dossier_id=dossier.pk, by=receiver)
    clock.move_to(local(2024, 3, 4, 10))
    d = services.forward_step(dossier_id=d.pk, by=specialist)
    return services.record_result(
        dossier_id=d.pk, by=specialist, number="12/TL", signed_on=local(2024, 3, 4, 10).date(), signer="A"
    )


@pytest.mark.django_db
def test_leader_approves_before_the_closing_step_which_ends_at_return(
    clock, closing_process, counter_dossier, receiver, specialist, leader
):
    d = _to_leader(clock, counter_dossier, receiver, specialist)
    closing = DossierStep.objects.get(dossier=d, position=3)

    clock.move_to(local(2024, 3, 4, 11))
    d = services.mark_processed(dossier_id=d.pk, by=leader)
    assert d.status == Status.PROCESSED
    closing.refresh_from_db()
    # Due at the appointment (Thursday 08:00), later than its 2 working hours from 11:00 (15:00):
    # the counter is not late because the applicant has not come yet.
    assert (closing.started_at, closing.due_at, closing.finished_at) == (
        local(2024, 3, 4, 11),
        d.due_at,
        None,
    )
    assert d.due_at == local(2024, 3, 7, 8)
    assert DossierEvent.objects.filter(dossier=d, kind=EventKind.STEP_STARTED, step=closing).count() == 1

    clock.move_to(local(2024, 3, 7, 9))
    d = services.return_result(dossier_id=d.pk, by=receiver)
    closing.refresh_from_db()
    assert (closing.finished_at, closing.finished_by, closing.verdict) == (
        local(2024, 3, 7, 9),
        receiver,
        Verdict.LATE,
    )
    assert d.status == Status.RETURNED
    assert DossierEvent.objects.filter(dossier=d, kind=EventKind.STEP_FINISHED, step=closing).count() == 1


@pytest.mark.django_db
def test_other_open_steps_still_hold_approval_back(
    clock, closing_process, counter_dossier, receiver, specialist, leader
):
    clock.move_to(local(2024, 3, 4, 8, 30))
    d = services.start_processing(dossier_id=counter_dossier.pk, by=receiver)
    with pytest.raises(ActionRefused, match="Thẩm định"):
        services.mark_processed(dossier_id=d.pk, by=leader)
