"""Online share, payment, digitization and population-data formulas on hand-built dossiers."""

import pytest

from motcua.catalog.models import OnlineLevel
from motcua.dossiers.workflow import Channel, Status
from motcua.indicators.formulas import FORMULAS, Ratio
from motcua.indicators.tests.builders import at, august, make_dossier

pytestmark = pytest.mark.django_db

DIGITIZED = {"is_digitized": True}
PAPER = {"is_digitized": False}


def ratio_of(name, unit):  # type: ignore[no-untyped-def]
    return FORMULAS[name](august(unit))


def test_online_share_needs_an_electronic_result_when_the_procedure_issues_a_document(world):
    make_dossier(world.commune, world.online, channel=Channel.ONLINE, is_result_electronic=True)
    make_dossier(world.commune, world.online, channel=Channel.ONLINE)  # no e-result yet
    make_dossier(world.commune, world.offline, channel=Channel.ONLINE)  # no document to issue
    make_dossier(world.commune, world.online)  # direct

    assert ratio_of("online_share", world.commune) == Ratio(2, 4)


def test_decision_1217_counts_online_dossiers_of_online_capable_procedures_only(world):
    make_dossier(world.commune, world.online, channel=Channel.ONLINE)
    make_dossier(world.commune, world.partial, channel=Channel.ONLINE)
    # online, but the procedure was not published as online-capable when submitted
    make_dossier(world.commune, world.offline, channel=Channel.ONLINE)
    make_dossier(world.commune, world.partial, channel=Channel.POSTAL)
    # recorded before the field existed: the procedure's level decides
    make_dossier(world.commune, world.online, channel=Channel.ONLINE, online_level="")

    assert ratio_of("online_share_1217", world.commune) == Ratio(3, 5)


def test_full_online_counts_over_dossiers_of_eligible_procedures(world):
    make_dossier(world.commune, world.online, channel=Channel.ONLINE)
    make_dossier(world.commune, world.online, channel=Channel.ONLINE, online_level=OnlineLevel.PARTIAL)
    make_dossier(world.commune, world.online)
    make_dossier(world.commune, world.partial, channel=Channel.ONLINE)  # not eligible: not counted

    assert ratio_of("full_online", world.commune) == Ratio(1, 3)


def test_paid_online_is_over_dossiers_with_a_fee(world):
    make_dossier(world.commune, world.partial, fee_vnd=20000, is_paid_online=True)
    make_dossier(world.commune, world.partial, fee_vnd=20000)
    make_dossier(world.commune, world.online, fee_vnd=0)

    assert ratio_of("paid_online", world.commune) == Ratio(1, 2)


def test_electronic_results_count_when_the_result_is_issued(world):
    make_dossier(
        world.commune, world.online, status=Status.PROCESSED, processed_at=at(9), is_result_electronic=True
    )
    make_dossier(
        world.commune,
        world.online,
        status=Status.RETURNED,
        received_at=at(28, month=7),
        processed_at=at(2),
        returned_at=at(3),
    )  # received in July, issued in August: counted
    make_dossier(world.commune, world.offline, status=Status.PROCESSED, processed_at=at(9))  # no document
    make_dossier(world.commune, world.online)  # not issued yet

    assert ratio_of("electronic_results", world.commune) == Ratio(1, 2)


def test_digitized_needs_every_provided_paper_and_an_electronic_result_once_issued(world):
    make_dossier(world.commune, world.online, components=[DIGITIZED, DIGITIZED])
    make_dossier(world.commune, world.online, components=[DIGITIZED, PAPER])
    make_dossier(world.commune, world.online, components=[DIGITIZED, {"is_provided": False}])
    make_dossier(world.commune, world.online)  # no paper at all
    make_dossier(
        world.commune, world.online, status=Status.PROCESSED, processed_at=at(9), components=[DIGITIZED]
    )
    make_dossier(
        world.commune,
        world.online,
        status=Status.PROCESSED,
        processed_at=at(9),
        is_result_electronic=True,
        components=[DIGITIZED],
    )

    assert ratio_of("digitized", world.commune) == Ratio(3, 6)
    assert ratio_of("digitized_at_reception", world.commune) == Ratio(4, 6)


def test_reuse_store_and_population_data(world):
    make_dossier(world.commune, world.online, components=[{"is_reused": True}, PAPER])
    make_dossier(world.commune, world.online, components=[{"is_from_store": True}])
    make_dossier(world.commune, world.online, is_vneid_verified=True)
    make_dossier(world.commune, world.online, is_population_data_used=True)
    make_dossier(world.commune, world.online, components=[{"is_reused": True, "is_provided": False}])

    assert ratio_of("reused", world.commune) == Ratio(1, 5)
    assert ratio_of("shared_with_store", world.commune) == Ratio(1, 5)
    assert ratio_of("population_data_dossiers", world.commune) == Ratio(3, 5)


def test_without_dossiers_every_dossier_formula_has_a_zero_denominator(world):
    names = [
        "online_share",
        "online_share_1217",
        "full_online",
        "paid_online",
        "electronic_results",
        "digitized",
        "reused",
        "shared_with_store",
        "population_data_dossiers",
        "synced_to_national_portal",
    ]
    assert {name: ratio_of(name, world.commune) for name in names} == dict.fromkeys(names, Ratio(0, 0))
