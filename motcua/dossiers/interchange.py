"""``dossiers.csv`` and ``events.csv`` (interchange contract v1), see docs/interchange.md.

Both files are read and checked completely (also against the units, procedures and dossiers already in
the database) before anything is written; the import then runs in one transaction. Dossiers are upserted
by code; events are history and only ever appended: an event already in the system (same dossier, time,
kind and step) is skipped, so importing the same files twice changes nothing.

The import is the door for history handled elsewhere: it stores statuses and events as given and does
not run the workflow services (``dossiers.services``), which are for changes happening here.
"""

import datetime as dt
from collections import defaultdict, deque
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import IO, Any

from django.db import IntegrityError, transaction
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.accounts.identity import applicant_id_problem
from motcua.catalog.models import OnlineLevel, Procedure
from motcua.core.csvfile import (
    CsvRecord,
    ImportSummary,
    Writable,
    duplicate_code_problems,
    read_csv_table,
    sort_problems,
    write_csv_table,
)
from motcua.core.errors import InputProblem, InvalidInput, NotFound
from motcua.core.models import IssuedNumber, NumberSequence
from motcua.core.numbering import (
    InvalidDossierCode,
    dossier_scope,
    format_dossier_code,
    parse_dossier_code,
)
from motcua.core.worktime import TZ
from motcua.dossiers import counters
from motcua.dossiers.models import Dossier, DossierComponent, DossierEvent, DossierStep, Rating
from motcua.dossiers.workflow import (
    CLOSED,
    INTERCHANGE_EVENT_KINDS,
    NATIONAL_STATUS,
    Channel,
    EventKind,
    Status,
    Verdict,
)
from motcua.organizations.models import Unit

DOSSIER_COLUMNS = (
    "code",
    "procedure_code",
    "unit_code",
    "channel",
    "online_level",
    "applicant_id",
    "own_account",
    "vneid_verified",
    "submitted_at",
    "received_at",
    "due_at",
    "status",
    "fee_vnd",
    "paid_online",
    "components_total",
    "components_digitized",
    "components_reused",
    "components_from_store",
    "result_electronic",
    "population_data_used",
    "rating",
)
EVENT_COLUMNS = ("code", "at", "kind", "step", "actor", "due_at")

# The canonical internal status of each national code (DVCQG TrangThaiHoSo). Code 5 is also
# INTAKE_SUPPLEMENT (before reception), 4 also SUSPENDED and 8 also REJECTED: see ``internal_status``.
STATUS_FROM_NATIONAL: dict[int, Status] = {
    1: Status.SUBMITTED,
    2: Status.RECEIVED,
    3: Status.NOT_RECEIVED,
    4: Status.PROCESSING,
    5: Status.AWAITING_SUPPLEMENT,
    6: Status.AWAITING_PAYMENT,
    7: Status.WITHDRAWN,
    8: Status.STOPPED,
    9: Status.PROCESSED,
    10: Status.RETURNED,
}
# The dossier was received (has ``received_at``) in these national statuses, and was not in these.
_RECEIVED_STATUSES = frozenset({2, 4, 6, 8, 9, 10})
_NOT_RECEIVED_STATUSES = frozenset({1, 3})

STEP_KINDS = frozenset({EventKind.STEP_STARTED, EventKind.STEP_FINISHED})
_EVENT_KIND_ORDER = [k.value for k in EventKind if k in INTERCHANGE_EVENT_KINDS]

# Version 1 carries only counts of components: a dossier without components gets this many numbered
# placeholders, the first ``components_digitized`` flagged digitized and so on (docs/interchange.md).
PLACEHOLDER_NAME = "Thành phần {position}"
COMPONENTS_MAX = 999
CODE_MAX_LENGTH = Dossier._meta.get_field("code").max_length or 40
STEP_NAME_MAX_LENGTH = DossierEvent._meta.get_field("step_name").max_length or 255
ACTOR_MAX_LENGTH = DossierEvent._meta.get_field("actor_name").max_length or 200
FEE_MAX = 2**63 - 1
_IN_CHUNK = 500  # ids per ``__in`` query: stays below every backend's parameter limit


@dataclass(frozen=True)
class DossierRow:
    """One row of ``dossiers.csv``; a datetime is None when its cell is empty (or was wrong)."""

    row: int
    code: str
    procedure_code: str
    unit_code: str
    channel: int
    online_level: str
    applicant_id: str
    own_account: bool
    vneid_verified: bool
    submitted_at: dt.datetime | None
    received_at: dt.datetime | None
    due_at: dt.datetime | None
    status: int
    fee_vnd: int
    paid_online: bool
    components_total: int
    components_digitized: int
    components_reused: int
    components_from_store: int
    result_electronic: bool
    population_data_used: bool
    rating: str


@dataclass(frozen=True)
class EventRow:
    """One row of ``events.csv``."""

    row: int
    code: str
    at: dt.datetime | None
    kind: str
    step: str
    actor: str
    due_at: dt.datetime | None


@dataclass(frozen=True)
class DossierFiles:
    """The checked contents of a ``dossiers.csv`` and an ``events.csv``."""

    dossiers: list[DossierRow]
    events: list[EventRow]


class InvalidDossierFiles(InvalidInput):
    """The files were rejected; the problems of each file are kept apart so they can be reported with
    the file's name. ``problems`` holds them all."""

    def __init__(self, dossier_problems: Iterable[InputProblem], event_problems: Iterable[InputProblem]):
        self.dossier_problems = sort_problems(dossier_problems, DOSSIER_COLUMNS)
        self.event_problems = sort_problems(event_problems, EVENT_COLUMNS)
        super().__init__([*self.dossier_problems, *self.event_problems])


