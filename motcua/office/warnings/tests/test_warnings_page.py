"""The early-warning page ``canh-bao/`` of the officer's current unit (DOMAIN.md §9)."""

import datetime as dt

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from motcua.dossiers.tests.conftest import local
from motcua.dossiers.tests.factories import DossierFactory, DossierStepFactory
from motcua.feedback.models import Feedback, FeedbackSubject
from motcua.office.tests.conftest import sign_in

pytestmark = pytest.mark.django_db

FRIDAY_15 = local(2024, 3, 8, 15, 0)
MONDAY_10 = local(2024, 3, 11, 10, 0)  # within 8 working hours of Friday 15:00
FAR = FRIDAY_15 + dt.timedelta(days=30)


@pytest.fixture(autouse=True)
def _friday():  # type: ignore[no-untyped-def]
    with time_machine.travel(FRIDAY_15, tick=False):
        yield


@pytest.fixture
def world(units, specialist):  # type: ignore[no-untyped-def]
    DossierFactory(code="ONLINE-1", receiving_unit=units.commune, online=True, reception_due_at=MONDAY_10)
    step_dossier = DossierFactory(code="STEP-1", receiving_unit=units.commune, processing=True, due_at=FAR)
    DossierStepFactory(dossier=step_dossier, assignee=specialist, name="Thẩm định hồ sơ", due_at=MONDAY_10)
    Feedback.objects.create(
        code="PAKN-1",
        unit=units.commune,
        subject=FeedbackSubject.PROCEDURE,
        title="Thời gian cấp giấy khai sinh",
        content="Đề nghị rút ngắn.",
        submitter_name="Nguyễn Thị Mai",
        received_at=FRIDAY_15 - dt.timedelta(days=20),
        due_at=MONDAY_10,
    )
    DossierFactory(
        code="FOREIGN-1", receiving_unit=units.other_commune, online=True, reception_due_at=MONDAY_10
    )


def page(client: Client, query: str = "") -> str:
    response = client.get(reverse("office:warnings") + query)
    assert response.status_code == 200
    return response.content.decode()


def mine_section(html: str) -> str:
    return html.split('id="mine-title"')[1].split('id="unit-title"')[0]


def test_receiver_sees_the_reception_queue_as_their_work(client, world, receiver) -> None:
    html = page(sign_in(client, receiver))

    mine = mine_section(html)
    assert "ONLINE-1" in mine and "STEP-1" not in mine
    assert "STEP-1" in html and "PAKN-1" in html  # the unit's, grouped by officer
    assert "Đỗ Minh Tuấn" in html
    assert reverse("office:dossier_detail", args=["ONLINE-1"]) in html
    assert reverse("office:feedback_detail", args=["PAKN-1"]) in html
    assert "FOREIGN-1" not in html
    assert 'data-count="reception"' in html


def test_leader_sees_the_pakn_and_the_unit(client, world, leader) -> None:
    html = page(sign_in(client, leader))

    mine = mine_section(html)
    assert "PAKN-1" in mine and "ONLINE-1" not in mine
    assert "STEP-1" in html and "FOREIGN-1" not in html


def test_specialist_sees_their_step(client, world, specialist) -> None:
    mine = mine_section(page(sign_in(client, specialist)))
    assert "STEP-1" in mine and "ONLINE-1" not in mine and "PAKN-1" not in mine


def test_filter_by_kind(client, world, leader) -> None:
    html = page(sign_in(client, leader), "?loai=step")
    assert "STEP-1" in html and "ONLINE-1" not in html and "PAKN-1" not in html
    # an unknown kind shows everything rather than failing
    assert "ONLINE-1" in page(client, "?loai=bogus")


def test_another_units_officer_never_sees_these_items(client, world, receiver_elsewhere) -> None:
    html = page(sign_in(client, receiver_elsewhere))
    assert "FOREIGN-1" in mine_section(html)
    assert "ONLINE-1" not in html and "STEP-1" not in html and "PAKN-1" not in html


def test_anonymous_is_sent_to_sign_in(client, world) -> None:
    response = client.get(reverse("office:warnings"))
    assert response.status_code == 302 and reverse("office:login") in response["Location"]


def test_the_dashboard_links_to_the_page(client, world, receiver) -> None:
    html = sign_in(client, receiver).get(reverse("office:dashboard")).content.decode()
    assert reverse("office:warnings") in html
    assert '<span class="badge text-bg-warning" data-count="my-warnings">1</span>' in html  # ONLINE-1


def test_the_dashboard_link_has_no_badge_without_items(client, units, receiver_elsewhere) -> None:
    html = sign_in(client, receiver_elsewhere).get(reverse("office:dashboard")).content.decode()
    assert reverse("office:warnings") in html and 'data-count="my-warnings"' not in html
