"""``procedures.csv`` (interchange contract v1):
``code, name, field, level, online_level, time_limit, time_unit, fee_vnd, result_required,
full_online_eligible``.

Procedures are upserted by their national code; only these columns are touched, so components, fee
items, internal processes and publication data entered elsewhere survive a re-import. ``field`` is the
field's (lĩnh vực) name; a new name creates the field. See docs/interchange.md.
"""

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import IO, TypedDict

from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from motcua.accounts.models import User
from motcua.catalog import services
from motcua.catalog.models import Field, OnlineLevel, Procedure, ProcedureLevel, TimeUnit
from motcua.core.csvfile import (
    ImportSummary,
    Writable,
    duplicate_code_problems,
    read_csv_table,
    sort_problems,
    write_csv_table,
)
from motcua.core.errors import DomainError, InputProblem, InvalidInput
from motcua.core.text import fold_vi

PROCEDURE_COLUMNS = (
    "code",
    "name",
    "field",
    "level",
    "online_level",
    "time_limit",
    "time_unit",
    "fee_vnd",
    "result_required",
    "full_online_eligible",
)
PROCEDURE_CODE_RE = re.compile(r"^\d\.\d{6}$")
_DECIMAL_RE = re.compile(r"^-?\d+(?:[.,]\d+)?$")
_INTEGER_RE = re.compile(r"^-?\d+$")
NAME_MAX_LENGTH = Procedure._meta.get_field("name").max_length or 500
FIELD_NAME_MAX_LENGTH = Field._meta.get_field("name").max_length or 255
FIELD_CODE_MAX_LENGTH = Field._meta.get_field("code").max_length or 40
TIME_LIMIT_MAX = Decimal("99999.99")  # Procedure.time_limit: max_digits=7, decimal_places=2
FEE_MAX = 2**63 - 1


@dataclass(frozen=True)
class ProcedureRow:
    row: int
    code: str
    name: str
    field: str
    level: str
    online_level: str
    time_limit: Decimal
    time_unit: str
    fee_vnd: int
    result_required: bool
    full_online_eligible: bool


def _choice_problem(value: str, choices: Sequence[str]) -> str | None:
    if value in choices:
        return None
    return _("Giá trị «%(value)s» không hợp lệ; chọn một trong: %(choices)s.") % {
        "value": value,
        "choices": ", ".join(choices),
    }


def _row_problems(r: ProcedureRow) -> list[InputProblem]:
    """Checks of one row's values (whatever their source: a file or code)."""
    found: list[tuple[str, str | None]] = [
        (
            "code",
            None
            if PROCEDURE_CODE_RE.fullmatch(r.code)
            else _("Mã thủ tục «%(code)s» không đúng dạng mã quốc gia d.dddddd (ví dụ 1.001193).")
            % {"code": r.code},
        ),
        ("name", _("Tên thủ tục không được để trống.") if not r.name else None),
        (
            "name",
            _("Tên thủ tục dài quá %(max)d ký tự.") % {"max": NAME_MAX_LENGTH}
            if len(r.name) > NAME_MAX_LENGTH
            else None,
        ),
        ("field", _("Tên lĩnh vực không được để trống.") if not r.field else None),
        (
            "field",
            _("Tên lĩnh vực dài quá %(max)d ký tự.") % {"max": FIELD_NAME_MAX_LENGTH}
            if len(r.field) > FIELD_NAME_MAX_LENGTH
            else None,
        ),
        ("level", _choice_problem(r.level, ProcedureLevel.values)),
        ("online_level", _choice_problem(r.online_level, OnlineLevel.values)),
        ("time_unit", _choice_problem(r.time_unit, TimeUnit.values)),
        ("time_limit", _("Thời hạn không được âm.") if r.time_limit < 0 else None),
        (
            "time_limit",
            _("Thời hạn tối đa %(max)s.") % {"max": TIME_LIMIT_MAX}
            if r.time_limit > TIME_LIMIT_MAX
            else None,
        ),
        (
            "time_limit",
            _("Thời hạn có nhiều nhất 2 chữ số thập phân.")
            if r.time_limit != r.time_limit.quantize(Decimal("0.01"))
            else None,
        ),
        (
            "time_limit",
            _("Để trống thời hạn khi đơn vị thời hạn là «none» (không quy định).")
            if r.time_unit == TimeUnit.NONE and r.time_limit != 0
            else None,
        ),
        ("fee_vnd", _("Phí, lệ phí không được âm.") if r.fee_vnd < 0 else None),
        ("fee_vnd", _("Phí, lệ phí quá lớn.") if r.fee_vnd > FEE_MAX else None),
    ]
    return [InputProblem(message, field=column, row=r.row) for column, message in found if message]


