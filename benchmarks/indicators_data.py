"""Synthetic dossiers for the indicator benchmark (issue 6), generated IN SQL (``INSERT … SELECT`` from
``generate_series``), because the Python generator (``motcua seed-demo --dossiers``, ~500–1,600
dossiers/s) would take days for 10 M.

Deterministic: every random choice is ``hashint8extended(n, salt)`` of the series number ``n``, so
the same N gives the same rows. Needs the demo province without dossiers (``motcua seed-demo``).
Realistic mix over six years (2020-11 … 2026-10): counter / online / postal channels, the procedure's
unit level (commune 60 %, district 30 %, province 10 %), 3 % never received, open dossiers (mostly
recent), due dates from the procedure's time limit, ~10 % late, 10 % with one and 2 % with two
supplementation requests, 2 % rescheduled (the first ``received`` event keeps the original
appointment), no appointment for 4 %, withdrawn / refused / stopped, events received / supplement
requested / completed / processed / returned, 2–3 provided papers with digitized / reused /
from-store flags.

Secondary indexes and foreign keys are dropped during the load and rebuilt after
(``demo.bulk.secondary_indexes_deferred``), then ``VACUUM ANALYZE``.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_ind .venv/bin/python benchmarks/indicators_data.py 10000000
"""

import sys
import time

from _common import setup

setup()

from django.db import connection, transaction  # noqa: E402

from motcua.demo.bulk import secondary_indexes_deferred  # noqa: E402

BATCH = 500_000

# Unit pools (procedure level → units that handle it) and procedure pools, numbered from 0.
POOLS = """
DROP TABLE IF EXISTS bench_units, bench_procs;
CREATE UNLOGGED TABLE bench_units AS
SELECT pool, (row_number() OVER (PARTITION BY pool ORDER BY id) - 1)::int AS idx, id AS unit_id FROM (
    SELECT u.id, CASE WHEN u.level = 'commune' THEN 'commune'
                      WHEN u.level = 'district' OR (u.level = 'department' AND p.level = 'district')
                      THEN 'district' ELSE 'province' END AS pool
    FROM organizations_unit u LEFT JOIN organizations_unit p ON p.id = u.parent_id
) s;
CREATE UNLOGGED TABLE bench_procs AS
SELECT level AS pool, (row_number() OVER (PARTITION BY level ORDER BY id) - 1)::int AS idx, id AS proc_id,
       fee_vnd, result_required, online_level
FROM catalog_procedure;
"""

