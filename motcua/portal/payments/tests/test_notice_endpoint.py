"""``POST /api/v1/payments/notices/sandbox`` credits the dossier exactly once; bad notices change nothing."""

from django.urls import reverse

from motcua.dossiers.models import DossierEvent
from motcua.dossiers.services import start_online_payment
from motcua.dossiers.workflow import EventKind, Status
from motcua.payments.models import NoticeResult, PaymentStatus, ProviderNotice
from motcua.payments.providers import sandbox
from motcua.portal.payments.tests.conftest import FEE, notice


def paid_events(dossier):  # type: ignore[no-untyped-def]
    return DossierEvent.objects.filter(dossier=dossier, kind=EventKind.PAID)


def open_order(dossier, applicant):  # type: ignore[no-untyped-def]
    return start_online_payment(dossier_id=dossier.pk, by=applicant, provider="sandbox")


def test_a_signed_notice_records_the_payment_on_the_dossier(awaiting, applicant, post_notice):
    order = open_order(awaiting, applicant)
    response = post_notice(notice(order.order_id, FEE))
    assert response.status_code == 200 and response.json()["code"] == "00"
    awaiting.refresh_from_db()
    order.refresh_from_db()
    assert awaiting.status == Status.PROCESSING and awaiting.is_paid_online
    [event] = paid_events(awaiting)
    assert event.actor is None and event.actor_name.startswith("Cổng thanh toán")
    assert event.data == {"amount_vnd": FEE, "receipt_number": order.receipt.number, "online": True}
    assert order.status == PaymentStatus.PAID and order.is_applied


def test_a_changed_byte_is_refused_and_changes_nothing(awaiting, applicant, post_notice):
    order = open_order(awaiting, applicant)
    body = notice(order.order_id, FEE, txn="SBXT0001")
    signature = sandbox.signed_headers(body)[sandbox.SIGNATURE_HEADER]
    tampered = body.replace(b"SBXT0001", b"SBXT0002")
    response = post_notice(tampered, signature)
    assert response.status_code == 400 and response.json()["code"] == "97"
    awaiting.refresh_from_db()
    assert awaiting.status == Status.AWAITING_PAYMENT and not paid_events(awaiting).exists()
    stored = ProviderNotice.objects.get()
    assert stored.result == NoticeResult.REJECTED and not stored.is_signature_valid
    # the untouched bytes with the same signature are accepted
    assert post_notice(body, signature).status_code == 200


def test_wrong_amount_is_refused(awaiting, applicant, post_notice):
    order = open_order(awaiting, applicant)
    response = post_notice(notice(order.order_id, FEE - 1))
    assert response.status_code == 400
    assert "49.999" in response.json()["detail"]
    awaiting.refresh_from_db()
    assert awaiting.status == Status.AWAITING_PAYMENT


def test_unknown_order_is_refused(awaiting, post_notice):
    response = post_notice(notice("MC261122NOSUCHORD", FEE))
    assert response.status_code == 400
    awaiting.refresh_from_db()
    assert awaiting.status == Status.AWAITING_PAYMENT


def test_duplicate_notices_make_one_paid_event(awaiting, applicant, post_notice):
    order = open_order(awaiting, applicant)
    body = notice(order.order_id, FEE)
    answers = [post_notice(body).json()["result"] for _ in range(3)]
    assert answers == [NoticeResult.APPLIED, NoticeResult.DUPLICATE, NoticeResult.DUPLICATE]
    assert paid_events(awaiting).count() == 1


def test_replay_after_the_dossier_moved_on_changes_nothing(awaiting, applicant, post_notice):
    order = open_order(awaiting, applicant)
    body = notice(order.order_id, FEE)
    post_notice(body)
    awaiting.refresh_from_db()
    version = awaiting.version
    # a later, freshly signed copy of the same payment (the bank retrying) is a duplicate too
    assert post_notice(notice(order.order_id, FEE)).json()["result"] == NoticeResult.DUPLICATE
    assert post_notice(body).status_code == 200
    awaiting.refresh_from_db()
    assert awaiting.version == version and paid_events(awaiting).count() == 1


def test_a_payment_the_dossier_can_no_longer_take_is_kept_for_a_refund(awaiting, applicant, post_notice):
    first = open_order(awaiting, applicant)
    post_notice(notice(first.order_id, FEE, txn="SBXT1"))
    # a second order for the same fee cannot be opened once paid; simulate one left from another tab
    from motcua.payments import services as payments

    stale = payments.PaymentOrder.objects.create(
        order_id="MC261122STALETAB1",
        subject_ref=awaiting.code,
        unit=awaiting.receiving_unit,
        description="x",
        amount_vnd=FEE,
        method="online",
        provider="sandbox",
    )
    response = post_notice(notice(stale.order_id, FEE, txn="SBXT2"))
    assert response.status_code == 200 and response.json()["result"] == NoticeResult.PAID_NOT_APPLIED
    stale.refresh_from_db()
    assert stale.status == PaymentStatus.PAID and not stale.is_applied and stale.note
    assert paid_events(awaiting).count() == 1


def test_failed_at_the_bank_leaves_the_dossier_waiting(awaiting, applicant, post_notice):
    order = open_order(awaiting, applicant)
    assert post_notice(notice(order.order_id, FEE, status="failed")).json()["result"] == NoticeResult.FAILED
    awaiting.refresh_from_db()
    assert awaiting.status == Status.AWAITING_PAYMENT


def test_get_describes_and_404_when_not_configured(client, settings, db):
    url = reverse("api:payment_notice_sandbox")
    assert client.get(url).status_code == 200
    settings.PAYMENT_PROVIDERS = []
    assert client.get(url).status_code == 404
    assert client.post(url, data=b"{}", content_type="application/json").status_code == 404


def test_an_oversized_body_is_refused_unread(awaiting, post_notice):
    response = post_notice(b"{" + b" " * 20_000 + b"}")
    assert response.status_code == 413
    assert not ProviderNotice.objects.exists()
