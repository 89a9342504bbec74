"""Who may do what, and who sees which dossier."""

import datetime as dt

import pytest

from motcua.core.errors import NotFound
from motcua.dossiers import permissions, services
from motcua.dossiers.models import Dossier, DossierStep, StepKind
from motcua.dossiers.queries import get_dossier_for_user, search, worklist
from motcua.dossiers.workflow import Status
from motcua.organizations.models import Membership, Role

from .conftest import local, officer
from .factories import DossierFactory, DossierStepFactory


@pytest.mark.django_db
def test_role_predicates(units, receiver, specialist, leader, receiver_elsewhere, applicant, other_applicant):
    dossier = DossierFactory(receiving_unit=units.commune, applicant_user=applicant)
    assert permissions.can_receive(receiver, dossier) and permissions.can_receive(receiver, units.commune)
    assert not permissions.can_receive(specialist, dossier)  # a specialist cannot receive
    assert not permissions.can_receive(leader, dossier)
    assert not permissions.can_receive(receiver_elsewhere, dossier)
    assert permissions.can_approve(leader, dossier)
    assert not permissions.can_approve(receiver, dossier)  # a receiver cannot approve
    assert not permissions.can_approve(specialist, dossier)
    assert permissions.can_reschedule(leader, dossier) and not permissions.can_reschedule(specialist, dossier)
    assert permissions.can_return_result(receiver, dossier) and not permissions.can_return_result(
        leader, dossier
    )
    assert permissions.can_withdraw(applicant, dossier) and not permissions.can_withdraw(
        other_applicant, dossier
    )
    assert permissions.can_complete_supplement(applicant, dossier)
    assert not permissions.can_complete_supplement(specialist, dossier)


@pytest.mark.django_db
def test_step_predicate_follows_assignee_or_role_in_the_steps_unit(
    units, specialist, leader, district_specialist
):
    step = DossierStepFactory(dossier=DossierFactory(receiving_unit=units.commune, processing=True))
    assert permissions.can_process_step(specialist, step)
    assert not permissions.can_process_step(leader, step)  # the step wants a specialist
    assert not permissions.can_process_step(district_specialist, step)  # another unit
    step.assignee = district_specialist
    assert permissions.can_process_step(district_specialist, step)


@pytest.mark.django_db
def test_ended_memberships_no_longer_count(units, receiver):
    dossier = DossierFactory(receiving_unit=units.commune)
    Membership.objects.filter(user=receiver).update(valid_to=dt.date(2020, 1, 1))
    assert not permissions.can_receive(receiver, dossier)
    assert list(Dossier.objects.visible_to(receiver)) == []


@pytest.mark.django_db
def test_visibility_by_unit_step_and_own_account(
    units, receiver, specialist, receiver_elsewhere, district_specialist, applicant, other_applicant
):
    here = DossierFactory(receiving_unit=units.commune, applicant_user=applicant)
    forwarded_to_us = DossierFactory(receiving_unit=units.other_commune, responsible_unit=units.commune)
    elsewhere = DossierFactory(receiving_unit=units.other_commune)
    hop = DossierFactory(receiving_unit=units.commune, processing=True)
    DossierStepFactory(dossier=hop, unit=units.justice_office)
    assert set(Dossier.objects.visible_to(specialist)) == {here, forwarded_to_us, hop}
    assert set(Dossier.objects.visible_to(receiver_elsewhere)) == {forwarded_to_us, elsewhere}
    assert set(Dossier.objects.visible_to(district_specialist)) == {hop}
    assert set(Dossier.objects.visible_to(applicant)) == {here}
    assert set(Dossier.objects.visible_to(other_applicant)) == set()
    # not found and not yours look the same
    with pytest.raises(NotFound) as not_yours:
        get_dossier_for_user(receiver_elsewhere, here.code)
    with pytest.raises(NotFound) as missing:
        get_dossier_for_user(receiver_elsewhere, "000.21.10.H56-240304-9999")
    assert type(not_yours.value) is type(missing.value)
    assert get_dossier_for_user(receiver, f"  {here.code.lower()} ") == here


