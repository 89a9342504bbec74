"""Officer downloads of a dossier's paper scans and result: scoped to the units the officer works in,
served as attachments that are never sniffed, 404 for what the officer may not see."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from motcua.dossiers.tests.factories import DossierFactory
from motcua.office.tests.conftest import sign_in

pytestmark = pytest.mark.django_db

SCAN = b"%PDF-1.4\n% to khai\n"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def scanned(counter_dossier):  # type: ignore[no-untyped-def]
    """The counter dossier with its paper scanned and a result file recorded."""
    paper = counter_dossier.components.get()
    paper.file.save("to-khai<script>.pdf", ContentFile(SCAN))
    counter_dossier.result_file.save("ket-qua.pdf", ContentFile(b"%PDF-1.4 result"), save=False)
    counter_dossier.save(update_fields=["result_file"])
    return counter_dossier


def component_url(dossier, component_id: int) -> str:  # type: ignore[no-untyped-def]
    return reverse(
        "office:dossier_component_file", kwargs={"dossier_code": dossier.code, "component_id": component_id}
    )


def result_url(dossier) -> str:  # type: ignore[no-untyped-def]
    return reverse("office:dossier_result_file", kwargs={"dossier_code": dossier.code})


def test_an_officer_of_the_unit_downloads_the_scan_as_an_attachment(client, scanned, receiver):
    sign_in(client, receiver)
    paper = scanned.components.get()

    response = client.get(component_url(scanned, paper.pk))

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == SCAN
    assert response["Content-Disposition"] == f'attachment; filename="{scanned.code}-tp01.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "application/pdf"


def test_an_officer_of_the_unit_downloads_the_result(client, scanned, receiver):
    sign_in(client, receiver)

    response = client.get(result_url(scanned))

    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="{scanned.code}-ket-qua.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"


def test_an_officer_of_another_unit_gets_404(client, scanned, receiver_elsewhere):
    sign_in(client, receiver_elsewhere)

    assert client.get(component_url(scanned, scanned.components.get().pk)).status_code == 404
    assert client.get(result_url(scanned)).status_code == 404


def test_a_paper_of_another_dossier_is_not_reachable_through_mine(client, scanned, receiver, units):
    foreign = DossierFactory(receiving_unit=units.other_commune)
    paper = foreign.components.create(name="Giấy tờ khác", position=1)
    paper.file.save("khac.pdf", ContentFile(b"%PDF-1.4 other"))
    sign_in(client, receiver)

    assert client.get(component_url(scanned, paper.pk)).status_code == 404
    assert client.get(component_url(foreign, paper.pk)).status_code == 404


def test_missing_files_answer_404(client, counter_dossier, receiver):
    sign_in(client, receiver)

    assert client.get(component_url(counter_dossier, counter_dossier.components.get().pk)).status_code == 404
    assert client.get(result_url(counter_dossier)).status_code == 404


def test_visitors_and_applicants_are_sent_to_the_officer_sign_in(client, scanned, applicant):
    url = result_url(scanned)
    assert client.get(url).url.startswith(reverse("office:login"))

    client.force_login(applicant)

    response = client.get(url)
    assert response.status_code == 302
    assert response.url.startswith(reverse("office:login"))


def test_downloads_answer_get_only(client, scanned, receiver):
    sign_in(client, receiver)

    assert client.post(result_url(scanned)).status_code == 405
