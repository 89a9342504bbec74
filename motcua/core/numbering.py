"""Gap-free, collision-free numbers: dossier codes and certification book numbers.

Two legal numbering rules share one mechanism:

- **Dossier code** (mã hồ sơ, NĐ 61/2018 Điều 26; TT 01/2018/TT-VPCP Điều 19):
  ``<agency code>-<YYMMDD>-<NNNN>``, the sequence counting within the local day per receiving agency.
- **Certification book number** (số chứng thực, NĐ 23/2015 Điều 13; TT 01/2020 Điều 4): a sequence per
  book that runs for the whole year and restarts at 1 on 1 January.

The mechanism: ``NumberSequence`` holds the last number per (scope, period) and is bumped by a single
``INSERT … ON CONFLICT DO UPDATE … RETURNING`` statement, which PostgreSQL (row lock until commit) and
SQLite (one writer at a time; the project opens transactions with ``BEGIN IMMEDIATE``) both make atomic
across processes. In the same transaction an ``IssuedNumber`` row records what the number was for. The
counter and the record commit or roll back together, so a failed reception gives its number back to the
next caller instead of leaving a hole, and ``find_gaps``/``audit`` detect what a direct database edit or
a bug would leave behind.

Run under READ COMMITTED (the PostgreSQL default): under REPEATABLE READ or SERIALIZABLE two concurrent
callers get a serialization failure instead of waiting for each other.
"""

import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import NamedTuple
from zoneinfo import ZoneInfo

from django.db import IntegrityError, transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.core.errors import DomainError
from motcua.core.models import IssuedNumber, NumberSequence

# The reception date printed in the code is the date on the counter's wall clock (Vietnam has one time
# zone, UTC+7, no DST). 17:00 UTC is already tomorrow there.
LOCAL_TZ = ZoneInfo("Asia/Ho_Chi_Minh")

# TT 01/2018 Điều 19 gives the in-day sequence four digits.
DOSSIER_SEQUENCE_MAX = 9999

_SCOPE_MAX = NumberSequence._meta.get_field("scope").max_length or 100
_PERIOD_MAX = NumberSequence._meta.get_field("period").max_length or 20
_REFERENCE_MAX = IssuedNumber._meta.get_field("reference").max_length or 100

# Agency identifiers: QCVN 102:2016 ``V1V2V3.Z1Z2.Y1Y2.MX1X2`` (e.g. ``000.00.06.H56``) and the wider
# QĐ 20/2020/QĐ-TTg form (dot-separated groups, at most 35 characters; enterprise codes may carry a
# hyphenated branch suffix). The code's last two hyphen groups are always date and sequence, so a
# hyphen inside the agency code is unambiguous.
_AGENCY_CODE_RE = re.compile(r"[0-9A-Z](?:[0-9A-Z.\-]{0,33}[0-9A-Z])?")
_DOSSIER_CODE_RE = re.compile(r"(?P<agency>.+)-(?P<date>\d{6})-(?P<seq>\d{4})")


class NumberingError(DomainError):
    """A number cannot be handed out."""


class SequenceExhausted(NumberingError):
    """The sequence reached its limit for the period (e.g. the 9,999th dossier of the day)."""


class NumberAlreadyIssued(NumberingError):
    """The audit trail already holds the next number: the counter was moved back."""


class InvalidDossierCode(DomainError):
    """A string is not a well-formed dossier code."""


class DossierCode(NamedTuple):
    """The three parts of a dossier code; ``str()`` gives the printed form."""

    agency_code: str
    received_on: date
    sequence: int

    def __str__(self) -> str:
        return format_dossier_code(
            agency_code=self.agency_code, received_on=self.received_on, sequence=self.sequence
        )


@dataclass(frozen=True)
class NumberingAudit:
    """The state of one (scope, period) sequence compared with its audit trail."""

    scope: str
    period: str
    last: int
    issued_count: int
    gaps: list[int]
    duplicates: list[int]
    beyond_last: list[int]

    @property
    def is_clean(self) -> bool:
        """True when every number 1..last was issued exactly once and none beyond ``last``."""
        return not (self.gaps or self.duplicates or self.beyond_last)


def dossier_scope(agency_code: str) -> str:
    """The sequence scope of the dossier codes of one receiving agency."""
    return f"dossier:{agency_code}"


def book_scope(book: str) -> str:
    """The sequence scope of one certification book."""
    return f"book:{book}"


