"""The same notice delivered by several bank workers at once: exactly one PAID event, one receipt."""

import threading

import pytest
from django.db import connection

from motcua.dossiers.models import DossierEvent
from motcua.dossiers.services import confirm_online_payment, start_online_payment
from motcua.dossiers.workflow import EventKind
from motcua.payments.models import NoticeResult, Receipt
from motcua.payments.providers import sandbox
from motcua.portal.payments.tests.conftest import FEE, notice


@pytest.mark.django_db(transaction=True)
def test_concurrent_duplicates_pay_once(applicant, awaiting):
    order = start_online_payment(dossier_id=awaiting.pk, by=applicant, provider="sandbox")
    body = notice(order.order_id, FEE, txn="SBXRACE1")
    headers = sandbox.signed_headers(body)
    results: list[str] = []
    errors: list[BaseException] = []
    start = threading.Barrier(4)

    def deliver() -> None:
        try:
            start.wait()
            results.append(
                confirm_online_payment(provider="sandbox", raw_body=body, headers=headers).notice.result
            )
        except BaseException as exc:  # reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=deliver) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert sorted(results) == sorted([NoticeResult.APPLIED] + [NoticeResult.DUPLICATE] * 3)
    assert DossierEvent.objects.filter(dossier=awaiting, kind=EventKind.PAID).count() == 1
    assert Receipt.objects.count() == 1
