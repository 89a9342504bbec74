"""Writing notices to the outbox — the only way the rest of the system tells anyone anything.

``enqueue`` writes one ``Message`` row per reachable channel inside the caller's transaction (so a notice
exists exactly when the event that caused it was committed: the transactional-outbox pattern) and asks
for delivery after commit. Delivery itself is in ``delivery.py``. See ``docs/notifications.md``.
"""

import logging
from collections.abc import Sequence
from functools import partial
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.utils import timezone

from motcua.notifications import channels as channel_registry
from motcua.notifications.models import Message, MessageChannel, MessageStatus
from motcua.notifications.templates import render

if TYPE_CHECKING:
    from motcua.accounts.models import User

logger = logging.getLogger(__name__)


def enqueue(
    *,
    template: str,
    context: dict[str, str],
    dedupe_key: str,
    user: "User | None" = None,
    email: str = "",
    phone: str = "",
    channels: Sequence[str] | None = None,
) -> list[Message]:
    """Write the notice to the outbox on every channel we can reach: email if ``email``, SMS if
    ``phone``, Zalo if ``phone`` and Zalo is configured for this template, the portal inbox if ``user``.
    ``channels`` narrows that choice. The rows are part of the caller's transaction (rolled back with
    it); delivery is scheduled after commit. Calling again with the same ``dedupe_key`` returns the rows
    already written and writes nothing (retried requests, double clicks, replayed callbacks).

    Raises ``templates.UnknownTemplate`` / ``templates.MissingField`` for a programming error, before
    anything is written."""
    if not dedupe_key:
        raise ValueError("dedupe_key is required")
    rendered = render(template, context)
    existing = list(Message.objects.filter(dedupe_key=dedupe_key).order_by("id"))
    if existing:
        return existing
    addresses = _reachable(user=user, email=email.strip(), phone=phone.strip(), template=template)
    if channels is not None:
        addresses = {name: addr for name, addr in addresses.items() if name in set(channels)}
    now = timezone.now()
    messages: list[Message] = []
    for channel, address in addresses.items():
        is_portal = channel == MessageChannel.PORTAL
        message = Message(
            channel=channel,
            user=user if is_portal else None,
            address=address,
            template=template,
            subject=rendered.subject,
            body=rendered.sms if channel == MessageChannel.SMS else rendered.body,
            context=dict(context),
            dedupe_key=dedupe_key,
            # The portal inbox row is the message: it is delivered by being written.
            status=MessageStatus.SENT if is_portal else MessageStatus.QUEUED,
            sent_at=now if is_portal else None,
        )
        try:
            with transaction.atomic():
                message.save(force_insert=True)
        except IntegrityError:
            # A concurrent caller wrote the same notice first: theirs is the one.
            return list(Message.objects.filter(dedupe_key=dedupe_key).order_by("id"))
        messages.append(message)
    to_deliver = [m.pk for m in messages if m.status == MessageStatus.QUEUED]
    if to_deliver:
        transaction.on_commit(partial(schedule_delivery, to_deliver))
    return messages


def _reachable(*, user: "User | None", email: str, phone: str, template: str) -> dict[str, str]:
    found: dict[str, str] = {}
    if email:
        found[MessageChannel.EMAIL] = email
    if phone:
        found[MessageChannel.SMS] = phone
        if channel_registry.zalo_configured_for(template):
            found[MessageChannel.ZALO] = phone
    if user is not None:
        found[MessageChannel.PORTAL] = ""
    return found


def schedule_delivery(message_ids: Sequence[int]) -> None:
    """Hand the rows to the task queue. A failure here loses nothing: the rows stay ``queued`` and the
    ``deliver-notifications`` command (cron) sends them."""
    from motcua.notifications.tasks import deliver

    for message_id in message_ids:
        try:
            deliver.enqueue(message_id)
        except Exception:  # the outbox row is the source of truth; cron picks it up
            logger.exception("could not enqueue delivery of message %s", message_id)


@transaction.atomic
def mark_portal_read(*, user: "User", message_id: int) -> bool:
    """Mark one of the user's in-app notices as read; another user's row is not found (False)."""
    updated = Message.objects.filter(
        pk=message_id, user=user, channel=MessageChannel.PORTAL, read_at__isnull=True
    ).update(read_at=timezone.now())
    return updated == 1


@transaction.atomic
def requeue_failed(*, message_ids: Sequence[int]) -> int:
    """Send failed rows again from scratch (after the operator fixed a gateway key, a mail server or a
    quota). Rows that were sent, or are still pending, are left alone: nothing is sent twice."""
    ids = list(
        Message.objects.filter(pk__in=list(message_ids), status=MessageStatus.FAILED)
        .exclude(channel=MessageChannel.PORTAL)
        .values_list("pk", flat=True)
    )
    Message.objects.filter(pk__in=ids, status=MessageStatus.FAILED).update(
        status=MessageStatus.QUEUED, attempts=0, next_attempt_at=None, last_error=""
    )
    if ids:
        transaction.on_commit(partial(schedule_delivery, ids))
    return len(ids)