def _parse_time_limit(text: str, time_unit: str) -> tuple[Decimal, str | None]:
    if not text:
        if time_unit == TimeUnit.NONE or time_unit not in TimeUnit.values:
            return Decimal(0), None
        return Decimal(0), _("Cần ghi thời hạn; chỉ để trống khi đơn vị thời hạn là «none».")
    if not _DECIMAL_RE.fullmatch(text):
        return Decimal(0), _("«%(value)s» không phải số (ví dụ 5, 0.5 hoặc 0,5).") % {"value": text}
    try:
        return Decimal(text.replace(",", ".")), None
    except InvalidOperation:  # pragma: no cover - the pattern admits only plain decimals
        return Decimal(0), _("«%(value)s» không phải số.") % {"value": text}


def _parse_fee(text: str) -> tuple[int, str | None]:
    if not text:
        return 0, _("Cần ghi phí, lệ phí bằng số đồng; ghi 0 nếu không thu.")
    if not _INTEGER_RE.fullmatch(text):
        return 0, _("«%(value)s» không phải số nguyên đồng (không dùng dấu phân cách hàng nghìn).") % {
            "value": text
        }
    return int(text), None


def _parse_bool(text: str) -> tuple[bool, str | None]:
    if text in {"0", "1"}:
        return text == "1", None
    return False, _("Giá trị «%(value)s» không hợp lệ; chỉ ghi 0 hoặc 1.") % {"value": text}


def field_code_for(name: str, taken: set[str]) -> str:
    """A stable code for a new field: its folded name as a slug ("Hộ tịch" → "ho-tich"), made unique."""
    base = (
        re.sub(r"[^a-z0-9]+", "-", fold_vi(name)).strip("-")[:FIELD_CODE_MAX_LENGTH].rstrip("-") or "linh-vuc"
    )
    code, n = base, 1
    while code in taken:
        n += 1
        suffix = f"-{n}"
        code = base[: FIELD_CODE_MAX_LENGTH - len(suffix)].rstrip("-") + suffix
    return code


def _field_problems(rows: Sequence[ProcedureRow]) -> list[InputProblem]:
    """A field name is taken as written. A new name that differs from an existing one (or one earlier
    in the file) only by case, marks or spacing is almost surely a typo: refuse it rather than create
    a near-duplicate field."""
    by_fold: dict[str, str] = {fold_vi(name): name for name in Field.objects.values_list("name", flat=True)}
    exact = set(by_fold.values())
    problems: list[InputProblem] = []
    for r in rows:
        if not r.field or r.field in exact:
            continue
        known = by_fold.get(fold_vi(r.field))
        if known is not None and known != r.field:
            problems.append(
                InputProblem(
                    _("Lĩnh vực «%(name)s» gần trùng với lĩnh vực «%(known)s»; hãy ghi đúng tên đã có.")
                    % {"name": r.field, "known": known},
                    field="field",
                    row=r.row,
                )
            )
            continue
        by_fold[fold_vi(r.field)] = r.field
        exact.add(r.field)
    return problems


def _validate(rows: Sequence[ProcedureRow]) -> list[InputProblem]:
    problems = [p for r in rows for p in _row_problems(r)]
    problems += duplicate_code_problems(rows)
    problems += _field_problems(rows)
    return sort_problems(problems, PROCEDURE_COLUMNS)


