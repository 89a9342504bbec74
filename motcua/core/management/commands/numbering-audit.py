"""``manage.py numbering-audit``: list missing, doubled or out-of-range numbers of a sequence.

The registers must be continuous (TT 01/2018/TT-VPCP Điều 19 for dossier codes, NĐ 23/2015 Điều 13 for
certification books) and match the paper books; this command is the check an officer or a cron job
runs. Exit status 1 when a problem is found.
"""

from argparse import ArgumentParser
from collections.abc import Callable
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from motcua.core.numbering import NumberingAudit, audit, audited_periods, book_scope, dossier_scope


def _ranges(numbers: list[int]) -> str:
    """``[5, 7, 8, 9]`` → ``"5, 7–9"``."""
    parts: list[str] = []
    start = prev = numbers[0]
    for n in [*numbers[1:], None]:
        if n is not None and n == prev + 1:
            prev = n
            continue
        parts.append(str(start) if start == prev else f"{start}–{prev}")
        if n is not None:
            start = prev = n
    return ", ".join(parts)


class Command(BaseCommand):
    help = "Kiểm tra dãy số (mã hồ sơ, số chứng thực): số bị thiếu, trùng hoặc vượt quá bộ đếm."

    def add_arguments(self, parser: ArgumentParser) -> None:
        which = parser.add_mutually_exclusive_group(required=True)
        which.add_argument("--agency", help="mã định danh cơ quan tiếp nhận, ví dụ 000.00.06.H56")
        which.add_argument("--book", help="sổ chứng thực, ví dụ 000.00.06.H56:SCT/BS")
        which.add_argument("--scope", help="phạm vi dãy số thô, ví dụ dossier:000.00.06.H56")
        parser.add_argument(
            "--from", dest="period_from", default="", help="từ kỳ (ngày YYYY-MM-DD hoặc năm YYYY)"
        )
        parser.add_argument("--to", dest="period_to", default="", help="đến kỳ (bao gồm)")

    def handle(self, *args: Any, **options: Any) -> None:
        period_from: str = options["period_from"]
        period_to: str = options["period_to"]
        if options["agency"]:
            scope = dossier_scope(options["agency"])
            for value in (period_from, period_to):
                _require(value, date.fromisoformat, "ngày phải có dạng YYYY-MM-DD")
        elif options["book"]:
            scope = book_scope(options["book"])
            for value in (period_from, period_to):
                _require(value, _year, "năm phải có dạng YYYY")
        else:
            scope = options["scope"]

        periods = audited_periods(scope=scope, period_from=period_from, period_to=period_to)
        span = f"{period_from or '…'} → {period_to or '…'}"
        self.stdout.write(f"Kiểm tra dãy số {scope}, kỳ {span}")
        if not periods:
            self.stdout.write("Không có số nào được cấp trong khoảng này.")
            return

        faulty = 0
        for period in periods:
            result = audit(scope=scope, period=period)
            line = self._describe(result)
            if result.is_clean:
                self.stdout.write(line)
            else:
                faulty += 1
                self.stdout.write(self.style.ERROR(line))
        if faulty:
            raise CommandError(f"{faulty}/{len(periods)} kỳ có số bị thiếu, trùng hoặc vượt bộ đếm.")
        self.stdout.write(self.style.SUCCESS(f"Tất cả {len(periods)} kỳ đều liên tục, không thiếu số."))

    @staticmethod
    def _describe(result: NumberingAudit) -> str:
        line = f"{result.period}: số cuối {result.last}, đã ghi nhận {result.issued_count} số"
        if result.is_clean:
            return line + " — liên tục"
        problems = []
        if result.gaps:
            problems.append(f"THIẾU {len(result.gaps)} số: {_ranges(result.gaps)}")
        if result.duplicates:
            problems.append(f"TRÙNG: {_ranges(result.duplicates)}")
        if result.beyond_last:
            problems.append(f"VƯỢT bộ đếm (số sau sẽ bị trùng): {_ranges(result.beyond_last)}")
        return line + " — " + "; ".join(problems)


def _year(value: str) -> int:
    if len(value) != 4 or not value.isdigit():
        raise ValueError(value)
    return int(value)


def _require(value: str, parse: Callable[[str], object], message: str) -> None:
    if not value:
        return
    try:
        parse(value)
    except ValueError:
        raise CommandError(f"«{value}»: {message}") from None
