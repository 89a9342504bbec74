"""``POST /api/v1/dossiers/{code}/actions/<action>``: one endpoint per workflow service, with its own
typed body (``api.dossier_schemas``) and the optional ``expected_version``.

Answers: 200 with the dossier summary; 404 when the caller may not see the dossier (checked first, so
nothing is revealed); 403 when they see it but this action is not theirs; 409 when someone else changed
it first (with the current status and version); 422 when the workflow or a legal rule refuses, with
the Vietnamese message of the service.
"""

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router
from ninja.responses import Status as Reply

from motcua.accounts.models import User
from motcua.api import dossier_schemas as s
from motcua.api.auth import officer, officer_session
from motcua.api.dossiers import component_inputs, refusal, visible_dossier
from motcua.api.schemas import ErrorOut
from motcua.core.errors import Conflict, DomainError
from motcua.dossiers import services
from motcua.dossiers.models import Dossier, DossierStep
from motcua.dossiers.services import ActionRefused, MissingItem
from motcua.dossiers.workflow import Status
from motcua.organizations.models import Unit

router = Router(auth=officer_session, tags=["dossier actions"])

RESPONSES = {200: s.DossierOut, 403: ErrorOut, 404: ErrorOut, 409: s.ConflictOut, 422: ErrorOut}

Action = Callable[[Dossier, User], Dossier | DossierStep]


def act(request: HttpRequest, code: str, action: Action) -> Reply[Any]:
    """Guarded read, then the one service; domain errors become the answers listed above."""
    dossier = visible_dossier(officer(request), code)
    try:
        result = action(dossier, officer(request))
    except Conflict as exc:
        current = Dossier.objects.filter(pk=dossier.pk).only("status", "version").first()
        conflict = s.ConflictOut(
            detail=exc.message,
            code=dossier.code,
            status=Status(current.status) if current else None,
            version=current.version if current else None,
        )
        return Reply(409, conflict)
    except DomainError as exc:
        return refusal(exc)
    return Reply(200, result.dossier if isinstance(result, DossierStep) else result)


def _items(payload: s.ItemsIn) -> list[MissingItem]:
    return [MissingItem(name=i.name, reason=i.reason) for i in payload.items]


def _officer_named(username: str | None) -> User | None:
    if username is None:
        return None
    user = User.objects.filter(username=username.strip(), kind=User.Kind.OFFICER, is_active=True).first()
    if user is None:
        raise ActionRefused(_("Không có cán bộ có tên đăng nhập «%(name)s».") % {"name": username[:60]})
    return user


def _unit(code: str) -> Unit:
    unit = Unit.objects.filter(code=code.strip()).first()
    if unit is None:
        raise ActionRefused(_("unit: không có đơn vị mã «%(code)s».") % {"code": code[:40]})
    return unit


def _step_of(dossier: Dossier, step_id: int) -> int:
    """A step of *this* dossier: a step id from another dossier is refused like a missing one."""
    if not DossierStep.objects.filter(pk=step_id, dossier=dossier).exists():
        raise ActionRefused(
            _("step_id: hồ sơ %(code)s không có bước số %(id)d.") % {"code": dossier.code, "id": step_id}
        )
    return step_id


def route(action: str, summary: str) -> Callable[[Callable[..., object]], Callable[..., object]]:
    return router.post(
        f"/{{code}}/actions/{action}",
        response=RESPONSES,
        url_name=f"dossier_{action.replace('-', '_')}",
        summary=summary,
    )


@route("receive", "Tiếp nhận hồ sơ đang chờ (trực tuyến, hoặc đã bổ sung sau mẫu 02)")
def receive(request: HttpRequest, code: str, payload: s.VersionIn) -> Reply[Any]:
    v = payload.expected_version
    return act(
        request, code, lambda d, by: services.receive_online(dossier_id=d.pk, by=by, expected_version=v)
    )


@route("return-for-supplement", "Yêu cầu bổ sung trước khi tiếp nhận (hồ sơ trực tuyến)")
def return_for_supplement(request: HttpRequest, code: str, payload: s.ItemsIn) -> Reply[Any]:
    return act(
        request,
        code,
        lambda d, by: services.return_for_supplement_online(
            dossier_id=d.pk, by=by, items=_items(payload), expected_version=payload.expected_version
        ),
    )


