"""The TT 01/2018/TT-VPCP evaluation on a hand-built set of dossiers with known answers: each
per-dossier index, the per-unit indices 5, 8 and 9, the aggregation and grades of the unit and its
officers, the rollup over sub-units, scoping, and the late steps per officer.

The set (August 2023, commune Gia Tân unless said otherwise):

- D1 online, result online, processed early, one early step by A, no supplementation;
- D2 at the counter, processed on the due day, one late step by B, one supplementation request,
  rated by the applicant (index 4 = 0, index 7 = 2; their answers to 1 and 3 are not used);
- D3 at the counter, received by C, processed late, two supplementation requests, a PAKN about an
  officer's conduct (answered on time);
- D4 still processing, with an overdue open step of A (not evaluated; a late step);
- D5 in the other commune, processed early (only in the district's rollup).
"""

import datetime as dt
from decimal import Decimal

import pytest

from motcua.accounts.tests.factories import UserFactory
from motcua.catalog.tests.factories import ComponentFactory
from motcua.dossiers.models import Dossier, DossierEvent, DossierStep, ResultDelivery
from motcua.dossiers.workflow import Channel, Status
from motcua.feedback.models import DossierRating, Feedback, FeedbackCategory, FeedbackStatus
from motcua.indicators.evaluation.report import evaluate, quarter, whole_year
from motcua.indicators.late import late_steps
from motcua.indicators.tests.builders import at, august, make_dossier

pytestmark = pytest.mark.django_db
NOW = at(1, 0, month=12)


def step(dossier: Dossier, by, *, due, finished=None, verdict="", position=1):  # type: ignore[no-untyped-def]
    return DossierStep.objects.create(
        dossier=dossier,
        position=position,
        name=f"Bước {position}",
        role="specialist",
        unit=dossier.responsible_unit,
        assignee=by,
        finished_by=by if finished else None,
        budget_hours=Decimal(8),
        started_at=at(7),
        due_at=due,
        finished_at=finished,
        verdict=verdict,
    )


@pytest.fixture
def case(world):  # type: ignore[no-untyped-def]
    a = UserFactory(officer=True, with_totp=False, full_name="Anh A")
    b = UserFactory(officer=True, with_totp=False, full_name="Bình B")
    c = UserFactory(officer=True, with_totp=False, full_name="Cúc C")
    ComponentFactory(procedure=world.online)  # world.online: all 7 parts published
    processed = Status.PROCESSED
    d1 = make_dossier(
        world.commune,
        world.online,
        channel=Channel.ONLINE,
        result_delivery=ResultDelivery.ONLINE,
        status=processed,
        processed_at=at(8, 10),
    )
    step(d1, a, due=at(9, 17), finished=at(8, 9), verdict="early")
    d2 = make_dossier(
        world.commune,
        world.partial,
        status=processed,
        processed_at=at(10, 15),
        events=[("supplement_requested", at(7, 10)), ("supplement_completed", at(7, 11))],
    )
    step(d2, b, due=at(8, 9), finished=at(8, 16), verdict="late")
    DossierRating.objects.create(
        dossier=d2,
        unit=world.commune,
        channel="online",
        satisfaction="satisfied",
        index_1=0,
        index_3=0,
        index_4=0,
        index_7=2,
        created_at=at(11),
    )
    d3 = make_dossier(
        world.commune,
        world.partial,
        status=Status.RETURNED,
        processed_at=at(11, 10),
        returned_at=at(11, 15),
        events=[("supplement_requested", at(7, 10)), ("supplement_requested", at(8, 10))],
    )
    DossierEvent.objects.create(dossier=d3, kind="received", at=at(7), actor=c)
    Feedback.objects.create(
        code="PAKN-1",
        unit=world.commune,
        subject="officer",
        dossier=d3,
        title="Cán bộ gây phiền hà",
        content="…",
        category=FeedbackCategory.CONDUCT,
        status=FeedbackStatus.ANSWERED,
        submitter_name="Người gửi",
        received_at=at(12),
        due_at=at(31),
        answered_at=at(20),
    )
    d4 = make_dossier(world.commune, world.offline, status=Status.PROCESSING)
    step(d4, a, due=at(20))
    d5 = make_dossier(world.other_commune, world.partial, status=processed, processed_at=at(8, 10))
    return {"a": a, "b": b, "c": c, "d1": d1, "d2": d2, "d3": d3, "d4": d4, "d5": d5}


def scores(result):  # type: ignore[no-untyped-def]
    return {i.number: i.score for i in result.indices}


