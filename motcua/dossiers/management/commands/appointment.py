"""``motcua appointment --procedure CODE --unit CODE --at ISO-DATETIME [--channel 1|2|3]``.

Answers "if a dossier of this procedure arrives at this unit at this instant, when is the return
appointment?" with the same rule as reception (``dossiers.queries.appointment_for``) and prints it as
ISO 8601 with the offset (+07:00).
"""

import datetime as dt
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from motcua.core.errors import DomainError
from motcua.dossiers.queries import appointment_for
from motcua.dossiers.workflow import Channel


class Command(BaseCommand):
    help = "Tính ngày hẹn trả kết quả cho một thủ tục nộp tại một đơn vị vào một thời điểm."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--procedure", required=True, help="mã thủ tục, ví dụ 1.001193")
        parser.add_argument("--unit", required=True, help="mã định danh đơn vị, ví dụ 000.21.10.H56")
        parser.add_argument(
            "--at",
            required=True,
            help="thời điểm nộp theo ISO 8601 có múi giờ, ví dụ 2024-02-07T15:30:00+07:00",
        )
        parser.add_argument(
            "--channel",
            type=int,
            choices=[c.value for c in Channel],
            default=Channel.DIRECT,
            help="kênh nộp: 1 trực tiếp (mặc định), 2 trực tuyến, 3 bưu chính",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        raw: str = options["at"].strip()
        try:
            at = dt.datetime.fromisoformat(raw)
        except ValueError:
            raise CommandError(
                f"--at «{raw}»: không phải thời điểm ISO 8601, ví dụ 2024-02-07T15:30:00+07:00."
            ) from None
        if at.tzinfo is None or at.utcoffset() is None:
            raise CommandError(f"--at «{raw}»: thiếu múi giờ; hãy ghi rõ, ví dụ {raw}+07:00.")
        try:
            due = appointment_for(options["procedure"], options["unit"], at, options["channel"])
        except DomainError as exc:
            raise CommandError(exc.message) from None
        if due is None:
            self.stdout.write("Thủ tục không quy định thời hạn giải quyết: không có ngày hẹn trả.")
            return
        self.stdout.write(due.isoformat())
