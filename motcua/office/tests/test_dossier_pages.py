"""The officer's read pages: detail (header, steps, timeline, only the allowed actions), worklist, the
unit's list and search with their query counts pinned, the PDFs, and the dashboard counts."""

import datetime as dt
import re

import pytest
from django.test import Client
from django.urls import reverse

from motcua.dossiers import services
from motcua.dossiers.tests.conftest import MONDAY_8
from motcua.dossiers.tests.factories import DossierFactory, DossierStepFactory
from motcua.dossiers.workflow import Status
from motcua.office.tests.conftest import sign_in
from motcua.organizations.models import Role

pytestmark = pytest.mark.django_db


def detail(code: str) -> str:
    return reverse("office:dossier_detail", kwargs={"dossier_code": code})


def test_detail_shows_header_steps_timeline_and_the_receivers_actions(client, counter_dossier, receiver):
    services.start_processing(dossier_id=counter_dossier.pk, by=receiver)
    sign_in(client, receiver)
    page = client.get(detail(counter_dossier.code)).content.decode()
    assert counter_dossier.code in page
    assert "Đang xử lý · mã trạng thái 4" in page
    assert "Đăng ký khai sinh" in page
    assert "Thẩm định hồ sơ" in page and "Ký duyệt kết quả" in page
    assert "Tiếp nhận hồ sơ; hẹn trả kết quả 08:00 07/03/2024." in page  # the timeline in words
    assert "Bắt đầu bước «Thẩm định hồ sơ»" in page
    assert "Còn " in page  # the countdown to the appointment, in words
    # a receiver may ask for fees or record a withdrawal, never approve, stop or forward the specialist's step
    assert "Yêu cầu nộp phí, lệ phí" in page
    assert "Duyệt: đã xử lý xong" not in page
    assert "Dừng xử lý" not in page
    assert "Chuyển bước tiếp theo" not in page


def test_the_leader_sees_the_leaders_actions(client, counter_dossier, receiver, leader):
    services.start_processing(dossier_id=counter_dossier.pk, by=receiver)
    sign_in(client, leader)
    page = client.get(detail(counter_dossier.code)).content.decode()
    for label in (
        "Duyệt: đã xử lý xong",
        "Dừng xử lý",
        "Từ chối giải quyết",
        "Xin lỗi và hẹn lại ngày trả",
        "Giao lại bước",
    ):
        assert label in page
    assert "Tiếp nhận hồ sơ</button>" not in page
    assert 'name="stop-expected_version" value="2"' in page


def test_a_dossier_of_another_unit_is_not_found_not_forbidden(client, counter_dossier, receiver_elsewhere):
    sign_in(client, receiver_elsewhere)
    assert client.get(detail(counter_dossier.code)).status_code == 404
    assert (
        client.get(reverse("office:dossier_form_pdf", args=[counter_dossier.code, "01"])).status_code == 404
    )
    assert client.get(detail("000.00.00.H56-240304-9999")).status_code == 404
    listing = client.post(reverse("office:dossier_list"), {"q": counter_dossier.code}).content.decode()
    assert detail(counter_dossier.code) not in listing
    assert "Tìm thấy 0 hồ sơ" in listing


def test_forms_that_do_not_exist_for_the_dossier_are_404(client, counter_dossier, receiver):
    sign_in(client, receiver)
    for number in ("02", "03", "04", "07", "xx"):
        assert (
            client.get(reverse("office:dossier_form_pdf", args=[counter_dossier.code, number])).status_code
            == 404
        )
    response = client.get(reverse("office:dossier_form_pdf", args=[counter_dossier.code, "05"]))
    assert response.status_code == 200
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith('inline; filename="mau-05-')


def test_the_register_needs_a_valid_period(client, counter_dossier, receiver):
    sign_in(client, receiver)
    assert client.get(reverse("office:register")).status_code == 200
    bad = client.get(reverse("office:register"), {"from": "2024-03-31", "to": "2024-03-01"})
    assert bad.status_code == 400
    assert "Ngày kết thúc phải sau ngày bắt đầu" in bad.content.decode()
    good = client.get(reverse("office:register"), {"from": "2024-03-01", "to": "2024-03-31"})
    assert good.status_code == 200
    assert good["Content-Type"] == "application/pdf"
    assert (
        good["Content-Disposition"]
        == 'inline; filename="mau-06-so-theo-doi-000.21.10.H56-20240301-20240331.pdf"'
    )


@pytest.fixture
def many_steps(units, procedure, specialist):  # type: ignore[no-untyped-def]
    """Open steps of the commune: one overdue, one due soon, the rest later."""

    def make(n: int) -> None:
        for i in range(n):
            dossier = DossierFactory(receiving_unit=units.commune, procedure=procedure, processing=True)
            due = MONDAY_8 + dt.timedelta(hours=-1 if i == 0 else 2 if i == 1 else 48 + i)
            DossierStepFactory(dossier=dossier, role=Role.SPECIALIST, unit=units.commune, due_at=due)

    return make


def test_the_worklist_orders_by_step_deadline_with_flags_in_words(client, clock, specialist, many_steps):
    many_steps(4)
    sign_in(client, specialist)
    page = client.get(reverse("office:worklist")).content.decode()
    assert page.index("Quá hạn") < page.index("Sắp đến hạn") < page.index("Trong hạn")


