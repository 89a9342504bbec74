"""HTTP side of the benchmarks: a real gunicorn on loopback against the benchmark database, an
officer session opened through the office's own sign-in (password + TOTP), and client processes.

The server runs like production (``MOTCUA_DEBUG=0``: hashed static files collected into a temporary
directory, no debug query log), only without the HTTPS redirect (loopback, no proxy).
"""

import os
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
# One secret for this process and the server it starts, so the sessions opened here are valid there.
# Import this module before ``_common.setup()``.
os.environ.setdefault("MOTCUA_SECRET_KEY", secrets.token_urlsafe(50))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def server_env(data_dir: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        MOTCUA_DEBUG="0",
        MOTCUA_SECRET_KEY=os.environ["MOTCUA_SECRET_KEY"],
        MOTCUA_SSL_REDIRECT="0",
        MOTCUA_ALLOWED_HOSTS="127.0.0.1",
        MOTCUA_DATA_DIR=data_dir,
        MOTCUA_LOG_LEVEL="WARNING",
    )
    env.pop("MOTCUA_DEMO", None)  # check --deploy rules: a benchmark server is not a demo
    return env


@contextmanager
def gunicorn(workers: int, threads: int) -> Iterator[tuple[str, dict[str, str]]]:
    """``gunicorn motcua.wsgi`` (gthread, as docs/deployment.md) on a free loopback port; yields the
    base URL and the environment it runs with (same secret key, so sessions made here are valid)."""
    with tempfile.TemporaryDirectory(prefix="motcua-bench-") as data_dir:
        env = server_env(data_dir)
        collect = [str(VENV_BIN / "python"), str(ROOT / "manage.py"), "collectstatic", "--noinput", "-v0"]
        if subprocess.run(collect, env=env, cwd=ROOT, check=False).returncode:  # noqa: S603 - fixed argv
            subprocess.run(collect, env=env, cwd=ROOT, check=True)  # noqa: S603 - once more (a file being edited)
        port = free_port()
        # fmt: off
        server = subprocess.Popen(  # noqa: S603 - fixed argv
            [str(VENV_BIN / "gunicorn"), "motcua.wsgi", "--worker-class", "gthread", "--workers", str(workers),
             "--threads", str(threads), "--bind", f"127.0.0.1:{port}", "--log-level", "warning",
             "--keep-alive", "30", "--backlog", "2048"],
            env=env, cwd=ROOT,
        )
        # fmt: on
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 180
            while True:
                try:
                    httpx.get(f"{base}/api/v1/units?page_size=1", timeout=2)
                    break
                except httpx.TransportError:
                    if time.monotonic() > deadline or server.poll() is not None:
                        raise RuntimeError("gunicorn did not start") from None
                    time.sleep(0.3)
            yield base, env
        finally:
            server.send_signal(signal.SIGTERM)
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()


def percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(len(ordered) * q))] if ordered else float("nan")


def rate_line(name: str, count: int, seconds: float, latencies_ms: list[float]) -> str:
    if not latencies_ms:
        return f"{name}: nothing done"
    return (
        f"{name}: {count:,} in {seconds:.1f} s = {count / seconds:,.0f}/s   latency median "
        f"{statistics.median(latencies_ms):.1f} ms, p95 {percentile(latencies_ms, 0.95):.1f} ms"
    )
