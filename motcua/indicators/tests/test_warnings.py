"""Early warning (``indicators.warnings``): each kind appears exactly when it should, counted in working
hours across a weekend and a holiday, scoped to the reader's units. Hand-built rows, a fixed clock.

Default office hours 07:00–11:30, 13:30–17:00. From Friday 8/3/2024 15:00, 8 working hours end on
Monday 11/3 15:00 (2 h Friday, 4.5 h Monday morning, 1.5 h Monday afternoon).
"""

import datetime as dt
from decimal import Decimal

import pytest

from motcua.core.models import CalendarOverride
from motcua.dossiers.models import DossierComponent, DossierEvent
from motcua.dossiers.tests import conftest as dossier_fixtures
from motcua.dossiers.tests.conftest import local
from motcua.dossiers.tests.factories import DossierFactory, DossierStepFactory
from motcua.dossiers.workflow import Channel, EventKind, Status
from motcua.feedback.models import Feedback, FeedbackStatus, FeedbackSubject
from motcua.indicators.warnings.items import Kind, by_officer, counts
from motcua.indicators.warnings.queries import warnings_for, warnings_for_officer
from motcua.organizations.models import Role

# fixtures of the dossier tests (imported, not copied)
leader = dossier_fixtures.leader
procedure = dossier_fixtures.procedure
receiver = dossier_fixtures.receiver
receiver_elsewhere = dossier_fixtures.receiver_elsewhere
specialist = dossier_fixtures.specialist
units = dossier_fixtures.units

pytestmark = pytest.mark.django_db

FRIDAY_15 = local(2024, 3, 8, 15, 0)
HORIZON_END = local(2024, 3, 11, 15, 0)  # Monday
MINUTE = dt.timedelta(minutes=1)


def codes(items, kind):  # type: ignore[no-untyped-def]
    return {i.code for i in items if i.kind == kind}


def online(unit, code, due):  # type: ignore[no-untyped-def]
    return DossierFactory(code=code, receiving_unit=unit, online=True, reception_due_at=due)


def test_reception_limit_inside_outside_and_passed_across_a_weekend(units, procedure) -> None:
    online(units.commune, "IN", HORIZON_END)
    online(units.commune, "OUT", HORIZON_END + MINUTE)
    online(units.commune, "PASSED", local(2024, 3, 8, 10, 0))
    received = online(units.commune, "RECEIVED", HORIZON_END)
    received.status = Status.RECEIVED
    received.save()

    items = warnings_for([units.commune.pk], now=FRIDAY_15, horizon_hours=8)

    assert codes(items, Kind.RECEPTION) == {"IN", "PASSED"}
    by_code = {i.code: i for i in items}
    assert by_code["IN"].hours_left == Decimal(8) and not by_code["IN"].is_overdue
    assert by_code["PASSED"].is_overdue and by_code["PASSED"].hours_left == 0
    assert items[0].code == "PASSED"  # overdue first
    assert by_code["IN"].role == Role.RECEIVER and by_code["IN"].assignee_id is None


def test_a_holiday_moves_the_horizon_to_the_next_working_day(units) -> None:
    CalendarOverride.objects.create(day=dt.date(2024, 3, 11), kind=CalendarOverride.Kind.DAY_OFF)
    online(units.commune, "TUE", local(2024, 3, 12, 15, 0))
    online(units.commune, "TUE-LATER", local(2024, 3, 12, 15, 1))

    items = warnings_for([units.commune.pk], now=FRIDAY_15, horizon_hours=8)

    assert codes(items, Kind.RECEPTION) == {"TUE"}


def test_a_deadline_on_a_day_off_counts_like_the_last_working_instant(units) -> None:
    # 2 working hours from Friday 15:00 end at 17:00; Saturday 10:00 has no more working time left
    online(units.commune, "SAT", local(2024, 3, 9, 10, 0))
    online(units.commune, "MON", local(2024, 3, 11, 7, 1))

    items = warnings_for([units.commune.pk], now=FRIDAY_15, horizon_hours=2)

    assert codes(items, Kind.RECEPTION) == {"SAT"}


