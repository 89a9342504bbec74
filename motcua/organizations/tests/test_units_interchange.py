import datetime as dt
import io

import pytest
from django.core.management import call_command, get_commands
from django.core.management.base import CommandError

from motcua.core.errors import InvalidInput
from motcua.organizations.codes import agency_code_problem
from motcua.organizations.interchange import UnitRow, export_units, import_units, parse_units_csv
from motcua.organizations.models import Level, Unit, UnitChange
from motcua.organizations.services import create_unit, merge_unit

pytestmark = pytest.mark.django_db

HEADER = "code,name,level,parent_code\r\n"
TREE = (
    HEADER
    + "001.12.00.H23,UBND xã Gia Tân,commune,000.00.12.H23\r\n"  # parent defined further down
    + "000.00.12.H23,UBND huyện Gia Lộc,district,000.00.00.H23\r\n"
    + "000.00.00.H23,UBND tỉnh Hải Dương,province,\r\n"
    + "000.01.00.H23,Sở Tư pháp,department,000.00.00.H23\r\n"
)


def parse(text: str | bytes) -> list[UnitRow]:
    data = text.encode() if isinstance(text, str) else text
    return parse_units_csv(io.BytesIO(data))


def problems_of(text: str | bytes) -> list[tuple[int | None, str, str]]:
    with pytest.raises(InvalidInput) as caught:
        parse(text)
    return [(p.row, p.field, p.message) for p in caught.value.problems]


def where(problems: list[tuple[int | None, str, str]]) -> list[tuple[int | None, str]]:
    return [(row, field) for row, field, _ in problems]


def export_text() -> str:
    out = io.StringIO()
    export_units(out)
    return out.getvalue()


def counts() -> tuple[int, int]:
    return Unit.objects.count(), UnitChange.objects.count()


@pytest.fixture
def province():
    return create_unit(
        code="000.00.00.H23", name="UBND tỉnh Hải Dương", level=Level.PROVINCE, parent=None, by=None
    )


# --- happy paths -------------------------------------------------------------------------------------


def test_import_builds_the_tree_with_parents_defined_later_in_the_file():
    # when
    summary = import_units(parse(TREE))

    # then
    assert (summary.created, summary.updated, summary.unchanged) == (4, 0, 0)
    commune = Unit.objects.get(code="001.12.00.H23")
    assert [u.code for u in commune.ancestors()] == ["000.00.12.H23", "000.00.00.H23"]
    assert Unit.objects.get(code="000.01.00.H23").level == Level.DEPARTMENT
    assert UnitChange.objects.filter(kind=UnitChange.Kind.CREATED).count() == 4


def test_parents_may_already_exist(province):
    rows = parse(HEADER + "000.00.12.H23,UBND huyện Gia Lộc,district,000.00.00.H23\r\n")
    summary = import_units(rows)
    assert summary.created == 1
    assert Unit.objects.get(code="000.00.12.H23").parent == province


def test_bom_blank_rows_trailing_cells_spaces_and_column_order_are_tolerated(province):
    text = (
        "\ufeffparent_code, code ,name,level,,\r\n"
        "000.00.00.H23 , 000.00.12.H23 ,  UBND huyện Gia Lộc ,district,,\r\n"
        ",,,,,\r\n"
        "\r\n"
    )
    [row] = parse(text.encode("utf-8"))
    assert row == UnitRow(
        row=2, code="000.00.12.H23", name="UBND huyện Gia Lộc", level="district", parent_code="000.00.00.H23"
    )


def test_header_only_imports_nothing():
    assert parse(HEADER) == []
    assert import_units([]).created == 0


