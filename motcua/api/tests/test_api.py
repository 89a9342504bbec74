"""The public read-only API: OpenAPI 3.1 schema, filters, pagination and Vietnamese 404s."""

import pytest
from django.urls import reverse

from motcua.catalog.models import CopyType, OnlineLevel, ProcedureLevel
from motcua.catalog.tests.factories import (
    ComponentFactory,
    FeeItemFactory,
    FieldFactory,
    ProcedureFactory,
    ProcessStepFactory,
)
from motcua.organizations.models import Level
from motcua.organizations.tests.factories import UnitFactory

pytestmark = pytest.mark.django_db

API = "/api/v1"


@pytest.fixture
def tree():
    province = UnitFactory(code="000.00.00.H23", name="Tỉnh Hải Dương", level=Level.PROVINCE)
    district = UnitFactory(
        code="000.00.12.H23", name="Thành phố Hải Dương", level=Level.DISTRICT, parent=province
    )
    UnitFactory(code="000.01.12.H23", name="Phường Trần Hưng Đạo", parent=district)
    UnitFactory(code="000.02.12.H23", name="Phường Ngọc Châu", parent=district)
    UnitFactory(code="000.00.13.H23", name="Huyện Gia Lộc", level=Level.DISTRICT, parent=province)
    return province


@pytest.fixture
def birth():
    return ProcedureFactory(
        published=True,
        online=True,
        code="1.001193",
        name="Đăng ký khai sinh",
        field=FieldFactory(code="HT", name="Hộ tịch"),
    )


def test_schema_is_openapi_3_1_and_lists_the_endpoints(client):
    response = client.get(f"{API}/openapi.json")

    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.1")
    assert schema["info"]["title"] == "Một Cửa API"
    assert schema["info"]["version"] == "1"
    assert {
        "/api/v1/units",
        "/api/v1/units/{code}",
        "/api/v1/procedures",
        "/api/v1/procedures/{code}",
    } <= set(schema["paths"])
    public = {
        path: ops
        for path, ops in schema["paths"].items()
        if not path.startswith((f"{API}/dossiers", f"{API}/payments/notices/", f"{API}/verify"))
    }
    assert all(set(ops) == {"get"} for ops in public.values()), "the public part is read-only"
    # the one public write: a payment provider's signed server-to-server notice
    assert set(schema["paths"][f"{API}/payments/notices/sandbox"]) == {"get", "post"}
    # and the signature check: anyone uploads a PDF, nothing is stored
    assert set(schema["paths"][f"{API}/verify"]) == {"get", "post"}
    assert reverse("api:openapi-json") == f"{API}/openapi.json"


def test_there_is_no_cdn_docs_page(client):
    assert client.get(f"{API}/docs").status_code == 404


def test_units_are_paginated_and_filtered(client, tree):
    everything = client.get(f"{API}/units").json()
    assert everything["count"] == 5
    assert [u["code"] for u in everything["items"]][:2] == ["000.00.00.H23", "000.00.12.H23"]

    districts = client.get(f"{API}/units", {"level": "district"}).json()
    assert sorted(u["name"] for u in districts["items"]) == ["Huyện Gia Lộc", "Thành phố Hải Dương"]

    wards = client.get(f"{API}/units", {"parent": "000.00.12.H23"}).json()
    assert {u["code"] for u in wards["items"]} == {"000.01.12.H23", "000.02.12.H23"}
    assert all(u["parent_code"] == "000.00.12.H23" for u in wards["items"])

    found = client.get(f"{API}/units", {"q": "tran hung dao"}).json()
    assert [u["name"] for u in found["items"]] == ["Phường Trần Hưng Đạo"]

    page = client.get(f"{API}/units", {"page": 2, "page_size": 2}).json()
    assert page["count"] == 5
    assert [u["code"] for u in page["items"]] == ["000.00.13.H23", "000.01.12.H23"]


def test_units_reject_an_unknown_level(client, tree):
    assert client.get(f"{API}/units", {"level": "planet"}).status_code == 422


def test_unit_detail_has_parent_code_and_children_count(client, tree):
    response = client.get(f"{API}/units/000.00.12.H23")

    assert response.status_code == 200
    assert response.json() == {
        "code": "000.00.12.H23",
        "name": "Thành phố Hải Dương",
        "level": "district",
        "level_label": "Huyện/Quận/Thị xã/Thành phố thuộc tỉnh",
        "parent_code": "000.00.00.H23",
        "is_active": True,
        "children_count": 2,
    }


