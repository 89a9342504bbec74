"""The texts of every notice, in Vietnamese, keyed by a stable template key.

Each template has a subject (email, portal title), a body (email, portal) and a short text for SMS (sent
without diacritics by default: brandname SMS gateways bill Unicode messages per 70 characters instead of
160). Zalo ZNS sends no text of ours: Zalo renders its own approved template from the fields
(``fields``), so those names are the contract with the templates registered on Zalo.

Why these notices: NĐ 61/2018/NĐ-CP Điều 15 (receipt, supplementation request, refusal), Điều 19 (fees),
Điều 20 (early return announced beforehand), Điều 19 khoản 6 and form 04 of TT 01/2018/TT-VPCP (apology
with a new appointment), TT 03/2025/TT-VPCP (notice of stopping). The texts hold the dossier code, the
procedure, dates and a lookup link — never ID numbers, addresses or names.
"""

from collections.abc import Mapping
from dataclasses import dataclass

from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

FOOTER = _(
    "Đây là thư tự động của hệ thống Một Cửa, xin không trả lời thư này. "
    "Tra cứu tình trạng hồ sơ tại: %(url)s"
)


@dataclass(frozen=True)
class NoticeTemplate:
    subject: Promise
    body: Promise
    sms: Promise
    fields: tuple[str, ...]


@dataclass(frozen=True)
class RenderedNotice:
    subject: str
    body: str
    sms: str


_DOSSIER = ("code", "procedure", "url")

