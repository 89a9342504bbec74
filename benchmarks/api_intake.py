"""Receiving dossiers through the API (``POST /api/v1/dossiers``, channel 1: received at the counter
now, with code, appointment and history) over HTTP, against the plainest SQL doing the same writes.

A real gunicorn (gthread, ``--workers``, ``--threads``) on loopback against the benchmark database;
``--clients`` client processes, each one a receiver officer of a different commune signed in through
the office's own sign-in (password + TOTP code, ``office.auth.sign_in``), each POST with a fresh
``Idempotency-Key`` and the CSRF token. At the end every client replays one of its keys and must get
the same dossier back (200). Plain: the same number of processes, each committing one transaction per
dossier with raw SQL: the day counter (upsert), the dossier row, its papers, the ``received`` event,
the issued number, the idempotency record.

The dossiers created stay in the database (idempotency keys ``api:<officer id>:bench-…``; today's
counters move on). Target (issue 3): ≥ 300 dossiers/s.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_motcua .venv/bin/python benchmarks/api_intake.py \
        [--clients 8] [--seconds 20] [--workers 2] [--threads 4]
"""

import argparse
import multiprocessing as mp
import os
import secrets
import time
import uuid
from typing import Any

import httpx
from _common import machine, setup
from _http import gunicorn, rate_line

setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth.models import AnonymousUser  # noqa: E402
from django.contrib.sessions.backends.db import SessionStore  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import RequestFactory  # noqa: E402
from django_otp.oath import TOTP  # noqa: E402
from django_otp.plugins.otp_totp.models import TOTPDevice  # noqa: E402

from motcua.catalog.models import Procedure  # noqa: E402
from motcua.demo.staff import DEMO_PASSWORD  # noqa: E402
from motcua.dossiers.models import Dossier  # noqa: E402
from motcua.organizations.models import Level, Membership  # noqa: E402

NAMES = ["Nguyễn Văn An", "Trần Thị Bình", "Lê Hoàng Cường", "Phạm Thị Dung", "Vũ Đức Em"]


def sign_in(username: str) -> str:
    """A session key for ``username``, opened by ``office.auth.sign_in`` (password + current TOTP)."""
    from motcua.office.auth import sign_in as office_sign_in

    device = TOTPDevice.objects.get(user__username=username, confirmed=True)
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    if totp.t() <= device.last_t:  # this step's code is used up (a rerun): the next one is in tolerance
        totp.time = time.time() + device.step
    token = totp.token()
    request = RequestFactory().post("/can-bo/dang-nhap/", REMOTE_ADDR="127.0.0.1")
    request.session = SessionStore()
    request.user = AnonymousUser()  # as AuthenticationMiddleware leaves it: login() then sets the user
    if office_sign_in(request, username=username, password=DEMO_PASSWORD, otp_token=f"{token:06d}") is None:
        raise RuntimeError(f"sign-in refused for {username}")
    request.session.save()
    return str(request.session.session_key)


def counters() -> list[dict[str, Any]]:
    """One receiver per commune (different communes), with a commune procedure and its papers."""
    seen: set[int] = set()
    picked: list[dict[str, Any]] = []
    memberships = (
        Membership.objects.current()
        .filter(role="receiver", unit__level=Level.COMMUNE, unit__is_active=True, user__is_active=True)
        .select_related("unit", "user")
        .order_by("unit__code", "user__username")
    )
    procedures = list(
        Procedure.objects.published()
        .filter(level="commune")
        .prefetch_related("components")
        .order_by("code")[:20]
    )
    for m in memberships:
        if m.unit_id in seen or not TOTPDevice.objects.filter(user=m.user, confirmed=True).exists():
            continue
        seen.add(m.unit_id)
        procedure = procedures[len(picked) % len(procedures)]
        papers = [
            {"catalog_position": c.position, "copy_type": c.copy_type, "count": c.count}
            for c in procedure.components.all()
        ]
        picked.append(
            {"username": m.user.username, "unit": m.unit.code, "procedure": procedure.code, "papers": papers}
        )
        if len(picked) >= 64:
            break
    return picked


