"""Processing: the internal process as steps, hand-overs, consultation, liên thông, and the exceptions
(supplementation, suspension, stop, refusal after appraisal, fees, apology and new appointment).

NĐ 61/2018/NĐ-CP Điều 18–19, 22; TT 01/2018/TT-VPCP form 04 (apology) and form 05 (hand-over sheet,
one row per step with its verdict). A late step counts as late even when the dossier ends on time
(seed 003), so every step keeps its own deadline and verdict.
"""

import datetime as dt
from collections.abc import Sequence
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
    DeadlinePassed,
    MissingItem,
    _move,
    calendar_of,
    holds_role,
    iso,
    lock_dossier,
    lock_step,
    notify,
    now,
    open_process_step,
    require_items,
    require_move,
    require_open,
    require_reasons,
    require_status,
    require_text,
)
from motcua.dossiers.services.results import ready_problems
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


def _require_processing_officer(by: User, dossier: Dossier, what: str) -> None:
    permissions.require(
        permissions.is_processing_officer(by, dossier),
        _("Chỉ công chức chuyên môn hoặc lãnh đạo của %(unit)s mới được %(what)s.")
        % {"unit": dossier.responsible_unit.name, "what": what},
    )


def _require_leader(by: User, dossier: Dossier, what: str) -> None:
    permissions.require(
        permissions.can_approve(by, dossier),
        _("Chỉ lãnh đạo của %(unit)s mới được %(what)s.")
        % {"unit": dossier.responsible_unit.name, "what": what},
    )


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
    dossier, step = lock_step(step_id, expected_version)
    require_status(dossier, OPEN, _("trả lời xin ý kiến"))
    if step.kind != StepKind.CONSULTATION or step.finished_at is not None:
        raise ActionRefused(
            _("Bước «%(step)s» không phải yêu cầu xin ý kiến đang chờ trả lời.") % {"step": step.name}
        )
    _require_step_actor(by, step)
    text = require_text(answer, _("ý kiến trả lời"))
    at = now()
    _finish(step, at, by, answer=text)
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
    dossier, step = lock_step(step_id, expected_version)
    require_status(dossier, OPEN, _("kết thúc nhiệm vụ liên thông"))
    if step.kind != StepKind.INTER_UNIT or step.finished_at is not None:
        raise ActionRefused(
            _("Bước «%(step)s» không phải nhiệm vụ liên thông đang thực hiện.") % {"step": step.name}
        )
    _require_step_actor(by, step)
    text = require_text(result, _("kết quả thực hiện"))
    at = now()
    _finish(step, at, by, answer=text)
    _step_event(dossier, step, EventKind.STEP_FINISHED, by, at, returned_to=dossier.responsible_unit.code)
    return step


# --- exceptions ---------------------------------------------------------------------------------------


def _last_complete_arrival(dossier: Dossier) -> dt.datetime:
    """When the complete dossier last arrived: reception, or the last completed supplementation
    during processing (the time limit restarts then, NĐ 61/2018 Điều 19 khoản 4)."""
    completed = (
        DossierEvent.objects.filter(
            dossier=dossier, kind=EventKind.SUPPLEMENT_COMPLETED, from_status=Status.AWAITING_SUPPLEMENT
        )
        .order_by("-at")
        .values_list("at", flat=True)
        .first()
    )
    received = dossier.received_at or dossier.submitted_at
    return max(received, completed) if completed else received


@transaction.atomic
def request_supplement(
    *, dossier_id: int, by: User, items: Sequence[MissingItem], expected_version: int | None = None
) -> Dossier:
    """Send the dossier back for supplementation during appraisal, listing every missing item once,
    within 3 working days of reception (NĐ 61/2018 Điều 19 khoản 4; ``deadlines
    .supplement_request_deadline``), through the counter (Điều 5). The time limit restarts when the
    complete dossier arrives (``complete_supplement``); the number of requests is kept (QĐ 766
    counts more than one as late)."""
    dossier = lock_dossier(dossier_id, expected_version)
    require_move(dossier, Status.AWAITING_SUPPLEMENT)
    permissions.require(
        permissions.can_request_supplement(by, dossier),
        _("Chỉ công chức chuyên môn hoặc lãnh đạo của %(unit)s mới được yêu cầu bổ sung hồ sơ.")
        % {"unit": dossier.responsible_unit.name},
    )
    listed = require_items(items)
    at = now()
    since = _last_complete_arrival(dossier)
    limit = deadlines.supplement_request_deadline(calendar_of(dossier.responsible_unit, since), since)
    if at > limit:
        raise DeadlinePassed(
            _(
                "Đã quá hạn yêu cầu bổ sung hồ sơ (03 ngày làm việc kể từ ngày tiếp nhận, hết lúc %(limit)s). "
                "Hồ sơ phải được giải quyết với thành phần đã có."
            )
            % {"limit": f"{to_local(limit):%H:%M %d/%m/%Y}"}
        )
    dossier.supplement_request_count += 1
    event = _move(
        dossier,
        to=Status.AWAITING_SUPPLEMENT,
        kind=EventKind.SUPPLEMENT_REQUESTED,
        by=by,
        at=at,
        fields=["supplement_request_count"],
        data={"items": listed, "request_number": dossier.supplement_request_count, "limit": iso(limit)},
    )
    notify(dossier, event, "supplement_needed")
    return dossier


