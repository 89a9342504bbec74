"""Scores by month (diễn biến theo tháng): the total and each group's score for each calendar month.

The months are those of the period when it spans more than one month, else the twelve months ending
with the period's month. Each month is scored on its own local days ``[1st, last day]`` (clipped to the
period when the period's months are used), under one rulebook for the whole series so the months
compare; months that have not begun yet are left out.
"""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from motcua.core.worktime import month_end, month_start
from motcua.indicators.counters import prime
from motcua.indicators.report import ratios
from motcua.indicators.rulebooks import rulebook_for
from motcua.indicators.scope import scope_for, unit_tree
from motcua.indicators.scoring import score
from motcua.organizations.models import Unit


@dataclass(frozen=True)
class MonthScore:
    month: dt.date  # the first day of the month
    date_from: dt.date
    date_to: dt.date
    total: Decimal
    groups: tuple[tuple[str, Decimal], ...]  # (group id, score), in the rulebook's order


def trend_months(date_from: dt.date, date_to: dt.date) -> list[tuple[dt.date, dt.date]]:
    """The ``(first, last)`` days of each month scored for the period."""
    if month_start(date_from) == month_start(date_to):
        firsts = [month_start(date_to, shift) for shift in range(-11, 1)]
        return [(first, month_end(first)) for first in firsts]
    months = []
    first = month_start(date_from)
    while first <= date_to:
        months.append((max(first, date_from), min(month_end(first), date_to)))
        first = month_start(first, 1)
    return months


def monthly_scores(
    unit: Unit,
    date_from: dt.date,
    date_to: dt.date,
    rulebook_id: str | None = None,
    now: dt.datetime | None = None,
) -> list[MonthScore]:
    rulebook = rulebook_for(date_to, rulebook_id)
    today = timezone.localdate(now) if now is not None else timezone.localdate()
    tree = unit_tree()
    scopes = [
        scope_for(unit, start, end, now, tree=tree)
        for start, end in trend_months(date_from, date_to)
        if start <= today
    ]
    prime(scopes)
    result = []
    for scope in scopes:
        start, end = scope.date_from, scope.date_to
        unit_score = score(rulebook, ratios(rulebook, scope), unit.level)
        result.append(
            MonthScore(
                month=month_start(start),
                date_from=start,
                date_to=end,
                total=unit_score.total,
                groups=tuple((group.id, group.score) for group in unit_score.groups),
            )
        )
    return result
