"""Live per-unit, per-day counters (số liệu tổng hợp theo ngày) for the QĐ 766 dossier indicators.

Each dossier contributes *facts* ``(unit, local day, metric) → n``, derived from its current row, its
provided components and its events with the same definitions as ``indicators.formulas.dossiers``
(VPCP "Mô tả công thức tính chỉ số 766", domain-research §2.2). ``DailyCounter`` holds the sum of the
facts of all dossiers; ``CountedFacts`` keeps what each dossier last contributed. ``refresh`` (the one
entry point, called by every event writer in its transaction) recomputes the facts of the dossiers it
is given and applies the difference with one atomic upsert (``INSERT … ON CONFLICT DO UPDATE SET value
= value + excluded.value``, the same SQL on PostgreSQL and SQLite), keys in a fixed order so that
concurrent writers never deadlock. Refreshing twice changes nothing, so callers may refresh freely.

Days are local dates (Asia/Ho_Chi_Minh) and the unit is the responsible unit, as in the formulas:

- reception day (``received_at``) of received dossiers: ``received``, ``received_online``,
  ``online_result`` (3.3), ``online_capable`` (Decision 1217), ``full_online_eligible`` /
  ``full_online``, ``fee`` / ``paid_online`` (3.6), ``papers_digitized`` (digitized at reception),
  ``papers_digitized_paper_result`` (of those, a procedure issuing a document whose result is out and
  not electronic: 4.2),
  ``reused`` (4.3), ``from_store`` (4.4), ``population_data`` (4.5b), ``components`` /
  ``components_digitized`` / ``components_reused`` / ``components_from_store`` (provided papers),
  ``ended_on_time`` / ``ended_late`` (2.1 verdict of a dossier with a terminal status);
- result day (processed, else returned) of dossiers whose procedure issues a document:
  ``results_issued`` / ``results_electronic`` (4.1);
- end day of received dossiers with a terminal status: ``finished``, ``finished_on_time``,
  ``finished_late``;
- closing day of withdrawn dossiers: ``withdrawn``;
- procedures used (QĐ 766 3.2, 3.5, the payment transaction row, 4.5a): ``use:<use>:<procedure id>``,
  one per dossier of the kind (``USE_METRICS``) on its submission day (3.2, online dossiers) or its
  reception day (the others), so the procedures a unit used in a period are the metrics with a
  positive sum.

``MonthlyCounter``, ``QuarterlyCounter`` and ``YearlyCounter`` hold each month's, quarter's and year's
sum of the daily values (``ROLL_UPS``), written in the same statements.
"""

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import Count, DateField, Q, Sum
from django.db.models.functions import Trunc

from motcua.catalog.models import OnlineLevel
from motcua.core.worktime import period_end, period_start, to_local
from motcua.dossiers.models import (
    CountedFacts,
    DailyCounter,
    Dossier,
    DossierComponent,
    MonthlyCounter,
    OpenTimeline,
    QuarterlyCounter,
    RollUpCounter,
    YearlyCounter,
)
from motcua.dossiers.timelines import (
    CHUNK,
    FOREVER,
    History,
    Open,
    Row,
    chunks,
    cutoffs,
    histories_of,
    open_timeline,
    rows_of,
    verdict,
)
from motcua.dossiers.workflow import Channel, Status

Key = tuple[int, dt.date, str]
Facts = Counter[Key]
# The roll-ups of the daily counters: (model, its period column, named as its span in ``SPANS``).
ROLL_UPS: tuple[tuple[type[RollUpCounter], str], ...] = tuple(
    (model, model.SPAN) for model in (MonthlyCounter, QuarterlyCounter, YearlyCounter)
)