TEMPLATES: dict[str, NoticeTemplate] = {
    "received": NoticeTemplate(
        subject=_("Hồ sơ %(code)s đã được tiếp nhận"),
        body=_(
            "Hồ sơ %(code)s (thủ tục: %(procedure)s) đã được tiếp nhận. Ngày hẹn trả kết quả: %(due_date)s."
        ),
        sms=_("Ho so %(code)s da duoc tiep nhan, hen tra ket qua ngay %(due_date)s. Tra cuu: %(url)s"),
        fields=(*_DOSSIER, "due_date"),
    ),
    "supplement_needed": NoticeTemplate(
        subject=_("Hồ sơ %(code)s cần bổ sung"),
        body=_(
            "Hồ sơ %(code)s (thủ tục: %(procedure)s) cần được bổ sung, hoàn thiện. "
            "Danh mục giấy tờ cần bổ sung và lý do có trong phiếu yêu cầu bổ sung, hoàn thiện hồ sơ; "
            "vui lòng xem chi tiết khi tra cứu hồ sơ."
        ),
        sms=_("Ho so %(code)s can bo sung, hoan thien. Chi tiet: %(url)s"),
        fields=_DOSSIER,
    ),
    "refused": NoticeTemplate(
        subject=_("Hồ sơ %(code)s không được tiếp nhận"),
        body=_(
            "Hồ sơ %(code)s (thủ tục: %(procedure)s) không được tiếp nhận. "
            "Lý do có trong phiếu từ chối tiếp nhận, giải quyết hồ sơ."
        ),
        sms=_("Ho so %(code)s khong duoc tiep nhan. Ly do: %(url)s"),
        fields=_DOSSIER,
    ),
    "stopped": NoticeTemplate(
        subject=_("Hồ sơ %(code)s đã dừng giải quyết"),
        body=_(
            "Việc giải quyết hồ sơ %(code)s (thủ tục: %(procedure)s) đã dừng. "
            "Lý do có trong thông báo dừng giải quyết hồ sơ."
        ),
        sms=_("Ho so %(code)s da dung giai quyet. Chi tiet: %(url)s"),
        fields=_DOSSIER,
    ),
    "payment_requested": NoticeTemplate(
        subject=_("Hồ sơ %(code)s: đề nghị nộp phí, lệ phí"),
        body=_(
            "Hồ sơ %(code)s (thủ tục: %(procedure)s) cần nộp phí, lệ phí %(amount_vnd)s đồng "
            "để tiếp tục giải quyết. Có thể thanh toán trực tuyến khi tra cứu hồ sơ."
        ),
        sms=_("Ho so %(code)s can nop phi, le phi %(amount_vnd)s dong. Thanh toan: %(url)s"),
        fields=(*_DOSSIER, "amount_vnd"),
    ),
    "result_ready": NoticeTemplate(
        subject=_("Hồ sơ %(code)s đã có kết quả"),
        body=_(
            "Hồ sơ %(code)s (thủ tục: %(procedure)s) đã có kết quả giải quyết. "
            "Mời ông/bà nhận kết quả theo hình thức đã đăng ký."
        ),
        sms=_("Ho so %(code)s da co ket qua. Chi tiet: %(url)s"),
        fields=_DOSSIER,
    ),
    "early_return": NoticeTemplate(
        subject=_("Hồ sơ %(code)s được trả kết quả sớm"),
        body=_(
            "Hồ sơ %(code)s (thủ tục: %(procedure)s) đã giải quyết xong trước ngày hẹn %(due_date)s. "
            "Ông/bà có thể nhận kết quả ngay từ bây giờ."
        ),
        sms=_("Ho so %(code)s da co ket qua truoc hen (%(due_date)s), moi nhan ngay. %(url)s"),
        fields=(*_DOSSIER, "due_date"),
    ),
    "apology": NoticeTemplate(
        subject=_("Thư xin lỗi và hẹn lại ngày trả kết quả hồ sơ %(code)s"),
        body=_(
            "Cơ quan giải quyết thành thật xin lỗi vì hồ sơ %(code)s (thủ tục: %(procedure)s) "
            "chưa thể trả kết quả đúng hẹn. Ngày hẹn trả kết quả mới: %(due_date)s."
        ),
        sms=_("Xin loi: ho so %(code)s tre hen. Ngay hen tra moi: %(due_date)s. %(url)s"),
        fields=(*_DOSSIER, "due_date"),
    ),
    "verification_code": NoticeTemplate(
        subject=_("Mã xác thực Một Cửa"),
        body=_(
            "Mã xác thực của ông/bà là %(code)s, có hiệu lực trong %(minutes)s phút. "
            "Không cung cấp mã này cho bất kỳ ai, kể cả người tự xưng là cán bộ."
        ),
        sms=_("Ma xac thuc Mot Cua: %(code)s, hieu luc %(minutes)s phut. Khong cung cap cho ai."),
        fields=("code", "minutes"),
    ),
    "pakn_answered": NoticeTemplate(
        subject=_("Phản ánh, kiến nghị của ông/bà đã được trả lời"),
        body=_(
            "Phản ánh, kiến nghị “%(title)s” đã được cơ quan có thẩm quyền trả lời. Xem trả lời tại: %(url)s"
        ),
        sms=_("Phan anh, kien nghi cua ong/ba da duoc tra loi. Xem: %(url)s"),
        fields=("title", "url"),
    ),
    # Assisted submission (DOMAIN.md §3): the counter prepared a draft in the applicant's own account;
    # only the applicant files it, so the dossier counts as filed from the own account.
    "draft_prepared": NoticeTemplate(
        subject=_("Bộ phận Một cửa đã chuẩn bị hồ sơ cho ông/bà"),
        body=_(
            "Bộ phận Một cửa %(unit)s đã chuẩn bị hồ sơ thủ tục %(procedure)s trong tài khoản của ông/bà. "
            "Hồ sơ chưa được nộp: vui lòng đăng nhập Cổng dịch vụ công để kiểm tra và xác nhận nộp "
            "tại: %(url)s"
        ),
        sms=_("Mot Cua %(unit)s da chuan bi ho so cho ong/ba. Dang nhap de kiem tra, xac nhan nop: %(url)s"),
        fields=("unit", "procedure", "url"),
    ),
    "payment_receipt": NoticeTemplate(
        subject=_("Biên lai thanh toán hồ sơ %(dossier_code)s"),
        body=_(
            "Đã nhận thanh toán %(amount_vnd)s đồng cho hồ sơ %(dossier_code)s. Biên lai điện tử: %(url)s"
        ),
        sms=_("Da nhan thanh toan %(amount_vnd)s dong cho ho so %(dossier_code)s. Bien lai: %(url)s"),
        fields=("dossier_code", "amount_vnd", "url"),
    ),
    # To an officer (NĐ 130/2018/NĐ-CP; Luật Giao dịch điện tử 2023 Điều 24): a signature made with an
    # expired certificate is not valid, so the officer renews before (documents/reminders.py).
    "signing_certificate_expiring": NoticeTemplate(
        subject=_("Chứng thư số của ông/bà sắp hết hiệu lực"),
        body=_(
            "Chứng thư số ký số (số hiệu %(serial)s) của ông/bà hết hiệu lực ngày %(valid_to)s, "
            "còn %(days_left)s ngày. Chữ ký số tạo bằng chứng thư đã hết hiệu lực không có giá trị: "
            "đề nghị gia hạn hoặc cấp mới chứng thư số và đăng ký lại trên hệ thống. Xem tại: %(url)s"
        ),
        sms=_(
            "Chung thu so %(serial)s het hieu luc ngay %(valid_to)s (con %(days_left)s ngay). De nghi gia han."
        ),
        fields=("serial", "valid_to", "days_left", "url"),
    ),
    # early warning digest to an officer (indicators.warnings.digest; DOMAIN.md §9): dossier codes
    # and step names only, never an applicant's name or ID number
    "early_warning": NoticeTemplate(
        subject=_("Cảnh báo sớm: %(count)s việc cần xử lý để không bị trừ điểm"),
        body=_(
            "Có %(count)s việc sắp đến hạn hoặc đã quá hạn, ảnh hưởng đến chỉ số phục vụ người dân, "
            "doanh nghiệp (QĐ 766/QĐ-TTg):\n%(summary)s\n\nXem danh sách đầy đủ: %(url)s"
        ),
        sms=_("Mot Cua: %(count)s viec sap den han/qua han can xu ly. Xem: %(url)s"),
        fields=("count", "summary", "url"),
    ),
}


class UnknownTemplate(ValueError):
    """A template key with no text here: a programming error, refused before anything is written."""


class MissingField(ValueError):
    """The context lacks a field the template needs (``fields``)."""


def get_template(key: str) -> NoticeTemplate:
    try:
        return TEMPLATES[key]
    except KeyError:
        raise UnknownTemplate(f"unknown notification template {key!r}") from None


def render(key: str, context: Mapping[str, str]) -> RenderedNotice:
    """Render the template in Vietnamese (the applicant-facing language of record)."""
    template = get_template(key)
    missing = [name for name in template.fields if not str(context.get(name, "")).strip()]
    if missing:
        raise MissingField(f"template {key!r} needs {', '.join(missing)}")
    values = {name: str(value) for name, value in context.items()}
    with translation.override("vi"):
        subject = str(template.subject) % values
        body = str(template.body) % values
        if "url" in values and "%(url)s" not in str(template.body):
            body = f"{body}\n\n{FOOTER % values}"
        elif "url" not in values:
            body = f"{body}\n\n{_('Đây là thư tự động của hệ thống Một Cửa, xin không trả lời thư này.')}"
        sms = str(template.sms) % values
    return RenderedNotice(subject=subject, body=body, sms=sms)
