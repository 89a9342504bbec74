"""Throttling of public endpoints that a stranger could use to guess: a small counter per source and
kind of attempt, in a fixed window, shared by every app process through the database.

QUALITY.md security item 11: public endpoints (status lookup, OTP, registration, submission) are
throttled, and the lookup needs the dossier code and a second factor. The dossier code is printed on
the receipt and is easy to guess from its neighbours (``<agency>-<YYMMDD>-<NNNN>``), so without a limit
the 4-digit second factor could be tried out one value after another.

How it counts: ``consume`` adds one attempt *before* the guarded check and says whether the source is
still within its limit; a caller that succeeds gives the attempt back with ``refund``. Counting first
makes the limit exact under concurrency (parallel requests cannot all pass a read-then-write check);
giving successes back means only failures use up the allowance. One statement
(``INSERT … ON CONFLICT DO UPDATE … RETURNING``) bumps the counter and restarts an expired window, so it
is atomic across processes on SQLite and PostgreSQL alike (the same mechanism as ``core.numbering``).

Keys (client addresses, dossier codes) are stored only as an HMAC with the project's secret key: the
table holds no personal data, and the log lines of this module name the scope only.
"""

import datetime as dt
import hashlib
import hmac
import ipaddress
import logging
from dataclasses import dataclass

from django.conf import settings
from django.db import connection
from django.db.models import F
from django.http import HttpRequest
from django.utils import timezone

from motcua.core.models import ThrottleCounter

logger = logging.getLogger(__name__)

_SCOPE_MAX = ThrottleCounter._meta.get_field("scope").max_length or 40


@dataclass(frozen=True)
class Rule:
    """At most ``limit`` counted attempts of kind ``scope`` per key within ``window``."""

    scope: str
    limit: int
    window: dt.timedelta

    def __post_init__(self) -> None:
        if not self.scope or len(self.scope) > _SCOPE_MAX:
            raise ValueError(f"scope must have 1–{_SCOPE_MAX} characters")
        if self.limit < 1:
            raise ValueError("limit must be at least 1")
        if self.window <= dt.timedelta(0):
            raise ValueError("window must be positive")


def key_hash(scope: str, key: str) -> str:
    """The stored form of ``key``: HMAC-SHA256 with the secret key, so the raw value is never kept."""
    message = f"{scope}\x00{key}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()


def consume(rule: Rule, key: str, *, now: dt.datetime | None = None) -> bool:
    """Count one attempt of ``key``; ``True`` while the attempts in the current window are within the
    limit, ``False`` once they exceed it (the caller must refuse the request).

    The window starts at the first attempt and lasts ``rule.window``; the first attempt after it
    starts a new window with a count of 1.
    """
    at = now or timezone.now()
    count = _bump(rule, key, at)
    allowed = count <= rule.limit
    if count == rule.limit + 1:
        logger.warning("throttle: limit reached for scope %s", rule.scope)
    return allowed


def refund(rule: Rule, key: str) -> None:
    """Give back one attempt of ``key`` (the guarded action succeeded: it was not a guess)."""
    ThrottleCounter.objects.filter(scope=rule.scope, key_hash=key_hash(rule.scope, key), count__gt=0).update(
        count=F("count") - 1
    )


def is_limited(rule: Rule, key: str, *, now: dt.datetime | None = None) -> bool:
    """Whether ``key`` has used up its attempts in the current window (read only)."""
    at = now or timezone.now()
    return ThrottleCounter.objects.filter(
        scope=rule.scope,
        key_hash=key_hash(rule.scope, key),
        window_started_at__gt=at - rule.window,
        count__gte=rule.limit,
    ).exists()


def prune(*, before: dt.datetime) -> int:
    """Delete counters whose window started before ``before`` (they would restart at 1 anyway)."""
    deleted, _per_model = ThrottleCounter.objects.filter(window_started_at__lt=before).delete()
    return deleted


def _bump(rule: Rule, key: str, at: dt.datetime) -> int:
    qn = connection.ops.quote_name
    table = qn(ThrottleCounter._meta.db_table)
    count, started = qn("count"), qn("window_started_at")
    expired = f"{table}.{started} <= %s"
    # Both SET expressions read the row as it was before the update (SQLite and PostgreSQL).
    sql = (
        f"INSERT INTO {table} ({qn('scope')}, {qn('key_hash')}, {started}, {count}) "  # noqa: S608 - identifiers are quoted model metadata
        f"VALUES (%s, %s, %s, 1) "
        f"ON CONFLICT ({qn('scope')}, {qn('key_hash')}) DO UPDATE SET "
        f"{count} = CASE WHEN {expired} THEN 1 ELSE {table}.{count} + 1 END, "
        f"{started} = CASE WHEN {expired} THEN %s ELSE {table}.{started} END "
        f"RETURNING {count}"
    )
    adapt = connection.ops.adapt_datetimefield_value
    now_value, cutoff = adapt(at), adapt(at - rule.window)
    params = [rule.scope, key_hash(rule.scope, key), now_value, cutoff, cutoff, now_value]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()  # drain: SQLite keeps a RETURNING statement open until it is consumed
    return int(rows[0][0])


def client_address(request: HttpRequest) -> str:
    """The address to throttle a request by.

    ``REMOTE_ADDR``, or, with ``MOTCUA_PROXY_COUNT`` trusted reverse proxies in front of the app, the
    entry those proxies appended to ``X-Forwarded-For`` (counted from the right: the entries on the
    left are whatever the client typed). IPv6 addresses are grouped by their /64 network, which one
    subscriber usually holds whole, so hopping inside it does not reset the counter.
    """
    proxies = int(getattr(settings, "MOTCUA_PROXY_COUNT", 0))
    address = str(request.META.get("REMOTE_ADDR", ""))
    if proxies > 0:
        forwarded = [
            part.strip()
            for part in str(request.META.get("HTTP_X_FORWARDED_FOR", "")).split(",")
            if part.strip()
        ]
        if len(forwarded) >= proxies:
            address = forwarded[-proxies]
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address[:64] or "unknown"
    if ip.version == 6:
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)
