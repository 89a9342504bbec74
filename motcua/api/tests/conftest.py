"""The dossier personas and province (motcua/dossiers/tests/conftest.py) for the API tests, and clients
signed in as each persona with a TOTP-verified session."""

from collections.abc import Callable

import pytest
from django.test import Client

from motcua.accounts.models import User
from motcua.conftest import login_with_otp
from motcua.dossiers.tests.conftest import (
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

__all__ = [
    "applicant",
    "clock",
    "counter_dossier",
    "district_specialist",
    "leader",
    "other_applicant",
    "papers",
    "person",
    "procedure",
    "receiver",
    "receiver_elsewhere",
    "specialist",
    "units",
]

API = "/api/v1"


@pytest.fixture
def signed_in() -> Callable[[User], Client]:
    """``signed_in(user)``: a new client with ``user`` signed in and verified with TOTP."""

    def make(user: User) -> Client:
        client = Client()
        login_with_otp(client, user)
        return client

    return make


@pytest.fixture
def as_receiver(receiver: User, signed_in: Callable[[User], Client]) -> Client:
    return signed_in(receiver)


@pytest.fixture
def as_specialist(specialist: User, signed_in: Callable[[User], Client]) -> Client:
    return signed_in(specialist)


@pytest.fixture
def as_leader(leader: User, signed_in: Callable[[User], Client]) -> Client:
    return signed_in(leader)
