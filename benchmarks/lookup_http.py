"""Public status lookup over HTTP (``POST /tra-cuu/``: dossier code + last 4 digits of the submitter's
ID number, the portal page a citizen uses), in requests/s, against the plainest SQL doing the same
reads (the dossier by code with procedure and unit, then its history) from as many processes.

A real gunicorn (gthread) on loopback against the benchmark database; ``--clients`` processes with
keep-alive, each with its own CSRF cookie. Every answer must show the dossier (status 200 and the
code in the page); each lookup also goes through the page's throttle (counted, then given back on
success). Target (QUALITY.md): p95 ≤ 20 ms, ≥ 1,000 requests/s.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_motcua .venv/bin/python benchmarks/lookup_http.py \
        [--clients 8] [--seconds 20] [--workers 4] [--threads 4]
"""

import argparse
import multiprocessing as mp
import os
import random
import secrets
import time
from typing import Any

import httpx
from _common import machine, setup
from _http import gunicorn, rate_line

setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.urls import reverse  # noqa: E402

from motcua.dossiers.models import Dossier  # noqa: E402


def sample(n: int) -> list[tuple[str, str]]:
    """Real (code, last 4 digits of the submitter's ID) pairs, spread over the table."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT code, right(applicant_id_number, 4) FROM dossiers_dossier TABLESAMPLE SYSTEM (1) "
            "WHERE length(applicant_id_number) >= 4 AND applicant_id_number ~ '^[0-9]+$' LIMIT %s",
            [n],
        )
        return [(str(code), str(digits)) for code, digits in cursor.fetchall()]


def http_client(base: str, path: str, csrf_name: str, pairs: list[tuple[str, str]], seconds: float,
                seed: int, out: Any, go: Any) -> None:  # fmt: skip
    rng = random.Random(seed)  # noqa: S311 - reproducible sampling
    token = secrets.token_hex(16)
    latencies: list[float] = []
    done, wrong = 0, 0
    with httpx.Client(base_url=base, cookies={csrf_name: token}, timeout=60) as client:
        out.put("ready")
        go.wait()
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            code, digits = rng.choice(pairs)
            start = time.perf_counter()
            response = client.post(path, data={"csrfmiddlewaretoken": token, "ma": code, "xac_thuc": digits})
            latencies.append((time.perf_counter() - start) * 1000)
            done += 1
            if response.status_code != 200 or code not in response.text:
                wrong += 1
                if wrong <= 3:
                    print(f"  unexpected answer: HTTP {response.status_code}")
    out.put({"done": done, "wrong": wrong, "latencies": latencies})


def sql_client(dsn: str, pairs: list[tuple[str, str]], seconds: float, seed: int, out: Any, go: Any) -> None:
    import psycopg

    rng = random.Random(seed)  # noqa: S311 - reproducible sampling
    latencies: list[float] = []
    done = 0
    with psycopg.connect(dsn, autocommit=True) as conn, conn.cursor() as cur:
        out.put("ready")
        go.wait()
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            code, _digits = rng.choice(pairs)
            start = time.perf_counter()
            cur.execute(
                "SELECT d.id, d.code, d.status, d.due_at, d.applicant_id_number, p.name, u.name "
                "FROM dossiers_dossier d JOIN catalog_procedure p ON p.id = d.procedure_id "
                "JOIN organizations_unit u ON u.id = d.receiving_unit_id WHERE d.code = %s",
                [code],
            )
            row = cur.fetchone()
            cur.execute(
                "SELECT kind, at, step_name, due_at, data FROM dossiers_dossierevent WHERE dossier_id = %s "
                "ORDER BY at, id",
                [row[0]],  # type: ignore[index]
            )
            cur.fetchall()
            latencies.append((time.perf_counter() - start) * 1000)
            done += 1
    out.put({"done": done, "wrong": 0, "latencies": latencies})


def run(ctx: Any, target: Any, args_for: Any, clients: int) -> tuple[int, int, list[float], float]:
    out, go = ctx.Queue(), ctx.Event()
    processes = [ctx.Process(target=target, args=(*args_for(i), out, go)) for i in range(clients)]
    for p in processes:
        p.start()
    for _p in processes:
        if out.get() != "ready":
            raise RuntimeError("a client failed to start")
    started = time.monotonic()
    go.set()
    results = [out.get() for _p in processes]
    elapsed = time.monotonic() - started
    for p in processes:
        p.join()
    latencies = [x for r in results for x in r["latencies"]]
    return sum(r["done"] for r in results), sum(r["wrong"] for r in results), latencies, elapsed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1))
    parser.add_argument("--threads", type=int, default=4)
    args = parser.parse_args()
    print(f"{machine()}\n{Dossier.objects.count():,} dossiers")
    pairs = sample(5000)
    path = reverse("portal:lookup")
    ctx = mp.get_context("spawn")
    with gunicorn(args.workers, args.threads) as (base, _env):
        print(f"gunicorn: {args.workers} workers × {args.threads} threads; {args.clients} client processes")
        done, wrong, latencies, elapsed = run(
            ctx,
            http_client,
            lambda i: (base, path, settings.CSRF_COOKIE_NAME, pairs, args.seconds, i),
            args.clients,
        )
    print(rate_line(f"ours : POST {path} (lookup page with the dossier)", done, elapsed, latencies))
    print(f"  answers without the dossier: {wrong}")
    dsn = os.environ["DATABASE_URL"]
    done_p, _w, latencies_p, elapsed_p = run(
        ctx, sql_client, lambda i: (dsn, pairs, args.seconds, i), args.clients
    )
    print(rate_line("plain: the two SQL reads, no HTTP", done_p, elapsed_p, latencies_p))
    print(f"  ratio (throughput): plain is {done_p / elapsed_p / max(done / elapsed, 1e-9):.1f}× ours")


if __name__ == "__main__":
    main()
