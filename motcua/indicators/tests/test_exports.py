"""Excel and PDF reports of the board. The workbook is read back from its XML (the XLSX zip): numbers
are numeric cells, texts are shared strings, and a text that would start a formula is a plain string
with Excel's quote prefix, never a formula."""

import re
import subprocess
import zipfile
from decimal import Decimal
from io import BytesIO
from xml.etree import ElementTree

import pytest

from motcua.accounts.tests.factories import UserFactory
from motcua.dossiers.models import DossierStep
from motcua.dossiers.workflow import Channel, Status, Verdict
from motcua.indicators.board import build_board
from motcua.indicators.exports.pdf import board_pdf
from motcua.indicators.exports.xlsx import board_workbook, is_dangerous
from motcua.indicators.tests.builders import AUGUST, at, make_dossier

pytestmark = pytest.mark.django_db

NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
EVIL = '=HYPERLINK("http://example.invalid/x","Bấm vào đây")'


def _xml(data: bytes) -> ElementTree.Element:
    # the workbook this test has just written, not untrusted input
    return ElementTree.fromstring(data)  # noqa: S314


def read_workbook(content: bytes) -> dict[str, dict[str, tuple[str, str, bool]]]:
    """Sheet name → cell ref → (value, type, quote prefixed); shared strings resolved."""
    archive = zipfile.ZipFile(BytesIO(content))
    strings = [
        "".join(t.text or "" for t in si.iter(f"{{{NS['m']}}}t"))
        for si in _xml(archive.read("xl/sharedStrings.xml")).findall("m:si", NS)
    ]
    styles = _xml(archive.read("xl/styles.xml"))
    quoted = [xf.get("quotePrefix") == "1" for xf in styles.find("m:cellXfs", NS).findall("m:xf", NS)]  # type: ignore[union-attr]
    names = [s.get("name") for s in _xml(archive.read("xl/workbook.xml")).iter(f"{{{NS['m']}}}sheet")]
    book = {}
    for index, name in enumerate(names, start=1):
        xml = archive.read(f"xl/worksheets/sheet{index}.xml")
        assert b"<f>" not in xml and b"<f " not in xml  # no formula anywhere
        cells = {}
        for cell in _xml(xml).iter(f"{{{NS['m']}}}c"):
            raw = cell.findtext("m:v", default="", namespaces=NS)
            kind = cell.get("t", "n")
            value = strings[int(raw)] if kind == "s" else raw
            cells[cell.get("r", "")] = (value, kind, quoted[int(cell.get("s", "0"))])
        book[str(name)] = cells
    return book


def row_of(cells: dict[str, tuple[str, str, bool]], column: str, value: str) -> str:
    ref = next(ref for ref, cell in cells.items() if ref.startswith(column) and cell[0] == value)
    return re.sub(r"^[A-Z]+", "", ref)


def test_dangerous_texts_are_the_formula_starters():
    assert all(is_dangerous(t) for t in ("=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"))
    assert not is_dangerous("UBND xã Gia Tân") and not is_dangerous("")


def test_the_workbook_has_scores_ranking_appendices_and_late_steps(world):
    for procedure in (world.online, world.online, world.offline):
        make_dossier(
            world.commune, procedure, channel=Channel.ONLINE, status=Status.PROCESSED, processed_at=at(9)
        )
    make_dossier(world.other_commune, world.offline)

    book = read_workbook(board_workbook(build_board(world.district, *AUGUST, None)))

    assert list(book)[:3] == ["Tổng hợp", "Xếp hạng", "Bước quá hạn"]
    summary = book["Tổng hợp"]
    line = row_of(summary, "A", "2.1")
    assert summary[f"C{line}"] == ("3", "n", False)  # numerator, a number
    assert summary[f"D{line}"] == ("4", "n", False)  # denominator
    assert Decimal(summary[f"E{line}"][0]) == Decimal("0.75")
    assert summary["B3"][0] == "UBND huyện Gia Lộc"
    ranking = book["Xếp hạng"]
    names = {cell[0] for cell in ranking.values()}
    assert {"UBND xã Gia Tân", "UBND xã Gia Hòa", "Xếp hạng các đơn vị trực thuộc"} <= names
    # one appendix per ranked unit (the district alone among its siblings, then its two communes)
    assert [name for name in book if name.startswith("PL")] == ["PL1", "PL2", "PL3"]
    appendix_units = {book[name]["B3"][0] for name in ("PL2", "PL3")}
    assert appendix_units == {"UBND xã Gia Tân", "UBND xã Gia Hòa"}
    gia_tan = next(book[n] for n in ("PL2", "PL3") if book[n]["B3"][0] == "UBND xã Gia Tân")
    assert gia_tan[f"C{row_of(gia_tan, 'A', '2.1')}"] == ("3", "n", False)


def test_a_name_that_starts_a_formula_stays_text(world):
    world.commune.name = EVIL
    world.commune.save()
    officer = UserFactory(officer=True, with_totp=False, full_name="@Trần Thị Bình")
    dossier = make_dossier(world.commune, world.online)
    DossierStep.objects.create(
        dossier=dossier,
        position=1,
        name="-Thẩm định",
        role="specialist",
        unit=world.commune,
        budget_hours=Decimal(8),
        started_at=at(7),
        due_at=at(8, 17),
        finished_at=at(9),
        verdict=Verdict.LATE,
        finished_by=officer,
    )

    book = read_workbook(board_workbook(build_board(world.district, *AUGUST, None)))

    evil = [cell for sheet in book.values() for cell in sheet.values() if cell[0] == EVIL]
    assert evil and all(kind == "s" and quoted for _value, kind, quoted in evil)
    late = book["Bước quá hạn"].values()
    assert ("@Trần Thị Bình", "s", True) in late and ("-Thẩm định", "s", True) in late
    plain = [cell for cell in book["Xếp hạng"].values() if cell[0] == "UBND xã Gia Hòa"]
    assert plain and not any(quoted for _v, _k, quoted in plain)


def test_the_pdf_has_the_units_vietnamese_name_and_its_scores(world, tmp_path):
    make_dossier(world.commune, world.online, status=Status.PROCESSED, processed_at=at(9))
    board = build_board(world.commune, *AUGUST, None)

    pdf = board_pdf(board)

    assert pdf.startswith(b"%PDF")
    path = tmp_path / "board.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True, text=True).stdout
    assert "UBND xã Gia Tân" in text
    assert board.position is not None and board.position.of == 2
    assert f"Xếp thứ {board.position.label} đơn vị cùng cấp" in text
    assert "Tỷ lệ hồ sơ xử lý trước hạn, đúng hạn" in text
