"""``motcua export-procedures [--out FILE]``: the whole catalog in the interchange ``procedures.csv`` format."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _

from motcua.catalog.interchange import export_procedures
from motcua.core.csvfile import run_export


class Command(BaseCommand):
    help = (
        "Xuất danh mục thủ tục hành chính ra tệp procedures.csv (mọi thủ tục, kể cả chưa công bố, đã bãi bỏ)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--out", default=None, help=_("tệp kết quả (mặc định: đầu ra chuẩn)"))

    def handle(self, *args: Any, **options: Any) -> None:
        run_export(self, options["out"], export_procedures, _("Đã xuất %(count)d thủ tục vào «%(path)s»."))