def test_open_steps_due_within_the_horizon(units, specialist) -> None:
    def step(code, due, **changes):  # type: ignore[no-untyped-def]
        dossier = DossierFactory(code=code, receiving_unit=units.commune, processing=True)
        return DossierStepFactory(dossier=dossier, assignee=specialist, due_at=due, **changes)

    step("STEP-IN", HORIZON_END, name="Thẩm định hồ sơ")
    step("STEP-OUT", HORIZON_END + MINUTE)
    step("STEP-DONE", HORIZON_END, finished_at=FRIDAY_15)
    step("STEP-WAITING", HORIZON_END, started_at=None)
    elsewhere = DossierFactory(code="STEP-ELSEWHERE", receiving_unit=units.other_commune, processing=True)
    DossierStepFactory(dossier=elsewhere, due_at=HORIZON_END)

    items = warnings_for([units.commune.pk], now=FRIDAY_15, horizon_hours=8)

    assert codes(items, Kind.STEP) == {"STEP-IN"}
    (item,) = [i for i in items if i.kind == Kind.STEP]
    assert item.step == "Thẩm định hồ sơ" and item.assignee_id == specialist.pk
    assert item.hours_left == Decimal(8)
    assert item.indicator.startswith("2.1")


def test_dossiers_heading_late_need_an_open_step_and_a_running_clock(units, specialist) -> None:
    def dossier(code, due, status=Status.PROCESSING, open_step=True):  # type: ignore[no-untyped-def]
        d = DossierFactory(code=code, receiving_unit=units.commune, status=status, due_at=due)
        DossierStepFactory(
            dossier=d,
            assignee=specialist,
            due_at=FRIDAY_15 + dt.timedelta(days=30),
            finished_at=None if open_step else FRIDAY_15,
        )
        return d

    dossier("LATE-IN", HORIZON_END)
    dossier("LATE-OUT", HORIZON_END + MINUTE)
    dossier("LATE-NO-STEP", HORIZON_END, open_step=False)
    dossier("LATE-SUPPLEMENT", HORIZON_END, status=Status.AWAITING_SUPPLEMENT)
    dossier("LATE-PROCESSED", HORIZON_END, status=Status.PROCESSED)

    items = warnings_for([units.commune.pk], now=FRIDAY_15, horizon_hours=8)

    assert codes(items, Kind.LATE) == {"LATE-IN"}
    assert next(i for i in items if i.kind == Kind.LATE).assignee_id == specialist.pk


def test_components_not_digitized_or_not_signed(units, receiver) -> None:
    def dossier(code, channel=Channel.DIRECT, **component):  # type: ignore[no-untyped-def]
        d = DossierFactory(code=code, receiving_unit=units.commune, channel=channel)
        DossierComponent.objects.create(dossier=d, name="Tờ khai", **component)
        return d

    signed = {"is_digitized": True, "signed_at": FRIDAY_15}
    d = dossier("SCAN-MISSING")
    DossierEvent.objects.create(dossier=d, kind=EventKind.RECEIVED, at=FRIDAY_15, actor=receiver)
    dossier("SCAN-UNSIGNED", is_digitized=True)
    dossier("SCAN-DONE", **signed)
    dossier("SCAN-ONLINE-UPLOAD", channel=Channel.ONLINE, is_digitized=True)
    dossier("SCAN-NOT-PROVIDED", is_provided=False)
    flagged = dossier("SCAN-DOSSIER-DONE")
    flagged.digitized_at = FRIDAY_15
    flagged.save()

    items = warnings_for([units.commune.pk], now=FRIDAY_15, horizon_hours=8)

    assert codes(items, Kind.DIGITIZATION) == {"SCAN-MISSING", "SCAN-UNSIGNED"}
    by_code = {i.code: i for i in items}
    assert by_code["SCAN-MISSING"].assignee_id == receiver.pk  # who received it
    assert by_code["SCAN-UNSIGNED"].assignee_id is None and by_code["SCAN-UNSIGNED"].role == Role.RECEIVER


def test_returned_dossiers_without_a_rating_in_the_last_days(units, settings) -> None:
    settings.MOTCUA_WARNING_RATING_DAYS = 7

    def returned(code, days_ago, rating=""):  # type: ignore[no-untyped-def]
        at = FRIDAY_15 - dt.timedelta(days=days_ago)
        return DossierFactory(
            code=code, receiving_unit=units.commune, returned=True, returned_at=at, rating=rating
        )

    returned("RATE-RECENT", 2)
    returned("RATE-OLD", 8)
    returned("RATE-DONE", 2, rating="satisfied")

    items = warnings_for([units.commune.pk], now=FRIDAY_15, horizon_hours=8)

    assert codes(items, Kind.RATING) == {"RATE-RECENT"}


