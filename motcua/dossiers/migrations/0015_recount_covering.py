"""On PostgreSQL, the set-based recount (``dossiers.recount_facts``) reads the dossiers, their papers,
their ``received`` events and their ``supplement_…`` events from four covering indexes ordered by dossier, by
index-only scans merged in dossier order, instead of hashing three whole tables (about 2.5 GB instead of
7.9 GB of heap at 10 M dossiers: docs/benchmarks.md). Each index carries exactly the columns the facts
read (``tests/test_recount_covering.py`` checks it against the SQL). Built ``CONCURRENTLY`` so that an
upgrade does not stop the counters and the reception desk; an invalid index left by an interrupted build
is dropped and built again. Elsewhere (SQLite, small installations) nothing is added."""

from django.db import migrations

INDEXES = {
    "dossier_facts_covering": (
        "dossiers_dossier (id) INCLUDE (responsible_unit_id, procedure_id, channel, status, fee_vnd, "
        "is_paid_online, is_result_electronic, is_vneid_verified, is_population_data_used, online_level, "
        "submitted_at, received_at, due_at, processed_at, returned_at, closed_at)"
    ),
    # the first receipt of a dossier is the first row of its range: DISTINCT ON without a sort; the
    # predicates are written as PostgreSQL prints them back (an IN list is not: ``demo.bulk`` drops
    # and rebuilds these indexes from their printed definitions)
    "event_receipt_covering": (
        "dossiers_dossierevent (dossier_id, at, id) INCLUDE (due_at) WHERE kind = 'received'"
    ),
    "event_supplement_covering": (
        "dossiers_dossierevent (dossier_id) INCLUDE (kind, at) "
        "WHERE kind = 'supplement_requested' OR kind = 'supplement_completed'"
    ),
    "component_facts_covering": (
        "dossiers_dossiercomponent (dossier_id) INCLUDE (is_digitized, is_reused, is_from_store) "
        "WHERE is_provided"
    ),
}


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, definition in INDEXES.items():
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(
                "SELECT NOT i.indisvalid FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
                "WHERE c.relname = %s",
                [name],
            )
            invalid = cursor.fetchone()
        if invalid and invalid[0]:
            schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {name}")
        schema_editor.execute(f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {name} ON {definition}")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for name in INDEXES:
            schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {name}")


class Migration(migrations.Migration):
    atomic = False
    dependencies = [("dossiers", "0014_quarterly_yearly_counters")]

    operations = [migrations.RunPython(create, drop)]
