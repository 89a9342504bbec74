"""The personas, the small province and the officer sign-in of the office tests (imported, not copied)."""

import pytest

from motcua.office.tests.conftest import (  # noqa: F401  (fixtures)
    _empty_cache,
    applicant,
    clock,
    counter_dossier,
    other_applicant,
    papers,
    person,
    procedure,
    receiver,
    receiver_elsewhere,
    units,
)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path / "media"
