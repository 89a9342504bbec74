"""Typed response shapes of the public API (v1). Codes, not database ids, identify everything."""

import datetime as dt

from ninja import Schema

from motcua.catalog.models import (
    Component,
    CopyType,
    FeeItem,
    FeeTiming,
    InternalProcess,
    OnlineLevel,
    Procedure,
    ProcedureLevel,
    ProcessStep,
    Subjects,
    TimeUnit,
)
from motcua.organizations.models import Level, Role, Unit


class ErrorOut(Schema):
    detail: str


class UnitOut(Schema):
    code: str
    name: str
    level: Level
    level_label: str
    parent_code: str | None
    is_active: bool

    @staticmethod
    def resolve_level_label(obj: Unit) -> str:
        return str(obj.get_level_display())

    @staticmethod
    def resolve_parent_code(obj: Unit) -> str | None:
        return obj.parent.code if obj.parent is not None else None


class UnitDetailOut(UnitOut):
    children_count: int


class FieldOut(Schema):
    code: str
    name: str


class ProcedureOut(Schema):
    code: str
    name: str
    field: FieldOut
    level: ProcedureLevel
    online_level: OnlineLevel
    full_online_eligible: bool
    time_limit: float
    time_unit: TimeUnit
    time_limit_text: str
    published_on: dt.date | None
    updated_on: dt.date | None

    @staticmethod
    def resolve_time_limit_text(obj: Procedure) -> str:
        return obj.time_limit_display()


class ComponentOut(Schema):
    position: int
    name: str
    copy_type: CopyType
    copy_type_label: str
    count: int
    form_template: str
    is_required: bool
    store_eligible: bool

    @staticmethod
    def resolve_copy_type_label(obj: Component) -> str:
        return str(obj.get_copy_type_display())


class FeeItemOut(Schema):
    name: str
    amount_vnd: int
    note: str


class ProcessStepOut(Schema):
    position: int
    name: str
    role: Role
    performing_unit_code: str | None
    hours: float

    @staticmethod
    def resolve_performing_unit_code(obj: ProcessStep) -> str | None:
        return obj.performing_unit.code if obj.performing_unit is not None else None


class InternalProcessOut(Schema):
    name: str
    unit_code: str | None
    valid_from: dt.date
    decision_number: str
    total_hours: float
    steps: list[ProcessStepOut]

    @staticmethod
    def resolve_unit_code(obj: InternalProcess) -> str | None:
        return obj.unit.code if obj.unit is not None else None

    @staticmethod
    def resolve_steps(obj: InternalProcess) -> list[ProcessStep]:
        return list(obj.steps.all())


class ProcedureDetailOut(ProcedureOut):
    """All seven published parts (NĐ 63/2010 Điều 8) plus result, fees, legal basis and publication."""

    subjects: Subjects
    subjects_label: str
    implementing_agency: str
    competent_authority: str
    sequence: str
    method: str
    conditions: str
    result: str
    legal_basis: str
    time_limit_note: str
    fee_vnd: int
    fee_timing: FeeTiming
    decision_number: str
    decision_date: dt.date | None
    components: list[ComponentOut]
    fee_items: list[FeeItemOut]
    processes: list[InternalProcessOut]

    @staticmethod
    def resolve_subjects_label(obj: Procedure) -> str:
        return str(obj.get_subjects_display())

    @staticmethod
    def resolve_components(obj: Procedure) -> list[Component]:
        return list(obj.components.all())

    @staticmethod
    def resolve_fee_items(obj: Procedure) -> list[FeeItem]:
        return list(obj.fee_items.all())

    @staticmethod
    def resolve_processes(obj: Procedure) -> list[InternalProcess]:
        return list(obj.processes.all())
