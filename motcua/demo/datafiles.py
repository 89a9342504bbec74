"""Reading the demo data files in ``motcua/demo/data/``.

``units.csv`` and ``procedures.csv`` use the interchange columns (see docs of ``import-units`` and
``import-procedures``) so the same files can be imported by those commands; everything richer lives
in JSON files keyed by natural keys (procedure code, field name, unit code).
"""

import csv
import json
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from motcua.catalog.interchange import PROCEDURE_COLUMNS
from motcua.organizations.interchange import UNIT_COLUMNS

DATA_DIR = Path(__file__).resolve().parent / "data"


class DemoDataError(ValueError):
    """A demo data file does not have the expected shape."""


@dataclass(frozen=True)
class UnitRow:
    code: str
    name: str
    level: str
    parent_code: str | None


@dataclass(frozen=True)
class ProcedureRow:
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


def read_csv(name: str, columns: tuple[str, ...]) -> list[dict[str, str]]:
    """Rows of ``data/<name>`` as dicts; the header must be exactly ``columns``."""
    with (DATA_DIR / name).open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        header = tuple(next(reader))
        if header != columns:
            raise DemoDataError(f"{name}: header {header!r} is not {columns!r}")
        rows = []
        for number, values in enumerate(reader, start=2):
            if len(values) != len(columns):
                raise DemoDataError(f"{name}:{number}: {len(values)} cells instead of {len(columns)}")
            rows.append(dict(zip(columns, values, strict=True)))
    return rows


@cache
def load_json(name: str) -> dict[str, Any]:
    with (DATA_DIR / name).open(encoding="utf-8") as handle:
        data: dict[str, Any] = json.load(handle)
    return data


def _flag(value: str) -> bool:
    if value not in {"0", "1"}:
        raise DemoDataError(f"boolean cell must be 0 or 1, not {value!r}")
    return value == "1"


def unit_rows() -> list[UnitRow]:
    return [
        UnitRow(code=r["code"], name=r["name"], level=r["level"], parent_code=r["parent_code"] or None)
        for r in read_csv("units.csv", UNIT_COLUMNS)
    ]


def procedure_rows() -> list[ProcedureRow]:
    return [
        ProcedureRow(
            code=r["code"],
            name=r["name"],
            field=r["field"],
            level=r["level"],
            online_level=r["online_level"],
            time_limit=Decimal(r["time_limit"] or "0"),
            time_unit=r["time_unit"],
            fee_vnd=int(r["fee_vnd"] or "0"),
            result_required=_flag(r["result_required"]),
            full_online_eligible=_flag(r["full_online_eligible"]),
        )
        for r in read_csv("procedures.csv", PROCEDURE_COLUMNS)
    ]
