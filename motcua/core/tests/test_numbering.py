"""Dossier codes and book numbers: format, day boundaries, limits, gap audit, several processes."""

import json
import os
import subprocess
import sys
import time
from collections import Counter
from datetime import UTC, date, datetime
from io import StringIO
from pathlib import Path
from urllib.parse import quote

import pytest
from django.core.management import call_command, load_command_class
from django.core.management.base import CommandError
from django.db import connection, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from motcua.core.models import IssuedNumber, NumberSequence
from motcua.core.numbering import (
    LOCAL_TZ,
    DossierCode,
    InvalidDossierCode,
    NumberAlreadyIssued,
    SequenceExhausted,
    audit,
    book_number,
    dossier_code,
    dossier_scope,
    find_gaps,
    format_dossier_code,
    next_number,
    parse_dossier_code,
)

AGENCY = "000.00.06.H56"
OTHER_AGENCY = "000.00.00.H56"
PROJECT_DIR = Path(__file__).resolve().parents[3]


class _Rollback(Exception):
    pass


def _local(*args: int) -> datetime:
    return datetime(*args, tzinfo=LOCAL_TZ)


# --- dossier codes ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_dossier_codes_count_within_the_day_per_agency():
    with transaction.atomic():
        first = dossier_code(agency_code=AGENCY, received_at=_local(2023, 10, 27, 8, 0))
        second = dossier_code(agency_code=AGENCY, received_at=_local(2023, 10, 27, 16, 59))
        other_agency = dossier_code(agency_code=OTHER_AGENCY, received_at=_local(2023, 10, 27, 9, 0))
        next_day = dossier_code(agency_code=AGENCY, received_at=_local(2023, 10, 28, 7, 30))
        third = dossier_code(agency_code=AGENCY, received_at=_local(2023, 10, 27, 17, 0))

    assert first == "000.00.06.H56-231027-0001"
    assert second == "000.00.06.H56-231027-0002"
    assert other_agency == "000.00.00.H56-231027-0001"
    assert next_day == "000.00.06.H56-231028-0001"
    assert third == "000.00.06.H56-231027-0003"


@pytest.mark.django_db
def test_dossier_code_uses_the_local_date_not_the_utc_date():
    with transaction.atomic():
        before_local_midnight = dossier_code(
            agency_code=AGENCY, received_at=datetime(2023, 10, 27, 16, 59, 59, tzinfo=UTC)
        )
        at_local_midnight = dossier_code(
            agency_code=AGENCY, received_at=datetime(2023, 10, 27, 17, 0, tzinfo=UTC)
        )
        late_utc_evening = dossier_code(
            agency_code=AGENCY, received_at=datetime(2023, 10, 27, 17, 30, tzinfo=UTC)
        )

    assert before_local_midnight == "000.00.06.H56-231027-0001"
    assert at_local_midnight == "000.00.06.H56-231028-0001"
    assert late_utc_evening == "000.00.06.H56-231028-0002"


@pytest.mark.django_db
def test_dossier_code_refuses_naive_datetimes():
    with transaction.atomic(), pytest.raises(ValueError, match="timezone-aware"):
        dossier_code(agency_code=AGENCY, received_at=datetime(2023, 10, 27, 9, 0))  # noqa: DTZ001
    assert not IssuedNumber.objects.exists()


@pytest.mark.django_db
def test_the_10000th_dossier_of_a_day_is_refused_and_nothing_is_consumed():
    # given: 9,998 dossiers already received today
    period = "2023-10-27"
    NumberSequence.objects.create(scope=dossier_scope(AGENCY), period=period, last=9998)
    received_at = _local(2023, 10, 27, 10, 0)

    # when
    with transaction.atomic():
        last_code = dossier_code(agency_code=AGENCY, received_at=received_at)
        with pytest.raises(SequenceExhausted) as refused:
            dossier_code(agency_code=AGENCY, received_at=received_at, reference="too-many")
        # the caller's transaction is still usable after the refusal
        other = dossier_code(agency_code=OTHER_AGENCY, received_at=received_at)

    # then
    assert last_code == "000.00.06.H56-231027-9999"
    assert "9999 hồ sơ trong ngày 27/10/2023" in refused.value.message
    assert "Thông tư 01/2018/TT-VPCP Điều 19" in refused.value.message
    assert NumberSequence.objects.get(scope=dossier_scope(AGENCY), period=period).last == 9999
    assert not IssuedNumber.objects.filter(reference="too-many").exists()
    assert other == "000.00.00.H56-231027-0001"


