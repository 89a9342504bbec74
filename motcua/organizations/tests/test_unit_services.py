import datetime as dt

import pytest

from motcua.accounts.tests.factories import UserFactory
from motcua.organizations.models import Level, Unit, UnitChange
from motcua.organizations.services import (
    UnitChangeRefused,
    create_unit,
    dissolve_unit,
    merge_unit,
    rename_unit,
    reparent_unit,
)

pytestmark = pytest.mark.django_db

ON = dt.date(2025, 7, 1)
BASIS = "Nghị quyết 1669/NQ-UBTVQH15"


@pytest.fixture
def province():
    return create_unit(
        code="000.00.00.H23", name="Tỉnh Hải Dương", level=Level.PROVINCE, parent=None, by=None
    )


@pytest.fixture
def district(province):
    return create_unit(
        code="000.00.12.H23", name="UBND huyện Gia Lộc", level=Level.DISTRICT, parent=province, by=None
    )


def commune(parent, code, name="UBND xã Gia Tân"):
    return create_unit(code=code, name=name, level=Level.COMMUNE, parent=parent, by=None)


def kinds(unit):
    return list(UnitChange.objects.filter(unit=unit).order_by("id").values_list("kind", flat=True))


def test_create_unit_records_its_founding(district):
    # given
    officer = UserFactory(officer=True)

    # when
    unit = create_unit(
        code="001.12.00.H23",
        name="  UBND xã Gia Tân ",
        level=Level.COMMUNE,
        parent=district,
        effective_on=ON,
        legal_basis=BASIS,
        by=officer,
    )

    # then
    assert unit.name == "UBND xã Gia Tân"
    assert unit.name_folded == "ubnd xa gia tan"
    change = UnitChange.objects.get(unit=unit)
    assert (change.kind, change.effective_on, change.legal_basis) == (UnitChange.Kind.CREATED, ON, BASIS)
    assert (change.new_name, change.new_parent, change.recorded_by) == ("UBND xã Gia Tân", district, officer)


@pytest.mark.parametrize(
    ("code", "name", "level", "message"),
    [
        ("H23", "X", Level.COMMUNE, "không đúng dạng QCVN 102:2016"),
        ("001.12.00.H23", "   ", Level.COMMUNE, "Tên đơn vị không được để trống"),
        ("001.12.00.H23", "X", "village", "Cấp đơn vị «village» không hợp lệ"),
        ("000.00.12.H23", "X", Level.COMMUNE, "đã được dùng"),
        ("001.12.00.H23", "X", Level.PROVINCE, "không thể trực thuộc"),
    ],
)
def test_create_unit_refuses_bad_input(district, code, name, level, message):
    with pytest.raises(UnitChangeRefused, match=message):
        create_unit(code=code, name=name, level=level, parent=district, by=None)
    assert Unit.objects.count() == 2


def test_a_district_needs_a_parent():
    with pytest.raises(UnitChangeRefused, match="phải có đơn vị cấp trên"):
        create_unit(code="000.00.12.H23", name="Huyện", level=Level.DISTRICT, parent=None, by=None)


def test_rename_keeps_the_old_name_in_history(district):
    rename_unit(unit=district, name="UBND thị xã Gia Lộc", effective_on=ON, legal_basis=BASIS, by=None)

    district.refresh_from_db()
    assert district.name == "UBND thị xã Gia Lộc"
    assert district.name_folded == "ubnd thi xa gia loc"
    change = district.changes.get(kind=UnitChange.Kind.RENAMED)
    assert (change.old_name, change.new_name, change.effective_on) == (
        "UBND huyện Gia Lộc",
        "UBND thị xã Gia Lộc",
        ON,
    )


def test_rename_to_the_same_name_records_nothing(district):
    rename_unit(unit=district, name="UBND huyện Gia Lộc", by=None)
    assert kinds(district) == [UnitChange.Kind.CREATED]


def test_reparent_moves_and_records(province, district):
    # given
    other = create_unit(
        code="000.00.13.H23", name="UBND huyện Tứ Kỳ", level=Level.DISTRICT, parent=province, by=None
    )
    unit = commune(district, "001.12.00.H23")

    # when
    reparent_unit(unit=unit, parent=other, effective_on=ON, legal_basis=BASIS, by=None)

    # then
    unit.refresh_from_db()
    assert unit.parent == other
    change = unit.changes.get(kind=UnitChange.Kind.REPARENTED)
    assert (change.old_parent, change.new_parent) == (district, other)


