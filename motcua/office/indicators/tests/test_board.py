"""The indicator board: the officer's unit by default, a unit below on request, 404 above or elsewhere;
the same numbers as the report; late steps link to their dossier."""

import pytest
from django.test import Client

from motcua.accounts.tests.factories import UserFactory
from motcua.conftest import login_with_otp
from motcua.dossiers.workflow import Status
from motcua.indicators.tests.builders import at, make_dossier
from motcua.indicators.tests.conftest import world
from motcua.office.auth import UNIT_SESSION_KEY
from motcua.organizations.models import Membership, Role

__all__ = ["world"]

pytestmark = pytest.mark.django_db

URL = "/can-bo/chi-so/"


def board_client(unit):  # type: ignore[no-untyped-def]
    user = UserFactory(officer=True)
    Membership.objects.create(user=user, unit=unit, role=Role.OVERSIGHT)
    client = Client()
    login_with_otp(client, user)
    session = client.session
    session[UNIT_SESSION_KEY] = unit.pk
    session.save()
    return client


def test_the_board_shows_scores_targets_and_late_steps_of_a_unit_below(world):
    make_dossier(world.commune, world.online, status=Status.PROCESSED, processed_at=at(9))
    make_dossier(world.commune, world.online, status=Status.PROCESSED, processed_at=at(11))
    client = board_client(world.district)

    page = client.get(URL, {"unit": world.commune.code, "date_from": "2023-08-01", "date_to": "2023-08-31"})

    assert page.status_code == 200
    html = page.content.decode()
    assert "Bảng chỉ số 766" in html and world.commune.name in html
    assert "Tỷ lệ hồ sơ xử lý trước hạn, đúng hạn" in html
    assert "<td>1</td><td>2</td><td>0,5000</td><td>10,00</td><td>20</td>" in html


def test_the_board_refuses_a_unit_above_and_a_bad_period(world):
    client = board_client(world.commune)
    assert client.get(URL, {"unit": world.district.code}).status_code == 404
    bad = client.get(URL, {"date_from": "2023-08-31", "date_to": "2023-08-01"})
    assert bad.status_code == 400
    assert "Ngày bắt đầu sau ngày kết thúc." in bad.content.decode()
    assert client.get(URL).status_code == 200
