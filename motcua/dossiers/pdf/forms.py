"""The six forms of TT 01/2018/TT-VPCP Điều 9, filled from the dossier rows and rendered to PDF.

01 Giấy tiếp nhận hồ sơ và hẹn trả kết quả · 02 Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ · 03 Phiếu từ
chối tiếp nhận giải quyết hồ sơ · 04 Phiếu xin lỗi và hẹn lại ngày trả kết quả · 05 Phiếu kiểm soát quá
trình giải quyết hồ sơ · 06 Sổ theo dõi hồ sơ. Printed A5, the register A4 (Điều 10).

The official layouts were not obtained (domain-research §3.10, UNCONFIRMED): the fields follow the
production templates listed there; the templates say where a layout choice is ours.

These functions only read. Facts the dossier rows do not hold (the items to supplement, the reasons
for refusal, the officer who signs) are parameters, passed by the service that issues the form.
"""

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol
from urllib.parse import urlencode

import segno  # the project's mypy config ignores segno's missing stubs
from django.conf import settings
from django.db.models import prefetch_related_objects
from django.utils import timezone

from motcua.accounts.models import User
from motcua.catalog.models import FeeTiming
from motcua.dossiers.models import Dossier, DossierComponent, DossierStep, ResultDelivery, StepKind
from motcua.dossiers.pdf import dates
from motcua.dossiers.pdf.render import render_pdf
from motcua.dossiers.workflow import EventKind, Status
from motcua.organizations.models import Role, Unit

TEMPLATES = "dossiers/pdf/"
DEFAULT_PUBLIC_URL = "http://127.0.0.1:8000"


class SupplementItemLike(Protocol):
    """One document or content to supplement, with why (form 02). ``SupplementItem`` is one."""

    @property
    def name(self) -> str: ...

    @property
    def reason(self) -> str: ...


@dataclass(frozen=True)
class SupplementItem:
    name: str
    reason: str = ""


# --- shared pieces ---------------------------------------------------------------------------------


def lookup_url(code: str) -> str:
    """The public status-lookup address printed (and QR-encoded) on the receipt."""
    base = (getattr(settings, "MOTCUA_PUBLIC_URL", "") or DEFAULT_PUBLIC_URL).rstrip("/")
    return f"{base}/tra-cuu/?{urlencode({'ma': code})}"


def qr_data_uri(text: str) -> str:
    """An SVG QR code as a data URI (error level M, the standard 4-module quiet zone)."""
    uri: str = segno.make(text, error="m", micro=False).svg_data_uri(scale=4, border=4)
    return uri


def _person(user: User | None) -> str:
    if user is None:
        return ""
    return user.full_name or user.get_username()


def _issuer(unit: Unit) -> dict[str, Any]:
    """The top-left block of the national-motto header: the superior body, then the issuing unit."""
    return {"parent_name": unit.parent.name if unit.parent_id and unit.parent else "", "name": unit.name}


def _applicant(dossier: Dossier) -> dict[str, Any]:
    owner_differs = bool(dossier.owner_name) and dossier.owner_name != dossier.applicant_name
    return {
        "name": dossier.applicant_name,
        "id_number": dossier.applicant_id_number,
        "address": dossier.address,
        "phone": dossier.phone,
        "email": dossier.email,
        "owner_name": dossier.owner_name if owner_differs else "",
        "owner_id_number": dossier.owner_id_number if owner_differs else "",
    }


def _result_place(dossier: Dossier) -> str:
    if dossier.result_delivery == ResultDelivery.POST:
        address = f", đến địa chỉ: {dossier.address}" if dossier.address else ""
        return f"Qua dịch vụ bưu chính công ích{address}"
    if dossier.result_delivery == ResultDelivery.ONLINE:
        return "Trực tuyến, trên tài khoản của người nộp hồ sơ tại Cổng Dịch vụ công"
    return f"Bộ phận Một cửa – {dossier.receiving_unit.name}"


def _fee(dossier: Dossier) -> tuple[int, str]:
    procedure = dossier.procedure
    if dossier.fee_vnd == 0 or procedure.fee_timing == FeeTiming.FREE:
        return 0, ""
    return dossier.fee_vnd, str(procedure.get_fee_timing_display())


