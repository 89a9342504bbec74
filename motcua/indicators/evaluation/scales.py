"""Point rules of the nine TT 01/2018/TT-VPCP indices (Điều 13), the aggregation (Điều 15) and the
grades of officials and bodies. Pure: no I/O.

Each function returns 0, 1 or 2 points, or None when the index has no data for that dossier or unit
(Điều 15: an index without data is left out of the aggregate).
"""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from django.utils.translation import gettext_lazy as _

from motcua.dossiers.workflow import Verdict

OFFICER_INDICES = (1, 2, 3, 4, 7)
UNIT_INDICES = (1, 2, 3, 4, 5, 6, 7, 8, 9)
TENTH = Decimal("0.1")


def by_verdict(verdict: str) -> int | None:
    """Indices 1 and 2 (Điều 13 khoản 1–2): 2 shorter than allowed, 1 equal, 0 longer."""
    return {Verdict.EARLY: 2, Verdict.ON_TIME: 1, Verdict.LATE: 0}.get(Verdict(verdict)) if verdict else None


def bodies_time(verdicts: Iterable[str]) -> int | None:
    """Index 2 (Điều 13 khoản 2): the time of each participating body against its allowed time. A body's
    time is judged by the hand-over verdicts of its steps (form 05): any late step ⇒ 0; every step
    early ⇒ 2; otherwise 1. No finished step ⇒ no data."""
    found = [v for v in verdicts if v]
    if not found:
        return None
    if Verdict.LATE in found:
        return 0
    return 2 if all(v == Verdict.EARLY for v in found) else 1


def contacts(supplement_requests: int) -> int:
    """Index 3 (Điều 13 khoản 3): contacts with the reception point to complete the dossier (online
    too): 2 none, 1 once, 0 more than once."""
    return 2 if supplement_requests <= 0 else 1 if supplement_requests == 1 else 0


def attitude(index_1: int | None, has_conduct_feedback: bool) -> int | None:
    """Index 7 (Điều 13 khoản 7): 2 result early and no PAKN about harassment or misconduct; 1 result on
    time and no such PAKN; 0 when there is such a PAKN. A late result meets neither 2 nor 1: 0."""
    if has_conduct_feedback:
        return 0
    if index_1 is None:
        return None
    return 2 if index_1 == 2 else 1 if index_1 == 1 else 0


def counter_share_threshold(level: str) -> Fraction:
    """Index 5 (Điều 13 khoản 5 điểm a): share of listed procedures appraised and approved at the
    counter needed for 2 points: ≥ 20 % ministry/province, ≥ 50 % district, 100 % commune."""
    return {"district": Fraction(1, 2), "commune": Fraction(1)}.get(level, Fraction(1, 5))


def full_process(share: Fraction | None, level: str, has_dossiers: bool) -> int | None:
    """Index 5: 2 when the counter appraises and approves the required share of procedures; 1 when
    every (non-exempt) procedure is received and returned at the counter — every dossier of the
    system goes through the one-stop counter, so a unit with dossiers in the period meets it. The
    share counts only when the counter's own processes are recorded, so 0 points never follow from
    the data: below the share it is 1 point, or no data without dossiers."""
    if share is not None and share >= counter_share_threshold(level):
        return 2
    # Without a dossier in the period the point-1 condition cannot be checked: no data.
    return 1 if has_dossiers else None


def publicity(is_published: bool, is_complete: bool) -> int:
    """Index 6 (Điều 13 khoản 6) for one dossier's procedure: 2 published in full (the catalog entry
    shown on the portal and at the counter), 1 published with parts missing, 0 not published."""
    if not is_published:
        return 0
    return 2 if is_complete else 1


def feedback_handling(total: int, in_time: int, prolonged: int) -> int:
    """Index 8 (Điều 13 khoản 8): 2 no PAKN or 100 % on time and none prolonged; 1 ≥ 90 % on time and
    none prolonged; 0 otherwise."""
    if total == 0:
        return 2
    if prolonged:
        return 0
    share = Fraction(in_time, total)
    return 2 if share == 1 else 1 if share >= Fraction(9, 10) else 0


def online_services(
    procedure_share: Fraction | None, dossier_share: Fraction | None, has_online_problem: bool
) -> int | None:
    """Index 9 (Điều 13 khoản 9): 2 when ≥ 20 % of the procedures are online (level 3/4: partial or
    full), online dossiers ≥ 30 % of all and no online dossier unresolved or late; 1 when some
    procedures are online, online dossiers ≥ 15 % and none unresolved or late; 0 otherwise. No dossier
    in the period ⇒ no data."""
    if dossier_share is None:
        return None
    if has_online_problem or not procedure_share:
        return 0
    if procedure_share >= Fraction(1, 5) and dossier_share >= Fraction(3, 10):
        return 2
    return 1 if dossier_share >= Fraction(15, 100) else 0


def average(scores: Iterable[int | None]) -> Decimal | None:
    """Điều 15: Σ scores ÷ number of dossiers with data, rounded to one decimal (half up); None when no
    dossier has data."""
    found = [s for s in scores if s is not None]
    if not found:
        return None
    return (Decimal(sum(found)) / len(found)).quantize(TENTH, rounding=ROUND_HALF_UP)


def total(scores: dict[int, Decimal | None]) -> Decimal | None:
    """The sum of the indices with data; None when none has data."""
    found = [s for s in scores.values() if s is not None]
    return sum(found, Decimal(0)) if found else None


@dataclass(frozen=True)
class Grade:
    key: str
    label: str


def officer_grade(score: Decimal | None) -> Grade | None:
    """Điều 15 khoản 2: officials over indices 1, 2, 3, 4, 7 (max 10): ≥ 5 full duty; 3.5 to < 5 from
    70 % to under 100 %; < 3.5 under 70 %."""
    if score is None:
        return None
    if score >= 5:
        return Grade("full", str(_("Hoàn thành 100% nhiệm vụ")))
    if score >= Decimal("3.5"):
        return Grade("partial", str(_("Hoàn thành từ 70% đến dưới 100% nhiệm vụ")))
    return Grade("low", str(_("Hoàn thành dưới 70% nhiệm vụ")))


def unit_grade(score: Decimal | None) -> Grade | None:
    """Điều 15 khoản 3: bodies over the nine indices (max 18): ≥ 15 Xuất sắc ("từ 15 điểm trở lên");
    12 to < 15 Tốt; 9 to < 12 Khá; 6 to < 9 Trung bình; < 6 Yếu."""
    if score is None:
        return None
    if score >= 15:
        return Grade("excellent", str(_("Xuất sắc")))
    if score >= 12:
        return Grade("good", str(_("Tốt")))
    if score >= 9:
        return Grade("fair", str(_("Khá")))
    if score >= 6:
        return Grade("average", str(_("Trung bình")))
    return Grade("weak", str(_("Yếu")))