# The month-end facts: ``cutoff_<fact>:<YYYY-MM>`` (``facts_of``).
CUTOFF_PREFIX = "cutoff_"
ONLINE_CAPABLE = (OnlineLevel.FULL, OnlineLevel.PARTIAL)
# Procedures used, by the names of ``indicators.formulas.catalog.USES`` → the code in the metric: 3.2
# online services used (online dossiers, submission day), 3.5 procedures with fee data, the payment
# transaction row, 4.5a procedures with population data (received dossiers, reception day).
USE_CODES = {"3.2": "3.2", "3.5": "3.5", "payment_transaction": "pay", "4.5a": "4.5a"}
USE_NAMES = {code: name for name, code in USE_CODES.items()}
USE_PREFIX = "use:"


def use_metric(use: str, procedure_id: int) -> str:
    """The counter of "a dossier of ``use`` for procedure ``procedure_id``" (≤ 28 characters)."""
    return f"{USE_PREFIX}{USE_CODES[use]}:{procedure_id}"


def parse_use(metric: str) -> tuple[str, int] | None:
    """``(use, procedure id)`` of a ``use_metric``, None for any other metric."""
    if not metric.startswith(USE_PREFIX):
        return None
    code, _, procedure = metric[len(USE_PREFIX) :].rpartition(":")
    return USE_NAMES[code], int(procedure)


@dataclass
class _Papers:
    total: int = 0
    digitized: int = 0
    reused: int = 0
    from_store: int = 0


def _papers(ids: Sequence[int]) -> dict[int, _Papers]:
    rows = (
        DossierComponent.objects.filter(dossier_id__in=ids, is_provided=True)
        .order_by()
        .values("dossier_id")
        .annotate(
            n=Count("pk"),
            digitized=Count("pk", filter=Q(is_digitized=True)),
            reused=Count("pk", filter=Q(is_reused=True)),
            from_store=Count("pk", filter=Q(is_from_store=True)),
        )
    )
    return {r["dossier_id"]: _Papers(r["n"], r["digitized"], r["reused"], r["from_store"]) for r in rows}


def _day(at: dt.datetime) -> dt.date:
    return to_local(at).date()


def facts_of(row: Row, papers: _Papers | None, history: History | None) -> Facts:
    """The facts one dossier contributes (module docstring)."""
    facts: Facts = Counter()
    unit = row.unit_id

    def add(at: dt.datetime, *metrics: str) -> None:
        day = _day(at)
        for metric in metrics:
            facts[(unit, day, metric)] += 1

    online = row.channel == Channel.ONLINE
    if online and row.submitted_at is not None:
        add(row.submitted_at, use_metric("3.2", row.procedure_id))
    if row.status == Status.WITHDRAWN and row.closed_at is not None:
        add(row.closed_at, "withdrawn")
    issued = row.processed_at or row.returned_at
    if row.result_required and issued is not None:
        add(issued, "results_issued", *(["results_electronic"] if row.is_result_electronic else []))
    if row.received_at is None:
        return facts
    received = row.received_at
    p = papers or _Papers()
    metrics = ["received"]
    if online:
        metrics.append("received_online")
        if not row.result_required or row.is_result_electronic:
            metrics.append("online_result")
        if row.level_in(ONLINE_CAPABLE):
            metrics.append("online_capable")
    if row.full_online_eligible:
        metrics.append("full_online_eligible")
        if online and row.level_in((OnlineLevel.FULL,)):
            metrics.append("full_online")
    if row.fee_vnd > 0:
        metrics.append("fee")
        if row.is_paid_online:
            metrics.append("paid_online")
    if p.total and p.digitized == p.total:
        metrics.append("papers_digitized")
        if row.result_required and not row.is_result_electronic and issued is not None:
            # 4.2 leaves these out once the paper result is out (``indicators.counters.digitized``)
            metrics.append("papers_digitized_paper_result")
    if p.reused:
        metrics.append("reused")
    if p.from_store:
        metrics.append("from_store")
    if row.is_vneid_verified or row.is_population_data_used or p.from_store:
        metrics += ["population_data", use_metric("4.5a", row.procedure_id)]
    if row.fee_vnd > 0:
        metrics.append(use_metric("3.5", row.procedure_id))
    if row.is_paid_online:
        metrics.append(use_metric("payment_transaction", row.procedure_id))
    add(received, *metrics)
    day = _day(received)
    for metric, n in (
        ("components", p.total),
        ("components_digitized", p.digitized),
        ("components_reused", p.reused),
        ("components_from_store", p.from_store),
    ):
        if n:
            facts[(unit, day, metric)] += n
    ended = row.ended_at
    if ended is not None:
        good = verdict(row, history, FOREVER)
        add(received, "ended_on_time" if good else "ended_late")
        add(ended, "finished", "finished_on_time" if good else "finished_late")
        # open at the end of a month it ended after: its verdict then, and its terminal one
        for month, cutoff in cutoffs(received, ended):
            if verdict(row, history, cutoff):
                add(received, f"{CUTOFF_PREFIX}on_time:{month}")
            if good:
                add(received, f"{CUTOFF_PREFIX}ended_on_time:{month}")
    first_issued = min((at for at in (row.processed_at, row.returned_at) if at is not None), default=None)
    if "papers_digitized_paper_result" in metrics and first_issued is not None:
        # 4.2: every paper digitized, a paper result out only after the end of a month
        for month, _cutoff in cutoffs(received, first_issued):
            add(received, f"{CUTOFF_PREFIX}paper_later:{month}")
    return facts


