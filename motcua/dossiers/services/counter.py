"""Intake at the counter: reception (form 01), supplementation before reception (form 02), refusal
(form 03) of direct and postal dossiers, and the online reception queue (receive, or send back).

NĐ 61/2018/NĐ-CP Điều 15–18 (as amended by NĐ 107/2021); TT 01/2018/TT-VPCP Điều 9–10.
"""

from collections.abc import Sequence

from django.db import transaction
from django.utils.translation import gettext as _

from motcua.accounts.models import User
from motcua.catalog.models import Procedure
from motcua.dossiers import deadlines, permissions
from motcua.dossiers.models import Dossier, ResultDelivery
from motcua.dossiers.services._core import (
    ActionRefused,
    ApplicantInput,
    ComponentInput,
    MissingItem,
    _move,
    add_components,
    calendar_of,
    iso,
    lock_dossier,
    notify,
    now,
    require_items,
    require_move,
    require_reasons,
)
from motcua.dossiers.services._records import insert_once, missing_required, new_dossier, replayed
from motcua.dossiers.services.data_store import record_store_uses
from motcua.dossiers.workflow import Channel, EventKind, Status
from motcua.organizations.models import Unit

COUNTER_CHANNELS = frozenset({Channel.DIRECT, Channel.POSTAL})


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
    replay = replayed(idempotency_key, procedure, applicant)
    if replay is not None:
        return replay
    if channel not in COUNTER_CHANNELS:
        raise ActionRefused(_("Kênh nộp: tại quầy chỉ tiếp nhận hồ sơ trực tiếp hoặc qua bưu chính."))
    permissions.require(
        permissions.can_receive(by, receiving_unit),
        _("Chỉ cán bộ tiếp nhận của %(unit)s mới được tiếp nhận hồ sơ.") % {"unit": receiving_unit.name},
    )
    missing = missing_required(procedure, components)
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
        record_store_uses(dossier, components, by=by, unit=receiving_unit)
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

    dossier = new_dossier(
        procedure=procedure,
        receiving_unit=receiving_unit,
        responsible_unit=responsible,
        channel=channel,
        applicant=applicant,
        result_delivery=result_delivery,
        fee_vnd=fee_vnd,
        idempotency_key=idempotency_key,
    )
    return insert_once(dossier, insert)


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
    replay = replayed(idempotency_key, procedure, applicant)
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

    dossier = new_dossier(
        procedure=procedure,
        receiving_unit=receiving_unit,
        responsible_unit=None,
        channel=channel,
        applicant=applicant,
        result_delivery=ResultDelivery.COUNTER,
        fee_vnd=0,
        idempotency_key=idempotency_key,
    )
    return insert_once(dossier, insert)


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
    replay = replayed(idempotency_key, procedure, applicant)
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
        record_store_uses(dossier, components, by=by, unit=receiving_unit)
        notify(dossier, event, "supplement_needed")

    dossier = new_dossier(
        procedure=procedure,
        receiving_unit=receiving_unit,
        responsible_unit=responsible_unit,
        channel=channel,
        applicant=applicant,
        result_delivery=ResultDelivery.COUNTER,
        fee_vnd=None,
        idempotency_key=idempotency_key,
    )
    return insert_once(dossier, insert)


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
