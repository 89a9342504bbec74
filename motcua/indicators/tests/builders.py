"""A small province and hand-built dossiers for the indicator tests (the ``world`` fixture is in conftest).

Tree: province 000.00.00.H23 → district 000.00.12.H23 → communes 001.12.00.H23 (Gia Tân) and
002.12.00.H23 (Gia Hòa). Period under test: August 2023 (rulebook qd766-2022). Dossiers are written
directly (factories, events appended as rows): the formulas read rows, whatever wrote them.
"""

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pytest

from motcua.catalog.models import OnlineLevel, Procedure
from motcua.catalog.tests.factories import ProcedureFactory
from motcua.core.worktime import TZ
from motcua.dossiers import counters
from motcua.dossiers.models import Dossier, DossierComponent, DossierEvent
from motcua.dossiers.workflow import Channel, Status
from motcua.indicators.scope import Scope, scope_for
from motcua.organizations.models import Level, Unit
from motcua.organizations.tests.factories import UnitFactory

AUGUST = (dt.date(2023, 8, 1), dt.date(2023, 8, 31))
RECEIVED = dt.datetime(2023, 8, 7, 9, tzinfo=TZ)  # a Monday
DUE = dt.datetime(2023, 8, 10, 17, tzinfo=TZ)


def at(day: int, hour: int = 9, month: int = 8) -> dt.datetime:
    return dt.datetime(2023, month, day, hour, 0, tzinfo=TZ)


@dataclass
class World:
    province: Unit
    district: Unit
    commune: Unit
    other_commune: Unit
    online: Procedure  # full online, issues a document
    partial: Procedure  # partial online, with a fee
    offline: Procedure  # not online, no document result


@pytest.fixture
def world(db: None) -> World:
    province = UnitFactory(code="000.00.00.H23", name="UBND tỉnh Hải Dương", level=Level.PROVINCE)
    district = UnitFactory(
        code="000.00.12.H23", name="UBND huyện Gia Lộc", level=Level.DISTRICT, parent=province
    )
    commune = UnitFactory(code="001.12.00.H23", name="UBND xã Gia Tân", level=Level.COMMUNE, parent=district)
    other = UnitFactory(code="002.12.00.H23", name="UBND xã Gia Hòa", level=Level.COMMUNE, parent=district)
    return World(
        province=province,
        district=district,
        commune=commune,
        other_commune=other,
        online=ProcedureFactory(code="1.001193", published=True, online=True, result_required=True),
        partial=ProcedureFactory(
            code="2.000908",
            published=True,
            online_level=OnlineLevel.PARTIAL,
            fee_vnd=20000,
            result_required=True,
        ),
        offline=ProcedureFactory(code="1.000656", published=True, result_required=False),
    )


_sequence = iter(range(1, 10000))


def make_dossier(
    unit: Unit,
    procedure: Procedure,
    *,
    received_at: dt.datetime | None = RECEIVED,
    due_at: dt.datetime | None = DUE,
    status: Status = Status.PROCESSING,
    channel: Channel = Channel.DIRECT,
    events: Sequence[tuple[str, dt.datetime]] = (),
    components: Sequence[dict[str, bool]] = (),
    **fields: Any,
) -> Dossier:
    """A dossier of ``unit``; a ``received`` event carrying the appointment is added when it was
    received, then ``events`` as ``(kind, at)``; ``components`` as flag dicts."""
    submitted = fields.pop("submitted_at", received_at or at(7))
    fields.setdefault("online_level", procedure.online_level)
    number = next(_sequence)
    dossier = Dossier.objects.create(
        code=f"{unit.code}-{submitted:%y%m%d}-{number:04d}",
        procedure=procedure,
        receiving_unit=unit,
        responsible_unit=unit,
        channel=channel,
        status=status,
        applicant_name="Nguyễn Văn An",
        submitted_at=submitted,
        received_at=received_at,
        due_at=due_at,
        original_due_at=due_at,
        **fields,
    )
    if received_at is not None:
        DossierEvent.objects.create(dossier=dossier, kind="received", at=received_at, due_at=due_at)
    for kind, when in events:
        DossierEvent.objects.create(dossier=dossier, kind=kind, at=when)
    for position, flags in enumerate(components, start=1):
        DossierComponent.objects.create(
            dossier=dossier, position=position, name=f"Giấy tờ {position}", **flags
        )
    # rows written by hand: bring the live counters up to date as the services do in their transaction
    counters.refresh([dossier.pk])
    return dossier


def august(unit: Unit) -> Scope:
    return scope_for(unit, *AUGUST, now=at(1, 0, month=12))