def test_unknown_unit_is_a_vietnamese_404(client, tree):
    response = client.get(f"{API}/units/999.99.99.H99")

    assert response.status_code == 404
    assert response.json() == {"detail": "Không tìm thấy đơn vị có mã định danh 999.99.99.H99."}


def test_procedures_list_published_only_with_filters(client, birth):
    land = FieldFactory(code="DD", name="Đất đai")
    ProcedureFactory(published=True, field=land, level=ProcedureLevel.DISTRICT, name="Đăng ký đất đai")
    ProcedureFactory(published=True, field=land, online_level=OnlineLevel.PARTIAL, name="Trích đo địa chính")
    ProcedureFactory(name="Đăng ký khai sinh lưu động (dự thảo)", field=birth.field)

    def names(**params):
        body = client.get(f"{API}/procedures", params).json()
        return sorted(p["name"] for p in body["items"])

    assert names() == ["Trích đo địa chính", "Đăng ký khai sinh", "Đăng ký đất đai"]
    assert names(q="dang ky khai sinh") == ["Đăng ký khai sinh"]
    assert names(field="DD") == ["Trích đo địa chính", "Đăng ký đất đai"]
    assert names(level="district") == ["Đăng ký đất đai"]
    assert names(online_level="full") == ["Đăng ký khai sinh"]
    assert names(online_level="partial", field="DD") == ["Trích đo địa chính"]

    item = client.get(f"{API}/procedures", {"q": "khai sinh"}).json()["items"][0]
    assert item["field"] == {"code": "HT", "name": "Hộ tịch"}
    assert item["online_level"] == "full"
    assert item["time_limit"] == 3
    assert item["time_limit_text"] == "3 ngày làm việc"


def test_procedure_list_query_count_is_pinned(client, django_assert_num_queries, birth):
    ProcedureFactory.create_batch(30, published=True)

    with django_assert_num_queries(2):  # count, one page with fields
        response = client.get(f"{API}/procedures")
    assert len(response.json()["items"]) == 30 + 1


def test_procedure_detail_has_every_part_components_and_fees(client, birth):
    ComponentFactory(
        procedure=birth,
        name="Giấy chứng sinh",
        copy_type=CopyType.CERTIFIED_COPY,
        count=2,
        store_eligible=True,
    )
    FeeItemFactory(procedure=birth, name="Lệ phí", amount_vnd=2000, note="Miễn cho hộ nghèo")
    ProcessStepFactory(process__procedure=birth, name="Tiếp nhận", hours=4)

    response = client.get(f"{API}/procedures/1.001193")

    assert response.status_code == 200
    body = response.json()
    for part in ["name", "sequence", "method", "components", "time_limit", "subjects", "implementing_agency"]:
        assert body[part], part
    assert body["result"] and body["legal_basis"]
    assert body["decision_number"] == "1217/QĐ-UBND"
    assert body["decision_date"] == "2022-05-12"
    assert body["full_online_eligible"] is True
    assert body["components"] == [
        {
            "position": body["components"][0]["position"],
            "name": "Giấy chứng sinh",
            "copy_type": "certified_copy",
            "copy_type_label": "Bản sao có chứng thực",
            "count": 2,
            "form_template": "",
            "is_required": True,
            "store_eligible": True,
        }
    ]
    assert body["fee_items"] == [{"name": "Lệ phí", "amount_vnd": 2000, "note": "Miễn cho hộ nghèo"}]
    assert body["processes"][0]["steps"][0]["name"] == "Tiếp nhận"
    assert body["processes"][0]["total_hours"] == 4


def test_unpublished_or_unknown_procedure_is_a_vietnamese_404(client):
    ProcedureFactory(code="2.000001")

    for code in ["2.000001", "9.999999"]:
        response = client.get(f"{API}/procedures/{code}")
        assert response.status_code == 404
        assert response.json() == {"detail": f"Không tìm thấy thủ tục hành chính có mã {code}."}


def test_api_is_read_only(client, birth):
    assert client.post(f"{API}/procedures", {}).status_code == 405