@dataclass(frozen=True)
class DossierImportSummary:
    dossiers: ImportSummary
    events_added: int = 0
    events_unchanged: int = 0

    def __str__(self) -> str:
        return _("Hồ sơ: %(dossiers)s Sự kiện: %(added)d dòng thêm mới, %(unchanged)d dòng đã có.") % {
            "dossiers": self.dossiers,
            "added": self.events_added,
            "unchanged": self.events_unchanged,
        }


def internal_status(national: int, *, is_received: bool, kinds: Sequence[str] = ()) -> Status:
    """The internal status for a national status code, given whether the dossier was received and its
    event kinds in time order. The national code is coarser: 5 is a supplementation request before or
    after reception, 4 covers a suspension (the national portal shows it as processing), 8 covers both
    stopping and refusal (từ chối giải quyết). The events tell them apart."""
    if national == 5:
        return Status.AWAITING_SUPPLEMENT if is_received else Status.INTAKE_SUPPLEMENT
    if national == 4 and _last_of(kinds, {EventKind.SUSPENDED, EventKind.RESUMED}) == EventKind.SUSPENDED:
        return Status.SUSPENDED
    if national == 8 and _last_of(kinds, {EventKind.REFUSED, EventKind.STOPPED}) == EventKind.REFUSED:
        return Status.REJECTED
    return STATUS_FROM_NATIONAL[national]


def _last_of(kinds: Sequence[str], among: Collection[str]) -> str | None:
    return next((k for k in reversed(kinds) if k in among), None)


def step_verdict(*, finished_at: dt.datetime, due_at: dt.datetime) -> Verdict:
    """TT 01/2018 form 05: finished on an earlier (local) day than the deadline is early, by the deadline
    on time, after it late."""
    if finished_at > due_at:
        return Verdict.LATE
    if finished_at.astimezone(TZ).date() < due_at.astimezone(TZ).date():
        return Verdict.EARLY
    return Verdict.ON_TIME


# --- reading cells ---------------------------------------------------------------------------------


def _parse_datetime(text: str) -> tuple[dt.datetime | None, str | None]:
    if not text:
        return None, None
    try:
        value = dt.datetime.fromisoformat(text)
    except ValueError:
        return None, _("«%(value)s» không phải thời điểm ISO 8601 (ví dụ 2023-08-14T09:05:00+07:00).") % {
            "value": text
        }
    if value.tzinfo is None or value.utcoffset() is None:
        return None, _(
            "Thời điểm «%(value)s» thiếu múi giờ; ghi kèm độ lệch, ví dụ 2023-08-14T09:05:00+07:00."
        ) % {"value": text}
    return value, None


def _parse_bool(text: str) -> tuple[bool, str | None]:
    if text in {"0", "1"}:
        return text == "1", None
    return False, _("Giá trị «%(value)s» không hợp lệ; chỉ ghi 0 hoặc 1.") % {"value": text}


def _parse_count(text: str, maximum: int) -> tuple[int, str | None]:
    if not text:
        return 0, _("Cần ghi một số nguyên; ghi 0 nếu không có.")
    if not text.isascii() or not text.isdigit():
        return 0, _("«%(value)s» không phải số nguyên không âm (không dùng dấu phân cách hàng nghìn).") % {
            "value": text
        }
    value = int(text)
    if value > maximum:
        return 0, _("Giá trị %(value)d vượt quá mức tối đa %(max)d.") % {"value": value, "max": maximum}
    return value, None


def _parse_code(text: str, choices: Sequence[str]) -> tuple[int, str | None]:
    if text in choices:
        return int(text), None
    return 0, _choice_problem(text, choices)


def _choice_problem(value: str, choices: Sequence[str]) -> str | None:
    if value in choices:
        return None
    return _("Giá trị «%(value)s» không hợp lệ; chọn một trong: %(choices)s.") % {
        "value": value,
        "choices": ", ".join(choices),
    }


def _canonical_code(text: str) -> tuple[str, str | None]:
    """The printed form of a dossier code, or the problem with it."""
    try:
        code = str(parse_dossier_code(text))
    except InvalidDossierCode as exc:
        return text, exc.message
    if len(code) > CODE_MAX_LENGTH:
        return code, _("Mã hồ sơ dài quá %(max)d ký tự.") % {"max": CODE_MAX_LENGTH}
    return code, None


class _Cells:
    """Collects the problems of one record's cells, one per column."""

    def __init__(self, record: CsvRecord) -> None:
        self.record = record
        self.problems: list[InputProblem] = []

    def add(self, column: str, message: str | None) -> None:
        if message:
            self.problems.append(InputProblem(message, field=column, row=self.record.row))

    def take[T](self, column: str, parse: Callable[[str], tuple[T, str | None]]) -> T:
        value, message = parse(self.record.cells[column])
        self.add(column, message)
        return value