def next_number(*, scope: str, period: str, reference: str = "", limit: int | None = None) -> int:
    """Hand out the next number of ``scope`` in ``period`` (1 for the first) and record it.

    Must run inside ``transaction.atomic``: the number belongs to the caller's transaction, and if it
    rolls back the number is handed out again, so committed numbers have no gaps. Concurrent callers
    wait for each other on the sequence row until the holder commits or rolls back.

    With ``limit``, a sequence already at ``limit`` is left untouched and ``SequenceExhausted`` is
    raised; the caller's transaction stays usable. If the audit trail already holds the number (the
    counter was moved back by hand or restored from an older backup) ``NumberAlreadyIssued`` is raised
    and the caller's transaction is marked for rollback: handing out a number twice is never an option.
    """
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        raise transaction.TransactionManagementError(
            "next_number() must be called inside transaction.atomic(): the number is only final on commit"
        )
    _check_length("scope", scope, _SCOPE_MAX)
    _check_length("period", period, _PERIOD_MAX)
    _check_length("reference", reference, _REFERENCE_MAX)
    if limit is not None and limit < 1:
        raise ValueError(f"limit must be at least 1, got {limit}")

    qn = connection.ops.quote_name
    table = qn(NumberSequence._meta.db_table)
    last = qn("last")
    sql = (
        f"INSERT INTO {table} ({qn('scope')}, {qn('period')}, {last}) VALUES (%s, %s, 1) "  # noqa: S608 - identifiers are quoted model metadata
        f"ON CONFLICT ({qn('scope')}, {qn('period')}) DO UPDATE SET {last} = {table}.{last} + 1"
    )
    params: list[str | int] = [scope, period]
    if limit is not None:
        # A conflicting row that fails the WHERE is neither updated nor returned.
        sql += f" WHERE {table}.{last} < %s"
        params.append(limit)
    sql += f" RETURNING {last}"
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()  # drain: SQLite keeps a RETURNING statement open until it is consumed
    if not rows:
        raise SequenceExhausted(
            _("Đã hết số trong kỳ %(period)s của %(scope)s: tối đa %(limit)d số.")
            % {"period": period, "scope": scope, "limit": limit}
        )
    number = int(rows[0][0])

    try:
        with transaction.atomic():
            IssuedNumber.objects.create(scope=scope, period=period, number=number, reference=reference)
    except IntegrityError as exc:
        transaction.set_rollback(True)
        raise NumberAlreadyIssued(
            _(
                "Số %(number)d trong kỳ %(period)s của %(scope)s đã được cấp trước đó: bộ đếm bị lùi. "
                "Hãy chạy lệnh numbering-audit và báo quản trị hệ thống."
            )
            % {"number": number, "period": period, "scope": scope}
        ) from exc
    return number


def dossier_code(*, agency_code: str, received_at: datetime, reference: str = "") -> str:
    """Issue the dossier code for a dossier received by ``agency_code`` at ``received_at``.

    TT 01/2018/TT-VPCP Điều 19 (NĐ 61/2018 Điều 26): ``<agency code>-<YYMMDD>-<NNNN>``, where YYMMDD is
    the date of reception and NNNN the 4-digit sequence within that day for the receiving agency. The
    day is the local (Asia/Ho_Chi_Minh) day, so a dossier received at 17:30 UTC carries the next date.
    The 10,000th dossier of a day is refused with ``SequenceExhausted``. Must run inside
    ``transaction.atomic`` (see ``next_number``).
    """
    if timezone.is_naive(received_at):
        raise ValueError("received_at must be timezone-aware")
    _check_agency_code(agency_code)
    received_on = received_at.astimezone(LOCAL_TZ).date()
    try:
        sequence = next_number(
            scope=dossier_scope(agency_code),
            period=received_on.isoformat(),
            reference=reference,
            limit=DOSSIER_SEQUENCE_MAX,
        )
    except SequenceExhausted:
        raise SequenceExhausted(
            _(
                "Cơ quan %(agency)s đã tiếp nhận đủ %(limit)d hồ sơ trong ngày %(day)s: "
                "mã hồ sơ chỉ có 4 chữ số cho số thứ tự trong ngày (Thông tư 01/2018/TT-VPCP Điều 19)."
            )
            % {"agency": agency_code, "limit": DOSSIER_SEQUENCE_MAX, "day": f"{received_on:%d/%m/%Y}"}
        ) from None
    return format_dossier_code(agency_code=agency_code, received_on=received_on, sequence=sequence)


def book_number(*, book: str, year: int, reference: str = "") -> int:
    """Issue the next number of a certification book for ``year``.

    NĐ 23/2015/NĐ-CP Điều 13: numbering runs from 1 for the whole year, continues into a new volume
    within the year and restarts at 1 each year; TT 01/2020/TT-BTP Điều 4: one number per document.
    ``book`` names the register, which is kept per certifying body and per type, e.g.
    ``"000.00.06.H56:SCT/BS"``; electronic copies have their own book (``…:SCTĐT/BS``). Must run inside
    ``transaction.atomic`` (see ``next_number``).
    """
    if not 1 <= year <= 9999:
        raise ValueError(f"year out of range: {year}")
    if not book:
        raise ValueError("book must not be empty")
    return next_number(scope=book_scope(book), period=f"{year:04d}", reference=reference)


