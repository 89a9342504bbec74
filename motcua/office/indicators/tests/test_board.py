"""The indicator board: the officer's unit by default, a unit below on request, 404 above or elsewhere;
the same numbers as the report; rank, targets with gaps, late steps by officer linking to their
dossier, the click-through to the dossiers behind an item, the period picker and the downloads."""

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client

from motcua.accounts.tests.factories import UserFactory
from motcua.conftest import login_with_otp
from motcua.core.worktime import TZ
from motcua.dossiers.models import DossierStep
from motcua.dossiers.workflow import Channel, Status, Verdict
from motcua.indicators.ranking import position_of, sibling_ranking
from motcua.indicators.tests.builders import at, make_dossier
from motcua.indicators.tests.conftest import world
from motcua.office.auth import UNIT_SESSION_KEY
from motcua.organizations.models import Level, Membership, Role
from motcua.organizations.tests.factories import UnitFactory

__all__ = ["world"]

pytestmark = pytest.mark.django_db

URL = "/can-bo/chi-so/"
DOSSIERS = "/can-bo/chi-so/ho-so/"
EXPORT_XLSX = "/can-bo/chi-so/xuat/excel/"
EXPORT_PDF = "/can-bo/chi-so/xuat/pdf/"


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


def gia_loc_in_august_2022(world):  # type: ignore[no-untyped-def]
    """A second district beside Gia Lộc; in Gia Lộc's communes 1 of 4 dossiers online (25 % against the
    55 % of Decision 1217), and one step finished late by an officer."""
    UnitFactory(
        code="000.00.13.H23", name="UBND huyện Cẩm Giàng", level=Level.DISTRICT, parent=world.province
    )
    day = dt.datetime(2022, 8, 8, 9, tzinfo=TZ)
    due = dt.datetime(2022, 8, 10, 17, tzinfo=TZ)
    online = make_dossier(
        world.commune,
        world.online,
        received_at=day,
        due_at=due,
        channel=Channel.ONLINE,
        is_result_electronic=True,
    )
    for _ in range(3):
        make_dossier(world.other_commune, world.online, received_at=day, due_at=due)
    officer = UserFactory(officer=True, with_totp=False, full_name="Trần Thị Bình")
    DossierStep.objects.create(
        dossier=online,
        position=1,
        name="Thẩm định",
        role="specialist",
        unit=world.commune,
        budget_hours=Decimal(8),
        started_at=day,
        due_at=day + dt.timedelta(hours=8),
        finished_at=day + dt.timedelta(days=1),
        verdict=Verdict.LATE,
        finished_by=officer,
    )
    return online


AUGUST_2022 = {"kind": "thang", "year": "2022", "month": "8"}


def test_a_district_leader_sees_rank_gap_to_the_online_target_and_late_steps_by_officer(world):
    online = gia_loc_in_august_2022(world)
    client = board_client(world.district)

    page = client.get(URL, AUGUST_2022)

    assert page.status_code == 200
    html = page.content.decode()
    ranking = sibling_ranking(world.district, dt.date(2022, 8, 1), dt.date(2022, 8, 31))
    label = position_of(ranking, world.district).label  # type: ignore[union-attr]
    assert label.endswith("/2")
    assert f"Xếp thứ {label} đơn vị cùng cấp" in html
    assert "UBND huyện Cẩm Giàng" in html and "UBND xã Gia Hòa" in html  # siblings, then communes
    # Decision 1217: 1 of 4 online, target 55 %: 30 points short
    assert (
        "Tỷ lệ hồ sơ TTHC xử lý trực tuyến (QĐ 1217/QĐ-UBND)</th><td>25,00% (1/4)</td><td>55,00%</td>" in html
    )
    assert "thiếu 30,00 điểm phần trăm" in html
    assert "Quyết định 1217/QĐ-UBND" in html
    assert "Trần Thị Bình" in html and f'href="/can-bo/ho-so/{online.code}/"' in html
    assert 'id="indicator-data"' in html and "echarts.common.min.js" in html
    assert "<script>" not in html  # data in json_script only, no inline script
    assert "/can-bo/chi-so/ho-so/?" in html and "indicator=2.1" in html


def test_the_click_through_lists_the_formulas_dossiers(world):
    online = gia_loc_in_august_2022(world)
    client = board_client(world.district)
    query = {**AUGUST_2022, "indicator": "3.3"}

    numerator = client.get(DOSSIERS, {**query, "part": "tu-so"})
    rest = client.get(DOSSIERS, {**query, "part": "con-lai"})

    assert numerator.status_code == rest.status_code == 200
    assert numerator.context["page"].paginator.count == 1 and online.code in numerator.content.decode()
    assert rest.context["page"].paginator.count == 3 and online.code not in rest.content.decode()
    assert client.get(DOSSIERS, {**query, "indicator": "5.2"}).status_code == 404  # not over dossiers
    assert client.get(DOSSIERS, {**query, "indicator": "2.1", "part": "x"}).status_code == 404


def test_the_exports_are_downloads(world):
    gia_loc_in_august_2022(world)
    client = board_client(world.district)

    excel = client.get(EXPORT_XLSX, AUGUST_2022)
    pdf = client.get(EXPORT_PDF, AUGUST_2022)

    assert excel.status_code == pdf.status_code == 200
    assert (
        excel["Content-Disposition"] == 'attachment; filename="chi-so-000.00.12.H23-20220801-20220831.xlsx"'
    )
    assert excel["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert excel.content.startswith(b"PK")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    for answer in (excel, pdf):
        assert answer["X-Content-Type-Options"] == "nosniff"
        assert answer["Cache-Control"] == "private, no-store"


def test_a_unit_outside_the_officers_tree_is_not_found_anywhere(world):
    client = board_client(world.commune)
    outside = {**AUGUST_2022, "unit": world.other_commune.code}
    for url in (URL, DOSSIERS, EXPORT_XLSX, EXPORT_PDF):
        assert client.get(url, {**outside, "indicator": "2.1"}).status_code == 404, url


def test_the_period_picker_month_quarter_year_and_custom(world):
    client = board_client(world.commune)
    cases = {
        "thang": ({"month": "2"}, "01/02/2024", "29/02/2024"),
        "quy": ({"quarter": "3"}, "01/07/2024", "30/09/2024"),
        "nam": ({}, "01/01/2024", "31/12/2024"),
    }
    for kind, (extra, start, end) in cases.items():
        html = client.get(URL, {"kind": kind, "year": "2024", **extra}).content.decode()
        assert f"từ {start} đến {end}" in html, kind
    custom = client.get(URL, {"kind": "tuy-chon", "date_from": "2023-08-03", "date_to": "2023-08-09"})
    assert "từ 03/08/2023 đến 09/08/2023" in custom.content.decode()
    assert client.get(URL, {"kind": "tuy-chon"}).status_code == 400
    assert client.get(URL, {"kind": "thang", "month": "13"}).status_code == 400
