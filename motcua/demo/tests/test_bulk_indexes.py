"""The bulk loader of the synthetic history (``bulk.secondary_indexes_deferred``): every index and
foreign key it drops comes back, on PostgreSQL; nothing to do on SQLite."""

import pytest
from django.db import connection, transaction

from motcua.dossiers.models import DossierStep


def _index_names() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name LIKE 'dossiers_%'")
        return {row[0] for row in cursor.fetchall()}


@pytest.mark.django_db(transaction=True)
def test_the_bulk_loader_puts_back_every_index_and_foreign_key():
    from motcua.demo import bulk

    def schema() -> tuple[set[str], set[str]]:
        with connection.cursor() as cursor:
            if connection.vendor != "postgresql":
                return _index_names(), set()
            cursor.execute(
                "SELECT indexdef FROM pg_indexes WHERE tablename IN "
                "('dossiers_dossier', 'dossiers_dossiercomponent', 'dossiers_dossierstep', 'dossiers_dossierevent')"
            )
            indexes = {row[0] for row in cursor.fetchall()}
            cursor.execute(
                "SELECT conrelid::regclass::text || conname || pg_get_constraintdef(oid) FROM pg_constraint "
                "WHERE contype = 'f' AND conrelid::regclass::text IN ('dossiers_dossier', 'dossiers_dossiercomponent', "
                "'dossiers_dossierstep', 'dossiers_dossierevent')"
            )
            return indexes, {row[0] for row in cursor.fetchall()}

    before = schema()
    with transaction.atomic(), bulk.secondary_indexes_deferred() as dropped:
        if connection.vendor == "postgresql":
            assert "step_open_assignee_due" in dropped and "dossier_search_trgm" in dropped
            assert "dossiers_dossier_code_key" not in dropped  # unique constraints stay
            during_indexes, during_keys = schema()
            assert during_keys == set() and not any("step_open_assignee_due" in i for i in during_indexes)
        else:
            assert dropped == []
    assert schema() == before
    assert bulk.should_defer_indexes(50_000, 0) == (connection.vendor == "postgresql")
    assert not bulk.should_defer_indexes(40_000, 1_000_000)
    assert DossierStep.objects.count() == 0
