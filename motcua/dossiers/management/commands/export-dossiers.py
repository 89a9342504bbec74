"""``motcua export-dossiers --unit CODE --from DATE --to DATE --out DIR``: a unit's dossiers (its
sub-units' included) submitted in a period, as the interchange ``dossiers.csv`` and ``events.csv``."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from motcua.core.csvfile import date_argument
from motcua.core.errors import NotFound
from motcua.dossiers.interchange import dossiers_of_unit, export_dossiers


class Command(BaseCommand):
    help = (
        "Xuất hồ sơ của một đơn vị (kể cả các đơn vị trực thuộc) nộp trong khoảng ngày ra hai tệp "
        "dossiers.csv và events.csv."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--unit", required=True, help=_("mã định danh của đơn vị"))
        parser.add_argument(
            "--from", dest="date_from", type=date_argument, required=True, help=_("từ ngày nộp (YYYY-MM-DD)")
        )
        parser.add_argument(
            "--to", dest="date_to", type=date_argument, required=True, help=_("đến ngày nộp (YYYY-MM-DD)")
        )
        parser.add_argument("--out", required=True, help=_("thư mục ghi hai tệp dossiers.csv và events.csv"))

    def handle(self, *args: Any, **options: Any) -> None:
        date_from, date_to = options["date_from"], options["date_to"]
        if date_from > date_to:
            raise CommandError(_("Ngày bắt đầu --from sau ngày kết thúc --to."), returncode=2)
        try:
            dossiers = dossiers_of_unit(unit_code=options["unit"], date_from=date_from, date_to=date_to)
        except NotFound as exc:
            raise CommandError(exc.message) from exc
        out = Path(options["out"])
        try:
            out.mkdir(parents=True, exist_ok=True)
            with (
                open(out / "dossiers.csv", "w", encoding="utf-8", newline="") as dossiers_out,
                open(out / "events.csv", "w", encoding="utf-8", newline="") as events_out,
            ):
                dossier_count, event_count = export_dossiers(dossiers_out, events_out, dossiers)
        except OSError as exc:
            raise CommandError(
                _("Không ghi được vào «%(path)s»: %(error)s") % {"path": out, "error": exc.strerror}
            ) from exc
        self.stdout.write(
            _("Đã xuất %(dossiers)d hồ sơ và %(events)d sự kiện vào «%(path)s».")
            % {"dossiers": dossier_count, "events": event_count, "path": out}
        )
