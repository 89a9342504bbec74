"""The set-based recount computed in parts by several sessions (``dossiers.recount_parts``) gives what
the Python recount gives, reads the one snapshot of the moment the recount took the counters' lock,
leaves no table behind when it commits, and has what a rolled-back one leaves dropped by the next; a
transaction that has already written computes alone (other sessions would not see its rows)."""

import datetime as dt
import threading
from queue import SimpleQueue
from typing import Any

import pytest
from django.db import connection, connections, transaction

from motcua.dossiers import recount_parts, recount_sql
from motcua.dossiers.models import DailyCounter, Dossier
from motcua.dossiers.tests.test_recount_sql import (
    at,
    build_world,
    hand_built,
    make,
    postgresql_only,
    python_result,
    state,
)

pytestmark = postgresql_only


@pytest.fixture
def world(db: None) -> dict[str, Any]:
    return build_world()


def part_tables() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname FROM pg_class WHERE starts_with(relname, %s) ORDER BY 1", [recount_parts.PREFIX]
        )
        return [name for (name,) in cursor.fetchall()]


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("sessions", [2, 3])
def test_the_parts_agree_with_the_python_recount(world: dict[str, Any], settings: Any, sessions: int) -> None:
    settings.MOTCUA_RECOUNT_SESSIONS = sessions
    hand_built(world)
    ids = sorted(Dossier.objects.values_list("pk", flat=True))
    with connection.cursor() as cursor:
        parts = recount_parts._split(cursor, sessions, SimpleQueue())
    assert all(  # every part has dossiers of its own
        any((p.ids[0] is None or i >= p.ids[0]) and (p.ids[1] is None or i < p.ids[1]) for i in ids)
        for p in parts
    )
    expected_changes, expected_state = python_result()
    with transaction.atomic():
        outcome = recount_sql.recount_outcome()
    assert outcome.sessions == sessions
    assert outcome.changes == expected_changes
    assert state() == expected_state
    assert part_tables() == []
    with transaction.atomic():
        assert recount_sql.recount_outcome().changes == []


@pytest.mark.django_db(transaction=True)
def test_the_parts_read_the_snapshot_of_the_lock(
    world: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A dossier committed by another session after the recount took its lock (and exported its
    snapshot) is in no part — though the recounting transaction itself, in READ COMMITTED, would see
    it — and the next recount counts it."""
    hand_built(world)
    before_changes, before_state = python_result()
    split = recount_parts._split

    def split_then_commit_a_dossier(cursor: Any, n: int, *rest: Any) -> Any:
        def commit_elsewhere() -> None:
            try:
                make(world["b"], world["offline"], received_at=at(9), processed_at=at(9, 15))
            finally:
                connections.close_all()

        thread = threading.Thread(target=commit_elsewhere)
        thread.start()
        thread.join()
        return split(cursor, n, *rest)

    monkeypatch.setattr(recount_parts, "_split", split_then_commit_a_dossier)
    with transaction.atomic():
        outcome = recount_sql.recount_outcome()
    assert outcome.sessions == 2
    assert outcome.changes == before_changes
    assert state() == before_state
    monkeypatch.setattr(recount_parts, "_split", split)
    after_changes, after_state = python_result()
    assert {(c.unit_id, c.metric) for c in after_changes} >= {(world["b"].pk, "received")}
    with transaction.atomic():
        assert recount_sql.recount_outcome().changes == after_changes
    assert state() == after_state


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_recount_leaves_its_parts_to_the_next(world: dict[str, Any]) -> None:
    hand_built(world)
    expected_changes, expected_state = python_result()
    with transaction.atomic():
        assert recount_sql.recount_outcome().sessions == 2
        transaction.set_rollback(True)
    left = part_tables()
    spans = ("day", "month", "quarter", "year")
    tables = ["facts", *(f"{kind}_{span}" for kind in ("stored", "truth") for span in spans)]
    assert left == sorted(f"_recount_part{k}_{what}" for k in (0, 1) for what in tables)
    assert not DailyCounter.objects.exists()
    with transaction.atomic():
        outcome = recount_sql.recount_outcome()
    assert outcome.sessions == 2  # the leftovers were dropped without this transaction writing
    assert outcome.changes == expected_changes
    assert state() == expected_state
    assert part_tables() == []


@pytest.mark.django_db
def test_a_transaction_that_has_written_recounts_alone(world: dict[str, Any]) -> None:
    """Its own dossiers are not committed: a session of its own would not see them."""
    hand_built(world)
    expected_changes, expected_state = python_result()
    with transaction.atomic():
        outcome = recount_sql.recount_outcome()
    assert outcome.sessions == 1
    assert outcome.changes == expected_changes
    assert state() == expected_state


def test_the_ranges_cover_every_id_and_page_once() -> None:
    for low, past, n in ((0, 1, 2), (0, 10, 3), (5, 1_000_003, 4), (7, 7, 2)):
        ranges = recount_parts._ranges(low, past, n)
        assert len(ranges) == n
        assert ranges[0][0] is None and ranges[-1][1] is None
        assert all(ranges[k][1] == ranges[k + 1][0] for k in range(n - 1))
        assert all(lo <= hi for lo, hi in ranges[1:-1] if lo is not None and hi is not None)


@pytest.mark.django_db(transaction=True)
def test_counters_on_every_page_are_compared(world: dict[str, Any]) -> None:
    """The stored counters are read by page ranges, one per session: wrong values on the first and on
    the last page are both found and put right."""
    hand_built(world)
    with transaction.atomic():
        recount_sql.recount_outcome()
    a, b = world["a"], world["b"]
    DailyCounter.objects.bulk_create(  # zero counters weigh nothing: pages of padding
        DailyCounter(unit=b, day=dt.date(1990, 1, 1) + dt.timedelta(days=i), metric="received", value=0)
        for i in range(3000)
    )
    first = DailyCounter.objects.filter(unit=a, metric="received").order_by("pk").first()
    assert first is not None
    DailyCounter.objects.filter(pk=first.pk).update(value=first.value + 1)
    last = DailyCounter.objects.create(unit=b, day=dt.date(2031, 1, 1), metric="received", value=5)
    chunks: SimpleQueue[recount_parts.Chunk] = SimpleQueue()
    with connection.cursor() as cursor:
        recount_parts._split(cursor, 2, chunks)
        cursor.execute(
            "SELECT (ctid::text::point)[0]::int FROM dossiers_dailycounter WHERE id = %s", [last.pk]
        )
        (page,) = cursor.fetchone()
    daily = []
    while not chunks.empty():
        table, _span, blocks = chunks.get()
        daily += [blocks] if table == "dossiers_dailycounter" else []
    assert len(daily) == 2 * recount_parts.DAILY_CHUNKS
    assert any(first is not None and 0 < first <= page for first, _past in daily)  # in different chunks
    expected_changes, expected_state = python_result()
    with transaction.atomic():
        outcome = recount_sql.recount_outcome()
    assert outcome.sessions == 2
    assert {(c.unit_id, c.day, c.new) for c in outcome.changes} == {
        (a.pk, first.day, first.value),
        (b.pk, last.day, 0),
    }
    assert outcome.changes == expected_changes
    assert state() == expected_state
