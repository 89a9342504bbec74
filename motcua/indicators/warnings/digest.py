"""The scheduled early-warning digest: one notice per officer who has points at risk (DOMAIN.md §9).

``send_digests`` is run by ``motcua send-warnings`` (cron, every hour in office hours). Each officer
receives the items they must act on (``WarningItem.concerns``: assigned to them, or unassigned and
waiting for a role they hold in the item's unit), only for units where they hold a current role.

No spam: at most one digest per officer per half-day (morning before 12:00, afternoon after, local
time) — unless an item appears that no digest of that half-day listed yet; then a new digest with
all the current items goes out. The item keys sent are kept in the notice's context, and the
dedupe key (``warnings:<officer>:<date><half>:<hash of the items>``) makes a rerun with the same
items write nothing (``notifications.services.enqueue``).
"""

import datetime as dt
import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from motcua.accounts.models import User
from motcua.core.worktime import to_local
from motcua.indicators.warnings.items import Kind, WarningItem
from motcua.indicators.warnings.queries import warnings_for
from motcua.notifications.models import Message
from motcua.notifications.services import enqueue
from motcua.organizations.models import Membership

TEMPLATE = "early_warning"
SUMMARY_LINES = 15  # the notice lists the most urgent ones; the page has them all


@dataclass(frozen=True)
class Digest:
    officer_id: int
    item_count: int
    is_new: bool  # False: nothing new since this half-day's digest, nothing written


def half_day(now: dt.datetime) -> str:
    local = to_local(now)
    return f"{local:%Y%m%d}-{'sang' if local.hour < 12 else 'chieu'}"


def _line(item: WarningItem) -> str:
    if item.is_overdue:
        when = _("đã quá hạn")
    elif item.hours_left is not None:
        when = _("còn %(h)s giờ làm việc") % {"h": f"{item.hours_left:.1f}".replace(".", ",")}
    else:
        when = item.indicator
    return f"- {Kind(item.kind).label}: {item.code} · {item.step} · {when}"


def _summary(items: list[WarningItem]) -> str:
    lines = [_line(item) for item in items[:SUMMARY_LINES]]
    if len(items) > SUMMARY_LINES:
        lines.append(_("… và %(n)d việc khác.") % {"n": len(items) - SUMMARY_LINES})
    return "\n".join(lines)


def _already_sent(prefix: str) -> set[str]:
    sent: set[str] = set()
    for context in Message.objects.filter(template=TEMPLATE, dedupe_key__startswith=prefix).values_list(
        "context", flat=True
    ):
        sent.update(k for k in str((context or {}).get("items", "")).split("\n") if k)
    return sent


def send_digests(*, now: dt.datetime, horizon_hours: int | None = None) -> list[Digest]:
    """Enqueue the digest of every officer with items; return one ``Digest`` per such officer."""
    roles: dict[int, set[tuple[int, str]]] = {}
    for user_id, unit_id, role in (
        Membership.objects.current(to_local(now).date())
        .filter(unit__is_active=True, user__is_active=True)
        .values_list("user_id", "unit_id", "role")
    ):
        roles.setdefault(user_id, set()).add((unit_id, role))
    all_units = {unit_id for pairs in roles.values() for unit_id, _role in pairs}
    items = warnings_for(all_units, now=now, horizon_hours=horizon_hours)
    officers = {u.pk: u for u in User.objects.filter(pk__in=list(roles))}
    url = settings.MOTCUA_PUBLIC_URL + reverse("office:warnings")
    part = half_day(now)
    digests = []
    for user_id, pairs in sorted(roles.items()):
        units = {unit_id for unit_id, _role in pairs}
        mine = [i for i in items if i.unit_id in units and i.concerns(user_id, pairs)]
        if not mine:
            continue
        keys = sorted({i.key for i in mine})
        prefix = f"warnings:{user_id}:{part}:"
        if set(keys) <= _already_sent(prefix):
            digests.append(Digest(user_id, len(mine), is_new=False))
            continue
        officer = officers[user_id]
        digest = hashlib.sha256("\n".join(keys).encode()).hexdigest()[:16]
        with transaction.atomic():
            enqueue(
                template=TEMPLATE,
                context={
                    "count": str(len(mine)),
                    "summary": _summary(mine),
                    "url": url,
                    "items": "\n".join(keys),
                },
                dedupe_key=prefix + digest,
                user=officer,
                email=officer.email,
            )
        digests.append(Digest(user_id, len(mine), is_new=True))
    return digests
