"""The dossier lifecycle as data: internal statuses, the transitions allowed between them, and the
national status code (DVCQG ``TrangThaiHoSo`` 1–10) each one shows as.

Pure: no I/O. Each transition is performed by one named service in ``dossiers.services``; nothing
else writes ``Dossier.status`` (NĐ 61/2018/NĐ-CP Điều 15–20; TT 01/2018/TT-VPCP).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.IntegerChoices):
    """DVCQG ``KenhThucHien`` (NĐ 61/2018 Điều 16)."""

    DIRECT = 1, _("Trực tiếp")
    ONLINE = 2, _("Trực tuyến")
    POSTAL = 3, _("Bưu chính công ích")


class Status(models.TextChoices):
    # before reception
    SUBMITTED = "submitted", _("Mới nộp trực tuyến, chờ tiếp nhận")
    INTAKE_SUPPLEMENT = "intake_supplement", _("Yêu cầu bổ sung trước khi tiếp nhận")
    NOT_RECEIVED = "not_received", _("Không được tiếp nhận")
    # after reception
    RECEIVED = "received", _("Đã tiếp nhận")
    PROCESSING = "processing", _("Đang xử lý")
    AWAITING_SUPPLEMENT = "awaiting_supplement", _("Chờ bổ sung hồ sơ")
    AWAITING_PAYMENT = "awaiting_payment", _("Chờ thực hiện nghĩa vụ tài chính")
    SUSPENDED = "suspended", _("Tạm dừng xử lý")
    # terminal
    WITHDRAWN = "withdrawn", _("Công dân rút hồ sơ")
    STOPPED = "stopped", _("Dừng xử lý")
    REJECTED = "rejected", _("Từ chối giải quyết")
    PROCESSED = "processed", _("Đã xử lý xong, chờ trả kết quả")
    RETURNED = "returned", _("Đã trả kết quả")


# DVCQG TrangThaiHoSo (domain-research §3.9). Suspension has no national code of its own: the
# national portal keeps showing "processing" while the suspension is recorded as a step.
NATIONAL_STATUS: dict[Status, int] = {
    Status.SUBMITTED: 1,
    Status.INTAKE_SUPPLEMENT: 5,
    Status.NOT_RECEIVED: 3,
    Status.RECEIVED: 2,
    Status.PROCESSING: 4,
    Status.AWAITING_SUPPLEMENT: 5,
    Status.AWAITING_PAYMENT: 6,
    Status.SUSPENDED: 4,
    Status.WITHDRAWN: 7,
    Status.STOPPED: 8,
    Status.REJECTED: 8,
    Status.PROCESSED: 9,
    Status.RETURNED: 10,
}

BEFORE_RECEPTION = frozenset({Status.SUBMITTED, Status.INTAKE_SUPPLEMENT})
OPEN = frozenset(
    {
        Status.RECEIVED,
        Status.PROCESSING,
        Status.AWAITING_SUPPLEMENT,
        Status.AWAITING_PAYMENT,
        Status.SUSPENDED,
    }
)
# Closed dossiers are immutable: no transition leaves them, and no service changes them.
CLOSED = frozenset({Status.NOT_RECEIVED, Status.WITHDRAWN, Status.STOPPED, Status.REJECTED, Status.RETURNED})

ALLOWED_TRANSITIONS: dict[Status, frozenset[Status]] = {
    # Online dossiers are received or sent back for supplementation, never refused or cancelled by an
    # officer (NĐ 61/2018 Điều 17 khoản 2); the applicant may withdraw.
    Status.SUBMITTED: frozenset({Status.RECEIVED, Status.INTAKE_SUPPLEMENT, Status.WITHDRAWN}),
    Status.INTAKE_SUPPLEMENT: frozenset({Status.SUBMITTED, Status.WITHDRAWN}),
    Status.RECEIVED: frozenset({Status.PROCESSING, Status.WITHDRAWN}),
    Status.PROCESSING: frozenset(
        {
            Status.AWAITING_SUPPLEMENT,
            Status.AWAITING_PAYMENT,
            Status.SUSPENDED,
            Status.WITHDRAWN,
            Status.STOPPED,
            Status.REJECTED,
            Status.PROCESSED,
        }
    ),
    Status.AWAITING_SUPPLEMENT: frozenset({Status.PROCESSING, Status.WITHDRAWN, Status.STOPPED}),
    Status.AWAITING_PAYMENT: frozenset({Status.PROCESSING, Status.PROCESSED, Status.WITHDRAWN}),
    Status.SUSPENDED: frozenset({Status.PROCESSING, Status.WITHDRAWN, Status.STOPPED}),
    Status.PROCESSED: frozenset({Status.RETURNED}),
    Status.NOT_RECEIVED: frozenset(),
    Status.WITHDRAWN: frozenset(),
    Status.STOPPED: frozenset(),
    Status.REJECTED: frozenset(),
    Status.RETURNED: frozenset(),
}


def can_move(from_status: Status, to_status: Status) -> bool:
    return to_status in ALLOWED_TRANSITIONS[from_status]


class EventKind(models.TextChoices):
    """Dossier event kinds. The first block is exactly the interchange ``events.csv`` vocabulary."""

    RECEIVED = "received", _("Tiếp nhận")
    SUPPLEMENT_REQUESTED = "supplement_requested", _("Yêu cầu bổ sung")
    SUPPLEMENT_COMPLETED = "supplement_completed", _("Đã bổ sung")
    SUSPENDED = "suspended", _("Tạm dừng")
    RESUMED = "resumed", _("Tiếp tục xử lý")
    REFUSED = "refused", _("Từ chối")
    WITHDRAWN = "withdrawn", _("Rút hồ sơ")
    STOPPED = "stopped", _("Dừng xử lý")
    STEP_STARTED = "step_started", _("Bắt đầu bước xử lý")
    STEP_FINISHED = "step_finished", _("Kết thúc bước xử lý")
    RESCHEDULED = "rescheduled", _("Xin lỗi, hẹn lại ngày trả")
    PROCESSED = "processed", _("Đã xử lý xong")
    RETURNED = "returned", _("Trả kết quả")
    # internal only (not exported)
    SUBMITTED = "submitted", _("Nộp trực tuyến")
    NOT_RECEIVED = "not_received", _("Không tiếp nhận")
    FORWARDED = "forwarded", _("Chuyển đơn vị có thẩm quyền")
    PAYMENT_REQUESTED = "payment_requested", _("Yêu cầu nộp phí, lệ phí")
    PAID = "paid", _("Đã nộp phí, lệ phí")
    CONSULTED = "consulted", _("Lấy ý kiến đơn vị khác")
    CONSULTATION_ANSWERED = "consultation_answered", _("Đơn vị được hỏi trả lời")
    REASSIGNED = "reassigned", _("Giao lại người xử lý")
    EARLY_RETURN_NOTICE = "early_return_notice", _("Thông báo trả kết quả sớm")
    RESULT_RECORDED = "result_recorded", _("Ghi nhận kết quả")
    COMPONENT_DIGITIZED = "component_digitized", _("Số hóa, ký số thành phần hồ sơ")
    RESULT_SIGNED = "result_signed", _("Ký số kết quả điện tử")
    RESULT_COPY_CERTIFIED = "result_copy_certified", _("Ký số sao y kết quả")
    FORM_SIGNED = "form_signed", _("Ký số biểu mẫu")
    TAKEN_FROM_STORE = "taken_from_store", _("Sử dụng giấy tờ trong kho dữ liệu")


INTERCHANGE_EVENT_KINDS = frozenset(
    {
        EventKind.RECEIVED,
        EventKind.SUPPLEMENT_REQUESTED,
        EventKind.SUPPLEMENT_COMPLETED,
        EventKind.SUSPENDED,
        EventKind.RESUMED,
        EventKind.REFUSED,
        EventKind.WITHDRAWN,
        EventKind.STOPPED,
        EventKind.STEP_STARTED,
        EventKind.STEP_FINISHED,
        EventKind.RESCHEDULED,
        EventKind.PROCESSED,
        EventKind.RETURNED,
    }
)


class Verdict(models.TextChoices):
    """Step and dossier verdicts (TT 01/2018 form 05: trước hạn / đúng hạn / quá hạn)."""

    EARLY = "early", _("Trước hạn")
    ON_TIME = "on_time", _("Đúng hạn")
    LATE = "late", _("Quá hạn")
