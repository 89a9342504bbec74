"""Paper register against the system: the same three numbers counted by the system, the difference
paper − system, and the dossiers an officer checks against the book.

**Unit.** The unit itself only, not the units below it: a paper register is kept per unit (each
commune's counter keeps its own book), so a district's book is compared with the district's dossiers.
Dossiers belong to their **responsible** unit, as in every indicator (docs/indicators.md).

**Period.** ``[date_from, date_to]`` in local days (Asia/Ho_Chi_Minh), from ``indicators.scope``; looked
at as of the period end (or now).

**Register.** The reception book counts every dossier; a field's book counts the dossiers of
procedures of that field (``Procedure.field``).

**System counts.**

- *received*: dossiers received in the period (``received_at``; the base of QĐ 766 dossier indicators);
- *finished*: dossiers whose result was issued in the period, received whenever: the first of
  ``processed_at`` (Đã xử lý xong) and ``returned_at`` (Đã trả kết quả), as indicator 4.1 reads it. A
  dossier stopped, refused or withdrawn is not "finished" here (the book's "đã giải quyết" column);
- *late*: the finished dossiers judged late by the 2.1 rule (``dossiers.ontime`` through
  ``formulas.dossiers.judged``: appointment given at reception, supplementation time subtracted, more
  than one supplementation request is late).

**The paper book counts more** (difference > 0): candidates for the dossiers the system is missing,
each with its reason (``Reason``), of the unit and field:

- submitted in the period but never received (online, waiting for reception or supplementation);
- refused at reception (status "not received") or withdrawn before reception, submitted in the period:
  a counter may have written them in the book;
- no reception time although the dossier went past reception (imported without ``received_at``, or a
  reception event without it);
- received at this unit's counter in the period for another responsible unit (reception regardless of
  administrative boundary, NĐ 61/2018 Điều 14): in the counter's book, counted by the other unit;
- received within ``BOUNDARY_DAYS`` days before or after the period (a book entry written on the next
  working day after a weekend or on the wrong side of a month end; "after" is read whenever the
  comparison is made, it is what the officer needs to find);

and for the finished column: stopped, refused or withdrawn after reception with the closing in the
period; a result recorded (number or date) in the period without the dossier being marked processed;
a result issued within ``BOUNDARY_DAYS`` days of the period. No candidates for the late column.

**The system counts more** (difference < 0): the system's own dossiers of that column in the book's
order (reception time, then code; for the finished and late columns the time the result was issued),
with the applicant's name, so the officer ticks them one by one against the book.
"""

import dataclasses
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from motcua.dossiers.models import Dossier, DossierEvent
from motcua.dossiers.workflow import BEFORE_RECEPTION, EventKind, Status
from motcua.indicators.formulas.base import issued as issued_in
from motcua.indicators.formulas.base import received as received_in
from motcua.indicators.formulas.dossiers import TIMELINE_FIELDS, judged, timeline_of
from motcua.indicators.ontime import is_on_time
from motcua.indicators.reconciliation.models import RegisterCount, RegisterKind
from motcua.indicators.scope import Scope, local_midnight, scope_for

BOUNDARY_DAYS = 3
# Statuses only a received dossier can have
AFTER_RECEPTION = frozenset(Status) - BEFORE_RECEPTION - {Status.NOT_RECEIVED, Status.WITHDRAWN}
ENDED_WITHOUT_RESULT = (Status.STOPPED, Status.REJECTED, Status.WITHDRAWN)
# Before any dossier the system could hold: the start of the window for "received before the period end"
EPOCH = dt.date(1970, 1, 1)
LINE_FIELDS = ("pk", "code", "status", "applicant_name", "submitted_at", "received_at", "procedure__name")


class Reason:
    """Why a dossier is a candidate for one the system misses (shown and exported)."""

    NOT_RECEIVED_YET = _("Nộp trực tuyến trong kỳ, chưa được tiếp nhận")
    REFUSED = _("Không được tiếp nhận (từ chối tại quầy)")
    WITHDRAWN_BEFORE = _("Rút trước khi tiếp nhận")
    NO_RECEPTION_TIME = _("Không có thời điểm tiếp nhận trên hệ thống")
    FORWARDED = _("Tiếp nhận tại quầy của đơn vị, đơn vị khác giải quyết")
    BEFORE_PERIOD = _("Tiếp nhận ngay trước kỳ")
    AFTER_PERIOD = _("Tiếp nhận ngay sau kỳ")
    ENDED_WITHOUT_RESULT = _("Dừng, từ chối hoặc rút sau tiếp nhận trong kỳ")
    RESULT_NOT_MARKED = _("Có số/ngày kết quả trong kỳ nhưng chưa chuyển «đã xử lý xong»")
    ISSUED_BEFORE = _("Có kết quả ngay trước kỳ")
    ISSUED_AFTER = _("Có kết quả ngay sau kỳ")


