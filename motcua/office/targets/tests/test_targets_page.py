"""The targets page (``chi-tieu-giao/``): any officer reads a year's targets as percentages with their
decision; the province's leader or oversight office adds, corrects and copies last year's; anyone else
gets 403 and nothing is written; another province's targets are not shown and are 404 to edit."""

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from motcua.accounts.tests.factories import UserFactory
from motcua.conftest import login_with_otp
from motcua.indicators.models import Target, TargetKind
from motcua.indicators.tests.conftest import world
from motcua.office.auth import UNIT_SESSION_KEY
from motcua.organizations.models import Level, Membership, Role, Unit
from motcua.organizations.tests.factories import UnitFactory

__all__ = ["world"]

pytestmark = pytest.mark.django_db
LIST, ADD, EDIT, COPY = (
    reverse("office:targets"),
    reverse("office:target_add"),
    reverse("office:target_edit"),
    reverse("office:targets_copy"),
)
DECISION = "Quyết định số 85/QĐ-UBND ngày 15/01/2026"
ONLINE = TargetKind.ONLINE_SHARE_1217


def client_for(unit: Unit, role: Role) -> Client:
    user = UserFactory(officer=True)
    Membership.objects.create(user=user, unit=unit, role=role)
    client = Client()
    login_with_otp(client, user)
    session = client.session
    session[UNIT_SESSION_KEY] = unit.pk
    session.save()
    return client


@pytest.fixture
def province_leader(world) -> Client:  # type: ignore[no-untyped-def]
    return client_for(world.province, Role.LEADER)


@pytest.fixture
def commune_leader(world) -> Client:  # type: ignore[no-untyped-def]
    return client_for(world.commune, Role.LEADER)


@pytest.fixture
def elsewhere(db) -> Unit:  # type: ignore[no-untyped-def]
    other = UnitFactory(code="000.00.00.H26", name="UBND tỉnh Hưng Yên", level=Level.PROVINCE)
    return UnitFactory(code="001.13.00.H26", name="UBND xã Ngoài Tỉnh", level=Level.COMMUNE, parent=other)


def add_form(**fields: str) -> dict[str, str]:
    return {
        "kind": ONLINE,
        "year": "2026",
        "level": "commune",
        "unit": "",
        "percent": "55",
        "decision": DECISION,
        **fields,
    }


def test_any_officer_reads_the_shipped_2022_targets_as_percentages(world, commune_leader, elsewhere):
    Target.objects.create(
        target_id=ONLINE,
        year=2022,
        level="commune",
        unit=world.commune,
        value=Decimal("0.6"),
        decision="QĐ riêng xã",
    )
    Target.objects.create(
        target_id=ONLINE,
        year=2022,
        level="commune",
        unit=elsewhere,
        value=Decimal("0.9"),
        decision="QĐ tỉnh khác",
    )

    page = commune_leader.get(LIST, {"nam": "2022"})

    assert page.status_code == 200
    html = page.content.decode()
    assert "Chỉ tiêu giao năm 2022" in html
    assert "Quyết định 1217/QĐ-UBND ngày 12/5/2022" in html
    assert "55%" in html and "60%" in html
    assert "UBND xã Gia Tân" in html
    assert "UBND xã Ngoài Tỉnh" not in html and "QĐ tỉnh khác" not in html
    assert len(page.context["rows"]) == 7  # the six shipped + Gia Tân's own
    assert reverse("office:target_add") not in html  # no editing for a commune's leader
    assert "Sao chép chỉ tiêu năm trước" not in html


def test_a_year_without_targets_says_so_and_a_wrong_year_is_400(commune_leader):
    page = commune_leader.get(LIST, {"nam": "2026"})
    assert page.status_code == 200
    assert "Chưa có chỉ tiêu giao cho năm này." in page.content.decode()

    wrong = commune_leader.get(LIST, {"nam": "hai nghìn"})
    assert wrong.status_code == 400
    assert "Năm" in wrong.content.decode()


def test_the_dashboard_links_to_the_targets(commune_leader):
    html = commune_leader.get(reverse("office:dashboard")).content.decode()
    assert f'href="{LIST}"' in html
    assert "Chỉ tiêu giao" in html


def test_a_non_province_officer_may_not_add_correct_or_copy(world, commune_leader):
    target = Target.objects.get(year=2022, target_id=ONLINE, level="commune", unit=None)
    district_oversight = client_for(world.district, Role.OVERSIGHT)

    for client in (commune_leader, district_oversight, client_for(world.province, Role.SPECIALIST)):
        assert client.get(ADD).status_code == 403
        assert client.post(ADD, add_form()).status_code == 403
        assert client.get(EDIT, {"chi_tieu": target.pk}).status_code == 403
        assert (
            client.post(f"{EDIT}?chi_tieu={target.pk}", {"percent": "1", "decision": "x"}).status_code == 403
        )
        refused = client.post(COPY, {"year": "2023", "decision": DECISION})
        assert refused.status_code == 403
        assert "cấp tỉnh" in refused.content.decode()
    assert not Target.objects.filter(year__gt=2022).exists()
    target.refresh_from_db()
    assert target.value == Decimal("0.5000")


def test_the_provinces_leader_adds_a_target_for_2026(world, province_leader):
    form = province_leader.get(ADD, {"nam": "2026"})
    assert form.status_code == 200
    assert "Văn bản giao chỉ tiêu" in form.content.decode()

    done = province_leader.post(ADD, add_form(percent="55,25"))

    assert done.status_code == 302
    assert done.url == f"{LIST}?nam=2026"
    target = Target.objects.get(year=2026)
    assert (target.value, target.level, target.unit, target.decision) == (
        Decimal("0.5525"),
        "commune",
        None,
        DECISION,
    )
    page = province_leader.get(done.url)
    html = page.content.decode()
    assert "Đã thêm chỉ tiêu" in html
    assert "55,25%" in html
    assert f"{EDIT}?chi_tieu={target.pk}" in html


