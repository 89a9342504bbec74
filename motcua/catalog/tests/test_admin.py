"""The reference-data admin: every changelist and change form loads; unit edits go through the
services and leave history; searches work without diacritics."""

import pytest
from django.contrib import admin
from django.urls import reverse

from motcua.accounts.models import User
from motcua.catalog.tests.factories import (
    ComponentFactory,
    FeeItemFactory,
    ProcedureFactory,
    ProcessStepFactory,
)
from motcua.conftest import login_with_otp
from motcua.organizations.models import Level, Membership, OfficeHours, Role, Unit, UnitChange
from motcua.organizations.tests.factories import UnitFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser(client):
    user = User.objects.create_superuser(
        "quantri", password="mat-khau-quan-tri-2026", full_name="Quản trị viên"
    )
    login_with_otp(client, user)
    return user


@pytest.fixture
def data(superuser):
    province = UnitFactory(code="000.00.00.H23", name="Tỉnh Hải Dương", level=Level.PROVINCE)
    district = UnitFactory(
        code="000.00.12.H23", name="Thành phố Hải Dương", level=Level.DISTRICT, parent=province
    )
    commune = UnitFactory(code="000.01.12.H23", name="Phường Trần Hưng Đạo", parent=district)
    OfficeHours.objects.create(unit=commune)
    UnitChange.objects.create(unit=commune, kind=UnitChange.Kind.CREATED, effective_on="2020-01-01")
    Membership.objects.create(user=superuser, unit=commune, role=Role.RECEIVER)
    procedure = ProcedureFactory(published=True, name="Đăng ký khai sinh")
    ComponentFactory(procedure=procedure)
    FeeItemFactory(procedure=procedure)
    step = ProcessStepFactory(process__procedure=procedure, process__unit=commune, performing_unit=commune)
    return {
        "unit": commune,
        "membership": superuser.memberships.get(),
        "field": procedure.field,
        "procedure": procedure,
        "internalprocess": step.process,
        "user": superuser,
    }


MODELS = ["unit", "membership", "field", "procedure", "internalprocess", "user"]


def admin_url(obj, action):
    meta = obj._meta
    if action == "change":
        return reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk])
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_{action}")


def test_site_header_is_vietnamese(client, superuser):
    response = client.get(reverse("admin:index"))

    assert response.status_code == 200
    assert admin.site.site_header == "Quản trị Một Cửa"
    assert "Quản trị Một Cửa" in response.content.decode()


@pytest.mark.parametrize("name", MODELS)
def test_changelist_add_and_change_pages_load(client, data, name):
    obj = data[name]

    for action in ["changelist", "add", "change"]:
        response = client.get(admin_url(obj, action))
        assert response.status_code == 200, (name, action)


def test_changelist_filters_load(client, data):
    assert client.get(admin_url(data["unit"], "changelist"), {"level__exact": "commune"}).status_code == 200
    response = client.get(
        admin_url(data["procedure"], "changelist"),
        {"level__exact": "commune", "online_level__exact": "none", "publication_state__exact": "published"},
    )
    assert response.status_code == 200
    assert "Đăng ký khai sinh" in response.content.decode()


def test_searches_ignore_diacritics(client, data):
    units = client.get(admin_url(data["unit"], "changelist"), {"q": "tran hung dao"})
    procedures = client.get(admin_url(data["procedure"], "changelist"), {"q": "dang ky khai sinh"})

    assert list(units.context["cl"].result_list) == [data["unit"]]
    assert list(procedures.context["cl"].result_list) == [data["procedure"]]


def test_unit_history_inline_is_read_only(client, data):
    response = client.get(admin_url(data["unit"], "change"))

    inline = next(f for f in response.context["inline_admin_formsets"] if f.opts.model is UnitChange)
    assert not inline.has_add_permission
    assert not inline.has_change_permission
    assert not inline.has_delete_permission


def test_creating_a_unit_in_the_admin_records_its_founding(client, data):
    response = client.post(
        admin_url(data["unit"], "add"),
        {
            "code": "000.03.12.H23",
            "name": "Phường Lê Thanh Nghị",
            "level": "commune",
            "parent": Unit.objects.get(code="000.00.12.H23").pk,
            "legal_basis": "Nghị quyết 1234/NQ-UBTVQH",
            **empty_inlines(),
        },
    )

    assert response.status_code == 302, response.context["errors"] if response.context else response
    unit = Unit.objects.get(code="000.03.12.H23")
    change = unit.changes.get()
    assert change.kind == UnitChange.Kind.CREATED
    assert change.legal_basis == "Nghị quyết 1234/NQ-UBTVQH"
    assert change.recorded_by == data["user"]


def test_renaming_and_moving_a_unit_in_the_admin_appends_history(client, data):
    unit = data["unit"]
    other_district = UnitFactory(
        code="000.00.13.H23", name="Huyện Gia Lộc", level=Level.DISTRICT, parent=unit.parent.parent
    )

    response = client.post(
        admin_url(unit, "change"),
        {
            "name": "Phường Trần Hưng Đạo mới",
            "parent": other_district.pk,
            "legal_basis": "NQ 5/2025",
            **empty_inlines(),
        },
    )

    assert response.status_code == 302
    unit.refresh_from_db()
    assert unit.name == "Phường Trần Hưng Đạo mới"
    assert unit.parent == other_district
    kinds = list(unit.changes.order_by("id").values_list("kind", flat=True))
    assert kinds == [UnitChange.Kind.CREATED, UnitChange.Kind.RENAMED, UnitChange.Kind.REPARENTED]


def test_a_commune_cannot_be_put_under_a_commune(client, data):
    other = UnitFactory(code="000.02.12.H23", name="Phường Ngọc Châu", parent=data["unit"].parent)

    response = client.post(
        admin_url(data["unit"], "change"), {"name": data["unit"].name, "parent": other.pk, **empty_inlines()}
    )

    assert response.status_code == 200
    assert "không thể trực thuộc" in response.content.decode()
    data["unit"].refresh_from_db()
    assert data["unit"].parent.code == "000.00.12.H23"


def empty_inlines():
    return {
        "office_hours-TOTAL_FORMS": "0",
        "office_hours-INITIAL_FORMS": "0",
        "changes-TOTAL_FORMS": "0",
        "changes-INITIAL_FORMS": "0",
    }
