"""What every dossier service shares: the errors, the input records, the row lock with the version
check, and ``_move`` — the only writer of ``Dossier.status`` and of ``DossierEvent`` rows."""

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.files import File
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.accounts.models import User
from motcua.catalog.models import Component, CopyType
from motcua.core.errors import Conflict, DomainError, NotFound
from motcua.core.integrity import sha256_stream
from motcua.core.text import fold_vi
from motcua.core.worktime import WorkCalendar, to_local
from motcua.documents.models import StoredDocument
from motcua.dossiers import counters, permissions
from motcua.dossiers.models import (
    Dossier,
    DossierComponent,
    DossierEvent,
    DossierStep,
    StepKind,
)
from motcua.dossiers.workflow import CLOSED, EventKind, Status, can_move
from motcua.notifications.models import Message
from motcua.notifications.services import enqueue
from motcua.organizations.calendars import calendar_for_unit
from motcua.organizations.models import Membership, Unit

# The statuses a dossier can be created in (the first event has no "from").
ENTRY_STATUSES = frozenset({Status.SUBMITTED, Status.RECEIVED, Status.NOT_RECEIVED, Status.INTAKE_SUPPLEMENT})


class TransitionNotAllowed(DomainError):
    """The workflow table (``workflow.ALLOWED_TRANSITIONS``) has no such transition."""


class DossierClosed(TransitionNotAllowed):
    """Closed dossiers are immutable: every service refuses them."""


class DeadlinePassed(DomainError):
    """A legal time window for the action is over (supplementation request, apology)."""


class ActionRefused(DomainError):
    """The action is not possible in the dossier's present state or with these data."""


# --- inputs -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ApplicantInput:
    """Who submits (người nộp) and, when different, whose dossier it is (chủ hồ sơ)."""

    name: str
    id_number: str = ""
    owner_name: str = ""
    owner_id_number: str = ""
    address: str = ""
    phone: str = ""
    email: str = ""
    user: User | None = None


@dataclass(frozen=True)
class ComponentInput:
    """One paper as handed in: copy type, count, and the digitization flags (NĐ 107/2021 Điều 21a)."""

    name: str
    copy_type: str = CopyType.ORIGINAL
    count: int = 1
    catalog_component: Component | None = None
    is_provided: bool = True
    file: "File[Any] | None" = None
    is_digitized: bool = False
    is_reused: bool = False
    is_from_store: bool = False
    # the document of the applicant's data store this paper was taken from (``services.data_store``)
    store_document: StoredDocument | None = None


@dataclass(frozen=True)
class MissingItem:
    """One item of a supplementation request (form 02): what is missing or wrong, and why."""

    name: str
    reason: str = ""

    def as_dict(self) -> dict[str, str]:
        return {"name": self.name, "reason": self.reason}


# --- helpers ------------------------------------------------------------------------------------------


def now() -> dt.datetime:
    return timezone.now()


def iso(value: dt.datetime | None) -> str | None:
    return to_local(value).isoformat() if value is not None else None


def calendar_of(unit: Unit, at: dt.datetime) -> WorkCalendar:
    """The unit's calendar with the office hours in force on the local day of ``at``."""
    return calendar_for_unit(unit, to_local(at).date())


def status_label(status: str) -> str:
    return str(Status(status).label)


def lock_dossier(dossier_id: int, expected_version: int | None = None) -> Dossier:
    """Lock the dossier row until the end of the transaction and check the version the caller saw.

    ``SELECT … FOR UPDATE`` on PostgreSQL (a concurrent officer waits, then sees the new version);
    SQLite serialises writing transactions (``IMMEDIATE``). A stale ``expected_version`` is a
    ``Conflict`` naming the current status: the caller reloads instead of overwriting.
    """
    dossier = (
        Dossier.objects.select_for_update(of=("self",))
        .select_related("procedure", "receiving_unit", "responsible_unit")
        .filter(pk=dossier_id)
        .first()
    )
    if dossier is None:
        raise NotFound(_("Không tìm thấy hồ sơ."))
    if expected_version is not None and dossier.version != expected_version:
        raise Conflict(
            _(
                "Hồ sơ %(code)s vừa được người khác cập nhật: trạng thái hiện tại là «%(status)s» "
                "(phiên bản %(version)d, bạn đang xem phiên bản %(expected)d). Hãy tải lại hồ sơ rồi thử lại."
            )
            % {
                "code": dossier.code,
                "status": status_label(dossier.status),
                "version": dossier.version,
                "expected": expected_version,
            }
        )
    return dossier


