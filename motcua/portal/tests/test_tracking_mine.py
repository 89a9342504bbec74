"""The signed-in applicant's pages: "Hồ sơ của tôi", a dossier's detail, the result download,
"Kết quả của tôi" and the in-app notices. Another applicant's rows answer 404 like missing ones."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from motcua.accounts.tests.factories import UserFactory
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests import conftest as shared
from motcua.dossiers.tests.factories import DossierFactory
from motcua.dossiers.workflow import Status
from motcua.notifications.models import Message, MessageChannel

pytestmark = pytest.mark.django_db

# Fixtures shared with the dossier tests (no conftest of our own: this folder is shared).
applicant = shared.applicant
other_applicant = shared.other_applicant

MINE = reverse("portal:my_dossiers")
PDF = b"%PDF-1.4\n% ket qua\n"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path


def html(response) -> str:  # type: ignore[no-untyped-def]
    return response.content.decode()


def with_result(dossier: Dossier, name: str = "giay-khai-sinh.pdf", content: bytes = PDF) -> Dossier:
    dossier.result_file.save(name, ContentFile(content), save=False)
    dossier.result_number = "12/KS"
    dossier.save(update_fields=["result_file", "result_number"])
    return dossier


@pytest.fixture
def mine(applicant):  # type: ignore[no-untyped-def]
    return DossierFactory(applicant_user=applicant, status=Status.PROCESSING)


@pytest.fixture
def theirs(other_applicant):  # type: ignore[no-untyped-def]
    return DossierFactory(applicant_user=other_applicant, status=Status.PROCESSING)


def test_my_dossiers_lists_only_mine_with_plain_status(client, applicant, mine, theirs):
    client.force_login(applicant)

    response = client.get(MINE)

    assert response.status_code == 200
    assert [d.code for d, _s in response.context["rows"]] == [mine.code]
    assert mine.code in html(response)
    assert theirs.code not in html(response)
    assert "Đang giải quyết" in html(response)


def test_filter_by_status_group(client, applicant, mine):
    needs_papers = DossierFactory(applicant_user=applicant, status=Status.AWAITING_SUPPLEMENT)
    client.force_login(applicant)

    response = client.get(MINE, {"trang-thai": "can-bo-sung"})

    assert [d.code for d, _s in response.context["rows"]] == [needs_papers.code]
    assert client.get(MINE, {"trang-thai": "khong-co"}).context["chosen"] is None  # unknown: all


def test_the_list_is_paginated_with_a_fixed_number_of_queries(
    client, applicant, django_assert_max_num_queries
):
    DossierFactory.create_batch(21, applicant_user=applicant)
    client.force_login(applicant)

    with django_assert_max_num_queries(8):
        first = client.get(MINE)
    second = client.get(MINE, {"page": 2})

    assert len(first.context["rows"]) == 20
    assert len(second.context["rows"]) == 1


def test_id_matched_dossiers_appear_only_for_a_verified_identity(client, applicant):
    # given: a counter dossier of the same person, not filed from the account
    counter = DossierFactory(applicant_user=None, owner_id_number=applicant.national_id)
    client.force_login(applicant)
    assert counter.code not in html(client.get(MINE))  # a typed ID number proves nothing

    # when: the national identity provider vouched for the account's ID number
    applicant.identity_verified_at = timezone.now()
    applicant.save(update_fields=["identity_verified_at"])

    # then
    assert counter.code in html(client.get(MINE))
    assert client.get(reverse("portal:my_dossier", args=[counter.code])).status_code == 200


def test_detail_shows_timeline_papers_fees_and_next_step(client, applicant):
    dossier = DossierFactory(applicant_user=applicant, status=Status.AWAITING_PAYMENT, fee_vnd=50000)
    dossier.components.create(name="Tờ khai đăng ký khai sinh", position=1)
    client.force_login(applicant)

    response = client.get(reverse("portal:my_dossier", args=[dossier.code.lower()]))

    page = html(response)
    assert response.status_code == 200
    assert "Cần nộp phí, lệ phí" in page
    assert "Tờ khai đăng ký khai sinh" in page
    assert "Việc bạn cần làm" in page
    assert "Quá trình giải quyết" in page


def test_another_applicants_dossier_answers_404_like_a_missing_one(client, applicant, theirs):
    client.force_login(applicant)

    assert client.get(reverse("portal:my_dossier", args=[theirs.code])).status_code == 404
    assert client.get(reverse("portal:my_dossier", args=["000.00.00.H56-240101-9999"])).status_code == 404


def test_officers_and_visitors_are_sent_to_the_portal_sign_in(client, mine):
    officer = UserFactory(officer=True)
    client.force_login(officer)

    response = client.get(reverse("portal:my_dossier", args=[mine.code]))

    assert response.status_code == 302
    assert "dang-nhap" in response.url or "login" in response.url


# --- results -------------------------------------------------------------------------------------------


def test_result_download_is_an_attachment_named_after_the_code(client, applicant):
    dossier = with_result(DossierFactory(applicant_user=applicant, processed=True))
    client.force_login(applicant)

    response = client.get(reverse("portal:my_result_file", args=[dossier.code]))

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"] == f'attachment; filename="{dossier.code}-ket-qua.pdf"'
    assert "no-store" in response["Cache-Control"]


def test_a_hostile_stored_name_is_never_served_as_html(client, applicant):
    dossier = with_result(
        DossierFactory(applicant_user=applicant, returned=True), name="x.html", content=b"<script>1</script>"
    )
    client.force_login(applicant)

    response = client.get(reverse("portal:my_result_file", args=[dossier.code]))

    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"] == f'attachment; filename="{dossier.code}-ket-qua.bin"'


def test_result_of_another_applicant_or_an_unfinished_dossier_answers_404(client, applicant, other_applicant):
    theirs = with_result(DossierFactory(applicant_user=other_applicant, processed=True))
    unfinished = with_result(DossierFactory(applicant_user=applicant, status=Status.PROCESSING))
    no_file = DossierFactory(applicant_user=applicant, processed=True)
    client.force_login(applicant)

    for dossier in (theirs, unfinished, no_file):
        assert client.get(reverse("portal:my_result_file", args=[dossier.code])).status_code == 404


def test_my_results_lists_my_finished_results_only(client, applicant, other_applicant):
    ready = with_result(DossierFactory(applicant_user=applicant, processed=True))
    with_result(DossierFactory(applicant_user=other_applicant, processed=True))
    DossierFactory(applicant_user=applicant, processed=True)  # no file: nothing to download
    client.force_login(applicant)

    response = client.get(reverse("portal:my_results"))

    assert [d.code for d in response.context["page_obj"]] == [ready.code]
    assert reverse("portal:my_result_file", args=[ready.code]) in html(response)


def test_detail_of_a_finished_dossier_links_its_result(client, applicant):
    dossier = with_result(DossierFactory(applicant_user=applicant, processed=True))
    client.force_login(applicant)

    page = html(client.get(reverse("portal:my_dossier", args=[dossier.code])))

    assert reverse("portal:my_result_file", args=[dossier.code]) in page
    assert "Số 12/KS" in page


# --- notices -------------------------------------------------------------------------------------------


def test_notices_list_shows_only_my_portal_messages(client, applicant, other_applicant):
    for user, key, text in (
        (applicant, "a", "Hồ sơ của bạn đã được tiếp nhận"),
        (other_applicant, "b", "BÍ MẬT"),
    ):
        Message.objects.create(
            channel=MessageChannel.PORTAL, user=user, template="received", body=text, dedupe_key=key
        )
    client.force_login(applicant)

    response = client.get(reverse("portal:notifications"))

    assert response.status_code == 200
    assert "Hồ sơ của bạn đã được tiếp nhận" in html(response)
    assert "BÍ MẬT" not in html(response)


def test_links_to_other_pages_appear_only_when_those_pages_exist():
    from motcua.portal.tracking.plain import optional_url

    assert optional_url("portal:my_dossier", "000.00.00.H56-240101-0001") == reverse(
        "portal:my_dossier", args=["000.00.00.H56-240101-0001"]
    )
    assert optional_url("portal:my_results", "ignored") == reverse("portal:my_results")
    assert optional_url("portal:no_such_page", "X") == ""
