"""``units.csv`` (interchange contract v1): ``code, name, level, parent_code``.

Reading and writing follow ``core.csvfile``; every problem is collected before anything is written.
"""

import datetime as dt
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import IO

from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from motcua.accounts.models import User
from motcua.core.csvfile import (
    ImportSummary,
    Writable,
    duplicate_code_problems,
    read_csv_table,
    sort_problems,
    write_csv_table,
)
from motcua.core.errors import DomainError, InputProblem, InvalidInput
from motcua.organizations import services
from motcua.organizations.codes import agency_code_problem
from motcua.organizations.models import Level, Unit

UNIT_COLUMNS = ("code", "name", "level", "parent_code")


@dataclass(frozen=True)
class UnitRow:
    row: int
    code: str
    name: str
    level: str
    parent_code: str = ""


def _unit_row_problems(r: UnitRow) -> list[InputProblem]:
    problems: list[InputProblem] = []
    if problem := agency_code_problem(r.code):
        problems.append(InputProblem(problem, field="code", row=r.row))
    if problem := services.name_problem(r.name):
        problems.append(InputProblem(problem, field="name", row=r.row))
    if r.level not in Level.values:
        problems.append(
            InputProblem(
                _("Cấp «%(level)s» không hợp lệ; chọn một trong: %(choices)s.")
                % {"level": r.level, "choices": ", ".join(Level.values)},
                field="level",
                row=r.row,
            )
        )
    if r.parent_code:
        if problem := agency_code_problem(r.parent_code):
            problems.append(InputProblem(problem, field="parent_code", row=r.row))
        elif r.parent_code == r.code:
            problems.append(
                InputProblem(_("Đơn vị không thể là cấp trên của chính nó."), field="parent_code", row=r.row)
            )
    return problems


@dataclass(frozen=True)
class _Known:
    level: str
    parent_code: str
    is_active: bool
    name: str


def _tree_problems(rows: Sequence[UnitRow], also_in_file: Collection[str] = ()) -> list[InputProblem]:
    """Checks against the database and across rows: parents exist (in the file or already), levels fit,
    existing units keep their level, inactive units are not changed, and the resulting tree has no cycle.
    ``also_in_file`` are codes of other rows of the file, of unknown level (their cells are wrong)."""
    in_db = {
        code: _Known(level, parent or "", active, name)
        for code, level, parent, active, name in Unit.objects.values_list(
            "code", "level", "parent__code", "is_active", "name"
        )
    }
    in_file = {r.code: r for r in rows}
    problems: list[InputProblem] = []
    for r in rows:
        old = in_db.get(r.code)
        is_new = old is None
        moves = old is not None and old.parent_code != r.parent_code
        if old is not None:
            if old.level != r.level:
                problems.append(
                    InputProblem(
                        _("Không thể đổi cấp của đơn vị đã có (đang là «%(level)s»).") % {"level": old.level},
                        field="level",
                        row=r.row,
                    )
                )
            if not old.is_active and (moves or old.name != r.name):
                problems.append(
                    InputProblem(
                        _(
                            "Đơn vị «%(code)s» đã ngừng hoạt động (sáp nhập hoặc giải thể), không thể thay đổi."
                        )
                        % {"code": r.code},
                        row=r.row,
                    )
                )
        if not (is_new or moves):
            continue
        parent_level: str | None = None
        if r.parent_code:
            parent_in_db = in_db.get(r.parent_code)
            if r.parent_code in also_in_file and r.parent_code not in in_file:
                continue
            if r.parent_code in in_file:
                parent_level = in_file[r.parent_code].level
            elif parent_in_db is not None:
                parent_level = parent_in_db.level
            else:
                problems.append(
                    InputProblem(
                        _("Không tìm thấy đơn vị cấp trên «%(code)s» trong tệp hay trong hệ thống.")
                        % {"code": r.parent_code},
                        field="parent_code",
                        row=r.row,
                    )
                )
                continue
            if parent_in_db is not None and not parent_in_db.is_active:
                problems.append(
                    InputProblem(
                        _("Đơn vị cấp trên «%(code)s» đã ngừng hoạt động.") % {"code": r.parent_code},
                        field="parent_code",
                        row=r.row,
                    )
                )
        if problem := services.parent_level_problem(r.level, parent_level):
            problems.append(InputProblem(problem, field="level", row=r.row))

    def parent_of(code: str) -> str:
        if code in in_file:
            return in_file[code].parent_code
        known = in_db.get(code)
        return known.parent_code if known else ""

    for r in rows:
        chain = [r.code]
        node = parent_of(r.code)
        while node and node != r.code and node not in chain:
            chain.append(node)
            node = parent_of(node)
        if node == r.code and r.parent_code != r.code:
            problems.append(
                InputProblem(
                    _("Cây đơn vị bị vòng lặp: %(chain)s.") % {"chain": " → ".join([*chain, r.code])},
                    field="parent_code",
                    row=r.row,
                )
            )
    return problems


