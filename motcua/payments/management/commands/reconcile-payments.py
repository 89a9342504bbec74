"""``motcua reconcile-payments --date YYYY-MM-DD``: compare the day's online orders with the provider.

Prints one line per mismatch and exits with status 1 when there is any (for a daily cron job). It
changes nothing: a payment the bank took but never notified is confirmed by an officer on the
reconciliation page (office), which credits it to its dossier from the bank's signed status answer.
"""

import datetime as dt
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from motcua.payments.money import format_vnd
from motcua.payments.reconciliation import reconcile


class Command(BaseCommand):
    help = "Đối soát các giao dịch thanh toán trực tuyến trong một ngày với đơn vị thanh toán."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--date", help="Ngày đối soát YYYY-MM-DD (mặc định: hôm nay).")

    def handle(self, *args: Any, **options: Any) -> None:
        text = options.get("date")
        try:
            day = dt.date.fromisoformat(text) if text else timezone.localdate()
        except ValueError:
            raise CommandError(f"--date: «{text}» không phải ngày dạng YYYY-MM-DD.") from None
        report = reconcile(day)
        self.stdout.write(
            f"Ngày {day:%d/%m/%Y}: đã đối soát {report.checked} giao dịch, {len(report.mismatches)} chênh lệch."
        )
        for row in report.mismatches:
            order = row.order
            theirs = row.answer.status if row.answer else "?"
            self.stdout.write(
                f"{order.order_id}\t{order.subject_ref}\t{format_vnd(order.amount_vnd)} đ\t"
                f"hệ thống: {order.status}\tngân hàng: {theirs}\t{row.problem}"
            )
        if report.mismatches:
            raise CommandError(f"{len(report.mismatches)} chênh lệch cần xử lý.", returncode=1)
