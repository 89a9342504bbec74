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
- closing day of withdrawn dossiers: ``withdrawn``.
"""

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from django.db import connection
from django.db.models import Count, Q

from motcua.catalog.models import OnlineLevel
from motcua.core.worktime import to_local
from motcua.dossiers.models import CountedFacts, DailyCounter, Dossier, DossierComponent, DossierEvent
from motcua.dossiers.ontime import Timeline, is_on_time
from motcua.dossiers.workflow import Channel, EventKind, Status

Key = tuple[int, dt.date, str]
Facts = Counter[Key]

CHUNK = 2000  # dossiers per round of queries (an import of 2000 dossiers refreshes in one round)
# The end of time for a terminal verdict: every event of the dossier is looked at.
FOREVER = dt.datetime(9999, 1, 1, tzinfo=dt.UTC)
ONLINE_CAPABLE = (OnlineLevel.FULL, OnlineLevel.PARTIAL)
# Statuses whose closing time ends a received dossier (2.1 "end", after processed and returned).
CLOSING = frozenset({Status.STOPPED, Status.REJECTED, Status.WITHDRAWN})
_FIELDS = (
    "pk",
    "responsible_unit_id",
    "channel",
    "status",
    "received_at",
    "processed_at",
    "returned_at",
    "closed_at",
    "due_at",
    "fee_vnd",
    "is_paid_online",
    "is_result_electronic",
    "is_vneid_verified",
    "is_population_data_used",
    "online_level",
    "procedure__online_level",
    "procedure__result_required",
    "procedure__full_online_eligible",
)


@dataclass(frozen=True)
class Row:
    pk: int
    unit_id: int
    channel: int
    status: str
    received_at: dt.datetime | None
    processed_at: dt.datetime | None
    returned_at: dt.datetime | None
    closed_at: dt.datetime | None
    due_at: dt.datetime | None
    fee_vnd: int
    is_paid_online: bool
    is_result_electronic: bool
    is_vneid_verified: bool
    is_population_data_used: bool
    online_level: str
    procedure_online_level: str
    result_required: bool
    full_online_eligible: bool

    @property
    def ended_at(self) -> dt.datetime | None:
        """2.1 end: processed > returned > stopped / refused / withdrawn (closing time)."""
        closing = self.closed_at if self.status in CLOSING else None
        return self.processed_at or self.returned_at or closing

    def level_in(self, levels: Sequence[str]) -> bool:
        return self.online_level in levels or (
            not self.online_level and self.procedure_online_level in levels
        )


@dataclass
class _Papers:
    total: int = 0
    digitized: int = 0
    reused: int = 0
    from_store: int = 0


@dataclass
class _History:
    # (at, id, due_at) of the ``received`` events; times of supplementation requests and completions
    receipts: list[tuple[dt.datetime, int, dt.datetime | None]]
    requests: list[dt.datetime]
    completions: list[dt.datetime]


def _chunks(ids: Iterable[int]) -> Iterator[list[int]]:
    ordered = sorted(set(ids))
    for i in range(0, len(ordered), CHUNK):
        yield ordered[i : i + CHUNK]


def _rows(ids: Sequence[int]) -> list[Row]:
    return [Row(*values) for values in Dossier.objects.filter(pk__in=ids).order_by().values_list(*_FIELDS)]


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


def _histories(ids: Sequence[int]) -> dict[int, _History]:
    found: dict[int, _History] = defaultdict(lambda: _History([], [], []))
    kinds = (EventKind.RECEIVED, EventKind.SUPPLEMENT_REQUESTED, EventKind.SUPPLEMENT_COMPLETED)
    events = (
        DossierEvent.objects.filter(dossier_id__in=ids, kind__in=kinds)
        .order_by()
        .values_list("dossier_id", "kind", "at", "id", "due_at")
    )
    for dossier_id, kind, at, pk, due_at in events:
        history = found[dossier_id]
        if kind == EventKind.RECEIVED:
            history.receipts.append((at, pk, due_at))
        elif kind == EventKind.SUPPLEMENT_REQUESTED:
            history.requests.append(at)
        else:
            history.completions.append(at)
    return found


def verdict(row: Row, history: _History | None, as_of: dt.datetime) -> bool:
    """QĐ 766 2.1 for one received dossier looked at ``as_of``, read exactly as the formula reads it:
    the appointment of the first ``received`` event (else the dossier's), the requests after
    reception up to ``as_of``, the first completion after the first request."""
    received = row.received_at
    if received is None:
        raise ValueError("2.1 is judged on received dossiers only")
    history = history or _History([], [], [])
    requests = sorted(at for at in history.requests if received <= at <= as_of)
    first_request = requests[0] if requests else None
    completions = sorted(
        at for at in history.completions if first_request is not None and first_request <= at <= as_of
    )
    receipts = sorted(history.receipts, key=lambda r: (r[0], r[1]))
    appointment = receipts[0][2] if receipts and receipts[0][2] is not None else row.due_at
    timeline = Timeline(
        received_at=received,
        due_at=appointment,
        ended_at=row.ended_at,
        supplement_requests=len(requests),
        supplement_requested_at=first_request,
        supplement_completed_at=completions[0] if completions else None,
    )
    return is_on_time(timeline, as_of)


def _day(at: dt.datetime) -> dt.date:
    return to_local(at).date()


def facts_of(row: Row, papers: _Papers | None, history: _History | None) -> Facts:
    """The facts one dossier contributes (module docstring)."""
    facts: Facts = Counter()
    unit = row.unit_id

    def add(at: dt.datetime, *metrics: str) -> None:
        day = _day(at)
        for metric in metrics:
            facts[(unit, day, metric)] += 1

    if row.status == Status.WITHDRAWN and row.closed_at is not None:
        add(row.closed_at, "withdrawn")
    issued = row.processed_at or row.returned_at
    if row.result_required and issued is not None:
        add(issued, "results_issued", *(["results_electronic"] if row.is_result_electronic else []))
    if row.received_at is None:
        return facts
    received = row.received_at
    online = row.channel == Channel.ONLINE
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
        metrics.append("population_data")
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
    return facts


def compute(ids: Sequence[int]) -> dict[int, Facts]:
    """The facts of the dossiers ``ids`` (at most ``CHUNK``), in three queries."""
    papers = _papers(ids)
    histories = _histories(ids)
    return {row.pk: facts_of(row, papers.get(row.pk), histories.get(row.pk)) for row in _rows(ids)}


def on_time_verdicts(ids: Iterable[int], as_of: dt.datetime) -> dict[int, tuple[bool | None, bool]]:
    """For each received dossier of ``ids``: (its terminal verdict if it has a terminal status, else
    None; its verdict looked at ``as_of``). Used by ``indicators.counters`` for dossiers not ended by
    the period's ``as_of``."""
    found: dict[int, tuple[bool | None, bool]] = {}
    for chunk in _chunks(ids):
        histories = _histories(chunk)
        for row in _rows(chunk):
            if row.received_at is None:
                continue
            history = histories.get(row.pk)
            terminal = verdict(row, history, FOREVER) if row.ended_at is not None else None
            found[row.pk] = (terminal, verdict(row, history, as_of))
    return found


def _decode(stored: Iterable[Sequence[object]]) -> Facts:
    facts: Facts = Counter()
    for unit, day, metric, n in stored:
        facts[(int(str(unit)), dt.date.fromisoformat(str(day)), str(metric))] += int(str(n))
    return facts


def _encode(facts: Facts) -> list[list[object]]:
    return [[unit, day.isoformat(), metric, n] for (unit, day, metric), n in sorted(facts.items()) if n]


def add_to_counters(delta: Facts) -> None:
    """Add ``delta`` to the counters in one statement per 300 keys: an atomic upsert, keys sorted so
    concurrent transactions lock rows in the same order."""
    items = sorted((key, n) for key, n in delta.items() if n)
    table = connection.ops.quote_name(DailyCounter._meta.db_table)
    for i in range(0, len(items), 300):
        part = items[i : i + 300]
        values = ", ".join(["(%s, %s, %s, %s)"] * len(part))
        params: list[int | str | dt.date] = []
        for (unit, day, metric), n in part:
            params += [unit, day, metric, n]
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} (unit_id, day, metric, value) VALUES {values} "  # noqa: S608
                f"ON CONFLICT (unit_id, day, metric) DO UPDATE SET value = {table}.value + excluded.value",
                params,
            )


def refresh(dossier_ids: Iterable[int]) -> None:
    """Bring the counters up to date with the dossiers ``dossier_ids`` (the one entry point: ``_move``,
    ``add_components``, the form-signature event on a closed dossier and the dossier import call it
    in their transaction). Idempotent."""
    for chunk in _chunks(dossier_ids):
        before = {
            dossier_id: _decode(facts)
            for dossier_id, facts in CountedFacts.objects.filter(dossier_id__in=chunk).values_list(
                "dossier_id", "facts"
            )
        }
        after = compute(chunk)
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
    match. Returns the counters that changed. The caller runs it in one transaction."""
    truth: Facts = Counter()
    snapshots: list[CountedFacts] = []
    ids = Dossier.objects.order_by("pk").values_list("pk", flat=True)
    for chunk in _chunks(ids.iterator(chunk_size=5000)):
        before = {
            dossier_id: _decode(facts)
            for dossier_id, facts in CountedFacts.objects.filter(dossier_id__in=chunk).values_list(
                "dossier_id", "facts"
            )
        }
        for dossier_id, facts in compute(chunk).items():
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
    return changes
