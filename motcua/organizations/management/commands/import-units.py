"""``motcua import-units units.csv``: upsert units from the interchange format (docs/interchange.md)."""

from typing import IO, Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _

from motcua.core.csvfile import ImportSummary, date_argument, run_import
from motcua.organizations.interchange import import_units, parse_units_csv


class Command(BaseCommand):
    help = "Nhập danh sách đơn vị từ tệp units.csv (thêm mới hoặc cập nhật theo mã định danh)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help=_("tệp units.csv; «-» để đọc từ đầu vào chuẩn"))
        parser.add_argument(
            "--effective-on",
            type=date_argument,
            default=None,
            help=_("ngày hiệu lực ghi vào lịch sử đổi tên, chuyển cấp trên (YYYY-MM-DD; mặc định hôm nay)"),
        )
        parser.add_argument("--legal-basis", default="", help=_("căn cứ pháp lý ghi vào lịch sử"))

    def handle(self, *args: Any, **options: Any) -> None:
        def load(stream: IO[bytes]) -> ImportSummary:
            rows = parse_units_csv(stream)
            return import_units(
                rows, effective_on=options["effective_on"], legal_basis=options["legal_basis"]
            )

        run_import(self, options["file"], load, _("Đã nhập đơn vị: %(summary)s"))
