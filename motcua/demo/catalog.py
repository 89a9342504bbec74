"""The demo catalog: procedures from ``procedures.csv``, their 7 published parts, fees and internal
processes.

About thirty common procedures have hand-written parts in ``procedure_details.json``; the others get
sensible parts from the templates of their field (``fields.json`` → family in ``templates.json``).
Children (components, fee items, steps) are compared with what is stored and replaced only when they
differ, so a second run changes nothing.
"""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from motcua.catalog.models import (
    Component,
    FeeItem,
    FeeTiming,
    Field,
    InternalProcess,
    Procedure,
    ProcedureLevel,
    ProcessStep,
    PublicationState,
    TimeUnit,
)
from motcua.core.text import fold_vi
from motcua.demo.datafiles import DemoDataError, ProcedureRow, load_json, procedure_rows
from motcua.demo.province import (
    OFFICE_GENERIC_NAMES,
    SERVICE_CENTRE_CODE,
    department_code,
    district_office_code,
    is_city,
    land_branch_code,
)
from motcua.organizations.models import Level, Role, Unit

HALF = Decimal("0.5")
_AFTER_15 = (
    "Ngay trong ngày tiếp nhận hồ sơ; trường hợp nhận hồ sơ sau 15 giờ thì trả kết quả trong ngày làm việc"
    " tiếp theo."
)


@dataclass(frozen=True)
class Step:
    name: str
    role: str
    weight: int  # 0 = fixed half hour (reception and return)
    performing_unit: Unit | None = None


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def seed_fields() -> dict[str, Field]:
    """Upsert the fields (lĩnh vực) by code; returns name → Field."""
    spec = load_json("fields.json")
    existing = {f.code: f for f in Field.objects.all()}
    result: dict[str, Field] = {}
    for name, data in spec.items():
        field = existing.get(data["code"])
        if field is None:
            field = Field.objects.create(code=data["code"], name=name)
        elif field.name != name:
            field.name = name
            field.save(update_fields=["name"])
        result[name] = field
    return result


def budget_hours(row: ProcedureRow) -> Decimal:
    """The time budget of the internal process in working hours (8 a working day).

    Calendar days count as 5/7 working days; procedures without a statutory limit get half a day.
    """
    if row.time_unit == TimeUnit.WORKING_DAYS:
        return row.time_limit * 8
    if row.time_unit == TimeUnit.HOURS:
        return row.time_limit
    if row.time_unit == TimeUnit.DAYS:
        return max(Decimal(8), Decimal(int(row.time_limit * 5 / 7)) * 8)
    return Decimal(4)


