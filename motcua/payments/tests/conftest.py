"""Orders and signed notices for the payments tests (no dossiers: payments sit below them)."""

from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone

from motcua.organizations.tests.factories import UnitFactory
from motcua.payments import services
from motcua.payments.models import PaymentOrder
from motcua.payments.providers import sandbox


@pytest.fixture
def unit(db: None):  # type: ignore[no-untyped-def]
    return UnitFactory(code="000.21.10.H56", name="UBND xã Gia Tân")


@pytest.fixture
def payer(db: None):  # type: ignore[no-untyped-def]
    from motcua.accounts.tests.factories import UserFactory

    return UserFactory(full_name="Nguyễn Văn An")


@pytest.fixture
def order(unit, payer) -> PaymentOrder:  # type: ignore[no-untyped-def]
    return services.create_online_order(
        subject_ref="000.21.10.H56-240304-0001",
        unit=unit,
        amount_vnd=50_000,
        description="Nộp phí, lệ phí hồ sơ 000.21.10.H56-240304-0001",
        provider="sandbox",
        by=payer,
        payer_name="Nguyễn Văn An",
    )


def notice_body(
    order_id: str, amount: int, status: str = "paid", txn: str = "SBX0001", **extra: Any
) -> bytes:
    payload: dict[str, Any] = {
        "version": "1",
        "order_id": order_id,
        "amount": amount,
        "status": status,
        "transaction_id": txn,
        "sent_at": timezone.now().isoformat(),
    }
    payload.update(extra)
    return sandbox.encode(payload)


@pytest.fixture
def signed() -> Callable[..., tuple[bytes, dict[str, str]]]:
    """``signed(order_id, amount, ...)`` → (raw body, headers) as the sandbox bank sends them."""

    def make(order_id: str, amount: int, **kwargs: Any) -> tuple[bytes, dict[str, str]]:
        body = notice_body(order_id, amount, **kwargs)
        return body, sandbox.signed_headers(body)

    return make
