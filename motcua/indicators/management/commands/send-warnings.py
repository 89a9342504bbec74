"""``motcua send-warnings``: notify each officer of the points at risk they must act on.

Run every hour in office hours from cron (docs/early-warning.md). At most one digest per officer
per half-day unless new items appear (``indicators.warnings.digest``): a rerun sends nothing twice.
"""

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from motcua.indicators.warnings.digest import send_digests


class Command(BaseCommand):
    help = "Gửi cảnh báo sớm cho cán bộ: hồ sơ, bước xử lý, phản ánh kiến nghị sắp đến hạn hoặc quá hạn."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--hours",
            type=int,
            default=None,
            help="số giờ làm việc phía trước (mặc định: MOTCUA_WARNING_HORIZON_HOURS)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["hours"] is not None and options["hours"] < 0:
            raise CommandError("--hours phải là số giờ làm việc không âm.")
        digests = send_digests(now=timezone.now(), horizon_hours=options["hours"])
        new = [d for d in digests if d.is_new]
        items = sum(d.item_count for d in digests)
        self.stdout.write(
            f"{len(digests)} cán bộ có việc cần cảnh báo ({items} việc); "
            f"đã gửi {len(new)} thông báo mới, {len(digests) - len(new)} cán bộ không có việc mới."
        )