def parse_procedures_csv(stream: IO[bytes] | IO[str]) -> list[ProcedureRow]:
    """Read and check a ``procedures.csv`` file (also field names against the database). Raises
    ``InvalidInput`` listing every problem."""
    records, problems = read_csv_table(stream, PROCEDURE_COLUMNS)
    rows: list[ProcedureRow] = []
    for rec in records:
        c = rec.cells
        time_limit, time_limit_problem = _parse_time_limit(c["time_limit"], c["time_unit"])
        fee_vnd, fee_problem = _parse_fee(c["fee_vnd"])
        result_required, result_problem = _parse_bool(c["result_required"])
        full_online_eligible, eligible_problem = _parse_bool(c["full_online_eligible"])
        cell_problems = [
            InputProblem(message, field=column, row=rec.row)
            for column, message in (
                ("time_limit", time_limit_problem),
                ("fee_vnd", fee_problem),
                ("result_required", result_problem),
                ("full_online_eligible", eligible_problem),
            )
            if message
        ]
        row = ProcedureRow(
            row=rec.row,
            code=c["code"],
            name=c["name"],
            field=" ".join(c["field"].split()),
            level=c["level"],
            online_level=c["online_level"],
            time_limit=time_limit,
            time_unit=c["time_unit"],
            fee_vnd=fee_vnd,
            result_required=result_required,
            full_online_eligible=full_online_eligible,
        )
        # a value that did not parse is reported once, not again by the range checks
        problems += cell_problems
        reported = {q.field for q in cell_problems}
        problems += [p for p in _row_problems(row) if p.field not in reported]
        rows.append(row)
    problems += duplicate_code_problems(rows)
    problems += _field_problems(rows)
    if problems:
        raise InvalidInput(sort_problems(problems, PROCEDURE_COLUMNS))
    return rows


class _Headline(TypedDict):
    name: str
    field: Field
    level: str
    online_level: str
    time_limit: Decimal
    time_unit: str
    fee_vnd: int
    result_required: bool
    full_online_eligible: bool


def _fields_for(rows: Sequence[ProcedureRow]) -> dict[str, Field]:
    fields = {f.name: f for f in Field.objects.filter(name__in={r.field for r in rows})}
    taken = set(Field.objects.values_list("code", flat=True))
    for r in rows:
        if r.field not in fields:
            code = field_code_for(r.field, taken)
            taken.add(code)
            fields[r.field] = Field.objects.create(code=code, name=r.field)
    return fields


@transaction.atomic
def import_procedures(
    rows: Sequence[ProcedureRow],
    by: User | None = None,
    *,
    updated_on: dt.date | None = None,
    published_on: dt.date | None = None,
) -> ImportSummary:
    """Upsert procedures by national code in one transaction, touching only the file's columns.

    A changed published procedure gets ``updated_on`` (default today: the change is publicized now).
    New procedures are drafts unless ``published_on`` is given, in which case they are published on
    that day. Raises ``InvalidInput``, writing nothing, when any row is wrong.
    """
    if problems := _validate(rows):
        raise InvalidInput(problems)
    fields = _fields_for(rows)
    existing = {p.code: p for p in Procedure.objects.filter(code__in=[r.code for r in rows])}
    created = updated = unchanged = 0
    for r in rows:
        values: _Headline = {
            "name": r.name,
            "field": fields[r.field],
            "level": r.level,
            "online_level": r.online_level,
            "time_limit": r.time_limit,
            "time_unit": r.time_unit,
            "fee_vnd": r.fee_vnd,
            "result_required": r.result_required,
            "full_online_eligible": r.full_online_eligible,
        }
        try:
            procedure = existing.get(r.code)
            if procedure is None:
                procedure = services.create_procedure(code=r.code, by=by, **values)
                if published_on is not None:
                    services.publish_procedure(procedure=procedure, published_on=published_on, by=by)
                created += 1
            elif services.update_procedure(procedure=procedure, by=by, updated_on=updated_on, **values):
                updated += 1
            else:
                unchanged += 1
        except DomainError as exc:  # checked above; a concurrent change can still get here
            raise InvalidInput([InputProblem(exc.message, row=r.row)]) from exc
    return ImportSummary(created=created, updated=updated, unchanged=unchanged)


def _decimal_text(value: Decimal) -> str:
    """``5.00`` → ``5``, ``0.50`` → ``0.5``, ``10`` → ``10`` (never ``1E+1``)."""
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def export_procedures(stream: Writable, queryset: QuerySet[Procedure] | None = None) -> int:
    """Write ``procedures.csv`` for ``queryset`` (default: the whole catalog, drafts and withdrawn
    procedures included), ordered by code. Returns the number of rows."""
    procedures = (queryset if queryset is not None else Procedure.objects.all()).select_related("field")
    rows = [
        (
            p.code,
            p.name,
            p.field.name,
            p.level,
            p.online_level,
            "" if p.time_unit == TimeUnit.NONE else _decimal_text(p.time_limit),
            p.time_unit,
            str(p.fee_vnd),
            "1" if p.result_required else "0",
            "1" if p.full_online_eligible else "0",
        )
        for p in procedures.order_by("code")
    ]
    write_csv_table(stream, PROCEDURE_COLUMNS, rows)
    return len(rows)
