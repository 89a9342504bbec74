"""``motcua import-dossiers dossiers.csv events.csv``: upsert dossiers and append their history from
the interchange format (docs/interchange.md)."""

import contextlib
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from motcua.core.csvfile import open_input, problems_report
from motcua.dossiers.interchange import InvalidDossierFiles, import_dossier_files


class Command(BaseCommand):
    help = (
        "Nhập hồ sơ từ tệp dossiers.csv và lịch sử xử lý từ tệp events.csv "
        "(thêm mới hoặc cập nhật theo mã hồ sơ; sự kiện đã có không nhập lại)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("dossiers", help=_("tệp dossiers.csv; «-» để đọc từ đầu vào chuẩn"))
        parser.add_argument("events", help=_("tệp events.csv; «-» để đọc từ đầu vào chuẩn"))

    def handle(self, *args: Any, **options: Any) -> None:
        dossiers_path, events_path = options["dossiers"], options["events"]
        if dossiers_path == "-" and events_path == "-":
            raise CommandError(_("Chỉ một trong hai tệp được đọc từ đầu vào chuẩn «-»."), returncode=2)
        with contextlib.ExitStack() as files:
            streams = []
            for path in (dossiers_path, events_path):
                try:
                    streams.append(files.enter_context(open_input(path)))
                except OSError as exc:
                    raise CommandError(
                        _("Không mở được tệp «%(path)s»: %(error)s") % {"path": path, "error": exc.strerror}
                    ) from exc
            try:
                summary = import_dossier_files(*streams)
            except InvalidDossierFiles as exc:
                self.stderr.write(
                    problems_report(exc.dossier_problems, dossiers_path)
                    + problems_report(exc.event_problems, events_path),
                    ending="",
                )
                raise CommandError(
                    _("Tệp có %(count)d lỗi; chưa nhập dòng nào.") % {"count": len(exc.problems)}
                ) from exc
        self.stdout.write(_("Đã nhập xong. %(summary)s") % {"summary": summary})
