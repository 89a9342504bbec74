"""Processing as steps: the internal process started from the catalog, hand-overs forward and back,
reassignment, consultation of another unit and liên thông (inter-unit) tasks.

NĐ 61/2018/NĐ-CP Điều 18–19; TT 01/2018/TT-VPCP form 05 (hand-over sheet, one row per step with its
verdict). A late step counts as late even when the dossier ends on time (seed 003), so every step keeps
its own deadline and verdict. Supplementation, suspension, stop, refusal, fees and rescheduling are in
``services.holds``.
"""

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from motcua.accounts.models import User
from motcua.catalog.models import InternalProcess
from motcua.core.worktime import to_local
from motcua.dossiers import deadlines, permissions
from motcua.dossiers.models import Dossier, DossierEvent, DossierStep, StepKind
from motcua.dossiers.services._core import (
    ActionRefused,
    _move,
    _require_processing_officer,
    calendar_of,
    holds_role,
    lock_dossier,
    lock_step,
    now,
    open_process_step,
    require_move,
    require_open,
    require_status,
    require_text,
)
from motcua.dossiers.workflow import OPEN, EventKind, Status
from motcua.organizations.models import Role, Unit


def _process_for(dossier: Dossier) -> InternalProcess:
    """The internal process in force on the day of reception: the responsible unit's own, else the
    procedure's generic one (``unit`` empty)."""
    on = to_local(dossier.received_at or dossier.submitted_at).date()
    versions = InternalProcess.objects.filter(procedure=dossier.procedure_id, valid_from__lte=on).order_by(
        "-valid_from", "-id"
    )
    process = versions.filter(unit=dossier.responsible_unit_id).first() or versions.filter(unit=None).first()
    if process is None or not process.steps.exists():
        raise ActionRefused(
            _(
                "Thủ tục %(code)s chưa có quy trình nội bộ (các bước xử lý) áp dụng cho %(unit)s: "
                "quản trị đơn vị cần khai báo quy trình trước khi chuyển xử lý."
            )
            % {"code": dossier.procedure.code, "unit": dossier.responsible_unit.name}
        )
    return process


def _start(step: DossierStep, at: dt.datetime, assignee: User | None = None) -> None:
    step.started_at = at
    step.due_at = deadlines.step_due(calendar_of(step.unit, at), at, step.budget_hours)
    if assignee is not None:
        _require_can_take(assignee, step)
        step.assignee = assignee
    step.save(update_fields=["started_at", "due_at", "assignee"])


def _finish(step: DossierStep, at: dt.datetime, by: User, note: str = "", answer: str = "") -> None:
    step.finished_at = at
    step.finished_by = by
    step.verdict = deadlines.verdict(at, step.due_at)
    fields = ["finished_at", "finished_by", "verdict"]
    if note:
        step.note = note
        fields.append("note")
    if answer:
        step.answer = answer
        fields.append("answer")
    step.save(update_fields=fields)


def _require_can_take(user: User, step: DossierStep) -> None:
    if not holds_role(user, step.unit, step.role):
        raise ActionRefused(
            _("Người được giao «%(user)s» không giữ vai trò «%(role)s» tại %(unit)s.")
            % {"user": user, "role": Role(step.role).label, "unit": step.unit.name}
        )


def _require_step_actor(by: User, step: DossierStep) -> None:
    permissions.require(
        permissions.can_process_step(by, step),
        _("Bước «%(step)s» được giao cho người khác hoặc cho vai trò «%(role)s» tại %(unit)s.")
        % {"step": step.name, "role": Role(step.role).label, "unit": step.unit.name},
    )


def _require_current_step(dossier: Dossier) -> DossierStep:
    step = open_process_step(dossier)
    if step is None:
        raise ActionRefused(_("Hồ sơ %(code)s không có bước nào đang xử lý.") % {"code": dossier.code})
    return step


