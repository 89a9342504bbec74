"""Provincial targets (Decision 1217/QĐ-UBND 2022 and the 2022 digitization targets, shipped by a data
migration): value, target and gap; and the late steps of a period."""

import datetime as dt
from decimal import Decimal

import pytest

from motcua.accounts.tests.factories import UserFactory
from motcua.core.worktime import TZ
from motcua.dossiers.models import DossierStep
from motcua.dossiers.workflow import Channel, Verdict
from motcua.indicators.late import late_steps
from motcua.indicators.models import Target
from motcua.indicators.scope import scope_for
from motcua.indicators.targets import target_results
from motcua.indicators.tests.builders import at, august, make_dossier

pytestmark = pytest.mark.django_db


def test_the_2022_targets_of_the_seeds_are_shipped():
    shipped = {(t.target_id, t.level): (t.value, t.decision) for t in Target.objects.filter(year=2022)}
    decision = "Quyết định 1217/QĐ-UBND ngày 12/5/2022 của Chủ tịch UBND tỉnh Hải Dương"
    assert shipped[("online_share_1217", "district")] == (Decimal("0.5500"), decision)
    assert shipped[("online_share_1217", "department")][0] == Decimal("0.5500")
    assert shipped[("online_share_1217", "commune")][0] == Decimal("0.5000")
    assert shipped[("digitized_share", "district")][0] == Decimal("0.4000")
    assert shipped[("digitized_share", "commune")][0] == Decimal("0.2500")
    assert shipped[("digitized_at_reception", "commune")][0] == Decimal("0.3000")


def test_value_target_and_gap_of_a_commune_in_2022(world):
    # given: August 2022, 3 of 4 dossiers online for online-capable procedures; 1 of 4 fully digitized
    day = dt.datetime(2022, 8, 8, 9, tzinfo=TZ)
    due = dt.datetime(2022, 8, 10, 17, tzinfo=TZ)
    for procedure in (world.online, world.online, world.partial):
        make_dossier(world.commune, procedure, received_at=day, due_at=due, channel=Channel.ONLINE)
    make_dossier(
        world.commune, world.offline, received_at=day, due_at=due, components=[{"is_digitized": True}]
    )

    results = target_results(scope_for(world.commune, dt.date(2022, 8, 1), dt.date(2022, 8, 31)))

    assert [(r.id, r.value, r.target, r.gap) for r in results] == [
        ("online_share_1217", Decimal("0.7500"), Decimal("0.5000"), Decimal("0.2500")),
        ("digitized_share", Decimal("0.2500"), Decimal("0.2500"), Decimal("0.0000")),
        ("digitized_at_reception", Decimal("0.2500"), Decimal("0.3000"), Decimal("-0.0500")),
    ]


def test_a_target_given_to_one_unit_overrides_its_levels(world):
    Target.objects.create(
        target_id="online_share_1217", level="commune", year=2023, value=Decimal("0.5"), decision="A"
    )
    Target.objects.create(
        target_id="online_share_1217",
        level="commune",
        unit=world.commune,
        year=2023,
        value=Decimal("0.7"),
        decision="B",
    )
    assert [(r.target, r.value) for r in target_results(august(world.commune))] == [
        (Decimal("0.7"), Decimal("0"))
    ]
    assert [r.target for r in target_results(august(world.other_commune))] == [Decimal("0.5")]
    assert target_results(august(world.district)) == []  # no 2023 target for districts


def test_late_steps_list_finished_late_and_overdue_open_steps_of_the_unit(world):
    officer = UserFactory(officer=True, with_totp=False, full_name="Trần Thị Bình")
    dossier = make_dossier(world.commune, world.online)
    other = make_dossier(world.other_commune, world.online)

    def step(d, name, due, finished=None, verdict="", **extra):  # type: ignore[no-untyped-def]
        return DossierStep.objects.create(
            dossier=d,
            position=1,
            name=name,
            role="specialist",
            unit=d.responsible_unit,
            budget_hours=Decimal(8),
            started_at=at(7),
            due_at=due,
            finished_at=finished,
            verdict=verdict,
            **extra,
        )

    step(dossier, "Thẩm định", at(8, 17), at(9), Verdict.LATE, finished_by=officer)
    step(dossier, "Phê duyệt", at(9, 17), at(9, 16), Verdict.ON_TIME)
    step(dossier, "Ký số", at(20, 17), actor_name="Lê Văn Cường")  # open, overdue
    step(dossier, "Trả kết quả", at(5, 17, month=9))  # open, not due in the period
    step(other, "Thẩm định", at(8, 17), at(9), Verdict.LATE)

    late = late_steps(august(world.commune))

    assert [(s.code, s.step, s.actor, s.due_at, s.finished_at) for s in late] == [
        (dossier.code, "Thẩm định", "Trần Thị Bình", at(8, 17), at(9)),
        (dossier.code, "Ký số", "Lê Văn Cường", at(20, 17), None),
    ]
    assert len(late_steps(august(world.district))) == 3
