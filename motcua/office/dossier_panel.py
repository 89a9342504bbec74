"""What the dossier detail page shows: the action panel (only the actions allowed by both the workflow
table and ``dossiers.permissions`` for this officer), the timeline in plain Vietnamese, and the
countdowns. Pure presentation over reads: nothing here writes."""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django import forms
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.accounts.models import User
from motcua.core.worktime import to_local
from motcua.dossiers import permissions
from motcua.dossiers.models import Dossier, DossierEvent, DossierStep, StepKind
from motcua.dossiers.services import ready_problems
from motcua.dossiers.workflow import CLOSED, OPEN, EventKind, Status, Verdict, can_move
from motcua.office import dossier_forms as df
from motcua.organizations.calendars import calendar_for_unit
from motcua.organizations.models import Membership, Unit


def fmt(value: dt.datetime | str | None) -> str:
    """A local time the way officers read it: 14:30 07/02/2024."""
    if not value:
        return ""
    if isinstance(value, str):
        try:
            return fmt(dt.datetime.fromisoformat(value))
        except ValueError:
            return value
    return f"{to_local(value):%H:%M %d/%m/%Y}"


def hours_text(hours: Decimal) -> str:
    value = hours.quantize(Decimal("0.1")).normalize()
    return f"{value:f}".replace(".", ",")


@dataclass(frozen=True)
class Clock:
    """A deadline as text and a tone: "còn 5,5 giờ làm việc" / "quá hạn 2 giờ làm việc"."""

    text: str
    tone: str  # success | warning | danger | secondary
    is_overdue: bool = False


def clock(
    due_at: dt.datetime | None, unit: Unit, *, now: dt.datetime | None = None, soon_hours: int = 8
) -> Clock:
    now = now or timezone.now()
    if due_at is None:
        return Clock(_("không có hạn"), "secondary")
    calendar = calendar_for_unit(unit, to_local(now).date())
    if due_at < now:
        late = calendar.working_hours_between(due_at, now)
        return Clock(_("Quá hạn %(h)s giờ làm việc") % {"h": hours_text(late)}, "danger", True)
    left = calendar.working_hours_between(now, due_at)
    tone = "warning" if left < soon_hours else "success"
    return Clock(_("Còn %(h)s giờ làm việc") % {"h": hours_text(left)}, tone)


# --- the timeline -------------------------------------------------------------------------------------


def _items(data: dict[str, Any]) -> str:
    return "; ".join(
        f"{i.get('name', '')} ({i.get('reason', '')})" if i.get("reason") else str(i.get("name", ""))
        for i in data.get("items", [])
    )


