"""The QĐ 766 dossier indicators read from the live counters (``indicators.counters``) equal the formulas
(the recomputation oracle) on hand-built dossier sets and on a seeded random history built through the
real services."""

import contextlib
import datetime as dt
from typing import Any

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from motcua.core.errors import DomainError
from motcua.core.worktime import month_start, to_local
from motcua.dossiers import counters as live
from motcua.dossiers import services
from motcua.dossiers.models import Rating
from motcua.dossiers.services import MissingItem
from motcua.dossiers.tests.conftest import (  # noqa: F401 - fixtures
    clock,
    leader,
    papers,
    person,
    procedure,
    receiver,
    specialist,
    units,
)
from motcua.dossiers.workflow import Channel, Status
from motcua.feedback.models import Feedback, FeedbackSubject
from motcua.indicators.counters import COUNTED
from motcua.indicators.formulas import FORMULAS
from motcua.indicators.scope import scope_for
from motcua.indicators.tests.builders import AUGUST, World, at, make_dossier
from motcua.organizations.models import Unit


def assert_same(unit: Unit, date_from: dt.date, date_to: dt.date, now: dt.datetime | None = None) -> None:
    for key, counted in COUNTED.items():
        expected = FORMULAS[key](scope_for(unit, date_from, date_to, now))
        assert counted(scope_for(unit, date_from, date_to, now)) == expected, (
            key,
            unit.code,
            date_from,
            date_to,
        )


def test_every_counted_indicator_is_a_formula() -> None:
    assert set(COUNTED) <= set(FORMULAS)


def _hand_built(w: World) -> None:
    c = w.commune
    make_dossier(
        c, w.online, channel=Channel.ONLINE, status=Status.RETURNED, processed_at=at(9), returned_at=at(10)
    )
    make_dossier(
        c,
        w.online,
        channel=Channel.ONLINE,
        status=Status.PROCESSED,
        processed_at=at(12),
        is_result_electronic=True,
        components=[{"is_digitized": True, "is_reused": True}, {"is_digitized": True, "is_from_store": True}],
    )
    make_dossier(
        c,
        w.partial,
        fee_vnd=20000,
        is_paid_online=True,
        channel=Channel.ONLINE,
        components=[{"is_digitized": False}, {"is_provided": False}],
        is_vneid_verified=True,
    )
    make_dossier(c, w.partial, fee_vnd=20000, components=[{"is_provided": False}])
    # one request, back, processed: supplementation subtracted
    make_dossier(
        c,
        w.offline,
        status=Status.PROCESSED,
        processed_at=at(11, 15),
        events=[("supplement_requested", at(8)), ("supplement_completed", at(9, 16))],
    )
    # two requests: late whatever the dates
    make_dossier(
        w.other_commune,
        w.offline,
        status=Status.PROCESSED,
        processed_at=at(8),
        events=[("supplement_requested", at(7, 10)), ("supplement_requested", at(7, 11))],
    )
    # open: one late, one within time; one waiting for the applicant
    make_dossier(c, w.offline, due_at=at(9))
    make_dossier(c, w.offline, due_at=at(25, 17, month=12))
    make_dossier(c, w.offline, status=Status.AWAITING_SUPPLEMENT, events=[("supplement_requested", at(8))])
    # withdrawn after reception, and before (never received); stopped; refused
    make_dossier(c, w.offline, status=Status.WITHDRAWN, closed_at=at(8))
    make_dossier(c, w.offline, received_at=None, status=Status.WITHDRAWN, closed_at=at(8))
    make_dossier(c, w.online, status=Status.STOPPED, closed_at=at(14), is_population_data_used=True)
    make_dossier(c, w.online, status=Status.REJECTED, closed_at=at(8))
    # processed after the first week; received in July; no appointment
    make_dossier(c, w.online, status=Status.PROCESSED, processed_at=at(16), is_result_electronic=True)
    make_dossier(c, w.online, received_at=at(28, month=7), status=Status.PROCESSED, processed_at=at(2))
    make_dossier(c, w.offline, due_at=None, status=Status.RETURNED, returned_at=at(30))
    # 4.2: every paper digitized and a paper result issued on 16/8: digitized for the first week
    # (looked at on 9/8, the result was not out), not for August
    make_dossier(
        c, w.online, status=Status.PROCESSED, processed_at=at(16), components=[{"is_digitized": True}]
    )
    # 5.4: rated dissatisfied (on time, and late), a PAKN in August, a PAKN only in October
    make_dossier(c, w.online, status=Status.PROCESSED, processed_at=at(9), rating=Rating.DISSATISFIED)
    make_dossier(c, w.online, status=Status.PROCESSED, processed_at=at(20), rating=Rating.DISSATISFIED)
    for code, when in (("PA-2023-0001", at(9, 10)), ("PA-2023-0002", at(3, 10, month=10))):
        complained = make_dossier(c, w.online, status=Status.PROCESSED, processed_at=at(9))
        Feedback.objects.create(
            code=code,
            unit=c,
            subject=FeedbackSubject.OFFICER,
            dossier=complained,
            title="Chậm trả",
            content="…",
            submitter_name="Nguyễn Văn An",
            received_at=when,
            due_at=when + dt.timedelta(days=20),
        )


