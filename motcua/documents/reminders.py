"""Reminders to officers before their signing certificate expires.

Luật Giao dịch điện tử 2023 Điều 24 and NĐ 130/2018/NĐ-CP (as amended): a digital signature is valid
only when the certificate was valid at signing time, so an officer whose certificate lapses can no
longer sign results, forms or certified copies. A daily run (``motcua remind-signing-certificates``,
cron) tells each officer, once per window, about every active certificate expiring within
``MOTCUA_CERT_EXPIRY_REMINDER_DAYS`` (30) days: at the start of the window and again in the last
``FINAL_WINDOW_DAYS`` (7) days. The dedupe key (certificate, window) makes a second run the same day —
or any later day of the same window — send nothing new.
"""

import datetime as dt
import logging
import math
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from motcua.documents.models import SigningCertificate
from motcua.notifications.models import Message
from motcua.notifications.services import enqueue

logger = logging.getLogger(__name__)

TEMPLATE = "signing_certificate_expiring"
FINAL_WINDOW_DAYS = 7


@dataclass(frozen=True)
class Reminder:
    certificate_id: int
    window_days: int
    days_left: int
    is_new: bool


def windows(reminder_days: int) -> tuple[int, ...]:
    """The reminder windows, widest first: ``(30, 7)`` by default; only ``(n,)`` when n ≤ 7."""
    if reminder_days <= FINAL_WINDOW_DAYS:
        return (reminder_days,)
    return (reminder_days, FINAL_WINDOW_DAYS)


def days_left(certificate: SigningCertificate, now: dt.datetime) -> int:
    """Whole days until ``valid_to``, rounded up (expiring in 6 days 2 hours = 7 days left)."""
    return max(math.ceil((certificate.valid_to - now).total_seconds() / 86_400), 0)


def remind_expiring_certificates(*, reminder_days: int | None = None) -> list[Reminder]:
    """Enqueue one notice per active certificate expiring within the window to its officer (email
    when the officer has one, and the in-app inbox); idempotent per certificate and window."""
    reminder_days = settings.MOTCUA_CERT_EXPIRY_REMINDER_DAYS if reminder_days is None else reminder_days
    if reminder_days <= 0:
        return []
    now = timezone.now()
    url = settings.MOTCUA_PUBLIC_URL + reverse("office:certificate_list")
    sent: list[Reminder] = []
    expiring = (
        SigningCertificate.objects.expiring_within(reminder_days)
        .filter(officer__is_active=True)
        .select_related("officer")
    )
    for certificate in expiring:
        left = days_left(certificate, now)
        window = min(w for w in windows(reminder_days) if w >= left)
        officer = certificate.officer
        key = f"signing-cert-expiry:{certificate.pk}:{window}"
        with transaction.atomic():
            is_new = not Message.objects.filter(dedupe_key=key).exists()
            enqueue(
                template=TEMPLATE,
                context={
                    "serial": certificate.serial,
                    "valid_to": timezone.localtime(certificate.valid_to).strftime("%d/%m/%Y"),
                    "days_left": str(left),
                    "url": url,
                },
                dedupe_key=key,
                user=officer,
                email=officer.email,
            )
        sent.append(Reminder(certificate.pk, window, left, is_new))
    logger.info("signing certificate reminders: %d expiring, %d new", len(sent), sum(r.is_new for r in sent))
    return sent
