"""Payment providers behind one interface (``base.PaymentProvider``), chosen by configuration.

``PAYMENT_PROVIDERS`` lists the codes offered to applicants. Only the sandbox exists today; an adapter
for the national payment platform (PayGov: INIT with a SHA-256 checksum, ``UrlThanhToan``, signed
notice, status check, ``GET_BILL``; domain-research §8.2) goes next to it with the same interface.
"""

from django.conf import settings
from django.utils.translation import gettext as _

from motcua.core.errors import NotFound
from motcua.payments.providers.base import (
    InvalidNotice,
    PaymentProvider,
    ProviderUnavailable,
    StatusAnswer,
    VerifiedNotice,
)
from motcua.payments.providers.sandbox import SandboxProvider

KNOWN: dict[str, PaymentProvider] = {SandboxProvider.code: SandboxProvider()}

__all__ = [
    "KNOWN",
    "InvalidNotice",
    "PaymentProvider",
    "ProviderUnavailable",
    "StatusAnswer",
    "VerifiedNotice",
    "enabled",
    "get_provider",
    "is_enabled",
]


def is_enabled(code: str) -> bool:
    return code in KNOWN and code in settings.PAYMENT_PROVIDERS


def enabled() -> list[PaymentProvider]:
    """The configured providers, in the configured order."""
    return [KNOWN[code] for code in settings.PAYMENT_PROVIDERS if code in KNOWN]


def get_provider(code: str) -> PaymentProvider:
    """A configured provider; an unknown or switched-off code is ``NotFound``."""
    if not is_enabled(code):
        raise NotFound(_("Không có đơn vị thanh toán «%(code)s».") % {"code": code[:30]})
    return KNOWN[code]