def _dossier_row(record: CsvRecord) -> tuple[DossierRow, list[InputProblem]]:
    c = record.cells
    cells = _Cells(record)
    code = cells.take("code", _canonical_code)
    channel = cells.take("channel", lambda t: _parse_code(t, [str(c) for c in Channel.values]))
    cells.add("online_level", _choice_problem(c["online_level"], OnlineLevel.values))
    if c["applicant_id"]:
        cells.add("applicant_id", applicant_id_problem(c["applicant_id"]))
    status = cells.take("status", lambda t: _parse_code(t, [str(n) for n in STATUS_FROM_NATIONAL]))
    submitted_at = cells.take("submitted_at", _parse_datetime)
    if not c["submitted_at"]:
        cells.add("submitted_at", _("Cần ghi thời điểm nộp hồ sơ."))
    if c["rating"]:
        cells.add("rating", _choice_problem(c["rating"], Rating.values))
    row = DossierRow(
        row=record.row,
        code=code,
        procedure_code=c["procedure_code"],
        unit_code=c["unit_code"],
        channel=channel,
        online_level=c["online_level"],
        applicant_id=c["applicant_id"],
        own_account=cells.take("own_account", _parse_bool),
        vneid_verified=cells.take("vneid_verified", _parse_bool),
        submitted_at=submitted_at,
        received_at=cells.take("received_at", _parse_datetime),
        due_at=cells.take("due_at", _parse_datetime),
        status=status,
        fee_vnd=cells.take("fee_vnd", lambda t: _parse_count(t, FEE_MAX)),
        paid_online=cells.take("paid_online", _parse_bool),
        components_total=cells.take("components_total", lambda t: _parse_count(t, COMPONENTS_MAX)),
        components_digitized=cells.take("components_digitized", lambda t: _parse_count(t, COMPONENTS_MAX)),
        components_reused=cells.take("components_reused", lambda t: _parse_count(t, COMPONENTS_MAX)),
        components_from_store=cells.take("components_from_store", lambda t: _parse_count(t, COMPONENTS_MAX)),
        result_electronic=cells.take("result_electronic", _parse_bool),
        population_data_used=cells.take("population_data_used", _parse_bool),
        rating=c["rating"],
    )
    bad = {p.field for p in cells.problems}
    for column in ("components_digitized", "components_reused", "components_from_store"):
        if (
            column not in bad
            and "components_total" not in bad
            and getattr(row, column) > row.components_total
        ):
            cells.add(
                column,
                _("Số thành phần (%(count)d) lớn hơn tổng số thành phần components_total (%(total)d).")
                % {"count": getattr(row, column), "total": row.components_total},
            )
    if row.submitted_at and row.received_at and row.received_at < row.submitted_at:
        cells.add("received_at", _("Thời điểm tiếp nhận sớm hơn thời điểm nộp hồ sơ."))
    if "status" not in bad and "received_at" not in bad:
        if row.status in _RECEIVED_STATUSES and row.received_at is None:
            cells.add(
                "received_at",
                _("Hồ sơ ở trạng thái %(status)d đã được tiếp nhận: cần ghi thời điểm tiếp nhận.")
                % {"status": row.status},
            )
        if row.status in _NOT_RECEIVED_STATUSES and row.received_at is not None:
            cells.add(
                "received_at",
                _("Hồ sơ ở trạng thái %(status)d chưa được tiếp nhận: để trống thời điểm tiếp nhận.")
                % {"status": row.status},
            )
    return row, cells.problems


def _event_row(record: CsvRecord) -> tuple[EventRow, list[InputProblem]]:
    c = record.cells
    cells = _Cells(record)
    code = cells.take("code", _canonical_code)
    at = cells.take("at", _parse_datetime)
    if not c["at"]:
        cells.add("at", _("Cần ghi thời điểm của sự kiện."))
    kind = c["kind"]
    cells.add("kind", _choice_problem(kind, _EVENT_KIND_ORDER))
    if kind in STEP_KINDS and not c["step"]:
        cells.add("step", _("Cần ghi tên bước xử lý cho sự kiện «%(kind)s».") % {"kind": kind})
    elif c["step"] and kind in INTERCHANGE_EVENT_KINDS and kind not in STEP_KINDS:
        cells.add("step", _("Chỉ ghi tên bước cho sự kiện step_started và step_finished; để trống ô này."))
    if len(c["step"]) > STEP_NAME_MAX_LENGTH:
        cells.add("step", _("Tên bước dài quá %(max)d ký tự.") % {"max": STEP_NAME_MAX_LENGTH})
    if len(c["actor"]) > ACTOR_MAX_LENGTH:
        cells.add("actor", _("Tên người thực hiện dài quá %(max)d ký tự.") % {"max": ACTOR_MAX_LENGTH})
    due_at = cells.take("due_at", _parse_datetime)
    if kind == EventKind.STEP_STARTED and not c["due_at"]:
        cells.add("due_at", _("Cần ghi hạn của bước xử lý cho sự kiện step_started."))
    if kind == EventKind.RESCHEDULED and not c["due_at"]:
        cells.add("due_at", _("Cần ghi ngày hẹn trả kết quả mới cho sự kiện rescheduled."))
    row = EventRow(
        row=record.row, code=code, at=at, kind=kind, step=c["step"], actor=c["actor"], due_at=due_at
    )
    return row, cells.problems


def _read(
    dossiers: IO[bytes] | IO[str], events: IO[bytes] | IO[str]
) -> tuple[DossierFiles, list[InputProblem], list[InputProblem]]:
    dossier_records, dossier_problems = read_csv_table(dossiers, DOSSIER_COLUMNS)
    event_records, event_problems = read_csv_table(events, EVENT_COLUMNS)
    dossier_rows: list[DossierRow] = []
    for record in dossier_records:
        dossier_row, problems = _dossier_row(record)
        dossier_rows.append(dossier_row)
        dossier_problems += problems
    event_rows: list[EventRow] = []
    for record in event_records:
        event_row, problems = _event_row(record)
        event_rows.append(event_row)
        event_problems += problems
    return DossierFiles(dossier_rows, event_rows), dossier_problems, event_problems


def parse_dossier_files(dossiers: IO[bytes] | IO[str], events: IO[bytes] | IO[str]) -> DossierFiles:
    """Read and check a ``dossiers.csv`` and an ``events.csv``, also against the database (procedures,
    units, dossiers and events already there). Raises ``InvalidDossierFiles`` listing every problem."""
    files, dossier_problems, event_problems = _read(dossiers, events)
    plan = _plan(files, dossier_problems, event_problems, lock=False)
    if plan.dossier_problems or plan.event_problems:
        raise InvalidDossierFiles(plan.dossier_problems, plan.event_problems)
    return files


# --- checking against the database and planning the writes ---------------------------------------


