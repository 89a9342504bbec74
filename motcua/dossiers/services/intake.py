"""Intake: online submission, reception at the counter (form 01), supplementation before reception
(form 02), refusal at the counter (form 03), the online reception queue, and withdrawal.

NĐ 61/2018/NĐ-CP Điều 15–18 (as amended by NĐ 107/2021); TT 01/2018/TT-VPCP Điều 9–10.
Every dossier record gets its code (``core.numbering.dossier_code``) when it is created, whatever its
first status: the applicant needs it to come back or to follow the dossier, and the reception book
must count every record (the sequence is gap-audited).
"""

import dataclasses
from collections.abc import Callable, Sequence

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from motcua.accounts.models import User
from motcua.catalog.models import Procedure
from motcua.core.errors import Conflict
from motcua.core.numbering import dossier_code
from motcua.core.text import fold_vi
from motcua.dossiers import deadlines, permissions
from motcua.dossiers.models import Dossier, ResultDelivery
from motcua.dossiers.services._core import (
    ActionRefused,
    ApplicantInput,
    ComponentInput,
    MissingItem,
    TransitionNotAllowed,
    _move,
    add_components,
    calendar_of,
    iso,
    lock_dossier,
    notify,
    now,
    open_steps,
    require_items,
    require_move,
    require_open,
    require_reasons,
    require_text,
    status_label,
)
from motcua.dossiers.workflow import Channel, EventKind, Status
from motcua.organizations.models import Unit

COUNTER_CHANNELS = frozenset({Channel.DIRECT, Channel.POSTAL})


def _new_dossier(
    *,
    procedure: Procedure,
    receiving_unit: Unit,
    responsible_unit: Unit | None,
    channel: int,
    applicant: ApplicantInput,
    result_delivery: str,
    fee_vnd: int | None,
    idempotency_key: str | None,
) -> Dossier:
    """An unsaved dossier, without its code yet (``_issue_code``)."""
    name = require_text(applicant.name, _("người nộp"))
    at = now()
    user = applicant.user
    own_ids = {v for v in (getattr(user, "national_id", None), getattr(user, "tax_code", None)) if v}
    return Dossier(
        procedure=procedure,
        receiving_unit=receiving_unit,
        responsible_unit=responsible_unit or receiving_unit,
        channel=channel,
        applicant_name=name,
        applicant_id_number=applicant.id_number.strip(),
        owner_name=applicant.owner_name.strip(),
        owner_id_number=applicant.owner_id_number.strip(),
        address=applicant.address.strip(),
        phone=applicant.phone.strip(),
        email=applicant.email.strip(),
        applicant_user=user,
        is_own_account=bool(own_ids)
        and (applicant.owner_id_number or applicant.id_number).strip() in own_ids,
        fee_vnd=procedure.fee_vnd if fee_vnd is None else fee_vnd,
        result_delivery=result_delivery,
        online_level=procedure.online_level,
        submitted_at=at,
        idempotency_key=idempotency_key or None,
    )


def _issue_code(dossier: Dossier) -> None:
    """The dossier code of the receiving agency for the day (TT 01/2018 Điều 19); the number belongs
    to the caller's transaction or savepoint and is handed out again if it rolls back."""
    dossier.code = dossier_code(agency_code=dossier.receiving_unit.code, received_at=dossier.submitted_at)


def _replayed(idempotency_key: str | None, procedure: Procedure, applicant: ApplicantInput) -> Dossier | None:
    """The dossier already created with this key, if any (a retried or double-clicked submission).

    A key reused for a different procedure or applicant is a client bug: ``Conflict``, never a
    silent merge.
    """
    if not idempotency_key:
        return None
    existing = Dossier.objects.filter(idempotency_key=idempotency_key).first()
    if existing is None:
        return None
    if existing.procedure_id != procedure.pk or existing.applicant_id_number != applicant.id_number.strip():
        raise Conflict(
            _(
                "Khóa chống gửi trùng «%(key)s» đã được dùng cho hồ sơ %(code)s của một thủ tục hoặc "
                "người nộp khác."
            )
            % {"key": idempotency_key, "code": existing.code}
        )
    return existing


def _insert_once(dossier: Dossier, insert: Callable[[Dossier], None]) -> Dossier:
    """Insert through ``insert`` in a savepoint; if a concurrent request with the same idempotency key
    won the race, roll back our code number and return the winner's dossier."""
    try:
        with transaction.atomic():
            _issue_code(dossier)
            insert(dossier)
    except IntegrityError:
        if dossier.idempotency_key is None:
            raise
        winner = Dossier.objects.filter(idempotency_key=dossier.idempotency_key).first()
        if winner is None:
            raise
        return winner
    return dossier


