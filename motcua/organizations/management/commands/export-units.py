"""``motcua export-units [--out FILE]``: every unit in the interchange ``units.csv`` format."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _

from motcua.core.csvfile import run_export
from motcua.organizations.interchange import export_units


class Command(BaseCommand):
    help = "Xuất danh sách đơn vị ra tệp units.csv (mọi đơn vị, kể cả đơn vị đã ngừng hoạt động)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--out", default=None, help=_("tệp kết quả (mặc định: đầu ra chuẩn)"))

    def handle(self, *args: Any, **options: Any) -> None:
        run_export(self, options["out"], export_units, _("Đã xuất %(count)d đơn vị vào «%(path)s»."))
