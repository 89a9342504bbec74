"""The recount's covering indexes (migration ``dossiers.0015``) carry every column the facts SQL reads
(``recount_facts.dossiers_sql``), so that PostgreSQL answers it from index-only scans merged in dossier
order: a column added to the facts without its index would silently bring back the scans of the whole
tables (docs/benchmarks.md)."""

import importlib
import re

import pytest
from django.db import connection
from django.db.models import Model

from motcua.dossiers.models import Dossier, DossierComponent, DossierEvent
from motcua.dossiers.recount_facts import dossiers_sql

MIGRATION = importlib.import_module("motcua.dossiers.migrations.0015_recount_covering")


def _indexed(name: str) -> set[str]:
    """The columns of one index definition of the migration: key, ``INCLUDE`` and predicate."""
    return set(re.findall(r"[a-z_]+", MIGRATION.INDEXES[name].split(" ", 1)[1])) - {"include", "where", "or"}


def _read(model: type[Model], sql: str) -> set[str]:
    """The columns of ``model`` named in ``sql`` (a name followed by "(" is a function: ``count(*)``)."""
    return {f.column for f in model._meta.concrete_fields if re.search(rf"\b{f.column}\b(?!\()", sql)}


def _cte(name: str, following: str) -> str:
    sql = dossiers_sql()
    return sql[sql.index(f"{name} AS (") : sql.index(f"), {following} AS (")]


def test_the_dossier_index_covers_every_dossier_column_of_the_facts() -> None:
    read = set(re.findall(r"\bd\.(\w+)", dossiers_sql()))
    assert read, "the facts read the dossiers as d"
    assert read <= _indexed("dossier_facts_covering"), read - _indexed("dossier_facts_covering")


def test_the_paper_and_event_indexes_cover_their_reads() -> None:
    papers = _read(DossierComponent, _cte("pap", "rec"))
    receipts = _read(DossierEvent, _cte("rec", "sup"))
    supplements = _read(DossierEvent, _cte("sup", "f0"))
    assert {"dossier_id", "is_provided", "is_digitized"} <= papers
    assert {"dossier_id", "kind", "at", "due_at", "id"} <= receipts
    assert {"dossier_id", "kind", "at"} <= supplements
    assert papers <= _indexed("component_facts_covering"), papers - _indexed("component_facts_covering")
    assert receipts <= _indexed("event_receipt_covering"), receipts - _indexed("event_receipt_covering")
    assert supplements <= _indexed("event_supplement_covering"), supplements - _indexed(
        "event_supplement_covering"
    )


def test_the_check_sees_a_column_missing_from_an_index() -> None:
    """The parser of the two tests above is not blind: a dossier column the index lacks is found."""
    not_indexed = {f.column for f in Dossier._meta.concrete_fields} - _indexed("dossier_facts_covering")
    assert "applicant_name" in not_indexed
    assert not _read(Dossier, "d.applicant_name") <= _indexed("dossier_facts_covering")


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="covering indexes are PostgreSQL only")
def test_the_migration_built_the_four_indexes_valid() -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname, i.indisvalid FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
            "WHERE c.relname = ANY(%s)",
            [list(MIGRATION.INDEXES)],
        )
        assert dict(cursor.fetchall()) == dict.fromkeys(MIGRATION.INDEXES, True)
