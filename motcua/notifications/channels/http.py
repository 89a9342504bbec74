"""A JSON POST shared by the HTTP gateways, with the transient/permanent split for transport errors."""

from typing import Any

import httpx
from django.conf import settings

from motcua.notifications.channels.base import PermanentError, TransientError


def post_json(url: str, payload: dict[str, Any], *, headers: dict[str, str], what: str) -> dict[str, Any]:
    """POST ``payload``; return the JSON answer of a 2xx. 5xx, 429, timeouts and connection errors are
    transient; other 4xx and a non-JSON answer are permanent."""
    try:
        response = httpx.post(url, json=payload, headers=headers, timeout=settings.NOTIFICATIONS_HTTP_TIMEOUT)
    except httpx.TimeoutException:
        raise TransientError(f"{what}:timeout") from None
    except httpx.TransportError as exc:
        raise TransientError(f"{what}:{type(exc).__name__}") from None
    if response.status_code >= 500 or response.status_code == 429:
        raise TransientError(f"{what}:http_{response.status_code}")
    if response.status_code >= 400:
        raise PermanentError(f"{what}:http_{response.status_code}")
    try:
        data = response.json()
    except ValueError:
        raise PermanentError(f"{what}:bad_json") from None
    if not isinstance(data, dict):
        raise PermanentError(f"{what}:bad_json")
    return data
