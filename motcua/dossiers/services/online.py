"""Online: submission from the applicant's account (channel 2) with drafts, the applicant's answer to a
supplementation request, and withdrawal.

NĐ 61/2018/NĐ-CP Điều 15–17 (as amended by NĐ 107/2021), NĐ 42/2022/NĐ-CP Điều 13 (online public
services: drafts, reuse of data, the choice of how the result is delivered), TT 01/2018/TT-VPCP.
An online dossier waits in the receiving unit's queue; the counter receives it or sends it back for
supplementation within 8 working hours (seed 003).
"""

import dataclasses
import datetime as dt
import os
import uuid
from collections.abc import Iterable, Mapping, Sequence
from contextlib import ExitStack
from functools import partial
from typing import Any

from django.conf import settings
from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from motcua.accounts.models import User
from motcua.catalog.models import Procedure
from motcua.core.errors import Conflict, NotFound
from motcua.documents.uploads import CheckedFile
from motcua.dossiers import deadlines, permissions
from motcua.dossiers.models import Dossier, DossierDraft, ResultDelivery
from motcua.dossiers.queries import reusable_documents_for
from motcua.dossiers.services._core import (
    ActionRefused,
    ApplicantInput,
    ComponentInput,
    TransitionNotAllowed,
    _move,
    add_components,
    calendar_of,
    iso,
    lock_dossier,
    now,
    open_steps,
    require_move,
    require_open,
    require_text,
    status_label,
)
from motcua.dossiers.services._records import insert_once, new_dossier, replayed
from motcua.dossiers.services.data_store import record_store_uses
from motcua.dossiers.workflow import Channel, EventKind, Status
from motcua.organizations.models import Unit

DRAFT_DIR = "drafts"


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
    assisted_by: Mapping[str, Any] | None = None,
) -> Dossier:
    """File a dossier online (channel 2): status SUBMITTED, waiting in the unit's reception queue.

    The counter must receive it or send it back for supplementation within 8 working hours
    (``deadlines.reception_deadline``; TT 87/2021 Điều 10, seed 003). A replay with the same
    ``idempotency_key`` (double click, retry, second tab) returns the same dossier and creates nothing.
    ``assisted_by`` (the counter and officer who prepared the draft, ``services.assisted``) is kept in
    the first event's data, so indicators can count assisted own-account submissions.
    """
    key = require_text(idempotency_key, _("khóa chống gửi trùng"))
    replay = replayed(key, procedure, applicant)
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
            data={
                "channel": Channel.ONLINE,
                "components": len(components),
                **({"assisted_by": dict(assisted_by)} if assisted_by else {}),
            },
        )
        add_components(dossier, components)
        record_store_uses(dossier, components, by=by, unit=receiving_unit)

    dossier = new_dossier(
        procedure=procedure,
        receiving_unit=receiving_unit,
        responsible_unit=responsible_unit,
        channel=Channel.ONLINE,
        applicant=applicant,
        result_delivery=result_delivery,
        fee_vnd=None,
        idempotency_key=key,
    )
    return insert_once(dossier, insert)


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


# --- drafts (hồ sơ lưu nháp) ------------------------------------------------------------------------


def draft_lifetime() -> dt.timedelta:
    return dt.timedelta(days=int(getattr(settings, "MOTCUA_DRAFT_DAYS", 30)))


def portal_key(user: User, key: str) -> str:
    """The dossier's idempotency key for a key of the portal's form: scoped to the account, so one
    applicant's key can never meet another's dossier."""
    return f"portal-{user.pk}-{key}"


def submitted_with_key(user: User, key: str) -> Dossier | None:
    """The dossier this applicant already filed with the form key ``key`` (a replay), if any."""
    return Dossier.objects.filter(applicant_user=user, idempotency_key=portal_key(user, key)).first()


def receiving_units_for(procedure: Procedure) -> "Any":
    """Units where the procedure can be filed: active units of the procedure's level, and any unit
    with its own internal process for it (e.g. a department handling a provincial procedure)."""
    return (
        Unit.objects.active()
        .filter(Q(level=procedure.level) | Q(processes__procedure=procedure))
        .distinct()
        .order_by("name", "code")
    )