def _received_at(dossier: Dossier) -> dt.datetime:
    return dossier.received_at or dossier.submitted_at


def _receiver_name(dossier: Dossier) -> str:
    """The officer who received the dossier, from the reception event (the history is the record)."""
    event = dossier.events.filter(kind=EventKind.RECEIVED).select_related("actor").order_by("-at").first()
    if event is None:
        return ""
    return event.actor_name or _person(event.actor)


def _now(issued_at: dt.datetime | None) -> dt.datetime:
    return issued_at or timezone.now()


# --- 01 ---------------------------------------------------------------------------------------------


def form_01_receipt(dossier: Dossier) -> bytes:
    """Giấy tiếp nhận hồ sơ và hẹn trả kết quả (mẫu 01): issued when a complete dossier is received."""
    components: list[DossierComponent] = list(
        dossier.components.filter(is_provided=True).order_by("position")
    )
    fee_vnd, fee_timing = _fee(dossier)
    url = lookup_url(dossier.code)
    return render_pdf(
        TEMPLATES + "form_01_receipt.html",
        {
            "dossier": dossier,
            "issuer": _issuer(dossier.receiving_unit),
            "issued_at": _received_at(dossier),
            "applicant": _applicant(dossier),
            "procedure": dossier.procedure,
            "components": components,
            "time_limit": dossier.procedure.time_limit_display(),
            "received_at": _received_at(dossier),
            "due_at": dossier.due_at,
            "fee_vnd": fee_vnd,
            "fee_timing": fee_timing,
            "result_place": _result_place(dossier),
            "lookup_url": url,
            "qr": qr_data_uri(url),
            "receiver_name": _receiver_name(dossier),
        },
    )


# --- 02 ---------------------------------------------------------------------------------------------


def form_02_supplement(
    dossier: Dossier,
    items: Sequence[SupplementItemLike],
    officer: User,
    *,
    guidance: str = "",
    issued_at: dt.datetime | None = None,
) -> bytes:
    """Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ (mẫu 02). Every missing item is listed at once: the
    applicant is asked to supplement a dossier only once (NĐ 61/2018 Điều 15, 19)."""
    if not items:
        raise ValueError("form 02 lists at least one item to supplement")
    return render_pdf(
        TEMPLATES + "form_02_supplement.html",
        {
            "dossier": dossier,
            "issuer": _issuer(dossier.receiving_unit),
            "issued_at": _now(issued_at),
            "applicant": _applicant(dossier),
            "procedure": dossier.procedure,
            "items": list(items),
            "guidance": guidance,
            "officer_name": _person(officer),
            "officer_phone": officer.phone,
            "unit": dossier.receiving_unit,
        },
    )


# --- 03 ---------------------------------------------------------------------------------------------


def form_03_refusal(
    dossier: Dossier, reasons: Sequence[str], officer: User, *, issued_at: dt.datetime | None = None
) -> bytes:
    """Phiếu từ chối tiếp nhận giải quyết hồ sơ (mẫu 03), with every reason for the refusal."""
    reasons = [reason for reason in reasons if reason.strip()]
    if not reasons:
        raise ValueError("form 03 states at least one reason")
    return render_pdf(
        TEMPLATES + "form_03_refusal.html",
        {
            "dossier": dossier,
            "issuer": _issuer(dossier.receiving_unit),
            "issued_at": _now(issued_at),
            "applicant": _applicant(dossier),
            "procedure": dossier.procedure,
            "reasons": reasons,
            "officer_name": _person(officer),
            "officer_phone": officer.phone,
            "unit": dossier.receiving_unit,
        },
    )


# --- 04 ---------------------------------------------------------------------------------------------