@dataclass(frozen=True)
class Line:
    """One dossier of a list: what the officer reads against the book."""

    pk: int
    code: str
    status: str
    applicant_name: str
    submitted_at: dt.datetime
    received_at: dt.datetime | None
    procedure: str
    at: dt.datetime | None  # the time that orders the list (reception, or the result issued)
    reason: str = ""

    @property
    def status_label(self) -> str:
        return str(Status(self.status).label)


@dataclass(frozen=True)
class Measure:
    """One column of the book: paper, system, paper − system (None when the book's number was not
    entered), and the dossiers to check."""

    key: str
    label: str
    paper: int | None
    system: int
    candidates: list[Line]  # paper > system: dossiers the system may be missing
    system_lines: list[Line]  # system > paper: the system's dossiers in the book's order

    @property
    def difference(self) -> int | None:
        return None if self.paper is None else self.paper - self.system


@dataclass(frozen=True)
class Comparison:
    entry: RegisterCount
    scope: Scope
    measures: list[Measure]

    @property
    def matches(self) -> bool:
        return all(m.difference in (0, None) for m in self.measures)


def register_scope(entry: RegisterCount, now: dt.datetime | None = None) -> Scope:
    """The entry's unit alone (not its sub-units) and period."""
    scope = scope_for(entry.unit, entry.date_from, entry.date_to, now=now)
    return dataclasses.replace(scope, unit_ids=[entry.unit_id])


def _of_register(qs: QuerySet[Dossier], entry: RegisterCount) -> QuerySet[Dossier]:
    if entry.kind == RegisterKind.FIELD and entry.field_id is not None:
        return qs.filter(procedure__field_id=entry.field_id)
    return qs


def _lines(qs: QuerySet[Dossier], at: str, reason: str = "") -> list[Line]:
    rows = qs.annotate(order_at=F(at)).order_by(F("order_at").asc(nulls_last=True), "code")
    return [
        Line(pk, code, status, name, submitted_at, received_at, procedure, order_at, str(reason))
        for pk, code, status, name, submitted_at, received_at, procedure, order_at in rows.values_list(
            *LINE_FIELDS, "order_at"
        ).iterator(chunk_size=2000)
    ]


def _issued(qs: QuerySet[Dossier]) -> QuerySet[Dossier]:
    return qs.annotate(issued_at=Coalesce("processed_at", "returned_at"))


def received_dossiers(entry: RegisterCount, scope: Scope) -> QuerySet[Dossier]:
    return _of_register(received_in(scope), entry)


def finished_dossiers(entry: RegisterCount, scope: Scope) -> QuerySet[Dossier]:
    return _of_register(issued_in(scope), entry)


def late_ids(entry: RegisterCount, scope: Scope) -> set[int]:
    """The finished dossiers judged late (2.1) as of the period's cut-off. ``judged`` reads the
    dossiers received in its scope: widened here to everything received before the period end, then
    narrowed to the finished ones."""
    wide = dataclasses.replace(scope, date_from=EPOCH, start=local_midnight(EPOCH))
    finished = finished_dossiers(entry, scope).values("pk")
    rows = judged(wide).filter(pk__in=finished).values_list("pk", *TIMELINE_FIELDS)
    return {
        pk
        for pk, *fields in rows.iterator(chunk_size=2000)
        if not is_on_time(timeline_of(*fields), scope.as_of)
    }


def _within(field: str, start: dt.datetime, end: dt.datetime) -> Q:
    return Q(**{f"{field}__gte": start, f"{field}__lt": end})


