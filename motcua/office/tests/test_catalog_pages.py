import datetime as dt

import pytest
from django.urls import reverse

from motcua.accounts.tests.factories import UserFactory
from motcua.catalog.models import PublicationState
from motcua.catalog.tests.factories import ProcedureFactory
from motcua.office.tests.test_officer_sign_in import sign_in
from motcua.organizations.models import Level, Membership, Role, Unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def province():
    return Unit.objects.create(code="000.00.00.H23", name="UBND tỉnh Hải Dương", level=Level.PROVINCE)


@pytest.fixture
def editor(client, province):
    user = UserFactory(officer=True, username="kiemsoat")
    Membership.objects.create(user=user, unit=province, role=Role.OVERSIGHT)
    sign_in(client, user)
    client.get(reverse("office:choose_unit"))
    return user


@pytest.fixture
def specialist(client, province):
    user = UserFactory(officer=True, username="chuyenvien")
    Membership.objects.create(user=user, unit=province, role=Role.SPECIALIST)
    sign_in(client, user)
    client.get(reverse("office:choose_unit"))
    return user


def form_data(procedure, **changes):
    data = {
        "name": procedure.name,
        "field": procedure.field_id,
        "level": procedure.level,
        "subjects": procedure.subjects,
        "implementing_agency": procedure.implementing_agency,
        "competent_authority": procedure.competent_authority,
        "sequence": procedure.sequence,
        "method": procedure.method,
        "conditions": procedure.conditions,
        "result": procedure.result,
        "legal_basis": procedure.legal_basis,
        "time_limit": str(procedure.time_limit),
        "time_unit": procedure.time_unit,
        "time_limit_note": procedure.time_limit_note,
        "fee_vnd": procedure.fee_vnd,
        "fee_timing": procedure.fee_timing,
        "online_level": procedure.online_level,
        "decision_number": procedure.decision_number,
        "decision_date": "",
        "modified_at": procedure.modified_at.isoformat(),
    }
    data.update(changes)
    return data


def test_catalog_list_finds_procedures_without_diacritics(client, editor):
    ProcedureFactory(name="Đăng ký khai sinh", code="1.001193")
    ProcedureFactory(name="Chứng thực bản sao từ bản chính", code="2.000815")
    page = client.get(reverse("office:procedure_list"), {"q": "dang ky khai sinh"}).content.decode()
    assert "Đăng ký khai sinh" in page
    assert "Chứng thực bản sao" not in page


def test_editor_changes_published_parts_and_the_update_is_dated(client, editor):
    procedure = ProcedureFactory(published=True)
    response = client.post(
        reverse("office:procedure_edit", args=[procedure.code]),
        form_data(
            procedure,
            sequence="Bước 1: Nộp hồ sơ tại Bộ phận Một cửa.",
            fee_vnd=8000,
            legal_basis_effective_on="2026-07-01",
        ),
    )
    assert response.status_code == 302
    procedure.refresh_from_db()
    assert procedure.sequence == "Bước 1: Nộp hồ sơ tại Bộ phận Một cửa."
    assert procedure.fee_vnd == 8000
    assert procedure.legal_basis_effective_on == dt.date(2026, 7, 1)  # QĐ 766 indicator 1.1
    assert procedure.updated_on is not None


def test_bad_input_keeps_what_was_typed_and_names_the_field(client, editor):
    procedure = ProcedureFactory()
    response = client.post(
        reverse("office:procedure_edit", args=[procedure.code]),
        form_data(procedure, sequence="Nội dung mới đã gõ", fee_vnd="-5"),
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Nội dung mới đã gõ" in page
    assert 'id="id_fee_vnd-error"' in page
    procedure.refresh_from_db()
    assert procedure.sequence != "Nội dung mới đã gõ"


def test_concurrent_edit_is_refused_with_a_conflict_not_overwritten(client, editor):
    procedure = ProcedureFactory()
    stale = form_data(procedure, name="Tên sửa từ trang cũ")
    # someone else saves first
    client.post(
        reverse("office:procedure_edit", args=[procedure.code]), form_data(procedure, name="Tên mới nhất")
    )
    response = client.post(reverse("office:procedure_edit", args=[procedure.code]), stale)
    assert response.status_code == 200
    assert "vừa được người khác sửa" in response.content.decode()
    procedure.refresh_from_db()
    assert procedure.name == "Tên mới nhất"


def test_publish_then_withdraw(client, editor):
    procedure = ProcedureFactory(publication_state=PublicationState.DRAFT, decision_date=None)
    url = reverse("office:procedure_publish", args=[procedure.code])
    client.post(url, {"on": "2026-11-20", "action": "publish"})
    procedure.refresh_from_db()
    assert procedure.publication_state == PublicationState.PUBLISHED
    assert procedure.published_on == dt.date(2026, 11, 20)
    client.post(url, {"on": "2026-11-21", "action": "withdraw"})
    procedure.refresh_from_db()
    assert procedure.publication_state == PublicationState.WITHDRAWN
    assert procedure.updated_on == dt.date(2026, 11, 21)


def test_officer_without_catalog_rights_cannot_edit(client, specialist):
    procedure = ProcedureFactory()
    assert client.get(reverse("office:procedure_edit", args=[procedure.code])).status_code == 403
    response = client.post(reverse("office:procedure_publish", args=[procedure.code]), {"action": "publish"})
    assert response.status_code == 403
    detail = client.get(reverse("office:procedure_detail", args=[procedure.code])).content.decode()
    assert reverse("office:procedure_edit", args=[procedure.code]) not in detail


def test_get_never_changes_state(client, editor):
    procedure = ProcedureFactory(publication_state=PublicationState.DRAFT)
    assert client.get(reverse("office:procedure_publish", args=[procedure.code])).status_code == 405
    procedure.refresh_from_db()
    assert procedure.publication_state == PublicationState.DRAFT


@pytest.mark.parametrize(
    ("unit_level", "under_province", "role", "allowed"),
    [
        (Level.PROVINCE, False, Role.OVERSIGHT, True),
        (Level.PROVINCE, False, Role.UNIT_ADMIN, True),
        (Level.DEPARTMENT, True, Role.OVERSIGHT, True),  # Văn phòng UBND tỉnh
        (Level.DEPARTMENT, True, Role.UNIT_ADMIN, False),  # a Sở's own admin
        (Level.DISTRICT, True, Role.OVERSIGHT, False),
        (Level.PROVINCE, False, Role.LEADER, False),
    ],
)
def test_who_may_edit_the_catalog(province, unit_level, under_province, role, allowed):
    from motcua.catalog.permissions import can_edit_catalog

    unit = province
    if unit_level != Level.PROVINCE:
        unit = Unit.objects.create(code="000.00.20.H23", name="Đơn vị", level=unit_level, parent=province)
    user = UserFactory(officer=True)
    Membership.objects.create(user=user, unit=unit, role=role)
    assert can_edit_catalog(user) is allowed