def _state(ids: Sequence[int]) -> dict[int, tuple[Facts, Open | None]]:
    """The facts and the open timeline of the dossiers ``ids`` (at most ``CHUNK``), in three queries."""
    papers = _papers(ids)
    histories = histories_of(ids)
    return {
        row.pk: (
            facts_of(row, papers.get(row.pk), histories.get(row.pk)),
            open_timeline(row, histories.get(row.pk)),
        )
        for row in rows_of(ids)
    }


def compute(ids: Sequence[int]) -> dict[int, Facts]:
    """The facts of the dossiers ``ids`` (at most ``CHUNK``), in three queries."""
    return {pk: facts for pk, (facts, _open) in _state(ids).items()}


def align_open(wanted: dict[int, Open | None]) -> int:
    """Make ``OpenTimeline`` hold ``wanted`` for these dossiers (None: no row). Returns rows written."""
    stored = {
        row.dossier_id: Open(row.unit_id, row.received_at, row.good_until, row.late_from)
        for row in OpenTimeline.objects.filter(dossier_id__in=list(wanted))
    }
    gone = [pk for pk, open_ in wanted.items() if open_ is None and pk in stored]
    changed = [
        OpenTimeline(
            dossier_id=pk,
            unit_id=open_.unit_id,
            received_at=open_.received_at,
            good_until=open_.good_until,
            late_from=open_.late_from,
        )
        for pk, open_ in wanted.items()
        if open_ is not None and stored.get(pk) != open_
    ]
    if gone:
        OpenTimeline.objects.filter(dossier_id__in=gone).delete()
    if changed:
        OpenTimeline.objects.bulk_create(
            changed,
            update_conflicts=True,
            unique_fields=["dossier"],
            update_fields=["unit", "received_at", "good_until", "late_from"],
        )
    return len(gone) + len(changed)


def _decode(stored: Iterable[Sequence[object]]) -> Facts:
    facts: Facts = Counter()
    for unit, day, metric, n in stored:
        facts[(int(str(unit)), dt.date.fromisoformat(str(day)), str(metric))] += int(str(n))
    return facts


def _encode(facts: Facts) -> list[list[object]]:
    return [[unit, day.isoformat(), metric, n] for (unit, day, metric), n in sorted(facts.items()) if n]


def add_to_counters(delta: Facts) -> None:
    """Add ``delta`` to the daily counters and to their roll-ups (``ROLL_UPS``), in one statement per
    300 keys each: an atomic upsert, keys sorted so concurrent transactions lock rows in the same order."""
    _upsert(DailyCounter._meta.db_table, "day", delta)
    for model, span in ROLL_UPS:
        periods: Facts = Counter()
        for (unit, day, metric), n in delta.items():
            periods[(unit, period_start(day, span), metric)] += n
        _upsert(model._meta.db_table, span, periods)