def _chunks[T](items: Iterable[T]) -> Iterator[list[T]]:
    values = list(dict.fromkeys(items))
    for start in range(0, len(values), _IN_CHUNK):
        yield values[start : start + _IN_CHUNK]


@dataclass(frozen=True)
class _KnownEvent:
    kind: str
    at: dt.datetime
    step: str
    due_at: dt.datetime | None


@dataclass
class _Existing:
    """What the database holds for the dossiers the files name."""

    dossiers: dict[str, Dossier] = field(default_factory=dict)
    events: dict[int, list[_KnownEvent]] = field(default_factory=lambda: defaultdict(list))
    steps: dict[int, list[DossierStep]] = field(default_factory=lambda: defaultdict(list))
    # per dossier: (is_placeholder, is_provided, is_digitized, is_reused, is_from_store) of each component
    components: dict[int, list[tuple[bool, bool, bool, bool, bool]]] = field(
        default_factory=lambda: defaultdict(list)
    )


def _load_existing(codes: Iterable[str], *, lock: bool) -> _Existing:
    existing = _Existing()
    for some_codes in _chunks(codes):
        query = Dossier.objects.filter(code__in=some_codes).order_by()
        existing.dossiers.update((d.code, d) for d in (query.select_for_update() if lock else query))
    ids = [d.pk for d in existing.dossiers.values()]
    for chunk in _chunks(ids):
        events = (
            DossierEvent.objects.filter(dossier_id__in=chunk, kind__in=INTERCHANGE_EVENT_KINDS)
            .order_by("dossier_id", "at", "id")
            .values_list("dossier_id", "kind", "at", "step_name", "step__name", "due_at")
        )
        for dossier_id, kind, at, step_name, linked_step, due_at in events:
            name = (step_name or linked_step or "") if kind in STEP_KINDS else ""
            existing.events[dossier_id].append(_KnownEvent(kind, at, name, due_at))
        for step in DossierStep.objects.filter(dossier_id__in=chunk).order_by("dossier_id", "position", "id"):
            existing.steps[step.dossier_id].append(step)
        components = DossierComponent.objects.filter(dossier_id__in=chunk).values_list(
            "dossier_id",
            "position",
            "name",
            "catalog_component_id",
            "file",
            "is_provided",
            "is_digitized",
            "is_reused",
            "is_from_store",
        )
        for (
            dossier_id,
            position,
            name,
            catalog_id,
            file,
            provided,
            digitized,
            reused,
            from_store,
        ) in components:
            placeholder = (
                catalog_id is None and not file and name == PLACEHOLDER_NAME.format(position=position)
            )
            existing.components[dossier_id].append((placeholder, provided, digitized, reused, from_store))
    return existing


