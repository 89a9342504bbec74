"""``motcua seed-demo --dossiers N``: synthetic dossier history (``demo.dossiers``).

The province and 300 dossiers are generated once per module inside a transaction rolled back at the
end; each test runs in a savepoint on top of it. ``now`` is fixed so the data do not depend on today.
"""

import datetime as dt
import random
from collections import Counter, defaultdict
from collections.abc import Iterator
from decimal import Decimal
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.db.models import Sum
from django.test import override_settings

from motcua.core.models import IssuedNumber, NumberSequence
from motcua.core.numbering import audit, dossier_scope, parse_dossier_code
from motcua.core.worktime import TZ, WorkCalendar
from motcua.demo.bulk import FastCalendar, epoch, to_datetime
from motcua.demo.dossiers import DossierHistoryExists, generate_dossiers
from motcua.demo.seed import seed_demo
from motcua.dossiers import deadlines
from motcua.dossiers.interchange import export_dossiers, import_dossier_files, step_verdict
from motcua.dossiers.models import Dossier, DossierComponent, DossierEvent, DossierStep
from motcua.dossiers.workflow import CLOSED, Channel, EventKind, Status, Verdict
from motcua.organizations.calendars import calendar_for_unit

N = 300
SEED = 4242
NOW = dt.datetime(2026, 6, 15, 10, 30, tzinfo=TZ)


