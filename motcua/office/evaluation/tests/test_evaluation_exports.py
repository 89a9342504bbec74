"""Excel and PDF exports of the TT 01/2018 evaluation (``danh-gia-tthc/xuat/excel/``, ``.../pdf/``):
the same parameters and the same scoping as the page (a specialist's export holds only their own row
and late steps), the workbook read back from its XML, the PDF through pdftotext, and a name that would
start a formula stays text."""

import subprocess

import pytest
from django.test import Client
from django.urls import reverse

from motcua.dossiers.workflow import Status
from motcua.indicators.tests.builders import at, make_dossier
from motcua.indicators.tests.conftest import world
from motcua.indicators.tests.test_exports import read_workbook, row_of
from motcua.office.evaluation.tests.test_evaluation_page import client_for, late_step, member
from motcua.organizations.models import Role

__all__ = ["world"]

pytestmark = pytest.mark.django_db
XLSX, PDF = reverse("office:evaluation_export_xlsx"), reverse("office:evaluation_export_pdf")
Q3 = {"year": "2023", "period": "3"}
EVIL = '=HYPERLINK("http://example.invalid/x","Bấm vào đây")'


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


def texts(sheet: dict[str, tuple[str, str, bool]]) -> set[str]:
    return {value for value, _kind, _quoted in sheet.values()}


def pdf_text(content: bytes, tmp_path) -> str:  # type: ignore[no-untyped-def]
    path = tmp_path / "danh-gia.pdf"
    path.write_bytes(content)
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True, text=True).stdout


def test_the_leaders_workbook_has_the_unit_the_officers_and_the_late_steps(world, staff):
    answer = client_for(staff["leader"], world.commune).get(XLSX, Q3)

    assert answer.status_code == 200
    assert (
        answer["Content-Disposition"]
        == 'attachment; filename="danh-gia-tthc-001.12.00.H23-20230701-20230930.xlsx"'
    )
    assert answer["X-Content-Type-Options"] == "nosniff"
    book = read_workbook(answer.content)
    assert list(book) == ["Đơn vị", "Cán bộ", "Bước quá hạn"]
    unit = book["Đơn vị"]
    assert unit["B4"][0] == "UBND xã Gia Tân"
    assert unit[f"B{row_of(unit, 'A', 'Số hồ sơ')}"] == ("2", "n", False)
    page = client_for(staff["leader"], world.commune).get(reverse("office:evaluation"), Q3).context["result"]
    assert unit[f"B{row_of(unit, 'A', 'Xếp loại')}"][0] == page.grade.label
    nine = [unit[f"A{row_of(unit, 'B', index.name)}"] for index in page.indices]
    assert [value for value, _k, _q in nine] == [str(n) for n in range(1, 10)]
    officers = book["Cán bộ"]
    assert {"Lãnh Đạo Xã", "Đỗ Minh Tuấn", "Hoàng Thị Lan"} & texts(officers) == {
        "Đỗ Minh Tuấn",
        "Hoàng Thị Lan",
    }
    tuan = row_of(officers, "A", "Đỗ Minh Tuấn")
    assert officers[f"H{tuan}"][0] == "Hoàn thành 100% nhiệm vụ"
    assert officers[f"I{tuan}"] == ("1", "n", False)  # one dossier, a number
    late = book["Bước quá hạn"]
    line = row_of(late, "B", staff["late"].code)
    assert late[f"A{line}"][0] == "Hoàng Thị Lan"
    assert late[f"C{line}"][0] == "Thẩm định"
    assert late[f"E{line}"][0] == "09:00 08/08/2023"


def test_a_specialists_exports_hold_only_their_own_row(world, staff, tmp_path):
    client = client_for(staff["tuan"], world.commune)

    book = read_workbook(client.get(XLSX, Q3).content)
    text = pdf_text(client.get(PDF, Q3).content, tmp_path)

    everything = set().union(*(texts(sheet) for sheet in book.values()))
    assert "Đỗ Minh Tuấn" in everything
    assert "Hoàng Thị Lan" not in everything
    assert staff["late"].code not in everything  # Lan's late step is hers
    assert "Đánh giá của tôi" in " ".join(everything)
    assert "Đỗ Minh Tuấn" in text and "Đánh giá của tôi" in text
    assert "Hoàng Thị Lan" not in text and staff["late"].code not in text