def form_04_apology(
    dossier: Dossier,
    reason: str,
    new_due_at: dt.datetime,
    officer: User,
    *,
    number: str = "",
    issued_at: dt.datetime | None = None,
) -> bytes:
    """Phiếu xin lỗi và hẹn lại ngày trả kết quả (mẫu 04), from the body that is late, signed by its
    head, at least one working day before the due date; a dossier is rescheduled only once."""
    return render_pdf(
        TEMPLATES + "form_04_apology.html",
        {
            "dossier": dossier,
            "issuer": _issuer(dossier.responsible_unit),
            "issued_at": _now(issued_at),
            "number": number,
            "applicant": _applicant(dossier),
            "procedure": dossier.procedure,
            "received_at": _received_at(dossier),
            # After the reschedule service ran, due_at is already the new date.
            "original_due_at": dossier.original_due_at or dossier.due_at,
            "new_due_at": new_due_at,
            "reason": reason,
            "officer_name": _person(officer),
            "result_place": _result_place(dossier),
        },
    )


# --- 05 ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class HandOver:
    """One row of form 05: who gave the dossier to whom, when, and how the receiving step went."""

    giver: str
    receiver: str
    step_name: str
    at: dt.datetime | None
    due_at: dt.datetime | None
    giver_person: str
    receiver_person: str
    verdict: str
    note: str


def hand_overs(dossier: Dossier, steps: Sequence[DossierStep]) -> list[HandOver]:
    """The hand-over rows of form 05 (TT 01/2018/TT-VPCP, mẫu 05), in the order they happened.

    * Each step of the internal process receives the dossier from the process step before it (from the
      applicant when the first step is the counter's reception, else from the counter) and carries its
      own verdict: a late step counts as late even when the dossier is on time.
    * A consultation or liên thông task is a branch: the process step holding the dossier at that
      moment gives it to the other unit, with the task's own verdict; the main chain is not broken.
    * Without a closing step of the counter in the process, a row shows the result coming back to the
      counter; the return to the applicant is the last row.
    """
    counter = f"Bộ phận Một cửa – {dossier.receiving_unit.name}"

    def holder(step: DossierStep) -> str:
        return f"Bộ phận Một cửa – {step.unit.name}" if step.role == Role.RECEIVER else step.unit.name

    def row(step: DossierStep, giver: str, giver_person: str) -> HandOver:
        note = step.note
        if step.kind != StepKind.PROCESS:
            note = " ".join(part for part in (step.note, step.answer) if part)
        return HandOver(
            giver=giver,
            receiver=holder(step),
            step_name=step.name,
            at=step.started_at,
            due_at=step.due_at,
            giver_person=giver_person,
            receiver_person=_person(step.finished_by or step.assignee),
            verdict=str(step.get_verdict_display()) if step.verdict else "",
            note=note,
        )

    process = [s for s in steps if s.kind == StepKind.PROCESS]
    branches = [s for s in steps if s.kind != StepKind.PROCESS and s.started_at is not None]
    rows: list[tuple[dt.datetime | None, int, HandOver]] = []
    if process and process[0].role == Role.RECEIVER:
        giver, giver_person = f"Người nộp hồ sơ {dossier.applicant_name}", dossier.applicant_name
    else:
        giver, giver_person = counter, ""
    for step in process:
        rows.append((step.started_at, len(rows), row(step, giver, giver_person)))
        giver, giver_person = holder(step), _person(step.finished_by or step.assignee)
    for branch in branches:
        sender = max(
            (s for s in process if s.started_at is not None and s.started_at <= branch.started_at),  # type: ignore[operator]
            key=lambda s: (s.started_at, s.position),
            default=None,
        )
        sender_name = holder(sender) if sender is not None else counter
        rows.append((branch.started_at, len(rows), row(branch, sender_name, "")))
    never = dt.datetime.max.replace(tzinfo=dt.UTC)
    ordered = [r for _at, _n, r in sorted(rows, key=lambda item: (item[0] or never, item[1]))]
    has_closing = bool(process) and process[-1].role == Role.RECEIVER and len(process) > 1
    if process and dossier.processed_at is not None and not has_closing:
        ordered.append(
            HandOver(
                giver=giver,
                receiver=counter,
                step_name="Nhận kết quả để trả cho người nộp hồ sơ",
                at=dossier.processed_at,
                due_at=None,
                giver_person=giver_person,
                receiver_person="",
                verdict="",
                note="",
            )
        )
    if dossier.returned_at is not None:
        ordered.append(
            HandOver(
                giver=counter,
                receiver=f"Người nộp hồ sơ {dossier.applicant_name}",
                step_name="Trả kết quả cho người nộp hồ sơ",
                at=dossier.returned_at,
                due_at=dossier.due_at,
                giver_person=_person(_returned_by(dossier)),
                receiver_person=dossier.applicant_name,
                verdict=str(dossier.get_verdict_display()) if dossier.verdict else "",
                note="",
            )
        )
    return ordered


