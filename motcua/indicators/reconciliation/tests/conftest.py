"""The small province of the indicator tests (``world``, imported, not copied), officers of the commune
and a helper that records a register count through the service."""

import datetime as dt
from typing import Any

import pytest

from motcua.accounts.models import User
from motcua.accounts.tests.factories import UserFactory
from motcua.catalog.models import Field
from motcua.catalog.tests.factories import FieldFactory
from motcua.indicators.reconciliation.models import RegisterCount, RegisterKind
from motcua.indicators.reconciliation.services import record_register_count
from motcua.indicators.tests.builders import AUGUST, World
from motcua.indicators.tests.conftest import world
from motcua.organizations.models import Membership, Role, Unit

__all__ = ["world"]


def member(unit: Unit, role: Role, name: str = "") -> User:
    user = UserFactory(officer=True, **({"full_name": name} if name else {}))
    Membership.objects.create(user=user, unit=unit, role=role)
    return user


@pytest.fixture
def receiver(world: World) -> User:
    return member(world.commune, Role.RECEIVER, "Phạm Thu Hà")


@pytest.fixture
def civil(db: None) -> Field:
    return FieldFactory(code="HT", name="Hộ tịch")


@pytest.fixture
def labour(db: None) -> Field:
    return FieldFactory(code="LD", name="Lao động - thương binh và xã hội")


def book(
    by: User,
    unit: Unit,
    received: int,
    *,
    field: Field | None = None,
    period: tuple[dt.date, dt.date] = AUGUST,
    **numbers: Any,
) -> RegisterCount:
    """An August entry of the reception book (or of ``field``'s book) recorded by the service."""
    kind = RegisterKind.FIELD if field is not None else RegisterKind.RECEPTION
    return record_register_count(
        by, unit, kind=kind, field=field, date_from=period[0], date_to=period[1], received=received, **numbers
    )