@route("start", "Chuyển hồ sơ đi xử lý: tạo các bước theo quy trình nội bộ")
def start(request: HttpRequest, code: str, payload: s.StartIn) -> Reply[Any]:
    return act(
        request,
        code,
        lambda d, by: services.start_processing(
            dossier_id=d.pk,
            by=by,
            assignee=_officer_named(payload.assignee_username),
            expected_version=payload.expected_version,
        ),
    )


@route("forward", "Kết thúc bước hiện tại, chuyển bước tiếp theo")
def forward(request: HttpRequest, code: str, payload: s.ForwardIn) -> Reply[Any]:
    return act(
        request,
        code,
        lambda d, by: services.forward_step(
            dossier_id=d.pk,
            by=by,
            note=payload.note,
            next_assignee=_officer_named(payload.next_assignee_username),
            expected_version=payload.expected_version,
        ),
    )


@route("return-step", "Trả lại bước trước")
def return_step(request: HttpRequest, code: str, payload: s.ReasonIn) -> Reply[Any]:
    return act(
        request,
        code,
        lambda d, by: services.return_step(
            dossier_id=d.pk, by=by, reason=payload.reason, expected_version=payload.expected_version
        ),
    )


@route("consult", "Lấy ý kiến đơn vị khác (nội dung, thời hạn)")
def consult(request: HttpRequest, code: str, payload: s.ConsultIn) -> Reply[Any]:
    return act(
        request,
        code,
        lambda d, by: services.consult_unit(
            dossier_id=d.pk,
            by=by,
            unit=_unit(payload.unit),
            question=payload.question,
            hours=payload.hours,
            role=payload.role,
            expected_version=payload.expected_version,
        ),
    )


@route("answer-consultation", "Đơn vị được hỏi trả lời ý kiến")
def answer_consultation(request: HttpRequest, code: str, payload: s.StepAnswerIn) -> Reply[Any]:
    return act(
        request,
        code,
        lambda d, by: services.answer_consultation(
            step_id=_step_of(d, payload.step_id),
            by=by,
            answer=payload.answer,
            expected_version=payload.expected_version,
        ),
    )


@route("send-inter-unit", "Chuyển liên thông cho đơn vị khác (nhiệm vụ, thời hạn)")
def send_inter_unit(request: HttpRequest, code: str, payload: s.InterUnitIn) -> Reply[Any]:
    return act(
        request,
        code,
        lambda d, by: services.send_inter_unit(
            dossier_id=d.pk,
            by=by,
            unit=_unit(payload.unit),
            task=payload.task,
            hours=payload.hours,
            role=payload.role,
            expected_version=payload.expected_version,
        ),
    )


@route("complete-inter-unit", "Đơn vị liên thông hoàn thành nhiệm vụ, gửi kết quả về")
def complete_inter_unit(request: HttpRequest, code: str, payload: s.StepResultIn) -> Reply[Any]:
    return act(
        request,
        code,
        lambda d, by: services.complete_inter_unit(
            step_id=_step_of(d, payload.step_id),
            by=by,
            result=payload.result,
            expected_version=payload.expected_version,
        ),
    )


@route("request-supplement", "Yêu cầu bổ sung trong quá trình thẩm định (trong 03 ngày làm việc)")
def request_supplement(request: HttpRequest, code: str, payload: s.ItemsIn) -> Reply[Any]:
    return act(
        request,
        code,
        lambda d, by: services.request_supplement(
            dossier_id=d.pk, by=by, items=_items(payload), expected_version=payload.expected_version
        ),
    )


@route("complete-supplement", "Ghi nhận hồ sơ đã bổ sung (tính lại thời hạn)")
def complete_supplement(request: HttpRequest, code: str, payload: s.SupplementIn) -> Reply[Any]:
    return act(
        request,
        code,
        lambda d, by: services.complete_supplement(
            dossier_id=d.pk,
            by=by,
            components=component_inputs(d.procedure, payload.components),
            note=payload.note,
            expected_version=payload.expected_version,
        ),
    )


@route("suspend", "Tạm dừng xử lý")
def suspend(request: HttpRequest, code: str, payload: s.ReasonIn) -> Reply[Any]:
    return act(
        request,
        code,
        lambda d, by: services.suspend(
            dossier_id=d.pk, by=by, reason=payload.reason, expected_version=payload.expected_version
        ),
    )


@route("resume", "Tiếp tục xử lý hồ sơ đang tạm dừng")
def resume(request: HttpRequest, code: str, payload: s.NoteIn) -> Reply[Any]:
    return act(
        request,
        code,
        lambda d, by: services.resume(
            dossier_id=d.pk, by=by, note=payload.note, expected_version=payload.expected_version
        ),
    )