def _validate_units(
    rows: Sequence[UnitRow], shape_problems: Sequence[InputProblem] = ()
) -> list[InputProblem]:
    """Every problem of ``rows``. The tree is checked over the rows whose own cells are fine (rows with
    bad cells still count as defined parents, of unknown level), unless the file itself was unreadable
    in places: then a parent may simply sit in the part that could not be read."""
    problems = [*shape_problems, *(p for r in rows for p in _unit_row_problems(r))]
    problems += duplicate_code_problems(rows)
    row_numbers = {r.row for r in rows}
    if all(p.row in row_numbers for p in problems):
        bad = {p.row for p in problems}
        problems += _tree_problems(
            [r for r in rows if r.row not in bad], also_in_file={r.code for r in rows if r.row in bad}
        )
    return sort_problems(problems, UNIT_COLUMNS)


def parse_units_csv(stream: IO[bytes] | IO[str]) -> list[UnitRow]:
    """Read and check a ``units.csv`` file, also against the units already in the database (parents may
    be defined later in the file or already exist). Raises ``InvalidInput`` listing every problem."""
    records, shape_problems = read_csv_table(stream, UNIT_COLUMNS)
    rows = [
        UnitRow(
            row=rec.row,
            code=rec.cells["code"],
            name=rec.cells["name"],
            level=rec.cells["level"],
            parent_code=rec.cells["parent_code"],
        )
        for rec in records
    ]
    if problems := _validate_units(rows, shape_problems):
        raise InvalidInput(problems)
    return rows


def _parents_first(rows: Sequence[UnitRow]) -> list[UnitRow]:
    in_file = {r.code: r for r in rows}
    ordered: list[UnitRow] = []
    placed: set[str] = set()

    def place(r: UnitRow) -> None:
        if r.code in placed:
            return
        placed.add(r.code)  # the tree check has ruled out cycles
        if r.parent_code in in_file:
            place(in_file[r.parent_code])
        ordered.append(r)

    for r in rows:
        place(r)
    return ordered


@transaction.atomic
def import_units(
    rows: Sequence[UnitRow],
    by: User | None = None,
    *,
    effective_on: dt.date | None = None,
    legal_basis: str = "",
) -> ImportSummary:
    """Upsert units by code in one transaction. A new code creates the unit; a changed name is a rename
    and a changed parent a re-parenting, each recorded in the unit's history with ``effective_on``
    (default today). Units missing from the file are left alone. Raises ``InvalidInput``, writing
    nothing, when any row is wrong."""
    if problems := _validate_units(rows):
        raise InvalidInput(problems)
    created = updated = unchanged = 0
    existing = {
        u.code: u for u in Unit.objects.select_related("parent").filter(code__in=[r.code for r in rows])
    }
    for r in _parents_first(rows):
        try:
            parent = Unit.objects.get(code=r.parent_code) if r.parent_code else None
            unit = existing.get(r.code)
            if unit is None:
                services.create_unit(
                    code=r.code,
                    name=r.name,
                    level=r.level,
                    parent=parent,
                    effective_on=effective_on,
                    legal_basis=legal_basis,
                    by=by,
                )
                created += 1
                continue
            changed = False
            if unit.name != r.name:
                services.rename_unit(
                    unit=unit, name=r.name, effective_on=effective_on, legal_basis=legal_basis, by=by
                )
                changed = True
            if unit.parent_id != (parent.pk if parent else None):
                services.reparent_unit(
                    unit=unit, parent=parent, effective_on=effective_on, legal_basis=legal_basis, by=by
                )
                changed = True
        except DomainError as exc:  # checked above; a concurrent change can still get here
            raise InvalidInput([InputProblem(exc.message, row=r.row)]) from exc
        if changed:
            updated += 1
        else:
            unchanged += 1
    return ImportSummary(created=created, updated=updated, unchanged=unchanged)


def export_units(stream: Writable, queryset: QuerySet[Unit] | None = None) -> int:
    """Write ``units.csv`` for ``queryset`` (default: every unit, inactive ones included, so that
    historical dossiers still find their unit), ordered by code. Returns the number of rows."""
    units = (
        (queryset if queryset is not None else Unit.objects.all()).select_related("parent").order_by("code")
    )
    rows = [(u.code, u.name, u.level, u.parent.code if u.parent else "") for u in units]
    write_csv_table(stream, UNIT_COLUMNS, rows)
    return len(rows)
