"""The public catalog: search without diacritics, filters, htmx partials, the 7 published parts."""

import re

import pytest
from django.urls import reverse

from motcua.catalog.models import CopyType, OnlineLevel, ProcedureLevel, PublicationState
from motcua.catalog.tests.factories import (
    ComponentFactory,
    FeeItemFactory,
    FieldFactory,
    ProcedureFactory,
    ProcessStepFactory,
)

pytestmark = pytest.mark.django_db

SEARCH = reverse("portal:procedure_search")


@pytest.fixture
def civil_status():
    return FieldFactory(code="HT", name="Hộ tịch")


@pytest.fixture
def birth(civil_status):
    return ProcedureFactory(
        published=True,
        online=True,
        code="1.001193",
        name="Đăng ký khai sinh",
        field=civil_status,
        sequence="Bước 1: Người yêu cầu nộp tờ khai.\nBước 2: Công chức tư pháp - hộ tịch kiểm tra.",
        method="Nộp trực tiếp hoặc trực tuyến trên Cổng dịch vụ công.",
        implementing_agency="Ủy ban nhân dân cấp xã",
        result="Giấy khai sinh",
        legal_basis="Luật Hộ tịch số 60/2014/QH13.",
        time_limit_note="Trường hợp cần xác minh thì không quá 03 ngày làm việc.",
    )


def html(response):
    return response.content.decode()


def test_search_without_diacritics_finds_the_procedure(client, birth):
    ProcedureFactory(published=True, name="Đăng ký kết hôn")

    response = client.get(SEARCH, {"q": "dang ky khai sinh"})

    assert response.status_code == 200
    assert [p.code for p in response.context["page_obj"]] == ["1.001193"]
    assert "Đăng ký khai sinh" in html(response)
    assert "Đăng ký kết hôn" not in html(response)


def test_search_by_code_prefix(client, birth):
    response = client.get(SEARCH, {"q": "1.0011"})

    assert [p.code for p in response.context["page_obj"]] == ["1.001193"]


def test_search_lists_only_published_procedures(client, civil_status):
    ProcedureFactory(published=True, name="Đăng ký khai tử", field=civil_status)
    ProcedureFactory(name="Đăng ký khai tử lưu động (dự thảo)", field=civil_status)
    ProcedureFactory(
        published=True, publication_state=PublicationState.WITHDRAWN, name="Đăng ký khai tử (đã bãi bỏ)"
    )

    response = client.get(SEARCH, {"q": "khai tu"})

    assert [p.name for p in response.context["page_obj"]] == ["Đăng ký khai tử"]


def test_filters_by_field_level_and_online_level(client, birth, civil_status):
    land = FieldFactory(code="DD", name="Đất đai")
    ProcedureFactory(
        published=True, field=land, level=ProcedureLevel.DISTRICT, name="Đăng ký đất đai lần đầu"
    )
    ProcedureFactory(
        published=True, field=civil_status, online_level=OnlineLevel.PARTIAL, name="Trích lục hộ tịch"
    )

    def codes(**params):
        return sorted(p.name for p in client.get(SEARCH, params).context["page_obj"])

    assert codes(field="DD") == ["Đăng ký đất đai lần đầu"]
    assert codes(level="district") == ["Đăng ký đất đai lần đầu"]
    assert codes(online_level="full") == ["Đăng ký khai sinh"]
    assert codes(field="HT", online_level="partial") == ["Trích lục hộ tịch"]
    assert codes(q="dang ky", level="commune") == ["Đăng ký khai sinh"]


def test_filter_by_unit_lists_its_level_and_the_procedures_its_process_names(client, birth, civil_status):
    from motcua.catalog.tests.factories import InternalProcessFactory
    from motcua.organizations.models import Level
    from motcua.organizations.tests.factories import UnitFactory

    district = UnitFactory(level=Level.DISTRICT, name="UBND huyện Gia Lộc")
    commune = UnitFactory(level=Level.COMMUNE, parent=district, name="UBND xã Gia Tân")
    office = UnitFactory(level=Level.DEPARTMENT, parent=district, name="Phòng Tư pháp huyện Gia Lộc")
    land = ProcedureFactory(published=True, level=ProcedureLevel.DISTRICT, name="Đăng ký đất đai lần đầu")
    ProcedureFactory(published=True, level=ProcedureLevel.PROVINCE, name="Cấp phép xây dựng")
    ProcessStepFactory(process=InternalProcessFactory(procedure=land, unit=None), performing_unit=office)

    def names(unit):  # type: ignore[no-untyped-def]
        return sorted(p.name for p in client.get(SEARCH, {"unit": unit.code}).context["page_obj"])

    assert names(commune) == ["Đăng ký khai sinh"]
    assert names(district) == ["Đăng ký đất đai lần đầu"]
    assert names(office) == ["Đăng ký đất đai lần đầu"]  # the step it performs
    page = html(client.get(SEARCH))
    assert "UBND xã Gia Tân (UBND huyện Gia Lộc)" in page  # communes named with their district


