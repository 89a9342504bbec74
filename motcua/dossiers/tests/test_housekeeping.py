"""``motcua housekeeping`` deletes expired drafts and old throttle counters, and nothing else."""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from motcua.accounts.tests.factories import UserFactory
from motcua.catalog.tests.factories import ProcedureFactory
from motcua.core import throttle
from motcua.core.models import ThrottleCounter
from motcua.dossiers.models import DossierDraft


@pytest.mark.django_db
def test_housekeeping_deletes_expired_drafts_and_old_counters():
    now = timezone.now()
    owner, procedure = UserFactory(), ProcedureFactory(published=True)

    def draft(key: str, expires_at: dt.datetime) -> DossierDraft:
        return DossierDraft.objects.create(
            owner=owner, procedure=procedure, idempotency_key=key, updated_at=now, expires_at=expires_at
        )

    expired, alive = (
        draft("a" * 32, now - dt.timedelta(minutes=1)),
        draft("b" * 32, now + dt.timedelta(days=3)),
    )
    rule = throttle.Rule("test", limit=3, window=dt.timedelta(minutes=15))
    throttle.consume(rule, "old", now=now - dt.timedelta(days=2))
    throttle.consume(rule, "recent", now=now - dt.timedelta(hours=1))

    out = StringIO()
    call_command("housekeeping", stdout=out)

    assert list(DossierDraft.objects.values_list("pk", flat=True)) == [alive.pk]
    assert not DossierDraft.objects.filter(pk=expired.pk).exists()
    assert ThrottleCounter.objects.count() == 1
    assert "1 bản nháp" in out.getvalue() and "1 bộ đếm" in out.getvalue()
