"""``services.accept_notice``: a verified notice changes its order exactly once; anything else is stored
and changes nothing (DOMAIN.md §7, QUALITY.md security item 6)."""

import random

import pytest
from django.utils import timezone

from motcua.payments import services
from motcua.payments.models import NoticeResult, PaymentStatus, ProviderNotice, Receipt


def accept(body: bytes, headers: dict[str, str]) -> services.NoticeOutcome:
    return services.accept_notice(provider="sandbox", raw_body=body, headers=headers)


def test_a_paid_notice_pays_the_order_once_and_issues_a_receipt(order, signed):
    outcome = accept(*signed(order.order_id, 50_000, txn="SBXA1"))
    order.refresh_from_db()
    assert outcome.newly_paid
    assert outcome.notice.result == NoticeResult.APPLIED and outcome.notice.is_signature_valid
    assert order.status == PaymentStatus.PAID and order.provider_txn_id == "SBXA1" and order.paid_at
    year = timezone.localtime(order.paid_at).year % 100
    assert order.receipt.number == f"000.21.10.H56-BL{year:02d}-000001"


def test_duplicates_and_replays_change_nothing(order, signed):
    body, headers = signed(order.order_id, 50_000, txn="SBXA1")
    accept(body, headers)
    order.refresh_from_db()
    paid_at = order.paid_at
    outcomes = [accept(body, headers) for _ in range(4)]
    order.refresh_from_db()
    assert [o.newly_paid for o in outcomes] == [False] * 4
    assert {o.notice.result for o in outcomes} == {NoticeResult.DUPLICATE}
    assert order.paid_at == paid_at and Receipt.objects.filter(order=order).count() == 1
    assert ProviderNotice.objects.filter(order=order).count() == 5


def test_a_failed_notice_after_paid_changes_nothing(order, signed):
    accept(*signed(order.order_id, 50_000, txn="SBXA1"))
    outcome = accept(*signed(order.order_id, 50_000, status="failed", txn="SBXA1"))
    order.refresh_from_db()
    assert outcome.notice.result == NoticeResult.DUPLICATE
    assert order.status == PaymentStatus.PAID


def test_a_failed_notice_fails_a_pending_order(order, signed):
    outcome = accept(*signed(order.order_id, 50_000, status="failed"))
    order.refresh_from_db()
    assert outcome.notice.result == NoticeResult.FAILED and not outcome.newly_paid
    assert order.status == PaymentStatus.FAILED


def test_wrong_amount_is_refused(order, signed):
    outcome = accept(*signed(order.order_id, 5_000))
    order.refresh_from_db()
    assert outcome.notice.result == NoticeResult.REJECTED and not outcome.accepted
    assert "5.000" in outcome.notice.message and "50.000" in outcome.notice.message
    assert order.status == PaymentStatus.PENDING


def test_unknown_order_is_refused(order, signed):
    outcome = accept(*signed("MC000000NOSUCH", 50_000))
    assert outcome.notice.result == NoticeResult.REJECTED and outcome.order is None
    assert outcome.notice.is_signature_valid


def test_a_forged_notice_is_stored_and_changes_nothing(order, signed):
    body, headers = signed(order.order_id, 50_000)
    outcome = accept(body.replace(b"SBX0001", b"SBX0002"), headers)
    order.refresh_from_db()
    assert outcome.notice.result == NoticeResult.REJECTED and not outcome.notice.is_signature_valid
    assert outcome.notice.raw_body.endswith("}")
    assert order.status == PaymentStatus.PENDING


def test_shuffled_replays_forgeries_and_failures_pay_exactly_once(order, signed):
    # QUALITY.md: a notice replayed 1–5×, shuffled with failures and forgeries: exactly one "paid"
    good = signed(order.order_id, 50_000, txn="SBXA1")
    failed = signed(order.order_id, 50_000, status="failed", txn="SBXA1")
    forged = (good[0].replace(b"50000", b"5000"), good[1])
    wrong_amount = signed(order.order_id, 49_999, txn="SBXA1")
    notices = [good] * random.randint(1, 5) + [forged, wrong_amount]
    random.shuffle(notices)
    outcomes = [accept(*failed)] if random.random() < 0.5 else []
    outcomes += [accept(*n) for n in notices]
    order.refresh_from_db()
    assert sum(o.newly_paid for o in outcomes) == 1
    assert order.status == PaymentStatus.PAID


def test_double_click_reuses_the_open_order(order, unit, payer):
    again = services.create_online_order(
        subject_ref=order.subject_ref,
        unit=unit,
        amount_vnd=order.amount_vnd,
        description=order.description,
        provider="sandbox",
        by=payer,
        payer_name="",
    )
    assert again.pk == order.pk


def test_provider_not_configured_is_not_found(order, signed, settings):
    settings.PAYMENT_PROVIDERS = []
    from motcua.core.errors import NotFound

    with pytest.raises(NotFound):
        accept(*signed(order.order_id, 50_000))


def test_an_expired_order_is_replaced_and_can_still_be_paid_by_the_bank(order, unit, payer, signed, settings):
    import time_machine

    with time_machine.travel(timezone.now() + timezone.timedelta(minutes=settings.PAYMENT_ORDER_MINUTES + 1)):
        fresh = services.create_online_order(
            subject_ref=order.subject_ref,
            unit=unit,
            amount_vnd=order.amount_vnd,
            description=order.description,
            provider="sandbox",
            by=payer,
            payer_name="",
        )
        order.refresh_from_db()
        assert fresh.pk != order.pk and order.status == PaymentStatus.EXPIRED
        # the bank took the money on the old order after all: it is paid, exactly once
        outcome = accept(*signed(order.order_id, 50_000, txn="SBXLATE"))
    order.refresh_from_db()
    assert outcome.newly_paid and order.status == PaymentStatus.PAID
