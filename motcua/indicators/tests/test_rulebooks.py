"""Rulebooks as versioned data: the two layouts, their validation and switching by date."""

import copy
import datetime as dt
import json
from decimal import Decimal

import pytest

from motcua.core.errors import NotFound
from motcua.indicators.rulebooks import (
    CONTRACT_IDS,
    DIRECTORY,
    InvalidRulebook,
    NoRulebook,
    parse_rulebook,
    rulebook_for,
    rulebooks,
)


def test_both_layouts_are_shipped_with_their_groups_and_maxima():
    books = rulebooks()
    assert [(g.id, g.max) for g in books["qd766-2022"].groups] == [
        ("publicity", 18),
        ("progress", 20),
        ("digitization", 22),
        ("online_services", 22),
        ("satisfaction", 18),
    ]
    assert [(g.id, g.max) for g in books["dvcqg-2025"].groups] == [
        ("publicity", 18),
        ("progress", 20),
        ("online_services", 12),
        ("online_payment", 10),
        ("digitization", 22),
        ("satisfaction", 18),
    ]


def test_the_current_layout_has_its_own_items_and_the_documented_maxima():
    current = {rule.id: rule for rule in rulebooks()["dvcqg-2025"].indicators}
    assert {"online_full", "payment_transaction"} <= set(current)
    assert not {"3.1", "3.2", "3.3"} & set(current)
    maxima = {
        key: current[key].max for key in ("1.1", "1.2", "1.3", "1.4", "2.1", "3.5", "3.6", "4.1", "5.4")
    }
    assert maxima == {
        "1.1": 6,
        "1.2": 4,
        "1.3": 2,
        "1.4": 6,
        "2.1": 20,
        "3.5": 2,
        "3.6": 6,
        "4.1": 6,
        "5.4": 6,
    }
    assert current["5.4"].threshold == Decimal("0.9")
    assert current["5.2"].zero_denominator == "full"
    assert set(current) <= CONTRACT_IDS


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (dt.date(2022, 6, 23), "qd766-2022"),
        (dt.date(2023, 8, 31), "qd766-2022"),
        (dt.date(2025, 6, 30), "qd766-2022"),
        (dt.date(2025, 7, 1), "dvcqg-2025"),
        (dt.date(2026, 11, 22), "dvcqg-2025"),
    ],
)
def test_the_rulebook_in_force_is_chosen_by_date(day, expected):
    assert rulebook_for(day).id == expected


def test_an_explicit_rulebook_overrides_the_date_and_an_unknown_one_is_refused():
    assert rulebook_for(dt.date(2023, 8, 31), "dvcqg-2025").id == "dvcqg-2025"
    with pytest.raises(NotFound, match="qd999"):
        rulebook_for(dt.date(2023, 8, 31), "qd999")


def test_before_the_first_rulebook_there_is_none():
    with pytest.raises(NoRulebook, match="22/06/2022"):
        rulebook_for(dt.date(2022, 6, 22))


def raw() -> dict:  # type: ignore[type-arg]
    return json.loads((DIRECTORY / "qd766-2022.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d["groups"][0]["indicators"][0].update(max=7), "do not add up"),
        (lambda d: d["groups"][0].update(max=19), "do not add up"),
        (lambda d: d["groups"][1]["indicators"][0].update(formula="magic"), "unknown formula"),
        (lambda d: d["groups"][1]["indicators"][0].update(id="9.9"), "unknown indicator id"),
        (lambda d: d["groups"][1]["indicators"][0].update(threshold=1.5), "threshold"),
        (lambda d: d["groups"][1]["indicators"][0].update(zero_denominator="half"), "zero_denominator"),
        (lambda d: d["groups"][1]["indicators"][0].update(scope="district"), "scope"),
        (lambda d: d["groups"][0]["indicators"][1].update(id="1.1"), "used twice"),
        (lambda d: d.update(valid_to="2020-01-01"), "before valid_from"),
        (lambda d: d["groups"][1].pop("indicators"), "KeyError"),
    ],
)
def test_a_broken_rulebook_is_refused(change, message):
    data = copy.deepcopy(raw())
    change(data)
    with pytest.raises(InvalidRulebook, match=message):
        parse_rulebook(data)


def test_every_chosen_value_is_marked_with_a_note_or_a_source():
    for book in rulebooks().values():
        assert book.note
        for rule in book.indicators:
            assert rule.source
