"""The counter's "Hỗ trợ nộp trực tuyến" pages and the applicant's confirmation on the portal: prepared
at the counter, confirmed from the applicant's own account, received from the online queue."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from motcua.catalog.models import OnlineLevel
from motcua.catalog.tests.factories import ProcedureFactory
from motcua.documents.tests.samples import pdf_bytes
from motcua.dossiers.models import Dossier, DossierDraft
from motcua.dossiers.workflow import Channel, Status
from motcua.notifications.models import Message
from motcua.office.tests.conftest import sign_in

pytestmark = pytest.mark.django_db

KEY = "c" * 32


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def counter(client, clock, receiver):  # type: ignore[no-untyped-def]
    return sign_in(client, receiver)


@pytest.fixture
def citizen(clock, applicant) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(applicant)
    return client


def form(procedure, id_number: str = "030090000123", **changes: object) -> dict[str, object]:  # type: ignore[no-untyped-def]
    required = procedure.components.order_by("position").first()
    data: dict[str, object] = {
        "procedure": procedure.code,
        "idempotency_key": KEY,
        "applicant_id_number": id_number,
        "owner_name": "",
        "owner_id_number": "",
        "address": "Thôn Đông, xã Gia Tân",
        "phone": "",
        "email": "",
        "result_delivery": "online",
        f"c{required.pk}-scan": SimpleUploadedFile(
            "to khai.pdf", pdf_bytes(), content_type="application/pdf"
        ),
    }
    data.update(changes)
    return data


def test_the_intake_page_links_to_it_and_the_picker_offers_online_procedures_only(counter, procedure):
    assert reverse("office:assisted") in counter.get(reverse("office:intake")).content.decode()
    ProcedureFactory(
        published=True, name="Chứng thực bản sao", online_level=OnlineLevel.NONE, level="commune"
    )
    page = counter.get(reverse("office:assisted")).content.decode()
    assert "Đăng ký khai sinh" in page
    assert "Chứng thực bản sao" not in page
    page = counter.get(reverse("office:assisted"), {"thu_tuc": procedure.code}).content.decode()
    assert "Tờ khai đăng ký khai sinh" in page and 'name="applicant_id_number"' in page


def test_prepared_at_the_counter_then_confirmed_by_the_applicant(
    counter, citizen, procedure, units, receiver, applicant, django_capture_on_commit_callbacks
):
    # given: the counter prepares the dossier in the applicant's account
    response = counter.post(reverse("office:assisted"), form(procedure))
    draft = DossierDraft.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("office:assisted_done", args=[draft.pk])
    assert "030090000123" not in response.url
    done = counter.get(response.url).content.decode()
    assert "Hồ sơ lưu nháp" in done and "Nộp hồ sơ" in done  # what to tell the applicant
    assert "CHƯA được nộp" in done
    assert "Nguyễn Văn An" in counter.get(reverse("office:assisted")).content.decode()  # waiting list
    assert Message.objects.filter(template="draft_prepared", user=applicant).exists()
    # the applicant sees it with the banner, in the list and in the form
    banner = "Chuẩn bị bởi Bộ phận Một cửa UBND xã Gia Tân lúc 08:00 04/03/2024"
    assert banner in citizen.get(reverse("portal:draft_list")).content.decode()
    page = citizen.get(reverse("portal:draft_edit", args=[draft.pk])).content.decode()
    assert banner in page and "Thôn Đông, xã Gia Tân" in page and "Đã tải lên: to khai.pdf" in page
    # when: the applicant presses "Nộp hồ sơ"
    submit = {
        "idempotency_key": KEY,
        "receiving_unit": str(units.commune.pk),
        "owner_name": "",
        "owner_id_number": "",
        "address": "Thôn Đông, xã Gia Tân",
        "phone": "0912000111",
        "email": "",
        "result_delivery": "online",
        "action": "submit",
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = citizen.post(reverse("portal:draft_edit", args=[draft.pk]), submit)
    # then: an online dossier from the own account, assisted, waiting in the counter's online queue
    dossier = Dossier.objects.get()
    assert response.url == reverse("portal:submission_done", args=[dossier.code])
    assert (dossier.channel, dossier.status, dossier.is_own_account) == (
        Channel.ONLINE,
        Status.SUBMITTED,
        True,
    )
    assert dossier.applicant_user == applicant
    assisted = dossier.events.order_by("id").first().data["assisted_by"]
    assert (assisted["unit_id"], assisted["officer_id"]) == (units.commune.pk, receiver.pk)
    assert dossier.code in counter.get(reverse("office:online_queue")).content.decode()
    assert not DossierDraft.objects.exists()
    assert "Nguyễn Văn An" not in counter.get(reverse("office:assisted")).content.decode()
    assert counter.get(reverse("office:assisted_done", args=[draft.pk])).status_code == 404


def test_an_unknown_id_number_is_explained_and_the_typed_values_kept(counter, procedure):
    response = counter.post(reverse("office:assisted"), form(procedure, id_number="030190000999"))
    page = response.content.decode()
    assert response.status_code == 400
    assert "Người nộp chưa có tài khoản trên Cổng dịch vụ công; hướng dẫn đăng ký rồi chuẩn bị lại" in page
    assert 'value="030190000999"' in page and "Thôn Đông, xã Gia Tân" in page
    assert "to khai.pdf" in page  # the scan must be attached again, and the page says so
    assert not DossierDraft.objects.exists()


def test_a_malformed_id_number_names_the_field(counter, procedure):
    response = counter.post(reverse("office:assisted"), form(procedure, id_number="12345"))
    assert response.status_code == 400
    assert "Số định danh cá nhân phải gồm đúng 12 chữ số" in response.content.decode()


def test_a_specialist_is_refused_and_another_counter_sees_nothing(
    client, clock, procedure, receiver, specialist, receiver_elsewhere, applicant
):
    sign_in(client, receiver)
    client.post(reverse("office:assisted"), form(procedure))
    draft = DossierDraft.objects.get()
    sign_in(client, specialist)
    assert client.get(reverse("office:assisted")).status_code == 403
    assert (
        client.post(reverse("office:assisted"), form(procedure, idempotency_key="d" * 32)).status_code == 403
    )
    sign_in(client, receiver_elsewhere)
    assert client.get(reverse("office:assisted_done", args=[draft.pk])).status_code == 404
    assert "Nguyễn Văn An" not in client.get(reverse("office:assisted")).content.decode()
    assert DossierDraft.objects.count() == 1


def test_another_applicant_and_an_officer_cannot_see_or_submit_it(
    counter, clock, procedure, units, receiver, applicant, other_applicant
):
    counter.post(reverse("office:assisted"), form(procedure))
    draft = DossierDraft.objects.get()
    url = reverse("portal:draft_edit", args=[draft.pk])
    other = Client()
    other.force_login(other_applicant)
    assert other.get(url).status_code == 404
    assert other.post(url, {"idempotency_key": KEY, "action": "submit"}).status_code == 404
    assert other.post(reverse("portal:draft_delete", args=[draft.pk])).status_code == 404
    assert "Đăng ký khai sinh" not in other.get(reverse("portal:draft_list")).content.decode()
    # the officer's session is no applicant on the portal: sent to the portal sign-in, nothing filed
    response = counter.post(url, {"idempotency_key": KEY, "action": "submit"})
    assert response.status_code == 302 and response.url.startswith(reverse("portal:login"))
    assert DossierDraft.objects.get() == draft
    assert not Dossier.objects.exists()


def test_a_double_click_prepares_one_draft(counter, procedure, applicant):
    first = counter.post(reverse("office:assisted"), form(procedure))
    second = counter.post(reverse("office:assisted"), form(procedure))
    assert first.url == second.url
    assert DossierDraft.objects.count() == 1
