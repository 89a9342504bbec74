"""Request and response shapes of the dossier endpoints (``api.dossiers``, ``api.dossier_actions``).

Requests are closed (``extra="forbid"``): a body naming a field the endpoint does not take — ``status``,
``fee_paid``, ``assignee``, ``version`` — is refused with 422 instead of being ignored, so nobody can
believe they set what only a workflow service sets (mass assignment, QUALITY.md security item 2).
Datetimes are answered in Vietnam time with their offset (``2024-03-07T08:00:00+07:00``).
"""

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any

from ninja import Schema
from pydantic import AfterValidator, AwareDatetime, ConfigDict, Field

from motcua.catalog.models import CopyType
from motcua.core.worktime import to_local
from motcua.dossiers.models import Dossier, DossierEvent, DossierStep, ResultDelivery
from motcua.dossiers.workflow import Channel, Status
from motcua.organizations.models import Role

LocalDateTime = Annotated[dt.datetime, AfterValidator(to_local)]
Text = Annotated[str, Field(max_length=2000)]
ShortText = Annotated[str, Field(max_length=200)]


class ClosedSchema(Schema):
    model_config = ConfigDict(extra="forbid")


# --- responses ----------------------------------------------------------------------------------------


class DossierOut(Schema):
    """The dossier summary answered by lists and by every action."""

    code: str
    procedure_code: str
    procedure_name: str
    receiving_unit_code: str
    responsible_unit_code: str
    channel: Channel
    status: Status
    status_label: str
    national_status: int = Field(description="DVCQG TrangThaiHoSo 1–10")
    version: int = Field(description="gửi lại trong expected_version của thao tác tiếp theo")
    applicant_name: str
    owner_name: str
    submitted_at: LocalDateTime
    reception_due_at: LocalDateTime | None
    received_at: LocalDateTime | None
    due_at: LocalDateTime | None
    original_due_at: LocalDateTime | None
    processed_at: LocalDateTime | None
    returned_at: LocalDateTime | None
    closed_at: LocalDateTime | None
    verdict: str = Field(description="early, on_time, late; rỗng khi chưa kết thúc")
    reschedule_count: int
    supplement_request_count: int
    fee_vnd: int
    result_delivery: ResultDelivery

    @staticmethod
    def resolve_procedure_code(obj: Dossier) -> str:
        return obj.procedure.code

    @staticmethod
    def resolve_procedure_name(obj: Dossier) -> str:
        return obj.procedure.name

    @staticmethod
    def resolve_receiving_unit_code(obj: Dossier) -> str:
        return obj.receiving_unit.code

    @staticmethod
    def resolve_responsible_unit_code(obj: Dossier) -> str:
        return obj.responsible_unit.code

    @staticmethod
    def resolve_status_label(obj: Dossier) -> str:
        return str(Status(obj.status).label)


class DossierComponentOut(Schema):
    position: int
    name: str
    copy_type: CopyType
    count: int
    is_provided: bool
    is_digitized: bool
    is_reused: bool
    is_from_store: bool
    has_file: bool

    @staticmethod
    def resolve_has_file(obj: Any) -> bool:
        return bool(obj.file)


class DossierStepOut(Schema):
    id: int = Field(description="số của bước, dùng trong step_id khi trả lời xin ý kiến hoặc liên thông")
    position: int
    kind: str = Field(description="process, consultation, inter_unit")
    name: str
    role: Role
    unit_code: str
    assignee_username: str | None
    budget_hours: float
    started_at: LocalDateTime | None
    due_at: LocalDateTime | None
    finished_at: LocalDateTime | None
    verdict: str
    actor_name: str
    note: str
    answer: str

    @staticmethod
    def resolve_unit_code(obj: DossierStep) -> str:
        return obj.unit.code

    @staticmethod
    def resolve_assignee_username(obj: DossierStep) -> str | None:
        return obj.assignee.username if obj.assignee is not None else None


class DossierEventOut(Schema):
    kind: str
    at: LocalDateTime
    actor_name: str
    from_status: str
    to_status: str
    step_name: str
    due_at: LocalDateTime | None
    data: dict[str, Any]


class DossierDetailOut(DossierOut):
    """The whole dossier: who, the papers, the steps with their deadlines and verdicts, the history."""

    applicant_id_number: str
    owner_id_number: str
    address: str
    phone: str
    email: str
    is_own_account: bool
    result_number: str
    result_date: dt.date | None
    result_signer: str
    is_result_electronic: bool
    components: list[DossierComponentOut]
    steps: list[DossierStepOut]
    events: list[DossierEventOut]

    @staticmethod
    def resolve_components(obj: Dossier) -> list[Any]:
        return list(obj.components.all())

    @staticmethod
    def resolve_steps(obj: Dossier) -> list[DossierStep]:
        return list(obj.steps.all())

    @staticmethod
    def resolve_events(obj: Dossier) -> list[DossierEvent]:
        return list(obj.events.all())


