"""QĐ 766 rulebooks as versioned data: one JSON file per layout, validated when loaded.

A rulebook lists its groups and, in each, its sub-indicators: the contract id, the formula (a key of
``indicators.formulas.FORMULAS``), the maximum points, the threshold (``score = max × min(1, rate ÷
threshold)``; none = linear), the zero-denominator rule (``zero`` or ``full`` points), the scope
(``all``, ``province`` or ``commune``: the unit levels the item applies to) and its source. The
rulebook says how out-of-scope items score (``out_of_scope``) and when it is in force
(``valid_from``/``valid_to``, both inclusive, local dates). Values the research left unknown are
chosen and carry a ``note`` (docs/indicators.md lists them).
"""

import datetime as dt
import json
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from motcua.core.errors import DomainError, NotFound

DIRECTORY = Path(__file__).resolve().parent
# The indicator ids of the interchange contract (shared/interchange/README.md, indicators --format json).
CONTRACT_IDS = frozenset(
    [
        "1.1",
        "1.2",
        "1.3",
        "1.4",
        "2.1",
        "3.1",
        "3.2",
        "3.3",
        "3.5",
        "3.6",
        "4.1",
        "4.2",
        "4.3",
        "4.4",
        "4.5a",
        "4.5b",
        "ecert",
        "5.2",
        "5.3",
        "5.4",
        "online_full",
        "payment_transaction",
    ]
)
ZERO_RULES = frozenset({"zero", "full"})
SCOPES = frozenset({"all", "province", "commune"})
TOTAL_POINTS = Decimal(100)


class InvalidRulebook(Exception):
    """A rulebook file breaks its own rules (a programming error, found by the tests and at load)."""


@dataclass(frozen=True)
class IndicatorRule:
    id: str
    name: str
    formula: str
    max: Decimal
    threshold: Decimal | None
    zero_denominator: str
    scope: str
    source: str
    note: str = ""

    def applies_to(self, level: str) -> bool:
        return self.scope == "all" or self.scope == level


@dataclass(frozen=True)
class Group:
    id: str
    name: str
    max: Decimal
    indicators: tuple[IndicatorRule, ...]


@dataclass(frozen=True)
class Rulebook:
    id: str
    name: str
    source: str
    valid_from: dt.date
    valid_to: dt.date | None
    out_of_scope: str
    groups: tuple[Group, ...]
    note: str = ""

    def in_force_on(self, day: dt.date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)

    @property
    def indicators(self) -> tuple[IndicatorRule, ...]:
        return tuple(rule for group in self.groups for rule in group.indicators)


def _decimal(value: Any, where: str) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise InvalidRulebook(f"{where}: a number is required, got {value!r}")
    return Decimal(str(value))


def _indicator(data: dict[str, Any], where: str) -> IndicatorRule:
    from motcua.indicators.formulas import FORMULAS

    rule = IndicatorRule(
        id=str(data["id"]),
        name=str(data["name"]),
        formula=str(data["formula"]),
        max=_decimal(data["max"], f"{where}.max"),
        threshold=None
        if data.get("threshold") is None
        else _decimal(data["threshold"], f"{where}.threshold"),
        zero_denominator=str(data["zero_denominator"]),
        scope=str(data["scope"]),
        source=str(data["source"]),
        note=str(data.get("note", "")),
    )
    if rule.id not in CONTRACT_IDS:
        raise InvalidRulebook(f"{where}: unknown indicator id {rule.id!r}")
    if rule.formula not in FORMULAS:
        raise InvalidRulebook(f"{where}: unknown formula {rule.formula!r}")
    if rule.max <= 0:
        raise InvalidRulebook(f"{where}: max must be positive")
    if rule.threshold is not None and not Decimal(0) < rule.threshold <= Decimal(1):
        raise InvalidRulebook(f"{where}: threshold must be in (0, 1]")
    if rule.zero_denominator not in ZERO_RULES:
        raise InvalidRulebook(f"{where}: zero_denominator must be one of {sorted(ZERO_RULES)}")
    if rule.scope not in SCOPES:
        raise InvalidRulebook(f"{where}: scope must be one of {sorted(SCOPES)}")
    return rule


def parse_rulebook(data: dict[str, Any]) -> Rulebook:
    """Build and validate a rulebook: contract ids used once, known formulas, group maxima equal the
    sum of their items, 100 points in all, a valid period."""
    where = str(data.get("id", "?"))
    try:
        groups = tuple(
            Group(
                id=str(g["id"]),
                name=str(g["name"]),
                max=_decimal(g["max"], f"{where}.{g['id']}.max"),
                indicators=tuple(
                    _indicator(i, f"{where}.{g['id']}.{i.get('id', '?')}") for i in g["indicators"]
                ),
            )
            for g in data["groups"]
        )
        book = Rulebook(
            id=str(data["id"]),
            name=str(data["name"]),
            source=str(data["source"]),
            valid_from=dt.date.fromisoformat(data["valid_from"]),
            valid_to=dt.date.fromisoformat(data["valid_to"]) if data.get("valid_to") else None,
            out_of_scope=str(data["out_of_scope"]),
            groups=groups,
            note=str(data.get("note", "")),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise InvalidRulebook(f"{where}: {exc!r}") from exc
    ids = [rule.id for rule in book.indicators]
    if len(ids) != len(set(ids)):
        raise InvalidRulebook(f"{where}: an indicator id is used twice")
    if len({g.id for g in groups}) != len(groups):
        raise InvalidRulebook(f"{where}: a group id is used twice")
    for group in groups:
        if sum((rule.max for rule in group.indicators), Decimal(0)) != group.max:
            raise InvalidRulebook(f"{where}.{group.id}: the items' maxima do not add up to {group.max}")
    if sum((g.max for g in groups), Decimal(0)) != TOTAL_POINTS:
        raise InvalidRulebook(f"{where}: the groups do not add up to {TOTAL_POINTS} points")
    if book.valid_to is not None and book.valid_to < book.valid_from:
        raise InvalidRulebook(f"{where}: valid_to is before valid_from")
    if book.out_of_scope not in ZERO_RULES:
        raise InvalidRulebook(f"{where}: out_of_scope must be one of {sorted(ZERO_RULES)}")
    return book


@cache
def rulebooks() -> dict[str, Rulebook]:
    """Every rulebook shipped in this folder, by id, oldest first."""
    books = [
        parse_rulebook(json.loads(path.read_text(encoding="utf-8")))
        for path in sorted(DIRECTORY.glob("*.json"))
    ]
    books.sort(key=lambda b: b.valid_from)
    return {book.id: book for book in books}


class NoRulebook(DomainError):
    """No rulebook is in force on the day asked for."""


def get_rulebook(rulebook_id: str) -> Rulebook:
    try:
        return rulebooks()[rulebook_id]
    except KeyError:
        raise NotFound(
            _("Không có bộ chỉ số «%(id)s»; các bộ chỉ số hiện có: %(ids)s.")
            % {"id": rulebook_id[:40], "ids": ", ".join(rulebooks())}
        ) from None


def rulebook_for(day: dt.date, rulebook_id: str | None = None) -> Rulebook:
    """The rulebook with ``rulebook_id`` when given (any period may be scored under it: "past periods
    can be recomputed"), else the one in force on ``day``."""
    if rulebook_id:
        return get_rulebook(rulebook_id)
    for book in rulebooks().values():
        if book.in_force_on(day):
            return book
    raise NoRulebook(
        _("Không có bộ chỉ số nào có hiệu lực ngày %(day)s; hãy chọn bộ chỉ số bằng --rulebook.")
        % {"day": day.strftime("%d/%m/%Y")}
    )
