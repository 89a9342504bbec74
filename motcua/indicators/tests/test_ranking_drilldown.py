"""The click-through from the board: for every dossier-based formula, the dossiers listed as numerator
and as denominator-only are exactly the formula's numerator and denominator (same dossiers, counted
once), on a mixed set covering each formula's edge cases."""

import pytest

from motcua.dossiers.workflow import Channel, EventKind, Status
from motcua.indicators.drilldown import DRILLS, drill, has_drill
from motcua.indicators.formulas import FORMULAS
from motcua.indicators.tests.builders import at, august, make_dossier

pytestmark = pytest.mark.django_db


def mixed(world):  # type: ignore[no-untyped-def]
    commune, other = world.commune, world.other_commune
    # on time, online, full online, paid online, digitized, electronic result, reused, from the store
    make_dossier(
        commune,
        world.online,
        channel=Channel.ONLINE,
        status=Status.PROCESSED,
        processed_at=at(8),
        is_result_electronic=True,
        is_vneid_verified=True,
        components=[{"is_provided": True, "is_digitized": True, "is_reused": True, "is_from_store": True}],
    )
    # online, partial level, fee paid online, paper result (not counted in 3.3), one paper not digitized
    make_dossier(
        other,
        world.partial,
        channel=Channel.ONLINE,
        status=Status.PROCESSED,
        processed_at=at(15),
        is_paid_online=True,
        components=[
            {"is_provided": True, "is_digitized": True},
            {"is_provided": True, "is_digitized": False},
        ],
    )
    # at the counter, fee not paid online, two supplementation requests (late), nothing provided
    make_dossier(
        commune,
        world.partial,
        events=[(EventKind.SUPPLEMENT_REQUESTED, at(8)), (EventKind.SUPPLEMENT_REQUESTED, at(9))],
    )
    # one request, applicant back after 3 days: on time with the time subtracted
    make_dossier(
        commune,
        world.offline,
        status=Status.PROCESSED,
        processed_at=at(12, 17),
        events=[(EventKind.SUPPLEMENT_REQUESTED, at(8)), (EventKind.SUPPLEMENT_COMPLETED, at(11))],
        components=[{"is_provided": True, "is_digitized": True}],
        is_population_data_used=True,
    )
    # online dossier of a procedure not published as online-capable (not in the 1217 numerator)
    make_dossier(commune, world.offline, channel=Channel.ONLINE, online_level="none")
    # still in process, past its appointment: late
    make_dossier(commune, world.online, due_at=at(8))
    # received in July: outside the period, but its result is issued in August (4.1 counts it)
    make_dossier(
        commune,
        world.online,
        received_at=at(20, month=7),
        due_at=at(25, month=7),
        status=Status.PROCESSED,
        processed_at=at(2),
        is_result_electronic=True,
    )
    # never received (withdrawn before reception)
    make_dossier(commune, world.online, received_at=None, status=Status.WITHDRAWN)
    # another district's tree: never counted
    make_dossier(world.province, world.online, channel=Channel.ONLINE)


@pytest.mark.parametrize("formula", sorted(DRILLS))
def test_the_dossiers_behind_an_item_are_the_formulas_numerator_and_denominator(world, formula):
    mixed(world)
    scope = august(world.district)

    expected = FORMULAS[formula](scope)
    found = drill(formula, august(world.district))

    assert found is not None
    numerator = set(found.numerator.values_list("pk", flat=True))
    rest = set(found.rest.values_list("pk", flat=True))
    assert not numerator & rest
    assert (len(numerator), len(numerator) + len(rest)) == (expected.numerator, expected.denominator)
    assert found.numerator.count() == expected.numerator


def test_the_mixed_set_exercises_both_parts_of_the_main_items(world):
    mixed(world)
    for formula in ("on_time", "online_share", "online_share_1217", "digitized", "electronic_results"):
        ratio = FORMULAS[formula](august(world.district))
        assert 0 < ratio.numerator < ratio.denominator, formula


def test_items_not_counted_over_dossiers_have_no_click_through(world):
    assert not has_drill("feedback_on_time") and not has_drill("publication_on_time")
    assert drill("complete_publication", august(world.commune)) is None
    assert has_drill("on_time") and has_drill("online_share_1217")
