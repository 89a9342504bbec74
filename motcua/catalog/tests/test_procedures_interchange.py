import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.management import call_command, get_commands
from django.core.management.base import CommandError

from motcua.catalog.interchange import (
    ProcedureRow,
    export_procedures,
    field_code_for,
    import_procedures,
    parse_procedures_csv,
)
from motcua.catalog.models import Field, OnlineLevel, Procedure, PublicationState, TimeUnit
from motcua.catalog.tests.factories import ComponentFactory, FieldFactory, ProcedureFactory
from motcua.core.errors import InvalidInput

pytestmark = pytest.mark.django_db

HEADER = (
    "code,name,field,level,online_level,time_limit,time_unit,fee_vnd,result_required,full_online_eligible\r\n"
)
CATALOG = (
    HEADER
    + "1.001193,Đăng ký khai sinh,Hộ tịch,commune,full,0.5,working_days,0,1,1\r\n"
    + "2.000908,Chứng thực bản sao từ bản chính,Chứng thực,commune,partial,,none,2000,1,0\r\n"
    + "1.000656,Cấp Giấy chứng nhận quyền sử dụng đất,Đất đai,district,none,30,days,100000,1,0\r\n"
)


def parse(text: str | bytes) -> list[ProcedureRow]:
    return parse_procedures_csv(io.BytesIO(text.encode() if isinstance(text, str) else text))


def problems_of(text: str) -> list[tuple[int | None, str, str]]:
    with pytest.raises(InvalidInput) as caught:
        parse(text)
    return [(p.row, p.field, p.message) for p in caught.value.problems]


def export_text() -> str:
    out = io.StringIO()
    export_procedures(out)
    return out.getvalue()


def counts() -> tuple[int, int]:
    return Procedure.objects.count(), Field.objects.count()


def test_import_creates_procedures_and_fields():
    # when
    summary = import_procedures(parse(CATALOG))

    # then
    assert (summary.created, summary.updated, summary.unchanged) == (3, 0, 0)
    birth = Procedure.objects.get(code="1.001193")
    assert (birth.field.name, birth.field.code) == ("Hộ tịch", "ho-tich")
    assert (birth.time_limit, birth.time_unit, birth.online_level) == (Decimal("0.5"), "working_days", "full")
    assert birth.full_online_eligible and birth.result_required
    assert birth.publication_state == PublicationState.DRAFT
    copy = Procedure.objects.get(code="2.000908")
    assert (copy.time_limit, copy.time_unit, copy.fee_vnd) == (Decimal(0), TimeUnit.NONE, 2000)
    assert Field.objects.get(name="Đất đai").code == "dat-dai"


def test_comma_is_accepted_as_the_decimal_separator():
    [row] = parse(HEADER + '1.001193,Đăng ký khai sinh,Hộ tịch,commune,full,"1,5",working_days,0,1,1\r\n')
    assert row.time_limit == Decimal("1.5")


def test_new_procedures_can_be_published_on_import():
    import_procedures(parse(CATALOG), published_on=dt.date(2024, 1, 2))
    assert set(Procedure.objects.values_list("publication_state", "published_on")) == {
        (PublicationState.PUBLISHED, dt.date(2024, 1, 2))
    }


def test_reimport_updates_only_the_file_columns_and_marks_the_publicized_update():
    # given: a published procedure with richer data than the file carries
    procedure = ProcedureFactory(code="1.001193", name="Đăng ký khai sinh", published=True, time_limit=1)
    component = ComponentFactory(procedure=procedure, name="Tờ khai đăng ký khai sinh")
    untouched = ProcedureFactory(code="1.000656", name="Cũ", published=True)
    rows = parse(
        HEADER
        + "1.001193,Đăng ký khai sinh,Hộ tịch,commune,full,0.5,working_days,0,1,1\r\n"
        + f"1.000656,Cũ,{untouched.field.name},commune,none,3,working_days,0,1,0\r\n"
    )

    # when
    summary = import_procedures(rows, updated_on=dt.date(2024, 3, 1))

    # then
    assert (summary.created, summary.updated, summary.unchanged) == (0, 1, 1)
    procedure.refresh_from_db()
    assert (procedure.time_limit, procedure.online_level, procedure.field.name) == (
        Decimal("0.5"),
        "full",
        "Hộ tịch",
    )
    assert procedure.updated_on == dt.date(2024, 3, 1)
    assert procedure.sequence.startswith("Bước 1") and procedure.legal_basis
    assert list(procedure.components.all()) == [component]
    untouched.refresh_from_db()
    assert untouched.updated_on == dt.date(2023, 1, 5)


