"""The demo's provincial targets for the years of its dossiers: the 2022 targets the project ships
(migration ``indicators.0002_targets_2022``: Decision 1217/QĐ-UBND online shares, the 2022
digitization targets) carried on to every later year up to the current one, as a province does with
«Sao chép chỉ tiêu năm trước» (``indicators.target_admin.copy_previous_year``), so that the demo's
board shows value, target and gap for the period it opens on. Each carried target says so in its note."""

import datetime as dt
import importlib

from django.utils import timezone

from motcua.indicators.models import Target

SHIPPED = importlib.import_module("motcua.indicators.migrations.0002_targets_2022").TARGETS
FIRST_YEAR = 2022


def seed_targets(today: dt.date | None = None) -> int:
    """Create the missing level-wide targets of the years after 2022 up to ``today``'s; returns how
    many were created (none when run again)."""
    year_now = (today or timezone.localdate()).year
    created = 0
    for year in range(FIRST_YEAR + 1, year_now + 1):
        for target_id, level, value, decision, _note in SHIPPED:
            _target, new = Target.objects.get_or_create(
                target_id=target_id,
                year=year,
                level=level,
                unit=None,
                defaults={
                    "value": value,
                    "decision": decision,
                    "note": f"Dữ liệu trình diễn: chỉ tiêu năm {FIRST_YEAR} áp dụng tiếp cho năm {year}",
                },
            )
            created += new
    return created
