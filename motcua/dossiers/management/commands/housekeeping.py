"""``motcua housekeeping``: the daily clean-up a cron job runs (see docs/deployment.md).

* expired drafts of online submission are deleted with their files (they expire ``MOTCUA_DRAFT_DAYS``
  after the last save; the applicant was told so on the draft page);
* throttle counters whose window ended more than a day ago are deleted (they hold only keyed hashes,
  but nothing needs them any more).

Nothing here touches dossiers, events or registers: those are kept for good.
"""

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from motcua.core import throttle
from motcua.dossiers.services import purge_expired_drafts


class Command(BaseCommand):
    help = "Xoá bản nháp hết hạn và bộ đếm chống dò tìm đã cũ (chạy hằng ngày)."

    def handle(self, *args: Any, **options: Any) -> None:
        now = timezone.now()
        drafts = purge_expired_drafts(now)
        counters = throttle.prune(before=now - dt.timedelta(days=1))
        self.stdout.write(f"Đã xoá {drafts} bản nháp hết hạn và {counters} bộ đếm cũ.")
