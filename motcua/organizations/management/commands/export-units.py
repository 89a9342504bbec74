"""``motcua export-units [--out FILE]``: every unit in the interchange ``units.csv`` format."""

import io
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from motcua.organizations.interchange import export_units


class Command(BaseCommand):
    help = "Xuất danh sách đơn vị ra tệp units.csv (mọi đơn vị, kể cả đơn vị đã ngừng hoạt động)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--out", default=None, help=_("tệp kết quả (mặc định: đầu ra chuẩn)"))

    def handle(self, *args: Any, **options: Any) -> None:
        out: str | None = options["out"]
        if out is None:
            buffer = io.StringIO()
            export_units(buffer)
            self.stdout.write(buffer.getvalue(), ending="")
            return
        try:
            with open(out, "w", encoding="utf-8", newline="") as stream:
                count = export_units(stream)
        except OSError as exc:
            raise CommandError(
                _("Không ghi được tệp «%(path)s»: %(error)s") % {"path": out, "error": exc.strerror}
            ) from exc
        self.stdout.write(_("Đã xuất %(count)d đơn vị vào «%(path)s».") % {"count": count, "path": out})