def received_candidates(entry: RegisterCount, scope: Scope) -> list[Line]:
    """Dossiers the reception column of the book may count that the system does not (module doc)."""
    own = _of_register(Dossier.objects.filter(responsible_unit_id=entry.unit_id), entry)
    submitted = own.filter(_within("submitted_at", scope.start, scope.end), received_at__isnull=True)
    reception_event = Exists(DossierEvent.objects.filter(dossier=OuterRef("pk"), kind=EventKind.RECEIVED))
    margin = dt.timedelta(days=BOUNDARY_DAYS)
    forwarded = _of_register(
        Dossier.objects.filter(receiving_unit_id=entry.unit_id).exclude(responsible_unit_id=entry.unit_id),
        entry,
    ).filter(_within("received_at", scope.start, scope.end), received_at__lte=scope.as_of)
    groups: Iterable[tuple[QuerySet[Dossier], str, Any]] = (
        (submitted.filter(status__in=BEFORE_RECEPTION), "submitted_at", Reason.NOT_RECEIVED_YET),
        (submitted.filter(status=Status.NOT_RECEIVED), "submitted_at", Reason.REFUSED),
        (
            submitted.filter(status=Status.WITHDRAWN).exclude(reception_event),
            "submitted_at",
            Reason.WITHDRAWN_BEFORE,
        ),
        (
            submitted.filter(Q(status__in=AFTER_RECEPTION) | (Q(status=Status.WITHDRAWN) & reception_event)),
            "submitted_at",
            Reason.NO_RECEPTION_TIME,
        ),
        (forwarded, "received_at", Reason.FORWARDED),
        (
            own.filter(_within("received_at", scope.start - margin, scope.start)),
            "received_at",
            Reason.BEFORE_PERIOD,
        ),
        (
            own.filter(_within("received_at", scope.end, scope.end + margin)),
            "received_at",
            Reason.AFTER_PERIOD,
        ),
    )
    return [line for qs, at, reason in groups for line in _lines(qs, at, reason)]


def finished_candidates(entry: RegisterCount, scope: Scope) -> list[Line]:
    """Dossiers the finished column of the book may count that the system does not (module doc)."""
    own = _of_register(Dossier.objects.filter(responsible_unit_id=entry.unit_id), entry)
    no_result = Q(processed_at__isnull=True, returned_at__isnull=True)
    margin = dt.timedelta(days=BOUNDARY_DAYS)
    issued = _issued(own)
    first_day, last_day = scope.date_from, scope.date_to
    groups: Iterable[tuple[QuerySet[Dossier], str, Any]] = (
        (
            own.filter(
                no_result,
                _within("closed_at", scope.start, scope.end),
                status__in=ENDED_WITHOUT_RESULT,
                received_at__isnull=False,
                closed_at__lte=scope.as_of,
            ),
            "closed_at",
            Reason.ENDED_WITHOUT_RESULT,
        ),
        (
            own.filter(no_result, result_date__gte=first_day, result_date__lte=last_day).exclude(
                status__in=ENDED_WITHOUT_RESULT
            ),
            "received_at",
            Reason.RESULT_NOT_MARKED,
        ),
        (
            issued.filter(_within("issued_at", scope.start - margin, scope.start)),
            "issued_at",
            Reason.ISSUED_BEFORE,
        ),
        (
            issued.filter(_within("issued_at", scope.end, scope.end + margin)),
            "issued_at",
            Reason.ISSUED_AFTER,
        ),
    )
    return [line for qs, at, reason in groups for line in _lines(qs, at, reason)]


def compare(entry: RegisterCount, now: dt.datetime | None = None) -> Comparison:
    """The entry's book against the system (module doc for every rule)."""
    scope = register_scope(entry, now)
    received = received_dossiers(entry, scope)
    finished = finished_dossiers(entry, scope)
    n_received = received.count()
    n_finished = finished.count()
    late = late_ids(entry, scope)

    def measure(key: str, label: Any, paper: int | None, system: int, lines: Any, candidates: Any) -> Measure:
        more_on_paper = paper is not None and paper > system
        fewer_on_paper = paper is not None and paper < system
        return Measure(
            key=key,
            label=str(label),
            paper=paper,
            system=system,
            candidates=candidates() if more_on_paper else [],
            system_lines=lines() if fewer_on_paper else [],
        )

    measures = [
        measure(
            "received",
            _("Hồ sơ tiếp nhận"),
            entry.received,
            n_received,
            lambda: _lines(received, "received_at"),
            lambda: received_candidates(entry, scope),
        ),
        measure(
            "finished",
            _("Hồ sơ đã giải quyết"),
            entry.finished,
            n_finished,
            lambda: _lines(finished, "issued_at"),
            lambda: finished_candidates(entry, scope),
        ),
        measure(
            "late",
            _("Hồ sơ giải quyết quá hạn"),
            entry.late,
            len(late),
            lambda: _lines(finished.filter(pk__in=late), "issued_at"),
            list,
        ),
    ]
    return Comparison(entry=entry, scope=scope, measures=measures)