def _upsert(db_table: str, day_column: str, delta: Facts) -> None:
    items = sorted((key, n) for key, n in delta.items() if n)
    table = connection.ops.quote_name(db_table)
    for i in range(0, len(items), 300):
        part = items[i : i + 300]
        values = ", ".join(["(%s, %s, %s, %s)"] * len(part))
        params: list[int | str | dt.date] = []
        for (unit, day, metric), n in part:
            params += [unit, day, metric, n]
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} (unit_id, {day_column}, metric, value) VALUES {values} "  # noqa: S608
                f"ON CONFLICT (unit_id, {day_column}, metric) "
                f"DO UPDATE SET value = {table}.value + excluded.value",
                params,
            )


def refresh(dossier_ids: Iterable[int]) -> None:
    """Bring the counters up to date with the dossiers ``dossier_ids`` (the one entry point: ``_move``,
    ``add_components``, the form-signature event on a closed dossier and the dossier import call it
    in their transaction). Idempotent."""
    for chunk in chunks(dossier_ids):
        before = {
            dossier_id: _decode(facts)
            for dossier_id, facts in CountedFacts.objects.filter(dossier_id__in=chunk).values_list(
                "dossier_id", "facts"
            )
        }
        state = _state(chunk)
        align_open(
            {dossier_id: state[dossier_id][1] if dossier_id in state else None for dossier_id in chunk}
        )
        after = {dossier_id: facts for dossier_id, (facts, _open) in state.items()}
        delta: Facts = Counter()
        changed: list[CountedFacts] = []
        for dossier_id in chunk:
            new = after.get(dossier_id, Counter())
            old = before.get(dossier_id, Counter())
            if new == old:
                continue
            delta.update(new)
            delta.subtract(old)
            changed.append(CountedFacts(dossier_id=dossier_id, facts=_encode(new)))
        if not changed:
            continue
        add_to_counters(delta)
        CountedFacts.objects.bulk_create(
            changed, update_conflicts=True, unique_fields=["dossier"], update_fields=["facts"]
        )


def refresh_one(dossier: Dossier) -> None:
    if dossier.pk is not None:
        refresh([dossier.pk])


# --- the oracle: rebuild from dossiers and events ------------------------------------------------------


@dataclass(frozen=True)
class Change:
    unit_id: int
    day: dt.date
    metric: str
    old: int
    new: int


def _in_range(day: dt.date, date_from: dt.date | None, date_to: dt.date | None) -> bool:
    return (date_from is None or day >= date_from) and (date_to is None or day <= date_to)