@pytest.mark.django_db
def test_search_is_diacritics_free_and_scoped(units, receiver, procedure):
    hoa = DossierFactory(receiving_unit=units.commune, applicant_name="Lê Thị Hòa", procedure=procedure)
    DossierFactory(receiving_unit=units.commune, applicant_name="Trần Văn Đức")
    DossierFactory(receiving_unit=units.other_commune, applicant_name="Lê Thị Hòa")
    assert list(search(receiver, text="le thi hoa")) == [hoa]
    assert list(search(receiver, text="HÒA", status=Status.RECEIVED, procedure=procedure)) == [hoa]
    assert list(search(receiver, text="hoa", status=Status.PROCESSING)) == []
    assert list(search(receiver, text=hoa.code, submitted_from=dt.date(2024, 3, 4))) == [hoa]
    assert list(search(receiver, text="hoa", submitted_to=dt.date(2024, 3, 3))) == []


@pytest.mark.django_db
def test_worklist_orders_by_step_deadline_and_flags(units, specialist, leader):
    soon = DossierStepFactory(
        dossier=DossierFactory(receiving_unit=units.commune, processing=True), due_at=local(2024, 3, 4, 12)
    )
    late = DossierStepFactory(
        dossier=DossierFactory(receiving_unit=units.commune, processing=True), due_at=local(2024, 3, 4, 9)
    )
    later = DossierStepFactory(
        dossier=DossierFactory(receiving_unit=units.commune, processing=True), due_at=local(2024, 3, 8, 9)
    )
    DossierStepFactory(dossier=DossierFactory(receiving_unit=units.commune, returned=True))  # closed
    DossierStepFactory(
        dossier=DossierFactory(receiving_unit=units.commune, processing=True), role=Role.LEADER
    )
    rows = list(worklist(specialist, at=local(2024, 3, 4, 10)))
    assert rows == [late, soon, later]
    assert [(r.is_overdue, r.is_due_soon) for r in rows] == [(True, False), (False, True), (False, False)]
    assert len(worklist(leader)) == 1


@pytest.mark.django_db
def test_worklist_runs_a_fixed_number_of_queries(units, specialist, django_assert_num_queries):
    for _ in range(5):
        DossierStepFactory(dossier=DossierFactory(receiving_unit=units.commune, processing=True))
    with django_assert_num_queries(1):
        rows = list(worklist(specialist))
        assert [(r.dossier.code, r.dossier.procedure.code, r.unit.code) for r in rows]


@pytest.mark.django_db
def test_services_check_permissions_before_writing(
    clock, counter_dossier, applicant, receiver_elsewhere, district_specialist
):
    from motcua.core.errors import PermissionDenied

    for somebody in (applicant, receiver_elsewhere, district_specialist):
        with pytest.raises(PermissionDenied):
            services.start_processing(dossier_id=counter_dossier.pk, by=somebody)
    counter_dossier.refresh_from_db()
    assert counter_dossier.version == 1 and not DossierStep.objects.exists()


@pytest.mark.django_db
def test_only_the_other_units_leaders_assign_its_lien_thong_task(units, leader):
    dossier = DossierFactory(receiving_unit=units.commune, processing=True)
    own_step = DossierStepFactory(dossier=dossier, unit=units.commune, kind=StepKind.PROCESS)
    task = DossierStepFactory(dossier=dossier, unit=units.justice_office, kind=StepKind.INTER_UNIT)
    district_leader = officer(units.justice_office, Role.LEADER, "Trưởng phòng Tư pháp")
    assert permissions.can_reassign_step(leader, own_step)
    assert not permissions.can_reassign_step(leader, task)
    assert permissions.can_reassign_step(district_leader, task)