def lock_step(step_id: int, expected_version: int | None = None) -> tuple[Dossier, DossierStep]:
    """Lock the step's dossier (the aggregate: all step changes bump the dossier's version)."""
    dossier_id = DossierStep.objects.filter(pk=step_id).values_list("dossier_id", flat=True).first()
    if dossier_id is None:
        raise NotFound(_("Không tìm thấy bước xử lý."))
    dossier = lock_dossier(dossier_id, expected_version)
    step = DossierStep.objects.select_related("unit").get(pk=step_id)
    step.dossier = dossier
    return dossier, step


def require_open(dossier: Dossier) -> None:
    if dossier.pk is not None and Status(dossier.status) in CLOSED:
        raise DossierClosed(
            _("Hồ sơ %(code)s đã kết thúc («%(status)s»): không thể thay đổi.")
            % {"code": dossier.code, "status": status_label(dossier.status)}
        )


def require_move(dossier: Dossier, to: Status) -> None:
    """Check the workflow table before anything else is checked or written."""
    require_open(dossier)
    if not can_move(Status(dossier.status), to):
        raise TransitionNotAllowed(
            _("Không thể chuyển hồ sơ %(code)s từ «%(from)s» sang «%(to)s».")
            % {"code": dossier.code, "from": status_label(dossier.status), "to": status_label(to)}
        )


def require_status(dossier: Dossier, allowed: Iterable[Status], action: str) -> None:
    require_open(dossier)
    if Status(dossier.status) not in set(allowed):
        raise ActionRefused(
            _("Hồ sơ %(code)s đang «%(status)s»: không thể %(action)s.")
            % {"code": dossier.code, "status": status_label(dossier.status), "action": action}
        )


def require_text(value: str, field: str) -> str:
    text = value.strip()
    if not text:
        raise ActionRefused(_("Trường «%(field)s» không được để trống.") % {"field": field})
    return text


def require_items(items: Sequence[MissingItem]) -> list[dict[str, str]]:
    """All missing items, once (NĐ 61/2018 Điều 15 khoản 3): not empty, no item twice."""
    if not items:
        raise ActionRefused(_("Danh sách giấy tờ cần bổ sung: phải nêu ít nhất một nội dung cần bổ sung."))
    seen: set[str] = set()
    for item in items:
        key = fold_vi(item.name)
        if not key:
            raise ActionRefused(_("Danh sách giấy tờ cần bổ sung: có dòng chưa ghi tên giấy tờ."))
        if key in seen:
            raise ActionRefused(
                _("Danh sách giấy tờ cần bổ sung: «%(name)s» được nêu hai lần.") % {"name": item.name}
            )
        seen.add(key)
    return [item.as_dict() for item in items]


def require_reasons(reasons: Sequence[str], field: str) -> list[str]:
    cleaned = [r.strip() for r in reasons if r.strip()]
    if not cleaned:
        raise ActionRefused(_("Trường «%(field)s»: phải nêu rõ lý do.") % {"field": field})
    return cleaned


def holds_role(user: User, unit: Unit, role: str) -> bool:
    return Membership.objects.current().filter(user=user, unit=unit, role=role, unit__is_active=True).exists()


def add_components(dossier: Dossier, components: Sequence[ComponentInput]) -> None:
    start = dossier.components.aggregate(m=Max("position"))["m"] or 0
    rows = []
    for offset, c in enumerate(components, start=1):
        if c.count < 1:
            raise ActionRefused(
                _("Thành phần «%(name)s»: số lượng phải từ 1 trở lên.") % {"name": c.name or "?"}
            )
        rows.append(
            DossierComponent(
                dossier=dossier,
                catalog_component=c.catalog_component,
                position=start + offset,
                name=require_text(
                    c.name or (c.catalog_component.name if c.catalog_component else ""), _("tên giấy tờ")
                ),
                copy_type=c.copy_type,
                count=c.count,
                is_provided=c.is_provided,
                is_digitized=c.is_digitized,
                is_reused=c.is_reused or c.store_document is not None,
                is_from_store=c.is_from_store or c.store_document is not None,
                store_document=c.store_document,
            )
        )
    for row, c in zip(rows, components, strict=True):
        if c.file is not None:
            # NĐ 45/2020 Điều 8: the hash of the bytes stored, checked on every download
            c.file.seek(0)
            row.file_sha256 = sha256_stream(c.file)
            c.file.seek(0)
            row.file = c.file
        row.save()
    counters.refresh_one(dossier)  # papers added after the reception event count at once


