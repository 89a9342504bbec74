"""The report, the ranking and the trends read the live counters (``indicators.counters.formula_for``),
many units and months with one grouped query per period, and give the formulas' numbers."""

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext

from motcua.dossiers import counters as live
from motcua.dossiers.models import DailyCounter, MonthlyCounter, QuarterlyCounter, YearlyCounter
from motcua.dossiers.workflow import Channel, Status
from motcua.indicators.counters import COUNTED
from motcua.indicators.formulas import FORMULAS
from motcua.indicators.formulas.base import NONE
from motcua.indicators.ranking import score_units
from motcua.indicators.report import indicator_report, ratios
from motcua.indicators.rulebooks import rulebook_for
from motcua.indicators.scope import scope_for
from motcua.indicators.scoring import score
from motcua.indicators.tests.builders import AUGUST, World, at, make_dossier
from motcua.indicators.trends import monthly_scores

DECEMBER = at(1, 0, month=12)


def _some_dossiers(w: World) -> None:
    make_dossier(w.commune, w.online, channel=Channel.ONLINE, status=Status.PROCESSED, processed_at=at(9))
    make_dossier(w.commune, w.online, status=Status.PROCESSED, processed_at=at(16))  # late
    make_dossier(w.other_commune, w.partial, fee_vnd=20000, is_paid_online=True, channel=Channel.ONLINE)
    make_dossier(w.other_commune, w.offline, due_at=at(9))  # open, late at the end of August


def test_report_scores_equal_the_formulas(world: World) -> None:
    _some_dossiers(world)
    book = rulebook_for(AUGUST[1])
    for unit in (world.commune, world.other_commune, world.district, world.province):
        scope = scope_for(unit, *AUGUST, DECEMBER)
        oracle = {
            rule.id: FORMULAS[rule.formula](scope_for(unit, *AUGUST, DECEMBER))
            if rule.applies_to(unit.level)
            else NONE
            for rule in book.indicators
        }
        counted = ratios(book, scope)
        assert counted == oracle, unit.code
        assert score(book, counted, unit.level) == score(book, oracle, unit.level)


def test_the_report_reads_the_counters_not_the_dossiers(world: World) -> None:
    """A counter changed behind the services' back shows in the report (and ``recount`` repairs it):
    proof that the board's numbers come from the counters."""
    _some_dossiers(world)
    day = at(7).date()
    # August is a whole month (the monthly roll-up); 2–20 August reads the days
    MonthlyCounter.objects.filter(unit=world.commune, month=AUGUST[0], metric="received").update(value=12)
    DailyCounter.objects.filter(unit=world.commune, day=day, metric="received").update(value=7)

    def on_time_denominator(date_from: dt.date, date_to: dt.date) -> int:
        report = indicator_report(world.district, date_from, date_to, now=DECEMBER)
        items = {item.id: item for group in report.score.groups for item in group.indicators}
        return items["2.1"].denominator

    days = (dt.date(2023, 8, 2), dt.date(2023, 8, 20))
    assert on_time_denominator(*AUGUST) == 12 + 2
    assert on_time_denominator(*days) == 7 + 2
    # a whole quarter and a whole year read their own roll-ups
    third, year = (dt.date(2023, 7, 1), dt.date(2023, 9, 30)), (dt.date(2023, 1, 1), dt.date(2023, 12, 31))
    QuarterlyCounter.objects.filter(unit=world.commune, quarter=third[0], metric="received").update(value=20)
    YearlyCounter.objects.filter(unit=world.commune, year=year[0], metric="received").update(value=30)
    assert on_time_denominator(*third) == 20 + 2
    assert on_time_denominator(*year) == 30 + 2
    # July–December: the third quarter, then October–December as the fourth
    assert on_time_denominator(dt.date(2023, 7, 1), dt.date(2023, 12, 31)) == 20 + 2
    live.recount()
    for period in (AUGUST, days, third, year):
        assert on_time_denominator(*period) == 4


def test_many_units_and_months_cost_one_or_two_counter_queries_per_period(world: World) -> None:
    _some_dossiers(world)
    book = rulebook_for(AUGUST[1])
    # the first unit does not cover the others: every batched read must use all the units
    units = [world.commune, world.other_commune, world.district, world.province]
    with CaptureQueriesContext(connection) as queries:
        scores = score_units(units, book, *AUGUST, DECEMBER)
    counter_reads = [q for q in queries.captured_queries if "counter" in q["sql"]]
    assert 1 <= len(counter_reads) <= 2  # the sums and the procedures used (one query on PostgreSQL)
    assert all("dossiers_monthlycounter" in q["sql"] for q in counter_reads)  # a whole month: the roll-up
    for unit in units:  # the same numbers as one unit at a time
        alone = indicator_report(unit, *AUGUST, now=DECEMBER).score
        assert scores[unit.pk] == alone, unit.code
    assert scores[world.commune.pk].total != scores[world.other_commune.pk].total

    with CaptureQueriesContext(connection) as queries:
        months = monthly_scores(world.district, dt.date(2023, 6, 1), dt.date(2023, 8, 31), None, DECEMBER)
    assert [m.month for m in months] == [dt.date(2023, 6, 1), dt.date(2023, 7, 1), dt.date(2023, 8, 1)]
    counter_reads = [q for q in queries.captured_queries if "dossiers_monthlycounter" in q["sql"]]
    assert 3 <= len(counter_reads) <= 2 * 3  # one or two per month
    assert not [q for q in queries.captured_queries if "dossiers_dailycounter" in q["sql"]]
    august = score_units([world.district], book, *AUGUST, DECEMBER)[world.district.pk]
    assert months[-1].total == august.total


def test_every_counted_key_is_used_by_formula_for() -> None:
    from motcua.indicators.counters import formula_for

    assert all(formula_for(key) is COUNTED[key] for key in COUNTED)
    assert formula_for("feedback_on_time") is FORMULAS["feedback_on_time"]