def api_client(
    base: str,
    names: dict[str, str],
    session_key: str,
    counter: dict[str, Any],
    seconds: float,
    out: Any,
    go: Any,
) -> None:
    csrf = secrets.token_hex(16)  # Django accepts any 32-character secret as long as cookie = header
    cookies = {names["session"]: session_key, names["csrf"]: csrf}
    headers = {"X-CSRFToken": csrf, "Referer": base + "/"}
    latencies: list[float] = []
    created, errors, first_key, first_code = 0, 0, "", ""
    with httpx.Client(base_url=base, cookies=cookies, headers=headers, timeout=60) as client:
        out.put("ready")
        go.wait()
        end = time.monotonic() + seconds
        n = 0
        while time.monotonic() < end:
            n += 1
            body = {
                "procedure": counter["procedure"],
                "receiving_unit": counter["unit"],
                "channel": 1,
                "applicant": {"name": NAMES[n % len(NAMES)], "id_number": f"0300{n % 10**8:08d}"},
                "components": counter["papers"],
            }
            key = f"bench-{uuid.uuid4()}"
            start = time.perf_counter()
            response = client.post("/api/v1/dossiers", json=body, headers={"Idempotency-Key": key})
            latencies.append((time.perf_counter() - start) * 1000)
            if response.status_code == 201:
                created += 1
                if not first_key:
                    first_key, first_code, first_body = key, response.json()["code"], body
            else:
                errors += 1
                if errors <= 3:
                    print(f"  {counter['username']}: HTTP {response.status_code} {response.text[:300]}")
        replay_ok = False
        if first_key:
            again = client.post("/api/v1/dossiers", json=first_body, headers={"Idempotency-Key": first_key})
            replay_ok = again.status_code == 200 and again.json()["code"] == first_code
    out.put({"created": created, "errors": errors, "latencies": latencies, "replay_ok": replay_ok})


def plain_client(
    dsn: str, unit_id: int, procedure_id: int, template: dict[str, int], seconds: float, out: Any, go: Any
) -> None:
    """One raw-SQL transaction per dossier: the same rows the service writes, copied from a template."""
    import psycopg

    latencies: list[float] = []
    created = 0
    with psycopg.connect(dsn) as conn:
        out.put("ready")
        go.wait()
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            start = time.perf_counter()
            with conn.transaction(), conn.cursor() as cur:
                period = time.strftime("%Y-%m-%d")
                scope = f"plain-bench:{unit_id}"
                cur.execute(
                    "INSERT INTO core_numbersequence (scope, period, last) VALUES (%s, %s, 1) "
                    "ON CONFLICT (scope, period) DO UPDATE SET last = core_numbersequence.last + 1 RETURNING last",
                    [scope, period],
                )
                number = cur.fetchone()[0]  # type: ignore[index]
                code = f"PLAIN-{unit_id}-{period}-{number:06d}"
                key = f"bench-plain-{uuid.uuid4()}"
                cur.execute(
                    "INSERT INTO dossiers_dossier SELECT (jsonb_populate_record(d, jsonb_build_object("
                    "'id', nextval(pg_get_serial_sequence('dossiers_dossier', 'id')), 'code', %s::text, "
                    "'idempotency_key', %s::text, 'submitted_at', now(), 'received_at', now(), "
                    "'receiving_unit_id', %s::bigint, 'responsible_unit_id', %s::bigint, 'procedure_id', %s::bigint, "
                    "'created_at', now(), 'modified_at', now()))).* FROM dossiers_dossier d WHERE d.id = %s "
                    "RETURNING id",
                    [code, key, unit_id, unit_id, procedure_id, template["dossier"]],
                )
                dossier_id = cur.fetchone()[0]  # type: ignore[index]
                cur.execute(
                    "INSERT INTO dossiers_dossiercomponent (dossier_id, catalog_component_id, position, name, "
                    "copy_type, count, is_provided, file, is_digitized, is_reused, is_from_store) "
                    "SELECT %s, catalog_component_id, position, name, copy_type, count, is_provided, file, "
                    "is_digitized, is_reused, is_from_store FROM dossiers_dossiercomponent WHERE dossier_id = %s",
                    [dossier_id, template["dossier"]],
                )
                cur.execute(
                    "INSERT INTO dossiers_dossierevent (dossier_id, kind, at, actor_id, actor_name, from_status, "
                    "to_status, step_id, step_name, due_at, data) SELECT %s, kind, now(), actor_id, actor_name, "
                    "from_status, to_status, NULL, step_name, due_at, data FROM dossiers_dossierevent WHERE id = %s",
                    [dossier_id, template["event"]],
                )
                cur.execute(
                    "INSERT INTO core_issuednumber (scope, period, number, reference, issued_at) "
                    "VALUES (%s, %s, %s, %s, now())",
                    [scope, period, number, code],
                )
            latencies.append((time.perf_counter() - start) * 1000)
            created += 1
    out.put({"created": created, "errors": 0, "latencies": latencies, "replay_ok": True})


