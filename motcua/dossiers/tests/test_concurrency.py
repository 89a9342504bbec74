"""Two officers acting on one dossier: exactly one wins, the other gets a conflict naming the current
state, and nothing is overwritten."""

import threading

import pytest
from django.db import connection, connections

from motcua.core.errors import Conflict, DomainError
from motcua.core.models import IssuedNumber
from motcua.dossiers import services
from motcua.dossiers.models import Dossier, DossierEvent
from motcua.dossiers.services import ApplicantInput, MissingItem
from motcua.dossiers.workflow import Status
from motcua.organizations.models import Role

from .conftest import officer


@pytest.mark.django_db
def test_a_stale_version_loses_with_a_conflict_and_changes_nothing(clock, counter_dossier, receiver, units):
    colleague = officer(units.commune, Role.RECEIVER, "Đinh Thị Thu (một cửa)")
    seen = counter_dossier.version  # both officers opened the dossier at version 1
    services.start_processing(dossier_id=counter_dossier.pk, by=receiver, expected_version=seen)
    with pytest.raises(Conflict, match="Đang xử lý") as lost:
        services.withdraw(
            dossier_id=counter_dossier.pk,
            by=colleague,
            reason="Người dân xin rút",
            written_request="Đơn ngày 04/3/2024",
            expected_version=seen,
        )
    assert "phiên bản 2" in lost.value.message
    counter_dossier.refresh_from_db()
    assert counter_dossier.status == Status.PROCESSING and counter_dossier.version == 2
    assert DossierEvent.objects.filter(dossier=counter_dossier).count() == 2


@pytest.mark.django_db(transaction=True)
def test_two_connections_race_and_exactly_one_wins(procedure, units, applicant, papers):
    if connection.vendor != "postgresql":
        pytest.skip("a real two-connection race needs PostgreSQL row locks (SQLite serialises writers)")
    receivers = [officer(units.commune, Role.RECEIVER, f"Cán bộ một cửa {i}") for i in (1, 2)]
    dossier = services.submit_online(
        by=applicant,
        procedure=procedure,
        receiving_unit=units.commune,
        applicant=ApplicantInput(name="Nguyễn Văn An", id_number="030090000123"),
        components=papers,
        idempotency_key="race-1",
    )
    barrier = threading.Barrier(2)
    outcomes: list[object] = [None, None]

    def act(i: int) -> None:
        try:
            barrier.wait(timeout=30)
            if i == 0:
                services.receive_online(dossier_id=dossier.pk, by=receivers[i], expected_version=1)
            else:
                services.return_for_supplement_online(
                    dossier_id=dossier.pk, by=receivers[i], items=[MissingItem("Tờ khai")], expected_version=1
                )
            outcomes[i] = "won"
        except DomainError as exc:
            outcomes[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=act, args=(i,)) for i in (0, 1)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert outcomes.count("won") == 1, outcomes
    loser = next(o for o in outcomes if o != "won")
    assert isinstance(loser, Conflict)
    dossier = Dossier.objects.get(pk=dossier.pk)
    assert dossier.version == 2
    assert dossier.status in {Status.RECEIVED, Status.INTAKE_SUPPLEMENT}
    assert DossierEvent.objects.filter(dossier=dossier).exclude(to_status="").count() == 2


@pytest.mark.django_db(transaction=True)
def test_concurrent_replays_of_one_submission_create_one_dossier(procedure, units, applicant, papers):
    if connection.vendor != "postgresql":
        pytest.skip("concurrent inserts need PostgreSQL (SQLite serialises writers)")
    barrier = threading.Barrier(4)
    codes: list[str] = []
    lock = threading.Lock()

    def submit() -> None:
        try:
            barrier.wait(timeout=30)
            d = services.submit_online(
                by=applicant,
                procedure=procedure,
                receiving_unit=units.commune,
                applicant=ApplicantInput(name="Nguyễn Văn An", id_number="030090000123"),
                components=papers,
                idempotency_key="double-click-1",
            )
            with lock:
                codes.append(d.code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=submit) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert len(codes) == 4 and len(set(codes)) == 1
    assert Dossier.objects.count() == 1
    # the losers' code numbers were rolled back with their savepoint: one number, no gap
    assert IssuedNumber.objects.count() == 1