def test_the_communes_nine_indices_and_grade(world, case):
    result = evaluate(world.commune, *quarter(2023, 3), now=NOW)

    assert result.dossiers == 3  # D4 is still open
    assert scores(result) == {
        1: Decimal("1.0"),  # early 2, on time 1, late 0
        2: Decimal("1.0"),  # D1 early step 2, D2 late step 0; D3 has no step: left out
        3: Decimal("1.0"),  # no request 2, one 1, two 0
        4: Decimal("1.0"),  # online both ways 2, the rating's 0, the counter 1
        5: Decimal(1),  # no procedure appraised at the counter; every dossier through the counter
        6: Decimal("1.3"),  # complete 2, parts missing 1, 1 → 4/3
        7: Decimal("1.3"),  # early 2, the rating's 2, conduct PAKN 0 → 4/3
        8: Decimal(2),  # the only PAKN answered on time
        9: Decimal(1),  # 2 of 3 procedures online, 1 of 4 dossiers online (25 %)
    }
    assert {i.number: i.dossiers for i in result.indices}[2] == 2
    assert result.total == Decimal("10.6")
    assert result.grade is not None
    assert result.grade.label == "Khá"


def test_the_officers_scores_and_grades(world, case):
    result = evaluate(world.commune, *quarter(2023, 3), now=NOW)

    rows = {row.name: row for row in result.officers}
    assert set(rows) == {"Anh A", "Bình B", "Cúc C"}
    a, b, c = rows["Anh A"], rows["Bình B"], rows["Cúc C"]
    assert (a.total, a.dossiers, a.grade.key) == (Decimal("10.0"), 1, "full")  # type: ignore[union-attr]
    assert b.indices == {1: Decimal(1), 2: Decimal(0), 3: Decimal(1), 4: Decimal(0), 7: Decimal(2)}
    assert (b.total, b.grade.key) == (Decimal("4.0"), "partial")  # type: ignore[union-attr]
    assert c.indices[2] is None  # received only: no step of their own, index 2 left out
    assert (c.total, c.grade.key) == (Decimal("1.0"), "low")  # type: ignore[union-attr]
    assert a.user_id == case["a"].pk


def test_the_district_rolls_up_its_communes(world, case):
    result = evaluate(world.district, *quarter(2023, 3), now=NOW)

    assert result.dossiers == 4
    got = scores(result)
    assert got[1] == Decimal("1.3")  # (2 + 1 + 0 + 2) / 4 = 1.25, half up
    assert got[3] == Decimal("1.3")
    assert got[7] == Decimal("1.5")
    assert got[9] == Decimal(1)  # 1 of 5 dossiers online (20 %)
    assert result.total == Decimal("11.4")


def test_another_units_data_is_never_counted(world, case):
    result = evaluate(world.other_commune, *quarter(2023, 3), now=NOW)

    assert result.dossiers == 1
    assert result.officers == []
    assert result.late == []
    assert scores(result)[2] is None  # D5 has no step
    assert scores(result)[8] == Decimal(2)  # no PAKN at all: 2 (Điều 13 khoản 8)


def test_a_period_without_dossiers_leaves_the_dossier_indices_out(world, case):
    result = evaluate(world.commune, *quarter(2023, 1), now=NOW)

    assert result.dossiers == 0
    got = scores(result)
    assert all(got[n] is None for n in (1, 2, 3, 4, 5, 6, 7, 9))
    assert got[8] == Decimal(2)
    assert result.total == Decimal(2)
    assert result.grade is not None
    assert result.grade.key == "weak"


def test_the_year_and_a_custom_range(world, case):
    assert evaluate(world.commune, *whole_year(2023), now=NOW).dossiers == 3
    assert evaluate(world.commune, dt.date(2023, 8, 9), dt.date(2023, 8, 10), now=NOW).dossiers == 1  # D2
    assert quarter(2023, 4) == (dt.date(2023, 10, 1), dt.date(2023, 12, 31))
    assert quarter(2024, 1) == (dt.date(2024, 1, 1), dt.date(2024, 3, 31))


def test_a_prolonged_pakn_scores_index_8_zero(world, case):
    Feedback.objects.create(
        code="PAKN-2",
        unit=world.commune,
        subject="unit",
        title="Chưa trả lời",
        content="…",
        submitter_name="Người gửi",
        received_at=at(1),
        due_at=at(22),
    )
    assert scores(evaluate(world.commune, *quarter(2023, 3), now=NOW))[8] == Decimal(0)


def test_a_late_online_dossier_scores_index_9_zero(world, case):
    make_dossier(
        world.commune,
        world.online,
        channel=Channel.ONLINE,
        status=Status.PROCESSED,
        processed_at=at(20),
        verdict="late",
    )
    assert scores(evaluate(world.commune, *quarter(2023, 3), now=NOW))[9] == Decimal(0)


def test_late_steps_per_officer_match_the_late_step_list(world, case):
    result = evaluate(world.commune, *quarter(2023, 3), now=NOW)

    per_officer = {o.name: [s.code for s in o.steps] for o in result.late}
    assert per_officer == {"Anh A": [case["d4"].code], "Bình B": [case["d2"].code]}
    assert sum(o.count for o in result.late) == len(late_steps(august(world.commune)))