def collect(processes: list[Any], out: Any, go: Any) -> tuple[int, int, list[float], bool, float]:
    """Start the clients, let them all begin at once when ready; (created, errors, latencies, replays
    all good, seconds from the start signal to the last client's end)."""
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
    go.clear()
    created = sum(r["created"] for r in results)
    errors = sum(r["errors"] for r in results)
    latencies = [x for r in results for x in r["latencies"]]
    return created, errors, latencies, all(r["replay_ok"] for r in results), elapsed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1))
    parser.add_argument("--threads", type=int, default=4)
    args = parser.parse_args()
    print(f"{machine()}\n{Dossier.objects.count():,} dossiers before")
    picked = counters()[: args.clients]
    if len(picked) < args.clients:
        raise SystemExit(f"only {len(picked)} commune receivers with a TOTP device: run motcua seed-demo")
    sessions = [sign_in(c["username"]) for c in picked]
    cookie_names = {"session": settings.SESSION_COOKIE_NAME, "csrf": settings.CSRF_COOKIE_NAME}
    ctx = mp.get_context("spawn")
    out, go = ctx.Queue(), ctx.Event()
    with gunicorn(args.workers, args.threads) as (base, _env):
        print(f"gunicorn: {args.workers} workers × {args.threads} threads; {args.clients} client processes")
        processes = [
            ctx.Process(target=api_client, args=(base, cookie_names, s, c, args.seconds, out, go))
            for s, c in zip(sessions, picked, strict=True)
        ]
        created, errors, latencies, replay_ok, elapsed = collect(processes, out, go)
    print(rate_line("ours : POST /api/v1/dossiers (201)", created, elapsed, latencies))
    print(f"  errors: {errors}; idempotent replay gives the same dossier: {'yes' if replay_ok else 'NO'}")

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT d.id, d.receiving_unit_id, d.procedure_id, e.id FROM dossiers_dossier d "
            "JOIN dossiers_dossierevent e ON e.dossier_id = d.id AND e.kind = 'received' "
            "WHERE d.idempotency_key LIKE 'api:%%:bench-%%' ORDER BY d.id DESC LIMIT 1"
        )
        row = cursor.fetchone()
    if row is None:
        print("plain: skipped (no dossier received through the API to copy)")
        return
    dsn = os.environ["DATABASE_URL"]
    plain = [
        ctx.Process(
            target=plain_client,
            args=(dsn, row[1], row[2], {"dossier": row[0], "event": row[3]}, args.seconds, out, go),
        )
        for _c in range(args.clients)
    ]
    created_p, _e, latencies_p, _r, elapsed_p = collect(plain, out, go)
    print(rate_line("plain: raw SQL transaction per dossier", created_p, elapsed_p, latencies_p))
    print(f"  ratio (throughput): plain is {created_p / elapsed_p / max(created / elapsed, 1e-9):.1f}× ours")
    remove_plain_rows()


def remove_plain_rows() -> None:
    """The plain baseline's rows are not dossiers anyone received: delete them again."""
    with connection.cursor() as cursor:
        plain = "SELECT id FROM dossiers_dossier WHERE idempotency_key LIKE 'bench-plain-%%'"
        cursor.execute(f"DELETE FROM dossiers_dossierevent WHERE dossier_id IN ({plain})")  # noqa: S608 - constant
        cursor.execute(f"DELETE FROM dossiers_dossiercomponent WHERE dossier_id IN ({plain})")  # noqa: S608 - constant
        cursor.execute("DELETE FROM dossiers_dossier WHERE idempotency_key LIKE 'bench-plain-%%'")
        cursor.execute("DELETE FROM core_issuednumber WHERE scope LIKE 'plain-bench:%%'")
        cursor.execute("DELETE FROM core_numbersequence WHERE scope LIKE 'plain-bench:%%'")


if __name__ == "__main__":
    main()