def recount(date_from: dt.date | None = None, date_to: dt.date | None = None) -> list[Change]:
    """Recompute every dossier's facts from its row, components and events and set the counters of the
    days in ``[date_from, date_to]`` (all days when open) to their sums; the snapshots are set to
    match, and so are the open timelines and the roll-ups. Returns the counters that changed.
    The caller runs it in one transaction."""
    truth: Facts = Counter()
    snapshots: list[CountedFacts] = []
    ids = Dossier.objects.order_by("pk").values_list("pk", flat=True)
    for chunk in chunks(ids.iterator(chunk_size=5000)):
        before = {
            dossier_id: _decode(facts)
            for dossier_id, facts in CountedFacts.objects.filter(dossier_id__in=chunk).values_list(
                "dossier_id", "facts"
            )
        }
        state = _state(chunk)
        align_open(
            {dossier_id: state[dossier_id][1] if dossier_id in state else None for dossier_id in chunk}
        )
        for dossier_id, (facts, _open) in state.items():
            inside = Counter({k: n for k, n in facts.items() if _in_range(k[1], date_from, date_to)})
            outside = Counter(
                {
                    k: n
                    for k, n in before.get(dossier_id, Counter()).items()
                    if not _in_range(k[1], date_from, date_to)
                }
            )
            truth.update(inside)
            kept = inside + outside
            if kept != before.get(dossier_id, Counter()):
                snapshots.append(CountedFacts(dossier_id=dossier_id, facts=_encode(kept)))
    current = DailyCounter.objects.all()
    if date_from is not None:
        current = current.filter(day__gte=date_from)
    if date_to is not None:
        current = current.filter(day__lte=date_to)
    stored = {(c.unit_id, c.day, c.metric): c for c in current}
    changes: list[Change] = []
    for key in sorted(set(stored) | {k for k, n in truth.items() if n}):
        row = stored.get(key)
        old = row.value if row is not None else 0
        new = truth.get(key, 0)
        if old != new:
            changes.append(Change(key[0], key[1], key[2], old, new))
    stale = [stored[(c.unit_id, c.day, c.metric)].pk for c in changes if c.new == 0]
    for i in range(0, len(stale), CHUNK):
        DailyCounter.objects.filter(pk__in=stale[i : i + CHUNK]).delete()
    update = [
        stored[(c.unit_id, c.day, c.metric)]
        for c in changes
        if c.new and (c.unit_id, c.day, c.metric) in stored
    ]
    for row in update:
        row.value = truth[(row.unit_id, row.day, row.metric)]
    DailyCounter.objects.bulk_update(update, ["value"], batch_size=CHUNK)
    DailyCounter.objects.bulk_create(
        [
            DailyCounter(unit_id=c.unit_id, day=c.day, metric=c.metric, value=c.new)
            for c in changes
            if c.new and (c.unit_id, c.day, c.metric) not in stored
        ],
        batch_size=CHUNK,
    )
    CountedFacts.objects.bulk_create(
        snapshots, update_conflicts=True, unique_fields=["dossier"], update_fields=["facts"], batch_size=CHUNK
    )
    roll_up(date_from, date_to)
    return changes


def roll_up(date_from: dt.date | None = None, date_to: dt.date | None = None) -> int:
    """Set the roll-ups (``ROLL_UPS``) of the periods touching ``[date_from, date_to]`` (all when open)
    to the sums of their daily counters, writing only the differences. Returns the number of rows
    written."""
    return sum(_roll_up(model, span, date_from, date_to) for model, span in ROLL_UPS)


def _roll_up(model: Any, span: str, date_from: dt.date | None, date_to: dt.date | None) -> int:
    """``roll_up`` of one roll-up model (typed ``Any``: one body for three models)."""
    daily = DailyCounter.objects.all()
    stored_rows = model.objects.all()
    if date_from is not None:
        daily = daily.filter(day__gte=period_start(date_from, span))
        stored_rows = stored_rows.filter(**{f"{span}__gte": period_start(date_from, span)})
    if date_to is not None:
        daily = daily.filter(day__lte=period_end(date_to, span))
        stored_rows = stored_rows.filter(**{f"{span}__lte": period_start(date_to, span)})
    truth = {
        (unit, start, metric): int(total)
        for unit, start, metric, total in daily.annotate(start=Trunc("day", span, output_field=DateField()))
        .order_by()
        .values_list("unit_id", "start", "metric")
        .annotate(total=Sum("value"))
        if total
    }
    stored = {(r.unit_id, getattr(r, span), r.metric): r for r in stored_rows}
    stale = [row.pk for key, row in stored.items() if key not in truth]
    for i in range(0, len(stale), CHUNK):
        model.objects.filter(pk__in=stale[i : i + CHUNK]).delete()
    update = []
    for key, row in stored.items():
        if key in truth and row.value != truth[key]:
            row.value = truth[key]
            update.append(row)
    model.objects.bulk_update(update, ["value"], batch_size=CHUNK)
    create = [
        model(unit_id=unit, **{span: start}, metric=metric, value=value)
        for (unit, start, metric), value in truth.items()
        if (unit, start, metric) not in stored
    ]
    model.objects.bulk_create(create, batch_size=CHUNK)
    return len(stale) + len(update) + len(create)