def describe(event: DossierEvent, unit_names: dict[str, str]) -> str:
    """One event in plain Vietnamese (the data the services stored in ``DossierEvent.data``)."""
    d: dict[str, Any] = event.data or {}
    kind = event.kind

    def unit(code: Any) -> str:
        return unit_names.get(str(code), str(code or ""))

    step = event.step_name
    verdict = str(Verdict(d["verdict"]).label) if d.get("verdict") in Verdict.values else ""
    match kind:
        case EventKind.SUBMITTED:
            return _("Nộp trực tuyến; hạn tiếp nhận %(due)s.") % {"due": fmt(event.due_at)}
        case EventKind.RECEIVED:
            text = _("Tiếp nhận hồ sơ; hẹn trả kết quả %(due)s.") % {
                "due": fmt(event.due_at) or _("không hạn")
            }
            if d.get("late_reception"):
                text += " " + _("Tiếp nhận muộn (quá 8 giờ làm việc).")
            return text
        case EventKind.FORWARDED:
            return _("Chuyển hồ sơ cho đơn vị có thẩm quyền %(unit)s, chậm nhất %(due)s.") % {
                "unit": unit(d.get("to_unit")),
                "due": fmt(event.due_at),
            }
        case EventKind.SUPPLEMENT_REQUESTED:
            return _("Yêu cầu bổ sung, hoàn thiện hồ sơ: %(items)s.") % {"items": _items(d)}
        case EventKind.SUPPLEMENT_COMPLETED:
            text = _("Đã bổ sung hồ sơ.")
            if d.get("previous_due_at"):
                text += " " + _("Hẹn trả mới %(due)s (trước đó %(old)s).") % {
                    "due": fmt(event.due_at),
                    "old": fmt(d["previous_due_at"]),
                }
            return text + (f" {d['note']}" if d.get("note") else "")
        case EventKind.NOT_RECEIVED | EventKind.REFUSED:
            return _("Lý do: %(reasons)s.") % {"reasons": "; ".join(d.get("reasons", []))}
        case EventKind.STEP_STARTED:
            text = _("Bắt đầu bước «%(step)s» tại %(unit)s, hạn %(due)s.") % {
                "step": step,
                "unit": unit(d.get("unit")),
                "due": fmt(event.due_at),
            }
            if d.get("task"):
                text += " " + _("Nhiệm vụ liên thông: %(task)s.") % {"task": d["task"]}
            if d.get("returned_from"):
                text += " " + _("(trả lại từ bước «%(step)s»)") % {"step": d["returned_from"]}
            return text
        case EventKind.STEP_FINISHED:
            text = _("Kết thúc bước «%(step)s» — %(verdict)s.") % {"step": step, "verdict": verdict}
            if d.get("returned"):
                text += " " + _("Trả lại bước trước.")
            if d.get("note"):
                text += f" {d['note']}"
            return text
        case EventKind.CONSULTED:
            return _("Xin ý kiến %(unit)s: %(q)s (hạn %(due)s).") % {
                "unit": unit(d.get("unit")),
                "q": d.get("question", ""),
                "due": fmt(event.due_at),
            }
        case EventKind.CONSULTATION_ANSWERED:
            return _("%(unit)s đã trả lời xin ý kiến — %(verdict)s.") % {
                "unit": unit(d.get("unit")),
                "verdict": verdict,
            }
        case EventKind.REASSIGNED:
            return _("Giao lại bước «%(step)s»: %(old)s → %(new)s.") % {
                "step": step,
                "old": d.get("from") or _("chưa giao"),
                "new": d.get("to", ""),
            }
        case EventKind.SUSPENDED | EventKind.STOPPED:
            return _("Lý do: %(reason)s.") % {"reason": d.get("reason", "")}
        case EventKind.RESUMED:
            return _("Tiếp tục xử lý.") + (f" {d['note']}" if d.get("note") else "")
        case EventKind.WITHDRAWN:
            return _("Rút hồ sơ: %(reason)s. Văn bản đề nghị: %(req)s.") % {
                "reason": d.get("reason", ""),
                "req": d.get("written_request") or _("người nộp tự rút trên Cổng"),
            }
        case EventKind.PAYMENT_REQUESTED:
            return _("Yêu cầu nộp %(amount)s đồng.") % {
                "amount": f"{d.get('amount_vnd', 0):,}".replace(",", ".")
            }
        case EventKind.PAID:
            return _("Đã nộp %(amount)s đồng, biên lai %(receipt)s.") % {
                "amount": f"{d.get('amount_vnd', 0):,}".replace(",", "."),
                "receipt": d.get("receipt_number") or "—",
            }
        case EventKind.RESCHEDULED:
            return _("Xin lỗi và hẹn lại ngày trả: từ %(old)s sang %(new)s. Lý do: %(reason)s.") % {
                "old": fmt(d.get("previous_due_at")),
                "new": fmt(event.due_at),
                "reason": d.get("reason", ""),
            }
        case EventKind.RESULT_RECORDED:
            return _("Kết quả số %(number)s, ký ngày %(on)s, người ký %(signer)s.") % {
                "number": d.get("number", ""),
                "on": dt.date.fromisoformat(d["signed_on"]).strftime("%d/%m/%Y")
                if d.get("signed_on")
                else "",
                "signer": d.get("signer", ""),
            }
        case EventKind.PROCESSED:
            return _("Đã xử lý xong — %(verdict)s.") % {"verdict": verdict}
        case EventKind.EARLY_RETURN_NOTICE:
            return _("Thông báo trả kết quả sớm.") + (f" {d['message']}" if d.get("message") else "")
        case EventKind.RETURNED:
            return _("Đã trả kết quả.") + (f" {d['note']}" if d.get("note") else "")
    return ""


def timeline(dossier: Dossier) -> list[tuple[DossierEvent, str]]:
    events = list(dossier.events.select_related("actor").order_by("at", "id"))
    codes = {
        str(e.data.get(k))
        for e in events
        for k in ("unit", "to_unit")
        if isinstance(e.data, dict) and e.data.get(k)
    }
    names = dict(Unit.objects.filter(code__in=codes).values_list("code", "name")) if codes else {}
    return [(e, describe(e, names)) for e in events]


# --- the action panel ---------------------------------------------------------------------------------


@dataclass
class PanelAction:
    slug: str
    label: str
    form: forms.Form
    url: str
    style: str = "outline-primary"
    hint: str = ""
    formset: Any = None
    multipart: bool = False
    is_open: bool = False
    confirm: bool = False  # irreversible: the button says so


