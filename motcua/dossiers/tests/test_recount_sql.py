"""The set-based recount (``dossiers.recount_sql``, PostgreSQL) gives exactly what the Python recount
(``dossiers.counters.recount``, the oracle) gives: the same changes, the same ``DailyCounter`` rows and
the same ``CountedFacts`` snapshots, on hand-built dossiers covering every metric and edge of the QĐ 766
2.1 rule, on seeded random rows, and on a random history built through the real services; the live
``refresh`` keeps working after it. ``motcua recount`` uses it on PostgreSQL."""

import contextlib
import datetime as dt
import io
import random
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from motcua.catalog.models import OnlineLevel, Procedure
from motcua.catalog.tests.factories import ProcedureFactory
from motcua.core.errors import DomainError
from motcua.core.worktime import TZ
from motcua.dossiers import counters, recount_facts, recount_sql, services
from motcua.dossiers.models import (
    CountedFacts,
    DailyCounter,
    Dossier,
    DossierComponent,
    DossierEvent,
    MonthlyCounter,
    OpenTimeline,
    QuarterlyCounter,
    YearlyCounter,
)
from motcua.dossiers.services import MissingItem
from motcua.dossiers.workflow import Channel, Status
from motcua.organizations.models import Level, Unit
from motcua.organizations.tests.factories import UnitFactory

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="set-based recount written in PostgreSQL SQL; elsewhere `motcua recount` uses the Python one",
)
pytestmark = pytest.mark.django_db

UTC = dt.UTC


def at(day: int, hour: int = 9, month: int = 8, minute: int = 0) -> dt.datetime:
    return dt.datetime(2023, month, day, hour, minute, tzinfo=TZ)


DUE = at(10, 17)
_numbers = iter(range(1, 1_000_000))


def make(
    unit: Unit,
    proc: Procedure,
    *,
    received_at: dt.datetime | None = None,
    due_at: dt.datetime | None = DUE,
    receipts: list[tuple[dt.datetime, dt.datetime | None]] | None = None,
    events: list[tuple[str, dt.datetime]] = (),  # type: ignore[assignment]
    components: list[dict[str, bool]] = (),  # type: ignore[assignment]
    **fields: Any,
) -> Dossier:
    """A dossier written as rows (no refresh): ``receipts`` = the ``received`` events (at, due) in
    creation order, by default one at reception carrying ``due_at``."""
    received = fields.pop("received", True)
    received_at = received_at or (at(7) if received else None)
    fields.setdefault("online_level", "")
    fields.setdefault("status", Status.PROCESSING)
    dossier = Dossier.objects.create(
        code=f"RS-{next(_numbers):06d}",
        procedure=proc,
        receiving_unit=unit,
        responsible_unit=unit,
        channel=fields.pop("channel", Channel.DIRECT),
        applicant_name="Nguyễn Văn An",
        submitted_at=received_at or at(7),
        received_at=received_at,
        due_at=due_at,
        **fields,
    )
    if receipts is None:
        receipts = [(received_at, due_at)] if received_at is not None else []
    for when, due in receipts:
        DossierEvent.objects.create(dossier=dossier, kind="received", at=when, due_at=due)
    for kind, when in events:
        DossierEvent.objects.create(dossier=dossier, kind=kind, at=when)
    for position, flags in enumerate(components, start=1):
        DossierComponent.objects.create(
            dossier=dossier, position=position, name=f"Giấy tờ {position}", **flags
        )
    return dossier


def state() -> tuple[list[tuple[Any, ...]], dict[int, Any]]:
    """Every counter row (zero-valued ones too), daily then monthly, and every snapshot."""
    rows: list[tuple[Any, ...]] = sorted(
        DailyCounter.objects.values_list("unit_id", "day", "metric", "value")
    )
    for model, span in counters.ROLL_UPS:
        rows += sorted((span, *r) for r in model.objects.values_list("unit_id", span, "metric", "value"))
    return rows, dict(CountedFacts.objects.values_list("dossier_id", "facts"))


