"""TT 01/2018/TT-VPCP point rules (Điều 13), aggregation and rounding, and the grade boundaries
(Điều 15): pure functions."""

from decimal import Decimal
from fractions import Fraction

import pytest

from motcua.indicators.evaluation import scales


@pytest.mark.parametrize(("verdict", "points"), [("early", 2), ("on_time", 1), ("late", 0), ("", None)])
def test_index_1_by_verdict(verdict, points):
    assert scales.by_verdict(verdict) == points


@pytest.mark.parametrize(
    ("verdicts", "points"),
    [
        (["early", "early"], 2),
        (["early", "on_time"], 1),
        (["on_time", "late", "early"], 0),
        (["", ""], None),
        ([], None),
    ],
)
def test_index_2_every_body_early_on_time_or_any_late(verdicts, points):
    assert scales.bodies_time(verdicts) == points


@pytest.mark.parametrize(("requests", "points"), [(0, 2), (1, 1), (2, 0), (5, 0)])
def test_index_3_contacts(requests, points):
    assert scales.contacts(requests) == points


def test_index_7_attitude():
    assert scales.attitude(2, has_conduct_feedback=False) == 2
    assert scales.attitude(1, has_conduct_feedback=False) == 1
    assert scales.attitude(0, has_conduct_feedback=False) == 0  # late: neither 2 nor 1
    assert scales.attitude(2, has_conduct_feedback=True) == 0
    assert scales.attitude(None, has_conduct_feedback=False) is None


def test_index_5_thresholds_by_level():
    assert scales.full_process(Fraction(1, 5), "province", has_dossiers=True) == 2
    assert scales.full_process(Fraction(1, 5), "district", has_dossiers=True) == 1
    assert scales.full_process(Fraction(1, 2), "district", has_dossiers=False) == 2
    assert scales.full_process(Fraction(9, 10), "commune", has_dossiers=True) == 1
    assert scales.full_process(Fraction(1), "commune", has_dossiers=False) == 2
    assert scales.full_process(Fraction(0), "commune", has_dossiers=False) is None
    assert scales.full_process(None, "commune", has_dossiers=False) is None


def test_index_6_publicity():
    assert scales.publicity(is_published=True, is_complete=True) == 2
    assert scales.publicity(is_published=True, is_complete=False) == 1
    assert scales.publicity(is_published=False, is_complete=True) == 0


@pytest.mark.parametrize(
    ("total", "in_time", "prolonged", "points"),
    [(0, 0, 0, 2), (10, 10, 0, 2), (10, 9, 0, 1), (10, 8, 0, 0), (10, 9, 1, 0), (20, 19, 0, 1)],
)
def test_index_8_feedback_handling(total, in_time, prolonged, points):
    assert scales.feedback_handling(total, in_time, prolonged) == points


@pytest.mark.parametrize(
    ("procedures", "dossiers", "problem", "points"),
    [
        (Fraction(1, 5), Fraction(3, 10), False, 2),
        (Fraction(1, 5), Fraction(3, 10), True, 0),
        (Fraction(1, 10), Fraction(1, 2), False, 1),  # some online procedures, but under 20 %
        (Fraction(1, 5), Fraction(15, 100), False, 1),
        (Fraction(1, 5), Fraction(14, 100), False, 0),
        (Fraction(0), Fraction(1, 2), False, 0),
        (None, Fraction(1, 2), False, 0),
        (Fraction(1, 2), None, False, None),  # no dossier: no data
    ],
)
def test_index_9_online_services(procedures, dossiers, problem, points):
    assert scales.online_services(procedures, dossiers, problem) == points


@pytest.mark.parametrize(
    ("scores", "expected"),
    [
        ([2, 2, 1], Decimal("1.7")),  # 1.666… rounds up
        ([2, 1, 1, 1], Decimal("1.3")),  # 1.25: half up
        ([1, 1, 1, 0, 0, 0], Decimal("0.5")),
        ([2, None, 0], Decimal("1.0")),  # a dossier without data is not counted
        ([None, None], None),
        ([], None),
    ],
)
def test_average_over_dossiers_with_data_rounded_to_one_decimal(scores, expected):
    assert scales.average(scores) == expected


def test_total_leaves_out_indices_without_data():
    assert scales.total({1: Decimal("1.5"), 2: None, 3: Decimal("2.0")}) == Decimal("3.5")
    assert scales.total({1: None}) is None


@pytest.mark.parametrize(
    ("score", "key"),
    [
        ("18", "excellent"),
        ("15", "excellent"),
        ("14.9", "good"),
        ("12", "good"),
        ("11.9", "fair"),
        ("9", "fair"),
        ("8.9", "average"),
        ("6", "average"),
        ("5.9", "weak"),
        ("0", "weak"),
    ],
)
def test_unit_grade_boundaries(score, key):
    grade = scales.unit_grade(Decimal(score))
    assert grade is not None
    assert grade.key == key


def test_unit_grade_labels():
    labels = [scales.unit_grade(Decimal(s)).label for s in ("15", "12", "9", "6", "5")]  # type: ignore[union-attr]
    assert labels == ["Xuất sắc", "Tốt", "Khá", "Trung bình", "Yếu"]
    assert scales.unit_grade(None) is None


@pytest.mark.parametrize(
    ("score", "label"),
    [
        ("10", "Hoàn thành 100% nhiệm vụ"),
        ("5", "Hoàn thành 100% nhiệm vụ"),
        ("4.9", "Hoàn thành từ 70% đến dưới 100% nhiệm vụ"),
        ("3.5", "Hoàn thành từ 70% đến dưới 100% nhiệm vụ"),
        ("3.4", "Hoàn thành dưới 70% nhiệm vụ"),
    ],
)
def test_officer_grade_boundaries(score, label):
    grade = scales.officer_grade(Decimal(score))
    assert grade is not None
    assert grade.label == label
