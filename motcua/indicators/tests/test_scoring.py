"""Points from rates (QĐ 766 scaling): linear, thresholded, zero denominators, out of scope, rounding."""

from decimal import Decimal

from motcua.indicators.formulas import Ratio
from motcua.indicators.rulebooks import rulebooks
from motcua.indicators.scoring import score, score_indicator


def rule(book: str, item: str):  # type: ignore[no-untyped-def]
    return next(r for r in rulebooks()[book].indicators if r.id == item)


def test_linear_items_score_max_times_rate_with_four_and_two_decimals():
    item = score_indicator(rule("qd766-2022", "2.1"), Ratio(35, 40))
    assert (item.rate, item.score, item.max) == (Decimal("0.8750"), Decimal("17.50"), 20)
    item = score_indicator(rule("qd766-2022", "2.1"), Ratio(2, 3))
    assert (item.rate, item.score) == (Decimal("0.6667"), Decimal("13.33"))


def test_thresholded_items_reach_the_maximum_at_the_threshold():
    satisfaction = rule("qd766-2022", "5.4")  # 6 points at 90 %
    assert score_indicator(satisfaction, Ratio(9, 10)).score == Decimal("6.00")
    assert score_indicator(satisfaction, Ratio(10, 10)).score == Decimal("6.00")
    assert score_indicator(satisfaction, Ratio(45, 100)).score == Decimal("3.00")
    online = rule("qd766-2022", "3.3")  # 6 points at 50 %
    assert score_indicator(online, Ratio(1, 4)).score == Decimal("3.00")


def test_zero_denominators_score_by_the_rulebook_rule():
    assert score_indicator(rule("qd766-2022", "5.2"), Ratio(0, 0)).score == Decimal("6.00")
    item = score_indicator(rule("qd766-2022", "2.1"), Ratio(0, 0))
    assert (item.rate, item.score) == (Decimal("0.0000"), Decimal("0.00"))


def test_out_of_scope_items_score_by_the_out_of_scope_rule():
    publicized = rule("qd766-2022", "1.2")  # province only
    assert not publicized.applies_to("commune")
    assert score_indicator(publicized, Ratio(0, 0), applies=False, out_of_scope="full").score == 4
    assert score_indicator(publicized, Ratio(0, 0), applies=False, out_of_scope="zero").score == 0


def test_group_and_total_scores_are_the_sums_of_the_points_shown():
    book = rulebooks()["qd766-2022"]
    ratios = {r.id: Ratio(1, 3) for r in book.indicators}
    result = score(book, ratios, "province")
    for group in result.groups:
        assert group.score == sum(i.score for i in group.indicators)
    assert result.total == sum(g.score for g in result.groups)
    assert all(i.rate == Decimal("0.3333") for g in result.groups for i in g.indicators)


def test_a_perfect_unit_scores_one_hundred_under_both_layouts():
    for book in rulebooks().values():
        ratios = {r.id: Ratio(5, 5) for r in book.indicators}
        assert score(book, ratios, "province").total == 100