@pytest.fixture(scope="module")
def history(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            seed_demo()
            generate_dossiers(N, seed=SEED, now=NOW)
            yield
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture
def generated(history: None, db: None) -> None:
    return None


def _fingerprint() -> list[tuple[Any, ...]]:
    events = defaultdict(list)
    for code, kind, at, due in DossierEvent.objects.order_by("dossier__code", "at", "id").values_list(
        "dossier__code", "kind", "at", "due_at"
    ):
        events[code].append((kind, at, due))
    return [
        (*row, tuple(events[row[0]]))
        for row in Dossier.objects.order_by("code").values_list(
            "code",
            "procedure__code",
            "responsible_unit__code",
            "channel",
            "status",
            "applicant_name",
            "due_at",
        )
    ]


def _delete_generated() -> None:
    DossierEvent.objects.all().delete()
    DossierStep.objects.all().delete()
    DossierComponent.objects.all().delete()
    Dossier.objects.all().delete()
    IssuedNumber.objects.filter(scope__startswith="dossier:").delete()
    NumberSequence.objects.filter(scope__startswith="dossier:").delete()


def test_counts_and_every_dossier_has_history(generated: None) -> None:
    assert Dossier.objects.count() == N
    assert DossierComponent.objects.count() >= N
    assert DossierStep.objects.count() >= 3 * N
    assert DossierEvent.objects.count() >= 8 * N
    assert not Dossier.objects.filter(events__isnull=True).exists()
    assert not DossierEvent.objects.filter(at__gt=NOW).exists()  # nothing happens after now
    assert Dossier.objects.filter(status=Status.RETURNED).count() > N * 0.7
    assert Dossier.objects.filter(submitted_at__lt=NOW - dt.timedelta(days=450)).exists()  # ~18 months


def test_codes_are_valid_unique_and_count_per_unit_and_local_day(generated: None) -> None:
    rows = list(Dossier.objects.values_list("code", "receiving_unit__code", "submitted_at"))
    assert len({code for code, _u, _s in rows}) == N
    by_day: dict[tuple[str, dt.date], list[tuple[dt.datetime, int]]] = defaultdict(list)
    for code, unit, submitted in rows:
        parsed = parse_dossier_code(code)
        assert str(parsed) == code
        assert parsed.agency_code == unit
        assert parsed.received_on == submitted.astimezone(TZ).date()
        by_day[unit, parsed.received_on].append((submitted, parsed.sequence))
    for numbers in by_day.values():
        assert [n for _s, n in sorted(numbers)] == list(range(1, len(numbers) + 1))


def test_number_sequences_are_advanced_and_the_audit_is_clean(generated: None) -> None:
    used = Counter(
        (
            dossier_scope(parse_dossier_code(code).agency_code),
            parse_dossier_code(code).received_on.isoformat(),
        )
        for code in Dossier.objects.values_list("code", flat=True)
    )
    sequences = dict(
        ((s, p), last) for s, p, last in NumberSequence.objects.values_list("scope", "period", "last")
    )
    for key, count in used.items():
        assert sequences[key] == count
    for scope, period in sorted(used)[:: max(1, len(used) // 25)]:
        result = audit(scope=scope, period=period)
        assert result.is_clean, result
        assert result.issued_count == result.last


def _replay(events: list[DossierEvent]) -> dict[str, Any]:
    """The dossier fields as the services would leave them after these events (independent of the
    generator's own bookkeeping)."""
    state: dict[str, Any] = {
        "status": "",
        "received_at": None,
        "due_at": None,
        "original_due_at": None,
        "reception_due_at": None,
        "processed_at": None,
        "returned_at": None,
        "closed_at": None,
        "supplement_request_count": 0,
        "reschedule_count": 0,
        "version": len(events),
    }
    for e in events:
        if e.to_status:
            assert e.from_status == state["status"], (e.kind, e.from_status, state["status"])
            state["status"] = e.to_status
            if Status(e.to_status) in CLOSED:
                state["closed_at"] = e.at
        if e.kind == EventKind.SUBMITTED or (
            e.kind == EventKind.SUPPLEMENT_COMPLETED and e.to_status == Status.SUBMITTED
        ):
            state["reception_due_at"] = e.due_at
        elif e.kind == EventKind.RECEIVED:
            state["received_at"], state["due_at"], state["original_due_at"] = e.at, e.due_at, e.due_at
        elif e.kind == EventKind.SUPPLEMENT_REQUESTED and e.from_status == Status.PROCESSING:
            state["supplement_request_count"] += 1
        elif e.kind == EventKind.SUPPLEMENT_COMPLETED and e.to_status == Status.PROCESSING:
            state["due_at"] = e.due_at
            if state["reschedule_count"] == 0:
                state["original_due_at"] = e.due_at
        elif e.kind == EventKind.RESCHEDULED:
            state["due_at"], state["reschedule_count"] = e.due_at, state["reschedule_count"] + 1
        elif e.kind == EventKind.PROCESSED:
            state["processed_at"] = e.at
        elif e.kind == EventKind.RETURNED:
            state["returned_at"] = e.at
    return state


def test_summary_fields_agree_with_the_events(generated: None) -> None:
    _check_summaries()


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_summary_fields_agree_with_the_events_for_other_seeds(generated: None, seed: int) -> None:
    # other draws cut at ``now`` in other places (dossiers waiting for the applicant, half-done steps)
    with transaction.atomic():
        _delete_generated()
        generate_dossiers(150, seed=seed, now=NOW + dt.timedelta(hours=seed * 7))
        _check_summaries()
        transaction.set_rollback(True)


def _check_summaries() -> None:
    events: dict[int, list[DossierEvent]] = defaultdict(list)
    for e in DossierEvent.objects.order_by("dossier_id", "at", "id"):
        events[e.dossier_id].append(e)
    for d in Dossier.objects.all():
        replayed = _replay(events[d.pk])
        actual = {name: getattr(d, name) for name in replayed}
        assert actual == replayed, d.code
        ends = [e for e in events[d.pk] if e.kind in {"processed", "withdrawn", "stopped", "refused"}]
        if d.received_at is not None and ends:
            assert d.verdict == deadlines.verdict(ends[0].at, d.due_at), d.code
        else:
            assert d.verdict == "", d.code
        assert d.submitted_at == events[d.pk][0].at


def test_deadlines_use_the_real_calendar(generated: None) -> None:
    supplemented = set(
        DossierEvent.objects.filter(kind=EventKind.SUPPLEMENT_COMPLETED).values_list("dossier_id", flat=True)
    )
    checked = 0
    for d in Dossier.objects.filter(received_at__isnull=False).select_related(
        "procedure", "responsible_unit"
    ):
        if d.pk in supplemented:
            continue
        calendar = calendar_for_unit(d.responsible_unit, d.received_at.astimezone(TZ).date())
        assert d.original_due_at == deadlines.appointment(
            d.procedure, calendar, d.received_at, channel=d.channel
        )
        checked += 1
    assert checked > N * 0.8
    for s in DossierStep.objects.filter(started_at__isnull=False).exclude(dossier_id__in=supplemented)[:400]:
        calendar = calendar_for_unit(s.unit, s.started_at.astimezone(TZ).date())
        assert s.due_at == deadlines.step_due(calendar, s.started_at, s.budget_hours)


def test_step_verdicts_follow_the_rule_and_some_are_late(generated: None) -> None:
    finished = DossierStep.objects.filter(finished_at__isnull=False)
    for s in finished:
        assert s.due_at is not None
        assert s.verdict == step_verdict(finished_at=s.finished_at, due_at=s.due_at)
    late = finished.filter(verdict=Verdict.LATE).count() / finished.count()
    assert 0.04 < late < 0.16
    assert not DossierStep.objects.filter(started_at__isnull=True).exclude(verdict="").exists()
    started = DossierEvent.objects.filter(kind=EventKind.STEP_STARTED)
    assert started.count() == DossierStep.objects.filter(started_at__isnull=False).count()
    assert not started.filter(step__isnull=True).exists()


def test_channel_mix_and_exceptions_are_realistic(generated: None) -> None:
    channels = Counter(Dossier.objects.values_list("channel", flat=True))
    assert 0.42 < channels[Channel.DIRECT] / N < 0.68
    assert 0.28 < channels[Channel.ONLINE] / N < 0.52
    assert 0 < channels[Channel.POSTAL] / N < 0.12
    assert Dossier.objects.filter(supplement_request_count__gt=0).exists()
    assert Dossier.objects.filter(status__in=[Status.PROCESSING, Status.PROCESSED, Status.SUBMITTED]).exists()
    assert Dossier.objects.exclude(rating="").exists()
    assert not Dossier.objects.filter(channel=Channel.ONLINE, status=Status.NOT_RECEIVED).exists()


def test_the_same_seed_gives_the_same_dossiers(generated: None) -> None:
    before = _fingerprint()
    with transaction.atomic():
        _delete_generated()
        generate_dossiers(N, seed=SEED, now=NOW)
        again = _fingerprint()
        transaction.set_rollback(True)
    assert again == before


def test_refuses_when_dossiers_exist_unless_append(generated: None) -> None:
    with pytest.raises(DossierHistoryExists, match="--append"):
        generate_dossiers(5, seed=SEED, now=NOW)
    with override_settings(DEMO_MODE=True), pytest.raises(CommandError, match="đã có"):
        call_command("seed-demo", "--dossiers", "5", stdout=StringIO())
    out = StringIO()
    with override_settings(DEMO_MODE=True):  # scripts/demo run again: the dossiers there are are kept
        call_command("seed-demo", "--dossiers", "5", "--if-empty", stdout=out)
    assert "không tạo thêm" in out.getvalue()
    assert Dossier.objects.count() == N
    report = generate_dossiers(5, seed=SEED + 1, now=NOW, append=True)
    assert report.dossiers == 5
    assert Dossier.objects.count() == N + 5
    assert len(set(Dossier.objects.values_list("code", flat=True))) == N + 5


def test_export_reimports_cleanly(generated: None) -> None:
    dossiers_csv, events_csv = StringIO(), StringIO()
    exported = export_dossiers(dossiers_csv, events_csv)
    assert exported[0] == N
    # into the same database: nothing new
    same = import_dossier_files(StringIO(dossiers_csv.getvalue()), StringIO(events_csv.getvalue()))
    assert same.dossiers.created == 0
    assert same.events_added == 0
    # into a database without them: every dossier and event comes back
    wanted = {
        code: (status, received, processed, returned)
        for code, status, received, processed, returned in Dossier.objects.values_list(
            "code", "status", "received_at", "processed_at", "returned_at"
        )
    }
    with transaction.atomic():
        _delete_generated()
        summary = import_dossier_files(StringIO(dossiers_csv.getvalue()), StringIO(events_csv.getvalue()))
        assert summary.dossiers.created == N
        assert summary.events_added == exported[1]
        got = {
            code: (status, received, processed, returned)
            for code, status, received, processed, returned in Dossier.objects.values_list(
                "code", "status", "received_at", "processed_at", "returned_at"
            )
        }
        transaction.set_rollback(True)
    assert got == wanted


def test_fast_calendar_answers_like_the_work_calendar() -> None:
    calendar = WorkCalendar()
    fast = FastCalendar(calendar, dt.date(2024, 1, 1), dt.date(2027, 12, 31))
    rng = random.Random(1)
    start = epoch(dt.datetime(2024, 1, 2, tzinfo=dt.UTC))
    for _ in range(2000):
        t = start + rng.randrange(0, 3 * 365 * 86_400)
        moment = to_datetime(t)
        assert moment is not None
        half_hours = rng.randrange(0, 200)
        expected = calendar.add_working_hours(moment, Decimal(half_hours) / 2)
        assert to_datetime(fast.add_working_seconds(t, half_hours * 1800)) == expected
        assert to_datetime(fast.start_after_cutoff(t)) == calendar.start_after_cutoff(moment)
        assert to_datetime(fast.next_working_instant(t)) == calendar.next_working_instant(moment)
        assert to_datetime(fast.add_calendar_days(t, 15)) == calendar.add_calendar_days(moment, 15)
        assert to_datetime(fast.supplement_request_deadline(t)) == deadlines.supplement_request_deadline(
            calendar, moment
        )
        assert to_datetime(fast.latest_apology_at(t)) == deadlines.latest_apology_at(calendar, moment)


def test_the_command_leaves_the_indicator_counters_built(generated: None) -> None:
    """The generator writes rows directly; ``seed-demo --dossiers`` rebuilds the live counters after, so
    the boards show the generated province at once (and a recount then changes nothing)."""
    from motcua.dossiers.counters import recount
    from motcua.dossiers.models import DailyCounter

    out = StringIO()
    with override_settings(DEMO_MODE=True):
        call_command("seed-demo", "--dossiers", "7", "--append", stdout=out)
    assert "bộ đếm" in out.getvalue()
    received = Dossier.objects.filter(received_at__isnull=False).count()
    assert DailyCounter.objects.filter(metric="received").aggregate(n=Sum("value"))["n"] == received
    assert recount() == []