@transaction.atomic
def suspend(*, dossier_id: int, by: User, reason: str, expected_version: int | None = None) -> Dossier:
    """Suspend processing (tạm dừng). The appointment and the step deadlines keep running: suspension
    is scored and minimised; a new appointment needs the apology (``reschedule_with_apology``)."""
    dossier = lock_dossier(dossier_id, expected_version)
    require_move(dossier, Status.SUSPENDED)
    _require_processing_officer(by, dossier, _("tạm dừng xử lý hồ sơ"))
    cleaned = require_text(reason, _("lý do tạm dừng"))
    _move(dossier, to=Status.SUSPENDED, kind=EventKind.SUSPENDED, by=by, at=now(), data={"reason": cleaned})
    return dossier


@transaction.atomic
def resume(*, dossier_id: int, by: User, note: str = "", expected_version: int | None = None) -> Dossier:
    """Resume a suspended dossier: SUSPENDED → PROCESSING."""
    dossier = lock_dossier(dossier_id, expected_version)
    require_move(dossier, Status.PROCESSING)
    if dossier.status != Status.SUSPENDED:
        raise ActionRefused(_("Hồ sơ %(code)s không ở trạng thái tạm dừng.") % {"code": dossier.code})
    _require_processing_officer(by, dossier, _("tiếp tục xử lý hồ sơ"))
    _move(dossier, to=Status.PROCESSING, kind=EventKind.RESUMED, by=by, at=now(), data={"note": note.strip()})
    return dossier


def _close_after_reception(dossier: Dossier, at: dt.datetime) -> list[str]:
    """The end counts for timeliness (QĐ 766: stopped/refused are terminal statuses)."""
    dossier.verdict = deadlines.verdict(at, dossier.due_at)
    return ["verdict"]


@transaction.atomic
def stop(*, dossier_id: int, by: User, reason: str, expected_version: int | None = None) -> Dossier:
    """Stop processing (dừng xử lý, national status 8), e.g. the applicant did not supplement or the
    matter ceased; the leader decides and the applicant is told (TT 03/2025 form 05)."""
    dossier = lock_dossier(dossier_id, expected_version)
    require_move(dossier, Status.STOPPED)
    _require_leader(by, dossier, _("dừng xử lý hồ sơ"))
    cleaned = require_text(reason, _("lý do dừng xử lý"))
    at = now()
    fields = _close_after_reception(dossier, at)
    event = _move(
        dossier,
        to=Status.STOPPED,
        kind=EventKind.STOPPED,
        by=by,
        at=at,
        fields=fields,
        data={"reason": cleaned},
    )
    notify(dossier, event, "stopped")
    return dossier


@transaction.atomic
def reject_after_appraisal(
    *, dossier_id: int, by: User, reasons: Sequence[str], expected_version: int | None = None
) -> Dossier:
    """Refuse after appraisal with reasons (phiếu từ chối giải quyết, NĐ 61/2018 Điều 19 khoản 8),
    signed by the leader, within the time limit. Applies to every channel once received: an online
    dossier is never refused *at reception*, but a received one can fail appraisal."""
    dossier = lock_dossier(dossier_id, expected_version)
    require_move(dossier, Status.REJECTED)
    _require_leader(by, dossier, _("từ chối giải quyết hồ sơ"))
    cleaned = require_reasons(reasons, _("lý do từ chối giải quyết"))
    at = now()
    fields = _close_after_reception(dossier, at)
    event = _move(
        dossier,
        to=Status.REJECTED,
        kind=EventKind.REFUSED,
        by=by,
        at=at,
        fields=fields,
        data={"reasons": cleaned},
    )
    notify(dossier, event, "refused")
    return dossier


@transaction.atomic
def request_payment(
    *, dossier_id: int, by: User, amount_vnd: int, note: str = "", expected_version: int | None = None
) -> Dossier:
    """Ask the applicant to pay the fees or fulfil a financial obligation (national status 6)."""
    dossier = lock_dossier(dossier_id, expected_version)
    require_move(dossier, Status.AWAITING_PAYMENT)
    permissions.require(
        permissions.can_handle_payment(by, dossier),
        _("Bạn không có quyền yêu cầu nộp phí, lệ phí cho hồ sơ %(code)s.") % {"code": dossier.code},
    )
    if amount_vnd <= 0:
        raise ActionRefused(_("Số tiền phải nộp (đồng) phải lớn hơn 0."))
    dossier.fee_vnd = amount_vnd
    event = _move(
        dossier,
        to=Status.AWAITING_PAYMENT,
        kind=EventKind.PAYMENT_REQUESTED,
        by=by,
        at=now(),
        fields=["fee_vnd"],
        data={"amount_vnd": amount_vnd, "note": note.strip()},
    )
    notify(dossier, event, "payment_requested")
    return dossier