@pytest.mark.django_db
def test_a_rolled_back_reception_gives_its_number_back():
    received_at = _local(2023, 10, 27, 10, 0)
    with transaction.atomic():
        first = dossier_code(agency_code=AGENCY, received_at=received_at, reference="kept")
    with pytest.raises(_Rollback), transaction.atomic():
        lost = dossier_code(agency_code=AGENCY, received_at=received_at, reference="rolled back")
        raise _Rollback

    assert find_gaps(scope=dossier_scope(AGENCY), period="2023-10-27") == []
    with transaction.atomic():
        reused = dossier_code(agency_code=AGENCY, received_at=received_at, reference="reused")

    assert (first, lost, reused) == (
        "000.00.06.H56-231027-0001",
        "000.00.06.H56-231027-0002",
        "000.00.06.H56-231027-0002",
    )
    assert dict(IssuedNumber.objects.values_list("number", "reference")) == {1: "kept", 2: "reused"}
    assert audit(scope=dossier_scope(AGENCY), period="2023-10-27").is_clean


@pytest.mark.django_db
def test_find_gaps_reports_a_deleted_issued_number():
    with transaction.atomic():
        for _ in range(5):
            dossier_code(agency_code=AGENCY, received_at=_local(2023, 10, 27, 10, 0))
    IssuedNumber.objects.filter(number__in=[2, 4]).delete()

    assert find_gaps(scope=dossier_scope(AGENCY), period="2023-10-27") == [2, 4]
    result = audit(scope=dossier_scope(AGENCY), period="2023-10-27")
    assert (result.last, result.issued_count, result.gaps, result.is_clean) == (5, 3, [2, 4], False)


@pytest.mark.django_db
def test_a_counter_moved_back_is_refused_instead_of_issuing_a_number_twice():
    # given: three numbers issued, then the counter is edited back to 1 in the database
    with transaction.atomic():
        for _ in range(3):
            next_number(scope="s", period="p")
    NumberSequence.objects.filter(scope="s", period="p").update(last=1)

    # when / then
    with pytest.raises(NumberAlreadyIssued) as refused, transaction.atomic():
        next_number(scope="s", period="p", reference="second #2")
    assert "numbering-audit" in refused.value.message
    assert IssuedNumber.objects.filter(scope="s", number=2).count() == 1
    assert audit(scope="s", period="p").beyond_last == [2, 3]


@pytest.mark.django_db(transaction=True)
def test_next_number_outside_a_transaction_is_refused():
    with pytest.raises(transaction.TransactionManagementError, match=r"inside transaction\.atomic"):
        next_number(scope="s", period="p")
    assert not NumberSequence.objects.exists()


# --- certification books ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_book_numbers_run_for_the_year_and_restart_on_1_january():
    book = f"{AGENCY}:SCT/BS"
    with transaction.atomic():
        numbers_2023 = [book_number(book=book, year=2023) for _ in range(3)]
        first_2024 = book_number(book=book, year=2024)
        late_2023_entry = book_number(book=book, year=2023)
        electronic_book = book_number(book=f"{AGENCY}:SCTĐT/BS", year=2023)

    assert numbers_2023 == [1, 2, 3]
    assert first_2024 == 1
    assert late_2023_entry == 4
    assert electronic_book == 1


# --- parsing ----------------------------------------------------------------------------------------


def test_parse_dossier_code_splits_the_three_parts():
    parsed = parse_dossier_code(" 000.00.06.h56-231027-0361 ")
    assert parsed == DossierCode(agency_code=AGENCY, received_on=date(2023, 10, 27), sequence=361)
    agency, received_on, sequence = parsed
    assert (agency, received_on, sequence) == (AGENCY, date(2023, 10, 27), 361)
    assert str(parsed) == "000.00.06.H56-231027-0361"


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("", "không đúng dạng"),
        ("000.00.06.H56-231027-361", "không đúng dạng"),
        ("000.00.06.H56-231027-00361", "không đúng dạng"),
        ("000.00.06.H56 231027 0361", "không đúng dạng"),
        ("000.00.06.H56-2310270361", "không đúng dạng"),
        ("-231027-0361", "không đúng dạng"),
        (".H56-231027-0361", "phần mã cơ quan «.H56» không hợp lệ"),
        ("000.00.06.H56 X-231027-0361", "phần mã cơ quan"),
        ("000.00.06.H56-231327-0361", "«231327» không phải là một ngày có thật"),
        ("000.00.06.H56-230229-0361", "không phải là một ngày có thật"),
        ("000.00.06.H56-231027-0000", "bắt đầu từ 0001"),
    ],
)
def test_parse_dossier_code_says_what_is_wrong(code, expected):
    with pytest.raises(InvalidDossierCode) as refused:
        parse_dossier_code(code)
    assert expected in refused.value.message