def _step_event(
    dossier: Dossier, step: DossierStep, kind: EventKind, by: User, at: dt.datetime, **data: object
) -> DossierEvent:
    payload: dict[str, object] = {"kind": step.kind, "unit": step.unit.code, **data}
    if step.finished_at is not None:
        payload["verdict"] = step.verdict
    return _move(dossier, to=None, kind=kind, by=by, at=at, step=step, due_at=step.due_at, data=payload)


# --- the internal process -----------------------------------------------------------------------------


@transaction.atomic
def start_processing(
    *, dossier_id: int, by: User, assignee: User | None = None, expected_version: int | None = None
) -> Dossier:
    """Forward the received dossier to processing (NĐ 61/2018 Điều 18): RECEIVED → PROCESSING.

    Creates one step per step of the internal process in force (the responsible unit's own process
    first, else the procedure's generic one) and starts the first, due after its budget of working
    hours. The transition event is that first ``step_started``.
    """
    dossier = lock_dossier(dossier_id, expected_version)
    require_move(dossier, Status.PROCESSING)
    permissions.require(
        permissions.can_start_processing(by, dossier),
        _("Chỉ cán bộ tiếp nhận hoặc cán bộ của %(unit)s mới được chuyển hồ sơ đi xử lý.")
        % {"unit": dossier.responsible_unit.name},
    )
    process = _process_for(dossier)
    at = now()
    steps = [
        DossierStep.objects.create(
            dossier=dossier,
            position=template.position,
            kind=StepKind.PROCESS,
            name=template.name,
            role=template.role,
            unit=template.performing_unit or dossier.responsible_unit,
            budget_hours=template.hours,
        )
        for template in process.steps.select_related("performing_unit").order_by("position")
    ]
    first = steps[0]
    _start(first, at, assignee)
    _move(
        dossier,
        to=Status.PROCESSING,
        kind=EventKind.STEP_STARTED,
        by=by,
        at=at,
        step=first,
        due_at=first.due_at,
        data={"kind": first.kind, "unit": first.unit.code, "process": process.name, "steps": len(steps)},
    )
    return dossier


@transaction.atomic
def forward_step(
    *,
    dossier_id: int,
    by: User,
    note: str = "",
    next_assignee: User | None = None,
    expected_version: int | None = None,
) -> Dossier:
    """Finish the current step with its verdict and start the next one (a hand-over, form 05).

    The step's verdict compares its end with its own deadline (``deadlines.verdict``). After the last
    step nothing starts: the leader approves with ``mark_processed``.
    """
    dossier = lock_dossier(dossier_id, expected_version)
    require_status(dossier, {Status.PROCESSING}, _("chuyển bước xử lý"))
    current = _require_current_step(dossier)
    _require_step_actor(by, current)
    at = now()
    following = (
        dossier.steps.filter(kind=StepKind.PROCESS, started_at__isnull=True, position__gt=current.position)
        .select_related("unit")
        .order_by("position", "id")
        .first()
    )
    if following is not None and next_assignee is not None:
        _require_can_take(next_assignee, following)
    _finish(current, at, by, note=note.strip())
    _step_event(dossier, current, EventKind.STEP_FINISHED, by, at, note=note.strip())
    if following is not None:
        _start(following, at, next_assignee)
        _step_event(dossier, following, EventKind.STEP_STARTED, by, at)
    return dossier