def _missing_required(procedure: Procedure, components: Sequence[ComponentInput]) -> list[str]:
    """Required catalog components not among the provided ones (matched by link or by name)."""
    provided_ids = {c.catalog_component.pk for c in components if c.is_provided and c.catalog_component}
    provided_names = {fold_vi(c.name) for c in components if c.is_provided}
    return [
        component.name
        for component in procedure.components.filter(is_required=True).order_by("position")
        if component.pk not in provided_ids and fold_vi(component.name) not in provided_names
    ]


@transaction.atomic
def submit_online(
    *,
    by: User,
    procedure: Procedure,
    receiving_unit: Unit,
    applicant: ApplicantInput,
    components: Sequence[ComponentInput],
    idempotency_key: str,
    responsible_unit: Unit | None = None,
    result_delivery: ResultDelivery = ResultDelivery.ONLINE,
) -> Dossier:
    """File a dossier online (channel 2): status SUBMITTED, waiting in the unit's reception queue.

    The counter must receive it or send it back for supplementation within 8 working hours
    (``deadlines.reception_deadline``; TT 87/2021 Điều 10, seed 003). A replay with the same
    ``idempotency_key`` (double click, retry, second tab) returns the same dossier and creates nothing.
    """
    key = require_text(idempotency_key, _("khóa chống gửi trùng"))
    replay = _replayed(key, procedure, applicant)
    if replay is not None:
        return replay
    if not procedure.is_online_capable:
        raise ActionRefused(
            _("Thủ tục %(code)s không cung cấp dịch vụ công trực tuyến: hãy nộp tại Bộ phận Một cửa.")
            % {"code": procedure.code}
        )
    if applicant.user is None and by.kind == User.Kind.APPLICANT:
        applicant = dataclasses.replace(applicant, user=by)

    def insert(dossier: Dossier) -> None:
        dossier.reception_due_at = deadlines.reception_deadline(
            calendar_of(receiving_unit, dossier.submitted_at), dossier.submitted_at
        )
        _move(
            dossier,
            to=Status.SUBMITTED,
            kind=EventKind.SUBMITTED,
            by=by,
            at=dossier.submitted_at,
            due_at=dossier.reception_due_at,
            data={"channel": Channel.ONLINE, "components": len(components)},
        )
        add_components(dossier, components)

    dossier = _new_dossier(
        procedure=procedure,
        receiving_unit=receiving_unit,
        responsible_unit=responsible_unit,
        channel=Channel.ONLINE,
        applicant=applicant,
        result_delivery=result_delivery,
        fee_vnd=None,
        idempotency_key=key,
    )
    return _insert_once(dossier, insert)


