"""Drafts (saved, resumed, listed, deleted, expiring; only their owner sees them) and reuse of the
applicant's own earlier papers and results from their data store."""

import datetime as dt

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse

from motcua.documents.models import StoredDocument, StoredKind
from motcua.documents.tests.samples import pdf_bytes
from motcua.dossiers import services
from motcua.dossiers.models import Dossier, DossierComponent, DossierDraft
from motcua.dossiers.queries import reusable_documents_for
from motcua.dossiers.services import data_store
from motcua.dossiers.tests.factories import DossierFactory
from motcua.portal.submission.tests.helpers import components, form_data, jpeg_upload, pdf_upload

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _identity_proven(applicant, other_applicant):  # type: ignore[no-untyped-def]
    """The data store opens only to accounts whose ID number the national identity provider vouched
    for (``queries.store_owner_of``)."""
    from django.utils import timezone

    for user in (applicant, other_applicant):
        user.identity_verified_at = timezone.now()
        user.save(update_fields=["identity_verified_at"])


def start_url(procedure) -> str:  # type: ignore[no-untyped-def]
    return reverse("portal:submission_start", args=[procedure.code])


def save_draft(citizen, procedure, units, **changes):  # type: ignore[no-untyped-def]
    required, _optional = components(procedure)
    data = form_data(
        procedure,
        units,
        action="save",
        address="Xóm Bắc, thôn Đông",
        result_delivery="counter",
        **{f"c{required.pk}-file": pdf_upload("to khai nhap.pdf")},
    )
    data.update(changes)
    response = citizen.post(start_url(procedure), data)
    assert response.status_code == 302
    return DossierDraft.objects.get(), response


def test_a_draft_is_saved_and_resumed_with_what_was_typed_and_uploaded(
    citizen, procedure, units, applicant, django_capture_on_commit_callbacks
):
    # given
    draft, response = save_draft(citizen, procedure, units)
    # then
    assert response.url == reverse("portal:draft_edit", args=[draft.pk])
    assert draft.owner == applicant
    assert draft.data["address"] == "Xóm Bắc, thôn Đông"
    required, _optional = components(procedure)
    stored = draft.files[str(required.pk)]
    assert stored["name"] == "to khai nhap.pdf"
    assert default_storage.exists(stored["path"])
    assert "to khai" not in stored["path"]
    assert draft.expires_at == draft.updated_at + dt.timedelta(days=30)
    # resumed: typed values, the file, the same key
    page = citizen.get(response.url).content.decode()
    assert "Xóm Bắc, thôn Đông" in page
    assert "Đã tải lên: to khai nhap.pdf" in page
    assert f'value="{draft.idempotency_key}"' in page
    assert 'value="counter" class="form-check-input" id="id_result_delivery_1" checked' in page or (
        'value="counter"' in page and "checked" in page
    )
    # listed
    listing = citizen.get(reverse("portal:draft_list")).content.decode()
    assert procedure.name in listing and reverse("portal:draft_edit", args=[draft.pk]) in listing
    # and submitted from the draft
    with django_capture_on_commit_callbacks(execute=True):
        response = citizen.post(response.url, form_data(procedure, units, key=draft.idempotency_key))
    dossier = Dossier.objects.get()
    assert response.url == reverse("portal:submission_done", args=[dossier.code])
    assert dossier.result_delivery == "online"
    assert dossier.components.get().file.name.endswith(".pdf")
    assert not DossierDraft.objects.exists()
    assert not default_storage.exists(stored["path"])  # the draft's copy is gone after commit


def test_saving_again_replaces_a_file_and_keeps_one_draft(
    citizen, procedure, units, django_capture_on_commit_callbacks
):
    draft, response = save_draft(citizen, procedure, units)
    required, optional = components(procedure)
    old_path = draft.files[str(required.pk)]["path"]
    data = form_data(
        procedure,
        units,
        action="save",
        key=draft.idempotency_key,
        **{f"c{required.pk}-file": pdf_upload("moi.pdf"), f"c{optional.pk}-file": jpeg_upload()},
    )
    with django_capture_on_commit_callbacks(execute=True):
        citizen.post(response.url, data)
    draft.refresh_from_db()
    assert DossierDraft.objects.count() == 1
    assert draft.files[str(required.pk)]["name"] == "moi.pdf"
    assert draft.files[str(optional.pk)]["type"] == "jpg"
    assert not default_storage.exists(old_path)
    # removing a file
    citizen.post(response.url, form_data(procedure, units, action="save", **{f"c{optional.pk}-remove": "on"}))
    draft.refresh_from_db()
    assert set(draft.files) == {str(required.pk)}


def test_the_owner_deletes_a_draft_and_its_files(
    citizen, procedure, units, django_capture_on_commit_callbacks
):
    draft, _response = save_draft(citizen, procedure, units)
    path = next(iter(draft.files.values()))["path"]
    with django_capture_on_commit_callbacks(execute=True):
        response = citizen.post(reverse("portal:draft_delete", args=[draft.pk]))
    assert response.status_code == 302
    assert not DossierDraft.objects.exists()
    assert not default_storage.exists(path)
    assert citizen.get(reverse("portal:draft_delete", args=[draft.pk])).status_code == 405


