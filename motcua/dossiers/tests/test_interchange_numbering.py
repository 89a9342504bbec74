"""Imported dossier codes advance the live numbering: a later reception at the same agency on the same
local day continues after them, and the numbering audit stays clean."""

import io

import pytest
from django.db import transaction

from motcua.catalog.tests.factories import ProcedureFactory
from motcua.core.numbering import audit, dossier_code, dossier_scope
from motcua.dossiers.interchange import DOSSIER_COLUMNS, EVENT_COLUMNS, import_dossier_files
from motcua.organizations.models import Level
from motcua.organizations.tests.factories import UnitFactory

from .conftest import local

pytestmark = pytest.mark.django_db

AGENCY = "000.00.12.H23"
HEADER = ",".join(DOSSIER_COLUMNS) + "\r\n"
EVENTS = ",".join(EVENT_COLUMNS) + "\r\n"


@pytest.fixture
def catalog():  # type: ignore[no-untyped-def]
    UnitFactory(code=AGENCY, level=Level.DISTRICT)
    ProcedureFactory(code="1.001193", online=True)


def row(code: str, at: str = "2024-02-14T09:00:00+07:00") -> str:
    return f"{code},1.001193,{AGENCY},1,none,001203012345,0,0,{at},{at},,2,0,0,1,0,0,0,0,0,\r\n"


def load(*rows: str) -> None:
    import_dossier_files(io.BytesIO((HEADER + "".join(rows)).encode()), io.BytesIO(EVENTS.encode()))


def next_code(day_at: str = "2024-02-14") -> str:
    y, m, d = (int(p) for p in day_at.split("-"))
    with transaction.atomic():
        return dossier_code(agency_code=AGENCY, received_at=local(y, m, d, 10))


def test_a_reception_after_the_import_continues_the_numbering(catalog):
    # when
    load(row(f"{AGENCY}-240214-0007"))
    # then
    assert next_code() == f"{AGENCY}-240214-0008"
    report = audit(scope=dossier_scope(AGENCY), period="2024-02-14")
    assert report.is_clean, report
    assert (report.last, report.issued_count) == (8, 8)


def test_several_days_and_a_counter_already_further_is_not_lowered(catalog):
    # given: the live counter handed out 9 numbers on 14/2
    for _ in range(9):
        next_code()
    # when: the import brings 0003 of 14/2 (a number issued here too) and 0002, 0005 of 15/2
    load(
        row(f"{AGENCY}-240215-0002", "2024-02-15T09:00:00+07:00"),
        row(f"{AGENCY}-240214-0003"),
        row(f"{AGENCY}-240215-0005", "2024-02-15T10:00:00+07:00"),
    )
    # then
    assert next_code() == f"{AGENCY}-240214-0010"
    assert next_code("2024-02-15") == f"{AGENCY}-240215-0006"
    for period in ("2024-02-14", "2024-02-15"):
        assert audit(scope=dossier_scope(AGENCY), period=period).is_clean


def test_importing_the_same_file_again_changes_nothing(catalog):
    load(row(f"{AGENCY}-240214-0007"))
    load(row(f"{AGENCY}-240214-0007"))
    report = audit(scope=dossier_scope(AGENCY), period="2024-02-14")
    assert report.is_clean and report.last == 7
