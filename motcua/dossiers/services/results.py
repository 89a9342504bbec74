"""Results: recording the signed result, approval (PROCESSED), the early-return notice and the
return of the result, after which the dossier is closed and immutable (NĐ 61/2018/NĐ-CP Điều 19–20)."""

import datetime as dt
import uuid
from pathlib import PurePosixPath
from typing import Any

from django.core.files import File
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from motcua.accounts.models import User
from motcua.core import integrity
from motcua.core.worktime import to_local
from motcua.dossiers import deadlines, permissions
from motcua.dossiers.models import Dossier, DossierStep, ResultDelivery, StepKind
from motcua.dossiers.services import data_store
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
    if awaits_signature(dossier):
        problems.append(_("kết quả điện tử chưa được lãnh đạo ký số"))
    return problems


def awaits_signature(dossier: Dossier) -> bool:
    """An electronic result is only a result once it carries the competent person's digital signature
    (NĐ 45/2020/NĐ-CP Điều 13 khoản 2; Luật Giao dịch điện tử 2023 Điều 23): a result recorded as
    electronic, with its file, is not approved before it is signed in the system (``sign_result``) or
    certified as a copy (``certify_result_copy``)."""
    return bool(dossier.is_result_electronic and dossier.result_file and dossier.result_signed_at is None)


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
        # a new file is a new, unsigned result: its hash is taken now and any earlier signature of
        # the previous file no longer applies to it
        file.seek(0)
        dossier.result_sha256 = integrity.sha256_stream(file)
        file.seek(0)
        dossier.result_file = file
        dossier.result_signed_at = None
        dossier.result_signed_by = None
        fields += ["result_file", "result_sha256", "result_signed_at", "result_signed_by"]
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
    # NĐ 107/2021 Điều 21a: the result and the digitized papers go to the owner's data store
    data_store.store_result(dossier, by=by)
    data_store.store_digitized_components(dossier, by=by)
    return dossier


# --- the leader's digital signature on the result (issue 5 item 4) --------------------------------------

# A result may be signed while it is being decided and until it is returned; a returned dossier is
# closed and immutable.
SIGNABLE = frozenset({Status.PROCESSING, Status.AWAITING_PAYMENT, Status.PROCESSED})
SIGN_REASON = "Ký số kết quả giải quyết TTHC"
COPY_REASON = "Ký số sao y kết quả giải quyết TTHC"
COPY_LINE = "SAO Y"


def _stored_result_pdf(dossier: Dossier, action: str) -> bytes:
    """The bytes of the recorded result, checked: a PDF, unchanged since it was stored, not signed yet."""
    if not dossier.result_file:
        raise ActionRefused(
            _("Hồ sơ %(code)s chưa có tệp kết quả: hãy ghi nhận kết quả kèm tệp PDF trước khi %(action)s.")
            % {"code": dossier.code, "action": action}
        )
    if dossier.result_signed_at is not None:
        raise ActionRefused(
            _(
                "Kết quả của hồ sơ %(code)s đã được ký số lúc %(at)s; không ký lại. Muốn thay kết quả, hãy "
                "ghi nhận lại kết quả với tệp mới."
            )
            % {"code": dossier.code, "at": f"{to_local(dossier.result_signed_at):%H:%M %d/%m/%Y}"}
        )
    if PurePosixPath(dossier.result_file.name or "").suffix.lower() != ".pdf":
        raise ActionRefused(
            _(
                "Tệp kết quả của hồ sơ %(code)s không phải PDF: chỉ %(action)s được kết quả dạng PDF. Hãy số "
                "hóa kết quả thành tệp PDF rồi ghi nhận lại."
            )
            % {"code": dossier.code, "action": action}
        )
    try:
        integrity.verify(dossier.result_file, dossier.result_sha256)
        with dossier.result_file.open("rb") as handle:
            content = bytes(handle.read())
    except integrity.TamperedFile as exc:
        raise ActionRefused(
            _(
                "Tệp kết quả của hồ sơ %(code)s đã bị thay đổi so với khi được lưu: không thể ký. Hãy ghi "
                "nhận lại kết quả."
            )
            % {"code": dossier.code}
        ) from exc
    except OSError as exc:
        raise ActionRefused(
            _("Không đọc được tệp kết quả của hồ sơ %(code)s: hãy ghi nhận lại kết quả.")
            % {"code": dossier.code}
        ) from exc
    if not content.lstrip().startswith(b"%PDF-"):
        raise ActionRefused(
            _("Tệp kết quả của hồ sơ %(code)s không phải PDF: chỉ %(action)s được kết quả dạng PDF.")
            % {"code": dossier.code, "action": action}
        )
    return content