@dataclass
class Panel:
    actions: list[PanelAction] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def holders(step: DossierStep) -> list[tuple[int, str]]:
    """Officers who may take ``step``: a current role of the step's kind in the step's unit."""
    members = Membership.objects.current().filter(unit=step.unit_id, role=step.role, unit__is_active=True)
    users = (
        User.objects.filter(memberships__in=members, is_active=True)
        .distinct()
        .order_by("full_name", "username")
    )
    return [(u.pk, str(u)) for u in users]


def current_process_step(steps: list[DossierStep]) -> DossierStep | None:
    running = [s for s in steps if s.kind == StepKind.PROCESS and s.started_at and not s.finished_at]
    return min(running, key=lambda s: (s.position, s.pk)) if running else None


def next_process_step(steps: list[DossierStep], current: DossierStep) -> DossierStep | None:
    waiting = [
        s for s in steps if s.kind == StepKind.PROCESS and not s.started_at and s.position > current.position
    ]
    return min(waiting, key=lambda s: (s.position, s.pk)) if waiting else None


def dossier_url(slug: str, dossier: Dossier, step: DossierStep | None = None) -> str:
    if step is not None:
        return reverse(f"office:step_{slug}", kwargs={"dossier_code": dossier.code, "step_id": step.pk})
    return reverse(f"office:dossier_{slug}", kwargs={"dossier_code": dossier.code})


