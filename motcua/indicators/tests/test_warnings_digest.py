"""``motcua send-warnings``: one digest per officer with items, not again on a rerun, again when a new
item appears or in the next half-day (``indicators.warnings.digest``)."""

import datetime as dt
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command

from motcua.dossiers.models import Dossier
from motcua.dossiers.tests import conftest as dossier_fixtures
from motcua.dossiers.tests.conftest import local
from motcua.dossiers.tests.factories import DossierFactory, DossierStepFactory
from motcua.notifications.models import Message

# fixtures of the dossier tests (imported, not copied)
leader = dossier_fixtures.leader
procedure = dossier_fixtures.procedure
receiver = dossier_fixtures.receiver
receiver_elsewhere = dossier_fixtures.receiver_elsewhere
specialist = dossier_fixtures.specialist
units = dossier_fixtures.units

pytestmark = pytest.mark.django_db

FRIDAY_15 = local(2024, 3, 8, 15, 0)
MONDAY_10 = local(2024, 3, 11, 10, 0)


def run(at: dt.datetime) -> str:
    out = StringIO()
    with time_machine.travel(at, tick=False):
        call_command("send-warnings", stdout=out)
    return out.getvalue()


def digests(user) -> list[str]:  # type: ignore[no-untyped-def]
    return sorted(
        set(
            Message.objects.filter(
                template="early_warning", dedupe_key__startswith=f"warnings:{user.pk}:"
            ).values_list("dedupe_key", flat=True)
        )
    )


@pytest.fixture
def work(units, specialist):  # type: ignore[no-untyped-def]
    DossierFactory(code="ONLINE-1", receiving_unit=units.commune, online=True, reception_due_at=MONDAY_10)
    DossierFactory(
        code="FOREIGN-1", receiving_unit=units.other_commune, online=True, reception_due_at=MONDAY_10
    )
    d = DossierFactory(
        code="STEP-1", receiving_unit=units.commune, processing=True, due_at=FRIDAY_15 + dt.timedelta(days=30)
    )
    DossierStepFactory(dossier=d, assignee=specialist, name="Thẩm định hồ sơ", due_at=MONDAY_10)


def test_one_digest_per_officer_and_not_again(work, receiver, specialist, leader, receiver_elsewhere) -> None:
    out = run(FRIDAY_15)

    assert len(digests(receiver)) == 1 and len(digests(specialist)) == 1
    assert len(digests(receiver_elsewhere)) == 1
    assert digests(leader) == []  # nothing is theirs
    body = Message.objects.filter(user=receiver, template="early_warning").get().body
    assert "ONLINE-1" in body and "STEP-1" not in body and "FOREIGN-1" not in body
    assert "Nguyễn" not in body  # no applicant's name
    assert "3 cán bộ" in out and "đã gửi 3 thông báo mới" in out

    before = Message.objects.count()
    out = run(FRIDAY_15 + dt.timedelta(minutes=60))
    assert Message.objects.count() == before
    assert "đã gửi 0 thông báo mới" in out


def test_a_new_item_sends_a_new_digest_the_same_half_day(work, units, receiver, specialist) -> None:
    run(FRIDAY_15)
    DossierFactory(code="ONLINE-2", receiving_unit=units.commune, online=True, reception_due_at=MONDAY_10)

    run(FRIDAY_15 + dt.timedelta(minutes=30))

    assert len(digests(receiver)) == 2
    assert len(digests(specialist)) == 1
    latest = Message.objects.filter(user=receiver, template="early_warning").order_by("-id").first()
    assert latest is not None and "ONLINE-2" in latest.body and "ONLINE-1" in latest.body


def test_a_finished_item_sends_nothing_new(work, units, receiver) -> None:
    DossierFactory(code="ONLINE-2", receiving_unit=units.commune, online=True, reception_due_at=MONDAY_10)
    run(FRIDAY_15)
    Dossier.objects.filter(code="ONLINE-2").update(status="received")
    run(FRIDAY_15 + dt.timedelta(minutes=30))

    assert len(digests(receiver)) == 1


def test_the_next_half_day_repeats_the_digest(work, receiver) -> None:
    run(local(2024, 3, 8, 11, 0))
    run(local(2024, 3, 8, 14, 0))
    assert len(digests(receiver)) == 2
