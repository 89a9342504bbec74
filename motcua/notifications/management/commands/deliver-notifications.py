"""``motcua deliver-notifications``: send every due outbox row once, then exit.

Run it from cron every minute (or with ``--loop``) next to ``motcua db_worker``: it sends rows whose
after-commit task was lost (a crash between commit and enqueue), rows waiting for a retry when the task
backend cannot defer tasks (the immediate backend), and everything when no worker runs at all. It is
safe next to the worker: each row is claimed before it is sent (``delivery.deliver_message``).
"""

import time
from argparse import ArgumentParser
from collections import Counter
from typing import Any

from django.core.management.base import BaseCommand

from motcua.notifications.delivery import deliver_due


class Command(BaseCommand):
    help = "Gửi các thông báo đến hạn trong hàng đợi (thư điện tử, SMS, Zalo), kể cả các lần gửi lại."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--limit", type=int, default=500, help="số thông báo tối đa mỗi lượt")
        parser.add_argument(
            "--loop",
            type=float,
            default=0,
            metavar="GIAY",
            help="lặp lại sau mỗi GIAY giây (0: chạy một lượt)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        while True:
            outcomes = deliver_due(limit=options["limit"])
            counts = Counter(outcome.status for outcome in outcomes)
            if outcomes or not options["loop"]:
                summary = ", ".join(f"{status}={count}" for status, count in sorted(counts.items()))
                self.stdout.write(
                    f"{len(outcomes)} thông báo đã xử lý" + (f" ({summary})" if summary else "")
                )
            if not options["loop"]:
                return
            time.sleep(options["loop"])