def _codes_to_ids(model: type[Procedure] | type[Unit], codes: Iterable[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for chunk in _chunks(c for c in codes if c):
        found.update(model.objects.filter(code__in=chunk).values_list("code", "pk"))
    return found


@dataclass
class _Plan:
    dossier_problems: list[InputProblem]
    event_problems: list[InputProblem]
    create: list[Dossier] = field(default_factory=list)
    update: list[Dossier] = field(default_factory=list)
    update_fields: set[str] = field(default_factory=set)
    updated: int = 0
    unchanged: int = 0
    components: list[DossierComponent] = field(default_factory=list)
    replace_components_of: list[int] = field(default_factory=list)
    new_steps: list[DossierStep] = field(default_factory=list)
    finished_steps: list[DossierStep] = field(default_factory=list)
    new_events: list[DossierEvent] = field(default_factory=list)
    events_unchanged: int = 0


@dataclass
class _Timeline:
    """One dossier's events as they will be after the import: the known ones and the new ones."""

    dossier: Dossier
    known: list[_KnownEvent]
    new: list[EventRow] = field(default_factory=list)

    def merged(self) -> list[_KnownEvent]:
        added = [_KnownEvent(e.kind, e.at, e.step, e.due_at) for e in self.new if e.at is not None]
        return sorted([*self.known, *added], key=lambda e: e.at)  # stable: the file's order within a time


def _plan(
    files: DossierFiles,
    dossier_problems: list[InputProblem],
    event_problems: list[InputProblem],
    *,
    lock: bool,
) -> _Plan:
    """Every problem of the files, and when there is none, the rows to write."""
    rows, events = files.dossiers, files.events
    dossier_problems = [*dossier_problems, *duplicate_code_problems(rows)]
    event_problems = list(event_problems)
    bad_dossier_rows = {p.row for p in dossier_problems}
    bad_event_rows = {p.row for p in event_problems}

    procedures = _codes_to_ids(Procedure, (r.procedure_code for r in rows))
    units = _codes_to_ids(Unit, [*(r.unit_code for r in rows), *(_agency(r.code) for r in rows)])
    for r in rows:
        for column, code, known, missing in (
            (
                "procedure_code",
                r.procedure_code,
                procedures,
                _("Không tìm thấy thủ tục «%(code)s» trong hệ thống."),
            ),
            ("unit_code", r.unit_code, units, _("Không tìm thấy đơn vị «%(code)s» trong hệ thống.")),
        ):
            if not code:
                dossier_problems.append(InputProblem(_("Cần ghi mã."), field=column, row=r.row))
            elif code not in known:
                dossier_problems.append(InputProblem(missing % {"code": code}, field=column, row=r.row))

    in_file: dict[str, DossierRow] = {}
    for r in rows:
        in_file.setdefault(r.code, r)
    existing = _load_existing([*in_file, *(e.code for e in events)], lock=lock)
    # When part of dossiers.csv could not be read (header, encoding, a broken row) a dossier may sit in
    # that part: "unknown dossier" would be a follow-up problem, not a real one.
    dossiers_read = all(p.field and p.row not in (None, 1) for p in dossier_problems)
    for e in events:
        if e.code in in_file or e.code in existing.dossiers or e.row in bad_event_rows:
            continue
        if dossiers_read:
            event_problems.append(
                InputProblem(
                    _("Không có hồ sơ «%(code)s» trong dossiers.csv hay trong hệ thống.") % {"code": e.code},
                    field="code",
                    row=e.row,
                )
            )
    for r in rows:
        dossier = existing.dossiers.get(r.code)
        if r.row in bad_dossier_rows or dossier is None:
            continue
        if message := _components_problem(r, existing.components.get(dossier.pk, [])):
            dossier_problems.append(InputProblem(message, field="components_total", row=r.row))

    timelines: dict[str, _Timeline] = {}
    for code in [*in_file, *(e.code for e in events)]:
        if code not in timelines and (code in in_file or code in existing.dossiers):
            dossier = existing.dossiers.get(code) or Dossier(code=code)
            timelines[code] = _Timeline(dossier, existing.events.get(dossier.pk, []) if dossier.pk else [])
    plan = _Plan(dossier_problems, event_problems)
    responsible = {
        code: units.get(in_file[code].unit_code) if code in in_file else t.dossier.responsible_unit_id
        for code, t in timelines.items()
    }
    submitted = {
        code: in_file[code].submitted_at if code in in_file else t.dossier.submitted_at
        for code, t in timelines.items()
    }
    _plan_events(plan, events, timelines, existing, responsible, submitted, bad_event_rows)
    if plan.dossier_problems or plan.event_problems:
        return plan
    _plan_dossiers(plan, in_file, timelines, existing, procedures, units)
    return plan


def _components_problem(r: DossierRow, current: Sequence[tuple[bool, bool, bool, bool, bool]]) -> str | None:
    """Counts that differ from the components an existing dossier already has can only replace
    numbered placeholders (an earlier import), never components recorded here."""
    if _component_counts(current) == _wanted_counts(r) or all(c[0] for c in current):
        return None
    return _(
        "Hồ sơ đã có %(count)d thành phần được ghi nhận trong hệ thống với số liệu khác tệp; "
        "không thể thay bằng số liệu trong tệp."
    ) % {"count": len(current)}


def _component_counts(current: Sequence[tuple[bool, bool, bool, bool, bool]]) -> tuple[int, int, int, int]:
    provided = [c for c in current if c[1]]
    return (
        len(provided),
        sum(c[2] for c in provided),
        sum(c[3] for c in provided),
        sum(c[4] for c in provided),
    )


def _wanted_counts(r: DossierRow) -> tuple[int, int, int, int]:
    return (r.components_total, r.components_digitized, r.components_reused, r.components_from_store)


def _plan_events(
    plan: _Plan,
    events: Sequence[EventRow],
    timelines: dict[str, _Timeline],
    existing: _Existing,
    responsible: dict[str, int | None],
    submitted: dict[str, dt.datetime | None],
    bad_rows: Collection[int | None],
) -> None:
    """Checks each dossier's events against each other and the known history, and plans the new events
    and the steps they start and finish. Step events pair by step name, first started first finished."""
    by_code: dict[str, list[EventRow]] = defaultdict(list)
    for e in events:
        if e.code in timelines:
            by_code[e.code].append(e)
    for code, rows in by_code.items():
        timeline = timelines[code]
        known = {_event_key(k.kind, k.at, k.step) for k in timeline.known}
        first_row: dict[tuple[str, dt.datetime, str], int] = {}
        clean = True
        for e in rows:
            if e.row in bad_rows or e.at is None:
                clean = False
                continue
            submitted_at = submitted[code]
            if submitted_at is not None and e.at < submitted_at:
                plan.event_problems.append(
                    InputProblem(
                        _("Sự kiện xảy ra trước thời điểm nộp hồ sơ (%(submitted)s).")
                        % {"submitted": datetime_text(submitted_at)},
                        field="at",
                        row=e.row,
                    )
                )
                clean = False
            key = _event_key(e.kind, e.at, e.step)
            if key in first_row:
                plan.event_problems.append(
                    InputProblem(
                        _("Sự kiện trùng với dòng %(first)d.") % {"first": first_row[key]}, row=e.row
                    )
                )
                clean = False
                continue
            first_row[key] = e.row
            if key in known:
                plan.events_unchanged += 1
            else:
                timeline.new.append(e)
        unit_id = responsible[code]
        if not clean or unit_id is None:
            continue  # pair steps only over a dossier's valid events: no follow-up problems
        timeline.new.sort(key=_event_time)  # stable: the file's order within a time
        _plan_steps(plan, timeline, existing.steps.get(timeline.dossier.pk, []), unit_id)


def _event_key(kind: str, at: dt.datetime, step: str) -> tuple[str, dt.datetime, str]:
    """Events are told apart by dossier, kind, time and step. Files carry whole seconds (exports write
    no fractions), so times compare to the second: exporting and importing back changes nothing."""
    return kind, at.replace(microsecond=0), step


def _same(old: object, new: object) -> bool:
    if isinstance(old, dt.datetime) and isinstance(new, dt.datetime):
        return old.replace(microsecond=0) == new.replace(microsecond=0)
    return old == new


def _plan_steps(plan: _Plan, timeline: _Timeline, steps: Sequence[DossierStep], unit_id: int) -> None:
    open_steps: dict[str, deque[DossierStep]] = defaultdict(deque)
    for known_step in steps:
        if known_step.finished_at is None:
            open_steps[known_step.name].append(known_step)
    position = max((s.position for s in steps), default=0)
    reschedules = sum(k.kind == EventKind.RESCHEDULED for k in timeline.known)
    for e in timeline.new:
        if e.at is None:  # rows without a time were left out before
            continue
        step: DossierStep | None = None
        if e.kind == EventKind.RESCHEDULED:
            reschedules += 1
            if reschedules > 1:
                plan.event_problems.append(
                    InputProblem(
                        _("Hồ sơ chỉ được hẹn lại ngày trả kết quả một lần."), field="kind", row=e.row
                    )
                )
        elif e.kind == EventKind.STEP_STARTED:
            position += 1
            step = DossierStep(
                dossier=timeline.dossier,
                position=position,
                name=e.step,
                role="",
                unit_id=unit_id,
                budget_hours=Decimal(0),
                started_at=e.at,
                due_at=e.due_at,
                actor_name=e.actor,
            )
            plan.new_steps.append(step)
            open_steps[e.step].append(step)
        elif e.kind == EventKind.STEP_FINISHED:
            if not open_steps[e.step]:
                plan.event_problems.append(
                    InputProblem(
                        _(
                            "Bước «%(step)s» chưa bắt đầu: không có sự kiện step_started nào đang mở cho bước này."
                        )
                        % {"step": e.step},
                        field="step",
                        row=e.row,
                    )
                )
                continue
            step = open_steps[e.step].popleft()
            if step.started_at is not None and e.at < step.started_at:
                plan.event_problems.append(
                    InputProblem(
                        _("Bước kết thúc trước khi bắt đầu (%(started)s).")
                        % {"started": datetime_text(step.started_at)},
                        field="at",
                        row=e.row,
                    )
                )
            step.finished_at = e.at
            step.verdict = step_verdict(finished_at=e.at, due_at=step.due_at) if step.due_at else ""
            step.actor_name = e.actor or step.actor_name
            if step.pk is not None:
                plan.finished_steps.append(step)
        plan.new_events.append(
            DossierEvent(
                dossier=timeline.dossier,
                kind=e.kind,
                at=e.at,
                actor_name=e.actor,
                step=step,
                step_name=e.step,
                due_at=e.due_at,
                data={"imported": True},
            )
        )


def _plan_dossiers(
    plan: _Plan,
    in_file: dict[str, DossierRow],
    timelines: dict[str, _Timeline],
    existing: _Existing,
    procedures: dict[str, int],
    units: dict[str, int],
) -> None:
    now = timezone.now()
    for code, timeline in timelines.items():
        dossier = timeline.dossier
        history = timeline.merged()
        r = in_file.get(code)
        values: dict[str, Any] = {}
        if r is not None:
            status = internal_status(
                r.status, is_received=r.received_at is not None, kinds=[k.kind for k in history]
            )
            values = {
                "procedure_id": procedures[r.procedure_code],
                "responsible_unit_id": units[r.unit_code],
                "channel": r.channel,
                "online_level": r.online_level,
                "applicant_id_number": r.applicant_id,
                "is_own_account": r.own_account,
                "is_vneid_verified": r.vneid_verified,
                "submitted_at": r.submitted_at,
                "received_at": r.received_at,
                "due_at": r.due_at,
                "status": status,
                "fee_vnd": r.fee_vnd,
                "is_paid_online": r.paid_online,
                "is_result_electronic": r.result_electronic,
                "is_population_data_used": r.population_data_used,
                "rating": r.rating,
            }
        values |= _derived(
            history,
            status=values.get("status", dossier.status),
            due_at=values["due_at"] if r is not None else dossier.due_at,
            before=dossier if dossier.pk else None,
        )
        if dossier.pk is None:
            assert r is not None  # noqa: S101 - only rows of the file make new dossiers
            for name, value in values.items():
                setattr(dossier, name, value)
            dossier.receiving_unit_id = units.get(_agency(code), units[r.unit_code])
            dossier.refresh_search_key()
            plan.create.append(dossier)
            plan.components += _placeholders(dossier, _wanted_counts(r))
            continue
        changed = {name for name, value in values.items() if not _same(getattr(dossier, name), value)}
        for name in changed:
            setattr(dossier, name, values[name])
        search_key = dossier.search_folded
        dossier.refresh_search_key()
        if dossier.search_folded != search_key:
            changed.add("search_folded")
        if changed:
            dossier.version += 1
            dossier.modified_at = now
            plan.update.append(dossier)
            plan.update_fields |= changed | {"version", "modified_at"}
        components_changed = False
        if r is not None:
            current = existing.components.get(dossier.pk, [])
            if _component_counts(current) != _wanted_counts(r):
                components_changed = True
                if current:
                    plan.replace_components_of.append(dossier.pk)
                plan.components += _placeholders(dossier, _wanted_counts(r))
        if r is not None:
            if changed or components_changed or timeline.new:
                plan.updated += 1
            else:
                plan.unchanged += 1


def _agency(code: str) -> str:
    return code.rsplit("-", 2)[0]


def _event_time(e: EventRow) -> dt.datetime:
    return e.at or dt.datetime.min.replace(tzinfo=dt.UTC)


_CLOSING_KINDS = frozenset({EventKind.RETURNED, EventKind.WITHDRAWN, EventKind.STOPPED, EventKind.REFUSED})


def _derived(
    history: Sequence[_KnownEvent], *, status: str, due_at: dt.datetime | None, before: Dossier | None
) -> dict[str, Any]:
    """The dossier's fields that follow from its events (docs/interchange.md, "Dossier fields from
    events"). What the events cannot tell is kept from ``before`` (the dossier as it is), if any."""

    def first(kind: str) -> dt.datetime | None:
        return next((e.at for e in history if e.kind == kind), None)

    reschedules = sum(e.kind == EventKind.RESCHEDULED for e in history)
    received_due = next((e.due_at for e in history if e.kind == EventKind.RECEIVED and e.due_at), None)
    original_due_at: dt.datetime | None
    if received_due is not None:
        original_due_at = received_due
    elif not reschedules:
        original_due_at = due_at
    else:  # the appointment before the apology is not in the file
        original_due_at = before.original_due_at if before else None
    closed_at: dt.datetime | None = None
    if status in CLOSED:
        closing = [e.at for e in history if e.kind in _CLOSING_KINDS]
        closed_at = closing[-1] if closing else (before.closed_at if before else None)
    return {
        "processed_at": first(EventKind.PROCESSED),
        "returned_at": first(EventKind.RETURNED),
        "closed_at": closed_at,
        "supplement_request_count": sum(e.kind == EventKind.SUPPLEMENT_REQUESTED for e in history),
        "reschedule_count": reschedules,
        "original_due_at": original_due_at,
    }


def _placeholders(dossier: Dossier, counts: tuple[int, int, int, int]) -> list[DossierComponent]:
    total, digitized, reused, from_store = counts
    return [
        DossierComponent(
            dossier=dossier,
            position=n,
            name=PLACEHOLDER_NAME.format(position=n),
            is_digitized=n <= digitized,
            is_reused=n <= reused,
            is_from_store=n <= from_store,
        )
        for n in range(1, total + 1)
    ]


# --- import ------------------------------------------------------------------------------------------


def import_dossiers(files: DossierFiles) -> DossierImportSummary:
    """Upsert the dossiers of ``files`` by code and append their events, in one transaction.

    Everything is checked again against the database as it is inside the transaction (the dossiers
    named are locked); on any problem ``InvalidDossierFiles`` is raised and nothing is written. New
    events are stored as given, with the steps they start and finish and the dossier fields that follow
    from them; the workflow services are not run: this is history that happened elsewhere.
    """
    return _import(files, [], [])


def import_dossier_files(dossiers: IO[bytes] | IO[str], events: IO[bytes] | IO[str]) -> DossierImportSummary:
    """Read, check and import a ``dossiers.csv`` and an ``events.csv`` (``parse_dossier_files`` then
    ``import_dossiers``, with the database checks made once, inside the transaction)."""
    files, dossier_problems, event_problems = _read(dossiers, events)
    return _import(files, dossier_problems, event_problems)


@transaction.atomic
def _import(
    files: DossierFiles, dossier_problems: list[InputProblem], event_problems: list[InputProblem]
) -> DossierImportSummary:
    plan = _plan(files, dossier_problems, event_problems, lock=True)
    if plan.dossier_problems or plan.event_problems:
        raise InvalidDossierFiles(plan.dossier_problems, plan.event_problems)
    try:
        _write(plan)
    except IntegrityError as exc:  # the checks ran under lock; only a concurrent insert gets here
        raise InvalidDossierFiles(
            [
                InputProblem(
                    _("Dữ liệu vừa được thay đổi đồng thời; hãy chạy lại lệnh nhập (%(detail)s).")
                    % {"detail": exc}
                )
            ],
            [],
        ) from exc
    return DossierImportSummary(
        dossiers=ImportSummary(created=len(plan.create), updated=plan.updated, unchanged=plan.unchanged),
        events_added=len(plan.new_events),
        events_unchanged=plan.events_unchanged,
    )


def _write(plan: _Plan) -> None:
    Dossier.objects.bulk_create(plan.create, batch_size=500)
    if plan.update:
        Dossier.objects.bulk_update(plan.update, sorted(plan.update_fields), batch_size=500)
    for chunk in _chunks(plan.replace_components_of):
        DossierComponent.objects.filter(dossier_id__in=chunk).delete()
    DossierComponent.objects.bulk_create(plan.components, batch_size=1000)
    DossierStep.objects.bulk_create(plan.new_steps, batch_size=1000)
    if plan.finished_steps:
        DossierStep.objects.bulk_update(
            plan.finished_steps, ["finished_at", "verdict", "actor_name"], batch_size=500
        )
    DossierEvent.objects.bulk_create(plan.new_events, batch_size=1000)
    _advance_numbering([d.code for d in plan.create])
    # the live per-day counters of every dossier written, in the import's transaction
    counters.refresh(
        [d.pk for d in plan.create]
        + [d.pk for d in plan.update]
        + list(plan.replace_components_of)
        + [e.dossier_id for e in plan.new_events]
    )


def _advance_numbering(codes: Sequence[str]) -> None:
    """Make the live numbering continue after the imported codes (same transaction as the import).

    For every (agency, local day) among ``codes`` the counter (``NumberSequence``, scope and period as
    ``core.numbering.dossier_code`` uses them) is raised to at least the highest imported sequence, so
    a later reception at that agency on that day cannot be handed an imported code again; and the
    audit trail gets an ``IssuedNumber`` for every number up to it that has none (reference: the code
    with that number), so ``core.numbering.audit`` finds no gap. Numbers the source system issued to
    records not in the files are recorded under the code they had there. One upsert statement per 500
    days and bulk inserts: the import's query count stays bounded.
    """
    highest: dict[tuple[str, str], tuple[str, dt.date, int]] = {}
    for code in codes:
        parsed = parse_dossier_code(code)
        key = (dossier_scope(parsed.agency_code), parsed.received_on.isoformat())
        if key not in highest or highest[key][2] < parsed.sequence:
            highest[key] = (parsed.agency_code, parsed.received_on, parsed.sequence)
    if not highest:
        return
    connection = transaction.get_connection()
    qn = connection.ops.quote_name
    table, last = qn(NumberSequence._meta.db_table), qn("last")
    rows = sorted(highest.items())
    for chunk in _chunks(rows):
        values = ", ".join(["(%s, %s, %s)"] * len(chunk))
        # Never lower a counter: a live reception may already have gone further that day.
        sql = (
            f"INSERT INTO {table} ({qn('scope')}, {qn('period')}, {last}) VALUES {values} "  # noqa: S608 - identifiers are quoted model metadata
            f"ON CONFLICT ({qn('scope')}, {qn('period')}) DO UPDATE SET {last} = "
            f"CASE WHEN {table}.{last} < excluded.{last} THEN excluded.{last} ELSE {table}.{last} END"
        )
        params = [v for (scope, period), (_a, _d, top) in chunk for v in (scope, period, top)]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
    IssuedNumber.objects.bulk_create(
        (
            IssuedNumber(
                scope=scope,
                period=period,
                number=n,
                reference=format_dossier_code(agency_code=agency, received_on=day, sequence=n),
            )
            for (scope, period), (agency, day, top) in rows
            for n in range(1, top + 1)
        ),
        batch_size=1000,
        ignore_conflicts=True,
    )


# --- export ------------------------------------------------------------------------------------------


def datetime_text(value: dt.datetime | None) -> str:
    """Local time with its offset, to the second: ``2023-08-14T09:05:00+07:00``; empty for None."""
    return value.astimezone(TZ).isoformat(timespec="seconds") if value is not None else ""


def _flag(value: bool) -> str:
    return "1" if value else "0"


def dossiers_of_unit(*, unit_code: str, date_from: dt.date, date_to: dt.date) -> QuerySet[Dossier]:
    """Dossiers for which the unit ``unit_code`` or any unit below it is responsible, submitted on a
    local day from ``date_from`` to ``date_to`` (both included). Raises ``NotFound`` for an unknown unit."""
    root = Unit.objects.filter(code=unit_code).values_list("pk", flat=True).first()
    if root is None:
        raise NotFound(_("Không tìm thấy đơn vị «%(code)s».") % {"code": unit_code})
    children: dict[int | None, list[int]] = defaultdict(list)
    for pk, parent_id in Unit.objects.values_list("pk", "parent_id"):
        children[parent_id].append(pk)
    subtree, todo = [], [root]
    while todo:
        pk = todo.pop()
        subtree.append(pk)
        todo += children[pk]
    start = dt.datetime.combine(date_from, dt.time(), TZ)
    end = dt.datetime.combine(date_to + dt.timedelta(days=1), dt.time(), TZ)
    return Dossier.objects.filter(
        responsible_unit_id__in=subtree, submitted_at__gte=start, submitted_at__lt=end
    )


def export_dossiers(
    dossiers_out: Writable, events_out: Writable, queryset: QuerySet[Dossier] | None = None
) -> tuple[int, int]:
    """Write ``dossiers.csv`` (ordered by code) and ``events.csv`` (by code, then time) for ``queryset``
    (default: every dossier). Only the interchange event kinds are written. Returns the row counts."""
    dossiers = queryset if queryset is not None else Dossier.objects.all()
    provided = Q(components__is_provided=True)
    rows = (
        dossiers.order_by("code")
        .annotate(
            n_total=Count("components", filter=provided),
            n_digitized=Count("components", filter=provided & Q(components__is_digitized=True)),
            n_reused=Count("components", filter=provided & Q(components__is_reused=True)),
            n_from_store=Count("components", filter=provided & Q(components__is_from_store=True)),
        )
        .values_list(
            "code",
            "procedure__code",
            "responsible_unit__code",
            "channel",
            "online_level",
            "procedure__online_level",
            "applicant_id_number",
            "is_own_account",
            "is_vneid_verified",
            "submitted_at",
            "received_at",
            "due_at",
            "status",
            "fee_vnd",
            "is_paid_online",
            "n_total",
            "n_digitized",
            "n_reused",
            "n_from_store",
            "is_result_electronic",
            "is_population_data_used",
            "rating",
        )
    )
    counts = [0, 0]

    def dossier_rows() -> Iterator[list[str]]:
        for (
            code,
            procedure_code,
            unit_code,
            channel,
            online_level,
            procedure_online_level,
            applicant_id,
            own_account,
            vneid_verified,
            submitted_at,
            received_at,
            due_at,
            status,
            fee_vnd,
            paid_online,
            n_total,
            n_digitized,
            n_reused,
            n_from_store,
            result_electronic,
            population_data_used,
            rating,
        ) in rows.iterator(chunk_size=2000):
            counts[0] += 1
            yield [
                code,
                procedure_code,
                unit_code,
                str(channel),
                online_level or procedure_online_level,  # dossiers from before the field existed
                applicant_id,
                _flag(own_account),
                _flag(vneid_verified),
                datetime_text(submitted_at),
                datetime_text(received_at),
                datetime_text(due_at),
                str(NATIONAL_STATUS[Status(status)]),
                str(fee_vnd),
                _flag(paid_online),
                str(n_total),
                str(n_digitized),
                str(n_reused),
                str(n_from_store),
                _flag(result_electronic),
                _flag(population_data_used),
                rating,
            ]

    events = (
        DossierEvent.objects.filter(dossier__in=dossiers.values("pk"), kind__in=INTERCHANGE_EVENT_KINDS)
        .order_by("dossier__code", "at", "id")
        .values_list(
            "dossier__code",
            "at",
            "kind",
            "step_name",
            "step__name",
            "actor_name",
            "actor__full_name",
            "actor__username",
            "due_at",
            "step__due_at",
        )
    )

    def event_rows() -> Iterator[list[str]]:
        for (
            code,
            at,
            kind,
            step_name,
            step,
            actor_name,
            full_name,
            username,
            due_at,
            step_due_at,
        ) in events.iterator(chunk_size=5000):
            counts[1] += 1
            if kind == EventKind.STEP_STARTED:
                due_at = due_at or step_due_at
            yield [
                code,
                datetime_text(at),
                kind,
                (step_name or step or "") if kind in STEP_KINDS else "",
                actor_name or full_name or username or "",
                datetime_text(due_at),
            ]

    write_csv_table(dossiers_out, DOSSIER_COLUMNS, dossier_rows())
    write_csv_table(events_out, EVENT_COLUMNS, event_rows())
    return counts[0], counts[1]