def format_dossier_code(*, agency_code: str, received_on: date, sequence: int) -> str:
    """The printed form ``<agency code>-<YYMMDD>-<NNNN>`` (TT 01/2018/TT-VPCP Điều 19); pure."""
    _check_agency_code(agency_code)
    if not 1 <= sequence <= DOSSIER_SEQUENCE_MAX:
        raise ValueError(f"sequence out of range 1..{DOSSIER_SEQUENCE_MAX}: {sequence}")
    if not 2000 <= received_on.year <= 2099:
        raise ValueError(f"YYMMDD cannot express year {received_on.year}")
    return f"{agency_code}-{received_on:%y%m%d}-{sequence:04d}"


def parse_dossier_code(code: str) -> DossierCode:
    """Split a dossier code into agency code, reception date and sequence; pure.

    Accepts what people type into the lookup box: surrounding spaces and lower-case letters are
    tolerated, the result is canonical (``str(parse_dossier_code(c))`` is the printed code). Anything
    else raises ``InvalidDossierCode`` with a message saying what is wrong. YY is read as 20YY.
    """
    text = code.strip().upper()
    shown = code.strip()[:60]
    match = _DOSSIER_CODE_RE.fullmatch(text)
    if match is None:
        raise InvalidDossierCode(
            _(
                "Mã hồ sơ «%(code)s» không đúng dạng "
                "<mã cơ quan>-<năm tháng ngày YYMMDD>-<số thứ tự 4 chữ số>, ví dụ 000.00.06.H56-231027-0361."
            )
            % {"code": shown}
        )
    agency = match["agency"]
    if _AGENCY_CODE_RE.fullmatch(agency) is None:
        raise InvalidDossierCode(
            _("Mã hồ sơ «%(code)s»: phần mã cơ quan «%(agency)s» không hợp lệ.")
            % {"code": shown, "agency": agency[:40]}
        )
    digits = match["date"]
    try:
        received_on = date(2000 + int(digits[:2]), int(digits[2:4]), int(digits[4:]))
    except ValueError:
        raise InvalidDossierCode(
            _("Mã hồ sơ «%(code)s»: «%(digits)s» không phải là một ngày có thật (YYMMDD).")
            % {"code": shown, "digits": digits}
        ) from None
    sequence = int(match["seq"])
    if sequence == 0:
        raise InvalidDossierCode(
            _("Mã hồ sơ «%(code)s»: số thứ tự trong ngày bắt đầu từ 0001.") % {"code": shown}
        )
    return DossierCode(agency_code=agency, received_on=received_on, sequence=sequence)


def find_gaps(*, scope: str, period: str) -> list[int]:
    """Numbers in 1..last of the sequence that have no ``IssuedNumber`` row, ascending.

    Numbers are only handed out together with their record, so a gap means the trail was edited or a
    number was lost by a bug; the law expects the registers to be continuous (TT 01/2018 Điều 19,
    NĐ 23/2015 Điều 13).
    """
    return audit(scope=scope, period=period).gaps


def audit(*, scope: str, period: str) -> NumberingAudit:
    """Compare the sequence of ``scope``/``period`` with its audit trail.

    Reports the counter's last value, how many numbers were recorded, gaps (1..last without a record),
    duplicates (a number recorded twice: only possible if the unique constraint was removed) and
    numbers recorded beyond ``last`` (the counter was moved back: the next numbers would collide).
    """
    last = (
        NumberSequence.objects.filter(scope=scope, period=period).values_list("last", flat=True).first() or 0
    )
    issued = IssuedNumber.objects.filter(scope=scope, period=period)
    counts = dict(issued.values("number").annotate(n=Count("id")).values_list("number", "n").order_by())
    gaps = [n for n in range(1, last + 1) if n not in counts]
    duplicates = sorted(n for n, c in counts.items() if c > 1)
    beyond = sorted(n for n in counts if n > last)
    return NumberingAudit(
        scope=scope,
        period=period,
        last=last,
        issued_count=sum(counts.values()),
        gaps=gaps,
        duplicates=duplicates,
        beyond_last=beyond,
    )


def audited_periods(*, scope: str, period_from: str = "", period_to: str = "") -> list[str]:
    """Periods of ``scope`` with a counter or a recorded number, within the inclusive bounds.

    Periods are ISO dates (dossier codes) or 4-digit years (books), so string order is time order.
    """
    bounds: dict[str, str] = {"scope": scope}
    if period_from:
        bounds["period__gte"] = period_from
    if period_to:
        bounds["period__lte"] = period_to
    periods = set(NumberSequence.objects.filter(**bounds).values_list("period", flat=True))
    periods.update(IssuedNumber.objects.filter(**bounds).values_list("period", flat=True).distinct())
    return sorted(periods)


def _check_agency_code(agency_code: str) -> None:
    if _AGENCY_CODE_RE.fullmatch(agency_code) is None:
        raise ValueError(f"not an agency identifier (QCVN 102:2016 / QĐ 20/2020): {agency_code!r}")


def _check_length(name: str, value: str, maximum: int) -> None:
    if len(value) > maximum:
        raise ValueError(f"{name} longer than {maximum} characters: {value[:40]!r}…")
    if name != "reference" and not value:
        raise ValueError(f"{name} must not be empty")