def split_hours(total: Decimal, steps: list[Step]) -> list[Decimal]:
    """Half an hour for each fixed step, the rest by weight in half hours; sums exactly to ``total``."""
    fixed = sum(1 for s in steps if s.weight == 0)
    halves = int(total / HALF) - fixed
    weights = sum(s.weight for s in steps)
    shares = [max(1, halves * s.weight // weights) if s.weight else 0 for s in steps]
    biggest = max(range(len(steps)), key=lambda i: steps[i].weight)
    shares[biggest] += halves - sum(shares)
    hours = [HALF if s.weight == 0 else HALF * n for s, n in zip(steps, shares, strict=True)]
    hours[biggest] += total - sum(hours)  # a budget that is not a multiple of half an hour
    return hours


def _generic_steps(row: ProcedureRow, family: str, units: dict[str, Unit]) -> list[Step]:
    if row.level == ProcedureLevel.COMMUNE:
        examiner = Role.JUSTICE_OFFICER if family in {"ho_tich", "chung_thuc"} else Role.SPECIALIST
        return [
            Step("Tiếp nhận, kiểm tra, số hóa hồ sơ tại Bộ phận Một cửa", Role.RECEIVER, 0),
            Step("Công chức chuyên môn thẩm định, xử lý hồ sơ", examiner, 4),
            Step("Chủ tịch/Phó Chủ tịch UBND cấp xã phê duyệt, ký kết quả", Role.LEADER, 1),
            Step("Vào sổ theo dõi, trả kết quả", Role.RECEIVER, 0),
        ]
    if row.level == ProcedureLevel.DISTRICT:
        return [
            Step("Tiếp nhận, kiểm tra, số hóa hồ sơ tại Bộ phận Một cửa cấp huyện", Role.RECEIVER, 0),
            Step("Phòng chuyên môn thẩm định hồ sơ", Role.SPECIALIST, 5),
            Step("Lãnh đạo phòng kiểm tra, trình ký", Role.LEADER, 1),
            Step("Lãnh đạo UBND cấp huyện phê duyệt, ký kết quả", Role.LEADER, 1),
            Step("Trả kết quả", Role.RECEIVER, 0),
        ]
    centre = units[SERVICE_CENTRE_CODE]
    return [
        Step("Tiếp nhận, số hóa hồ sơ tại Trung tâm Phục vụ hành chính công tỉnh", Role.RECEIVER, 0, centre),
        Step("Chuyên viên phòng chuyên môn thẩm định hồ sơ", Role.SPECIALIST, 5),
        Step("Lãnh đạo phòng chuyên môn xem xét, trình ký", Role.LEADER, 1),
        Step("Lãnh đạo Sở phê duyệt, ký kết quả", Role.LEADER, 1),
        Step("Trả kết quả tại Trung tâm Phục vụ hành chính công tỉnh", Role.RECEIVER, 0, centre),
    ]


def _commune_to_district_steps(district: Unit, office: Unit) -> list[Step]:
    """Liên thông khác cấp: the commune receives and proposes, the district decides, the commune returns."""
    return [
        Step("Tiếp nhận, kiểm tra, số hóa hồ sơ tại Bộ phận Một cửa cấp xã", Role.RECEIVER, 0),
        Step("Công chức cấp xã thẩm định, niêm yết công khai", Role.SPECIALIST, 3),
        Step("Chủ tịch UBND cấp xã ký văn bản đề nghị, chuyển hồ sơ lên cấp huyện", Role.LEADER, 1),
        Step(f"{office.name} thẩm định", Role.SPECIALIST, 3, office),
        Step("Lãnh đạo phòng kiểm tra, trình ký", Role.LEADER, 1, office),
        Step("Lãnh đạo UBND cấp huyện quyết định", Role.LEADER, 1, district),
        Step("Nhận kết quả liên thông, trả kết quả cho người dân", Role.RECEIVER, 0),
    ]


def _district_steps(offices: list[Unit]) -> list[Step]:
    """Liên thông cùng cấp: the district counter receives, its offices handle, the chair signs."""
    steps = [Step("Tiếp nhận, kiểm tra, số hóa hồ sơ tại Bộ phận Một cửa cấp huyện", Role.RECEIVER, 0)]
    steps += [Step(f"{office.name} thẩm định, xử lý", Role.SPECIALIST, 4, office) for office in offices]
    steps += [
        Step("Lãnh đạo phòng kiểm tra, trình ký", Role.LEADER, 1, offices[-1]),
        Step("Lãnh đạo UBND cấp huyện ký kết quả", Role.LEADER, 1),
        Step("Trả kết quả", Role.RECEIVER, 0),
    ]
    return steps


class CatalogBuilder:
    """Turns the data files into the wanted state of every catalog row."""

    def __init__(self, units: dict[str, Unit]) -> None:
        self.units = units
        self.fields_spec = load_json("fields.json")
        self.templates = load_json("templates.json")
        self.details = load_json("procedure_details.json")
        self.lienthong = load_json("setup.json")["lienthong"]
        self.by_pk = {u.pk: u for u in units.values()}

    def attributes(self, row: ProcedureRow, field: Field) -> dict[str, Any]:
        spec = self.fields_spec[row.field]
        extra = self.details.get(row.code, {})
        family = self.templates["families"][spec["family"]]
        department = self.units.get(department_code(spec["department"]))
        department_name = department.name if department else "Cơ quan chuyên môn thuộc UBND tỉnh"
        office = OFFICE_GENERIC_NAMES.get(spec["district_office"], "Phòng chuyên môn")
        agency = self.templates["agency"][row.level].format(office=office, department=department_name)
        decided_on = dt.date.fromisoformat(spec["decision"][1])
        number = spec["decision"][0]
        published_on = decided_on + dt.timedelta(days=3)
        return {
            "name": row.name,
            "name_folded": fold_vi(row.name),
            "field_id": field.pk,
            "level": row.level,
            "subjects": extra.get("subjects", spec["subjects"]),
            "implementing_agency": extra.get("implementing_agency", agency),
            "competent_authority": extra.get(
                "competent_authority",
                self.templates["competent_authority"][row.level].format(department=department_name),
            ),
            "sequence": extra.get("sequence", self.templates["sequence"][row.level].format(agency=agency)),
            "method": self.templates["method"][row.online_level],
            "conditions": extra.get("conditions", family["conditions"]),
            "result": extra.get("result", spec["result"]),
            "legal_basis": extra.get("legal_basis", spec["legal_basis"]),
            "time_limit": row.time_limit,
            "time_unit": row.time_unit,
            "time_limit_note": extra.get("time_limit_note", _time_note(row)),
            "fee_vnd": row.fee_vnd,
            "fee_timing": _fee_timing(row),
            "online_level": row.online_level,
            "full_online_eligible": row.full_online_eligible,
            "result_required": row.result_required,
            "decision_number": number if number != "—" else "Quyết định công bố của Bộ Công an",
            "decision_date": decided_on,
            "publication_state": PublicationState.PUBLISHED,
            "published_on": published_on,
            "updated_on": published_on,
        }

    def components(self, row: ProcedureRow) -> list[tuple[Any, ...]]:
        spec = self.details.get(row.code, {}).get("components")
        if spec is None:
            family = self.fields_spec[row.field]["family"]
            spec = self.templates["families"][family]["components"]
        ten = _lower_first(row.name)
        return [
            (position, name.format(ten=ten)[:500], copy_type, count, template, required, store)
            for position, (name, copy_type, count, template, required, store) in enumerate(spec, start=1)
        ]

    def fee_items(self, row: ProcedureRow) -> list[tuple[str, int, str]]:
        spec = self.details.get(row.code, {}).get("fee_items")
        if spec is not None:
            return [(name, amount, note) for name, amount, note in spec]
        if row.fee_vnd == 0:
            return []
        return [(f"Phí, lệ phí {_lower_first(row.name)}"[:255], row.fee_vnd, "Theo quy định hiện hành")]

    def processes(self, row: ProcedureRow) -> list[tuple[Unit | None, str, list[Step]]]:
        """(unit, name, steps) of each internal process: the generic one for every unit of the level,
        plus unit-specific liên thông processes."""
        family = self.fields_spec[row.field]["family"]
        found: list[tuple[Unit | None, str, list[Step]]] = [
            (None, f"Quy trình nội bộ {row.code}: {row.name}"[:255], _generic_steps(row, family, self.units))
        ]
        slot = self.lienthong["commune_to_district"].get(row.code)
        if slot:
            for commune in self._units_of(Level.COMMUNE):
                if commune.parent_id is None:
                    raise DemoDataError(f"{commune.code}: a commune without a district")
                district = self.by_pk[commune.parent_id]
                office = self.units[district_office_code(district.code, slot, city=is_city(district))]
                name = f"Liên thông {row.code} tại {commune.name} ({district.name})"
                found.append((commune, name[:255], _commune_to_district_steps(district, office)))
        slots = self.lienthong["district"].get(row.code)
        if slots:
            for district in self._units_of(Level.DISTRICT):
                offices = [
                    self.units[
                        land_branch_code(district.code)
                        if s == "land_branch"
                        else district_office_code(district.code, s, city=is_city(district))
                    ]
                    for s in slots
                ]
                found.append(
                    (district, f"Liên thông {row.code} tại {district.name}"[:255], _district_steps(offices))
                )
        return found

    def _units_of(self, level: str) -> list[Unit]:
        return sorted((u for u in self.units.values() if u.level == level), key=lambda u: u.code)


def _time_note(row: ProcedureRow) -> str:
    amount = f"{row.time_limit.normalize():f}"
    if row.time_unit == TimeUnit.WORKING_DAYS:
        return f"{amount} ngày làm việc kể từ ngày nhận đủ hồ sơ hợp lệ."
    if row.time_unit == TimeUnit.DAYS:
        return f"{amount} ngày kể từ ngày nhận đủ hồ sơ hợp lệ."
    if row.time_unit == TimeUnit.HOURS:
        return _AFTER_15
    return "Không quy định thời hạn giải quyết (tiếp nhận thông báo)."


def _fee_timing(row: ProcedureRow) -> str:
    if row.fee_vnd == 0:
        return FeeTiming.FREE
    return FeeTiming.AFTER if row.field == "Đất đai" else FeeTiming.BEFORE


def seed_catalog(units: dict[str, Unit]) -> list[Procedure]:
    """Upsert fields, procedures and their children by natural keys (procedure code, unit, valid_from)."""
    fields = seed_fields()
    builder = CatalogBuilder(units)
    rows = procedure_rows()
    existing = {p.code: p for p in Procedure.objects.filter(code__in=[r.code for r in rows])}
    new, changed = [], []
    touched: set[str] = set()
    for row in rows:
        wanted = builder.attributes(row, fields[row.field])
        procedure = existing.get(row.code)
        if procedure is None:
            procedure = Procedure(code=row.code, **wanted)
            new.append(procedure)
            existing[row.code] = procedure
            continue
        diff = {k: v for k, v in wanted.items() if getattr(procedure, k) != v}
        if diff:
            for key, value in diff.items():
                setattr(procedure, key, value)
            touched |= diff.keys()
            changed.append(procedure)
    Procedure.objects.bulk_create(new)
    if changed:
        for procedure in changed:
            procedure.modified_at = dt.datetime.now(tz=dt.UTC)
        Procedure.objects.bulk_update(changed, [*sorted(touched), "modified_at"])
    procedures = [existing[row.code] for row in rows]
    _sync_components(builder, rows, procedures)
    _sync_fee_items(builder, rows, procedures)
    _sync_processes(builder, rows, procedures)
    return procedures


def _sync_components(builder: CatalogBuilder, rows: list[ProcedureRow], procedures: list[Procedure]) -> None:
    stored: dict[int, list[tuple[Any, ...]]] = {}
    for values in (
        Component.objects.filter(procedure__in=procedures)
        .order_by("procedure_id", "position")
        .values_list(
            "procedure_id",
            "position",
            "name",
            "copy_type",
            "count",
            "form_template",
            "is_required",
            "store_eligible",
        )
    ):
        stored.setdefault(values[0], []).append(tuple(values[1:]))
    stale, fresh = [], []
    for row, procedure in zip(rows, procedures, strict=True):
        wanted = builder.components(row)
        if stored.get(procedure.pk, []) != wanted:
            stale.append(procedure.pk)
            fresh += [
                Component(
                    procedure=procedure,
                    position=position,
                    name=name,
                    copy_type=copy_type,
                    count=count,
                    form_template=template,
                    is_required=required,
                    store_eligible=store,
                )
                for position, name, copy_type, count, template, required, store in wanted
            ]
    Component.objects.filter(procedure_id__in=stale).delete()
    Component.objects.bulk_create(fresh)


def _sync_fee_items(builder: CatalogBuilder, rows: list[ProcedureRow], procedures: list[Procedure]) -> None:
    stored: dict[int, list[tuple[str, int, str]]] = {}
    for pid, name, amount, note in (
        FeeItem.objects.filter(procedure__in=procedures)
        .order_by("procedure_id", "id")
        .values_list("procedure_id", "name", "amount_vnd", "note")
    ):
        stored.setdefault(pid, []).append((name, amount, note))
    stale, fresh = [], []
    for row, procedure in zip(rows, procedures, strict=True):
        wanted = builder.fee_items(row)
        if stored.get(procedure.pk, []) != wanted:
            stale.append(procedure.pk)
            fresh += [FeeItem(procedure=procedure, name=n, amount_vnd=a, note=note) for n, a, note in wanted]
    FeeItem.objects.filter(procedure_id__in=stale).delete()
    FeeItem.objects.bulk_create(fresh)


def _sync_processes(builder: CatalogBuilder, rows: list[ProcedureRow], procedures: list[Procedure]) -> None:
    existing = {
        (p.procedure_id, p.unit_id, p.valid_from): p
        for p in InternalProcess.objects.filter(procedure__in=procedures)
    }
    wanted: list[tuple[InternalProcess, list[Step], Decimal]] = []
    new, changed = [], []
    for row, procedure in zip(rows, procedures, strict=True):
        valid_from = procedure.decision_date or dt.date(2022, 1, 1)
        decision = procedure.decision_number
        for unit, name, steps in builder.processes(row):
            process = existing.get((procedure.pk, unit.pk if unit else None, valid_from))
            if process is None:
                process = InternalProcess(
                    procedure=procedure, unit=unit, name=name, valid_from=valid_from, decision_number=decision
                )
                new.append(process)
            elif (process.name, process.decision_number) != (name, decision):
                process.name, process.decision_number = name, decision
                changed.append(process)
            wanted.append((process, steps, budget_hours(row)))
    InternalProcess.objects.bulk_create(new, batch_size=500)
    InternalProcess.objects.bulk_update(changed, ["name", "decision_number"])
    stored: dict[int, list[tuple[Any, ...]]] = {}
    for values in (
        ProcessStep.objects.filter(process__procedure__in=procedures)
        .order_by("process_id", "position")
        .values_list("process_id", "position", "name", "role", "performing_unit_id", "hours")
    ):
        stored.setdefault(values[0], []).append(tuple(values[1:]))
    stale, fresh = [], []
    for process, steps, total in wanted:
        hours = split_hours(total, steps)
        rows_wanted = [
            (i, s.name[:255], str(s.role), s.performing_unit.pk if s.performing_unit else None, h)
            for i, (s, h) in enumerate(zip(steps, hours, strict=True), start=1)
        ]
        if stored.get(process.pk, []) != rows_wanted:
            stale.append(process.pk)
            fresh += [
                ProcessStep(
                    process=process, position=i, name=name, role=role, performing_unit_id=unit_id, hours=h
                )
                for i, name, role, unit_id, h in rows_wanted
            ]
    ProcessStep.objects.filter(process_id__in=stale).delete()
    ProcessStep.objects.bulk_create(fresh, batch_size=1000)
