"""Test material for the signatures of a dossier's result and forms (used by the dossiers, office and
portal tests): a dossier of the commune being processed, its result recorded as a PDF, and the text of
a signature's visible stamp."""

import datetime as dt
import io

import pikepdf
from django.core.files.base import ContentFile
from django.utils import timezone
from pypdf import PdfReader

from motcua.accounts.models import User
from motcua.documents.tests.signing_support import sample_pdf
from motcua.dossiers import services
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.factories import DossierFactory
from motcua.dossiers.workflow import Status
from motcua.organizations.models import Unit

PHONE = "0912000111"
ID_NUMBER = "030090000123"


def processing_dossier(unit: Unit, procedure, applicant: User | None = None, **fields: object) -> Dossier:  # type: ignore[no-untyped-def]
    """A dossier of ``unit`` being processed, received just now (the test CA's certificates are valid
    from the start of the test session), with the lookup's second factors PHONE and ID_NUMBER."""
    at = timezone.now()
    fields = {"submitted_at": at, "received_at": at, "due_at": at + dt.timedelta(days=3), **fields}
    return DossierFactory(
        procedure=procedure,
        receiving_unit=unit,
        responsible_unit=unit,
        status=Status.PROCESSING,
        applicant_user=applicant,
        applicant_name="Nguyễn Văn An",
        applicant_id_number=ID_NUMBER,
        phone=PHONE,
        **fields,
    )


def record_pdf_result(
    dossier: Dossier, by: User, content: bytes | None = None, name: str = "ket-qua.pdf"
) -> Dossier:
    return services.record_result(
        dossier_id=dossier.pk,
        by=by,
        number="12/2024/KS",
        signed_on=dt.date(2024, 3, 5),
        signer="Vũ Quang Huy",
        file=ContentFile(content if content is not None else sample_pdf(), name=name),
        is_electronic=True,
    )


def stored(file) -> bytes:  # type: ignore[no-untyped-def]
    with file.open("rb") as handle:
        return bytes(handle.read())


def stamp_text(pdf: bytes) -> str:
    """The text of the visible stamps (the signature fields' appearances) of ``pdf``."""
    source = pikepdf.open(io.BytesIO(pdf))
    out = pikepdf.new()
    for page in source.pages:
        for annot in page.get("/Annots", []):
            if annot.get("/FT") != "/Sig" and annot.get("/Subtype") != "/Widget":
                continue
            appearance = annot.get("/AP", {}).get("/N")
            if appearance is None:
                continue
            blank = out.add_blank_page(page_size=(600, 200))
            blank.Resources = pikepdf.Dictionary(XObject=pikepdf.Dictionary(S=out.copy_foreign(appearance)))
            blank.Contents = out.make_stream(b"q /S Do Q")
    buffer = io.BytesIO()
    out.save(buffer)
    return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(buffer.getvalue())).pages)