def test_field_names_match_existing_fields_exactly():
    FieldFactory(code="HT", name="Hộ tịch")
    import_procedures(parse(CATALOG))
    assert Procedure.objects.get(code="1.001193").field.code == "HT"
    assert Field.objects.count() == 3


def test_field_codes_are_unique_slugs():
    assert field_code_for("Hộ tịch", set()) == "ho-tich"
    assert field_code_for("Hộ tịch", {"ho-tich"}) == "ho-tich-2"
    assert field_code_for("Hộ tịch", {"ho-tich", "ho-tich-2"}) == "ho-tich-3"
    assert field_code_for("???", set()) == "linh-vuc"
    assert len(field_code_for("Đ" * 80, {"d" * 40})) == 40


def test_round_trip_gives_identical_bytes_with_rfc4180_quoting():
    # given
    text = (
        HEADER
        + '1.000656,"Cấp giấy chứng nhận, lần đầu",Đất đai,district,none,30,days,100000,1,0\r\n'
        + "1.001193,Đăng ký khai sinh,Hộ tịch,commune,full,0.5,working_days,0,1,1\r\n"
        + '1.003003,"Thủ tục ""đặc biệt""\nhai dòng","Văn hóa, thể thao",province,partial,10,hours,50000,0,0\r\n'
        + "2.000908,Chứng thực bản sao từ bản chính,Chứng thực,commune,partial,,none,2000,1,0\r\n"
    )
    import_procedures(parse(text))
    assert Procedure.objects.get(code="1.003003").name == 'Thủ tục "đặc biệt"\nhai dòng'
    first = export_text()
    assert first == text

    # when
    Procedure.objects.all().delete()
    Field.objects.all().delete()
    import_procedures(parse(first.encode("utf-8-sig")))

    # then
    assert export_text() == first


def test_export_writes_decimals_without_trailing_zeros():
    ProcedureFactory(code="1.000001", time_limit=Decimal("10.00"))
    ProcedureFactory(code="1.000002", time_limit=Decimal("0.50"))
    ProcedureFactory(code="1.000003", time_limit=Decimal("7"), time_unit=TimeUnit.NONE)
    lines = export_text().splitlines()
    assert [line.split(",")[5] for line in lines[1:]] == ["10", "0.5", ""]


def test_every_problem_is_listed_with_row_and_column():
    # given
    FieldFactory(code="HT", name="Hộ tịch")
    text = (
        HEADER
        + "1.001193,Đăng ký khai sinh,Hộ tịch,commune,full,0.5,working_days,0,1,1\r\n"  # 2 fine
        + "1001193,,,village,level4,-1,weeks,-5,yes,2\r\n"  # 3 everything wrong
        + "1.001193,Trùng mã,Hộ tịch,commune,none,1,days,0,1,0\r\n"  # 4 duplicate of row 2
        + '1.000002,A,hộ  tịch,commune,none,,working_days,"50.000",1,0\r\n'  # 5 near-duplicate field, no limit
        + "1.000003,B,Đất đai,commune,none,3,none,0,1,0\r\n"  # 6 limit with time_unit none
        + "1.000004,C,Đất đai,commune,none,1.234,days,x,1,0\r\n"  # 7 three decimals, fee not a number
        + "1.000005,D,Đất Đai,commune,none,1e3,days,0,1,0\r\n"  # 8 near-duplicate of a field in the file
    )
    before = counts()

    # when
    problems = problems_of(text)

    # then
    assert [(row, field) for row, field, _ in problems] == [
        (3, "code"),
        (3, "name"),
        (3, "field"),
        (3, "level"),
        (3, "online_level"),
        (3, "time_limit"),
        (3, "time_unit"),
        (3, "fee_vnd"),
        (3, "result_required"),
        (3, "full_online_eligible"),
        (4, "code"),
        (5, "field"),
        (5, "time_limit"),
        (5, "fee_vnd"),
        (6, "time_limit"),
        (7, "time_limit"),
        (7, "fee_vnd"),
        (8, "field"),
        (8, "time_limit"),
    ]
    messages = {(row, field): message for row, field, message in problems}
    assert "d.dddddd" in messages[3, "code"]
    assert messages[3, "time_limit"] == "Thời hạn không được âm."
    assert messages[3, "fee_vnd"] == "Phí, lệ phí không được âm."
    assert messages[3, "result_required"] == "Giá trị «yes» không hợp lệ; chỉ ghi 0 hoặc 1."
    assert (
        messages[3, "online_level"] == "Giá trị «level4» không hợp lệ; chọn một trong: full, partial, none."
    )
    assert "dòng 2" in messages[4, "code"]
    assert "«Hộ tịch»" in messages[5, "field"]
    assert "hàng nghìn" in messages[5, "fee_vnd"]
    assert "«Đất đai»" in messages[8, "field"]
    assert counts() == before