@transaction.atomic
def record_payment(
    *,
    dossier_id: int,
    by: User,
    amount_vnd: int,
    receipt_number: str = "",
    is_online: bool = False,
    expected_version: int | None = None,
) -> Dossier:
    """Record the payment (receipt, NĐ 61/2018 Điều 22). The dossier goes back to processing, or
    straight to PROCESSED when the work was done and only the fee was pending (every step finished and
    the result recorded)."""
    dossier = lock_dossier(dossier_id, expected_version)
    require_status(dossier, {Status.AWAITING_PAYMENT}, _("ghi nhận nộp phí, lệ phí"))
    permissions.require(
        permissions.can_handle_payment(by, dossier),
        _("Bạn không có quyền ghi nhận nộp phí, lệ phí cho hồ sơ %(code)s.") % {"code": dossier.code},
    )
    if amount_vnd != dossier.fee_vnd:
        raise ActionRefused(
            _("Số tiền đã nộp %(paid)s đồng khác số phải nộp %(due)s đồng.")
            % {"paid": f"{amount_vnd:,}".replace(",", "."), "due": f"{dossier.fee_vnd:,}".replace(",", ".")}
        )
    at = now()
    data = {"amount_vnd": amount_vnd, "receipt_number": receipt_number.strip(), "online": is_online}
    fields = []
    if is_online:
        dossier.is_paid_online = True
        fields.append("is_paid_online")
    if ready_problems(dossier):
        _move(dossier, to=Status.PROCESSING, kind=EventKind.PAID, by=by, at=at, fields=fields, data=data)
        return dossier
    dossier.processed_at = at
    dossier.verdict = deadlines.verdict(at, dossier.due_at)
    event = _move(
        dossier,
        to=Status.PROCESSED,
        kind=EventKind.PAID,
        by=by,
        at=at,
        fields=[*fields, "processed_at", "verdict"],
        data=data,
    )
    notify(dossier, event, "result_ready")
    return dossier


@transaction.atomic
def reschedule_with_apology(
    *,
    dossier_id: int,
    by: User,
    new_due_at: dt.datetime,
    reason: str,
    expected_version: int | None = None,
) -> Dossier:
    """Apologise and set a new appointment (form 04; NĐ 61/2018 Điều 19 khoản 9).

    Only once per dossier (also a database constraint), only until ``deadlines.latest_apology_at`` (at
    least one working day before the due date), and only to a later date. ``original_due_at`` keeps
    the appointment that was missed; the applicant is told.
    """
    dossier = lock_dossier(dossier_id, expected_version)
    require_status(dossier, OPEN, _("hẹn lại ngày trả kết quả"))
    _require_leader(by, dossier, _("ký văn bản xin lỗi và hẹn lại ngày trả kết quả"))
    cleaned = require_text(reason, _("lý do chậm trễ"))
    if dossier.due_at is None:
        raise ActionRefused(_("Hồ sơ %(code)s không có ngày hẹn trả để hẹn lại.") % {"code": dossier.code})
    if dossier.reschedule_count >= 1:
        raise ActionRefused(
            _("Hồ sơ %(code)s đã được hẹn lại một lần: chỉ được hẹn lại một lần (Nghị định 61/2018 Điều 19).")
            % {"code": dossier.code}
        )
    if new_due_at.tzinfo is None or new_due_at.utcoffset() is None:
        raise ActionRefused(_("Ngày hẹn mới phải có múi giờ."))
    if new_due_at <= dossier.due_at:
        raise ActionRefused(
            _("Ngày hẹn mới %(new)s phải sau ngày hẹn hiện tại %(old)s.")
            % {
                "new": f"{to_local(new_due_at):%H:%M %d/%m/%Y}",
                "old": f"{to_local(dossier.due_at):%H:%M %d/%m/%Y}",
            }
        )
    at = now()
    latest = deadlines.latest_apology_at(
        calendar_of(dossier.responsible_unit, dossier.due_at), dossier.due_at
    )
    if at > latest:
        raise DeadlinePassed(
            _(
                "Đã quá thời hạn xin lỗi và hẹn lại: chậm nhất 01 ngày làm việc trước ngày hẹn trả, "
                "tức là trước %(latest)s."
            )
            % {"latest": f"{to_local(latest):%H:%M %d/%m/%Y}"}
        )
    old = dossier.due_at
    if dossier.original_due_at is None:
        dossier.original_due_at = old
    dossier.due_at = new_due_at
    dossier.reschedule_count += 1
    event = _move(
        dossier,
        to=None,
        kind=EventKind.RESCHEDULED,
        by=by,
        at=at,
        fields=["due_at", "original_due_at", "reschedule_count"],
        due_at=new_due_at,
        data={"previous_due_at": iso(old), "reason": cleaned},
    )
    notify(dossier, event, "apology")
    return dossier