@route("stop", "Dừng xử lý hồ sơ (lãnh đạo)")
def stop(request: HttpRequest, code: str, payload: s.ReasonIn) -> Reply[Any]:
    return act(
        request,
        code,
        lambda d, by: services.stop(
            dossier_id=d.pk, by=by, reason=payload.reason, expected_version=payload.expected_version
        ),
    )


@route("reject", "Từ chối giải quyết sau thẩm định, nêu rõ lý do (lãnh đạo)")
def reject(request: HttpRequest, code: str, payload: s.ReasonsIn) -> Reply[Any]:
    return act(
        request,
        code,
        lambda d, by: services.reject_after_appraisal(
            dossier_id=d.pk, by=by, reasons=payload.reasons, expected_version=payload.expected_version
        ),
    )


@route("request-payment", "Yêu cầu nộp phí, lệ phí, nghĩa vụ tài chính")
def request_payment(request: HttpRequest, code: str, payload: s.PaymentRequestIn) -> Reply[Any]:
    return act(
        request,
        code,
        lambda d, by: services.request_payment(
            dossier_id=d.pk,
            by=by,
            amount_vnd=payload.amount_vnd,
            note=payload.note,
            expected_version=payload.expected_version,
        ),
    )


@route("record-payment", "Ghi nhận đã nộp phí, lệ phí")
def record_payment(request: HttpRequest, code: str, payload: s.PaymentIn) -> Reply[Any]:
    return act(
        request,
        code,
        lambda d, by: services.record_payment(
            dossier_id=d.pk,
            by=by,
            amount_vnd=payload.amount_vnd,
            receipt_number=payload.receipt_number,
            is_online=payload.is_online,
            expected_version=payload.expected_version,
        ),
    )


@route("reschedule", "Xin lỗi và hẹn lại ngày trả kết quả (mẫu 04, chỉ một lần)")
def reschedule(request: HttpRequest, code: str, payload: s.RescheduleIn) -> Reply[Any]:
    return act(
        request,
        code,
        lambda d, by: services.reschedule_with_apology(
            dossier_id=d.pk,
            by=by,
            new_due_at=payload.new_due_at,
            reason=payload.reason,
            expected_version=payload.expected_version,
        ),
    )


@route("record-result", "Ghi nhận kết quả giải quyết (số, ngày ký, người ký)")
def record_result(request: HttpRequest, code: str, payload: s.ResultIn) -> Reply[Any]:
    return act(
        request,
        code,
        lambda d, by: services.record_result(
            dossier_id=d.pk,
            by=by,
            number=payload.number,
            signed_on=payload.signed_on,
            signer=payload.signer,
            is_electronic=payload.is_electronic,
            expected_version=payload.expected_version,
        ),
    )


@route("mark-processed", "Duyệt kết quả: hồ sơ đã xử lý xong (lãnh đạo)")
def mark_processed(request: HttpRequest, code: str, payload: s.NoteIn) -> Reply[Any]:
    return act(
        request,
        code,
        lambda d, by: services.mark_processed(
            dossier_id=d.pk, by=by, note=payload.note, expected_version=payload.expected_version
        ),
    )


@route("announce-early-return", "Thông báo trả kết quả sớm")
def announce_early_return(request: HttpRequest, code: str, payload: s.MessageIn) -> Reply[Any]:
    return act(
        request,
        code,
        lambda d, by: services.announce_early_return(
            dossier_id=d.pk, by=by, message=payload.message, expected_version=payload.expected_version
        ),
    )


@route("return-result", "Trả kết quả: hồ sơ kết thúc")
def return_result(request: HttpRequest, code: str, payload: s.ReturnResultIn) -> Reply[Any]:
    return act(
        request,
        code,
        lambda d, by: services.return_result(
            dossier_id=d.pk,
            by=by,
            delivery=payload.delivery,
            note=payload.note,
            expected_version=payload.expected_version,
        ),
    )


@route("withdraw", "Rút hồ sơ theo đề nghị bằng văn bản của người nộp")
def withdraw(request: HttpRequest, code: str, payload: s.WithdrawIn) -> Reply[Any]:
    return act(
        request,
        code,
        lambda d, by: services.withdraw(
            dossier_id=d.pk,
            by=by,
            reason=payload.reason,
            written_request=payload.written_request,
            expected_version=payload.expected_version,
        ),
    )
