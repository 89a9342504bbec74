"""Ranking of sibling units and of the units below (standard competition ranking: ties share a rank),
and the scores by month (month boundaries at local midnight)."""

import datetime as dt
from decimal import Decimal

import pytest

from motcua.core.worktime import TZ
from motcua.dossiers.workflow import Channel, EventKind, Status
from motcua.indicators.ranking import children_ranking, position_of, sibling_ranking
from motcua.indicators.report import indicator_report
from motcua.indicators.tests.builders import AUGUST, at, make_dossier
from motcua.indicators.trends import monthly_scores, trend_months
from motcua.organizations.models import Level
from motcua.organizations.tests.factories import UnitFactory

pytestmark = pytest.mark.django_db
NOW = at(1, 0, month=12)


def good(unit, procedure):  # type: ignore[no-untyped-def]
    """Online, processed on time, every paper digitized, electronic result."""
    return make_dossier(
        unit,
        procedure,
        channel=Channel.ONLINE,
        status=Status.PROCESSED,
        processed_at=at(8),
        is_result_electronic=True,
        components=[{"is_provided": True, "is_digitized": True}],
    )


def late(unit, procedure):  # type: ignore[no-untyped-def]
    """At the counter, two supplementation requests (late whatever the dates), nothing digitized."""
    return make_dossier(
        unit,
        procedure,
        events=[(EventKind.SUPPLEMENT_REQUESTED, at(8)), (EventKind.SUPPLEMENT_REQUESTED, at(9))],
        components=[{"is_provided": True, "is_digitized": False}],
    )


def test_siblings_are_ranked_by_total_with_shared_ranks_for_ties(world):
    third = UnitFactory(
        code="003.12.00.H23", name="UBND xã Hồng Hưng", level=Level.COMMUNE, parent=world.district
    )
    # a unit of the same parent but another level is not a sibling
    UnitFactory(code="000.12.01.H23", name="Phòng Tư pháp", level=Level.DEPARTMENT, parent=world.district)
    for unit in (world.commune, third):  # the same dossiers: the same total
        good(unit, world.online)
        late(unit, world.online)
    late(world.other_commune, world.online)
    late(world.other_commune, world.online)

    ranking = sibling_ranking(world.other_commune, *AUGUST, now=NOW)

    assert [(row.unit.code, row.rank, row.label) for row in ranking] == [
        ("001.12.00.H23", 1, "1/3"),
        ("003.12.00.H23", 1, "1/3"),
        ("002.12.00.H23", 3, "3/3"),
    ]
    assert ranking[0].total == ranking[1].total > ranking[2].total
    own = indicator_report(world.other_commune, *AUGUST, now=NOW).score.total
    assert position_of(ranking, world.other_commune).total == own  # type: ignore[union-attr]


def test_a_district_sees_its_communes_ranked_and_a_root_is_alone(world):
    good(world.other_commune, world.online)
    late(world.commune, world.online)

    children = children_ranking(world.district, *AUGUST, now=NOW)

    assert [(row.unit.name, row.label) for row in children] == [
        ("UBND xã Gia Hòa", "1/2"),
        ("UBND xã Gia Tân", "2/2"),
    ]
    assert [row.label for row in sibling_ranking(world.province, *AUGUST, now=NOW)] == ["1/1"]
    assert children_ranking(world.commune, *AUGUST, now=NOW) == []


def test_a_districts_offices_are_ranked_apart_from_its_communes(world):
    """A specialised office (no dossiers of its own, full points by the zero-denominator rule) must
    not push a commune down: each level is ranked among itself, communes first."""
    office = UnitFactory(
        code="000.05.12.H23",
        name="Phòng Tư pháp huyện Gia Lộc",
        level=Level.DEPARTMENT,
        parent=world.district,
    )
    good(world.other_commune, world.online)
    late(world.commune, world.online)

    children = children_ranking(world.district, *AUGUST, now=NOW)

    assert [(row.unit.name, row.label) for row in children] == [
        ("UBND xã Gia Hòa", "1/2"),
        ("UBND xã Gia Tân", "2/2"),
        (office.name, "1/1"),
    ]


def test_the_same_rulebook_scores_every_unit(world):
    ranking = sibling_ranking(world.commune, *AUGUST, rulebook_id="dvcqg-2025", now=NOW)
    assert {row.score.rulebook for row in ranking} == {"dvcqg-2025"}


def test_trend_months_are_the_periods_months_or_the_last_twelve():
    assert trend_months(dt.date(2023, 8, 10), dt.date(2023, 10, 5)) == [
        (dt.date(2023, 8, 10), dt.date(2023, 8, 31)),
        (dt.date(2023, 9, 1), dt.date(2023, 9, 30)),
        (dt.date(2023, 10, 1), dt.date(2023, 10, 5)),
    ]
    twelve = trend_months(dt.date(2024, 2, 1), dt.date(2024, 2, 29))
    assert len(twelve) == 12
    assert twelve[0] == (dt.date(2023, 3, 1), dt.date(2023, 3, 31))
    assert twelve[-1] == (dt.date(2024, 2, 1), dt.date(2024, 2, 29))


def test_a_dossier_counts_in_the_month_of_its_local_reception_day(world):
    # 23:30 on 31 August (local) is August, processed on time; 00:00 on 1 September is September, late
    last_minute = dt.datetime(2023, 8, 31, 23, 30, tzinfo=TZ)
    make_dossier(
        world.commune,
        world.offline,
        received_at=last_minute,
        due_at=at(5, 17, month=9),
        status=Status.PROCESSED,
        processed_at=last_minute + dt.timedelta(minutes=10),
    )
    midnight = dt.datetime(2023, 9, 1, 0, 0, tzinfo=TZ)
    make_dossier(world.commune, world.offline, received_at=midnight, due_at=midnight + dt.timedelta(hours=1))

    months = monthly_scores(world.commune, dt.date(2023, 8, 1), dt.date(2023, 9, 30), now=NOW)

    assert [m.month for m in months] == [dt.date(2023, 8, 1), dt.date(2023, 9, 1)]
    progress = [dict(m.groups)["progress"] for m in months]
    assert progress == [Decimal("20.00"), Decimal("0.00")]
    for month in months:
        report = indicator_report(world.commune, month.date_from, month.date_to, now=NOW)
        assert month.total == report.score.total


def test_months_not_begun_are_left_out(world):
    months = monthly_scores(world.commune, dt.date(2023, 11, 1), dt.date(2023, 11, 30), now=NOW)
    assert months[-1].month == dt.date(2023, 11, 1)
    assert len(months) == 12
    in_october = monthly_scores(world.commune, dt.date(2023, 11, 1), dt.date(2024, 2, 28), now=NOW)
    assert [m.month for m in in_october] == [dt.date(2023, 11, 1), dt.date(2023, 12, 1)]
