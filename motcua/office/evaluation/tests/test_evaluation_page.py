"""The evaluation page (``danh-gia-tthc/``): the current unit's nine indices and grade, the officers' table
(every officer for a leader or the oversight office, only their own row for anyone else), the late
steps per officer linking to their dossiers, and nothing of another unit."""

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from motcua.accounts.tests.factories import UserFactory
from motcua.conftest import login_with_otp
from motcua.dossiers.models import Dossier, DossierStep
from motcua.dossiers.workflow import Status
from motcua.indicators.tests.builders import at, make_dossier
from motcua.indicators.tests.conftest import world
from motcua.office.auth import UNIT_SESSION_KEY
from motcua.organizations.models import Membership, Role, Unit

__all__ = ["world"]

pytestmark = pytest.mark.django_db
URL = reverse("office:evaluation")
Q3 = {"year": "2023", "period": "3"}


def member(unit: Unit, role: Role, name: str):  # type: ignore[no-untyped-def]
    user = UserFactory(officer=True, full_name=name)
    Membership.objects.create(user=user, unit=unit, role=role)
    return user


def client_for(user, unit: Unit) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    login_with_otp(client, user)
    session = client.session
    session[UNIT_SESSION_KEY] = unit.pk
    session.save()
    return client


def late_step(dossier: Dossier, by, verdict: str = "late") -> DossierStep:  # type: ignore[no-untyped-def]
    return DossierStep.objects.create(
        dossier=dossier,
        position=1,
        name="Thẩm định",
        role="specialist",
        unit=dossier.responsible_unit,
        assignee=by,
        finished_by=by,
        budget_hours=Decimal(8),
        started_at=at(7),
        due_at=at(8, 9),
        finished_at=at(8, 16) if verdict == "late" else at(7, 15),
        verdict=verdict,
    )


@pytest.fixture
def staff(world):  # type: ignore[no-untyped-def]
    leader = member(world.commune, Role.LEADER, "Lãnh Đạo Xã")
    tuan = member(world.commune, Role.SPECIALIST, "Đỗ Minh Tuấn")
    lan = member(world.commune, Role.SPECIALIST, "Hoàng Thị Lan")
    late = make_dossier(world.commune, world.online, status=Status.PROCESSED, processed_at=at(9))
    late_step(late, lan)
    fine = make_dossier(world.commune, world.online, status=Status.PROCESSED, processed_at=at(8))
    late_step(fine, tuan, verdict="early")
    return {"leader": leader, "tuan": tuan, "lan": lan, "late": late, "fine": fine}


def test_a_leader_sees_the_unit_every_officer_and_the_late_steps(world, staff):
    page = client_for(staff["leader"], world.commune).get(URL, Q3)

    assert page.status_code == 200
    html = page.content.decode()
    assert "Đánh giá việc giải quyết thủ tục hành chính" in html
    assert 'data-index="9"' in html
    assert "Đỗ Minh Tuấn" in html
    assert "Hoàng Thị Lan" in html
    assert "Hoàn thành 100% nhiệm vụ" in html  # Tuấn: early dossier, early step
    assert reverse("office:dossier_detail", args=[staff["late"].code]) in html
    assert f'data-late-officer="{staff["lan"].pk}"' in html
    result = page.context["result"]
    assert result.dossiers == 2
    assert result.grade is not None
    assert f'data-grade="{result.grade.key}"' in html


def test_a_specialist_sees_only_their_own_row(world, staff):
    page = client_for(staff["tuan"], world.commune).get(URL, Q3)

    assert page.status_code == 200
    html = page.content.decode()
    assert "Đánh giá của tôi" in html
    assert f'data-officer="{staff["tuan"].pk}"' in html
    assert "Hoàng Thị Lan" not in html
    assert staff["late"].code not in html  # Lan's late step is hers, not shown to Tuấn


def test_an_officer_of_another_unit_sees_nothing_of_this_one(world, staff):
    other = member(world.other_commune, Role.LEADER, "Lãnh Đạo Xã Khác")

    page = client_for(other, world.other_commune).get(URL, Q3)

    assert page.status_code == 200
    html = page.content.decode()
    assert page.context["result"].dossiers == 0
    assert "Hoàng Thị Lan" not in html
    assert "Đỗ Minh Tuấn" not in html
    assert staff["late"].code not in html


def test_the_oversight_office_of_the_district_sees_the_communes_rolled_up(world, staff):
    office = member(world.district, Role.OVERSIGHT, "Văn phòng huyện")

    page = client_for(office, world.district).get(URL, {"year": "2023", "period": "year"})

    assert page.status_code == 200
    assert page.context["result"].dossiers == 2
    assert "Hoàng Thị Lan" in page.content.decode()


def test_a_custom_range_and_a_wrong_one(world, staff):
    client = client_for(staff["leader"], world.commune)

    page = client.get(
        URL, {"year": "2023", "period": "custom", "date_from": "2023-08-09", "date_to": "2023-08-09"}
    )
    assert page.status_code == 200
    assert page.context["result"].dossiers == 1

    wrong = client.get(URL, {"year": "2023", "period": "custom", "date_from": "2023-08-09"})
    assert wrong.status_code == 400
    assert "Đến ngày: hãy nhập ngày kết thúc" in wrong.content.decode()


def test_the_current_quarter_by_default_and_sign_in_required(world, staff):
    assert client_for(staff["tuan"], world.commune).get(URL).status_code == 200
    anonymous = Client().get(URL)
    assert anonymous.status_code == 302
    assert anonymous.url.startswith(reverse("office:login"))
