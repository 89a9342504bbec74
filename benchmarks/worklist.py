"""The officer's worklist and the unit-scoped search (``motcua.dossiers.queries.worklist`` and
``queries.search``), first page of 50, against plain SQL doing the same work.

Officers measured: the demo officers with the most open steps (worklist); commune receivers and the
receivers of the provincial service centre, which sees ~14 % of all dossiers (unit list, search by a
folded name word, search by code prefix). Target (QUALITY.md): median ≤ 30 ms, p95 ≤ 100 ms.
The plain SQL is the obvious hand-written query (visibility as ``OR`` of the three reasons).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_motcua .venv/bin/python benchmarks/worklist.py [ITERATIONS]
"""

import random
import sys

from _common import machine, report, setup, timed

setup()

from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.utils import timezone  # noqa: E402

from motcua.accounts.models import User  # noqa: E402
from motcua.demo.province import SERVICE_CENTRE_CODE  # noqa: E402
from motcua.dossiers import queries  # noqa: E402
from motcua.dossiers.models import Dossier, DossierStep  # noqa: E402
from motcua.dossiers.workflow import OPEN  # noqa: E402
from motcua.organizations.models import Unit  # noqa: E402

ITERATIONS = int(sys.argv[1]) if len(sys.argv) > 1 and sys.argv[1].isdigit() else 300
PAGE = 50
OPEN_STATUSES = [str(s) for s in OPEN]


def main() -> None:
    print(f"{machine()}\n{Dossier.objects.count():,} dossiers, {DossierStep.objects.count():,} steps")
    busiest = list(
        DossierStep.objects.filter(started_at__isnull=False, finished_at__isnull=True, assignee__isnull=False)
        .values("assignee")
        .annotate(n=Count("id"))
        .order_by("-n")
        .values_list("assignee", "n")[:5]
    )
    print("open steps of the 5 busiest officers:", [n for _u, n in busiest])
    officers = list(User.objects.filter(pk__in=[u for u, _n in busiest]))
    rng = random.Random(2)  # noqa: S311 - reproducible sampling
    now = timezone.now()

    def ours_worklist() -> None:
        user = rng.choice(officers)
        for step in queries.worklist(user, now)[:PAGE]:
            _ = (step.dossier.code, step.dossier.procedure.name, step.unit.name, step.is_overdue)  # type: ignore[attr-defined]

    def plain_worklist() -> None:
        user = rng.choice(officers)
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT s.id, s.name, s.due_at, s.due_at < %s, d.code, p.name, u.name "
                "FROM dossiers_dossierstep s JOIN dossiers_dossier d ON d.id = s.dossier_id "
                "JOIN catalog_procedure p ON p.id = d.procedure_id JOIN organizations_unit u ON u.id = s.unit_id "
                "WHERE s.started_at IS NOT NULL AND s.finished_at IS NULL AND d.status = ANY(%s) "
                "AND (s.assignee_id = %s OR (s.assignee_id IS NULL AND EXISTS (SELECT 1 FROM organizations_membership m "
                "WHERE m.user_id = %s AND m.unit_id = s.unit_id AND m.role = s.role AND m.is_active))) "
                "ORDER BY s.due_at, s.id LIMIT %s",
                [now, OPEN_STATUSES, user.pk, user.pk, PAGE],
            )
            cursor.fetchall()

    if "--units-only" not in sys.argv:
        report(
            "officer worklist (first 50, busiest officers)",
            timed(ours_worklist, ITERATIONS),
            timed(plain_worklist, ITERATIONS),
        )

    centre = Unit.objects.get(code=SERVICE_CENTRE_CODE)
    groups = {
        "commune receivers": list(
            User.objects.filter(memberships__role="receiver", memberships__unit__level="commune")
            .distinct()
            .order_by("pk")[:40]
        ),
        "service-centre receivers": list(
            User.objects.filter(memberships__role="receiver", memberships__unit=centre)
            .distinct()
            .order_by("pk")
        ),
    }
    for label, receivers in groups.items():
        units = {u.pk: queries.officer_unit_ids(u) for u in receivers}
        # The plain OR takes about a minute per call for the centre (its subplan outgrows work_mem).
        unit_searches(label, receivers, units, rng, plain_runs=ITERATIONS if "commune" in label else 3)