def test_a_unit_target_and_the_unit_must_be_in_the_province(world, province_leader, elsewhere):
    done = province_leader.post(ADD, add_form(level="", unit=str(world.commune.pk), percent="70"))
    assert done.status_code == 302
    assert Target.objects.get(year=2026).unit == world.commune

    outside = province_leader.post(ADD, add_form(level="", unit=str(elsewhere.pk)))
    assert outside.status_code == 400
    assert "Đơn vị: hãy chọn một đơn vị trong danh sách." in outside.content.decode()

    both = province_leader.post(ADD, add_form(unit=str(world.other_commune.pk)))
    assert both.status_code == 400
    assert "không chọn cả hai" in both.content.decode()
    assert Target.objects.filter(year=2026).count() == 1


@pytest.mark.parametrize(
    ("fields", "says"),
    [
        ({"percent": "101"}, "Mức chỉ tiêu (%): phải từ 0 đến 100."),
        ({"percent": "55.555"}, "Mức chỉ tiêu (%): chỉ được có tối đa 2 chữ số thập phân."),
        ({"percent": ""}, "Mức chỉ tiêu (%): hãy nhập mức chỉ tiêu."),
        ({"decision": ""}, "Văn bản giao chỉ tiêu: hãy nhập số, ngày"),
        ({"level": ""}, "Cấp đơn vị: hãy chọn cấp đơn vị hoặc một đơn vị"),
        ({"year": "20266"}, "Năm: phải từ 2000 đến 2100."),
    ],
)
def test_wrong_input_gets_a_message_naming_the_field(province_leader, fields, says):
    answer = province_leader.post(ADD, add_form(**fields))

    assert answer.status_code == 400
    assert says in answer.content.decode()
    assert not Target.objects.filter(year__gt=2022).exists()


def test_a_duplicate_is_refused_with_a_clear_message(province_leader):
    assert province_leader.post(ADD, add_form()).status_code == 302

    again = province_leader.post(ADD, add_form(percent="60"))

    assert again.status_code == 400
    html = again.content.decode()
    assert "Đã có chỉ tiêu" in html and "«Sửa»" in html
    assert Target.objects.get(year=2026).value == Decimal("0.5500")


def test_the_provinces_oversight_office_corrects_a_target(world, elsewhere):
    client = client_for(world.province, Role.OVERSIGHT)
    target = Target.objects.get(year=2022, target_id=ONLINE, level="commune", unit=None)

    form = client.get(EDIT, {"chi_tieu": target.pk})
    assert form.status_code == 200
    assert 'value="50"' in form.content.decode()

    done = client.post(
        f"{EDIT}?chi_tieu={target.pk}", {"percent": "52,5", "decision": DECISION, "note": "đính chính"}
    )
    assert done.status_code == 302 and done.url == f"{LIST}?nam=2022"
    target.refresh_from_db()
    assert (target.value, target.decision, target.note) == (Decimal("0.5250"), DECISION, "đính chính")

    wrong = client.post(f"{EDIT}?chi_tieu={target.pk}", {"percent": "-3", "decision": DECISION})
    assert wrong.status_code == 400
    assert "Mức chỉ tiêu (%): phải từ 0 đến 100." in wrong.content.decode()

    foreign = Target.objects.create(
        target_id=ONLINE, year=2022, level="commune", unit=elsewhere, value=Decimal("0.9"), decision="x"
    )
    assert client.get(EDIT, {"chi_tieu": foreign.pk}).status_code == 404
    assert (
        client.post(f"{EDIT}?chi_tieu={foreign.pk}", {"percent": "1", "decision": DECISION}).status_code
        == 404
    )
    assert client.get(EDIT, {"chi_tieu": "abc"}).status_code == 404
    assert client.get(EDIT).status_code == 404
    foreign.refresh_from_db()
    assert foreign.value == Decimal("0.9000")


def test_copying_last_years_targets(province_leader):
    Target.objects.create(
        target_id=ONLINE, year=2023, level="commune", value=Decimal("0.6"), decision="QĐ 2023"
    )
    page = province_leader.get(LIST, {"nam": "2023"}).content.decode()
    assert "Sao chép chỉ tiêu năm trước" in page and "Năm 2022 có 6 chỉ tiêu" in page

    done = province_leader.post(COPY, {"year": "2023", "decision": DECISION}, follow=True)

    assert done.status_code == 200
    assert (
        "Đã sao chép 5 chỉ tiêu của năm 2022 sang năm 2023; bỏ qua 1 chỉ tiêu đã có." in done.content.decode()
    )
    assert Target.objects.filter(year=2023).count() == 6
    assert Target.objects.get(year=2023, target_id=ONLINE, level="commune").value == Decimal("0.6000")
    assert Target.objects.filter(year=2023, decision=DECISION).count() == 5

    empty = province_leader.post(COPY, {"year": "2023", "decision": ""}, follow=True)
    assert "Văn bản giao chỉ tiêu: hãy nhập" in empty.content.decode()
    nothing = province_leader.post(COPY, {"year": "2030", "decision": DECISION}, follow=True)
    assert "Năm 2029 chưa có chỉ tiêu nào để sao chép." in nothing.content.decode()
    assert province_leader.get(COPY).status_code == 405


def test_sign_in_required(world):
    for url in (LIST, ADD, EDIT):
        answer = Client().get(url)
        assert answer.status_code == 302 and answer.url.startswith(reverse("office:login"))