def test_an_invalid_filter_is_ignored_with_a_notice_not_an_error(client, birth):
    response = client.get(SEARCH, {"level": "planet", "q": "khai sinh"})

    assert response.status_code == 200
    assert [p.code for p in response.context["page_obj"]] == ["1.001193"]
    assert "không hợp lệ" in html(response)


def test_result_count_is_announced_and_results_paginate(client, civil_status):
    ProcedureFactory.create_batch(23, published=True, field=civil_status)

    first = client.get(SEARCH)
    second = client.get(SEARCH, {"page": 2})

    assert "Tìm thấy 23 thủ tục" in html(first)
    assert 'id="search-status"' in html(first) and 'aria-live="polite"' in html(first)
    assert len(first.context["page_obj"]) == 20
    assert len(second.context["page_obj"]) == 3
    assert "?page=2" in html(first)


def test_htmx_request_gets_only_the_results_partial(client, birth):
    response = client.get(SEARCH, {"q": "khai sinh"}, headers={"HX-Request": "true"})

    body = html(response)
    assert "Đăng ký khai sinh" in body
    assert "Tìm thấy 1 thủ tục" in body
    assert "<html" not in body
    assert 'id="procedure-search"' not in body
    assert "HX-Request" in response.headers["Vary"]


def test_htmx_history_restore_gets_the_whole_page(client, birth):
    response = client.get(
        SEARCH, {"q": "khai sinh"}, headers={"HX-Request": "true", "HX-History-Restore-Request": "true"}
    )

    assert "<html" in html(response)


def test_search_page_query_count_is_pinned(client, django_assert_num_queries, civil_status):
    for _ in range(25):
        ComponentFactory(procedure=ProcedureFactory(published=True, field=civil_status))

    # field and unit choices for the form, field lookup, count, one page of procedures with their field
    with django_assert_num_queries(5):
        response = client.get(SEARCH, {"field": "HT", "q": "thu tuc"})
    assert response.status_code == 200
    # the htmx partial does not render the form
    with django_assert_num_queries(2):
        client.get(SEARCH, {"q": "thu tuc"}, headers={"HX-Request": "true"})


def test_detail_shows_all_seven_parts_and_the_rest(client, birth):
    ComponentFactory(
        procedure=birth,
        name="Tờ khai đăng ký khai sinh",
        copy_type=CopyType.ORIGINAL,
        count=1,
        form_template="Mẫu TT 04/2020/TT-BTP",
        store_eligible=False,
    )
    ComponentFactory(
        procedure=birth,
        name="Giấy chứng sinh",
        copy_type=CopyType.ORIGINAL_OR_CERTIFIED,
        count=2,
        store_eligible=True,
    )
    FeeItemFactory(procedure=birth, name="Lệ phí đăng ký khai sinh quá hạn", amount_vnd=2000)
    FeeItemFactory(procedure=birth, name="Cấp bản sao trích lục", amount_vnd=1_234_567)
    ProcessStepFactory(process__procedure=birth, position=1, name="Tiếp nhận hồ sơ", hours=4)
    ProcessStepFactory(process=birth.processes.get(), position=2, name="Thẩm định, trình ký", hours=12)

    response = client.get(reverse("portal:procedure_detail", args=["1.001193"]))

    assert response.status_code == 200
    body = html(response)
    for heading in [
        "1. Tên thủ tục",
        "2. Trình tự thực hiện",
        "3. Cách thức thực hiện",
        "4. Thành phần hồ sơ",
        "5. Thời hạn giải quyết",
        "6. Đối tượng thực hiện",
        "7. Cơ quan thực hiện",
        "Kết quả thực hiện",
        "Phí, lệ phí",
        "Căn cứ pháp lý",
        "Quy trình nội bộ",
        "Thông tin công bố",
    ]:
        assert heading in body, heading
    for content in [
        "Đăng ký khai sinh",
        "Bước 1: Người yêu cầu nộp tờ khai.<br>Bước 2",
        "Nộp trực tiếp hoặc trực tuyến",
        "Tờ khai đăng ký khai sinh",
        "Mẫu TT 04/2020/TT-BTP",
        "Bản chính hoặc bản sao có chứng thực",
        "Có thể lấy từ kho dữ liệu điện tử",
        "3 ngày làm việc",
        "không quá 03 ngày làm việc",
        "Công dân Việt Nam",
        "Ủy ban nhân dân cấp xã",
        "Giấy khai sinh",
        "2.000 đồng",
        "1.234.567 đồng",
        "Luật Hộ tịch số 60/2014/QH13.",
        "1217/QĐ-UBND",
        "12/05/2022",
        "20/05/2022",
        "Toàn trình",
        "Đủ điều kiện cung cấp toàn trình",
        "Thẩm định, trình ký",
        "16",
    ]:
        assert content in body, content