def test_another_applicants_draft_and_dossier_answer_404(citizen, client, procedure, units, other_applicant):
    # given the applicant's draft and filed dossier
    draft, _response = save_draft(citizen, procedure, units)
    required, _optional = components(procedure)
    citizen.post(
        start_url(procedure),
        form_data(procedure, units, key="b" * 32, **{f"c{required.pk}-file": pdf_upload()}),
    )
    dossier = Dossier.objects.get()
    # when another applicant tries them
    client.force_login(other_applicant)
    edit = reverse("portal:draft_edit", args=[draft.pk])
    assert client.get(edit).status_code == 404
    assert client.post(edit, form_data(procedure, units, key=draft.idempotency_key)).status_code == 404
    assert client.post(reverse("portal:draft_delete", args=[draft.pk])).status_code == 404
    assert client.get(reverse("portal:submission_done", args=[dossier.code])).status_code == 404
    assert client.get(reverse("portal:supplement", args=[dossier.code])).status_code == 404
    assert procedure.name not in client.get(reverse("portal:draft_list")).content.decode()
    # replaying the other applicant's form key files a dossier of their own, never returns the first one
    response = client.post(start_url(procedure), form_data(procedure, units, key="b" * 32))
    assert response.status_code == 400
    assert Dossier.objects.count() == 1
    # then nothing changed
    assert DossierDraft.objects.filter(pk=draft.pk).exists()
    assert client.get(reverse("portal:draft_edit", args=["khong-phai-uuid"])).status_code == 404


def test_an_expired_draft_cannot_be_resumed_and_is_purged(
    citizen, procedure, units, clock, applicant, django_capture_on_commit_callbacks
):
    draft, response = save_draft(citizen, procedure, units)
    path = next(iter(draft.files.values()))["path"]
    clock.shift(dt.timedelta(days=31))
    citizen.force_login(applicant)  # a month later: a new session
    assert citizen.get(response.url).status_code == 404
    assert procedure.name not in citizen.get(reverse("portal:draft_list")).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.purge_expired_drafts() == 1
    assert not DossierDraft.objects.exists()
    assert not default_storage.exists(path)


# --- reuse from the applicant's data store ------------------------------------------------------------


@pytest.fixture
def finished_dossier(applicant, procedure, units):  # type: ignore[no-untyped-def]
    """A returned dossier of the applicant with its electronic result and a digitized paper, both put
    into the applicant's data store as the return of the result does (``services.data_store``)."""
    required, _optional = components(procedure)
    dossier = DossierFactory(
        returned=True,
        procedure=procedure,
        receiving_unit=units.commune,
        applicant_user=applicant,
        applicant_id_number=applicant.national_id,
        result_date=dt.date(2024, 2, 1),
    )
    dossier.result_file.save("ket-qua.pdf", ContentFile(pdf_bytes()), save=True)
    paper = DossierComponent(
        dossier=dossier, catalog_component=required, name=required.name, is_digitized=True
    )
    paper.file.save("to-khai-cu.pdf", ContentFile(pdf_bytes(pages=2)), save=True)
    data_store.store_result(dossier, by=None)
    data_store.store_digitized_components(dossier, by=None)
    return dossier


def stored_paper(dossier):  # type: ignore[no-untyped-def]
    return StoredDocument.objects.get(source_dossier_code=dossier.code, kind=StoredKind.COMPONENT)


def test_the_store_lists_only_the_applicants_own_finished_papers(
    applicant, other_applicant, finished_dossier, units
):
    DossierFactory(processing=True, applicant_user=applicant).result_file.save(
        "dang-xu-ly.pdf", ContentFile(pdf_bytes()), save=True
    )
    keys = {d.key for d in reusable_documents_for(applicant)}
    stored = StoredDocument.objects.filter(source_dossier_code=finished_dossier.code)
    assert len(stored) == 2
    assert keys == {f"s{document.pk}" for document in stored}
    assert reusable_documents_for(other_applicant) == []


def test_a_paper_reused_from_the_store_is_flagged_and_copied(citizen, procedure, units, finished_dossier):
    # given
    required, _optional = components(procedure)
    paper = stored_paper(finished_dossier)
    page = citizen.get(start_url(procedure)).content.decode()
    assert f'value="s{paper.pk}"' in page
    assert finished_dossier.code in page
    # when
    response = citizen.post(
        start_url(procedure), form_data(procedure, units, **{f"c{required.pk}-reuse": f"s{paper.pk}"})
    )
    # then
    assert response.status_code == 302
    dossier = Dossier.objects.exclude(pk=finished_dossier.pk).get()
    reused = dossier.components.get()
    assert reused.is_reused and reused.is_from_store
    assert reused.store_document == paper
    assert reused.file_sha256 == paper.sha256
    use = paper.uses.get()  # the use is recorded for the owner's page
    assert (use.dossier_code, use.unit) == (dossier.code, units.commune)
    assert reused.file.name != paper.file.name
    assert reused.file.read() == paper.file.open("rb").read()
    assert "Lấy từ kho dữ liệu" in citizen.get(response.url).content.decode()


def test_another_applicants_paper_cannot_be_reused_by_guessing_its_key(
    client, procedure, units, finished_dossier, other_applicant, clock
):
    required, _optional = components(procedure)
    paper = stored_paper(finished_dossier)
    client.force_login(other_applicant)
    response = client.post(
        start_url(procedure), form_data(procedure, units, **{f"c{required.pk}-reuse": f"s{paper.pk}"})
    )
    assert response.status_code == 400
    assert Dossier.objects.count() == 1
    row = response.context["rows"][0][0]
    assert "reuse" in row.errors  # not among the choices of this applicant's store
    assert f'value="s{paper.pk}"' not in response.content.decode()
    assert finished_dossier.code not in response.content.decode()
