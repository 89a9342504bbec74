"""The same indicators from imported dossiers as from live ones (interchange README: "Indicators
computed from imported dossiers must be identical to those computed from the same dossiers handled
live"). Dossiers are handled through the services, exported, wiped, imported back, scored again."""

import datetime as dt
import io

import pytest

from motcua.dossiers import services
from motcua.dossiers.counters import ROLL_UPS
from motcua.dossiers.interchange import export_dossiers, import_dossier_files
from motcua.dossiers.models import DailyCounter, Dossier, DossierEvent, DossierStep
from motcua.dossiers.services import MissingItem
from motcua.dossiers.tests.conftest import (
    applicant,
    clock,
    district_specialist,
    leader,
    local,
    papers,
    person,
    procedure,
    receiver,
    specialist,
    units,
)
from motcua.indicators.report import as_json, indicator_report

__all__ = [
    "applicant",
    "clock",
    "district_specialist",
    "leader",
    "papers",
    "person",
    "procedure",
    "receiver",
    "specialist",
    "units",
]

pytestmark = pytest.mark.django_db


def receive(by, procedure, units, person, papers):  # type: ignore[no-untyped-def]
    return services.receive_at_counter(
        by=by, procedure=procedure, receiving_unit=units.commune, applicant=person, components=papers
    )


def handle_march(clock, receiver, specialist, leader, procedure, units, person, papers) -> None:  # type: ignore[no-untyped-def]
    # 1. Supplemented once, late steps, result recorded electronically, processed, returned, rated.
    d = receive(receiver, procedure, units, person, papers)
    clock.move_to(local(2024, 3, 4, 8, 30))
    services.start_processing(dossier_id=d.pk, by=receiver)
    clock.move_to(local(2024, 3, 4, 10))
    services.request_supplement(dossier_id=d.pk, by=specialist, items=[MissingItem("Giấy chứng sinh", "Mờ")])
    clock.move_to(local(2024, 3, 6, 9))
    services.complete_supplement(dossier_id=d.pk, by=receiver)
    clock.move_to(local(2024, 3, 7, 10))
    services.forward_step(dossier_id=d.pk, by=specialist)
    services.forward_step(dossier_id=d.pk, by=specialist)
    services.record_result(
        dossier_id=d.pk,
        by=specialist,
        number="12/2024/KS",
        signed_on=dt.date(2024, 3, 7),
        signer="Vũ Quang Huy",
    )
    clock.move_to(local(2024, 3, 7, 16))
    services.mark_processed(dossier_id=d.pk, by=leader)
    clock.move_to(local(2024, 3, 8, 9))
    services.return_result(dossier_id=d.pk, by=receiver)
    Dossier.objects.filter(pk=d.pk).update(rating="satisfied")

    # 2. Received, then withdrawn on the applicant's written request.
    clock.move_to(local(2024, 3, 11, 8))
    w = receive(receiver, procedure, units, person, papers)
    clock.move_to(local(2024, 3, 11, 9))
    services.withdraw(
        dossier_id=w.pk, by=receiver, reason="Không còn nhu cầu", written_request="Đơn ngày 11/3"
    )

    # 3. Received, processing, its first step now overdue.
    clock.move_to(local(2024, 3, 12, 8))
    p = receive(receiver, procedure, units, person, papers)
    services.start_processing(dossier_id=p.pk, by=receiver)
    clock.move_to(local(2024, 3, 20, 8))


def scores(units) -> list[dict]:  # type: ignore[no-untyped-def,type-arg]
    march = (dt.date(2024, 3, 1), dt.date(2024, 3, 31))
    return [
        as_json(indicator_report(unit, *march)) for unit in (units.commune, units.district, units.province)
    ]


def without_late_steps(report: dict) -> dict:  # type: ignore[type-arg]
    return {key: value for key, value in report.items() if key != "late_steps"}


def late_keys(report: dict) -> list[tuple[str, str, str]]:  # type: ignore[type-arg]
    """Interchange v1 carries a step's first deadline only (not one restarted by a supplementation)
    and names no assignee for a step nobody finished: the late steps match on dossier, step and end."""
    return [(s["code"], s["step"], s["finished_at"]) for s in report["late_steps"]]


def test_imported_dossiers_score_exactly_like_the_live_ones(
    clock, receiver, specialist, leader, procedure, units, person, papers
):
    # given: dossiers handled live
    handle_march(clock, receiver, specialist, leader, procedure, units, person, papers)
    live = scores(units)
    assert live[0]["groups"][1]["indicators"][0]["denominator"] == 3
    assert live[0]["late_steps"]

    # when: exported, wiped, imported into the same units and catalog
    dossiers, events = io.StringIO(), io.StringIO()
    export_dossiers(dossiers, events)
    DossierEvent.objects.all().delete()
    DossierStep.objects.all().delete()
    Dossier.objects.all().delete()
    DailyCounter.objects.all().delete()  # a fresh database: no counters either
    for model, _span in ROLL_UPS:
        model.objects.all().delete()
    import_dossier_files(io.BytesIO(dossiers.getvalue().encode()), io.BytesIO(events.getvalue().encode()))

    # then
    imported = scores(units)
    assert [without_late_steps(s) for s in imported] == [without_late_steps(s) for s in live]
    assert [late_keys(s) for s in imported] == [late_keys(s) for s in live]
