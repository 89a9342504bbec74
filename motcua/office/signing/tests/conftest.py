"""The personas and small province of the dossier tests, signed in on the officer's pages, with a
dossier of the commune whose PDF result is recorded and software keys for its officers."""

import pytest

from motcua.dossiers.tests.conftest import (  # noqa: F401  (fixtures)
    applicant,
    leader,
    procedure,
    receiver,
    receiver_elsewhere,
    specialist,
    units,
)
from motcua.dossiers.tests.signing_support import processing_dossier, record_pdf_result
from motcua.office.tests.conftest import as_officer  # noqa: F401  (fixture)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def dossier(units, procedure, applicant, specialist):  # type: ignore[no-untyped-def]  # noqa: F811
    return record_pdf_result(processing_dossier(units.commune, procedure, applicant), specialist)


@pytest.fixture
def keys(officer_keys, leader, specialist, receiver, receiver_elsewhere, units):  # type: ignore[no-untyped-def]  # noqa: F811
    for person in (leader, specialist, receiver):
        officer_keys.enrol(person, units.commune.name)
    officer_keys.enrol(receiver_elsewhere, units.other_commune.name)
    return officer_keys
