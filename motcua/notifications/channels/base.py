"""The one interface every delivery channel implements, and the two kinds of failure.

A channel either returns the provider's message id, or raises ``TransientError`` (try again later:
SMTP 4xx, connection refused, timeouts, HTTP 5xx/429, "unknown error, retry") or ``PermanentError``
(retrying cannot help: SMTP 5xx, invalid phone number, rejected key, unknown template). The error
``code`` is stored in ``Message.last_error``: it names the failure, never the address or the text.
"""

import re
from typing import Protocol

from motcua.notifications.models import Message


class DeliveryError(Exception):
    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code[:255]


class TransientError(DeliveryError):
    """Try again later."""


class PermanentError(DeliveryError):
    """Retrying cannot help; the row is marked failed."""


class Channel(Protocol):
    name: str

    def send(self, message: Message) -> str:
        """Deliver ``message``; return the provider's message id. Raise a ``DeliveryError``."""
        ...


_PHONE_SEPARATORS = re.compile(r"[\s.\-()]")
_VN_MOBILE = re.compile(r"^84\d{9}$")


def international_phone(phone: str) -> str:
    """A Vietnamese mobile number as 84xxxxxxxxx (Zalo ZNS and most SMS gateways accept this form)."""
    digits = _PHONE_SEPARATORS.sub("", phone)
    if digits.startswith("+"):
        digits = digits[1:]
    if digits.startswith("0"):
        digits = "84" + digits[1:]
    if not _VN_MOBILE.match(digits):
        raise PermanentError("invalid_phone")
    return digits


def tracking_id(message: Message) -> str:
    """Our id for the message at the gateway: a gateway that dedupes on it sends a retried row once."""
    return f"motcua-{message.pk}"