def _lock_draft(by: User, draft_id: Any) -> DossierDraft:
    """The owner's unexpired draft, locked; ``NotFound`` for missing, expired or someone else's."""
    draft = (
        DossierDraft.objects.select_for_update()
        .select_related("procedure")
        .filter(pk=draft_id, owner=by, expires_at__gt=now())
        .first()
    )
    if draft is None:
        raise NotFound(_("Không tìm thấy hồ sơ lưu nháp (có thể đã nộp, đã xóa hoặc đã hết hạn)."))
    return draft


def _delete_files(paths: Iterable[str]) -> None:
    for path in paths:
        if path and path.startswith(f"{DRAFT_DIR}/"):
            default_storage.delete(path)


def store_draft_file(draft: DossierDraft, checked: CheckedFile) -> dict[str, Any]:
    """Write a checked upload under ``drafts/<draft id>/<random>.<ext>``; the entry of ``draft.files``."""
    path = default_storage.save(f"{DRAFT_DIR}/{draft.pk}/{checked.safe_name}", ContentFile(checked.content))
    return {
        "path": path,
        "name": checked.original_name,
        "size": len(checked.content),
        "type": checked.extension,
        "pages": checked.pages,
    }


@transaction.atomic
def save_draft(
    *,
    by: User,
    procedure: Procedure,
    idempotency_key: str,
    data: Mapping[str, Any],
    files: Mapping[int, CheckedFile] | None = None,
    remove: Iterable[int] = (),
    draft_id: Any = None,
) -> DossierDraft:
    """Save what the applicant typed and uploaded, to resume later or after a refused submission
    (nothing typed or uploaded is lost). The first save creates the draft under the form's key
    (a double click creates one draft); later saves replace the data, add or replace files per
    component (``files``: checked by ``documents.uploads``) and drop the ones in ``remove``.
    Each save extends the draft's life by ``MOTCUA_DRAFT_DAYS``."""
    if by.kind != User.Kind.APPLICANT:
        raise ActionRefused(_("Chỉ người dân, doanh nghiệp nộp hồ sơ trực tuyến từ tài khoản của mình."))
    at = now()
    if draft_id is not None:
        draft = _lock_draft(by, draft_id)
    else:
        key = require_text(idempotency_key, _("khóa chống gửi trùng"))
        created, _new = DossierDraft.objects.get_or_create(
            owner=by,
            idempotency_key=key,
            defaults={"procedure": procedure, "updated_at": at, "expires_at": at + draft_lifetime()},
        )
        draft = _lock_draft(by, created.pk)
    if draft.procedure_id != procedure.pk:
        raise Conflict(_("Hồ sơ lưu nháp này thuộc thủ tục khác: hãy mở lại từ danh sách hồ sơ lưu nháp."))
    components = set(procedure.components.values_list("pk", flat=True))
    if set(files or {}) - components:
        raise ActionRefused(_("Thành phần hồ sơ không thuộc thủ tục này."))
    stored: dict[str, Any] = dict(draft.files)
    replaced: list[str] = []
    for component_id in remove:
        old = stored.pop(str(component_id), None)
        if old:
            replaced.append(old["path"])
    for component_id, checked in (files or {}).items():
        # Storage writes are not transactional: everything that can refuse is checked above.
        old = stored.get(str(component_id))
        if old:
            replaced.append(old["path"])
        stored[str(component_id)] = store_draft_file(draft, checked)
    draft.data = dict(data)
    draft.files = stored
    draft.updated_at = at
    draft.expires_at = at + draft_lifetime()
    draft.save(update_fields=["data", "files", "updated_at", "expires_at"])
    transaction.on_commit(partial(_delete_files, replaced))
    return draft


@transaction.atomic
def delete_draft(*, by: User, draft_id: Any) -> None:
    """The owner deletes a draft and its uploaded files (nobody else can see or delete it)."""
    draft = _lock_draft(by, draft_id)
    paths = [entry["path"] for entry in draft.files.values()]
    draft.delete()
    transaction.on_commit(partial(_delete_files, paths))


def purge_expired_drafts(at: dt.datetime | None = None) -> int:
    """Delete expired drafts and their files (for a periodic job); returns how many were deleted."""
    deleted = 0
    for draft in DossierDraft.objects.filter(expires_at__lte=at or now()).iterator():
        with transaction.atomic():
            paths = [entry["path"] for entry in draft.files.values()]
            draft.delete()
            transaction.on_commit(partial(_delete_files, paths))
        deleted += 1
    return deleted