def test_detail_query_count_is_pinned(client, django_assert_num_queries, birth):
    ComponentFactory.create_batch(5, procedure=birth)
    FeeItemFactory.create_batch(3, procedure=birth)
    ProcessStepFactory.create_batch(4, process__procedure=birth)

    # procedure+field, components, fees, processes+unit, steps+unit
    with django_assert_num_queries(5):
        client.get(reverse("portal:procedure_detail", args=["1.001193"]))


@pytest.mark.parametrize("state", [PublicationState.DRAFT, PublicationState.WITHDRAWN])
def test_detail_of_an_unpublished_procedure_is_404(client, state):
    ProcedureFactory(code="2.000001", publication_state=state)

    assert client.get(reverse("portal:procedure_detail", args=["2.000001"])).status_code == 404


def test_detail_of_an_unknown_code_is_404(client):
    assert client.get(reverse("portal:procedure_detail", args=["9.999999"])).status_code == 404


def test_home_lists_fields_with_counts_and_levels(client, birth, civil_status):
    ProcedureFactory(published=True, field=civil_status, level=ProcedureLevel.COMMUNE)
    ProcedureFactory(field=FieldFactory(name="Lĩnh vực chưa có thủ tục công bố"))

    response = client.get(reverse("portal:home"))

    body = html(response)
    assert response.status_code == 200
    fields = {f.name: f.procedure_count for f in response.context["fields"]}
    assert fields == {"Hộ tịch": 2}
    assert f"{SEARCH}?field=HT" in body
    assert f"{SEARCH}?level=commune" in body
    assert f"{SEARCH}?level=district" in body
    assert f"{SEARCH}?level=province" in body
    assert ("commune", "Cấp xã", 2) in [(v, str(label), n) for v, label, n in response.context["levels"]]


SCRIPT_TAG = re.compile(r"<script\b([^>]*)>(.*?)</script>", re.S | re.I)


@pytest.mark.parametrize("page", ["home", "search", "detail"])
def test_pages_carry_a_nonce_csp_and_no_inline_script_or_style(client, birth, page):
    url = {
        "home": reverse("portal:home"),
        "search": SEARCH + "?q=khai+sinh",
        "detail": reverse("portal:procedure_detail", args=["1.001193"]),
    }[page]

    response = client.get(url)

    csp = response.headers["Content-Security-Policy"]
    nonce = re.search(r"'nonce-([^']+)'", csp).group(1)
    assert "script-src 'self' 'nonce-" in csp
    body = html(response)
    scripts = SCRIPT_TAG.findall(body)
    assert scripts, "the page loads its scripts"
    for attrs, content in scripts:
        assert f'nonce="{nonce}"' in attrs
        assert "src=" in attrs and not content.strip(), "no inline script bodies"
    assert "<style" not in body
    assert not re.search(r"\sstyle=", body)
    assert not re.search(r"\son[a-z]+=", body), "no inline event handlers"
    # no asset from a CDN (looked for in addresses only: a random token may contain "cdn")
    assert not re.search(r'(?:src|href)="[^"]*cdn', body, re.IGNORECASE)