def build_panel(
    user: User,
    dossier: Dossier,
    steps: list[DossierStep],
    *,
    bound: dict[str, Any] | None = None,
) -> Panel:
    """The actions ``user`` may take now. ``bound`` maps an action key (slug, or slug:step_id) to the
    form that failed, so the officer's typing is kept and the form shown open."""
    bound = bound or {}
    panel = Panel()
    status = Status(dossier.status)
    if status in CLOSED:
        panel.notes.append(_("Hồ sơ đã kết thúc: không còn thao tác nào (hồ sơ không được sửa đổi)."))
        return panel
    v = {"expected_version": dossier.version}

    def add(
        slug: str, label: str, form_class: type[forms.Form], *, step: DossierStep | None = None, **kw: Any
    ) -> None:
        key = f"{slug}:{step.pk}" if step is not None else slug
        form_kwargs = kw.pop("form_kwargs", {})
        initial = {**v, **kw.pop("initial", {})}
        failed = bound.get(key)
        form = (
            failed
            if isinstance(failed, forms.Form)
            else form_class(initial=initial, prefix=key.replace(":", "-"), **form_kwargs)
        )
        formset = kw.pop("formset", None)
        if isinstance(failed, tuple):
            form, formset = failed
        panel.actions.append(
            PanelAction(
                slug=key,
                label=label,
                form=form,
                url=dossier_url(slug, dossier, step),
                formset=formset,
                is_open=key in bound,
                **kw,
            )
        )

    processing_officer = permissions.is_processing_officer(user, dossier)
    leader = permissions.can_approve(user, dossier)

    if status == Status.SUBMITTED and permissions.can_receive(user, dossier):
        add("receive", _("Tiếp nhận hồ sơ"), df.ActionForm, style="primary")
        add(
            "return_online",
            _("Yêu cầu bổ sung, hoàn thiện (mẫu 02)"),
            df.ActionForm,
            formset=df.missing_items_formset(prefix="return_online-m"),
        )
    if status in {
        Status.INTAKE_SUPPLEMENT,
        Status.AWAITING_SUPPLEMENT,
    } and permissions.can_complete_supplement(user, dossier):
        add("complete_supplement", _("Ghi nhận người nộp đã bổ sung đủ"), df.NoteForm, style="primary")
    if status == Status.RECEIVED and permissions.can_start_processing(user, dossier):
        add("start", _("Chuyển xử lý (bắt đầu quy trình nội bộ)"), df.ActionForm, style="primary")
    current = current_process_step(steps)
    if status == Status.PROCESSING and current is not None and permissions.can_process_step(user, current):
        following = next_process_step(steps, current)
        choices = holders(following) if following is not None else []
        label = (
            _("Chuyển bước tiếp theo: «%(step)s»") % {"step": following.name}
            if following
            else _("Kết thúc bước «%(step)s»") % {"step": current.name}
        )
        add("forward", label, df.AssigneeForm, style="primary", form_kwargs={"choices": choices})
        if any(s.kind == StepKind.PROCESS and s.finished_at and s.position < current.position for s in steps):
            add("return_step", _("Trả lại bước trước"), df.ReasonForm)
    for step in steps:
        if step.finished_at is None and dossier.status in OPEN:
            step.dossier = dossier
            if (
                step.kind == StepKind.CONSULTATION
                and step.started_at
                and permissions.can_process_step(user, step)
            ):
                add(
                    "answer",
                    _("Trả lời xin ý kiến: %(step)s") % {"step": step.name},
                    df.AnswerForm,
                    step=step,
                    style="primary",
                )
            if (
                step.kind == StepKind.INTER_UNIT
                and step.started_at
                and permissions.can_process_step(user, step)
            ):
                add(
                    "complete_inter_unit",
                    _("Hoàn thành liên thông: %(step)s") % {"step": step.name},
                    df.AnswerForm,
                    step=step,
                    style="primary",
                )
            if permissions.can_reassign_step(user, step):
                add(
                    "reassign",
                    _("Giao lại bước «%(step)s»") % {"step": step.name},
                    df.ReassignForm,
                    step=step,
                    form_kwargs={"choices": holders(step)},
                )
    if status == Status.PROCESSING and processing_officer:
        add(
            "consult",
            _("Xin ý kiến đơn vị khác"),
            df.OtherUnitForm,
            form_kwargs={"exclude_unit_id": dossier.responsible_unit_id},
        )
        add(
            "inter_unit",
            _("Chuyển liên thông"),
            df.OtherUnitForm,
            form_kwargs={"exclude_unit_id": dossier.responsible_unit_id},
        )
    if can_move(status, Status.AWAITING_SUPPLEMENT) and permissions.can_request_supplement(user, dossier):
        add(
            "supplement",
            _("Yêu cầu bổ sung hồ sơ (mẫu 02)"),
            df.ActionForm,
            formset=df.missing_items_formset(prefix="supplement-m"),
        )
    if can_move(status, Status.AWAITING_PAYMENT) and permissions.can_handle_payment(user, dossier):
        add(
            "payment_request",
            _("Yêu cầu nộp phí, lệ phí"),
            df.PaymentRequestForm,
            initial={"amount_vnd": dossier.fee_vnd or None},
        )
    if status == Status.AWAITING_PAYMENT and permissions.can_handle_payment(user, dossier):
        add(
            "payment_record",
            _("Ghi nhận đã nộp phí, lệ phí"),
            df.PaymentRecordForm,
            style="primary",
            initial={"amount_vnd": dossier.fee_vnd},
        )
    if status in {Status.PROCESSING, Status.AWAITING_PAYMENT} and permissions.can_record_result(
        user, dossier
    ):
        add(
            "result",
            _("Ghi nhận kết quả giải quyết"),
            df.ResultForm,
            multipart=True,
            initial={"signed_on": timezone.localdate()},
        )
    if can_move(status, Status.PROCESSED) and status == Status.PROCESSING and leader:
        problems = ready_problems(
            dossier,
            approving=current
            if current is not None and permissions.can_process_step(user, current)
            else None,
        )
        add("processed", _("Duyệt: đã xử lý xong"), df.NoteForm, style="success", hint="; ".join(problems))
    if (
        status == Status.PROCESSED
        and dossier.verdict == Verdict.EARLY
        and permissions.can_announce_early_return(user, dossier)
    ):
        add("early_return", _("Thông báo trả kết quả sớm"), df.EarlyReturnForm)
    if status == Status.PROCESSED and permissions.can_return_result(user, dossier):
        add(
            "return_result",
            _("Trả kết quả"),
            df.ReturnResultForm,
            style="success",
            initial={"delivery": dossier.result_delivery},
        )
    if (
        status in OPEN
        and dossier.due_at
        and dossier.reschedule_count == 0
        and permissions.can_reschedule(user, dossier)
    ):
        add(
            "reschedule",
            _("Xin lỗi và hẹn lại ngày trả (mẫu 04)"),
            df.RescheduleForm,
            hint=_("Chỉ được hẹn lại một lần, chậm nhất 01 ngày làm việc trước ngày hẹn."),
        )
    if status == Status.PROCESSING and processing_officer:
        add("suspend", _("Tạm dừng xử lý"), df.ReasonForm, style="outline-secondary")
    if status == Status.SUSPENDED and processing_officer:
        add("resume", _("Tiếp tục xử lý"), df.NoteForm, style="primary")
    if can_move(status, Status.STOPPED) and leader:
        add("stop", _("Dừng xử lý"), df.ReasonForm, style="outline-danger", confirm=True)
    if can_move(status, Status.REJECTED) and leader:
        add(
            "reject",
            _("Từ chối giải quyết sau thẩm định"),
            df.RejectForm,
            style="outline-danger",
            confirm=True,
        )
    if can_move(status, Status.WITHDRAWN) and permissions.can_withdraw(user, dossier):
        add(
            "withdraw",
            _("Rút hồ sơ theo văn bản đề nghị"),
            df.WithdrawForm,
            style="outline-danger",
            confirm=True,
        )
    if not panel.actions:
        panel.notes.append(_("Bạn không có thao tác nào với hồ sơ ở trạng thái này."))
    return panel
