"""Supplementation online: the applicant sees exactly what the officer listed as missing and answers
in the same dossier, which goes back to the reception queue (new 8-hour clock)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from motcua.dossiers import services
from motcua.dossiers.models import Dossier
from motcua.dossiers.queries import reception_queue
from motcua.dossiers.services import ApplicantInput, ComponentInput, MissingItem
from motcua.dossiers.workflow import EventKind, Status
from motcua.portal.submission.tests.helpers import components, pdf_upload

pytestmark = pytest.mark.django_db

ITEMS = [
    MissingItem("Giấy chứng sinh", "Bản chụp bị mờ, không đọc được số"),
    MissingItem("Văn bản ủy quyền", "Người nộp không phải cha, mẹ của trẻ"),
]


@pytest.fixture
def sent_back(clock, applicant, procedure, units, receiver) -> Dossier:  # type: ignore[no-untyped-def]
    """An online dossier of the applicant, sent back before reception with two missing items."""
    required, _optional = components(procedure)
    dossier = services.submit_online(
        by=applicant,
        procedure=procedure,
        receiving_unit=units.commune,
        applicant=ApplicantInput(name="Nguyễn Văn An", id_number="030090000123", user=applicant),
        components=[ComponentInput(name=required.name, catalog_component=required)],
        idempotency_key="portal-test-supplement",
    )
    return services.return_for_supplement_online(dossier_id=dossier.pk, by=receiver, items=ITEMS)


def url(dossier: Dossier) -> str:
    return reverse("portal:supplement", args=[dossier.code])


def test_the_applicant_sees_exactly_what_is_missing(citizen, sent_back):
    page = citizen.get(url(sent_back)).content.decode()
    for item in ITEMS:
        assert item.name in page and item.reason in page
    assert 'name="item_0"' in page and 'name="item_1"' in page


def test_the_answer_goes_into_the_same_dossier_and_back_to_the_queue(citizen, sent_back, units, applicant):
    # when
    data = {
        "expected_version": sent_back.version,
        "item_0": pdf_upload("giay-chung-sinh-ro.pdf"),
        "note": "Đã chụp lại giấy chứng sinh; giấy ủy quyền sẽ mang bản chính khi nhận kết quả.",
    }
    response = citizen.post(url(sent_back), data)
    # then
    assert response.status_code == 302
    dossier = Dossier.objects.get()
    assert dossier.pk == sent_back.pk
    assert dossier.status == Status.SUBMITTED
    assert dossier.version == sent_back.version + 1
    assert dossier in reception_queue(units.commune)
    added = dossier.components.order_by("-position").first()
    assert added.name == "Giấy chứng sinh"
    assert added.catalog_component is not None  # linked to the catalog paper of that name
    assert added.file.name.endswith(".pdf") and "chung-sinh" not in added.file.name
    event = dossier.events.order_by("-id").first()
    assert event.kind == EventKind.SUPPLEMENT_COMPLETED and event.actor == applicant
    assert event.data["note"].startswith("Đã chụp lại")
    page = citizen.get(response.url).content.decode()
    assert "Đã gửi bổ sung" in page
    assert "không chờ bổ sung" in page


def test_an_empty_answer_or_a_hostile_file_is_refused_and_nothing_changes(citizen, sent_back):
    response = citizen.post(url(sent_back), {"expected_version": sent_back.version, "note": ""})
    assert response.status_code == 400
    assert "Hãy tải lên giấy tờ được yêu cầu hoặc ghi nội dung bổ sung." in response.content.decode()
    fake = SimpleUploadedFile("giay.pdf", b"<html>x</html>", content_type="application/pdf")
    response = citizen.post(url(sent_back), {"expected_version": sent_back.version, "item_0": fake})
    assert response.status_code == 400
    assert "Giấy chứng sinh: tệp «giay.pdf» không phải PDF" in response.content.decode()
    assert Dossier.objects.get().status == Status.INTAKE_SUPPLEMENT


def test_a_second_answer_from_a_stale_page_is_a_conflict_not_a_second_change(citizen, sent_back):
    data = {"expected_version": sent_back.version, "note": "Bổ sung lần một"}
    assert citizen.post(url(sent_back), data).status_code == 302
    response = citizen.post(url(sent_back), data)
    assert response.status_code == 400
    assert Dossier.objects.get().events.filter(kind=EventKind.SUPPLEMENT_COMPLETED).count() == 1


def test_another_applicants_dossier_answers_404(client, sent_back, other_applicant):
    client.force_login(other_applicant)
    assert client.get(url(sent_back)).status_code == 404
    assert client.post(url(sent_back), {"expected_version": 1, "note": "x"}).status_code == 404
    assert Dossier.objects.get().status == Status.INTAKE_SUPPLEMENT
