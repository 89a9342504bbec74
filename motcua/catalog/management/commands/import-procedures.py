"""``motcua import-procedures procedures.csv``: upsert the catalog from the interchange format."""

from typing import IO, Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _

from motcua.catalog.interchange import import_procedures, parse_procedures_csv
from motcua.core.csvfile import ImportSummary, date_argument, run_import


class Command(BaseCommand):
    help = "Nhập danh mục thủ tục hành chính từ tệp procedures.csv (thêm mới hoặc cập nhật theo mã thủ tục)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help=_("tệp procedures.csv; «-» để đọc từ đầu vào chuẩn"))
        parser.add_argument(
            "--updated-on",
            type=date_argument,
            default=None,
            help=_("ngày cập nhật công khai ghi cho thủ tục đã công khai có thay đổi (mặc định hôm nay)"),
        )
        parser.add_argument(
            "--published-on",
            type=date_argument,
            default=None,
            help=_(
                "công khai các thủ tục mới với ngày này (mặc định: thủ tục mới ở trạng thái chưa công bố)"
            ),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        def load(stream: IO[bytes]) -> ImportSummary:
            rows = parse_procedures_csv(stream)
            return import_procedures(
                rows, updated_on=options["updated_on"], published_on=options["published_on"]
            )

        run_import(self, options["file"], load, _("Đã nhập thủ tục: %(summary)s"))
