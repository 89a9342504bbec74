"""Indexes for the officer pages at province scale (issue 3): unit lists newest first, the worklist's
open steps by deadline, visibility through steps, and on PostgreSQL a pg_trgm GIN index on
``search_folded`` so ``LIKE '%word%'`` is index-backed (SQLite keeps its plain index)."""

from typing import Any

from django.db import migrations, models

TRGM_INDEX = "dossier_search_trgm"


def create_trigram_index(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {TRGM_INDEX} ON dossiers_dossier USING gin (search_folded gin_trgm_ops)"
    )


def drop_trigram_index(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {TRGM_INDEX}")  # the extension may serve others: kept


OPEN_STEP = models.Q(started_at__isnull=False, finished_at__isnull=True)


class Migration(migrations.Migration):
    dependencies = [("dossiers", "0002_interchange_fields")]

    operations: list[migrations.operations.base.Operation] = [
        migrations.RemoveIndex(model_name="dossier", name="dossier_unit_submitted"),
        migrations.AddIndex(
            model_name="dossier",
            index=models.Index(
                fields=["receiving_unit", "-submitted_at", "-id"], name="dossier_recv_submitted"
            ),
        ),
        migrations.AddIndex(
            model_name="dossier",
            index=models.Index(
                fields=["responsible_unit", "-submitted_at", "-id"], name="dossier_resp_submitted"
            ),
        ),
        migrations.AddIndex(
            model_name="dossier",
            index=models.Index(fields=["-submitted_at", "-id"], name="dossier_submitted"),
        ),
        migrations.AddIndex(
            model_name="dossierstep",
            index=models.Index(
                fields=["assignee", "due_at", "id"], condition=OPEN_STEP, name="step_open_assignee_due"
            ),
        ),
        migrations.AddIndex(
            model_name="dossierstep",
            index=models.Index(
                fields=["unit", "role", "due_at", "id"],
                condition=models.Q(started_at__isnull=False, finished_at__isnull=True, assignee__isnull=True),
                name="step_open_unit_role_due",
            ),
        ),
        migrations.AddIndex(
            model_name="dossierstep", index=models.Index(fields=["unit", "dossier"], name="step_unit_dossier")
        ),
        migrations.RunPython(create_trigram_index, drop_trigram_index, elidable=False),
    ]
