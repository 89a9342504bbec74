"""``seed_demo``: the whole demo province in one transaction, idempotent (upsert by natural keys)."""

from dataclasses import dataclass

from django.db import transaction

from motcua.demo.catalog import seed_catalog
from motcua.demo.province import seed_units
from motcua.demo.staff import ShowcaseAccount, seed_staff
from motcua.demo.targets import seed_targets


@dataclass(frozen=True)
class SeedReport:
    units: int
    procedures: int
    showcase: list[ShowcaseAccount]


@transaction.atomic
def seed_demo() -> SeedReport:
    """Create or complete the Hải Dương demo: units, catalog, staff, the targets of the years up to now.
    Running it again changes nothing."""
    units = seed_units()
    procedures = seed_catalog(units)
    showcase = seed_staff(units)
    seed_targets()
    return SeedReport(units=len(units), procedures=len(procedures), showcase=showcase)
