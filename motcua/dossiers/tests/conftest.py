"""Personas and a small province for the dossier tests.

Unit tree: province → district (Gia Lộc) → commune (Gia Tân, where the personas work) and a second
commune (Gia Hòa, where ``receiver_elsewhere`` works); the district has a justice office (Phòng Tư
pháp) for liên thông. The procedure has 3 working days and a 3-step internal process:
specialist 8 h → specialist 4 h → leader 4 h.
"""

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

import pytest
import time_machine

from motcua.accounts.models import User
from motcua.accounts.tests.factories import UserFactory
from motcua.catalog.models import Component, CopyType, TimeUnit
from motcua.catalog.tests.factories import (
    ComponentFactory,
    InternalProcessFactory,
    ProcedureFactory,
    ProcessStepFactory,
)
from motcua.core.worktime import TZ
from motcua.dossiers.services import ApplicantInput, ComponentInput
from motcua.organizations.models import Level, Membership, Role, Unit
from motcua.organizations.tests.factories import UnitFactory


def local(y: int, m: int, d: int, hh: int = 0, mm: int = 0) -> dt.datetime:
    return dt.datetime(y, m, d, hh, mm, tzinfo=TZ)


# Monday 4 March 2024, 08:00: an ordinary working week.
MONDAY_8 = local(2024, 3, 4, 8, 0)


@dataclass
class Province:
    province: Unit
    district: Unit
    justice_office: Unit
    commune: Unit
    other_commune: Unit


@pytest.fixture
def units(db: None) -> Province:
    province = UnitFactory(code="000.00.00.H56", name="UBND tỉnh Hải Dương", level=Level.PROVINCE)
    district = UnitFactory(
        code="000.00.10.H56", name="UBND huyện Gia Lộc", level=Level.DISTRICT, parent=province
    )
    justice = UnitFactory(
        code="000.10.10.H56", name="Phòng Tư pháp huyện Gia Lộc", level=Level.DEPARTMENT, parent=district
    )
    commune = UnitFactory(code="000.21.10.H56", name="UBND xã Gia Tân", level=Level.COMMUNE, parent=district)
    other = UnitFactory(code="000.22.10.H56", name="UBND xã Gia Hòa", level=Level.COMMUNE, parent=district)
    return Province(province, district, justice, commune, other)


def officer(unit: Unit, role: Role, name: str) -> User:
    user = UserFactory(officer=True, full_name=name, with_totp=False)
    Membership.objects.create(user=user, unit=unit, role=role)
    return user


@pytest.fixture
def applicant(db: None) -> User:
    return UserFactory(full_name="Nguyễn Văn An", national_id="030090000123", phone="0912000111")


@pytest.fixture
def other_applicant(db: None) -> User:
    return UserFactory(full_name="Lê Thị Hoa", national_id="030190000456")


@pytest.fixture
def receiver(units: Province) -> User:
    return officer(units.commune, Role.RECEIVER, "Phạm Thu Hà (một cửa)")


@pytest.fixture
def specialist(units: Province) -> User:
    return officer(units.commune, Role.SPECIALIST, "Đỗ Minh Tuấn (tư pháp - hộ tịch)")


@pytest.fixture
def leader(units: Province) -> User:
    return officer(units.commune, Role.LEADER, "Vũ Quang Huy (chủ tịch xã)")


@pytest.fixture
def receiver_elsewhere(units: Province) -> User:
    return officer(units.other_commune, Role.RECEIVER, "Hoàng Lan (một cửa xã khác)")


@pytest.fixture
def district_specialist(units: Province) -> User:
    return officer(units.justice_office, Role.SPECIALIST, "Bùi Đức Long (phòng tư pháp)")


@pytest.fixture
def procedure(db: None):  # type: ignore[no-untyped-def]
    """3 working days, full online, one required paper, a 3-step process for every unit."""
    procedure = ProcedureFactory(
        published=True,
        online=True,
        code="1.001193",
        name="Đăng ký khai sinh",
        time_limit=Decimal(3),
        time_unit=TimeUnit.WORKING_DAYS,
    )
    ComponentFactory(
        procedure=procedure, position=1, name="Tờ khai đăng ký khai sinh", copy_type=CopyType.ORIGINAL
    )
    ComponentFactory(procedure=procedure, position=2, name="Giấy chứng sinh", is_required=False)
    process = InternalProcessFactory(procedure=procedure, unit=None, name="Quy trình đăng ký khai sinh")
    ProcessStepFactory(
        process=process, position=1, name="Thẩm định hồ sơ", role=Role.SPECIALIST, hours=Decimal(8)
    )
    ProcessStepFactory(
        process=process, position=2, name="Dự thảo kết quả", role=Role.SPECIALIST, hours=Decimal(4)
    )
    ProcessStepFactory(
        process=process, position=3, name="Ký duyệt kết quả", role=Role.LEADER, hours=Decimal(4)
    )
    return procedure


@pytest.fixture
def person() -> ApplicantInput:
    return ApplicantInput(
        name="Nguyễn Văn An", id_number="030090000123", address="Thôn Đông, xã Gia Tân", phone="0912000111"
    )


@pytest.fixture
def papers(procedure) -> list[ComponentInput]:  # type: ignore[no-untyped-def]
    form = Component.objects.get(procedure=procedure, position=1)
    return [
        ComponentInput(name=form.name, catalog_component=form, copy_type=CopyType.ORIGINAL, is_digitized=True)
    ]


@pytest.fixture
def clock() -> Iterator[time_machine.Traveller]:
    """Frozen time, starting Monday 4/3/2024 08:00 local; ``clock.move_to(...)`` / ``clock.shift(...)``."""
    traveller = time_machine.travel(MONDAY_8, tick=False)
    coordinates = traveller.start()
    yield coordinates
    traveller.stop()


@pytest.fixture
def counter_dossier(clock, receiver, procedure, units, person, papers):  # type: ignore[no-untyped-def]
    """A direct dossier received at the commune counter on Monday 4/3/2024 08:00 (due Thursday 08:00)."""
    from motcua.dossiers import services

    return services.receive_at_counter(
        by=receiver, procedure=procedure, receiving_unit=units.commune, applicant=person, components=papers
    )