def test_hand_built_sets_give_the_same_ratios(world: World) -> None:
    _hand_built(world)
    live.recount()
    december = at(1, 0, month=12)
    for unit in (world.commune, world.other_commune, world.district, world.province):
        assert_same(unit, *AUGUST, now=december)
        assert_same(unit, dt.date(2023, 8, 1), dt.date(2023, 8, 8), now=december)  # ends before dossiers do
        assert_same(unit, dt.date(2023, 7, 1), dt.date(2023, 7, 31), now=december)
    # and the numbers are not trivially zero
    whole = scope_for(world.commune, *AUGUST, december)
    assert COUNTED["on_time"](whole).denominator == 18
    first_week = scope_for(world.commune, dt.date(2023, 8, 1), dt.date(2023, 8, 8), december)
    assert COUNTED["digitized"](first_week).numerator > 0
    assert COUNTED["digitized"](whole).numerator == FORMULAS["digitized"](whole).numerator
    # 5.4 drops the on-time dossier rated dissatisfied and the one with an August PAKN; the October
    # PAKN counts once the period reaches October
    assert COUNTED["dossier_satisfaction"](whole).numerator == COUNTED["on_time"](whole).numerator - 2
    autumn = scope_for(world.commune, dt.date(2023, 8, 1), dt.date(2023, 10, 31), december)
    assert COUNTED["dossier_satisfaction"](autumn).numerator == COUNTED["on_time"](autumn).numerator - 3
    assert_same(world.commune, dt.date(2023, 8, 1), dt.date(2023, 10, 31), now=december)
    assert (
        COUNTED["electronic_results"](whole).denominator
        == FORMULAS["electronic_results"](whole).denominator
        > 0
    )


def test_the_open_dossiers_of_a_past_period_are_judged_at_its_end(world: World) -> None:
    """Processed on 16/8, due 10/8: late at the end of August, in process and on time on 8/8."""
    make_dossier(world.commune, world.online, status=Status.PROCESSED, processed_at=at(16))
    live.recount()
    december = at(1, 0, month=12)
    first_week = COUNTED["on_time"](
        scope_for(world.commune, dt.date(2023, 8, 1), dt.date(2023, 8, 8), december)
    )
    month = COUNTED["on_time"](scope_for(world.commune, *AUGUST, december))
    assert (first_week.numerator, first_week.denominator, month.numerator) == (1, 1, 0)


# --- a seeded random history through the real services ------------------------------------------------

ENDINGS = (
    "open",
    "supplement_open",
    "supplement_back",
    "processed",
    "returned",
    "stopped",
    "rejected",
    "withdrawn",
)
history = st.lists(
    st.tuples(
        st.sampled_from(ENDINGS),
        st.sampled_from((Channel.DIRECT, Channel.POSTAL)),
        st.booleans(),  # electronic result
        st.sampled_from((0, 15000)),  # fee
        st.lists(st.integers(min_value=1, max_value=60), min_size=6, max_size=6),  # hours between actions
    ),
    min_size=1,
    max_size=4,
)


def _handle(ctx: dict[str, Any], plan: tuple[str, Channel, bool, int, list[int]]) -> None:
    ending, channel, electronic, fee, gaps = plan
    officer, specialist_, leader_ = ctx["receiver"], ctx["specialist"], ctx["leader"]
    hours = iter(gaps)

    def later() -> None:
        ctx["clock"].shift(dt.timedelta(hours=next(hours)))

    d = services.receive_at_counter(
        by=officer,
        procedure=ctx["procedure"],
        receiving_unit=ctx["units"].commune,
        applicant=ctx["person"],
        components=ctx["papers"],
        channel=channel,
        fee_vnd=fee,
    )
    if ending == "withdrawn":
        later()
        services.withdraw(dossier_id=d.pk, by=officer, reason="Không có nhu cầu", written_request="Đơn số 1")
        return
    later()
    services.start_processing(dossier_id=d.pk, by=officer)
    if ending.startswith("supplement"):
        later()
        services.request_supplement(dossier_id=d.pk, by=specialist_, items=[MissingItem("Giấy chứng sinh")])
        if ending == "supplement_open":
            return
        later()
        services.complete_supplement(dossier_id=d.pk, by=officer)
        return
    if ending in ("stopped", "rejected"):
        later()
        if ending == "stopped":
            services.stop(dossier_id=d.pk, by=leader_, reason="Không bổ sung")
        else:
            services.reject_after_appraisal(dossier_id=d.pk, by=leader_, reasons=["Không đủ điều kiện"])
        return
    if ending == "open":
        return
    later()
    services.forward_step(dossier_id=d.pk, by=specialist_)
    services.forward_step(dossier_id=d.pk, by=specialist_)
    later()
    services.record_result(
        dossier_id=d.pk,
        by=specialist_,
        number="1/KS",
        signed_on=dt.date(2024, 3, 4),
        signer="Vũ Quang Huy",
        is_electronic=electronic,
    )
    later()
    services.mark_processed(dossier_id=d.pk, by=leader_)
    if ending == "returned":
        later()
        services.return_result(dossier_id=d.pk, by=officer)