def _returned_by(dossier: Dossier) -> User | None:
    event = dossier.events.filter(kind=EventKind.RETURNED).select_related("actor").first()
    return event.actor if event is not None else None


def form_05_control_sheet(dossier: Dossier) -> bytes:
    """Phiếu kiểm soát quá trình giải quyết hồ sơ (mẫu 05): every hand-over between units.

    Layout choice: A5 landscape, the legal paper size of every form but the register; the 4-column
    hand-over table needs the width, and a long process continues on a second sheet with the table
    header repeated.
    """
    steps = list(dossier.steps.select_related("unit", "assignee", "finished_by").order_by("position", "id"))
    return render_pdf(
        TEMPLATES + "form_05_control_sheet.html",
        {
            "dossier": dossier,
            "issuer": _issuer(dossier.receiving_unit),
            "applicant": _applicant(dossier),
            "procedure": dossier.procedure,
            "received_at": _received_at(dossier),
            "due_at": dossier.due_at,
            "rows": hand_overs(dossier, steps),
        },
    )


# --- 06 ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RegisterRow:
    number: int
    dossier: Dossier
    code_lines: tuple[str, ...]
    sets: int
    received_at: dt.datetime
    transferred_at: dt.datetime | None
    note: str


def _transferred_at(steps: Iterable[DossierStep]) -> dt.datetime | None:
    """When the counter handed the dossier to the processing body: the start of the first step that is
    not the counter's own reception step."""
    for step in sorted(steps, key=lambda s: (s.position, s.pk or 0)):
        if step.role != Role.RECEIVER:
            return step.started_at
    return None


def _code_lines(code: str) -> tuple[str, ...]:
    """The dossier code broken after the agency code (``000.00.06.H56-`` / ``231027-0361``): the
    narrow register column would otherwise break it between digits."""
    head, sep, tail = code.partition("-")
    return (head + sep, tail) if sep else (code,)


def _register_note(dossier: Dossier) -> str:
    notes: list[str] = []
    if dossier.status in {Status.NOT_RECEIVED, Status.WITHDRAWN, Status.STOPPED, Status.REJECTED}:
        notes.append(str(dossier.get_status_display()))
    if dossier.reschedule_count and dossier.original_due_at:
        notes.append(f"Hẹn lại (hẹn ban đầu {dates.short_date(dossier.original_due_at)})")
    if dossier.verdict:
        notes.append(str(dossier.get_verdict_display()))
    return "; ".join(notes)


def form_06_register(unit: Unit, date_from: dt.date, date_to: dt.date, dossiers: Iterable[Dossier]) -> bytes:
    """Sổ theo dõi hồ sơ (mẫu 06), A4 landscape: one row per dossier received in the period, in the
    order given (the caller filters and orders; reception order is the register's order).

    Column list UNCONFIRMED (domain-research §3.10): "số lượng hồ sơ" counts sets (bộ), one per
    dossier; a "ký nhận" column is left for the applicant's signature on paper.
    """
    rows_in = list(dossiers)
    prefetch_related_objects(rows_in, "steps", "procedure", "responsible_unit")
    rows = [
        RegisterRow(
            number=number,
            dossier=dossier,
            code_lines=_code_lines(dossier.code),
            sets=1,
            received_at=_received_at(dossier),
            transferred_at=_transferred_at(dossier.steps.all()),
            note=_register_note(dossier),
        )
        for number, dossier in enumerate(rows_in, start=1)
    ]
    return render_pdf(
        TEMPLATES + "form_06_register.html",
        {"unit": unit, "issuer": _issuer(unit), "date_from": date_from, "date_to": date_to, "rows": rows},
    )
