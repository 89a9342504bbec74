"""Dossiers and the applicant's data store (``services.data_store``): the returned result and the
digitized papers enter the owner's store; a paper taken from the store is flagged, its use recorded
(StoreUse + TAKEN_FROM_STORE event) and counted in the interchange export (NĐ 107/2021 Điều 21a,
NĐ 45/2020 Điều 16, TT 01/2023/TT-VPCP)."""

import csv
import datetime as dt
import io

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.utils import timezone

from motcua.core.integrity import sha256_bytes
from motcua.documents.models import StoredDocument, StoredKind, StoreUse
from motcua.documents.store import put_document
from motcua.documents.tests.samples import pdf_bytes
from motcua.dossiers import services
from motcua.dossiers.interchange import export_dossiers
from motcua.dossiers.models import DossierComponent, DossierEvent
from motcua.dossiers.services import ActionRefused, ApplicantInput, ComponentInput, data_store
from motcua.dossiers.tests.factories import DossierFactory
from motcua.dossiers.workflow import EventKind

pytestmark = pytest.mark.django_db

OWNER = "030090000123"  # the ``applicant`` persona and the ``person`` of the counter tests


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def processed(clock, procedure, units, receiver):  # type: ignore[no-untyped-def]
    """A processed dossier of the commune, owner 030090000123, with a signed electronic result and one
    digitized paper (and one paper that was not digitized)."""
    dossier = DossierFactory(
        processed=True,
        procedure=procedure,
        receiving_unit=units.commune,
        responsible_unit=units.commune,
        applicant_id_number=OWNER,
        result_number="15/GKS",
        result_date=dt.date(2024, 3, 4),
        result_signed_at=timezone.now(),
        is_result_electronic=True,
    )
    dossier.result_file.save("ket-qua.pdf", ContentFile(pdf_bytes(1)), save=True)
    form = procedure.components.get(position=1)
    paper = DossierComponent(dossier=dossier, catalog_component=form, name=form.name, is_digitized=True)
    paper.file.save("to-khai.pdf", ContentFile(pdf_bytes(2)), save=True)
    plain = DossierComponent(dossier=dossier, name="Giấy tờ khác", position=2)
    plain.file.save("khac.pdf", ContentFile(pdf_bytes(3)), save=True)
    return dossier


def test_returning_the_result_puts_the_result_and_the_digitized_papers_into_the_owners_store(
    processed, receiver, units
):
    # when
    services.return_result(dossier_id=processed.pk, by=receiver)
    # then
    result = StoredDocument.objects.get(kind=StoredKind.RESULT)
    assert result.owner_id_number == OWNER
    assert result.title == (processed.procedure.result or processed.procedure.name)
    assert (result.number, result.issuer, result.issued_on) == (
        "15/GKS",
        units.commune.name,
        dt.date(2024, 3, 4),
    )
    assert result.result_code == processed.procedure.code
    assert result.is_signed
    assert result.source_dossier_code == processed.code
    assert result.sha256 == sha256_bytes(processed.result_file.open("rb").read())
    paper = StoredDocument.objects.get(kind=StoredKind.COMPONENT)
    assert paper.catalog_component == processed.procedure.components.get(position=1)
    assert StoredDocument.objects.count() == 2  # the paper that was not digitized stays out


def test_storing_twice_keeps_one_document_each(processed, receiver):
    services.return_result(dossier_id=processed.pk, by=receiver)
    processed.refresh_from_db()
    data_store.store_result(processed, by=receiver)
    data_store.store_digitized_components(processed, by=receiver)
    assert StoredDocument.objects.count() == 2


def test_a_dossier_without_an_id_number_stores_nothing(processed, receiver):
    processed.applicant_id_number = ""
    processed.save(update_fields=["applicant_id_number"])
    services.return_result(dossier_id=processed.pk, by=receiver)
    assert not StoredDocument.objects.exists()


