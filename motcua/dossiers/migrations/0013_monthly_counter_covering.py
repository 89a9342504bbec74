"""On PostgreSQL, the monthly roll-up read by the boards is served by an index-only scan: the index on
(month, unit) carries the metric and the value (``INCLUDE``). Elsewhere (SQLite, small installations)
the model's plain index is enough."""

from django.db import migrations


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS monthly_counter_covering "
            "ON dossiers_monthlycounter (month, unit_id) INCLUDE (metric, value)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS monthly_counter_covering")


class Migration(migrations.Migration):
    dependencies = [("dossiers", "0012_open_timelines")]

    operations = [migrations.RunPython(create, drop)]