AGENCY_CODES = st.one_of(
    st.from_regex(r"[0-9]{3}\.[0-9]{2}\.[0-9]{2}\.[A-Z][0-9]{2}", fullmatch=True),  # QCVN 102:2016
    st.from_regex(r"[0-9A-Z](?:[0-9A-Z.\-]{0,33}[0-9A-Z])?", fullmatch=True),  # QĐ 20/2020
)


@given(
    agency_code=AGENCY_CODES,
    received_on=st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31)),
    sequence=st.integers(min_value=1, max_value=9999),
)
def test_format_and_parse_are_inverse(agency_code, received_on, sequence):
    code = format_dossier_code(agency_code=agency_code, received_on=received_on, sequence=sequence)
    assert parse_dossier_code(code) == (agency_code, received_on, sequence)
    assert str(parse_dossier_code(code.lower())) == code


@given(st.text())
def test_parse_either_refuses_clearly_or_returns_the_canonical_code(text):
    try:
        parsed = parse_dossier_code(text)
    except InvalidDossierCode as refused:
        assert refused.message.startswith("Mã hồ sơ «")
    else:
        assert str(parsed) == text.strip().upper()


# --- numbers stay dense whatever rolls back ---------------------------------------------------------


@pytest.mark.django_db
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    steps=st.lists(
        st.tuples(st.sampled_from(["book:A", "book:B"]), st.sampled_from(["2023", "2024"]), st.booleans()),
        max_size=25,
    )
)
def test_committed_numbers_are_dense_in_every_scope(steps):
    with transaction.atomic():  # undone at the end of each example
        committed: Counter[tuple[str, str]] = Counter()
        for scope, period, commit in steps:
            try:
                with transaction.atomic():
                    number = next_number(scope=scope, period=period)
                    assert number == committed[scope, period] + 1
                    if not commit:
                        raise _Rollback
                committed[scope, period] += 1
            except _Rollback:
                pass
        for (scope, period), count in committed.items():
            result = audit(scope=scope, period=period)
            assert (result.last, result.issued_count, result.is_clean) == (count, count, True)
        transaction.set_rollback(True)


# --- management command -----------------------------------------------------------------------------


def test_the_hyphenated_command_module_loads():
    assert load_command_class("motcua.core", "numbering-audit").help.startswith("Kiểm tra dãy số")


@pytest.mark.django_db
def test_numbering_audit_lists_missing_numbers_per_day():
    # given: five dossiers on the 27th (two records deleted), two on the 28th, one outside the range
    with transaction.atomic():
        for _ in range(5):
            dossier_code(agency_code=AGENCY, received_at=_local(2023, 10, 27, 10, 0))
        for _ in range(2):
            dossier_code(agency_code=AGENCY, received_at=_local(2023, 10, 28, 10, 0))
        dossier_code(agency_code=AGENCY, received_at=_local(2023, 11, 2, 10, 0))
    IssuedNumber.objects.filter(period="2023-10-27", number__in=[2, 3]).delete()
    out = StringIO()

    # when
    with pytest.raises(CommandError, match="1/2 kỳ có số bị thiếu"):
        call_command(
            "numbering-audit", "--agency", AGENCY, "--from", "2023-10-01", "--to", "2023-10-31", stdout=out
        )

    # then
    lines = out.getvalue().splitlines()
    assert "2023-10-27: số cuối 5, đã ghi nhận 3 số — THIẾU 2 số: 2–3" in lines
    assert "2023-10-28: số cuối 2, đã ghi nhận 2 số — liên tục" in lines
    assert not any("2023-11-02" in line for line in lines)


@pytest.mark.django_db
def test_numbering_audit_passes_a_continuous_book():
    with transaction.atomic():
        book_number(book="X:SCT/BS", year=2023)
    out = StringIO()
    call_command("numbering-audit", "--book", "X:SCT/BS", stdout=out)
    assert "Tất cả 1 kỳ đều liên tục" in out.getvalue()
    with pytest.raises(CommandError, match="năm phải có dạng YYYY"):
        call_command("numbering-audit", "--book", "X:SCT/BS", "--from", "23", stdout=out)


# --- several OS processes on the same database ------------------------------------------------------