class ConflictOut(Schema):
    """Someone else changed the dossier first: reload (``version``) and decide again."""

    detail: str
    code: str | None = None
    status: Status | None = None
    version: int | None = None


class AppointmentOut(Schema):
    procedure: str
    unit: str
    channel: Channel
    at: dt.datetime
    appointment: dt.datetime | None = Field(description="null: thủ tục không quy định thời hạn")


class ParameterErrorOut(Schema):
    detail: str
    parameter: str


# --- requests -----------------------------------------------------------------------------------------


class ApplicantIn(ClosedSchema):
    name: ShortText = Field(description="người nộp")
    id_number: Annotated[str, Field(max_length=14)] = ""
    owner_name: ShortText = Field("", description="chủ hồ sơ, khi khác người nộp")
    owner_id_number: Annotated[str, Field(max_length=14)] = ""
    address: Annotated[str, Field(max_length=300)] = ""
    phone: Annotated[str, Field(max_length=20)] = ""
    email: Annotated[str, Field(max_length=254)] = ""


class ComponentIn(ClosedSchema):
    """One paper; ``catalog_position`` links it to the procedure's published component of that
    position (its name is used when ``name`` is empty)."""

    name: Annotated[str, Field(max_length=500)] = ""
    catalog_position: int | None = Field(None, ge=1)
    copy_type: CopyType = CopyType.ORIGINAL
    count: int = Field(1, ge=1, le=999)
    is_provided: bool = True
    is_digitized: bool = False
    is_reused: bool = False
    is_from_store: bool = False


class DossierCreateIn(ClosedSchema):
    """Channel 1 (direct) or 3 (postal): received at the counter now (form 01). Channel 2 (online):
    filed online, waiting in the unit's reception queue."""

    procedure: ShortText = Field(description="mã thủ tục, ví dụ 1.001193")
    receiving_unit: ShortText = Field(description="mã định danh đơn vị tiếp nhận")
    responsible_unit: ShortText | None = Field(
        None, description="đơn vị giải quyết, khi khác đơn vị tiếp nhận"
    )
    channel: Channel = Channel.DIRECT
    applicant: ApplicantIn
    components: list[ComponentIn] = Field(default_factory=list, max_length=100)
    result_delivery: ResultDelivery | None = None
    fee_vnd: int | None = Field(None, ge=0, description="chỉ tại quầy; mặc định theo thủ tục")


class VersionIn(ClosedSchema):
    expected_version: int | None = Field(
        None, ge=1, description="phiên bản hồ sơ bạn đang xem; khác phiên bản hiện tại thì trả 409"
    )


class MissingItemIn(ClosedSchema):
    name: Annotated[str, Field(max_length=500)]
    reason: Text = ""


class ItemsIn(VersionIn):
    items: list[MissingItemIn] = Field(max_length=100)


class StartIn(VersionIn):
    assignee_username: ShortText | None = Field(None, description="giao bước đầu cho cán bộ này")


class ForwardIn(VersionIn):
    note: Text = ""
    next_assignee_username: ShortText | None = None


class ReasonIn(VersionIn):
    reason: Text


class NoteIn(VersionIn):
    note: Text = ""


class ConsultIn(VersionIn):
    unit: ShortText = Field(description="mã định danh đơn vị được hỏi ý kiến / liên thông")
    question: Text
    hours: Decimal = Field(gt=0, le=10000, description="thời hạn, giờ làm việc")
    role: Role = Role.SPECIALIST


class InterUnitIn(VersionIn):
    unit: ShortText
    task: Text
    hours: Decimal = Field(gt=0, le=10000)
    role: Role = Role.SPECIALIST


class StepAnswerIn(VersionIn):
    step_id: int
    answer: Text


class StepResultIn(VersionIn):
    step_id: int
    result: Text


class SupplementIn(VersionIn):
    components: list[ComponentIn] = Field(default_factory=list, max_length=100)
    note: Text = ""


class ReasonsIn(VersionIn):
    reasons: list[Text] = Field(max_length=50)


class PaymentRequestIn(VersionIn):
    amount_vnd: int = Field(gt=0)
    note: Text = ""


class PaymentIn(VersionIn):
    amount_vnd: int = Field(ge=0)
    receipt_number: ShortText = ""
    is_online: bool = False


class RescheduleIn(VersionIn):
    new_due_at: AwareDatetime = Field(description="ngày hẹn mới, có múi giờ")
    reason: Text


class ResultIn(VersionIn):
    number: Annotated[str, Field(max_length=100)]
    signed_on: dt.date
    signer: ShortText
    is_electronic: bool = False


class MessageIn(VersionIn):
    message: Text = ""


class ReturnResultIn(VersionIn):
    delivery: ResultDelivery | None = None
    note: Text = ""


class WithdrawIn(VersionIn):
    reason: Text
    written_request: ShortText = Field("", description="số, ngày văn bản đề nghị rút (bắt buộc với cán bộ)")