@transaction.atomic
def receive_at_counter(
    *,
    by: User,
    procedure: Procedure,
    receiving_unit: Unit,
    applicant: ApplicantInput,
    components: Sequence[ComponentInput],
    channel: Channel = Channel.DIRECT,
    responsible_unit: Unit | None = None,
    result_delivery: ResultDelivery = ResultDelivery.COUNTER,
    fee_vnd: int | None = None,
    idempotency_key: str | None = None,
) -> Dossier:
    """Receive a complete direct or postal dossier and issue form 01 (receipt and appointment).

    NĐ 61/2018 Điều 17 khoản 1 điểm c: the dossier is checked and scanned; the appointment counts the
    procedure's time limit from reception with the 15:00 rule (Điều 18; ``deadlines.appointment``).
    Incomplete dossiers go through ``request_supplement_at_counter`` (form 02) instead. When the
    responsible unit is another one (reception regardless of administrative boundary), a FORWARDED
    event records the hand-over, due the same working day or next morning after 15:00.
    """
    replay = _replayed(idempotency_key, procedure, applicant)
    if replay is not None:
        return replay
    if channel not in COUNTER_CHANNELS:
        raise ActionRefused(_("Kênh nộp: tại quầy chỉ tiếp nhận hồ sơ trực tiếp hoặc qua bưu chính."))
    permissions.require(
        permissions.can_receive(by, receiving_unit),
        _("Chỉ cán bộ tiếp nhận của %(unit)s mới được tiếp nhận hồ sơ.") % {"unit": receiving_unit.name},
    )
    missing = _missing_required(procedure, components)
    if missing:
        raise ActionRefused(
            _(
                "Thành phần hồ sơ: còn thiếu %(items)s. Hồ sơ chưa đầy đủ thì lập phiếu yêu cầu bổ sung, "
                "hoàn thiện hồ sơ (mẫu 02)."
            )
            % {"items": "; ".join(missing)}
        )
    responsible = responsible_unit or receiving_unit

    def insert(dossier: Dossier) -> None:
        at = dossier.submitted_at
        dossier.received_at = at
        calendar = calendar_of(responsible, at)
        dossier.due_at = dossier.original_due_at = deadlines.appointment(
            procedure, calendar, at, channel=channel
        )
        forward_by = deadlines.processing_start(calendar_of(receiving_unit, at), at, channel)
        event = _move(
            dossier,
            to=Status.RECEIVED,
            kind=EventKind.RECEIVED,
            by=by,
            at=at,
            due_at=dossier.due_at,
            data={"channel": int(channel), "components": len(components), "forward_by": iso(forward_by)},
        )
        add_components(dossier, components)
        notify(dossier, event, "received")
        if responsible != receiving_unit:
            _move(
                dossier,
                to=None,
                kind=EventKind.FORWARDED,
                by=by,
                at=at,
                due_at=forward_by,
                data={"from_unit": receiving_unit.code, "to_unit": responsible.code},
            )

    dossier = _new_dossier(
        procedure=procedure,
        receiving_unit=receiving_unit,
        responsible_unit=responsible,
        channel=channel,
        applicant=applicant,
        result_delivery=result_delivery,
        fee_vnd=fee_vnd,
        idempotency_key=idempotency_key,
    )
    return _insert_once(dossier, insert)


@transaction.atomic
def refuse_at_counter(
    *,
    by: User,
    procedure: Procedure,
    receiving_unit: Unit,
    applicant: ApplicantInput,
    reasons: Sequence[str],
    components: Sequence[ComponentInput] = (),
    channel: Channel = Channel.DIRECT,
    idempotency_key: str | None = None,
) -> Dossier:
    """Refuse a direct or postal dossier at the counter with reasons (form 03; NĐ 61/2018 Điều 17
    khoản 1 điểm b). The record is created NOT_RECEIVED (national status 3) and is closed at once.
    Online dossiers are never refused: they are sent back for supplementation. A replay with the same
    ``idempotency_key`` (double click, retry) returns the same dossier and issues no second code."""
    replay = _replayed(idempotency_key, procedure, applicant)
    if replay is not None:
        return replay
    if channel not in COUNTER_CHANNELS:
        raise ActionRefused(
            _("Hồ sơ trực tuyến không bị từ chối tiếp nhận: chỉ có thể yêu cầu bổ sung, hoàn thiện.")
        )
    permissions.require(
        permissions.can_receive(by, receiving_unit),
        _("Chỉ cán bộ tiếp nhận của %(unit)s mới được từ chối tiếp nhận hồ sơ.")
        % {"unit": receiving_unit.name},
    )
    cleaned = require_reasons(reasons, _("lý do từ chối"))

    def insert(dossier: Dossier) -> None:
        event = _move(
            dossier,
            to=Status.NOT_RECEIVED,
            kind=EventKind.NOT_RECEIVED,
            by=by,
            at=dossier.submitted_at,
            data={"reasons": cleaned, "channel": int(channel)},
        )
        add_components(dossier, components)
        notify(dossier, event, "refused")

    dossier = _new_dossier(
        procedure=procedure,
        receiving_unit=receiving_unit,
        responsible_unit=None,
        channel=channel,
        applicant=applicant,
        result_delivery=ResultDelivery.COUNTER,
        fee_vnd=0,
        idempotency_key=idempotency_key,
    )
    return _insert_once(dossier, insert)


