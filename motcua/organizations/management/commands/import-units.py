"""``motcua import-units units.csv``: upsert units from the interchange format (docs/interchange.md)."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from motcua.core.csvfile import date_argument, open_input, problems_report
from motcua.core.errors import InvalidInput
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
        path: str = options["file"]
        try:
            with open_input(path) as stream:
                rows = parse_units_csv(stream)
            summary = import_units(
                rows, effective_on=options["effective_on"], legal_basis=options["legal_basis"]
            )
        except OSError as exc:
            raise CommandError(
                _("Không mở được tệp «%(path)s»: %(error)s") % {"path": path, "error": exc.strerror}
            ) from exc
        except InvalidInput as exc:
            self.stderr.write(problems_report(exc.problems, path), ending="")
            raise CommandError(
                _("Tệp có %(count)d lỗi; chưa nhập dòng nào.") % {"count": len(exc.problems)}
            ) from exc
        self.stdout.write(_("Đã nhập đơn vị: %(summary)s") % {"summary": summary})
