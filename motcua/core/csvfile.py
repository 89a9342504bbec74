"""CSV files of the interchange contract (v1): reading, writing and reporting problems.

UTF-8 with an optional BOM (Excel's "CSV UTF-8" writes one), RFC 4180 quoting, one header row, rows
numbered as a spreadsheet shows them (the header is row 1). Every problem is collected, with row and
column, before anything is written; see docs/interchange.md.
"""

import argparse
import contextlib
import csv
import datetime as dt
import difflib
import io
import sys
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import IO, Protocol

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from motcua.core.errors import InputProblem, InvalidInput


class Writable(Protocol):
    def write(self, text: str, /) -> object: ...


@dataclass(frozen=True)
class CsvRecord:
    """One data row: its spreadsheet row number and its cells by column name (NFC, outer blanks stripped)."""

    row: int
    cells: dict[str, str]


@dataclass(frozen=True)
class ImportSummary:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    def __str__(self) -> str:
        return _("%(created)d dòng thêm mới, %(updated)d dòng cập nhật, %(unchanged)d dòng không đổi.") % {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
        }


def sort_problems(problems: Iterable[InputProblem], columns: Sequence[str]) -> list[InputProblem]:
    """File-wide problems first, then by row and, within a row, in the file format's column order."""
    order = {column: i for i, column in enumerate(columns)}
    return sorted(problems, key=lambda p: (p.row or 0, order.get(p.field, -1)))


class CodedRow(Protocol):
    """A row of a file keyed by a code (a unit's agency code, a procedure's national code)."""

    @property
    def row(self) -> int: ...

    @property
    def code(self) -> str: ...


def duplicate_code_problems(rows: Iterable[CodedRow]) -> list[InputProblem]:
    """One problem for every row whose code an earlier row already has, naming that first row."""
    first_row: dict[str, int] = {}
    problems: list[InputProblem] = []
    for r in rows:
        if r.code in first_row:
            problems.append(
                InputProblem(
                    _("Mã «%(code)s» đã có ở dòng %(first)d.") % {"code": r.code, "first": first_row[r.code]},
                    field="code",
                    row=r.row,
                )
            )
        else:
            first_row[r.code] = r.row
    return problems


def _decode(data: bytes) -> tuple[str | None, InputProblem | None]:
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        return None, InputProblem(
            _(
                "Tệp không phải mã hóa UTF-8 (byte không hợp lệ ở dòng %(line)d). "
                "Hãy lưu lại tệp dạng «CSV UTF-8»."
            )
            % {"line": line},
        )


def _clean(value: str) -> str:
    return unicodedata.normalize("NFC", value).strip()


def _header_problems(header: list[str], columns: Sequence[str]) -> list[InputProblem]:
    problems: list[InputProblem] = []
    if len(header) == 1 and ";" in header[0]:
        return [
            InputProblem(_("Tệp dùng dấu chấm phẩy «;» để phân cách; định dạng yêu cầu dấu phẩy «,»."), row=1)
        ]
    seen: set[str] = set()
    suggested: set[str] = set()
    for name in header:
        if name in seen:
            problems.append(InputProblem(_("Cột bị lặp lại trong dòng tiêu đề."), field=name, row=1))
        seen.add(name)
        if name not in columns:
            guess = difflib.get_close_matches(name.lower(), [c for c in columns if c not in header], n=1)
            if guess:
                suggested.add(guess[0])
                message = _("Cột không có trong định dạng; có phải là «%(guess)s»?") % {"guess": guess[0]}
            else:
                message = _("Cột không có trong định dạng (các cột: %(columns)s).") % {
                    "columns": ", ".join(columns)
                }
            problems.append(InputProblem(message, field=name, row=1))
    problems.extend(
        InputProblem(_("Thiếu cột này trong dòng tiêu đề."), field=column, row=1)
        for column in columns
        if column not in seen and column not in suggested
    )
    return problems


