"""The one interface every payment provider implements, and the records that cross it.

A provider is an external system (the national payment platform on the DVCQG, a bank, a wallet). Each
adapter turns our ``PaymentOrder`` into the provider's checkout address, checks the provider's signed
server-to-server notice, and asks the provider for an order's status (reconciliation). Nothing here
writes to the database: ``payments.services`` decides what a verified notice changes.
"""

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal, Protocol

from django.utils.functional import Promise

from motcua.core.errors import DomainError

if TYPE_CHECKING:
    from motcua.payments.models import PaymentOrder

NoticeStatus = Literal["paid", "failed"]
QueriedStatus = Literal["paid", "failed", "pending", "unknown"]


class InvalidNotice(DomainError):
    """The notice is not what the provider would send: bad signature, malformed, stale. Nothing changes."""


class ProviderUnavailable(DomainError):
    """The provider did not answer (network, timeout, a refused or unsigned answer)."""


@dataclass(frozen=True)
class VerifiedNotice:
    """What a notice says, once its signature over the raw body has been checked."""

    order_id: str
    amount_vnd: int
    status: NoticeStatus
    transaction_id: str
    sent_at: dt.datetime


@dataclass(frozen=True)
class StatusAnswer:
    """The provider's answer to a status query about one order."""

    order_id: str
    status: QueriedStatus
    amount_vnd: int | None = None
    transaction_id: str = ""


class PaymentProvider(Protocol):
    @property
    def code(self) -> str:
        """The configuration code (``PAYMENT_PROVIDERS``) and the notice address suffix."""
        ...

    @property
    def label(self) -> "str | Promise":
        """The name shown to applicants and on receipts."""
        ...

    def checkout_url(self, order: "PaymentOrder", *, return_url: str) -> str:
        """Where to send the applicant's browser to pay ``order``; it comes back to ``return_url``."""
        ...

    def signature_of(self, headers: Mapping[str, str]) -> str:
        """The signature as sent with a notice (stored with the notice, whatever it is)."""
        ...

    def verify_notice(self, raw_body: bytes, headers: Mapping[str, str]) -> VerifiedNotice:
        """Check the signature over the exact bytes received, then parse; raise ``InvalidNotice``."""
        ...

    def query_status(self, order: "PaymentOrder") -> StatusAnswer:
        """Ask the provider what it knows of ``order``; raise ``ProviderUnavailable``."""
        ...