def test_missing_column_is_reported():
    problems = problems_of(
        HEADER.replace(",full_online_eligible", "") + "1.001193,A,B,commune,full,1,days,0,1\r\n"
    )
    assert [(row, field) for row, field, _ in problems] == [(1, "full_online_eligible")]


def test_import_of_rows_given_in_code_writes_nothing_when_one_is_wrong():
    rows = parse(CATALOG)
    bad = ProcedureRow(
        row=9,
        code="1.000009",
        name="X",
        field="Mới",
        level="commune",
        online_level=OnlineLevel.NONE,
        time_limit=Decimal("-1"),
        time_unit=TimeUnit.DAYS,
        fee_vnd=0,
        result_required=True,
        full_online_eligible=False,
    )
    with pytest.raises(InvalidInput) as caught:
        import_procedures([*rows, bad])
    assert [(p.row, p.field) for p in caught.value.problems] == [(9, "time_limit")]
    assert counts() == (0, 0)


def test_commands_are_found_and_round_trip(tmp_path):
    # given
    assert get_commands()["import-procedures"] == "motcua.catalog"
    assert get_commands()["export-procedures"] == "motcua.catalog"
    source = tmp_path / "procedures.csv"
    source.write_text(CATALOG, encoding="utf-8")
    out = io.StringIO()

    # when
    call_command("import-procedures", str(source), "--published-on", "2024-01-02", stdout=out)
    call_command("export-procedures", "--out", str(tmp_path / "again.csv"), stdout=io.StringIO())

    # then
    assert out.getvalue() == "Đã nhập thủ tục: 3 dòng thêm mới, 0 dòng cập nhật, 0 dòng không đổi.\n"
    exported = (tmp_path / "again.csv").read_bytes().decode("utf-8")
    assert sorted(exported.splitlines()) == sorted(CATALOG.splitlines())
    stdout = io.StringIO()
    call_command("export-procedures", stdout=stdout)
    assert stdout.getvalue() == exported


def test_import_command_lists_every_problem_and_exits_non_zero(tmp_path):
    source = tmp_path / "procedures.csv"
    source.write_text(
        HEADER + "1.001193,A,B,commune,full,1,days,0,2,1\r\n" + "1.1,A,B,commune,full,1,days,0,1,1\r\n"
    )
    err = io.StringIO()

    with pytest.raises(CommandError, match="2 lỗi"):
        call_command("import-procedures", str(source), stderr=err)

    assert err.getvalue().splitlines() == [
        f"{source}: dòng 2, cột «result_required»: Giá trị «2» không hợp lệ; chỉ ghi 0 hoặc 1.",
        f"{source}: dòng 3, cột «code»: Mã thủ tục «1.1» không đúng dạng mã quốc gia d.dddddd (ví dụ 1.001193).",
    ]
    assert counts() == (0, 0)
