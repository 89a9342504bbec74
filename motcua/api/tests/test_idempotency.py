"""``POST /api/v1/dossiers`` with an ``Idempotency-Key``: a replay answers with the same dossier, the
same key with another body is 409, concurrent replays make one dossier (QUALITY.md, reliability)."""

import threading

import pytest
from django.db import connection, connections
from django.test import Client

from motcua.api.models import IdempotencyKey
from motcua.conftest import login_with_otp
from motcua.core.numbering import audit, dossier_scope, parse_dossier_code
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.conftest import officer
from motcua.organizations.models import Role

from .conftest import API
from .test_dossier_api import create_body, post


def create(client: Client, body: object, key: str):  # type: ignore[no-untyped-def]
    return post(client, f"{API}/dossiers", body, **{"Idempotency-Key": key})


@pytest.mark.django_db
@pytest.mark.parametrize("channel", [1, 2])
def test_a_replay_returns_the_same_dossier(clock, as_receiver, units, procedure, channel):
    body = create_body(units, channel=channel)
    first = create(as_receiver, body, "retry-0001")
    again = create(as_receiver, body, "retry-0001")
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["code"] == first.json()["code"]
    assert Dossier.objects.count() == 1 == IdempotencyKey.objects.count()
    # the replay handed no number out
    assert audit(scope=dossier_scope(units.commune.code), period="2024-03-04").last == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    "changes",
    [
        {"applicant": {"name": "Nguyễn Văn An", "id_number": "030090000123", "phone": "0999999999"}},
        {"components": []},
        {"channel": 3},
    ],
)
def test_the_same_key_with_another_body_is_409(clock, as_receiver, units, procedure, changes):
    first = create(as_receiver, create_body(units), "reused-0001")
    other = create(as_receiver, create_body(units, **changes), "reused-0001")
    assert other.status_code == 409
    assert first.json()["code"] in other.json()["detail"] and other.json()["code"] == first.json()["code"]
    assert Dossier.objects.count() == 1


@pytest.mark.django_db
def test_keys_belong_to_the_caller(clock, as_receiver, signed_in, units, procedure):
    colleague = signed_in(officer(units.commune, Role.RECEIVER, "Đinh Thị Thu (một cửa)"))
    mine = create(as_receiver, create_body(units), "shared-0001")
    theirs = create(colleague, create_body(units), "shared-0001")
    assert (mine.status_code, theirs.status_code) == (201, 201)
    assert mine.json()["code"] != theirs.json()["code"]


@pytest.mark.django_db
def test_a_failed_creation_keeps_the_key_free(clock, as_receiver, units, procedure):
    assert create(as_receiver, create_body(units, components=[]), "fail-then-0001").status_code == 422
    assert create(as_receiver, create_body(units), "fail-then-0001").status_code == 201


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("channel", [1, 2])
def test_concurrent_replays_make_one_dossier(receiver, units, procedure, channel):
    if connection.vendor != "postgresql":
        pytest.skip("a real multi-connection race needs PostgreSQL (SQLite serialises writers)")
    # given: 8 browser tabs of the same officer sending the same request with the same key at once
    clients = []
    for _ in range(8):
        client = Client()
        login_with_otp(client, receiver)
        clients.append(client)
    body = create_body(units, channel=channel)
    barrier = threading.Barrier(len(clients))
    answers: list[tuple[int, str]] = [(0, "")] * len(clients)

    def send(i: int) -> None:
        try:
            barrier.wait(timeout=30)
            response = create(clients[i], body, "double-click-0001")
            answers[i] = (response.status_code, response.json().get("code", response.content.decode()))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=send, args=(i,)) for i in range(len(clients))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    # then
    statuses = sorted(status for status, _code in answers)
    assert statuses == [200] * 7 + [201], answers
    assert len({code for _status, code in answers}) == 1
    assert Dossier.objects.count() == 1 == IdempotencyKey.objects.count()
    day = parse_dossier_code(Dossier.objects.get().code).received_on.isoformat()
    report = audit(scope=dossier_scope(units.commune.code), period=day)
    assert report.issued_count == report.last == 1
