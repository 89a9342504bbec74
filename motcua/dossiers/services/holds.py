"""What interrupts the steps of processing: supplementation, suspension and resumption, stop, refusal
after appraisal, fees, and the apology with a new appointment.

NĐ 61/2018/NĐ-CP Điều 19, 22; TT 01/2018/TT-VPCP form 04 (apology). The steps themselves are in
``services.steps``.
"""

import datetime as dt
from collections.abc import Sequence

from django.db import transaction
from django.utils.translation import gettext as _

from motcua.accounts.models import User
from motcua.core.worktime import to_local
from motcua.dossiers import deadlines, permissions
from motcua.dossiers.models import Dossier, DossierEvent
from motcua.dossiers.services._core import (
    ActionRefused,
    DeadlinePassed,
    MissingItem,
    _move,
    _require_processing_officer,
    calendar_of,
    iso,
    lock_dossier,
    notify,
    now,
    require_items,
    require_move,
    require_reasons,
    require_status,
    require_text,
)
from motcua.dossiers.services.results import ready_problems, start_closing_step
from motcua.dossiers.workflow import OPEN, EventKind, Status


def _require_leader(by: User, dossier: Dossier, what: str) -> None:
    permissions.require(
        permissions.can_approve(by, dossier),
        _("Chỉ lãnh đạo của %(unit)s mới được %(what)s.")
        % {"unit": dossier.responsible_unit.name, "what": what},
    )


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
    return _record_payment(
        dossier, by=by, amount_vnd=amount_vnd, receipt_number=receipt_number, is_online=is_online
    )


@transaction.atomic
def record_payment_by_provider(
    *, dossier_id: int, provider_name: str, amount_vnd: int, receipt_number: str
) -> Dossier:
    """Record an online payment on behalf of the payment gateway (the event's actor is the gateway, not
    a person). Only ``services.fees`` calls it, after the provider's signed notice was verified."""
    dossier = lock_dossier(dossier_id)
    require_status(dossier, {Status.AWAITING_PAYMENT}, _("ghi nhận nộp phí, lệ phí"))
    return _record_payment(
        dossier,
        by=None,
        actor_name=provider_name,
        amount_vnd=amount_vnd,
        receipt_number=receipt_number,
        is_online=True,
    )


def _record_payment(
    dossier: Dossier,
    *,
    by: User | None,
    amount_vnd: int,
    receipt_number: str,
    is_online: bool,
    actor_name: str = "",
) -> Dossier:
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
        _move(
            dossier,
            to=Status.PROCESSING,
            kind=EventKind.PAID,
            by=by,
            at=at,
            fields=fields,
            data=data,
            actor_name=actor_name,
        )
        return dossier
    start_closing_step(dossier, at, by, actor_name)
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
        actor_name=actor_name,
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
