"""Results: recording the signed result, approval (PROCESSED), the early-return notice and the
return of the result, after which the dossier is closed and immutable (NĐ 61/2018/NĐ-CP Điều 19–20)."""

import datetime as dt
from typing import Any

from django.core.files import File
from django.db import transaction
from django.utils.translation import gettext as _

from motcua.accounts.models import User
from motcua.dossiers import deadlines, permissions
from motcua.dossiers.models import Dossier, DossierStep, ResultDelivery, StepKind
from motcua.dossiers.services._core import (
    ActionRefused,
    _move,
    calendar_of,
    iso,
    lock_dossier,
    notify,
    now,
    open_process_step,
    require_move,
    require_status,
    require_text,
)
from motcua.dossiers.services.steps import _finish, _step_event
from motcua.dossiers.workflow import EventKind, Status, Verdict
from motcua.organizations.models import Role


def ready_problems(dossier: Dossier, *, approving: DossierStep | None = None) -> list[str]:
    """Why the dossier cannot be marked processed yet ([] when it can): steps of the internal process
    not finished (other than ``approving``, the step being approved now), open consultations or liên
    thông tasks, a missing result."""
    problems: list[str] = []
    pending = dossier.steps.filter(finished_at__isnull=True)
    if approving is not None:
        pending = pending.exclude(pk=approving.pk)
    closing = closing_step(dossier)
    if closing is not None:
        pending = pending.exclude(pk=closing.pk)
    names = list(pending.order_by("position", "id").values_list("name", flat=True))
    if names:
        problems.append(_("còn bước chưa kết thúc: %(steps)s") % {"steps": "; ".join(names)})
    if dossier.procedure.result_required and not dossier.result_number:
        problems.append(_("chưa ghi nhận kết quả giải quyết (số, ngày ký, người ký)"))
    return problems


def closing_step(dossier: Dossier) -> DossierStep | None:
    """The counter's closing step of the internal process ("Vào sổ theo dõi, trả kết quả"), while it
    is not finished: the last process step, held by the one-stop section, after at least one other.

    After the leader signs, the result goes back to the one-stop section, which enters it in the
    register and returns it (NĐ 61/2018/NĐ-CP Điều 20). That happens after approval, so this step does
    not hold approval back: it starts when the dossier becomes PROCESSED (``start_closing_step``) and
    ends with the return of the result.
    """
    last = dossier.steps.filter(kind=StepKind.PROCESS).order_by("-position", "-id").first()
    if last is None or last.role != Role.RECEIVER or last.finished_at is not None:
        return None
    if not dossier.steps.filter(kind=StepKind.PROCESS, position__lt=last.position).exists():
        return None
    return last


def _closing_due(dossier: Dossier, step: DossierStep, at: dt.datetime) -> dt.datetime:
    """The closing step is due after its own budget from approval, but never before the appointment:
    the applicant collects the result when it suits them up to the appointment, and an officer is not
    late because the applicant has not come yet."""
    due = deadlines.step_due(calendar_of(step.unit, at), at, step.budget_hours)
    return max(due, dossier.due_at) if dossier.due_at is not None else due


def start_closing_step(dossier: Dossier, at: dt.datetime, by: User | None, actor_name: str = "") -> None:
    """Start the closing step (if the process has one and it has not started) when the dossier is
    processed (``_closing_due`` gives its deadline)."""
    step = closing_step(dossier)
    if step is None or step.started_at is not None:
        return
    step.started_at = at
    step.due_at = _closing_due(dossier, step, at)
    step.save(update_fields=["started_at", "due_at"])
    _move(
        dossier,
        to=None,
        kind=EventKind.STEP_STARTED,
        by=by,
        at=at,
        step=step,
        due_at=step.due_at,
        data={"kind": step.kind, "unit": step.unit.code},
        actor_name=actor_name,
    )


def _finish_closing_step(dossier: Dossier, at: dt.datetime, by: User) -> None:
    """The return of the result ends the closing step, with its verdict (started first if the dossier
    was processed before the step existed)."""
    start_closing_step(dossier, at, by)
    step = closing_step(dossier)
    if step is None:
        return
    _finish(step, at, by)
    _step_event(dossier, step, EventKind.STEP_FINISHED, by, at)


@transaction.atomic
def record_result(
    *,
    dossier_id: int,
    by: User,
    number: str,
    signed_on: dt.date,
    signer: str,
    file: "File[Any] | None" = None,
    is_electronic: bool = False,
    expected_version: int | None = None,
) -> Dossier:
    """Record the result document (số, ngày ký, người ký, the file; electronic when signed digitally).
    Results are stored for reuse and lookup (NĐ 61/2018 Điều 20)."""
    dossier = lock_dossier(dossier_id, expected_version)
    require_status(dossier, {Status.PROCESSING, Status.AWAITING_PAYMENT}, _("ghi nhận kết quả"))
    permissions.require(
        permissions.can_record_result(by, dossier),
        _("Chỉ công chức chuyên môn hoặc lãnh đạo của %(unit)s mới được ghi nhận kết quả.")
        % {"unit": dossier.responsible_unit.name},
    )
    dossier.result_number = require_text(number, _("số kết quả"))[:100]
    dossier.result_signer = require_text(signer, _("người ký"))[:200]
    dossier.result_date = signed_on
    dossier.is_result_electronic = is_electronic
    fields = ["result_number", "result_signer", "result_date", "is_result_electronic"]
    if file is not None:
        dossier.result_file = file
        fields.append("result_file")
    _move(
        dossier,
        to=None,
        kind=EventKind.RESULT_RECORDED,
        by=by,
        at=now(),
        fields=fields,
        data={
            "number": dossier.result_number,
            "signed_on": signed_on.isoformat(),
            "signer": dossier.result_signer,
            "electronic": is_electronic,
        },
    )
    return dossier


