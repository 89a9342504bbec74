"""``motcua export-procedures [--out FILE]``: the whole catalog in the interchange ``procedures.csv`` format."""

import io
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from motcua.catalog.interchange import export_procedures


class Command(BaseCommand):
    help = (
        "Xuất danh mục thủ tục hành chính ra tệp procedures.csv (mọi thủ tục, kể cả chưa công bố, đã bãi bỏ)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--out", default=None, help=_("tệp kết quả (mặc định: đầu ra chuẩn)"))

    def handle(self, *args: Any, **options: Any) -> None:
        out: str | None = options["out"]
        if out is None:
            buffer = io.StringIO()
            export_procedures(buffer)
            self.stdout.write(buffer.getvalue(), ending="")
            return
        try:
            with open(out, "w", encoding="utf-8", newline="") as stream:
                count = export_procedures(stream)
        except OSError as exc:
            raise CommandError(
                _("Không ghi được tệp «%(path)s»: %(error)s") % {"path": out, "error": exc.strerror}
            ) from exc
        self.stdout.write(_("Đã xuất %(count)d thủ tục vào «%(path)s».") % {"count": count, "path": out})
