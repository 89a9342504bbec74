"""The indicator report of a unit and period: the rulebook's score, the targets and the late steps,
and its JSON form (interchange contract v1, ``indicators --format json``; shared/interchange/README.md).
The command and the API both answer with ``as_json(indicator_report(...))``."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from motcua.core.errors import DomainError
from motcua.core.worktime import TZ
from motcua.indicators.counters import formula_for, prime
from motcua.indicators.formulas.base import NONE, Ratio
from motcua.indicators.late import LateStep, late_steps
from motcua.indicators.rulebooks import Rulebook, rulebook_for
from motcua.indicators.scope import Scope, scope_for
from motcua.indicators.scoring import Score, score
from motcua.indicators.targets import TargetResult, target_results
from motcua.organizations.models import Unit


class InvalidPeriod(DomainError):
    pass


@dataclass(frozen=True)
class IndicatorReport:
    unit: Unit
    date_from: dt.date
    date_to: dt.date
    rulebook: Rulebook
    score: Score
    targets: list[TargetResult]
    late_steps: list[LateStep]


def ratios(rulebook: Rulebook, scope: Scope) -> dict[str, Ratio]:
    """Every item's numerator and denominator (from the live counters where they exist:
    ``indicators.counters.formula_for``); items outside their scope are not computed."""
    prime([scope])
    return {
        rule.id: formula_for(rule.formula)(scope) if rule.applies_to(scope.unit.level) else NONE
        for rule in rulebook.indicators
    }


def indicator_report(
    unit: Unit,
    date_from: dt.date,
    date_to: dt.date,
    rulebook_id: str | None = None,
    now: dt.datetime | None = None,
) -> IndicatorReport:
    """Score ``unit`` (with its sub-units) over ``[date_from, date_to]`` under the rulebook in force on
    ``date_to`` or the one named. Raises ``InvalidPeriod``, ``NotFound`` (rulebook), ``NoRulebook``."""
    if date_from > date_to:
        raise InvalidPeriod(
            _("Ngày bắt đầu %(start)s sau ngày kết thúc %(end)s.")
            % {"start": date_from.isoformat(), "end": date_to.isoformat()}
        )
    rulebook = rulebook_for(date_to, rulebook_id)
    scope = scope_for(unit, date_from, date_to, now)
    return IndicatorReport(
        unit=unit,
        date_from=date_from,
        date_to=date_to,
        rulebook=rulebook,
        score=score(rulebook, ratios(rulebook, scope), unit.level),
        targets=target_results(scope),
        late_steps=late_steps(scope),
    )


def _number(value: Decimal) -> int | float:
    """A JSON number: integral values as integers (``"max": 20``), others as decimals (``17.5``)."""
    return int(value) if value == value.to_integral_value() else float(value)


def _points(value: Decimal) -> float:
    return float(value)


def _time(value: dt.datetime | None) -> str | None:
    return value.astimezone(TZ).isoformat(timespec="seconds") if value is not None else None


def as_json(report: IndicatorReport) -> dict[str, Any]:
    return {
        "unit": report.unit.code,
        "from": report.date_from.isoformat(),
        "to": report.date_to.isoformat(),
        "rulebook": report.rulebook.id,
        "total": _points(report.score.total),
        "groups": [
            {
                "id": group.id,
                "score": _points(group.score),
                "max": _number(group.max),
                "indicators": [
                    {
                        "id": item.id,
                        "numerator": item.numerator,
                        "denominator": item.denominator,
                        "rate": float(item.rate),
                        "score": _points(item.score),
                        "max": _number(item.max),
                    }
                    for item in group.indicators
                ],
            }
            for group in report.score.groups
        ],
        "targets": [
            {"id": t.id, "value": float(t.value), "target": float(t.target), "gap": float(t.gap)}
            for t in report.targets
        ],
        "late_steps": [
            {
                "code": s.code,
                "step": s.step,
                "actor": s.actor,
                "due_at": _time(s.due_at),
                "finished_at": _time(s.finished_at),
            }
            for s in report.late_steps
        ],
    }
