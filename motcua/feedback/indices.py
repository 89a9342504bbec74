"""The TT 01/2018/TT-VPCP evaluation indices collected from applicants, their 0/1/2 scales and the
aggregation bands. Pure: no I/O.

TT 01/2018 Điều 13 defines nine indices scored 0, 1 or 2; Điều 14 says indices 1, 3, 4 and 7 are
collected from the applicant (rating form, counter device, online rating) and 2, 6, 8, 9 by the
system. Officials are scored on 1, 2, 3, 4, 7 (Điều 15: ≥ 5 of 10 ⇒ duty fully completed); index 2
(time of each body) comes from the step verdicts, not from the applicant.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

SCORES = (2, 1, 0)


@dataclass(frozen=True)
class Index:
    number: int
    field: str
    question: str | Promise
    answers: dict[int, str | Promise]

    def choices(self) -> list[tuple[int, str | Promise]]:
        return [(score, self.answers[score]) for score in SCORES]


# The questions an applicant answers (TT 01/2018 Điều 13 khoản 1, 3, 4, 7), best answer first.
APPLICANT_INDICES: tuple[Index, ...] = (
    Index(
        1,
        "index_1",
        _("Chỉ số 1 – Thời gian giải quyết hồ sơ so với thời hạn theo quy định"),
        {
            2: _("Trả kết quả sớm hơn ngày hẹn"),
            1: _("Trả kết quả đúng ngày hẹn"),
            0: _("Trả kết quả muộn hơn ngày hẹn"),
        },
    ),
    Index(
        3,
        "index_3",
        _("Chỉ số 3 – Số lần phải liên hệ với nơi tiếp nhận để hoàn thiện hồ sơ (kể cả trực tuyến)"),
        {
            2: _("Không phải liên hệ lần nào"),
            1: _("Phải liên hệ 1 lần"),
            0: _("Phải liên hệ nhiều hơn 1 lần"),
        },
    ),
    Index(
        4,
        "index_4",
        _("Chỉ số 4 – Số cơ quan, đơn vị phải liên hệ để hoàn thiện hồ sơ"),
        {
            2: _("Không phải liên hệ cơ quan, đơn vị nào"),
            1: _("Chỉ liên hệ Bộ phận Một cửa"),
            0: _("Phải liên hệ nhiều hơn một cơ quan, đơn vị"),
        },
    ),
    Index(
        7,
        "index_7",
        _("Chỉ số 7 – Thái độ của cán bộ, công chức khi hướng dẫn, tiếp nhận, giải quyết hồ sơ"),
        {
            2: _("Tận tình, chu đáo; không có phiền hà, sách nhiễu"),
            1: _("Đúng mực; không có phiền hà, sách nhiễu"),
            0: _("Có biểu hiện gây phiền hà, sách nhiễu"),
        },
    ),
)

INDEX_FIELDS = tuple(index.field for index in APPLICANT_INDICES)


def index_problem(index: Index, value: object) -> str:
    """A Vietnamese message naming the index when ``value`` is not one of 0, 1, 2; '' when valid."""
    if isinstance(value, bool) or not isinstance(value, int) or value not in SCORES:
        return str(
            _("%(question)s: chỉ được chấm 0, 1 hoặc 2 điểm (Thông tư 01/2018/TT-VPCP Điều 13).")
            % {"question": index.question}
        )
    return ""


def average(total: int | Decimal | None, count: int) -> Decimal | None:
    """TT 01/2018 Điều 15: an index's score is the sum of its dossier scores ÷ the number of dossiers,
    rounded to one decimal; an index without data is left out (None)."""
    if not count or total is None:
        return None
    return (Decimal(total) / count).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def step_index(verdicts: list[str]) -> int | None:
    """Index 2 for one officer on one dossier, from the verdicts of the steps they handled
    (TT 01/2018 Điều 13 khoản 2): 0 if any step was late, 2 if all were early, 1 otherwise;
    None when none of their steps has a verdict yet."""
    if not verdicts:
        return None
    if "late" in verdicts:
        return 0
    if all(v == "early" for v in verdicts):
        return 2
    return 1


def officer_band(total: Decimal | None) -> str:
    """TT 01/2018 Điều 15 khoản 2: an official's score over indices 1, 2, 3, 4, 7 (max 10)."""
    if total is None:
        return ""
    if total >= 5:
        return str(_("Hoàn thành 100% nhiệm vụ"))
    if total >= Decimal("3.5"):
        return str(_("Hoàn thành từ 70% đến dưới 100% nhiệm vụ"))
    return str(_("Hoàn thành dưới 70% nhiệm vụ"))