def open_steps(dossier: Dossier) -> list[DossierStep]:
    return list(
        dossier.steps.filter(started_at__isnull=False, finished_at__isnull=True).order_by("position", "id")
    )


def open_process_step(dossier: Dossier) -> DossierStep | None:
    return (
        dossier.steps.filter(kind=StepKind.PROCESS, started_at__isnull=False, finished_at__isnull=True)
        .select_related("unit")
        .order_by("position", "id")
        .first()
    )


# --- the only writer of status and events -------------------------------------------------------------


def _move(
    dossier: Dossier,
    *,
    to: Status | None,
    kind: EventKind,
    by: User | None,
    at: dt.datetime,
    fields: Iterable[str] = (),
    data: Mapping[str, Any] | None = None,
    step: DossierStep | None = None,
    due_at: dt.datetime | None = None,
    actor_name: str = "",
) -> DossierEvent:
    """Write the dossier (``status`` when ``to`` is given, ``version`` + 1, the listed ``fields``) and
    append exactly one event.

    A transition (``to`` given) is checked against the workflow table; its event records ``from`` →
    ``to``. An event without a status change (a step, a reschedule, a note) leaves both blank, so
    "events with a ``to_status``" are exactly the transitions. A new dossier (no primary key yet) is
    inserted in one of ``ENTRY_STATUSES`` with version 1. Closed dossiers are refused. The live
    counters (``dossiers.counters``) are brought up to date with the dossier before returning.
    """
    if dossier.pk is None:
        if to not in ENTRY_STATUSES:
            raise TransitionNotAllowed(f"a dossier cannot be created in status {to}")
        dossier.status = to
        dossier.version = 1
        if to in CLOSED:
            dossier.closed_at = at
        dossier.refresh_search_key()
        dossier.save(force_insert=True)
        from_status = ""
    else:
        require_open(dossier)
        from_status = ""
        update = {*fields, "version", "modified_at"}
        if to is not None:
            require_move(dossier, to)
            from_status = dossier.status
            dossier.status = to
            update.add("status")
            if to in CLOSED:
                dossier.closed_at = at
                update.add("closed_at")
        dossier.version += 1
        dossier.save(update_fields=sorted(update))
    event = DossierEvent.objects.create(
        dossier=dossier,
        kind=kind,
        at=at,
        actor=by,
        actor_name=(actor_name or (str(by) if by is not None else ""))[:200],
        from_status=from_status,
        to_status=to or "",
        step=step,
        step_name=step.name[:255] if step is not None else "",
        due_at=due_at,
        data=dict(data or {}),
    )
    counters.refresh_one(dossier)  # the live per-day counters, in this transaction
    return event


def _require_processing_officer(by: User, dossier: Dossier, what: str) -> None:
    permissions.require(
        permissions.is_processing_officer(by, dossier),
        _("Chỉ công chức chuyên môn hoặc lãnh đạo của %(unit)s mới được %(what)s.")
        % {"unit": dossier.responsible_unit.name, "what": what},
    )


def notify(dossier: Dossier, event: DossierEvent, template: str) -> list[Message]:
    """Tell the applicant about ``event`` on every channel we have for them (portal account, SMS/Zalo to
    the dossier's phone, email), through the notifications outbox: the rows are written in this
    transaction and sent after commit (NĐ 61/2018 Điều 15, 19, 20; the apology of TT 01/2018 form 04).
    The context holds the dossier code, procedure, dates and lookup link — no personal data."""
    from motcua.dossiers.pdf.forms import lookup_url  # the PDF stack is loaded only when needed

    due = to_local(dossier.due_at).strftime("%d/%m/%Y") if dossier.due_at else _("chưa xác định")
    context = {
        "code": dossier.code,
        "procedure": dossier.procedure.name,
        "due_date": due,
        "amount_vnd": f"{dossier.fee_vnd:,}".replace(",", "."),
        "url": lookup_url(dossier.code),
    }
    return enqueue(
        template=template,
        context=context,
        dedupe_key=f"dossier-event:{event.pk}:{template}",
        user=dossier.applicant_user,
        email=dossier.email,
        phone=dossier.phone,
    )