def _draft_components(
    by: User, draft: DossierDraft, reuse: Mapping[int, str], stack: ExitStack
) -> list[ComponentInput]:
    """The papers of the dossier from the draft's files and the documents reused from the applicant's
    store (flagged reused / from store, NĐ 107/2021 Điều 21a); every required one must be there."""
    store = {document.key: document for document in reusable_documents_for(by)}
    components: list[ComponentInput] = []
    missing: list[str] = []
    for component in draft.procedure.components.order_by("position"):
        stored = draft.files.get(str(component.pk))
        document = store.get(reuse.get(component.pk, ""))
        if reuse.get(component.pk) and document is None:
            raise ActionRefused(
                _("%(component)s: giấy tờ chọn từ kho dữ liệu không còn trong kho của bạn.")
                % {"component": component.name}
            )
        if stored:
            handle = stack.enter_context(default_storage.open(stored["path"], "rb"))
            file: File[Any] = File(handle, name=os.path.basename(stored["path"]))
        elif document is not None:
            handle = stack.enter_context(document.file.open("rb"))
            extension = os.path.splitext(document.file.name or "")[1].lower() or ".pdf"
            file = File(handle, name=f"{uuid.uuid4().hex}{extension}")
        else:
            if component.is_required:
                missing.append(component.name)
            continue
        components.append(
            ComponentInput(
                name=component.name,
                copy_type=component.copy_type,
                count=component.count,
                catalog_component=component,
                file=file,
                is_reused=document is not None and not stored,
                is_from_store=document is not None and not stored,
                store_document=document.document if document is not None and not stored else None,
            )
        )
    if missing:
        raise ActionRefused(
            _("Thành phần hồ sơ: còn thiếu %(items)s. Hãy tải tệp lên hoặc chọn giấy tờ từ kho dữ liệu.")
            % {"items": "; ".join(missing)}
        )
    return components


def _assisted_by(draft: DossierDraft) -> dict[str, Any] | None:
    """Who prepared the draft at the counter (assisted submission), for the first event's data."""
    if draft.prepared_unit_id is None:
        return None
    unit = Unit.objects.get(pk=draft.prepared_unit_id)
    officer = User.objects.filter(pk=draft.prepared_by_id).first() if draft.prepared_by_id else None
    return {
        "unit_id": unit.pk,
        "unit_code": unit.code,
        "unit": unit.name,
        "officer_id": officer.pk if officer is not None else None,
        "officer": str(officer) if officer is not None else "",
        "prepared_at": iso(draft.prepared_at),
    }


@transaction.atomic
def submit_draft(
    *,
    by: User,
    draft_id: Any,
    receiving_unit: Unit,
    applicant: ApplicantInput,
    result_delivery: ResultDelivery,
    reuse: Mapping[int, str] | None = None,
) -> Dossier:
    """File the draft as an online dossier (``submit_online``) and delete the draft.

    ``reuse`` maps a catalog component to the key of a document of the applicant's own store
    (``queries.reusable_documents_for``; keys outside it are refused). Every required component must
    have a file or a reused document. The dossier carries the draft's key: a replay (double click,
    retry, a second tab after the first one filed it) returns that dossier and files nothing.
    A draft prepared by a counter officer (assisted submission) is filed the same way, only by its
    owner; the first event records who prepared it (``assisted_by``).
    """
    draft = DossierDraft.objects.select_for_update().filter(pk=draft_id, owner=by).first()
    if draft is None:
        raise NotFound(_("Không tìm thấy hồ sơ lưu nháp (có thể đã nộp, đã xóa hoặc đã hết hạn)."))
    existing = submitted_with_key(by, draft.idempotency_key)
    if existing is None:
        if draft.expires_at <= now():
            raise NotFound(_("Hồ sơ lưu nháp đã hết hạn: hãy khai lại."))
        procedure = draft.procedure
        if not receiving_units_for(procedure).filter(pk=receiving_unit.pk).exists():
            raise ActionRefused(
                _("Đơn vị tiếp nhận: %(unit)s không giải quyết thủ tục này.") % {"unit": receiving_unit.name}
            )
        with ExitStack() as stack:
            components = _draft_components(by, draft, reuse or {}, stack)
            existing = submit_online(
                by=by,
                procedure=procedure,
                receiving_unit=receiving_unit,
                applicant=applicant,
                components=components,
                idempotency_key=portal_key(by, draft.idempotency_key),
                result_delivery=result_delivery,
                assisted_by=_assisted_by(draft),
            )
    paths = [entry["path"] for entry in draft.files.values()]
    draft.delete()
    transaction.on_commit(partial(_delete_files, paths))
    return existing
