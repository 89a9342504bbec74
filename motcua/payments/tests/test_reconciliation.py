"""Daily reconciliation against the sandbox bank's own ledger, and the ``reconcile-payments`` command."""

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from motcua.payments import services
from motcua.payments.models import PaymentStatus, SandboxBankStatus, SandboxBankTransaction
from motcua.payments.reconciliation import reconcile


def bank_row(order_id: str, amount: int, status: str = SandboxBankStatus.PAID, txn: str = "SBXR1"):  # type: ignore[no-untyped-def]
    return SandboxBankTransaction.objects.create(
        order_id=order_id, transaction_id=txn, amount_vnd=amount, status=status, decided_at=timezone.now()
    )


def test_books_that_agree_are_clean(order, signed):
    bank_row(order.order_id, 50_000, txn="SBXA1")
    body, headers = signed(order.order_id, 50_000, txn="SBXA1")
    services.accept_notice(provider="sandbox", raw_body=body, headers=headers)
    order.refresh_from_db()
    order.is_applied = True
    order.save(update_fields=["is_applied"])
    report = reconcile(timezone.localdate())
    assert report.checked == 1 and report.is_clean


def test_a_lost_notice_is_found_and_can_be_confirmed(order):
    # the bank took the money, its notice never arrived: our order is still pending
    bank_row(order.order_id, 50_000)
    report = reconcile(timezone.localdate())
    [row] = report.mismatches
    assert row.order == order and row.can_confirm and row.answer and row.answer.status == "paid"
    confirmed, newly_paid = services.confirm_from_status(order_id=order.order_id)
    assert newly_paid and confirmed.status == PaymentStatus.PAID and confirmed.provider_txn_id == "SBXR1"


def test_paid_here_but_not_at_the_bank_is_a_mismatch(order):
    order.status, order.paid_at = PaymentStatus.PAID, timezone.now()
    order.save(update_fields=["status", "paid_at"])
    [row] = reconcile(timezone.localdate()).mismatches
    assert row.answer and row.answer.status == "unknown" and not row.can_confirm


def test_a_different_amount_at_the_bank_is_not_confirmable(order):
    bank_row(order.order_id, 40_000)
    [row] = reconcile(timezone.localdate()).mismatches
    assert not row.can_confirm and "40.000" in row.problem
    _order, newly_paid = services.confirm_from_status(order_id=order.order_id)
    assert not newly_paid


def test_other_days_are_not_checked(order):
    bank_row(order.order_id, 50_000)
    assert reconcile(timezone.localdate() - timezone.timedelta(days=1)).checked == 0


def test_command_lists_mismatches_and_fails(order, capsys):
    bank_row(order.order_id, 50_000)
    with pytest.raises(CommandError) as error:
        call_command("reconcile-payments", "--date", timezone.localdate().isoformat())
    assert error.value.returncode == 1
    out = capsys.readouterr().out
    assert order.order_id in out and "1 chênh lệch" in out


def test_command_refuses_a_bad_date(db):
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("reconcile-payments", "--date", "22/11/2026")


def test_command_on_a_clean_day(db, capsys):
    call_command("reconcile-payments", "--date", "2026-01-01")
    assert "0 chênh lệch" in capsys.readouterr().out