def python_result(date_from: dt.date | None = None, date_to: dt.date | None = None) -> tuple[Any, Any]:
    """What the Python recount does, rolled back."""
    with transaction.atomic():
        changes = counters.recount(date_from, date_to)
        after = state()
        transaction.set_rollback(True)
    return changes, after


def assert_sql_equals_python(date_from: dt.date | None = None, date_to: dt.date | None = None) -> list[Any]:
    expected_changes, expected_state = python_result(date_from, date_to)
    with transaction.atomic():
        changes = recount_sql.recount(date_from, date_to)
    assert changes == expected_changes
    assert state() == expected_state
    return changes


def counter(unit: Unit, day: dt.date, metric: str) -> int:
    row = DailyCounter.objects.filter(unit=unit, day=day, metric=metric).first()
    return row.value if row else 0


@pytest.fixture
def world(db: None) -> dict[str, Any]:
    return build_world()


def build_world() -> dict[str, Any]:
    """Two communes of a province and three procedures (online, partly online with a fee, offline)."""
    province = UnitFactory(code="000.00.00.H57", name="UBND tỉnh Hải Dương", level=Level.PROVINCE)
    a = UnitFactory(code="001.12.00.H57", name="UBND xã Gia Tân", level=Level.COMMUNE, parent=province)
    b = UnitFactory(code="002.12.00.H57", name="UBND xã Gia Hòa", level=Level.COMMUNE, parent=province)
    return {
        "a": a,
        "b": b,
        "online": ProcedureFactory(code="1.101193", published=True, online=True, result_required=True),
        "partial": ProcedureFactory(
            code="2.100908",
            published=True,
            online_level=OnlineLevel.PARTIAL,
            fee_vnd=20000,
            result_required=True,
        ),
        "offline": ProcedureFactory(code="1.100656", published=True, result_required=False),
    }


def hand_built(w: dict[str, Any]) -> None:
    """14 dossiers received on 7/8/2023 (local) at unit a: 9 ended on time, 4 late, 1 open."""
    a, b, online, partial, offline = w["a"], w["b"], w["online"], w["partial"], w["offline"]
    # online, returned, electronic result, papers digitized / reused / from the store
    make(
        a,
        online,
        channel=Channel.ONLINE,
        status=Status.RETURNED,
        processed_at=at(9),
        returned_at=at(10),
        is_result_electronic=True,
        components=[{"is_digitized": True, "is_reused": True}, {"is_digitized": True, "is_from_store": True}],
    )
    # one request, back after 2 days: processed 12/8 09:00 − 2 days = 10/8 09:00 ≤ due ⇒ on time
    make(
        a,
        offline,
        status=Status.PROCESSED,
        processed_at=at(12),
        events=[("supplement_requested", at(8)), ("supplement_completed", at(10))],
    )
    # two requests ⇒ late, although processed before the appointment
    make(
        a,
        offline,
        status=Status.PROCESSED,
        processed_at=at(8),
        events=[("supplement_requested", at(7, 10)), ("supplement_requested", at(7, 11))],
    )
    # no appointment ⇒ on time
    make(a, offline, due_at=None, status=Status.RETURNED, returned_at=at(30))
    # withdrawn after reception (ends it, on time), and before reception (only "withdrawn")
    make(a, offline, status=Status.WITHDRAWN, closed_at=at(8))
    make(a, offline, received=False, status=Status.WITHDRAWN, closed_at=at(8))
    # 00:30 local = 17:30 UTC the day before: counted on 7/8; processed 00:30 local on 9/8
    make(
        a,
        online,
        received_at=dt.datetime(2023, 8, 6, 17, 30, tzinfo=UTC),
        status=Status.PROCESSED,
        processed_at=dt.datetime(2023, 8, 8, 17, 30, tzinfo=UTC),
    )
    # one request, never back, stopped: end = the request (9/8) ⇒ on time
    make(a, offline, status=Status.STOPPED, closed_at=at(20), events=[("supplement_requested", at(9))])
    # a request before reception is ignored, a completion before the request too: end = 11/8 ⇒ late
    make(
        a,
        offline,
        status=Status.PROCESSED,
        processed_at=at(12),
        events=[
            ("supplement_requested", at(6)),
            ("supplement_requested", at(11)),
            ("supplement_completed", at(10)),
        ],
    )
    # first received event by (at, id) gives the appointment (8/8 17:00): processed 9/8 ⇒ late
    make(
        a,
        online,
        due_at=at(20),
        status=Status.PROCESSED,
        processed_at=at(9),
        receipts=[(at(7, 10), at(20)), (at(7), at(8, 17)), (at(7), at(30))],
    )
    # received event without appointment: the dossier's (10/8) ⇒ processed 12/8 late
    make(a, online, status=Status.PROCESSED, processed_at=at(12), receipts=[(at(7), None)])
    # partial level from the procedure (blank on the dossier), fee paid online, one paper not digitized
    make(
        a,
        partial,
        channel=Channel.ONLINE,
        fee_vnd=20000,
        is_paid_online=True,
        is_vneid_verified=True,
        components=[{"is_digitized": False}, {"is_provided": False, "is_digitized": True}],
    )
    # refused: ends, no result issued; population data used
    make(
        a,
        online,
        channel=Channel.ONLINE,
        status=Status.REJECTED,
        closed_at=at(8),
        is_population_data_used=True,
    )
    # the dossier's own level "none" wins over the procedure's "full"
    make(
        a,
        online,
        channel=Channel.ONLINE,
        online_level=OnlineLevel.NONE,
        status=Status.RETURNED,
        returned_at=at(9),
    )
    # a request at the reception instant counts; completed at once: nothing subtracted
    make(
        a,
        offline,
        status=Status.PROCESSED,
        processed_at=at(9),
        events=[("supplement_requested", at(7)), ("supplement_completed", at(7))],
    )
    # another unit, received in July, processed in August
    make(b, online, received_at=at(28, month=7), due_at=at(31, month=7), status=Status.PROCESSED,
         processed_at=at(2))  # fmt: skip


