"""Public status lookup by dossier code: the query the portal's lookup page needs (the dossier with
its procedure and unit, and its timeline), against the plainest SQL doing the same.

The portal lookup view is not written yet (portal issue): this measures the ORM query such a view
would run. Target (QUALITY.md): p95 ≤ 20 ms, ≥ 1,000 requests/s.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_motcua .venv/bin/python benchmarks/lookup.py
"""

import random
import time

from _common import machine, report, setup, timed

setup()

from django.db import connection  # noqa: E402

from motcua.dossiers.models import Dossier, DossierEvent  # noqa: E402
from motcua.dossiers.workflow import INTERCHANGE_EVENT_KINDS  # noqa: E402

ITERATIONS = 2000


def main() -> None:
    total = Dossier.objects.count()
    print(f"{machine()}\n{total:,} dossiers, {DossierEvent.objects.count():,} events")
    with connection.cursor() as cursor:  # a random sample of real codes, spread over the table
        cursor.execute("SELECT code FROM dossiers_dossier TABLESAMPLE SYSTEM (1) LIMIT 5000")
        codes = [row[0] for row in cursor.fetchall()]
    rng = random.Random(1)  # noqa: S311 - reproducible sampling
    kinds = sorted(INTERCHANGE_EVENT_KINDS)

    def ours() -> None:
        code = rng.choice(codes)
        dossier = (
            Dossier.objects.select_related("procedure", "receiving_unit", "responsible_unit")
            .filter(code=code)
            .first()
        )
        if dossier is None:
            raise LookupError(code)
        list(
            dossier.events.filter(kind__in=kinds)
            .order_by("at", "id")
            .values_list("kind", "at", "step_name", "due_at")
        )

    def plain() -> None:
        code = rng.choice(codes)
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT d.id, d.code, d.status, d.due_at, p.name, u.name FROM dossiers_dossier d "
                "JOIN catalog_procedure p ON p.id = d.procedure_id JOIN organizations_unit u ON u.id = d.receiving_unit_id "
                "WHERE d.code = %s",
                [code],
            )
            row = cursor.fetchone()
            cursor.execute(
                "SELECT kind, at, step_name, due_at FROM dossiers_dossierevent WHERE dossier_id = %s "
                "AND kind = ANY(%s) ORDER BY at, id",
                [row[0], kinds],
            )
            cursor.fetchall()

    ours_ms, plain_ms = timed(ours, ITERATIONS), timed(plain, ITERATIONS)
    report("status lookup by code (dossier + procedure + unit + timeline)", ours_ms, plain_ms)
    start = time.perf_counter()
    for _ in range(1000):
        ours()
    print(f"  throughput, one client, ORM: {1000 / (time.perf_counter() - start):,.0f} lookups/s")


if __name__ == "__main__":
    main()