@pytest.mark.parametrize("rows", [3, 30])
def test_the_worklist_query_count_does_not_grow_with_rows(
    client, clock, specialist, many_steps, rows, django_assert_max_num_queries
):
    many_steps(rows)
    sign_in(client, specialist)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("office:worklist"))
    assert response.status_code == 200


@pytest.mark.parametrize("rows", [3, 30])
def test_the_unit_list_and_search_query_counts_are_pinned(
    client, clock, receiver, units, procedure, rows, django_assert_max_num_queries
):
    for _ in range(rows):
        DossierFactory(receiving_unit=units.commune, procedure=procedure, processing=True)
    sign_in(client, receiver)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("office:dossier_list")).status_code == 200
    with django_assert_max_num_queries(12):
        assert (
            client.post(
                reverse("office:dossier_list"), {"q": "tran thi binh", "status": "processing"}
            ).status_code
            == 200
        )


def test_search_by_name_without_diacritics_id_number_status_procedure_and_dates(
    client, clock, receiver, units, procedure
):
    hoa = DossierFactory(
        receiving_unit=units.commune,
        procedure=procedure,
        applicant_name="Lê Thị Hòa",
        applicant_id_number="030190000456",
    )
    other = DossierFactory(
        receiving_unit=units.commune, applicant_name="Phạm Văn Nam", status=Status.RETURNED
    )
    sign_in(client, receiver)
    url = reverse("office:dossier_list")

    def found(**params: str) -> str:
        return client.post(url, params).content.decode()

    assert hoa.code in found(q="le thi hoa") and other.code not in found(q="le thi hoa")
    assert hoa.code in found(q="030190000456")
    assert other.code in found(status="returned") and hoa.code not in found(status="returned")
    assert hoa.code in found(procedure=procedure.code) and other.code not in found(procedure=procedure.code)
    assert hoa.code in found(date_from="2024-03-04", date_to="2024-03-04")
    assert hoa.code not in found(date_from="2024-03-05", date_to="2024-03-31")
    assert "Ngày kết thúc phải sau" in found(date_from="2024-03-05", date_to="2024-03-01")
    # htmx asks for the results only
    fragment = client.post(url, {"q": "hoa"}, headers={"HX-Request": "true"}).content.decode()
    assert "<html" not in fragment and hoa.code in fragment


def test_the_unit_list_is_paginated(client, clock, receiver, units, procedure):
    for _ in range(30):
        DossierFactory(receiving_unit=units.commune, procedure=procedure, processing=True)
    sign_in(client, receiver)
    first = client.get(reverse("office:dossier_list")).content.decode()
    assert "1/2" in first
    assert client.get(reverse("office:dossier_list"), {"page": 2}).status_code == 200


def test_the_free_text_search_never_puts_the_query_in_a_url(client, clock, receiver, units, procedure):
    # given: more matches than one page, all with the same ID number
    id_number = "030190000789"
    for _ in range(30):
        DossierFactory(receiving_unit=units.commune, procedure=procedure, applicant_id_number=id_number)
    sign_in(client, receiver)
    url = reverse("office:dossier_list")
    # when: the officer searches by the ID number (in the POST body)
    page = client.post(url, {"q": id_number, "status": "received"}).content.decode()
    # then: found, and paginated by POST forms carrying the query in hidden fields, never in a link
    assert "Tìm thấy 30 hồ sơ" in page and "1/2" in page
    assert f'<input type="hidden" name="q" value="{id_number}">' in page
    assert 'name="csrfmiddlewaretoken"' in page
    for attribute in re.findall(r'(?:href|action|hx-get|hx-post|hx-push-url)="([^"]*)"', page):
        assert id_number not in attribute, attribute
    second = client.post(url, {"q": id_number, "status": "received", "page": "2"}).content.decode()
    assert "2/2" in second
    # a query string with q is not a search: the text never comes from a URL, nor is it echoed
    from_url = client.get(url, {"q": id_number, "status": "received"})
    assert from_url.status_code == 302 and from_url.url == f"{url}?status=received"


def test_non_personal_filters_may_stay_in_links(client, clock, receiver, units, procedure):
    for _ in range(30):
        DossierFactory(receiving_unit=units.commune, procedure=procedure, processing=True)
    sign_in(client, receiver)
    page = client.get(reverse("office:dossier_list"), {"status": "processing"}).content.decode()
    assert "Tìm thấy 30 hồ sơ" in page
    assert 'href="?status=processing&amp;page=2"' in page


def test_the_search_post_needs_the_csrf_token(clock, receiver):
    client = Client(enforce_csrf_checks=True)
    sign_in(client, receiver)
    assert client.post(reverse("office:dossier_list"), {"q": "030190000456"}).status_code == 403


def test_the_dashboard_counts_waiting_work(
    client, clock, receiver, units, procedure, applicant, person, papers
):
    services.submit_online(
        by=applicant,
        procedure=procedure,
        receiving_unit=units.commune,
        applicant=person,
        components=papers,
        idempotency_key="d1",
    )
    DossierFactory(receiving_unit=units.commune, procedure=procedure, overdue=True)
    sign_in(client, receiver)
    page = client.get(reverse("office:dashboard")).content.decode()
    assert "Hồ sơ trực tuyến chờ tiếp nhận" in page
    assert 'data-count="online">1<' in page
    assert 'data-count="overdue">1<' in page
    assert reverse("office:online_queue") in page
