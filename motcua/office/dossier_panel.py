"""The action panel of the dossier detail page: only the actions allowed by both the workflow table
and ``dossiers.permissions`` for this officer (the timeline and countdowns are in ``dossier_timeline``).
Pure presentation over reads: nothing here writes."""

from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.accounts.models import User
from motcua.dossiers import permissions
from motcua.dossiers.models import Dossier, DossierStep, StepKind
from motcua.dossiers.services import ready_problems
from motcua.dossiers.workflow import CLOSED, OPEN, EventKind, Status, Verdict, can_move
from motcua.office import dossier_forms as df
from motcua.organizations.models import Membership


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
        and not dossier.events.filter(kind=EventKind.EARLY_RETURN_NOTICE).exists()
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
