"""The demo province: Hải Dương as of 2022 (before the 2025 reform), from ``data/units.csv``.

Agency codes follow QCVN 102:2016 ``V1V2V3.Z1Z2.Y1Y2.MX1X2`` with the level-1 group ``H23``; each
unit's code extends its parent's by filling the next group to the left:

- ``000.00.00.H23``       Ủy ban nhân dân tỉnh (level 1).
- ``000.00.01–12.H23``    the 12 district-level People's Committees (level 2, group Y), in the
                           official order: 01 TP Hải Dương, 02 TP Chí Linh, 03 TX Kinh Môn, 04 Nam Sách,
                           05 Kim Thành, 06 Thanh Hà, 07 Cẩm Giàng, 08 Bình Giang, 09 Gia Lộc,
                           10 Tứ Kỳ, 11 Ninh Giang, 12 Thanh Miện.
- ``000.00.20–38.H23``    provincial departments and agencies (level 2, group Y): 20 Văn phòng UBND
                           tỉnh, 21 Sở Nội vụ, 22 Sở Tư pháp, 23 Sở KH&ĐT, … 38 Ban Quản lý các KCN.
- ``000.01–12.YY.H23``    the offices of district YY (level 3, group Z), always in the same slots
                           (``OFFICE_SLOTS``): 01 Văn phòng HĐND-UBND, 03 Phòng Tư pháp, 06 Phòng
                           LĐ-TB&XH, …
- ``000.21–49.YY.H23``    the communes, wards and towns of district YY (level 3, group Z).
- ``000.ZZ.YY.H23``       under a department, its own units (``000.01.20`` Trung tâm Phục vụ hành
                           chính công under Văn phòng UBND tỉnh, ``000.01.29`` Văn phòng Đăng ký đất đai).
- ``VVV.01.29.H23``       the district branches of the land registration office (level 4, group V =
                           the district's number).
"""

import datetime as dt
from collections.abc import Iterable

from motcua.core.text import fold_vi
from motcua.demo.datafiles import load_json, unit_rows
from motcua.organizations.models import Level, OfficeHours, Unit, UnitChange

PROVINCE_CODE = "000.00.00.H23"
PROVINCE_OFFICE_CODE = "000.00.20.H23"
SERVICE_CENTRE_CODE = "000.01.20.H23"
LAND_OFFICE_CODE = "000.01.29.H23"
OFFICE_HOURS_FROM = dt.date(2000, 1, 1)

# District office → its Z group in a city/town (thành phố, thị xã) and in a rural district (huyện):
# cities have Phòng Kinh tế + Phòng Quản lý đô thị, rural districts Phòng Kinh tế và Hạ tầng +
# Phòng Nông nghiệp và PTNT (Nghị định 37/2014/NĐ-CP, amended by 108/2020/NĐ-CP).
OFFICE_SLOTS: dict[str, tuple[int, int]] = {
    "van_phong": (1, 1),
    "noi_vu": (2, 2),
    "tu_phap": (3, 3),
    "tai_chinh": (4, 4),
    "tnmt": (5, 5),
    "ldtbxh": (6, 6),
    "vhtt": (7, 7),
    "gddt": (8, 8),
    "y_te": (9, 9),
    "thanh_tra": (10, 10),
    "kinh_te": (11, 11),
    "xay_dung": (12, 11),
    "nong_nghiep": (11, 12),
}
OFFICE_GENERIC_NAMES: dict[str, str] = {
    "van_phong": "Văn phòng HĐND và UBND cấp huyện",
    "noi_vu": "Phòng Nội vụ",
    "tu_phap": "Phòng Tư pháp",
    "tai_chinh": "Phòng Tài chính - Kế hoạch",
    "tnmt": "Phòng Tài nguyên và Môi trường",
    "ldtbxh": "Phòng Lao động - Thương binh và Xã hội",
    "vhtt": "Phòng Văn hóa và Thông tin",
    "gddt": "Phòng Giáo dục và Đào tạo",
    "y_te": "Phòng Y tế",
    "thanh_tra": "Thanh tra cấp huyện",
    "kinh_te": "Phòng Kinh tế (thành phố, thị xã) hoặc Phòng Kinh tế và Hạ tầng (huyện)",
    "xay_dung": "Phòng Quản lý đô thị (thành phố, thị xã) hoặc Phòng Kinh tế và Hạ tầng (huyện)",
    "nong_nghiep": "Phòng Kinh tế (thành phố, thị xã) hoặc Phòng Nông nghiệp và Phát triển nông thôn (huyện)",
}

