"""Fixtures for the officer's dossier pages: the personas and the small province of the dossier tests
(``motcua/dossiers/tests/conftest.py``, imported, not copied), and signing an officer in to a unit."""

import pytest
from django.test import Client

from motcua.accounts.middleware import LAST_SEEN_KEY
from motcua.accounts.models import User
from motcua.conftest import login_with_otp
from motcua.dossiers.tests.conftest import (  # noqa: F401  (fixtures)
    MONDAY_8,
    Province,
    applicant,
    clock,
    counter_dossier,
    district_specialist,
    leader,
    other_applicant,
    papers,
    person,
    procedure,
    receiver,
    receiver_elsewhere,
    specialist,
    units,
)
from motcua.office.auth import UNIT_SESSION_KEY
from motcua.organizations.models import Unit


def sign_in(client: Client, user: User, unit: Unit | None = None) -> Client:
    """Sign ``user`` in with a second factor and choose ``unit`` (their only unit by default)."""
    login_with_otp(client, user)
    if unit is None:
        unit = Unit.objects.filter(memberships__user=user).order_by("code").first()
    session = client.session
    # tests move the clock by days: start a fresh idle period at each sign-in
    session.pop(LAST_SEEN_KEY, None)
    if unit is not None:
        session[UNIT_SESSION_KEY] = unit.pk
    session.save()
    return client


@pytest.fixture
def as_officer(client: Client):  # type: ignore[no-untyped-def]
    """``as_officer(user)`` signs ``user`` in on the test client and returns it."""

    def _sign_in(user: User, unit: Unit | None = None) -> Client:
        return sign_in(client, user, unit)

    return _sign_in


def management(prefix: str, total: int = 3) -> dict[str, str]:
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "30",
    }


def intake_data(for_procedure, key: str = "0" * 32, **changes: object) -> dict[str, object]:  # type: ignore[no-untyped-def]
    """A complete counter intake form for the procedure: every paper handed in, nothing else typed."""
    data: dict[str, object] = {
        "procedure": for_procedure.code,
        "idempotency_key": key,
        "channel": "1",
        "applicant_name": "Nguyễn Văn An",
        "applicant_id_number": "030090000123",
        "address": "Thôn Đông, xã Gia Tân",
        "phone": "0912000111",
        "email": "",
        "owner_name": "",
        "owner_id_number": "",
        "result_delivery": "counter",
        "responsible_unit": "",
        "reasons": "",
        "outcome": "receive",
        **management("m"),
    }
    for component in for_procedure.components.all():
        prefix = f"c{component.pk}"
        data[f"{prefix}-component_id"] = str(component.pk)
        data[f"{prefix}-is_provided"] = "on"
        data[f"{prefix}-copy_type"] = component.copy_type
        data[f"{prefix}-count"] = "1"
    data.update(changes)
    return data


@pytest.fixture(autouse=True)
def _empty_cache() -> None:
    """The intake de-duplication keys live in the cache, which outlives each test's database."""
    from django.core.cache import cache

    cache.clear()