def test_the_pdf_has_the_unit_its_grade_the_officers_and_the_late_dossier(world, staff, tmp_path):
    client = client_for(staff["leader"], world.commune)
    result = client.get(reverse("office:evaluation"), Q3).context["result"]

    answer = client.get(PDF, Q3)

    assert answer.status_code == 200
    assert answer.content.startswith(b"%PDF")
    assert answer["Content-Disposition"].endswith('-20230701-20230930.pdf"')
    text = pdf_text(answer.content, tmp_path)
    assert "UBND xã Gia Tân" in text
    assert "Từ 01/07/2023 đến 30/09/2023" in text
    assert result.grade.label in text
    assert "Thời gian giải quyết hồ sơ so với thời hạn quy định" in text
    assert "Hoàng Thị Lan" in text and "Đỗ Minh Tuấn" in text
    assert staff["late"].code in text


def test_an_officer_named_like_a_formula_comes_out_as_text(world, staff, tmp_path):
    evil = member(world.commune, Role.SPECIALIST, EVIL)
    dossier = make_dossier(world.commune, world.online, status=Status.PROCESSED, processed_at=at(10))
    late_step(dossier, evil)
    client = client_for(staff["leader"], world.commune)

    book = read_workbook(client.get(XLSX, Q3).content)  # read_workbook: no <f> in any sheet

    cells = [cell for sheet in book.values() for cell in sheet.values() if cell[0] == EVIL]
    assert len(cells) >= 3  # officers' table, late count, late step
    assert all(kind == "s" and quoted for _value, kind, quoted in cells)
    plain = [cell for cell in book["Cán bộ"].values() if cell[0] == "Đỗ Minh Tuấn"]
    assert plain and not any(quoted for _v, _k, quoted in plain)
    assert "HYPERLINK" in pdf_text(client.get(PDF, Q3).content, tmp_path)  # printed, not linked


def test_same_parameters_as_the_page(world, staff):
    client = client_for(staff["leader"], world.commune)

    day = {"year": "2023", "period": "custom", "date_from": "2023-08-09", "date_to": "2023-08-09"}
    book = read_workbook(client.get(XLSX, day).content)
    unit = book["Đơn vị"]
    assert unit[f"B{row_of(unit, 'A', 'Số hồ sơ')}"] == ("1", "n", False)
    assert unit[f"B{row_of(unit, 'A', 'Kỳ')}"][0] == "Từ 09/08/2023 đến 09/08/2023"

    wrong = client.get(PDF, {"year": "2023", "period": "custom", "date_from": "2023-08-09"})
    assert wrong.status_code == 400
    assert "Đến ngày: hãy nhập ngày kết thúc" in wrong.content.decode()


def test_the_page_links_to_both_exports_with_its_period(world, staff):
    html = client_for(staff["leader"], world.commune).get(reverse("office:evaluation"), Q3).content.decode()

    assert f'href="{XLSX}?year=2023&amp;period=3"' in html
    assert f'href="{PDF}?year=2023&amp;period=3"' in html


def test_another_units_officer_exports_nothing_of_this_one(world, staff):
    other = member(world.other_commune, Role.LEADER, "Lãnh Đạo Xã Khác")

    book = read_workbook(client_for(other, world.other_commune).get(XLSX, Q3).content)

    everything = set().union(*(texts(sheet) for sheet in book.values()))
    assert "Hoàng Thị Lan" not in everything and staff["late"].code not in everything


def test_sign_in_required(world):
    for url in (XLSX, PDF):
        answer = Client().get(url, Q3)
        assert answer.status_code == 302 and answer.url.startswith(reverse("office:login"))