# When each kind of unit came into being in its 2022 shape (UnitChange kind=created).
_CREATED: dict[str, tuple[dt.date, str]] = {
    Level.PROVINCE: (
        dt.date(1997, 1, 1),
        "Nghị quyết của Quốc hội ngày 06/11/1996 về việc chia và điều chỉnh địa giới hành chính một số tỉnh"
        " (tái lập tỉnh Hải Dương)",
    ),
    Level.DISTRICT: (
        dt.date(2020, 1, 1),
        "Nghị quyết số 788/NQ-UBTVQH14 ngày 16/10/2019 của Ủy ban Thường vụ Quốc hội về việc sắp xếp các"
        " đơn vị hành chính cấp huyện, cấp xã thuộc tỉnh Hải Dương",
    ),
    Level.COMMUNE: (
        dt.date(2020, 1, 1),
        "Nghị quyết số 788/NQ-UBTVQH14 ngày 16/10/2019 của Ủy ban Thường vụ Quốc hội về việc sắp xếp các"
        " đơn vị hành chính cấp huyện, cấp xã thuộc tỉnh Hải Dương",
    ),
    Level.DEPARTMENT: (
        dt.date(2016, 1, 1),
        "Quyết định của UBND tỉnh Hải Dương quy định chức năng, nhiệm vụ, quyền hạn và cơ cấu tổ chức",
    ),
}


def district_number(code: str) -> int:
    """The Y group of a district-level unit or of anything under it (``000.21.07.H23`` → 7)."""
    return int(code.split(".")[2])


def is_city(district: Unit) -> bool:
    """Thành phố and thị xã have urban offices; huyện rural ones."""
    return not district.name.startswith("UBND huyện")


def district_office_code(district_code: str, slot: str, *, city: bool) -> str:
    z = OFFICE_SLOTS[slot][0 if city else 1]
    return f"000.{z:02d}.{district_number(district_code):02d}.H23"


def land_branch_code(district_code: str) -> str:
    return f"{district_number(district_code):03d}.01.29.H23"


def department_code(y: int) -> str:
    return f"000.00.{y:02d}.H23"


def _depth(code: str, parents: dict[str, str | None]) -> int:
    depth, parent = 0, parents[code]
    while parent is not None:
        depth, parent = depth + 1, parents[parent]
    return depth


def seed_units() -> dict[str, Unit]:
    """Upsert every unit of ``units.csv`` by code; parents before children. Returns code → Unit."""
    rows = unit_rows()
    parents = {row.code: row.parent_code for row in rows}
    by_code: dict[str, Unit] = {u.code: u for u in Unit.objects.filter(code__in=parents)}
    tiers: dict[int, list[Unit]] = {}
    changed: list[Unit] = []
    for row in sorted(rows, key=lambda r: _depth(r.code, parents)):
        depth = _depth(row.code, parents)
        unit = by_code.get(row.code)
        if unit is None:
            unit = Unit(code=row.code)
            tiers.setdefault(depth, []).append(unit)
        elif (unit.name, unit.level, unit.parent_id) == (
            row.name,
            row.level,
            by_code[row.parent_code].pk if row.parent_code else None,
        ):
            continue
        else:
            changed.append(unit)
        unit.name, unit.name_folded, unit.level = row.name, fold_vi(row.name), row.level
        by_code[row.code] = unit
    for depth in sorted(tiers):
        for unit in tiers[depth]:
            parent_code = parents[unit.code]
            unit.parent = by_code[parent_code] if parent_code else None
        Unit.objects.bulk_create(tiers[depth])
    for unit in changed:
        parent_code = parents[unit.code]
        unit.parent = by_code[parent_code] if parent_code else None
    if changed:
        Unit.objects.bulk_update(changed, ["name", "name_folded", "level", "parent"])
    _record_creation(by_code.values())
    _seed_office_hours(by_code)
    return by_code


def _record_creation(units: Iterable[Unit]) -> None:
    recorded = set(UnitChange.objects.filter(kind=UnitChange.Kind.CREATED).values_list("unit_id", flat=True))
    UnitChange.objects.bulk_create(
        UnitChange(
            unit=unit,
            kind=UnitChange.Kind.CREATED,
            effective_on=_CREATED[unit.level][0],
            new_name=unit.name,
            new_parent=unit.parent,
            legal_basis=_CREATED[unit.level][1],
        )
        for unit in units
        if unit.pk not in recorded
    )


def _seed_office_hours(by_code: dict[str, Unit]) -> None:
    """07:00–11:30 and 13:30–17:00 everywhere (the model defaults); a few counters also Saturday morning."""
    saturday = set(load_json("setup.json")["saturday_morning"])
    existing = {oh.unit_id: oh for oh in OfficeHours.objects.filter(valid_from=OFFICE_HOURS_FROM)}
    new, changed = [], []
    for code, unit in by_code.items():
        wanted = code in saturday
        hours = existing.get(unit.pk)
        if hours is None:
            new.append(OfficeHours(unit=unit, valid_from=OFFICE_HOURS_FROM, saturday_morning=wanted))
        elif hours.saturday_morning != wanted:
            hours.saturday_morning = wanted
            changed.append(hours)
    OfficeHours.objects.bulk_create(new)
    OfficeHours.objects.bulk_update(changed, ["saturday_morning"])
