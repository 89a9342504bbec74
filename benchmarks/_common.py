"""Shared helpers of the benchmark scripts: Django set-up, timing, the machine description.

Not part of the test suite. Run a script with ``.venv/bin/python benchmarks/<name>.py`` and
``DATABASE_URL`` pointing to a PostgreSQL database already seeded with ``motcua seed-demo --dossiers N``.
"""

import os
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")


def setup() -> None:
    import django

    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit(
            "DATABASE_URL must point to a PostgreSQL database (e.g. postgres://postgres@127.0.0.1:5432/bench_motcua)"
        )
    django.setup()


def machine() -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        pg = cursor.fetchone()[0]
    memory = (
        subprocess.run(["/usr/bin/free", "-h"], capture_output=True, text=True, check=False)
        .stdout.split("\n")[1]
        .split()[1]
    )
    return f"{platform.node()} · {os.cpu_count()} CPU · {memory} RAM · PostgreSQL {pg} · Python {platform.python_version()}"


def timed(fn: Callable[[], object], iterations: int, warmup: int = 20) -> list[float]:
    """Milliseconds per call of ``fn`` over ``iterations`` calls, after ``warmup`` untimed calls."""
    for _ in range(warmup):
        fn()
    samples = []
    for _ in range(iterations):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def summary(samples: list[float]) -> str:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]
    return f"median {statistics.median(ordered):7.2f} ms   p95 {p95:7.2f} ms   (n={len(ordered)})"


def report(name: str, ours: list[float], plain: list[float]) -> None:
    ratio = statistics.median(ours) / max(statistics.median(plain), 1e-9)
    print(f"{name}\n  ours : {summary(ours)}\n  plain: {summary(plain)}\n  ratio (median): {ratio:.1f}×")
