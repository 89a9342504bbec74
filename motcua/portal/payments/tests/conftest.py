"""A dossier waiting for its fee, owned by the ``applicant`` persona, and helpers to send notices."""

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.conftest import (  # noqa: F401  (fixtures)
    Province,
    applicant,
    other_applicant,
    procedure,
    receiver,
    units,
)
from motcua.dossiers.tests.factories import DossierFactory
from motcua.dossiers.workflow import Status
from motcua.payments.providers import sandbox

FEE = 50_000


@pytest.fixture
def awaiting(units: Province, applicant, procedure) -> Dossier:  # type: ignore[no-untyped-def]  # noqa: F811
    return DossierFactory(
        code="000.21.10.H56-240304-0001",
        procedure=procedure,
        receiving_unit=units.commune,
        status=Status.AWAITING_PAYMENT,
        fee_vnd=FEE,
        applicant_user=applicant,
        applicant_name=applicant.full_name,
    )


@pytest.fixture
def as_applicant(client: Client, applicant) -> Client:  # type: ignore[no-untyped-def]  # noqa: F811
    client.force_login(applicant)
    return client


def notice(order_id: str, amount: int, status: str = "paid", txn: str = "SBXT0001") -> bytes:
    return sandbox.encode(
        {
            "version": "1",
            "order_id": order_id,
            "amount": amount,
            "status": status,
            "transaction_id": txn,
            "sent_at": timezone.now().isoformat(),
        }
    )


@pytest.fixture
def post_notice(client: Client) -> Callable[..., object]:
    """``post_notice(body, signature=None)``: POST the raw bytes as the bank does (signed by default)."""

    def send(body: bytes, signature: str | None = None):  # type: ignore[no-untyped-def]
        header = sandbox.signed_headers(body)[sandbox.SIGNATURE_HEADER] if signature is None else signature
        return Client().post(
            reverse("api:payment_notice_sandbox"),
            data=body,
            content_type="application/json",
            headers={sandbox.SIGNATURE_HEADER: header},
        )

    return send