def test_digitized_papers_of_a_dossier_not_returned_stay_out(processed, receiver):
    assert data_store.store_digitized_components(processed, by=receiver) == []
    assert not StoredDocument.objects.exists()


def stored(owner: str = OWNER) -> StoredDocument:
    return put_document(
        owner_id_number=owner,
        kind=StoredKind.RESULT,
        title="Giấy khai sinh",
        content=pdf_bytes(4),
        source_dossier_code="OLD-1",
    )


def test_a_paper_taken_from_the_store_is_flagged_recorded_and_exported(clock, procedure, units, applicant):
    # given: the applicant's store holds an earlier result
    document = stored()
    form = procedure.components.get(position=1)
    # when: an online dossier reuses it
    dossier = services.submit_online(
        by=applicant,
        procedure=procedure,
        receiving_unit=units.commune,
        applicant=ApplicantInput(name=applicant.full_name, id_number=OWNER),
        components=[
            ComponentInput(
                name=form.name,
                catalog_component=form,
                file=ContentFile(document.file.open("rb").read(), name="x.pdf"),
                store_document=document,
            )
        ],
        idempotency_key="k" * 32,
    )
    # then: the component is flagged, hashed and linked
    component = dossier.components.get()
    assert component.is_reused and component.is_from_store
    assert component.store_document == document
    assert component.file_sha256 == document.sha256
    # the use is recorded: who, which unit, which dossier
    use = StoreUse.objects.get()
    assert (use.document, use.used_by, use.unit, use.dossier_code) == (
        document,
        applicant,
        units.commune,
        dossier.code,
    )
    event = DossierEvent.objects.get(dossier=dossier, kind=EventKind.TAKEN_FROM_STORE)
    assert event.data["document_id"] == document.pk
    # and the interchange export counts the reuse
    dossiers_out, events_out = io.StringIO(), io.StringIO()
    export_dossiers(dossiers_out, events_out)
    row = next(csv.DictReader(io.StringIO(dossiers_out.getvalue())))
    assert (row["components_reused"], row["components_from_store"]) == ("1", "1")


def test_the_export_command_shows_the_reuse_counts(clock, procedure, units, receiver, person, tmp_path):
    # given: a counter dossier with one paper taken from the owner's store
    document = stored()
    form = procedure.components.get(position=1)
    services.receive_at_counter(
        by=receiver,
        procedure=procedure,
        receiving_unit=units.commune,
        applicant=person,
        components=[
            ComponentInput(
                name=form.name,
                catalog_component=form,
                file=ContentFile(document.file.open("rb").read(), name="x.pdf"),
                store_document=document,
            ),
            ComponentInput(name="Giấy chứng sinh", file=ContentFile(pdf_bytes(5), name="y.pdf")),
        ],
    )
    # when
    call_command(
        "export-dossiers",
        unit=units.commune.code,
        date_from=dt.date(2024, 3, 1),
        date_to=dt.date(2024, 3, 31),
        out=str(tmp_path / "out"),
        stdout=io.StringIO(),
    )
    # then
    with open(tmp_path / "out" / "dossiers.csv", encoding="utf-8") as handle:
        row = next(csv.DictReader(handle))
    assert (row["components_total"], row["components_reused"], row["components_from_store"]) == (
        "2",
        "1",
        "1",
    )
    assert StoreUse.objects.get().used_by == receiver


def test_another_persons_document_is_refused_at_the_counter(clock, procedure, units, receiver, person):
    document = stored("030190000456")
    form = procedure.components.get(position=1)
    with pytest.raises(ActionRefused, match="không thuộc chủ hồ sơ"):
        services.receive_at_counter(
            by=receiver,
            procedure=procedure,
            receiving_unit=units.commune,
            applicant=person,
            components=[
                ComponentInput(
                    name=form.name,
                    catalog_component=form,
                    file=ContentFile(pdf_bytes(), name="x.pdf"),
                    store_document=document,
                )
            ],
        )
    assert not StoreUse.objects.exists()
    assert not DossierComponent.objects.exists()
