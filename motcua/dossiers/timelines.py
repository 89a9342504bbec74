"""The dossier rows and QĐ 766 2.1 timelines the live counters (``dossiers.counters``) read: one row
of each dossier, its reception / supplementation history, its verdict at any instant (``verdict``, the
rule of ``dossiers.ontime`` read exactly as the formula reads it), the timeline of a dossier still open
(``open_timeline``: on time until one instant, late from another) and the month ends a dossier was open
at (``cutoffs``). VPCP "Mô tả công thức tính chỉ số 766" row 2.1, domain-research §2.2."""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from motcua.core.worktime import TZ, month_start, to_local
from motcua.dossiers.models import Dossier, DossierEvent
from motcua.dossiers.ontime import Timeline, is_on_time
from motcua.dossiers.workflow import EventKind, Status

CHUNK = 2000  # dossiers per round of queries (an import of 2000 dossiers refreshes in one round)
# The end of time for a terminal verdict: every event of the dossier is looked at.
FOREVER = dt.datetime(9999, 1, 1, tzinfo=dt.UTC)
# Statuses whose closing time ends a received dossier (2.1 "end", after processed and returned).
CLOSING = frozenset({Status.STOPPED, Status.REJECTED, Status.WITHDRAWN})
_FIELDS = (
    "pk",
    "responsible_unit_id",
    "procedure_id",
    "channel",
    "status",
    "submitted_at",
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
    procedure_id: int
    channel: int
    status: str
    submitted_at: dt.datetime | None
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
class History:
    # (at, id, due_at) of the ``received`` events; times of supplementation requests and completions
    receipts: list[tuple[dt.datetime, int, dt.datetime | None]]
    requests: list[dt.datetime]
    completions: list[dt.datetime]


def chunks(ids: Iterable[int]) -> Iterator[list[int]]:
    ordered = sorted(set(ids))
    for i in range(0, len(ordered), CHUNK):
        yield ordered[i : i + CHUNK]


def rows_of(ids: Sequence[int]) -> list[Row]:
    return [Row(*values) for values in Dossier.objects.filter(pk__in=ids).order_by().values_list(*_FIELDS)]


def histories_of(ids: Sequence[int]) -> dict[int, History]:
    found: dict[int, History] = defaultdict(lambda: History([], [], []))
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


@dataclass(frozen=True)
class _Parts:
    appointment: dt.datetime | None
    requests: list[dt.datetime]  # at or after reception, sorted
    completions: list[dt.datetime]  # at or after the first request, sorted


def _parts(row: Row, history: History | None) -> _Parts:
    """What 2.1 reads of a dossier's history: the appointment of the first ``received`` event (else
    the dossier's), the supplementation requests after reception, the completions after the first."""
    received = row.received_at
    if received is None:
        raise ValueError("2.1 is judged on received dossiers only")
    history = history or History([], [], [])
    requests = sorted(at for at in history.requests if received <= at)
    completions = sorted(at for at in history.completions if requests and requests[0] <= at)
    receipts = sorted(history.receipts, key=lambda r: (r[0], r[1]))
    appointment = receipts[0][2] if receipts and receipts[0][2] is not None else row.due_at
    return _Parts(appointment, requests, completions)


def verdict(row: Row, history: History | None, as_of: dt.datetime) -> bool:
    """QĐ 766 2.1 for one received dossier looked at ``as_of``, read exactly as the formula reads it:
    the appointment of the first ``received`` event (else the dossier's), the requests after
    reception up to ``as_of``, the first completion after the first request."""
    parts = _parts(row, history)
    requests = [at for at in parts.requests if at <= as_of]
    first_request = requests[0] if requests else None
    completions = [at for at in parts.completions if first_request is not None and at <= as_of]
    timeline = Timeline(
        received_at=row.received_at,
        due_at=parts.appointment,
        ended_at=row.ended_at,
        supplement_requests=len(requests),
        supplement_requested_at=first_request,
        supplement_completed_at=completions[0] if completions else None,
    )
    return is_on_time(timeline, as_of)


@dataclass(frozen=True)
class Open:
    """An ``OpenTimeline`` row: a received dossier without an end, judged at T ≤ now as on time iff
    (``good_until`` is None or T ≤ ``good_until``) and (``late_from`` is None or T < ``late_from``)."""

    unit_id: int
    received_at: dt.datetime
    good_until: dt.datetime | None
    late_from: dt.datetime | None


def open_timeline(row: Row, history: History | None) -> Open | None:
    """The 2.1 timeline of a received dossier without an end, None for any other. With r1, r2 the first
    two requests after reception, c1 the first completion after r1 and ``due`` the appointment,
    ``verdict`` at T < r2 reads: before r1, T ≤ due; from r1 until c1, the end is r1, so r1 ≤ due; from
    c1, the end is T − (c1 − r1), so T ≤ due + (c1 − r1). Hence on time until ``good_until`` = due
    (no request, or r1 > due), none while r1 ≤ due is pending (the applicant's time does not count),
    due + (c1 − r1) once back; no appointment ⇒ none; late from r2 (two requests) whatever the dates.
    Exact for every T up to the dossier's last event (tests: ``test_open_timeline_is_the_verdict``)."""
    if row.received_at is None or row.ended_at is not None:
        return None
    parts = _parts(row, history)
    due, requests = parts.appointment, parts.requests
    late_from = requests[1] if len(requests) > 1 else None
    good_until: dt.datetime | None
    if due is None:
        good_until = None
    elif not requests or requests[0] > due:
        good_until = due
    elif not parts.completions:
        good_until = None
    else:
        good_until = due + (parts.completions[0] - requests[0])
    return Open(row.unit_id, row.received_at, good_until, late_from)


def cutoffs(after: dt.datetime, before: dt.datetime) -> Iterator[tuple[str, dt.datetime]]:
    """``("YYYY-MM", T)`` for each end T of a local month with ``after`` < T < ``before``: the month
    periods a dossier received at ``after`` and ended at ``before`` was open at the end of."""
    month = month_start(to_local(after).date(), 1)
    while (cutoff := dt.datetime.combine(month, dt.time(), tzinfo=TZ)) < before:
        if cutoff > after:
            yield f"{month - dt.timedelta(days=1):%Y-%m}", cutoff
        month = month_start(month, 1)


def on_time_verdicts(ids: Iterable[int], as_of: dt.datetime) -> dict[int, tuple[bool | None, bool]]:
    """For each received dossier of ``ids``: (its terminal verdict if it has a terminal status, else
    None; its verdict looked at ``as_of``). Used by ``indicators.counters`` for dossiers not ended by
    the period's ``as_of``."""
    found: dict[int, tuple[bool | None, bool]] = {}
    for chunk in chunks(ids):
        histories = histories_of(chunk)
        for row in rows_of(chunk):
            if row.received_at is None:
                continue
            history = histories.get(row.pk)
            terminal = verdict(row, history, FOREVER) if row.ended_at is not None else None
            found[row.pk] = (terminal, verdict(row, history, as_of))
    return found
