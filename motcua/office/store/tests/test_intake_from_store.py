"""Counter intake picking papers from the person's data store (NĐ 107/2021 Điều 21a): the receiver
types the ID number, looks the store up (POST, never in a URL), ticks a document instead of a scan; the
component is flagged reused / from store, linked, hashed, and the use is recorded (StoreUse + event).
Downloads of a component check its SHA-256."""

import pytest
from django.urls import reverse

from motcua.documents.models import StoredDocument, StoredKind, StoreUse
from motcua.documents.store import put_document
from motcua.documents.tests.samples import pdf_bytes
from motcua.dossiers.models import Dossier, DossierEvent
from motcua.dossiers.workflow import EventKind
from motcua.office.tests.conftest import intake_data, sign_in

pytestmark = pytest.mark.django_db

ID = "030090000123"  # the applicant typed by ``intake_data``
OTHER = "030190000456"


@pytest.fixture
def counter(client, clock, receiver, procedure):  # type: ignore[no-untyped-def]
    return sign_in(client, receiver)


def put(owner: str, component, pages: int = 1) -> StoredDocument:  # type: ignore[no-untyped-def]
    return put_document(
        owner_id_number=owner,
        kind=StoredKind.COMPONENT,
        title=component.name,
        content=pdf_bytes(pages),
        number="TK-01",
        catalog_component=component,
        source_dossier_code="000.21.10.H56-240101-0001",
    )


def first_component(procedure):  # type: ignore[no-untyped-def]
    return procedure.components.order_by("position").first()


def test_looking_up_the_store_offers_the_persons_matching_documents(counter, procedure):
    # given
    component = first_component(procedure)
    mine = put(ID, component)
    theirs = put(OTHER, component, pages=2)
    # when
    response = counter.post(reverse("office:intake"), intake_data(procedure, outcome="lookup"))
    # then
    page = response.content.decode()
    assert response.status_code == 200
    row = dict(response.context["rows"])[component]
    offered = [value for value, _label in row.fields["store_document"].choices if value]
    assert offered == [mine.pk]
    assert theirs.pk not in offered
    assert f'name="c{component.pk}-store_document"' in page
    assert "000.21.10.H56-240101-0001" in page
    assert "Kho dữ liệu có 1 giấy tờ" in page
    assert not Dossier.objects.exists()
    assert not StoreUse.objects.exists()  # a lookup records nothing


def test_a_lookup_without_a_valid_id_number_says_so(counter, procedure):
    response = counter.post(
        reverse("office:intake"), intake_data(procedure, outcome="lookup", applicant_id_number="123")
    )
    assert response.status_code == 400
    assert "Tra cứu kho dữ liệu" in response.content.decode()


def test_a_ticked_document_becomes_the_paper_and_its_use_is_recorded(counter, procedure, receiver, units):
    # given
    component = first_component(procedure)
    document = put(ID, component)
    # when
    data = intake_data(procedure, key="2" * 32, **{f"c{component.pk}-store_document": str(document.pk)})
    response = counter.post(reverse("office:intake"), data)
    # then
    assert response.status_code == 302
    dossier = Dossier.objects.get()
    paper = dossier.components.get(catalog_component=component)
    assert paper.is_reused and paper.is_from_store and paper.store_document == document
    assert paper.file_sha256 == document.sha256
    assert paper.file.name != document.file.name
    use = StoreUse.objects.get()
    assert (use.used_by, use.unit, use.dossier_code) == (receiver, units.commune, dossier.code)
    assert DossierEvent.objects.filter(dossier=dossier, kind=EventKind.TAKEN_FROM_STORE).count() == 1
    detail = counter.get(response.url).content.decode()
    assert f"{component.name}: dùng «{document.title}» trong kho dữ liệu" in detail


def test_another_persons_document_cannot_be_posted(counter, procedure):
    component = first_component(procedure)
    theirs = put(OTHER, component)
    data = intake_data(procedure, key="3" * 32, **{f"c{component.pk}-store_document": str(theirs.pk)})
    response = counter.post(reverse("office:intake"), data)
    assert response.status_code == 400
    assert not Dossier.objects.exists()
    assert not StoreUse.objects.exists()


def test_a_scan_and_a_stored_document_for_one_paper_are_refused(counter, procedure):
    from django.core.files.uploadedfile import SimpleUploadedFile

    component = first_component(procedure)
    document = put(ID, component)
    scan = SimpleUploadedFile("to khai.pdf", pdf_bytes(3), content_type="application/pdf")
    data = intake_data(
        procedure,
        key="4" * 32,
        **{f"c{component.pk}-store_document": str(document.pk), f"c{component.pk}-scan": scan},
    )
    response = counter.post(reverse("office:intake"), data)
    assert response.status_code == 400
    assert "Chỉ chọn một" in response.content.decode()
    assert not Dossier.objects.exists()


def test_a_tampered_stored_document_is_not_used(counter, procedure):
    component = first_component(procedure)
    document = put(ID, component)
    with open(document.file.path, "ab") as handle:
        handle.write(b"\n% changed\n")
    data = intake_data(procedure, key="5" * 32, **{f"c{component.pk}-store_document": str(document.pk)})
    response = counter.post(reverse("office:intake"), data)
    assert response.status_code == 400
    assert "đã bị thay đổi" in response.content.decode()
    assert not Dossier.objects.exists()


def test_a_component_file_changed_on_disk_is_refused_on_download(counter, procedure):
    component = first_component(procedure)
    document = put(ID, component)
    data = intake_data(procedure, key="6" * 32, **{f"c{component.pk}-store_document": str(document.pk)})
    counter.post(reverse("office:intake"), data)
    dossier = Dossier.objects.get()
    paper = dossier.components.get(catalog_component=component)
    url = reverse("office:dossier_component_file", args=[dossier.code, paper.pk])
    assert counter.get(url).status_code == 200
    with open(paper.file.path, "ab") as handle:
        handle.write(b"\n% changed\n")
    assert counter.get(url).status_code == 409
