"""Book numbers under concurrency: four processes certify at the same time on PostgreSQL (the pattern
of ``motcua/core/tests/test_numbering.py``); on SQLite the same approvals run one after another.

Whatever the interleaving, each book's numbers for the year are exactly 1..N, each once, and the
paper and electronic books count separately (NĐ 23/2015/NĐ-CP Điều 13)."""

import json
import subprocess
import sys
import time

import pytest
from django.db import connection
from django.utils import timezone

from motcua.certification import services
from motcua.certification.models import BookKind, Certification
from motcua.certification.tests.conftest import paid, scan_file
from motcua.core.numbering import LOCAL_TZ, audit
from motcua.core.tests.test_numbering import PROJECT_DIR, _worker_env

WORKER = r"""
import json, os, sys, time

import django

django.setup()

from django.db import connection

from motcua.accounts.models import User
from motcua.certification.services import approve

leader_id, ids, ready, go = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
leader = User.objects.get(pk=leader_id)
connection.ensure_connection()
open(ready, "w").close()
give_up = time.monotonic() + 120  # a hang guard if the test runner dies, not a timing assertion
while not os.path.exists(go):
    if time.monotonic() > give_up:
        sys.exit("barrier never opened")
    time.sleep(0.002)
done = []
for pk in map(int, ids.split(",")):
    c = approve(certification_id=pk, by=leader, title="Chủ tịch")
    done.append([pk, c.kind, c.number])
print(json.dumps(done))
"""

WORKERS, PER_WORKER = 4, 3


def _requests(units, justice_officer) -> list[Certification]:
    kinds = [BookKind.COPY, BookKind.ELECTRONIC_COPY]
    return [
        paid(_receive(units, justice_officer, kinds[i % 2], i), justice_officer)
        for i in range(WORKERS * PER_WORKER)
    ]


def _receive(units, justice_officer, kind: str, i: int) -> Certification:
    return services.receive_original(
        by=justice_officer,
        unit=units.commune,
        scan=scan_file(1),
        requester_name="Nguyễn Văn An",
        requester_id_number="",
        document_name=f"Giấy tờ {i}",
        copies=1,
        kind=kind,
    )


def _run(tmp_path, leader, batches: list[list[int]]) -> list[list[object]]:
    go = tmp_path / "go"
    started = []
    for index, batch in enumerate(batches):
        ready = tmp_path / f"ready-{index}"
        command = [
            sys.executable,
            "-c",
            WORKER,
            str(leader.pk),
            ",".join(map(str, batch)),
            str(ready),
            str(go),
        ]
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
                    pytest.fail(f"worker exited before the start: {proc.communicate()[1][-3000:]}")
            time.sleep(0.01)
        go.touch()
        done: list[list[object]] = []
        for _, proc in started:
            out, err = proc.communicate(timeout=600)
            assert proc.returncode == 0, err[-3000:]
            done.extend(json.loads(out))
    finally:
        for _, proc in started:
            if proc.poll() is None:
                proc.kill()
    return done


def _assert_dense(unit, year: int) -> None:
    for kind, code in ((BookKind.COPY, "SCT/BS"), (BookKind.ELECTRONIC_COPY, "SCTĐT/BS")):
        numbers = sorted(Certification.objects.filter(unit=unit, kind=kind).values_list("number", flat=True))
        assert numbers == list(range(1, WORKERS * PER_WORKER // 2 + 1)), (kind, numbers)
        assert audit(scope=f"book:{unit.code}:{code}", period=str(year)).is_clean


@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent writers: PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_four_processes_certifying_at_once_never_share_a_number(tmp_path, units, justice_officer, leader):
    made = _requests(units, justice_officer)
    batches = [[c.pk for c in made[i::WORKERS]] for i in range(WORKERS)]
    done = _run(tmp_path, leader, batches)
    assert len(done) == WORKERS * PER_WORKER
    _assert_dense(units.commune, timezone.now().astimezone(LOCAL_TZ).year)
    assert all(c.certified_file for c in Certification.objects.all())


@pytest.mark.django_db
def test_interleaved_approvals_keep_each_book_dense(units, justice_officer, leader):
    # the sequential variant (SQLite, and PostgreSQL too): the two books interleaved
    made = _requests(units, justice_officer)
    for c in reversed(made):
        services.approve(certification_id=c.pk, by=leader, title="Chủ tịch")
    _assert_dense(units.commune, timezone.now().astimezone(LOCAL_TZ).year)
