"""Fixtures for copy certification: the small province of the dossier tests (imported, not copied),
a justice officer and the chair of the commune, and scanned originals made with pikepdf."""

import io

import pikepdf
import pytest
from django.core.files.base import ContentFile

from motcua.accounts.models import User
from motcua.certification.models import Certification
from motcua.dossiers.tests.conftest import (  # noqa: F401  (fixtures)
    MONDAY_8,
    Province,
    clock,
    leader,
    local,
    officer,
    receiver,
    units,
)
from motcua.organizations.models import Role


def scan_pdf(pages: int) -> bytes:
    """A scanned original of ``pages`` blank A4 pages."""
    out = io.BytesIO()
    with pikepdf.new() as pdf:
        for _ in range(pages):
            pdf.add_blank_page(page_size=(595, 842))
        pdf.save(out)
    return out.getvalue()


def scan_file(pages: int, name: str = "ban-chinh.pdf") -> ContentFile[bytes]:
    return ContentFile(scan_pdf(pages), name=name)


def paid(certification: Certification, by: User) -> Certification:
    """The fee of ``certification`` taken in cash at the counter by ``by`` (a copy is not signed unpaid)."""
    from motcua.certification.fees import record_fee_payment

    record_fee_payment(certification_id=certification.pk, by=by)
    certification.refresh_from_db()
    return certification


@pytest.fixture
def justice_officer(units: Province) -> User:  # noqa: F811 (the imported fixture)
    return officer(units.commune, Role.JUSTICE_OFFICER, "Trần Thị Mai (tư pháp - hộ tịch)")


@pytest.fixture
def other_leader(units: Province) -> User:  # noqa: F811 (the imported fixture)
    return officer(units.other_commune, Role.LEADER, "Lê Văn Bình (chủ tịch xã khác)")
