"""Officers of the dossier tests' small province and a dossier waiting for its fee at their counter."""

import pytest

from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.conftest import (  # noqa: F401  (fixtures)
    Province,
    applicant,
    procedure,
    receiver,
    receiver_elsewhere,
    specialist,
    units,
)
from motcua.dossiers.tests.factories import DossierFactory
from motcua.dossiers.workflow import Status
from motcua.office.tests.conftest import as_officer  # noqa: F401  (fixture)

FEE = 50_000


@pytest.fixture
def awaiting(units: Province, applicant, procedure) -> Dossier:  # type: ignore[no-untyped-def]  # noqa: F811
    return DossierFactory(
        code="000.21.10.H56-240304-0002",
        procedure=procedure,
        receiving_unit=units.commune,
        status=Status.AWAITING_PAYMENT,
        fee_vnd=FEE,
        applicant_user=applicant,
        applicant_name="Nguyễn Văn An",
    )
