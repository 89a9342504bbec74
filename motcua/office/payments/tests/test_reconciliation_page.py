"""The reconciliation page lists the day's mismatches of the officer's units and confirms a lost notice."""

from django.urls import reverse
from django.utils import timezone

from motcua.dossiers.models import DossierEvent
from motcua.dossiers.services import start_online_payment
from motcua.dossiers.workflow import EventKind, Status
from motcua.office.payments.tests.conftest import FEE
from motcua.payments.models import PaymentStatus, SandboxBankTransaction


def lost_notice(dossier, applicant):  # type: ignore[no-untyped-def]
    order = start_online_payment(dossier_id=dossier.pk, by=applicant, provider="sandbox")
    SandboxBankTransaction.objects.create(
        order_id=order.order_id,
        transaction_id="SBXLOST1",
        amount_vnd=FEE,
        status="paid",
        decided_at=timezone.now(),
    )
    return order


def test_mismatch_listed_and_confirmed_from_the_bank(as_officer, receiver, applicant, awaiting):
    order = lost_notice(awaiting, applicant)
    client = as_officer(receiver)
    page = client.get(reverse("office:payment_reconciliation"), {"date": timezone.localdate().isoformat()})
    text = page.content.decode()
    assert page.status_code == 200 and order.order_id in text and "thông báo không đến" in text
    response = client.post(
        reverse("office:payment_reconciliation"),
        {"order_id": order.order_id, "date": timezone.localdate().isoformat()},
    )
    assert response.status_code == 302
    order.refresh_from_db()
    awaiting.refresh_from_db()
    assert order.status == PaymentStatus.PAID and order.is_applied and order.provider_txn_id == "SBXLOST1"
    assert awaiting.status == Status.PROCESSING
    assert DossierEvent.objects.filter(dossier=awaiting, kind=EventKind.PAID).count() == 1


def test_other_units_orders_are_neither_listed_nor_confirmable(
    as_officer, receiver_elsewhere, applicant, awaiting
):
    order = lost_notice(awaiting, applicant)
    client = as_officer(receiver_elsewhere)
    page = client.get(reverse("office:payment_reconciliation"), {"date": timezone.localdate().isoformat()})
    assert order.order_id not in page.content.decode()
    response = client.post(reverse("office:payment_reconciliation"), {"order_id": order.order_id})
    assert response.status_code == 404
    order.refresh_from_db()
    assert order.status == PaymentStatus.PENDING


def test_a_bad_date_is_explained(as_officer, receiver):
    page = as_officer(receiver).get(reverse("office:payment_reconciliation"), {"date": "22/11/2026"})
    assert page.status_code == 400
    assert "Ngày phải có dạng năm-tháng-ngày" in page.content.decode()