def test_reimport_renames_and_reparents_with_history():
    # given
    import_units(parse(TREE))
    changed = (
        HEADER
        + "001.12.00.H23,UBND xã Gia Tân,commune,000.00.00.H23\r\n"  # moved under the province
        + "000.00.12.H23,UBND thị xã Gia Lộc,district,000.00.00.H23\r\n"  # renamed
        + "000.00.00.H23,UBND tỉnh Hải Dương,province,\r\n"
    )

    # when
    summary = import_units(
        parse(changed), effective_on=dt.date(2025, 7, 1), legal_basis="NQ 1669/NQ-UBTVQH15"
    )

    # then
    assert (summary.created, summary.updated, summary.unchanged) == (0, 2, 1)
    rename = UnitChange.objects.get(kind=UnitChange.Kind.RENAMED)
    assert (rename.unit.code, rename.old_name, rename.new_name) == (
        "000.00.12.H23",
        "UBND huyện Gia Lộc",
        "UBND thị xã Gia Lộc",
    )
    assert (rename.effective_on, rename.legal_basis) == (dt.date(2025, 7, 1), "NQ 1669/NQ-UBTVQH15")
    move = UnitChange.objects.get(kind=UnitChange.Kind.REPARENTED)
    assert (move.unit.code, move.old_parent.code, move.new_parent.code) == (
        "001.12.00.H23",
        "000.00.12.H23",
        "000.00.00.H23",
    )
    assert Unit.objects.count() == 4  # the department not in the file is left alone


def test_round_trip_gives_identical_bytes_with_rfc4180_quoting():
    # given: names with a comma, quotes and a line break
    text = (
        HEADER
        + '000.00.00.H23,"UBND tỉnh Hải Dương, Việt Nam",province,\r\n'
        + '000.00.12.H23,"Huyện ""Gia Lộc""",district,000.00.00.H23\r\n'
        + '000.01.12.H23,"Phòng Tư pháp\nhuyện Gia Lộc",department,000.00.12.H23\r\n'
    )
    import_units(parse(text))
    assert Unit.objects.get(code="000.00.12.H23").name == 'Huyện "Gia Lộc"'
    assert Unit.objects.get(code="000.01.12.H23").name == "Phòng Tư pháp\nhuyện Gia Lộc"
    first = export_text()
    assert first == text

    # when: import the export into an empty database
    UnitChange.objects.all().delete()
    for level in (Level.DEPARTMENT, Level.DISTRICT, Level.PROVINCE):
        Unit.objects.filter(level=level).delete()
    import_units(parse(first))

    # then
    assert export_text() == first


def test_export_includes_inactive_units_so_history_still_resolves(province):
    a = create_unit(code="001.00.00.H23", name="Xã A", level=Level.COMMUNE, parent=province, by=None)
    b = create_unit(code="002.00.00.H23", name="Xã B", level=Level.COMMUNE, parent=province, by=None)
    merge_unit(unit=a, into=b, effective_on=dt.date(2025, 7, 1), legal_basis="NQ", by=None)
    assert "001.00.00.H23,Xã A,commune,000.00.00.H23" in export_text()
    # and re-importing the unchanged row of an inactive unit is fine
    summary = import_units(parse(export_text()))
    assert (summary.created, summary.updated, summary.unchanged) == (0, 0, 3)


# --- bad input: every problem, by row and column ---------------------------------------------------


def test_every_cell_problem_is_listed_with_row_and_column(province):
    text = (
        HEADER
        + "000.00.12.H23,UBND huyện Gia Lộc,district,000.00.00.H23\r\n"  # 2 fine
        + "12.H23,UBND xã A,commune,000.00.12.H23\r\n"  # 3 bad code
        + "002.12.00.H23,,village,000.00.12.H23\r\n"  # 4 empty name, bad level
        + "003.12.00.H23,UBND xã C,commune,999.99.99.H99\r\n"  # 5 unknown parent
        + "000.00.12.H23,Trùng,district,000.00.00.H23\r\n"  # 6 duplicate of row 2
        + "004.12.00.H23,UBND xã D,commune,0.H23\r\n"  # 7 bad parent code
        + "000.00.13.H23,UBND huyện Tứ Kỳ,district,000.00.12.H23\r\n"  # 8 district under a district (in file)
        + "005.00.00.H23,UBND xã E,commune,\r\n"  # 9 a commune needs a parent
        + "000.00.00.H24,UBND tỉnh khác,province,000.00.00.H23\r\n"  # 10 province under a province (in DB)
    )
    before = counts()

    problems = problems_of(text)

    assert where(problems) == [
        (3, "code"),
        (4, "name"),
        (4, "level"),
        (5, "parent_code"),
        (6, "code"),
        (7, "parent_code"),
        (8, "level"),
        (9, "level"),
        (10, "level"),
    ]
    messages = dict(((row, field), message) for row, field, message in problems)
    assert messages[3, "code"] == agency_code_problem("12.H23")
    assert messages[7, "parent_code"] == agency_code_problem("0.H23")
    assert "village" in messages[4, "level"]
    assert "province, district, commune, department" in messages[4, "level"]
    assert "999.99.99.H99" in messages[5, "parent_code"]
    assert "dòng 2" in messages[6, "code"]
    assert counts() == before