@postgresql_only
def test_hand_built_dossiers_give_the_python_recount_and_the_known_answers(world: dict[str, Any]) -> None:
    hand_built(world)
    changes = assert_sql_equals_python()
    assert changes and all(c.old == 0 for c in changes)
    a, day = world["a"], dt.date(2023, 8, 7)
    assert counter(a, day, "received") == 14
    assert counter(a, dt.date(2023, 8, 6), "received") == 0  # 17:30 UTC is already the 7th locally
    assert (counter(a, day, "ended_on_time"), counter(a, day, "ended_late")) == (9, 4)
    assert counter(a, dt.date(2023, 8, 9), "finished") == 5  # incl. 00:30 local on the 9th
    assert counter(a, dt.date(2023, 8, 8), "withdrawn") == 2
    assert counter(a, day, "online_capable") == 3  # online ×2 (full), partial ×1; not the "none" one
    assert counter(a, day, "full_online") == 2
    assert (counter(a, day, "fee"), counter(a, day, "paid_online")) == (1, 1)
    assert (counter(a, day, "components"), counter(a, day, "papers_digitized")) == (3, 1)
    assert counter(a, day, "population_data") == 3  # from store, VNeID, population data
    assert counter(a, dt.date(2023, 8, 9), "results_electronic") == 1
    assert counter(world["b"], dt.date(2023, 8, 2), "finished_late") == 1
    # procedures used: online submissions (3.2), fee data (3.5), paid online, population data (4.5a)
    online, partial = world["online"], world["partial"]
    assert counter(a, day, counters.use_metric("3.2", online.pk)) == 3  # incl. the "none" level one
    assert counter(a, day, counters.use_metric("3.5", partial.pk)) == 1
    assert counter(a, day, counters.use_metric("payment_transaction", partial.pk)) == 1
    assert counter(a, day, counters.use_metric("4.5a", online.pk)) >= 1
    # the month's, the quarter's and the year's roll-ups are the sums of their days
    received = DailyCounter.objects.filter(unit=a, metric="received")
    august = MonthlyCounter.objects.get(unit=a, month=dt.date(2023, 8, 1), metric="received")
    assert august.value == sum(received.filter(day__month=8).values_list("value", flat=True))
    third = QuarterlyCounter.objects.get(unit=a, quarter=dt.date(2023, 7, 1), metric="received")
    assert third.value == sum(received.filter(day__month__in=[7, 8, 9]).values_list("value", flat=True))
    year = YearlyCounter.objects.get(unit=a, year=dt.date(2023, 1, 1), metric="received")
    assert year.value == sum(received.filter(day__year=2023).values_list("value", flat=True)) > 0
    assert CountedFacts.objects.count() == 16
    # a second run finds nothing, and the live refresh agrees with the SQL snapshots
    with transaction.atomic():
        assert recount_sql.recount() == []
    before = state()
    counters.refresh(Dossier.objects.values_list("pk", flat=True))
    assert state() == before
    assert counters.recount() == []


