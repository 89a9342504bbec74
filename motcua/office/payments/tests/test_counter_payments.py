"""Cash and transfer at the counter: one paid order, one receipt, one PAID event — or nothing."""

import io

from django.urls import reverse
from pypdf import PdfReader

from motcua.dossiers.models import DossierEvent
from motcua.dossiers.workflow import EventKind, Status
from motcua.office.payments.tests.conftest import FEE
from motcua.payments.models import PaymentMethod, PaymentOrder, PaymentStatus, Receipt


def url(dossier):  # type: ignore[no-untyped-def]
    return reverse("office:payment_counter", args=[dossier.code])


def test_cash_at_the_counter_records_the_payment_and_prints_a_receipt(as_officer, receiver, awaiting):
    client = as_officer(receiver)
    page = client.get(url(awaiting))
    assert page.status_code == 200 and "50.000" in page.content.decode()
    response = client.post(
        url(awaiting), {"method": "cash", "amount_vnd": str(FEE), "expected_version": str(awaiting.version)}
    )
    assert response.status_code == 302
    order = PaymentOrder.objects.get()
    assert order.method == PaymentMethod.CASH and order.status == PaymentStatus.PAID and order.is_applied
    awaiting.refresh_from_db()
    assert awaiting.status == Status.PROCESSING and not awaiting.is_paid_online
    event = DossierEvent.objects.get(dossier=awaiting, kind=EventKind.PAID)
    assert event.actor == receiver and event.data["receipt_number"] == order.receipt.number
    pdf = client.get(reverse("office:payment_receipt_pdf", args=[order.order_id]))
    assert pdf.status_code == 200
    text = " ".join(
        " ".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(pdf.content)).pages).split()
    )
    assert "50.000 đồng" in text and "Năm mươi nghìn đồng" in text and awaiting.code in text
    assert "Tiền mặt" in text


def test_transfer_needs_its_reference(as_officer, receiver, awaiting):
    client = as_officer(receiver)
    response = client.post(url(awaiting), {"method": "transfer", "amount_vnd": str(FEE)})
    assert response.status_code == 400
    assert "Số tham chiếu chuyển khoản: bắt buộc" in response.content.decode()
    assert f'value="{FEE}"' in response.content.decode()  # what was typed is kept
    assert not PaymentOrder.objects.exists()
    client.post(
        url(awaiting), {"method": "transfer", "amount_vnd": str(FEE), "transfer_reference": "FT2611220001"}
    )
    order = PaymentOrder.objects.get()
    assert order.method == PaymentMethod.TRANSFER and order.transfer_reference == "FT2611220001"


def test_a_wrong_amount_is_refused_and_nothing_is_written(as_officer, receiver, awaiting):
    client = as_officer(receiver)
    response = client.post(url(awaiting), {"method": "cash", "amount_vnd": "40000"})
    assert response.status_code == 400
    assert "khác số phải nộp" in response.content.decode()
    assert not PaymentOrder.objects.exists() and not Receipt.objects.exists()
    awaiting.refresh_from_db()
    assert awaiting.status == Status.AWAITING_PAYMENT


def test_a_stale_version_is_a_conflict(as_officer, receiver, awaiting):
    client = as_officer(receiver)
    response = client.post(
        url(awaiting),
        {"method": "cash", "amount_vnd": str(FEE), "expected_version": str(awaiting.version - 1)},
    )
    assert response.status_code == 409
    assert not PaymentOrder.objects.exists()


def test_an_officer_elsewhere_does_not_see_the_dossier(as_officer, receiver_elsewhere, awaiting):
    client = as_officer(receiver_elsewhere)
    assert client.get(url(awaiting)).status_code == 404
    assert client.post(url(awaiting), {"method": "cash", "amount_vnd": str(FEE)}).status_code == 404


def test_receipts_of_other_units_are_not_found(as_officer, receiver, receiver_elsewhere, awaiting):
    as_officer(receiver).post(url(awaiting), {"method": "cash", "amount_vnd": str(FEE)})
    order = PaymentOrder.objects.get()
    client = as_officer(receiver_elsewhere)
    assert client.get(reverse("office:payment_receipt_pdf", args=[order.order_id])).status_code == 404