def test_changes_to_existing_units_are_checked(province):
    # given
    district = create_unit(code="000.00.12.H23", name="Huyện", level=Level.DISTRICT, parent=province, by=None)
    a = create_unit(code="001.12.00.H23", name="Xã A", level=Level.COMMUNE, parent=district, by=None)
    b = create_unit(code="002.12.00.H23", name="Xã B", level=Level.COMMUNE, parent=district, by=None)
    merge_unit(unit=a, into=b, effective_on=dt.date(2025, 7, 1), legal_basis="NQ", by=None)
    text = (
        HEADER
        + "000.00.12.H23,Huyện,commune,000.00.00.H23\r\n"  # 2 level change
        + "001.12.00.H23,Xã A mới,commune,000.00.12.H23\r\n"  # 3 renaming an inactive unit
        + "003.12.00.H23,Xã C,commune,001.12.00.H23\r\n"  # 4 under an inactive unit (and a commune)
    )

    problems = problems_of(text)

    assert where(problems) == [(2, "level"), (3, ""), (4, "level"), (4, "parent_code")]
    assert "ngừng hoạt động" in problems[1][2]


def test_a_cycle_in_the_file_is_refused():
    text = (
        HEADER
        + "000.00.00.H23,Tỉnh,province,\r\n"
        + "000.01.00.H23,Phòng A,department,000.02.00.H23\r\n"
        + "000.02.00.H23,Phòng B,department,000.01.00.H23\r\n"
    )
    problems = problems_of(text)
    assert where(problems) == [(3, "level"), (3, "parent_code"), (4, "level"), (4, "parent_code")]
    assert problems[1][2] == "Cây đơn vị bị vòng lặp: 000.01.00.H23 → 000.02.00.H23 → 000.01.00.H23."


def test_tree_problems_are_listed_alongside_cell_problems():
    text = HEADER + "bad,Xã,commune,000.00.12.H23\r\n" + "002.12.00.H23,Xã B,commune,000.00.99.H23\r\n"
    assert where(problems_of(text)) == [(2, "code"), (3, "parent_code")]


def test_a_parent_row_with_bad_cells_still_counts_as_defined():
    text = HEADER + "000.00.00.H23,,province,\r\n" + "000.00.12.H23,Huyện,district,000.00.00.H23\r\n"
    assert where(problems_of(text)) == [(2, "name")]


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("code,name,level\r\n", [(1, "parent_code")]),
        ("code,name,level,parent_code,note\r\n", [(1, "note")]),
        ("code,nmae,level,parent_code\r\n", [(1, "nmae")]),
        ("code,name,name,level,parent_code\r\n", [(1, "name")]),
    ],
)
def test_header_problems(header, expected):
    problems = problems_of(header + "000.00.00.H23,Tỉnh,province,\r\n")
    assert where(problems) == expected


def test_misspelled_column_gets_a_suggestion():
    [(_, _, message)] = problems_of("code,nmae,level,parent_code\r\n")
    assert "«name»" in message


def test_missing_and_misspelled_columns_are_listed_together():
    assert where(problems_of("kode,name\r\n")) == [(1, "kode"), (1, "level"), (1, "parent_code")]


@pytest.mark.parametrize("data", [b"", b"\xef\xbb\xbf", b"\r\n\r\n", b"  \n"])
def test_empty_file(data):
    [(row, field, message)] = problems_of(data)
    assert (row, field) == (None, "")
    assert "Tệp rỗng" in message


def test_not_utf8_names_the_line():
    data = (
        (HEADER + "000.00.00.H34,Tỉnh Thái Bình,province,\r\n")
        .encode("utf-8")
        .replace("Thái Bình".encode(), "Thái Bình".encode("latin-1"))
    )
    [(row, _field, message)] = problems_of(data)
    assert row is None
    assert "UTF-8" in message
    assert "dòng 2" in message


