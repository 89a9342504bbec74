"""Live per-day counters (``dossiers.counters``): kept by every event writer in its transaction, equal
to the recomputation (``recount``, the oracle) after every step of a handled history."""

import datetime as dt
import io
import threading

import pytest
from django.core.management import call_command
from django.db import connection, connections, transaction

from motcua.dossiers import counters, services
from motcua.dossiers.models import DailyCounter, OpenTimeline
from motcua.dossiers.services import MissingItem

from .conftest import local
from .test_interchange import big_files, load, procedures, tree  # noqa: F401 - fixtures


def tally() -> dict[tuple[int, dt.date, str], int]:
    return {(c.unit_id, c.day, c.metric): c.value for c in DailyCounter.objects.all() if c.value}


def derived() -> tuple[object, ...]:
    """The roll-ups (months, quarters, years) and the open timelines, as the live writers left them."""
    periods = {
        (span, r[0], r[1], r[2]): r[3]
        for model, span in counters.ROLL_UPS
        for r in model.objects.values_list("unit_id", span, "metric", "value")
        if r[3]
    }
    opened = set(
        OpenTimeline.objects.values_list("dossier_id", "unit_id", "received_at", "good_until", "late_from")
    )
    return periods, opened


def assert_equal_to_recount() -> None:
    before = tally(), derived()
    assert counters.recount() == []  # nothing to fix: the live counters are the oracle's numbers
    assert (tally(), derived()) == before


@pytest.mark.django_db
def test_reception_counts_the_dossier_and_its_papers_on_its_local_day(clock, counter_dossier, units):
    day = dt.date(2024, 3, 4)
    unit = units.commune.pk
    assert tally() == {
        (unit, day, "received"): 1,
        (unit, day, "full_online_eligible"): 1,  # a full-online procedure received at the counter
        (unit, day, "papers_digitized"): 1,
        (unit, day, "components"): 1,
        (unit, day, "components_digitized"): 1,
    }
    assert_equal_to_recount()


@pytest.mark.django_db
def test_a_handled_history_keeps_counters_equal_to_recount(
    clock, counter_dossier, receiver, specialist, leader, units
):
    d = counter_dossier
    unit = units.commune.pk
    clock.move_to(local(2024, 3, 4, 8, 30))
    services.start_processing(dossier_id=d.pk, by=receiver)
    assert_equal_to_recount()
    clock.move_to(local(2024, 3, 4, 10))
    services.request_supplement(dossier_id=d.pk, by=specialist, items=[MissingItem("Giấy chứng sinh")])
    assert_equal_to_recount()
    clock.move_to(local(2024, 3, 6, 9))
    services.complete_supplement(dossier_id=d.pk, by=receiver)
    services.forward_step(dossier_id=d.pk, by=specialist)
    services.forward_step(dossier_id=d.pk, by=specialist)
    assert_equal_to_recount()
    clock.move_to(local(2024, 3, 7, 9))
    services.record_result(
        dossier_id=d.pk,
        by=specialist,
        number="12/2024/KS",
        signed_on=dt.date(2024, 3, 7),
        signer="Vũ Quang Huy",
    )
    clock.move_to(local(2024, 3, 7, 10))
    services.mark_processed(dossier_id=d.pk, by=leader)
    assert_equal_to_recount()
    clock.move_to(local(2024, 3, 8, 14))
    services.return_result(dossier_id=d.pk, by=receiver)
    assert_equal_to_recount()
    # one request, applicant back after 2 days less an hour: processed 7/3 10:00 minus that time is
    # before the appointment (7/3 08:00) → on time, counted on the reception day and the end day
    counts = tally()
    assert counts[(unit, dt.date(2024, 3, 4), "ended_on_time")] == 1
    assert counts[(unit, dt.date(2024, 3, 7), "finished_on_time")] == 1
    assert counts[(unit, dt.date(2024, 3, 7), "results_issued")] == 1
    assert (unit, dt.date(2024, 3, 7), "results_electronic") not in counts


@pytest.mark.django_db
def test_a_withdrawal_and_a_stop_are_counted_on_their_day(clock, counter_dossier, receiver, leader, units):
    unit = units.commune.pk
    clock.move_to(local(2024, 3, 5, 9))
    services.withdraw(
        dossier_id=counter_dossier.pk, by=receiver, reason="Không có nhu cầu", written_request="Đơn 05/3"
    )
    counts = tally()
    assert counts[(unit, dt.date(2024, 3, 5), "withdrawn")] == 1
    assert counts[(unit, dt.date(2024, 3, 5), "finished")] == 1
    assert counts[(unit, dt.date(2024, 3, 4), "ended_on_time")] == 1
    assert_equal_to_recount()


@pytest.mark.django_db
def test_recount_repairs_a_wrong_counter_and_prints_it(clock, counter_dossier, units):
    DailyCounter.objects.filter(metric="received").update(value=7)
    DailyCounter.objects.create(unit=units.commune, day=dt.date(2024, 3, 9), metric="received", value=2)
    out = io.StringIO()
    call_command("recount", "--from", "2024-03-01", "--to", "2024-03-31", stdout=out)
    text = out.getvalue()
    assert f"{units.commune.code} 2024-03-04 received: 7 → 1" in text
    assert f"{units.commune.code} 2024-03-09 received: 2 → 0" in text
    assert "2 bộ đếm đã thay đổi." in text
    assert_equal_to_recount()


@pytest.mark.django_db
def test_recount_outside_the_range_leaves_other_days_alone(clock, counter_dossier, units):
    DailyCounter.objects.filter(metric="received").update(value=7)
    assert counters.recount(dt.date(2024, 3, 5), dt.date(2024, 3, 31)) == []
    assert DailyCounter.objects.get(metric="received").value == 7


def test_recount_refuses_a_bad_date() -> None:
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("recount", "--from", "04/03/2024")


@pytest.mark.django_db
def test_refreshing_twice_changes_nothing(clock, counter_dossier):
    before = tally()
    counters.refresh([counter_dossier.pk, counter_dossier.pk])
    counters.refresh([counter_dossier.pk])
    assert tally() == before


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_add_up_exactly(units):
    if connection.vendor != "postgresql":
        pytest.skip("a real concurrent upsert needs PostgreSQL (SQLite serialises writers)")
    barrier = threading.Barrier(4)
    keys = [(units.commune.pk, dt.date(2024, 3, 4), m) for m in ("received", "fee", "reused")]
    errors: list[BaseException] = []

    def write(i: int) -> None:
        try:
            barrier.wait(timeout=30)
            for n in range(25):
                with transaction.atomic():
                    # each writer touches the keys in its own order: the sorted upsert never deadlocks
                    order = keys if (i + n) % 2 else list(reversed(keys))
                    counters.add_to_counters(counters.Counter({k: 1 for k in order}))
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert errors == []
    assert {c.metric: c.value for c in DailyCounter.objects.all()} == {
        "received": 100,
        "fee": 100,
        "reused": 100,
    }


@pytest.mark.django_db
def test_an_import_keeps_counters_equal_to_recount(tree, procedures):  # type: ignore[no-untyped-def]  # noqa: F811
    dossiers, events = big_files(30)
    load(dossiers, events)
    counts = tally()
    received = sum(n for (_, _, metric), n in counts.items() if metric == "received")
    assert received == 30
    assert sum(n for (_, _, metric), n in counts.items() if metric == "finished") == 30
    assert_equal_to_recount()
    load(dossiers, events)  # a second import of the same files changes nothing
    assert tally() == counts