def read_csv_table(
    stream: IO[bytes] | IO[str], columns: Sequence[str]
) -> tuple[list[CsvRecord], list[InputProblem]]:
    """Read an interchange CSV file into records keyed by column name, and the problems of its shape
    (encoding, header, cell counts, quoting). Cell values are left for the caller to validate.

    Columns may come in any order; trailing empty cells (spreadsheets add them) and fully empty rows
    are ignored. When the header is wrong no record is returned.
    """
    raw = stream.read()
    if isinstance(raw, bytes):
        text, problem = _decode(raw)
        if text is None:
            return [], [problem] if problem else []
    else:
        text = raw.removeprefix("\ufeff")
    if not text.strip():
        return [], [
            InputProblem(_("Tệp rỗng: cần một dòng tiêu đề (%(columns)s).") % {"columns": ", ".join(columns)})
        ]

    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    records: list[CsvRecord] = []
    problems: list[InputProblem] = []
    header: list[str] = []
    row = 0
    try:
        for cells in reader:
            row += 1
            values = [_clean(c) for c in cells]
            while values and not values[-1]:
                values.pop()
            if row == 1:
                header = values
                problems.extend(_header_problems(header, columns))
                if problems:
                    return [], problems
                continue
            if not values:
                continue
            if len(values) > len(header):
                problems.append(
                    InputProblem(
                        _("Dòng có %(cells)d ô nhưng tiêu đề chỉ có %(columns)d cột (thừa dấu phẩy?).")
                        % {"cells": len(values), "columns": len(header)},
                        row=row,
                    )
                )
                continue
            values += [""] * (len(header) - len(values))
            records.append(CsvRecord(row=row, cells=dict(zip(header, values, strict=True))))
    except csv.Error as exc:
        problems.append(
            InputProblem(
                _("Lỗi cú pháp CSV (dấu ngoặc kép không khớp?): %(detail)s") % {"detail": exc}, row=row + 1
            )
        )
    return records, problems


def write_csv_table(stream: Writable, columns: Sequence[str], rows: Iterable[Sequence[str]]) -> None:
    """RFC 4180: CRLF line ends, quotes only where needed. No BOM (see docs/interchange.md)."""
    writer = csv.writer(stream, lineterminator="\r\n")
    writer.writerow(columns)
    writer.writerows(rows)


# --- units.csv ---------------------------------------------------------------------------------------


# --- shared by the import/export commands ------------------------------------------------------------


@contextlib.contextmanager
def open_input(path: str) -> Iterator[IO[bytes]]:
    """The file at ``path`` opened for reading bytes, or standard input for ``-``."""
    if path == "-":
        yield sys.stdin.buffer
        return
    with open(path, "rb") as stream:
        yield stream


def date_argument(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(
            _("«%(value)s» không phải ngày dạng YYYY-MM-DD.") % {"value": value}
        ) from None


def problems_report(problems: Iterable[InputProblem], source: str) -> str:
    """One line per problem, ``<file>: dòng N, cột «c»: message``, for the command's standard error."""
    return "".join(f"{source}: {p}\n" for p in problems)


def run_import(
    command: BaseCommand, path: str, load: Callable[[IO[bytes]], ImportSummary], done_message: str
) -> None:
    """Run an import command: ``load`` reads (and checks, then imports) the file at ``path`` (``-`` for
    standard input). Every problem goes to standard error and the command fails with ``CommandError``;
    on success ``done_message`` (with ``%(summary)s``) goes to standard output."""
    try:
        with open_input(path) as stream:
            summary = load(stream)
    except OSError as exc:
        raise CommandError(
            _("Không mở được tệp «%(path)s»: %(error)s") % {"path": path, "error": exc.strerror}
        ) from exc
    except InvalidInput as exc:
        command.stderr.write(problems_report(exc.problems, path), ending="")
        raise CommandError(
            _("Tệp có %(count)d lỗi; chưa nhập dòng nào.") % {"count": len(exc.problems)}
        ) from exc
    command.stdout.write(done_message % {"summary": summary})


def run_export(
    command: BaseCommand, out: str | None, export: Callable[[Writable], int], done_message: str
) -> None:
    """Run an export command: ``export`` writes the CSV to the file ``out`` or, when None, to standard
    output. After writing a file ``done_message`` (with ``%(count)d`` and ``%(path)s``) is reported."""
    if out is None:
        buffer = io.StringIO()
        export(buffer)
        command.stdout.write(buffer.getvalue(), ending="")
        return
    try:
        with open(out, "w", encoding="utf-8", newline="") as stream:
            count = export(stream)
    except OSError as exc:
        raise CommandError(
            _("Không ghi được tệp «%(path)s»: %(error)s") % {"path": out, "error": exc.strerror}
        ) from exc
    command.stdout.write(done_message % {"count": count, "path": out})