def unit_searches(
    label: str, receivers: list[User], units: dict[int, list[int]], rng: random.Random, plain_runs: int
) -> None:
    words = ["nguyen", "thi", "hung", "lan", "tran van"]
    codes = list(
        Dossier.objects.filter(receiving_unit__in={u for ids in units.values() for u in ids})
        .order_by("-id")
        .values_list("code", flat=True)[:200]
    )

    def plain_search_sql(unit_ids: list[int], clauses: list[str], params: list[str]) -> None:
        where = " AND ".join(clauses) or "TRUE"
        with connection.cursor() as cursor:
            # only fixed clauses are joined into the statement
            sql = (
                "SELECT d.id, d.code, d.status, d.applicant_name, p.name, u.name FROM dossiers_dossier d "  # noqa: S608
                "JOIN catalog_procedure p ON p.id = d.procedure_id "
                "JOIN organizations_unit u ON u.id = d.responsible_unit_id "
                "WHERE (d.receiving_unit_id = ANY(%s) OR d.responsible_unit_id = ANY(%s) OR d.id IN "
                "(SELECT dossier_id FROM dossiers_dossierstep WHERE unit_id = ANY(%s))) AND "
                + where
                + " ORDER BY d.submitted_at DESC, d.id DESC LIMIT %s"
            )
            cursor.execute(sql, [unit_ids, unit_ids, unit_ids, *params, PAGE])
            cursor.fetchall()

    def ours_search() -> None:
        user = rng.choice(receivers)
        list(queries.search(user, text=rng.choice(words))[:PAGE])

    def plain_search() -> None:
        user = rng.choice(receivers)
        text = rng.choice(words).split()
        plain_search_sql(units[user.pk], ["d.search_folded LIKE %s"] * len(text), [f"%{w}%" for w in text])

    report(
        f"search by name word (first 50, {label})",
        timed(ours_search, ITERATIONS),
        timed(plain_search, plain_runs, warmup=min(plain_runs, 20)),
    )

    def ours_code() -> None:
        user = rng.choice(receivers)
        code = rng.choice(codes)
        list(queries.search(user, text=code[: rng.randint(14, len(code))])[:PAGE])

    def plain_code() -> None:
        user = rng.choice(receivers)
        code = rng.choice(codes)
        plain_search_sql(units[user.pk], ["d.code LIKE %s"], [code[: rng.randint(14, len(code))] + "%"])

    report(
        f"search by code prefix (first 50, {label})",
        timed(ours_code, ITERATIONS),
        timed(plain_code, plain_runs, warmup=min(plain_runs, 20)),
    )

    def ours_list() -> None:
        user = rng.choice(receivers)
        list(queries.search(user)[:PAGE])

    def plain_list() -> None:
        user = rng.choice(receivers)
        plain_search_sql(units[user.pk], [], [])

    report(
        f"unit dossier list, newest first (first 50, {label})",
        timed(ours_list, ITERATIONS),
        timed(plain_list, plain_runs, warmup=min(plain_runs, 20)),
    )

    def ours_count() -> None:
        user = rng.choice(receivers)
        queries.search(user).count()

    def plain_count() -> None:
        user = rng.choice(receivers)
        with connection.cursor() as cursor:
            ids = units[user.pk]
            cursor.execute(
                "SELECT count(*) FROM dossiers_dossier d WHERE d.receiving_unit_id = ANY(%s) OR "
                "d.responsible_unit_id = ANY(%s) OR d.id IN (SELECT dossier_id FROM dossiers_dossierstep "
                "WHERE unit_id = ANY(%s))",
                [ids, ids, ids],
            )
            cursor.fetchall()

    report(
        f"count for the pager ({label})",
        timed(ours_count, 50, warmup=3),
        timed(plain_count, min(plain_runs, 50), warmup=1),
    )


if __name__ == "__main__":
    main()