# Each worker takes numbers in two sequences, alternating: every transaction of the first commits, a
# seeded random 30 % of the second roll back after the number was taken. One launch covers both cases
# because starting Django in four processes costs more than the numbering itself.
WORKER = r"""
import json, os, random, sys, time

import django

django.setup()

from django.db import connection, transaction

from motcua.core.numbering import next_number

index, count, scope, committing_period, rolling_back_period, ready, go = sys.argv[1:]
index, count = int(index), int(count)
rng = random.Random(index)


class Rollback(Exception):
    pass


connection.ensure_connection()
open(ready, "w").close()
give_up = time.monotonic() + 120  # a hang guard if the test runner dies, not a timing assertion
while not os.path.exists(go):
    if time.monotonic() > give_up:
        sys.exit("barrier never opened")
    time.sleep(0.002)

results = {period: {"committed": [], "rolled_back": []} for period in (committing_period, rolling_back_period)}
for i in range(count):
    for period, rollback_rate in ((committing_period, 0.0), (rolling_back_period, 0.3)):
        reference = f"w{index}-{i}"
        try:
            with transaction.atomic():
                number = next_number(scope=scope, period=period, reference=reference)
                time.sleep(rng.random() / 1000)  # hold the number a moment, as a reception does
                if rng.random() < rollback_rate:
                    raise Rollback
            results[period]["committed"].append([number, reference])
        except Rollback:
            results[period]["rolled_back"].append(number)
print(json.dumps(results))
"""


def _worker_env() -> dict[str, str]:
    """Point a fresh process at the database this test runs on."""
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="motcua.settings", PYTHONPATH=str(PROJECT_DIR))
    db = connection.settings_dict
    if connection.vendor == "postgresql":
        credentials = quote(db["USER"] or "", safe="")
        if db["PASSWORD"]:
            credentials += ":" + quote(db["PASSWORD"], safe="")
        host = quote(db["HOST"] or "", safe="")
        port = f":{db['PORT']}" if db["PORT"] else ""
        env["DATABASE_URL"] = f"postgres://{credentials}@{host}{port}/{quote(db['NAME'], safe='')}"
    elif connection.vendor == "sqlite":
        env.pop("DATABASE_URL", None)
        env["MOTCUA_SQLITE_PATH"] = str(db["NAME"])
    else:  # pragma: no cover - the suite runs on SQLite and PostgreSQL only
        pytest.fail(f"no worker set-up for {connection.vendor}")
    return env


def _run_workers(tmp_path, *, workers, args):
    """Start the workers, open the barrier once all are connected, return their decoded output."""
    go = tmp_path / "go"
    started = []
    for index in range(workers):
        ready = tmp_path / f"ready-{index}"
        command = [sys.executable, "-c", WORKER, str(index), *args, str(ready), str(go)]
        proc = subprocess.Popen(
            command,
            cwd=PROJECT_DIR,
            env=_worker_env(),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        started.append((ready, proc))
    try:
        while not all(ready.exists() for ready, _ in started):
            for _, proc in started:
                if proc.poll() is not None:
                    pytest.fail(f"worker exited before the start: {proc.communicate()[1]}")
            time.sleep(0.01)
        go.touch()
        results = []
        for _, proc in started:
            out, err = proc.communicate(timeout=300)
            assert proc.returncode == 0, err
            results.append(json.loads(out))
    finally:
        for _, proc in started:
            if proc.poll() is None:
                proc.kill()
    return results


def _assert_dense_and_recorded(results, *, scope, period, taken):
    """Committed numbers are exactly 1..N, each recorded once with the reference of its taker."""
    committed = {}
    rolled_back = []
    for result in results:
        for number, reference in result[period]["committed"]:
            assert number not in committed, f"{number} handed out to {committed[number]} and {reference}"
            committed[number] = reference
        rolled_back.extend(result[period]["rolled_back"])
    total = len(committed)
    assert total + len(rolled_back) == taken
    assert sorted(committed) == list(range(1, total + 1))
    recorded = IssuedNumber.objects.filter(scope=scope, period=period).values_list("number", "reference")
    assert dict(recorded) == committed
    result = audit(scope=scope, period=period)
    assert (result.last, result.issued_count, result.gaps, result.is_clean) == (total, total, [], True)
    # every rolled-back number was handed out again (only the very last one may stay unused)
    assert all(n <= total + 1 for n in rolled_back)
    return rolled_back


@pytest.mark.django_db(transaction=True)
def test_several_processes_never_share_a_number_and_leave_no_gap(tmp_path):
    # given: four processes connected to this test database, waiting at a barrier
    workers, per_worker = 4, 50
    scope, committing, rolling_back = dossier_scope(AGENCY), "2023-10-27", "2023-10-28"

    # when: they all take numbers for the same agency and day at the same time
    results = _run_workers(tmp_path, workers=workers, args=[str(per_worker), scope, committing, rolling_back])

    # then
    taken = workers * per_worker
    assert _assert_dense_and_recorded(results, scope=scope, period=committing, taken=taken) == []
    rolled_back = _assert_dense_and_recorded(results, scope=scope, period=rolling_back, taken=taken)
    assert rolled_back, "the seeded workers must roll some transactions back"