@postgresql_only
def test_a_corrupted_counter_and_snapshot_are_repaired_and_reported(world: dict[str, Any]) -> None:
    hand_built(world)
    counters.refresh(Dossier.objects.values_list("pk", flat=True))  # the live counters
    a, day = world["a"], dt.date(2023, 8, 7)
    DailyCounter.objects.filter(unit=a, day=day, metric="received").update(value=99)
    DailyCounter.objects.filter(unit=a, day=day, metric="ended_late").delete()
    DailyCounter.objects.create(unit=a, day=dt.date(2023, 8, 1), metric="received", value=3)
    DailyCounter.objects.create(unit=a, day=dt.date(2023, 8, 2), metric="received", value=0)  # kept as is
    broken = Dossier.objects.order_by("pk").first()
    assert broken is not None
    CountedFacts.objects.filter(dossier=broken).update(facts=[[a.pk, "2023-08-07", "received", 5]])
    changes = assert_sql_equals_python()
    assert [(c.day, c.metric, c.old, c.new) for c in changes] == [
        (dt.date(2023, 8, 1), "received", 3, 0),
        (day, "ended_late", 0, 4),
        (day, "received", 99, 14),
    ]
    assert counter(a, day, "received") == 14
    assert DailyCounter.objects.filter(unit=a, day=dt.date(2023, 8, 2), value=0).exists()
    before = state()
    counters.refresh([broken.pk])
    assert state() == before


@postgresql_only
def test_the_digest_finds_exactly_the_units_whose_counters_differ(world: dict[str, Any]) -> None:
    """The steady path: the digest per unit and day (Σ value and two hashed sums) sees no difference
    when the counters are right, and sees values swapped between two metrics of one day (Σ value
    unchanged) — in the daily counters and in the months' roll-up — so they are repaired."""
    hand_built(world)
    counters.refresh(Dossier.objects.values_list("pk", flat=True))
    a, day = world["a"], dt.date(2023, 8, 7)

    def differing() -> tuple[list[int], ...]:
        """The units differing by day, then by month, quarter and year."""
        with transaction.atomic(), connection.cursor() as cursor:
            computed = recount_sql.create_facts(cursor)
            daily = recount_sql.units_differing(cursor, computed)
            periods = [
                recount_sql.units_differing(cursor, computed, span) for _model, span in counters.ROLL_UPS
            ]
            transaction.set_rollback(True)
        return daily, *periods

    assert differing() == ([], [], [], [])
    received = DailyCounter.objects.get(unit=a, day=day, metric="received")
    late = DailyCounter.objects.get(unit=a, day=day, metric="ended_late")
    assert received.value != late.value
    DailyCounter.objects.filter(pk=received.pk).update(value=late.value)
    DailyCounter.objects.filter(pk=late.pk).update(value=received.value)
    assert differing() == ([a.pk], [], [], [])
    changes = assert_sql_equals_python()
    assert {(c.metric, c.old, c.new) for c in changes} == {
        ("received", late.value, received.value),
        ("ended_late", received.value, late.value),
    }
    assert differing() == ([], [], [], [])
    for position, (model, _span) in enumerate(counters.ROLL_UPS, start=1):
        first, second = model.objects.filter(unit=a, metric__in=["received", "ended_late"]).order_by("metric")
        model.objects.filter(pk=first.pk).update(value=second.value)
        model.objects.filter(pk=second.pk).update(value=first.value)
        expected: list[list[int]] = [[], [], [], []]
        expected[position] = [a.pk]
        assert list(differing()) == expected, model.__name__
        assert assert_sql_equals_python() == []  # the roll-ups are not reported as changes, only repaired
        assert differing() == ([], [], [], [])