@transaction.atomic
def mark_processed(
    *, dossier_id: int, by: User, note: str = "", expected_version: int | None = None
) -> Dossier:
    """The leader approves: PROCESSING → PROCESSED (national status 9, result ready).

    When the last step of the internal process is still open (the leader's approval step), it ends
    here with its verdict. Refused while another step, a consultation or a liên thông task is open or
    the result is not recorded. The dossier's verdict compares now with the appointment
    (``deadlines.verdict``: QĐ 766 "end ≤ appointment is on time"); the applicant is told the result
    is ready.
    """
    dossier = lock_dossier(dossier_id, expected_version)
    require_move(dossier, Status.PROCESSED)
    permissions.require(
        permissions.can_approve(by, dossier),
        _("Chỉ lãnh đạo của %(unit)s mới được duyệt kết quả.") % {"unit": dossier.responsible_unit.name},
    )
    at = now()
    current = open_process_step(dossier)
    approving = current if current is not None and permissions.can_process_step(by, current) else None
    problems = ready_problems(dossier, approving=approving)
    if problems:
        raise ActionRefused(
            _("Chưa thể duyệt kết quả hồ sơ %(code)s: %(problems)s.")
            % {"code": dossier.code, "problems": "; ".join(problems)}
        )
    if approving is not None:
        _finish(approving, at, by, note=note.strip())
        _step_event(dossier, approving, EventKind.STEP_FINISHED, by, at)
    start_closing_step(dossier, at, by)
    dossier.processed_at = at
    dossier.verdict = deadlines.verdict(at, dossier.due_at)
    event = _move(
        dossier,
        to=Status.PROCESSED,
        kind=EventKind.PROCESSED,
        by=by,
        at=at,
        fields=["processed_at", "verdict"],
        due_at=dossier.due_at,
        data={"verdict": dossier.verdict, "note": note.strip()},
    )
    notify(dossier, event, "result_ready")
    return dossier


@transaction.atomic
def announce_early_return(
    *, dossier_id: int, by: User, message: str = "", expected_version: int | None = None
) -> Dossier:
    """Tell the applicant the result can be collected before the appointment (NĐ 61/2018 Điều 20:
    early return is encouraged and announced beforehand by SMS, email or phone)."""
    dossier = lock_dossier(dossier_id, expected_version)
    require_status(dossier, {Status.PROCESSED}, _("thông báo trả kết quả sớm"))
    permissions.require(
        permissions.can_announce_early_return(by, dossier),
        _("Chỉ cán bộ tiếp nhận hoặc lãnh đạo đơn vị mới được thông báo trả kết quả sớm."),
    )
    if dossier.events.filter(kind=EventKind.EARLY_RETURN_NOTICE).exists():
        raise ActionRefused(
            _("Đã thông báo trả kết quả sớm cho hồ sơ %(code)s; không gửi lại lần nữa.")
            % {"code": dossier.code}
        )
    if dossier.verdict != Verdict.EARLY:
        raise ActionRefused(
            _("Hồ sơ %(code)s không xong trước ngày hẹn trả: không có gì để thông báo trả sớm.")
            % {"code": dossier.code}
        )
    event = _move(
        dossier,
        to=None,
        kind=EventKind.EARLY_RETURN_NOTICE,
        by=by,
        at=now(),
        due_at=dossier.due_at,
        data={"message": message.strip(), "due_at": iso(dossier.due_at)},
    )
    notify(dossier, event, "early_return")
    return dossier


@transaction.atomic
def return_result(
    *,
    dossier_id: int,
    by: User,
    delivery: ResultDelivery | None = None,
    note: str = "",
    expected_version: int | None = None,
) -> Dossier:
    """Return the result at the original counter, by post or to the applicant's account: PROCESSED →
    RETURNED (national status 10). The dossier is closed and from now on immutable."""
    dossier = lock_dossier(dossier_id, expected_version)
    require_move(dossier, Status.RETURNED)
    permissions.require(
        permissions.can_return_result(by, dossier),
        _("Chỉ cán bộ tiếp nhận của %(unit)s mới được trả kết quả.") % {"unit": dossier.receiving_unit.name},
    )
    at = now()
    _finish_closing_step(dossier, at, by)
    dossier.returned_at = at
    fields = ["returned_at"]
    if delivery is not None:
        dossier.result_delivery = delivery
        fields.append("result_delivery")
    _move(
        dossier,
        to=Status.RETURNED,
        kind=EventKind.RETURNED,
        by=by,
        at=at,
        fields=fields,
        data={"delivery": dossier.result_delivery, "note": note.strip()},
    )
    return dossier