def test_reparent_refuses_cycles(province, district):
    unit = commune(district, "001.12.00.H23")

    with pytest.raises(UnitChangeRefused, match="đang trực thuộc"):
        reparent_unit(unit=district, parent=unit, by=None)
    with pytest.raises(UnitChangeRefused, match="chính nó"):
        reparent_unit(unit=unit, parent=unit, by=None)
    district.refresh_from_db()
    assert district.parent == province
    assert kinds(district) == [UnitChange.Kind.CREATED]


@pytest.mark.parametrize(
    ("level", "parent_level"),
    [(Level.COMMUNE, Level.COMMUNE), (Level.DISTRICT, Level.DISTRICT), (Level.PROVINCE, Level.PROVINCE)],
)
def test_reparent_refuses_levels_not_allowed(province, district, level, parent_level):
    parents = {Level.PROVINCE: province, Level.DISTRICT: district}
    parents[Level.COMMUNE] = commune(district, "009.12.00.H23", "UBND xã Khác")
    unit = {
        Level.PROVINCE: lambda: create_unit(
            code="000.00.00.H24", name="Tỉnh khác", level=level, parent=None, by=None
        ),
        Level.DISTRICT: lambda: create_unit(
            code="000.00.13.H23", name="Huyện", level=level, parent=province, by=None
        ),
        Level.COMMUNE: lambda: commune(district, "001.12.00.H23"),
    }[level]()

    with pytest.raises(UnitChangeRefused, match="không thể trực thuộc"):
        reparent_unit(unit=unit, parent=parents[parent_level], by=None)


def test_a_commune_may_move_directly_under_the_province(province, district):
    unit = commune(district, "001.12.00.H23")
    reparent_unit(unit=unit, parent=province, effective_on=ON, by=None)
    assert Unit.objects.get(pk=unit.pk).parent == province


def test_merge_deactivates_the_absorbed_unit_and_moves_its_children(province, district):
    # given
    absorbed = commune(district, "001.12.00.H23", "UBND xã Gia Tân")
    into = commune(district, "002.12.00.H23", "UBND xã Gia Lương")
    office = create_unit(
        code="001.01.12.H23", name="Công an xã", level=Level.DEPARTMENT, parent=absorbed, by=None
    )

    # when
    merge_unit(unit=absorbed, into=into, effective_on=ON, legal_basis=BASIS, by=None)

    # then
    absorbed.refresh_from_db()
    office.refresh_from_db()
    assert not absorbed.is_active
    assert office.parent == into
    merged = absorbed.changes.get(kind=UnitChange.Kind.MERGED_INTO)
    assert (merged.other_unit, merged.effective_on, merged.legal_basis) == (into, ON, BASIS)
    assert office.changes.filter(kind=UnitChange.Kind.REPARENTED, new_parent=into).exists()


def test_merge_refuses_self_other_levels_and_inactive_units(province, district):
    a = commune(district, "001.12.00.H23")
    b = commune(district, "002.12.00.H23", "UBND xã B")
    with pytest.raises(UnitChangeRefused, match="chính nó"):
        merge_unit(unit=a, into=a, effective_on=ON, legal_basis=BASIS, by=None)
    with pytest.raises(UnitChangeRefused, match="cùng cấp"):
        merge_unit(unit=a, into=district, effective_on=ON, legal_basis=BASIS, by=None)
    merge_unit(unit=a, into=b, effective_on=ON, legal_basis=BASIS, by=None)
    with pytest.raises(UnitChangeRefused, match="ngừng hoạt động"):
        merge_unit(unit=b, into=a, effective_on=ON, legal_basis=BASIS, by=None)
    with pytest.raises(UnitChangeRefused, match="ngừng hoạt động"):
        rename_unit(unit=a, name="Tên mới", by=None)
    with pytest.raises(UnitChangeRefused, match="ngừng hoạt động"):
        reparent_unit(unit=commune(district, "003.12.00.H23", "C"), parent=a, by=None)


def test_dissolve_requires_no_active_children(province, district):
    unit = commune(district, "001.12.00.H23")
    with pytest.raises(UnitChangeRefused, match=r"001\.12\.00\.H23"):
        dissolve_unit(unit=district, effective_on=ON, legal_basis=BASIS, by=None)

    reparent_unit(unit=unit, parent=province, effective_on=ON, by=None)
    dissolve_unit(unit=district, effective_on=ON, legal_basis=BASIS, by=None)

    district.refresh_from_db()
    assert not district.is_active
    assert kinds(district) == [UnitChange.Kind.CREATED, UnitChange.Kind.DISSOLVED]