@transaction.atomic
def request_supplement_at_counter(
    *,
    by: User,
    procedure: Procedure,
    receiving_unit: Unit,
    applicant: ApplicantInput,
    items: Sequence[MissingItem],
    components: Sequence[ComponentInput] = (),
    channel: Channel = Channel.DIRECT,
    responsible_unit: Unit | None = None,
    idempotency_key: str | None = None,
) -> Dossier:
    """An incomplete direct or postal dossier: issue form 02 listing every missing item once
    (NĐ 61/2018 Điều 15 khoản 3, Điều 17 khoản 1 điểm a).

    Creates the record in INTAKE_SUPPLEMENT with its code and the papers already handed in, so the
    applicant can come back with the rest: ``complete_supplement`` (→ SUBMITTED) then ``receive_online``
    (→ RECEIVED, appointment counted from then). Not received yet, so no time limit runs and the 766
    supplementation count is not touched. A replay with the same ``idempotency_key`` (double click,
    retry) returns the same dossier and issues no second code.
    """
    replay = _replayed(idempotency_key, procedure, applicant)
    if replay is not None:
        return replay
    if channel not in COUNTER_CHANNELS:
        raise ActionRefused(_("Kênh nộp: tại quầy chỉ tiếp nhận hồ sơ trực tiếp hoặc qua bưu chính."))
    permissions.require(
        permissions.can_receive(by, receiving_unit),
        _("Chỉ cán bộ tiếp nhận của %(unit)s mới được yêu cầu bổ sung hồ sơ.")
        % {"unit": receiving_unit.name},
    )
    listed = require_items(items)

    def insert(dossier: Dossier) -> None:
        event = _move(
            dossier,
            to=Status.INTAKE_SUPPLEMENT,
            kind=EventKind.SUPPLEMENT_REQUESTED,
            by=by,
            at=dossier.submitted_at,
            data={"items": listed, "channel": int(channel)},
        )
        add_components(dossier, components)
        notify(dossier, event, "supplement_needed")

    dossier = _new_dossier(
        procedure=procedure,
        receiving_unit=receiving_unit,
        responsible_unit=responsible_unit,
        channel=channel,
        applicant=applicant,
        result_delivery=ResultDelivery.COUNTER,
        fee_vnd=None,
        idempotency_key=idempotency_key,
    )
    return _insert_once(dossier, insert)


@transaction.atomic
def receive_online(*, dossier_id: int, by: User, expected_version: int | None = None) -> Dossier:
    """Receive a SUBMITTED dossier: an online one from the queue, or a counter dossier whose applicant
    came back with the missing papers after form 02 (NĐ 61/2018 Điều 17 khoản 2).

    The appointment counts from now (the 15:00 rule applies to direct and postal dossiers). Receiving
    after ``reception_due_at`` is allowed — the dossier must still be handled — and is recorded as a
    late reception in the event (seed 003 counts it late).
    """
    dossier = lock_dossier(dossier_id, expected_version)
    require_move(dossier, Status.RECEIVED)
    permissions.require(
        permissions.can_receive(by, dossier),
        _("Chỉ cán bộ tiếp nhận của %(unit)s mới được tiếp nhận hồ sơ.")
        % {"unit": dossier.receiving_unit.name},
    )
    at = now()
    dossier.received_at = at
    dossier.due_at = dossier.original_due_at = deadlines.appointment(
        dossier.procedure, calendar_of(dossier.responsible_unit, at), at, channel=dossier.channel
    )
    late = dossier.reception_due_at is not None and at > dossier.reception_due_at
    event = _move(
        dossier,
        to=Status.RECEIVED,
        kind=EventKind.RECEIVED,
        by=by,
        at=at,
        fields=["received_at", "due_at", "original_due_at"],
        due_at=dossier.due_at,
        data={"channel": dossier.channel, "late_reception": late},
    )
    notify(dossier, event, "received")
    return dossier


@transaction.atomic
def return_for_supplement_online(
    *, dossier_id: int, by: User, items: Sequence[MissingItem], expected_version: int | None = None
) -> Dossier:
    """Send a SUBMITTED dossier back before reception, listing every missing item once (form 02 via the
    portal; NĐ 61/2018 Điều 15 khoản 3, Điều 17 khoản 2). This is the only thing an officer may do
    instead of receiving an online dossier: it is never refused or cancelled."""
    dossier = lock_dossier(dossier_id, expected_version)
    require_move(dossier, Status.INTAKE_SUPPLEMENT)
    permissions.require(
        permissions.can_return_for_supplement(by, dossier),
        _("Chỉ cán bộ tiếp nhận của %(unit)s mới được yêu cầu bổ sung hồ sơ.")
        % {"unit": dossier.receiving_unit.name},
    )
    listed = require_items(items)
    at = now()
    late = dossier.reception_due_at is not None and at > dossier.reception_due_at
    event = _move(
        dossier,
        to=Status.INTAKE_SUPPLEMENT,
        kind=EventKind.SUPPLEMENT_REQUESTED,
        by=by,
        at=at,
        data={"items": listed, "late_reception": late},
    )
    notify(dossier, event, "supplement_needed")
    return dossier