@transaction.atomic
def return_step(*, dossier_id: int, by: User, reason: str, expected_version: int | None = None) -> Dossier:
    """Send the dossier back to the previous step (e.g. the leader returns it to the specialist).

    History is never edited: the current step ends (with its verdict), the previous step is repeated
    as a new step row started now, and a fresh copy of the current step waits after it.
    """
    dossier = lock_dossier(dossier_id, expected_version)
    require_status(dossier, {Status.PROCESSING}, _("trả lại bước trước"))
    current = _require_current_step(dossier)
    _require_step_actor(by, current)
    cleaned = require_text(reason, _("lý do trả lại"))
    previous = (
        dossier.steps.filter(kind=StepKind.PROCESS, finished_at__isnull=False, position__lt=current.position)
        .select_related("unit")
        .order_by("-position", "-finished_at", "-id")
        .first()
    )
    if previous is None:
        raise ActionRefused(
            _("Bước «%(step)s» là bước đầu tiên: không có bước trước để trả lại.") % {"step": current.name}
        )
    at = now()
    _finish(current, at, by, note=cleaned)
    _step_event(dossier, current, EventKind.STEP_FINISHED, by, at, returned=True, note=cleaned)
    again = DossierStep.objects.create(
        dossier=dossier,
        position=previous.position,
        kind=StepKind.PROCESS,
        name=previous.name,
        role=previous.role,
        unit=previous.unit,
        budget_hours=previous.budget_hours,
        assignee=previous.finished_by,
    )
    DossierStep.objects.create(
        dossier=dossier,
        position=current.position,
        kind=StepKind.PROCESS,
        name=current.name,
        role=current.role,
        unit=current.unit,
        budget_hours=current.budget_hours,
        assignee=current.assignee,
    )
    _start(again, at)
    _step_event(dossier, again, EventKind.STEP_STARTED, by, at, returned_from=current.name)
    return dossier


@transaction.atomic
def reassign_step(
    *, step_id: int, by: User, assignee: User, expected_version: int | None = None
) -> DossierStep:
    """Give a step (running or still to come) to another officer holding the step's role in its unit;
    the leader assigns the work (NĐ 61/2018 Điều 19 khoản 1)."""
    dossier, step = lock_step(step_id, expected_version)
    require_open(dossier)
    if step.finished_at is not None:
        raise ActionRefused(_("Bước «%(step)s» đã kết thúc: không thể giao lại.") % {"step": step.name})
    permissions.require(
        permissions.can_reassign_step(by, step),
        _("Chỉ lãnh đạo của %(unit)s mới được giao lại bước «%(step)s».")
        % {"unit": step.unit.name, "step": step.name},
    )
    _require_can_take(assignee, step)
    previous = str(step.assignee) if step.assignee_id is not None else ""
    step.assignee = assignee
    step.save(update_fields=["assignee"])
    _move(
        dossier,
        to=None,
        kind=EventKind.REASSIGNED,
        by=by,
        at=now(),
        step=step,
        due_at=step.due_at,
        data={"from": previous, "to": str(assignee)},
    )
    return step


def _parallel_step(
    dossier: Dossier, *, kind: StepKind, unit: Unit, role: Role, name: str, task: str, hours: Decimal | int
) -> DossierStep:
    if Decimal(hours) <= 0:
        raise ActionRefused(_("Thời hạn (giờ làm việc) phải lớn hơn 0."))
    if not unit.is_active:
        raise ActionRefused(_("Đơn vị %(unit)s không còn hoạt động.") % {"unit": unit.name})
    if unit.pk == dossier.responsible_unit_id:
        raise ActionRefused(
            _("Đơn vị được hỏi ý kiến hoặc liên thông phải là đơn vị khác %(unit)s.") % {"unit": unit.name}
        )
    current = open_process_step(dossier)
    position = current.position if current is not None else 0
    return DossierStep.objects.create(
        dossier=dossier,
        position=position,
        kind=kind,
        name=name[:255],
        role=role,
        unit=unit,
        budget_hours=Decimal(hours),
        note=task,
    )


@transaction.atomic
def consult_unit(
    *,
    dossier_id: int,
    by: User,
    unit: Unit,
    question: str,
    hours: Decimal | int,
    role: Role = Role.SPECIALIST,
    expected_version: int | None = None,
) -> DossierStep:
    """Ask another unit for its opinion, with content and deadline (NĐ 61/2018 Điều 19 khoản 5): a
    CONSULTATION step in that unit, due after ``hours`` working hours of its calendar. The dossier
    becomes visible to that unit's officers."""
    dossier = lock_dossier(dossier_id, expected_version)
    require_status(dossier, {Status.PROCESSING}, _("lấy ý kiến đơn vị khác"))
    _require_processing_officer(by, dossier, _("lấy ý kiến đơn vị khác"))
    text = require_text(question, _("nội dung xin ý kiến"))
    step = _parallel_step(
        dossier,
        kind=StepKind.CONSULTATION,
        unit=unit,
        role=role,
        name=_("Lấy ý kiến: %(unit)s") % {"unit": unit.name},
        task=text,
        hours=hours,
    )
    at = now()
    _start(step, at)
    _step_event(dossier, step, EventKind.CONSULTED, by, at, question=text)
    return step


