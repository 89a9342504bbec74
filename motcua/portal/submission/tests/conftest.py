"""Fixtures of the online submission tests: the personas and the small province of the dossier tests
(``motcua/dossiers/tests/conftest.py``, imported, not copied), an applicant signed in on the portal,
and uploads stored in a temporary media folder."""

import pytest
from django.test import Client

from motcua.dossiers.tests.conftest import (  # noqa: F401  (fixtures)
    applicant,
    clock,
    other_applicant,
    procedure,
    receiver,
    units,
)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def citizen(client: Client, request: pytest.FixtureRequest) -> Client:
    """The test client, signed in as ``applicant`` (with the clock frozen on a working Monday)."""
    request.getfixturevalue("clock")
    client.force_login(request.getfixturevalue("applicant"))
    return client