def _sign_stored_result(
    dossier: Dossier, by: User, *, kind: EventKind, reason: str, extra_lines: tuple[str, ...] = ()
) -> Dossier:
    """Sign the stored result as ``by`` and make the signed PDF the result: a new file under a random
    name with its SHA-256; the unsigned file is removed only after the commit (kept on rollback)."""
    from motcua.documents.signing import SigningError  # the signing stack is loaded only when needed
    from motcua.documents.signing.officer import current_certificate, sign_as_officer

    action = _("ký sao y") if kind == EventKind.RESULT_COPY_CERTIFIED else _("ký số")
    content = _stored_result_pdf(dossier, action)
    try:
        signed = sign_as_officer(
            by, content, reason=reason, unit_name=dossier.responsible_unit.name, extra_lines=extra_lines
        )
    except SigningError as exc:
        raise ActionRefused(str(exc)) from exc
    certificate = current_certificate(by)
    old_name = dossier.result_file.name
    storage = dossier.result_file.storage
    at = now()
    dossier.result_file.save(f"{uuid.uuid4().hex}.pdf", ContentFile(signed), save=False)
    new_name = dossier.result_file.name or ""
    try:
        dossier.result_sha256 = integrity.sha256_bytes(signed)
        dossier.result_signed_at = at
        dossier.result_signed_by = by
        dossier.is_result_electronic = True
        _move(
            dossier,
            to=None,
            kind=kind,
            by=by,
            at=at,
            fields=[
                "result_file",
                "result_sha256",
                "result_signed_at",
                "result_signed_by",
                "is_result_electronic",
            ],
            data={
                "number": dossier.result_number,
                "sha256": dossier.result_sha256,
                "certificate_serial": certificate.serial if certificate is not None else "",
                "certificate_issuer": certificate.issuer if certificate is not None else "",
            },
        )
    except BaseException:
        storage.delete(new_name)
        raise
    if old_name and old_name != new_name:
        transaction.on_commit(lambda: storage.delete(old_name))
    return dossier


@transaction.atomic
def sign_result(*, dossier_id: int, by: User, expected_version: int | None = None) -> Dossier:
    """The leader who approves signs the recorded result PDF with their own digital signature; the
    signed PDF becomes the result, electronic from now on (NĐ 45/2020/NĐ-CP Điều 13: an electronic
    result signed by the competent person has the value of the paper one; NĐ 61/2018/NĐ-CP Điều 20;
    NĐ 30/2020/NĐ-CP Điều 8 khoản 3). Only a PDF result can be signed, and only once per recorded file.

    The signature is made while the dossier row is locked, so two leaders signing at once give one
    signed result and one clear refusal (the second sees it already signed)."""
    dossier = lock_dossier(dossier_id, expected_version)
    require_status(dossier, SIGNABLE, _("ký số kết quả"))
    permissions.require(
        permissions.can_approve(by, dossier),
        _("Chỉ lãnh đạo của %(unit)s mới được ký số kết quả.") % {"unit": dossier.responsible_unit.name},
    )
    return _sign_stored_result(dossier, by, kind=EventKind.RESULT_SIGNED, reason=SIGN_REASON)


@transaction.atomic
def certify_result_copy(*, dossier_id: int, by: User, expected_version: int | None = None) -> Dossier:
    """ "Ký sao y": a result numbered and signed outside the system (its scan recorded as the result
    PDF) gets the leader's certified-copy signature, whose stamp carries "SAO Y"; the certified copy is
    the electronic result (NĐ 30/2020/NĐ-CP Điều 25–26 and Phụ lục I: sao y from paper to electronic
    form by digital signature; NĐ 45/2020/NĐ-CP Điều 14; NĐ 107/2021/NĐ-CP Điều 21a)."""
    dossier = lock_dossier(dossier_id, expected_version)
    require_status(dossier, SIGNABLE, _("ký sao y kết quả"))
    permissions.require(
        permissions.can_approve(by, dossier),
        _("Chỉ lãnh đạo của %(unit)s mới được ký sao y kết quả.") % {"unit": dossier.responsible_unit.name},
    )
    return _sign_stored_result(
        dossier, by, kind=EventKind.RESULT_COPY_CERTIFIED, reason=COPY_REASON, extra_lines=(COPY_LINE,)
    )