@transaction.atomic
def answer_consultation(
    *, step_id: int, by: User, answer: str, expected_version: int | None = None
) -> DossierStep:
    """The consulted unit answers; the step ends with its verdict against its own deadline."""
    dossier, step, at = _close_parallel_step(
        step_id=step_id,
        by=by,
        text=answer,
        expected_version=expected_version,
        kind=StepKind.CONSULTATION,
        action=_("trả lời xin ý kiến"),
        field=_("ý kiến trả lời"),
        wrong_step=_("Bước «%(step)s» không phải yêu cầu xin ý kiến đang chờ trả lời."),
    )
    _step_event(dossier, step, EventKind.CONSULTATION_ANSWERED, by, at)
    return step


@transaction.atomic
def send_inter_unit(
    *,
    dossier_id: int,
    by: User,
    unit: Unit,
    task: str,
    hours: Decimal | int,
    role: Role = Role.SPECIALIST,
    expected_version: int | None = None,
) -> DossierStep:
    """Liên thông: hand a task of the dossier to another unit, at the same or at a different level,
    with its deadline (NĐ 61/2018 Điều 19 khoản 6–7). The unit's officers see the dossier; its result
    comes back to the original unit (``complete_inter_unit``), which returns it at its own counter."""
    dossier = lock_dossier(dossier_id, expected_version)
    require_status(dossier, {Status.PROCESSING}, _("chuyển liên thông"))
    _require_processing_officer(by, dossier, _("chuyển liên thông"))
    text = require_text(task, _("nhiệm vụ của đơn vị liên thông"))
    step = _parallel_step(
        dossier,
        kind=StepKind.INTER_UNIT,
        unit=unit,
        role=role,
        name=_("Liên thông: %(unit)s") % {"unit": unit.name},
        task=text,
        hours=hours,
    )
    at = now()
    _start(step, at)
    _step_event(
        dossier, step, EventKind.STEP_STARTED, by, at, task=text, lead_unit=dossier.responsible_unit.code
    )
    return step


@transaction.atomic
def complete_inter_unit(
    *, step_id: int, by: User, result: str, expected_version: int | None = None
) -> DossierStep:
    """The liên thông unit finishes its task and sends the result back to the lead unit."""
    dossier, step, at = _close_parallel_step(
        step_id=step_id,
        by=by,
        text=result,
        expected_version=expected_version,
        kind=StepKind.INTER_UNIT,
        action=_("kết thúc nhiệm vụ liên thông"),
        field=_("kết quả thực hiện"),
        wrong_step=_("Bước «%(step)s» không phải nhiệm vụ liên thông đang thực hiện."),
    )
    _step_event(dossier, step, EventKind.STEP_FINISHED, by, at, returned_to=dossier.responsible_unit.code)
    return step


def _close_parallel_step(
    *,
    step_id: int,
    by: User,
    text: str,
    expected_version: int | None,
    kind: StepKind,
    action: str,
    field: str,
    wrong_step: str,
) -> tuple[Dossier, DossierStep, dt.datetime]:
    """Shared end of a consultation or a liên thông task: the other unit's officer records its answer
    and the step ends with its verdict against its own deadline."""
    dossier, step = lock_step(step_id, expected_version)
    require_status(dossier, OPEN, action)
    if step.kind != kind or step.finished_at is not None:
        raise ActionRefused(wrong_step % {"step": step.name})
    _require_step_actor(by, step)
    cleaned = require_text(text, field)
    at = now()
    _finish(step, at, by, answer=cleaned)
    return dossier, step, at
