"""Sending outbox rows: claim → send → record, each row at most once at a time.

Claim: a short transaction locks the row (``select_for_update(skip_locked=True)`` on PostgreSQL, so a
second worker passes over it; SQLite serialises writers with IMMEDIATE transactions), checks that it is
still due, counts the attempt and pushes ``next_attempt_at`` one lease ahead. The network call happens
after that commit, holding no lock; a worker killed mid-send leaves the row to be retried when the lease
ends. Record: the outcome is written only if the row is still ours (same attempt number), so a slow
worker cannot overwrite a newer one. A row already ``sent`` or ``failed`` is never claimed again.

SMS and Zalo carry our ``tracking_id`` (``motcua-<id>``) so the gateway can drop a repeat after a crash
between its answer and our commit; email carries a fixed Message-ID for the same reason.
"""

import datetime as dt
import logging
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from motcua.notifications.channels import DeliveryError, PermanentError, TransientError, get_channel
from motcua.notifications.models import Message, MessageChannel, MessageStatus

logger = logging.getLogger(__name__)

PENDING = (MessageStatus.QUEUED, MessageStatus.RETRYING)


@dataclass(frozen=True)
class Outcome:
    message_id: int
    status: str  # a MessageStatus value, or "skipped" when the row was not ours to send
    retry_at: dt.datetime | None = None


def due_messages(now: dt.datetime | None = None) -> QuerySet[Message]:
    """Rows waiting for a send whose time has come (the cron command's work list)."""
    now = now or timezone.now()
    return (
        Message.objects.filter(status__in=PENDING)
        .exclude(channel=MessageChannel.PORTAL)
        .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
        .order_by("next_attempt_at", "id")
    )


def retry_delay(attempts: int) -> dt.timedelta:
    """Exponential backoff: base × 2^(attempt-1), capped (60 s, 2 min, 4 min, ... by default)."""
    base = settings.NOTIFICATIONS_RETRY_BASE_SECONDS
    seconds = min(base * 2 ** max(attempts - 1, 0), settings.NOTIFICATIONS_RETRY_MAX_SECONDS)
    return dt.timedelta(seconds=seconds)


def deliver_message(message_id: int) -> Outcome:
    """Send one outbox row if it is due and nobody else is sending it. Safe to call any number of
    times, from any number of workers."""
    claimed = _claim(message_id)
    if claimed is None:
        return Outcome(message_id, "skipped")
    try:
        provider_id = get_channel(claimed.channel).send(claimed)
    except TransientError as exc:
        return _record_failure(claimed, exc, transient=True)
    except PermanentError as exc:
        return _record_failure(claimed, exc, transient=False)
    except Exception as exc:  # a bug in a channel must not leave the row leased forever
        logger.exception("notification %s: unexpected error in channel %s", claimed.pk, claimed.channel)
        return _record_failure(claimed, DeliveryError(f"internal:{type(exc).__name__}"), transient=True)
    now = timezone.now()
    _finish(
        claimed,
        status=MessageStatus.SENT,
        sent_at=now,
        next_attempt_at=None,
        provider_id=provider_id[:100],
        last_error="",
    )
    logger.info("notification %s sent by %s (attempt %s)", claimed.pk, claimed.channel, claimed.attempts)
    return Outcome(claimed.pk, MessageStatus.SENT)


def _claim(message_id: int) -> Message | None:
    now = timezone.now()
    with transaction.atomic():
        message = due_messages(now).select_for_update(skip_locked=True).filter(pk=message_id).first()
        if message is None:
            return None
        message.attempts += 1
        message.next_attempt_at = now + dt.timedelta(seconds=settings.NOTIFICATIONS_LEASE_SECONDS)
        message.save(update_fields=["attempts", "next_attempt_at"])
    return message


def _finish(message: Message, **fields: object) -> bool:
    """Write the outcome if the row is still in the attempt we claimed."""
    updated = Message.objects.filter(pk=message.pk, attempts=message.attempts, status__in=PENDING).update(
        **fields
    )
    if updated != 1:
        logger.warning("notification %s: outcome of attempt %s discarded", message.pk, message.attempts)
    return updated == 1


def _record_failure(message: Message, error: DeliveryError, *, transient: bool) -> Outcome:
    if transient and message.attempts < settings.NOTIFICATIONS_MAX_ATTEMPTS:
        retry_at = timezone.now() + retry_delay(message.attempts)
        _finish(message, status=MessageStatus.RETRYING, next_attempt_at=retry_at, last_error=error.code)
        logger.warning(
            "notification %s (%s) failed, retry %s at %s: %s",
            message.pk,
            message.channel,
            message.attempts,
            retry_at.isoformat(),
            error.code,
        )
        return Outcome(message.pk, MessageStatus.RETRYING, retry_at)
    _finish(message, status=MessageStatus.FAILED, next_attempt_at=None, last_error=error.code)
    # A channel the operator has not set up is a choice, not an incident: recorded, logged quietly.
    level = logging.INFO if error.code.endswith(":not_configured") else logging.ERROR
    logger.log(level, "notification %s (%s) failed for good: %s", message.pk, message.channel, error.code)
    return Outcome(message.pk, MessageStatus.FAILED)


def deliver_due(limit: int = 500) -> list[Outcome]:
    """Send every due row (the ``deliver-notifications`` command: cron and the retry safety net)."""
    ids = list(due_messages().values_list("id", flat=True)[:limit])
    return [deliver_message(message_id) for message_id in ids]