@pytest.fixture
def ctx(clock, receiver, specialist, leader, procedure, units, person, papers):  # type: ignore[no-untyped-def]  # noqa: F811
    """What ``_handle`` needs: the clock, the officers, the procedure, the units, the applicant."""
    return {
        "clock": clock,
        "receiver": receiver,
        "specialist": specialist,
        "leader": leader,
        "procedure": procedure,
        "units": units,
        "person": person,
        "papers": papers,
    }


@pytest.mark.django_db
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(plans=history, pause=st.integers(min_value=0, max_value=72))
def test_a_random_history_gives_the_same_ratios_from_counters_as_from_formulas(  # type: ignore[no-untyped-def]
    ctx,
    clock,  # noqa: F811
    units,  # noqa: F811
    plans,
    pause,
):
    for plan in plans:
        # a window may close (e.g. supplementation): that dossier's history simply stops there
        with contextlib.suppress(DomainError):
            _handle(ctx, plan)
        clock.shift(dt.timedelta(hours=1))
    clock.shift(dt.timedelta(hours=pause))
    assert live.roll_up() == 0  # the live roll-ups (months, quarters, years) are the sums of the live days
    assert live.recount() == []  # the live counters are the oracle's
    today = dt.date(2024, 3, 4)
    for unit in (units.commune, units.district):
        assert_same(unit, dt.date(2024, 3, 1), dt.date(2024, 3, 31))
        assert_same(unit, today, today)
        assert_same(unit, today, today + dt.timedelta(days=2))
        assert_same(unit, dt.date(2024, 1, 1), dt.date(2024, 12, 31))
        # the roll-ups mixed: 15–29 February (days), March (month), Q2–Q4 (quarters); two years
        assert_same(unit, dt.date(2024, 2, 15), dt.date(2024, 12, 31))
        assert_same(unit, dt.date(2023, 1, 1), dt.date(2024, 12, 31))


@pytest.mark.django_db
@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(plans=history, start=st.integers(min_value=0, max_value=10 * 24))
def test_a_history_across_month_ends_gives_the_same_ratios_for_the_past_months(  # type: ignore[no-untyped-def]
    ctx,
    clock,  # noqa: F811
    units,  # noqa: F811
    plans,
    start,
):
    """Dossiers received in the last days of a month, some ended in the next months, some still open:
    the months and the quarter looked at after they ended read the ``cutoff_…`` counters and the open
    timelines; the running month reads the open timelines at now; a custom range the dossiers."""
    # time only moves forward (the examples share the database): start a few days before a month end
    base = max(timezone.now(), dt.datetime(2024, 3, 1, 1, tzinfo=dt.UTC))
    following = month_start(base.date(), 1)
    begin = dt.datetime.combine(following, dt.time(1), tzinfo=dt.UTC) - dt.timedelta(days=10, hours=-start)
    clock.move_to(max(base, begin))
    first = to_local(timezone.now()).date().replace(day=1)
    for plan in plans:
        with contextlib.suppress(DomainError):
            _handle(ctx, plan)
        clock.shift(dt.timedelta(hours=20))
    assert live.recount() == []
    today = to_local(timezone.now()).date()
    quarter = dt.date(first.year, (first.month - 1) // 3 * 3 + 1, 1)
    for unit in (units.commune, units.district):
        month = first
        while month <= today:  # the months ended (cut-off counters) and the running one (at now)
            following = month_start(month, 1)
            assert_same(unit, month, following - dt.timedelta(days=1))
            month = following
        assert_same(unit, quarter, (quarter + dt.timedelta(days=95)).replace(day=1) - dt.timedelta(days=1))
        assert_same(unit, first - dt.timedelta(days=3), first + dt.timedelta(days=20))
