"""``motcua indicators --unit CODE --from DATE --to DATE [--rulebook ID] --format json``: the QĐ 766
score, targets and late steps of a unit (its sub-units included) for a period, as the interchange
contract's JSON (docs/indicators.md)."""

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from motcua.core.csvfile import date_argument
from motcua.core.errors import DomainError
from motcua.indicators.queries import unit_by_code
from motcua.indicators.report import as_json, indicator_report


class Command(BaseCommand):
    help = (
        "Tính bộ chỉ số 766, chỉ tiêu giao và các bước xử lý quá hạn của một đơn vị (kể cả đơn vị "
        "trực thuộc) trong một khoảng ngày; in ra JSON."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--unit", required=True, help=_("mã định danh của đơn vị"))
        parser.add_argument(
            "--from", dest="date_from", type=date_argument, required=True, help=_("từ ngày (YYYY-MM-DD)")
        )
        parser.add_argument(
            "--to", dest="date_to", type=date_argument, required=True, help=_("đến ngày (YYYY-MM-DD)")
        )
        parser.add_argument(
            "--rulebook",
            default=None,
            help=_("mã bộ chỉ số (qd766-2022, dvcqg-2025); mặc định: bộ có hiệu lực"),
        )
        parser.add_argument(
            "--format", dest="output_format", choices=["json"], default="json", help=_("định dạng (json)")
        )

    def handle(self, *args: Any, **options: Any) -> None:
        date_from, date_to = options["date_from"], options["date_to"]
        if date_from > date_to:
            raise CommandError(_("Ngày bắt đầu --from sau ngày kết thúc --to."), returncode=2)
        try:
            unit = unit_by_code(options["unit"])
            report = indicator_report(unit, date_from, date_to, options["rulebook"])
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(json.dumps(as_json(report), ensure_ascii=False))
