"""The synthetic history generator (``motcua seed-demo --dossiers N``) on PostgreSQL, in dossiers/s,
split into simulation (Python) and writing (COPY), against the plainest way to load the same rows:
one raw ``COPY … FROM STDIN`` per table of pre-rendered text.

Runs inside a transaction that is rolled back: the database is left as it was. Needs the demo
province (``motcua seed-demo``).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_motcua .venv/bin/python benchmarks/generator.py [N]
"""

import sys
import time
from typing import Any

from _common import machine, setup

setup()

from django.db import connection, transaction  # noqa: E402

from motcua.demo import bulk  # noqa: E402
from motcua.demo.dossiers import generate_dossiers  # noqa: E402
from motcua.dossiers.models import Dossier, DossierComponent, DossierEvent, DossierStep  # noqa: E402

TABLES = [
    (Dossier, bulk.DOSSIER_COLUMNS),
    (DossierComponent, bulk.COMPONENT_COLUMNS),
    (DossierStep, bulk.STEP_COLUMNS),
    (DossierEvent, bulk.EVENT_COLUMNS),
]


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 40_000
    print(f"{machine()}\nbefore: {Dossier.objects.count():,} dossiers")
    flushing: list[float] = []
    captured: dict[str, Any] = {}
    original = bulk.Chunk.flush

    def timed_flush(self: bulk.Chunk, written_at: Any) -> tuple[int, int, int, int]:
        start = time.perf_counter()
        result = original(self, written_at)
        flushing.append(time.perf_counter() - start)
        captured["chunk"] = self
        return result

    bulk.Chunk.flush = timed_flush  # type: ignore[method-assign]
    with transaction.atomic():
        report = generate_dossiers(n, append=True)
        transaction.set_rollback(True)
    bulk.Chunk.flush = original  # type: ignore[method-assign]
    write = sum(flushing)
    rows = report.dossiers + report.components + report.steps + report.events
    print(
        f"generator: {report.dossiers:,} dossiers ({rows:,} rows: {report.components:,} components, "
        f"{report.steps:,} steps, {report.events:,} events) in {report.seconds:.1f} s "
        f"= {report.dossiers / report.seconds:,.0f} dossiers/s"
    )
    print(f"  simulation {report.seconds - write:.1f} s, writing (COPY + ids + numbers) {write:.1f} s")

    # The plainest load: the last chunk's rows, rendered to COPY text beforehand, one COPY per table.
    chunk: bulk.Chunk = captured["chunk"]
    dossier_rows = [(10**12 + i, *row, None, None) for i, row in enumerate(chunk.dossiers)]
    texts = []
    for model, columns in TABLES:
        table_rows: list[tuple[Any, ...]]
        if model is Dossier:
            table_rows = [(*r[:-2], r[20], r[20]) for r in dossier_rows]
        elif model is DossierComponent:
            table_rows = [(10**12 + r[0], *r[1:]) for r in chunk.components]
        elif model is DossierStep:
            table_rows = [(10**12 + i, 10**12 + s[0], *s[1:]) for i, s in enumerate(chunk.steps)]
        else:
            table_rows = [
                (10**12 + e[0], *e[1:7], None if e[7] is None else 10**12 + e[7], *e[8:])
                for e in chunk.events
            ]
        texts.append((model, columns, _render(table_rows)))
    start = time.perf_counter()
    with transaction.atomic():
        with connection.cursor() as cursor:
            raw = cursor.cursor
            for model, columns, text in texts:
                names = ", ".join(bulk._column(model, c) for c in columns)
                with raw.copy(f"COPY {model._meta.db_table} ({names}) FROM STDIN") as copy:
                    copy.write(text)
        elapsed = time.perf_counter() - start
        transaction.set_rollback(True)
    print(
        f"plain raw COPY of the same {len(chunk.dossiers):,} dossiers' rows (pre-rendered text): {elapsed:.2f} s "
        f"= {len(chunk.dossiers) / elapsed:,.0f} dossiers/s; "
        f"generator whole-run rate is {report.dossiers / report.seconds / (len(chunk.dossiers) / elapsed):.2f}× of it"
    )


def _render(rows: list[tuple[Any, ...]]) -> bytes:
    """COPY text format (``\\N`` for NULL, escaped tabs and newlines), rendered outside the timing."""
    return b"".join("\t".join(_text(v) for v in row).encode() + b"\n" for row in rows)


def _text(value: Any) -> str:
    if value is None:
        return "\\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if hasattr(value, "isoformat"):
        return str(value.isoformat())
    return str(value).replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")


if __name__ == "__main__":
    main()
