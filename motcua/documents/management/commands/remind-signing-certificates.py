"""``motcua remind-signing-certificates``: tell officers whose signing certificate expires soon.

Run once a day from cron (docs/deployment.md). Idempotent: one notice per certificate and window
(``documents.reminders``), so a second run, or a run after a missed day, sends nothing twice.
"""

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand

from motcua.documents.reminders import remind_expiring_certificates


class Command(BaseCommand):
    help = "Nhắc cán bộ có chứng thư số sắp hết hiệu lực (mỗi chứng thư một lần cho mỗi mốc nhắc)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help="số ngày trước khi hết hiệu lực (mặc định: MOTCUA_CERT_EXPIRY_REMINDER_DAYS)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        reminders = remind_expiring_certificates(reminder_days=options["days"])
        new = sum(1 for r in reminders if r.is_new)
        self.stdout.write(f"{len(reminders)} chứng thư số sắp hết hiệu lực, {new} lời nhắc mới")