@postgresql_only
def test_the_digest_sees_a_value_moved_to_another_day_of_the_month(world: dict[str, Any]) -> None:
    """The digest is summed per unit and month: a counter moved to another day of the same month (the
    month's Σ value and its sums weighted by metric alone unchanged) is still found, by the sums weighted
    by the day too, and put back."""
    hand_built(world)
    counters.refresh(Dossier.objects.values_list("pk", flat=True))
    a, day, other = world["a"], dt.date(2023, 8, 7), dt.date(2023, 8, 21)
    moved = DailyCounter.objects.get(unit=a, day=day, metric="received")
    assert not DailyCounter.objects.filter(unit=a, day=other, metric="received").exists()
    DailyCounter.objects.filter(pk=moved.pk).update(day=other)
    with transaction.atomic(), connection.cursor() as cursor:
        assert recount_sql.units_differing(cursor, recount_sql.create_facts(cursor)) == [a.pk]
        transaction.set_rollback(True)
    changes = assert_sql_equals_python()
    assert {(c.day, c.metric, c.old, c.new) for c in changes} == {
        (day, "received", 0, moved.value),
        (other, "received", moved.value, 0),
    }


@postgresql_only
def test_the_fixed_offset_of_the_sql_is_the_local_zone_from_1975() -> None:
    """``recount_facts.TZ`` (UTC+7 fixed) gives the same local times as Asia/Ho_Chi_Minh, both ways, at
    every instant probed from 14 June 1975 to 2100 — in PostgreSQL's zone data and in Python's."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"""SELECT count(*), count(*) FILTER (WHERE t AT TIME ZONE 'Asia/Ho_Chi_Minh' <> t AT TIME ZONE {recount_facts.TZ}
                                  OR (t AT TIME ZONE 'UTC') AT TIME ZONE 'Asia/Ho_Chi_Minh'
                                     <> (t AT TIME ZONE 'UTC') AT TIME ZONE {recount_facts.TZ})
            FROM generate_series(timestamptz '1975-06-14', timestamptz '2100-01-01', interval '97 hours 13 minutes') t"""  # noqa: S608
        )
        probed, differing = cursor.fetchone()
    assert probed > 10_000
    assert differing == 0
    instants = [dt.datetime(1975, 6, 14, tzinfo=UTC) + dt.timedelta(hours=97 * i) for i in range(0, 11_300)]
    assert {moment.astimezone(TZ).utcoffset() for moment in instants} == {dt.timedelta(hours=7)}


@postgresql_only
def test_a_date_range_recounts_only_its_days(world: dict[str, Any]) -> None:
    hand_built(world)
    counters.refresh(Dossier.objects.values_list("pk", flat=True))
    a = world["a"]
    DailyCounter.objects.filter(unit=a, day=dt.date(2023, 8, 7), metric="received").update(value=99)
    DailyCounter.objects.filter(unit=a, day=dt.date(2023, 8, 9), metric="finished").update(value=99)
    broken = Dossier.objects.order_by("pk").first()
    assert broken is not None
    CountedFacts.objects.filter(dossier=broken).update(
        facts=[[a.pk, "2023-08-07", "received", 7], [a.pk, "2023-08-09", "zzz", 1]]
    )
    changes = assert_sql_equals_python(dt.date(2023, 8, 8), dt.date(2023, 8, 31))
    assert [(c.day, c.metric, c.new) for c in changes] == [(dt.date(2023, 8, 9), "finished", 5)]
    assert counter(a, dt.date(2023, 8, 7), "received") == 99  # outside the range: untouched
    assert_sql_equals_python(None, dt.date(2023, 8, 7))


def _random_rows(w: dict[str, Any], seed: int, n: int = 60) -> None:
    """Rows no service would write in that combination: several receipts, requests before and after
    reception, completions anywhere, ends before requests, all statuses, odd hours across midnight and
    across two month ends (the ``cutoff_…`` counters)."""
    rng = random.Random(seed)
    base = dt.datetime(2023, 7, 22, 0, 0, tzinfo=UTC)

    def moment() -> dt.datetime:
        return base + dt.timedelta(minutes=rng.randrange(0, 45 * 24 * 60))

    for _ in range(n):
        received = rng.random() > 0.15
        received_at = moment() if received else None
        status = rng.choice(list(Status))
        ended = {
            k: (moment() if rng.random() < 0.4 else None)
            for k in ("processed_at", "returned_at", "closed_at")
        }
        due = moment() if rng.random() > 0.15 else None
        receipts = [
            (moment(), moment() if rng.random() > 0.2 else None) for _ in range(rng.choice((0, 1, 1, 2)))
        ]
        if received_at and rng.random() < 0.5:
            receipts.append((received_at, due))
        events = [
            (rng.choice(("supplement_requested", "supplement_completed")), moment())
            for _ in range(rng.choice((0, 0, 1, 2, 3)))
        ]
        components = [
            {k: rng.random() < 0.5 for k in ("is_provided", "is_digitized", "is_reused", "is_from_store")}
            for _ in range(rng.randrange(0, 4))
        ]
        make(
            rng.choice((w["a"], w["b"])),
            rng.choice((w["online"], w["partial"], w["offline"])),
            received=received,
            received_at=received_at,
            due_at=due,
            receipts=receipts,
            events=events,
            components=components,
            status=status,
            channel=rng.choice(list(Channel)),
            online_level=rng.choice(("", "", "full", "partial", "none")),
            fee_vnd=rng.choice((0, 15000)),
            is_paid_online=rng.random() < 0.5,
            is_result_electronic=rng.random() < 0.5,
            is_vneid_verified=rng.random() < 0.3,
            is_population_data_used=rng.random() < 0.3,
            **ended,
        )


@postgresql_only
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_seeded_random_rows_give_the_python_recount(world: dict[str, Any], seed: int) -> None:
    _random_rows(world, seed)
    # and one on time, open at the end of August, its paper result issued after it (4.2)
    make(
        world["a"],
        world["online"],
        received_at=dt.datetime(2023, 8, 30, 3, tzinfo=UTC),
        due_at=dt.datetime(2023, 9, 8, 3, tzinfo=UTC),
        status=Status.PROCESSED,
        processed_at=dt.datetime(2023, 9, 2, 3, tzinfo=UTC),
        is_result_electronic=False,
        components=[{"is_provided": True, "is_digitized": True}],
    )
    assert assert_sql_equals_python()  # from nothing
    cut = MonthlyCounter.objects.filter(metric__startswith="cutoff_").values_list("metric", flat=True)
    assert {m.split(":")[0] for m in cut} == {"cutoff_on_time", "cutoff_ended_on_time", "cutoff_paper_later"}
    assert OpenTimeline.objects.exists()
    assert assert_sql_equals_python() == []
    # live counters of half the dossiers, then a range, then everything
    ids = list(Dossier.objects.order_by("pk").values_list("pk", flat=True))
    DailyCounter.objects.all().delete()
    CountedFacts.objects.all().delete()
    counters.refresh(ids[::2])
    assert_sql_equals_python(dt.date(2023, 8, 5), dt.date(2023, 8, 12))
    assert_sql_equals_python()
    before = state()
    counters.refresh(ids)
    assert state() == before


# --- a random history through the real services ------------------------------------------------------

ENDINGS = ("open", "supplement_open", "supplement_back", "returned", "stopped", "withdrawn")
plans = st.lists(
    st.tuples(st.sampled_from(ENDINGS), st.lists(st.integers(1, 60), min_size=5, max_size=5)),
    min_size=1,
    max_size=3,
)


def _handle(ctx: dict[str, Any], ending: str, gaps: list[int]) -> None:
    hours = iter(gaps)

    def later() -> None:
        ctx["clock"].shift(dt.timedelta(hours=next(hours)))

    d = services.receive_at_counter(
        by=ctx["receiver"],
        procedure=ctx["procedure"],
        receiving_unit=ctx["units"].commune,
        applicant=ctx["person"],
        components=ctx["papers"],
    )
    later()
    if ending == "withdrawn":
        services.withdraw(
            dossier_id=d.pk, by=ctx["receiver"], reason="Không có nhu cầu", written_request="Đơn 1"
        )
        return
    services.start_processing(dossier_id=d.pk, by=ctx["receiver"])
    if ending.startswith("supplement"):
        later()
        services.request_supplement(
            dossier_id=d.pk, by=ctx["specialist"], items=[MissingItem("Giấy chứng sinh")]
        )
        if ending == "supplement_open":
            return
        later()
        services.complete_supplement(dossier_id=d.pk, by=ctx["receiver"])
        return
    if ending == "stopped":
        later()
        services.stop(dossier_id=d.pk, by=ctx["leader"], reason="Không bổ sung")
        return
    if ending == "open":
        return
    later()
    services.forward_step(dossier_id=d.pk, by=ctx["specialist"])
    services.forward_step(dossier_id=d.pk, by=ctx["specialist"])
    services.record_result(
        dossier_id=d.pk, by=ctx["specialist"], number="1/KS", signed_on=dt.date(2024, 3, 4),
        signer="Vũ Quang Huy", is_electronic=True,
    )  # fmt: skip
    later()
    services.mark_processed(dossier_id=d.pk, by=ctx["leader"])
    later()
    services.return_result(dossier_id=d.pk, by=ctx["receiver"])


@postgresql_only
@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(history=plans)
def test_a_random_service_history_gives_the_python_recount(  # type: ignore[no-untyped-def]
    clock,
    receiver,
    specialist,
    leader,
    procedure,
    units,
    person,
    papers,
    history,
):
    ctx = dict(clock=clock, receiver=receiver, specialist=specialist, leader=leader, procedure=procedure,
               units=units, person=person, papers=papers)  # fmt: skip
    for ending, gaps in history:
        with contextlib.suppress(DomainError):
            _handle(ctx, ending, gaps)
        clock.shift(dt.timedelta(hours=1))
    with transaction.atomic():
        assert recount_sql.recount() == []  # the live counters are already right
    DailyCounter.objects.all().delete()
    CountedFacts.objects.all().delete()
    assert_sql_equals_python()


# --- the command -------------------------------------------------------------------------------------


def test_the_command_repairs_with_sql_on_postgresql_and_python_elsewhere_or_on_request(
    world: dict[str, Any],
) -> None:
    hand_built(world)
    out = io.StringIO()
    call_command("recount", stdout=out)
    text = out.getvalue()
    assert "001.12.00.H57 2023-08-07 received: 0 → 14" in text
    engine = "SQL theo tập hợp" if connection.vendor == "postgresql" else "Python từng hồ sơ"
    assert f"Cách tính: {engine}" in text
    DailyCounter.objects.filter(unit=world["a"], metric="received").update(value=2)
    out = io.StringIO()
    call_command("recount", "--python", "--from", "2023-08-07", "--to", "2023-08-07", stdout=out)
    assert out.getvalue().splitlines()[-3:] == [
        "001.12.00.H57 2023-08-07 received: 2 → 14",
        "1 bộ đếm đã thay đổi.",
        "Cách tính: Python từng hồ sơ.",
    ]