def pakn(unit, code, due, **changes):  # type: ignore[no-untyped-def]
    return Feedback.objects.create(
        code=code,
        unit=unit,
        subject=FeedbackSubject.PROCEDURE,
        title="Thời gian cấp giấy khai sinh",
        content="Đề nghị rút ngắn.",
        submitter_name="Nguyễn Thị Mai",
        received_at=FRIDAY_15 - dt.timedelta(days=20),
        due_at=due,
        **changes,
    )


def test_pakn_near_its_answer_or_publication_deadline(units, leader) -> None:
    pakn(units.commune, "PAKN-IN", HORIZON_END, assigned_officer=leader, status=FeedbackStatus.ASSIGNED)
    pakn(units.commune, "PAKN-OUT", HORIZON_END + MINUTE)
    pakn(
        units.commune,
        "PAKN-ANSWERED",
        HORIZON_END,
        status=FeedbackStatus.ANSWERED,
        answered_at=FRIDAY_15,
        publish_due_at=HORIZON_END + MINUTE,
    )
    pakn(
        units.commune,
        "PAKN-TO-PUBLISH",
        HORIZON_END + dt.timedelta(days=9),
        status=FeedbackStatus.ANSWERED,
        answered_at=FRIDAY_15,
        publish_due_at=HORIZON_END,
    )
    pakn(units.commune, "PAKN-MOVED", HORIZON_END, assigned_unit=units.other_commune)

    items = warnings_for([units.commune.pk], now=FRIDAY_15, horizon_hours=8)

    assert codes(items, Kind.FEEDBACK) == {"PAKN-IN", "PAKN-TO-PUBLISH"}
    by_code = {i.code: i for i in items}
    assert by_code["PAKN-IN"].assignee_id == leader.pk
    assert by_code["PAKN-TO-PUBLISH"].step == "Công khai kết quả trả lời"
    other = warnings_for([units.other_commune.pk], now=FRIDAY_15, horizon_hours=8)
    assert codes(other, Kind.FEEDBACK) == {"PAKN-MOVED"}


def test_an_officer_never_gets_items_of_another_unit(units, receiver, receiver_elsewhere) -> None:
    online(units.commune, "MINE", HORIZON_END)
    online(units.other_commune, "THEIRS", HORIZON_END)

    assert {i.code for i in warnings_for_officer(receiver, now=FRIDAY_15, horizon_hours=8)} == {"MINE"}
    assert {i.code for i in warnings_for_officer(receiver_elsewhere, now=FRIDAY_15, horizon_hours=8)} == {
        "THEIRS"
    }
    # asking for a unit where the officer holds no role reads nothing
    assert warnings_for_officer(receiver, units.other_commune, now=FRIDAY_15, horizon_hours=8) == []


def test_default_horizon_comes_from_the_setting(units, settings) -> None:
    online(units.commune, "FOUR-HOURS", local(2024, 3, 11, 9, 0))  # 2 h Friday + 2 h Monday
    settings.MOTCUA_WARNING_HORIZON_HOURS = 3
    assert warnings_for([units.commune.pk], now=FRIDAY_15) == []
    settings.MOTCUA_WARNING_HORIZON_HOURS = 4
    assert [i.code for i in warnings_for([units.commune.pk], now=FRIDAY_15)] == ["FOUR-HOURS"]


def test_grouping_per_officer_and_counts_per_kind(units, specialist) -> None:
    online(units.commune, "QUEUE", HORIZON_END)
    d = DossierFactory(
        code="ASSIGNED",
        receiving_unit=units.commune,
        processing=True,
        due_at=FRIDAY_15 + dt.timedelta(days=30),
    )
    DossierStepFactory(dossier=d, assignee=specialist, due_at=HORIZON_END)

    items = warnings_for([units.commune.pk], now=FRIDAY_15, horizon_hours=8)
    groups = by_officer(items)

    assert [(g.assignee_id, [i.code for i in g.items]) for g in groups] == [
        (specialist.pk, ["ASSIGNED"]),
        (None, ["QUEUE"]),
    ]
    assert dict((k, n) for k, _label, n in counts(items)) == {
        Kind.RECEPTION: 1,
        Kind.STEP: 1,
        Kind.LATE: 0,
        Kind.DIGITIZATION: 0,
        Kind.RATING: 0,
        Kind.FEEDBACK: 0,
    }
    roles = {(units.commune.pk, Role.SPECIALIST)}
    assert [i.code for i in items if i.concerns(specialist.pk, roles)] == ["ASSIGNED"]
