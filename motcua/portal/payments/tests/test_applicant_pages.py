"""The applicant's payment pages and the sandbox bank, through the test client (no notice is sent:
``on_commit`` does not run inside the test transaction — which is what shows the return page never pays)."""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client
from django.urls import reverse

from motcua.dossiers.workflow import Status
from motcua.payments.models import PaymentOrder, PaymentStatus, SandboxBankTransaction
from motcua.portal.payments.tests.conftest import FEE


def start(client: Client, dossier, **data):  # type: ignore[no-untyped-def]
    return client.post(reverse("portal:payment_start", args=[dossier.code]), {"provider": "sandbox", **data})


def test_the_payment_page_shows_the_fee(as_applicant, awaiting):
    response = as_applicant.get(reverse("portal:payment_start", args=[awaiting.code]))
    assert response.status_code == 200
    text = response.content.decode()
    assert "50.000" in text and "Năm mươi nghìn đồng" in text and awaiting.code in text


def test_another_applicants_dossier_is_not_found(client, other_applicant, awaiting):
    client.force_login(other_applicant)
    assert client.get(reverse("portal:payment_start", args=[awaiting.code])).status_code == 404
    assert start(client, awaiting).status_code == 404
    assert not PaymentOrder.objects.exists()


def test_paying_goes_to_the_bank_with_a_signed_amount(as_applicant, awaiting):
    response = start(as_applicant, awaiting)
    assert response.status_code == 302
    bank = urlsplit(response.url)
    assert bank.path == reverse("portal:sandbox_bank")
    query = {k: v[0] for k, v in parse_qs(bank.query).items()}
    order = PaymentOrder.objects.get()
    assert query["order_id"] == order.order_id and query["amount"] == str(FEE) and query["sig"]
    assert order.status == PaymentStatus.PENDING and order.subject_ref == awaiting.code
    # a double click reuses the open order
    start(as_applicant, awaiting)
    assert PaymentOrder.objects.count() == 1


def test_no_provider_chosen_is_explained(as_applicant, awaiting):
    response = as_applicant.post(reverse("portal:payment_start", args=[awaiting.code]), {})
    assert response.status_code == 400
    assert "Hãy chọn đơn vị thanh toán." in response.content.decode()


def test_a_dossier_not_awaiting_payment_cannot_be_paid(as_applicant, awaiting):
    awaiting.status = Status.PROCESSING
    awaiting.save(update_fields=["status"])
    assert start(as_applicant, awaiting).status_code == 409
    assert not PaymentOrder.objects.exists()


def bank_page(client: Client, response):  # type: ignore[no-untyped-def]
    return client.get(response.url)


def test_the_browser_return_never_pays(as_applicant, awaiting):
    # given: the applicant pays at the bank, but no server-to-server notice arrives
    to_bank = start(as_applicant, awaiting)
    page = bank_page(as_applicant, to_bank)
    assert page.status_code == 200 and "50.000" in page.content.decode()
    fields = {k: v[0] for k, v in parse_qs(urlsplit(to_bank.url).query).items()}
    back = as_applicant.post(reverse("portal:sandbox_bank"), {**fields, "action": "pay"})
    assert back.status_code == 302 and "status=paid" in back.url
    assert SandboxBankTransaction.objects.get().status == "paid"
    # when: the browser comes back, even with forged "paid" parameters
    order = PaymentOrder.objects.get()
    forged = reverse("portal:payment_return", args=[order.order_id]) + "?status=paid&transaction_id=X&sig=1"
    for url in (back.url, forged):
        response = as_applicant.get(url)
        assert response.status_code == 200
        assert "Chờ thanh toán" in response.content.decode()
    # then: nothing is paid
    order.refresh_from_db()
    awaiting.refresh_from_db()
    assert order.status == PaymentStatus.PENDING and awaiting.status == Status.AWAITING_PAYMENT


def test_a_tampered_amount_is_refused_by_the_bank(as_applicant, awaiting):
    to_bank = start(as_applicant, awaiting)
    response = as_applicant.get(to_bank.url.replace(f"amount={FEE}", "amount=1000"))
    assert response.status_code == 400
    assert "Chữ ký" in response.content.decode()


def test_the_bank_needs_a_choice(as_applicant, awaiting):
    to_bank = start(as_applicant, awaiting)
    fields = {k: v[0] for k, v in parse_qs(urlsplit(to_bank.url).query).items()}
    assert as_applicant.post(reverse("portal:sandbox_bank"), fields).status_code == 400
    assert not SandboxBankTransaction.objects.exists()


def test_the_sandbox_bank_is_off_unless_configured(client, settings, db):
    assert client.get(reverse("portal:sandbox_bank")).status_code == 200
    settings.PAYMENT_PROVIDERS = []
    assert client.get(reverse("portal:sandbox_bank")).status_code == 404
    assert client.post(reverse("portal:sandbox_bank")).status_code == 404


@pytest.mark.parametrize("name", ["portal:payment_return", "portal:payment_receipt"])
def test_another_applicants_order_is_not_found(client, other_applicant, applicant, awaiting, name):
    client.force_login(applicant)
    start(client, awaiting)
    order = PaymentOrder.objects.get()
    client.force_login(other_applicant)
    assert client.get(reverse(name, args=[order.order_id])).status_code == 404
