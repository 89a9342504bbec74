"""The whole journey over real HTTP for the server-to-server leg: applicant → sandbox bank → signed
notice POSTed by the bank to the live server → the dossier's PAID event → the return page shows it."""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client
from django.urls import reverse

from motcua.dossiers.models import DossierEvent
from motcua.dossiers.workflow import EventKind, Status
from motcua.payments.models import PaymentOrder, PaymentStatus, ProviderNotice, SandboxBankTransaction


@pytest.mark.django_db(transaction=True)
def test_applicant_pays_through_the_sandbox_bank(live_server, settings, applicant, awaiting):
    settings.PAYMENT_SANDBOX_NOTIFY_URL = live_server.url + reverse("api:payment_notice_sandbox")
    browser = Client()
    browser.force_login(applicant)

    to_bank = browser.post(reverse("portal:payment_start", args=[awaiting.code]), {"provider": "sandbox"})
    assert to_bank.status_code == 302
    assert browser.get(to_bank.url).status_code == 200
    fields = {k: v[0] for k, v in parse_qs(urlsplit(to_bank.url).query).items()}
    back = browser.post(reverse("portal:sandbox_bank"), {**fields, "action": "pay"})
    assert back.status_code == 302

    # the notice went over HTTP to the live server before the browser was sent back
    txn = SandboxBankTransaction.objects.get()
    assert txn.notified_at is not None and txn.notice_attempts == 1
    notice = ProviderNotice.objects.get()
    assert notice.is_signature_valid and notice.result == "applied"
    order = PaymentOrder.objects.get()
    assert (
        order.status == PaymentStatus.PAID
        and order.is_applied
        and order.provider_txn_id == txn.transaction_id
    )
    awaiting.refresh_from_db()
    assert awaiting.status == Status.PROCESSING and awaiting.is_paid_online
    event = DossierEvent.objects.get(dossier=awaiting, kind=EventKind.PAID)
    assert (
        event.from_status == Status.AWAITING_PAYMENT and event.data["receipt_number"] == order.receipt.number
    )

    page = browser.get(back.url)
    assert page.status_code == 200 and "Đã thanh toán" in page.content.decode()

    # a second click on "Pay" at the bank neither charges nor notifies again
    browser.post(reverse("portal:sandbox_bank"), {**fields, "action": "pay"})
    assert SandboxBankTransaction.objects.count() == 1 and ProviderNotice.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_cancel_at_the_bank_leaves_the_dossier_waiting(live_server, settings, applicant, awaiting):
    settings.PAYMENT_SANDBOX_NOTIFY_URL = live_server.url + reverse("api:payment_notice_sandbox")
    browser = Client()
    browser.force_login(applicant)
    to_bank = browser.post(reverse("portal:payment_start", args=[awaiting.code]), {"provider": "sandbox"})
    fields = {k: v[0] for k, v in parse_qs(urlsplit(to_bank.url).query).items()}
    back = browser.post(reverse("portal:sandbox_bank"), {**fields, "action": "cancel"})
    assert "status=cancelled" in back.url
    assert PaymentOrder.objects.get().status == PaymentStatus.FAILED
    awaiting.refresh_from_db()
    assert awaiting.status == Status.AWAITING_PAYMENT
    assert "không thành công" in browser.get(back.url).content.decode()


@pytest.mark.django_db(transaction=True)
def test_a_notice_that_cannot_be_delivered_is_found_by_reconciliation(settings, applicant, awaiting):
    from django.utils import timezone

    from motcua.dossiers.services import confirm_by_status_query
    from motcua.payments.reconciliation import reconcile

    settings.PAYMENT_SANDBOX_NOTIFY_URL = "http://127.0.0.1:9/unreachable"  # discard port: refused
    browser = Client()
    browser.force_login(applicant)
    to_bank = browser.post(reverse("portal:payment_start", args=[awaiting.code]), {"provider": "sandbox"})
    fields = {k: v[0] for k, v in parse_qs(urlsplit(to_bank.url).query).items()}
    browser.post(reverse("portal:sandbox_bank"), {**fields, "action": "pay"})
    assert SandboxBankTransaction.objects.get().notified_at is None
    [row] = reconcile(timezone.localdate()).mismatches
    assert row.can_confirm
    order = confirm_by_status_query(order_id=row.order.order_id)
    awaiting.refresh_from_db()
    assert order.status == PaymentStatus.PAID and order.is_applied and awaiting.status == Status.PROCESSING
    assert reconcile(timezone.localdate()).is_clean