@transaction.atomic
def complete_supplement(
    *,
    dossier_id: int,
    by: User,
    components: Sequence[ComponentInput] = (),
    note: str = "",
    expected_version: int | None = None,
) -> Dossier:
    """The applicant answers a supplementation request (online, or at the counter through a receiver).

    * Before reception (INTAKE_SUPPLEMENT → SUBMITTED): back in the reception queue; the 8-working-hour
      clock starts again (DOMAIN §3).
    * During processing (AWAITING_SUPPLEMENT → PROCESSING): the statutory time limit restarts from
      the complete dossier (NĐ 61/2018 Điều 19 khoản 4): new appointment, and the open steps get a
      fresh deadline. ``original_due_at`` follows the new appointment unless the dossier was already
      rescheduled. The previous appointment stays in the event (QĐ 766 subtracts instead; every
      timestamp is kept).
    """
    dossier = lock_dossier(dossier_id, expected_version)
    status = Status(dossier.status)
    if status == Status.INTAKE_SUPPLEMENT:
        target = Status.SUBMITTED
    elif status == Status.AWAITING_SUPPLEMENT:
        target = Status.PROCESSING
    else:
        require_open(dossier)
        raise TransitionNotAllowed(
            _("Hồ sơ %(code)s đang «%(status)s», không chờ bổ sung.")
            % {"code": dossier.code, "status": status_label(dossier.status)}
        )
    require_move(dossier, target)
    permissions.require(
        permissions.can_complete_supplement(by, dossier),
        _("Chỉ người nộp hồ sơ hoặc cán bộ tiếp nhận của %(unit)s mới được bổ sung hồ sơ.")
        % {"unit": dossier.receiving_unit.name},
    )
    at = now()
    add_components(dossier, components)
    data: dict[str, object] = {"note": note.strip(), "components": len(components)}
    if target == Status.SUBMITTED:
        dossier.reception_due_at = deadlines.reception_deadline(calendar_of(dossier.receiving_unit, at), at)
        _move(
            dossier,
            to=target,
            kind=EventKind.SUPPLEMENT_COMPLETED,
            by=by,
            at=at,
            fields=["reception_due_at"],
            due_at=dossier.reception_due_at,
            data=data,
        )
        return dossier
    data["previous_due_at"] = iso(dossier.due_at)
    dossier.due_at = deadlines.appointment(
        dossier.procedure, calendar_of(dossier.responsible_unit, at), at, channel=dossier.channel
    )
    fields = ["due_at"]
    if dossier.reschedule_count == 0:
        dossier.original_due_at = dossier.due_at
        fields.append("original_due_at")
    for step in open_steps(dossier):
        step.due_at = deadlines.step_due(calendar_of(step.unit, at), at, step.budget_hours)
        step.save(update_fields=["due_at"])
    _move(
        dossier,
        to=target,
        kind=EventKind.SUPPLEMENT_COMPLETED,
        by=by,
        at=at,
        fields=fields,
        due_at=dossier.due_at,
        data=data,
    )
    return dossier


@transaction.atomic
def withdraw(
    *,
    dossier_id: int,
    by: User,
    reason: str,
    written_request: str = "",
    expected_version: int | None = None,
) -> Dossier:
    """The applicant withdraws the dossier (national status 7), before or after reception.

    An officer may record it only on the applicant's written request (``written_request``: its number
    and date). After reception the end counts for timeliness (QĐ 766): the verdict is set.
    """
    dossier = lock_dossier(dossier_id, expected_version)
    require_move(dossier, Status.WITHDRAWN)
    permissions.require(
        permissions.can_withdraw(by, dossier),
        _("Chỉ người nộp hồ sơ hoặc cán bộ được giao mới được rút hồ sơ %(code)s.") % {"code": dossier.code},
    )
    cleaned = require_text(reason, _("lý do rút hồ sơ"))
    by_applicant = permissions.is_applicant(by, dossier)
    if not by_applicant:
        require_text(written_request, _("văn bản đề nghị rút hồ sơ của người nộp (số, ngày)"))
    at = now()
    fields: list[str] = []
    if dossier.received_at is not None:
        dossier.verdict = deadlines.verdict(at, dossier.due_at)
        fields.append("verdict")
    _move(
        dossier,
        to=Status.WITHDRAWN,
        kind=EventKind.WITHDRAWN,
        by=by,
        at=at,
        fields=fields,
        data={"reason": cleaned, "written_request": written_request.strip(), "by_applicant": by_applicant},
    )
    return dossier