def test_semicolon_separated_file_is_explained():
    [(row, _, message)] = problems_of("code;name;level;parent_code\r\n000.00.00.H23;Tỉnh;province;\r\n")
    assert row == 1
    assert "chấm phẩy" in message


def test_too_many_cells_and_broken_quotes():
    text = HEADER + "000.00.00.H23,Tỉnh,province,,x\r\n" + '000.00.12.H23,"Huyện" Gia Lộc,district,\r\n'
    problems = problems_of(text)
    assert [row for row, _, _ in problems] == [2, 3]
    assert "5 ô" in problems[0][2]
    assert "CSV" in problems[1][2]


def test_import_checks_rows_given_in_code_and_writes_nothing(province):
    # given: fine rows first, the wrong one last
    rows = [
        UnitRow(row=2, code="000.00.12.H23", name="Huyện", level=Level.DISTRICT, parent_code="000.00.00.H23"),
        UnitRow(row=3, code="000.00.00.H23", name="Tỉnh mới", level=Level.PROVINCE, parent_code=""),
        UnitRow(row=4, code="001.12.00.H23", name="Xã", level=Level.COMMUNE, parent_code="000.00.77.H23"),
    ]
    before = counts()

    with pytest.raises(InvalidInput) as caught:
        import_units(rows)

    assert [(p.row, p.field) for p in caught.value.problems] == [(4, "parent_code")]
    assert counts() == before
    assert Unit.objects.get(code="000.00.00.H23").name == "UBND tỉnh Hải Dương"


# --- commands --------------------------------------------------------------------------------------


def test_commands_with_hyphenated_names_are_found():
    commands = get_commands()
    assert commands["import-units"] == "motcua.organizations"
    assert commands["export-units"] == "motcua.organizations"


def test_import_command_prints_a_summary(tmp_path):
    path = tmp_path / "units.csv"
    path.write_bytes(TREE.encode("utf-8-sig"))
    out = io.StringIO()

    call_command("import-units", str(path), stdout=out)

    assert out.getvalue() == "Đã nhập đơn vị: 4 dòng thêm mới, 0 dòng cập nhật, 0 dòng không đổi.\n"
    assert Unit.objects.count() == 4


def test_import_command_lists_every_problem_and_writes_nothing(tmp_path, province):
    # given
    path = tmp_path / "units.csv"
    path.write_text(
        HEADER + "000.00.12.H23,Huyện,district,000.00.00.H23\r\n" + "x,Xã,hamlet,000.00.12.H23\r\n",
        encoding="utf-8",
    )
    err = io.StringIO()
    before = counts()

    # when
    with pytest.raises(CommandError, match="2 lỗi"):
        call_command("import-units", str(path), stderr=err)

    # then
    lines = err.getvalue().splitlines()
    assert lines == [
        f"{path}: dòng 3, cột «code»: {agency_code_problem('x')}",
        f"{path}: dòng 3, cột «level»: Cấp «hamlet» không hợp lệ; chọn một trong: "
        "province, district, commune, department.",
    ]
    assert counts() == before


def test_import_command_missing_file(tmp_path):
    with pytest.raises(CommandError, match="Không mở được tệp"):
        call_command("import-units", str(tmp_path / "none.csv"))


def test_import_command_records_the_effective_date(tmp_path, province):
    path = tmp_path / "units.csv"
    path.write_text(HEADER + "000.00.00.H23,UBND thành phố Hải Phòng,province,\r\n", encoding="utf-8")
    call_command(
        "import-units",
        str(path),
        "--effective-on",
        "2025-07-01",
        "--legal-basis",
        "NQ 202/2025/QH15",
        stdout=io.StringIO(),
    )
    change = UnitChange.objects.get(kind=UnitChange.Kind.RENAMED)
    assert (change.effective_on, change.legal_basis) == (dt.date(2025, 7, 1), "NQ 202/2025/QH15")


def test_export_command_to_stdout_and_to_a_file(tmp_path):
    import_units(parse(TREE))
    out = io.StringIO()
    call_command("export-units", stdout=out)
    assert out.getvalue() == export_text()
    assert out.getvalue().startswith(HEADER)

    path = tmp_path / "out.csv"
    message = io.StringIO()
    call_command("export-units", "--out", str(path), stdout=message)
    assert path.read_bytes() == export_text().encode("utf-8")
    assert "4 đơn vị" in message.getvalue()