# One batch: ``base`` holds every per-dossier choice; the dossier, its events and papers follow.
# r(k) = uniform [0, 1) from the series number and salt k.
BATCH_SQL = """
WITH s AS (
    SELECT n,
           (hashint8extended(n, 1) & 2147483647)::float8 / 2147483648 AS r1,
           (hashint8extended(n, 2) & 2147483647)::float8 / 2147483648 AS r2,
           (hashint8extended(n, 3) & 2147483647)::float8 / 2147483648 AS r3,
           (hashint8extended(n, 4) & 2147483647)::float8 / 2147483648 AS r4,
           (hashint8extended(n, 5) & 2147483647)::float8 / 2147483648 AS r5,
           (hashint8extended(n, 6) & 2147483647)::float8 / 2147483648 AS r6,
           (hashint8extended(n, 7) & 2147483647)::float8 / 2147483648 AS r7,
           (hashint8extended(n, 8) & 2147483647)::float8 / 2147483648 AS r8,
           (hashint8extended(n, 9) & 2147483647)::float8 / 2147483648 AS r9,
           hashint8extended(n, 10) & 2147483647 AS h
    FROM generate_series(%(lo)s::bigint, %(hi)s::bigint) AS n
), a AS (
    SELECT s.*,
           CASE WHEN r1 < 0.6 THEN 'commune' WHEN r1 < 0.9 THEN 'district' ELSE 'province' END AS pool,
           CASE WHEN r2 < 0.45 THEN 2 WHEN r2 < 0.95 THEN 1 ELSE 3 END AS channel,
           -- submitted: a working hour (07:30–17:00 local) of one of the 2190 days from 2020-11-01
           (timestamp '2020-11-01 07:30' + floor(r3 * 2190) * interval '1 day'
               + (h %% 570) * interval '1 minute') AT TIME ZONE 'Asia/Ho_Chi_Minh' AS submitted_at,
           floor(r3 * 2190)::int AS age_day
    FROM s
), b AS (
    SELECT a.*, u.unit_id, p.proc_id, p.fee_vnd, p.result_required, p.online_level AS proc_level,
           r4 < 0.03 AS never_received,
           -- open (not ended): half of the last month, one in a hundred older ones
           (age_day >= 2160 AND r5 < 0.5) OR r5 < 0.01 AS is_open,
           CASE WHEN r6 < 0.04 THEN NULL ELSE 3 + (h %% 13) END AS limit_days,
           CASE WHEN r7 < 0.02 THEN 2 WHEN r7 < 0.12 THEN 1 ELSE 0 END AS requests,
           r8 AS speed,  -- share of the time limit used; > 1 ⇒ late
           r9 AS flavour
    FROM a
    JOIN bench_units u ON u.pool = a.pool
        AND u.idx = a.h %% (SELECT count(*) FROM bench_units x WHERE x.pool = a.pool)
    JOIN bench_procs p ON p.pool = a.pool
        AND p.idx = (a.h / 7) %% (SELECT count(*) FROM bench_procs y WHERE y.pool = a.pool)
), c AS (
    SELECT b.*,
           CASE WHEN never_received THEN NULL
                ELSE submitted_at + CASE WHEN channel = 2 THEN (h %% 240) * interval '1 minute'
                                         ELSE interval '5 minutes' END END AS received_at
    FROM b
), d AS (
    SELECT c.*,
           received_at + limit_days * interval '1 day' AS first_due,
           CASE WHEN requests >= 1 THEN received_at + interval '1 day' + (h %% 300) * interval '1 minute' END
               AS request_1,
           CASE WHEN requests = 2 THEN received_at + interval '3 days' END AS request_2,
           -- the applicant comes back (9 in 10) after 1–4 days
           CASE WHEN requests >= 1 AND flavour < 0.9
                THEN received_at + interval '2 days' + (h %% 4320) * interval '1 minute' END AS completion
    FROM c
), e AS (
    SELECT d.*,
           first_due + CASE WHEN flavour > 0.98 THEN interval '5 days' ELSE interval '0' END AS due_at,
           CASE WHEN never_received OR is_open THEN NULL
                -- time used ∝ the limit (7 days when none), plus the applicant's supplementation time
                ELSE received_at + coalesce(limit_days, 7) * (0.2 + speed) * interval '1 day'
                     + coalesce(completion - request_1, interval '0') END AS done_at
    FROM d
), base AS (
    SELECT e.*,
           CASE WHEN never_received THEN CASE WHEN flavour < 0.5 THEN 'not_received' ELSE 'submitted' END
                WHEN is_open THEN CASE WHEN requests >= 1 AND completion IS NULL THEN 'awaiting_supplement'
                                       WHEN flavour < 0.5 THEN 'processing' ELSE 'received' END
                WHEN requests >= 1 AND completion IS NULL THEN 'stopped'
                WHEN flavour < 0.03 THEN 'withdrawn'
                WHEN flavour < 0.06 THEN 'rejected'
                WHEN flavour < 0.11 THEN 'processed'
                ELSE 'returned' END AS status
    FROM e
), ins_dossier AS (
    INSERT INTO dossiers_dossier (
        id, code, procedure_id, receiving_unit_id, responsible_unit_id, channel, status, version,
        applicant_name, applicant_id_number, owner_name, owner_id_number, address, phone, email,
        is_own_account, search_folded, fee_vnd, result_delivery, submitted_at, received_at, due_at,
        original_due_at, reschedule_count, supplement_request_count, processed_at, returned_at, closed_at,
        verdict, result_number, result_signer, result_file, is_result_electronic, result_sha256,
        online_level, is_vneid_verified, is_paid_online, is_population_data_used, rating,
        created_at, modified_at)
    SELECT %(offset)s + n, 'BI' || lpad(n::text, 9, '0'), proc_id, unit_id, unit_id, channel, status, 1,
           'Người nộp ' || n, lpad((h * 7919 %% 1000000000000)::text, 12, '0'), '', '', '', '', '',
           channel = 2, 'nguoi nop ' || n, fee_vnd,
           CASE WHEN channel = 2 THEN 'online' WHEN channel = 3 THEN 'post' ELSE 'counter' END,
           submitted_at, received_at, due_at,
           CASE WHEN due_at <> first_due THEN first_due END, coalesce((due_at <> first_due)::int, 0), requests,
           CASE WHEN status IN ('processed', 'returned') THEN done_at END,
           CASE WHEN status = 'returned' THEN done_at + (h %% 2880) * interval '1 minute' END,
           CASE WHEN status = 'returned' THEN done_at + (h %% 2880) * interval '1 minute'
                WHEN status IN ('withdrawn', 'rejected') THEN done_at
                WHEN status = 'stopped' THEN coalesce(request_2, request_1) + interval '30 days'
                WHEN status = 'not_received' THEN submitted_at + interval '1 day' END,
           '', '', '', '', result_required AND r9 < 0.4, '',
           CASE WHEN r4 > 0.9 THEN proc_level ELSE '' END,
           channel = 2 AND r5 < 0.8, channel = 2 AND fee_vnd > 0 AND r6 < 0.5, r7 > 0.7, '',
           now(), now()
    FROM base
), ins_event AS (
    INSERT INTO dossiers_dossierevent (dossier_id, kind, at, actor_name, from_status, to_status,
                                       step_name, due_at, data)
    SELECT %(offset)s + n, ev.kind, ev.at, '', '', '', '', ev.due_at, '{}'::jsonb
    FROM base CROSS JOIN LATERAL (VALUES
        ('received', received_at, first_due),
        ('supplement_requested', request_1, NULL),
        ('supplement_requested', request_2, NULL),
        ('supplement_completed', completion, NULL),
        ('processed', CASE WHEN status IN ('processed', 'returned') THEN done_at END, NULL),
        ('returned', CASE WHEN status = 'returned' THEN done_at + (h %% 2880) * interval '1 minute' END,
         NULL)
    ) AS ev (kind, at, due_at)
    WHERE ev.at IS NOT NULL
)
INSERT INTO dossiers_dossiercomponent (dossier_id, position, name, copy_type, count, is_provided, file,
                                       is_digitized, is_reused, is_from_store, file_sha256, has_text_layer)
SELECT %(offset)s + n, k, 'Giấy tờ ' || k, 'original', 1,
       (hashint8extended(n, 20 + k) & 1023) >= 40,
       '',
       (hashint8extended(n, 30 + k) & 1023) < 700,
       (hashint8extended(n, 40 + k) & 1023) < 200,
       (hashint8extended(n, 50 + k) & 1023) < 100,
       '', false
FROM base CROSS JOIN LATERAL generate_series(1, 2 + (h %% 2)::int) AS k
"""


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*), coalesce(max(id), 0) FROM dossiers_dossier")
        existing, offset = cursor.fetchone()
    if existing:
        sys.exit(
            f"the database already holds {existing:,} dossiers: use a fresh one (seed-demo without dossiers)"
        )
    started = time.perf_counter()
    with transaction.atomic(), secondary_indexes_deferred():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL work_mem = '256MB'")
            cursor.execute(POOLS)
            for lo in range(1, n + 1, BATCH):
                hi = min(n, lo + BATCH - 1)
                cursor.execute(BATCH_SQL, {"lo": lo, "hi": hi, "offset": offset})
                print(f"  {hi:>11,} dossiers  {time.perf_counter() - started:7.1f} s", flush=True)
            for table in ("dossiers_dossier", "dossiers_dossierevent", "dossiers_dossiercomponent"):
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"  # noqa: S608
                )
            cursor.execute("DROP TABLE bench_units, bench_procs")
        print(f"loaded in {time.perf_counter() - started:.1f} s; rebuilding indexes…", flush=True)
    print(f"indexes rebuilt: {time.perf_counter() - started:.1f} s; VACUUM ANALYZE…", flush=True)
    with connection.cursor() as cursor:
        for table in ("dossiers_dossier", "dossiers_dossierevent", "dossiers_dossiercomponent"):
            cursor.execute(f"VACUUM ANALYZE {table}")
    print(f"done: {n:,} dossiers in {time.perf_counter() - started:.1f} s", flush=True)


if __name__ == "__main__":
    main()
