import datetime as dt
from decimal import Decimal

import pytest
import time_machine

from motcua.accounts.tests.factories import UserFactory
from motcua.catalog.models import OnlineLevel, Procedure, PublicationState
from motcua.catalog.services import (
    CatalogChangeRefused,
    create_procedure,
    publish_procedure,
    update_procedure,
    withdraw_procedure,
)
from motcua.catalog.tests.factories import FieldFactory, ProcedureFactory
from motcua.core.errors import PermissionDenied

pytestmark = pytest.mark.django_db


def test_create_procedure_makes_a_draft():
    procedure = create_procedure(
        code="1.001193",
        name="Đăng ký khai sinh",
        field=FieldFactory(),
        level="commune",
        online_level=OnlineLevel.FULL,
        time_limit=Decimal("0.5"),
        time_unit="working_days",
        fee_vnd=0,
        result_required=True,
        full_online_eligible=True,
        by=None,
    )
    assert procedure.publication_state == PublicationState.DRAFT
    assert procedure.name_folded == "dang ky khai sinh"


def test_create_procedure_refuses_a_taken_code_and_bad_values():
    ProcedureFactory(code="1.001193")
    values = {
        "name": "X",
        "field": FieldFactory(),
        "level": "commune",
        "online_level": "none",
        "time_limit": Decimal(1),
        "time_unit": "days",
        "fee_vnd": 0,
        "result_required": True,
        "full_online_eligible": False,
        "by": None,
    }
    with pytest.raises(CatalogChangeRefused, match="đã có"):
        create_procedure(code="1.001193", **values)
    with pytest.raises(CatalogChangeRefused):
        create_procedure(code="1.000002", **{**values, "level": "hamlet"})
    assert Procedure.objects.count() == 1


def test_publish_sets_the_publication_day():
    procedure = ProcedureFactory(decision_date=dt.date(2024, 1, 2))
    publish_procedure(procedure=procedure, published_on=dt.date(2024, 1, 5), by=None)
    procedure.refresh_from_db()
    assert (procedure.publication_state, procedure.published_on) == (
        PublicationState.PUBLISHED,
        dt.date(2024, 1, 5),
    )


def test_publish_refuses_twice_and_before_the_decision():
    procedure = ProcedureFactory(decision_date=dt.date(2024, 1, 2))
    with pytest.raises(CatalogChangeRefused, match="không được trước ngày quyết định"):
        publish_procedure(procedure=procedure, published_on=dt.date(2024, 1, 1), by=None)
    publish_procedure(procedure=procedure, published_on=dt.date(2024, 1, 2), by=None)
    with pytest.raises(CatalogChangeRefused, match="đã được công khai"):
        publish_procedure(procedure=procedure, published_on=dt.date(2024, 1, 3), by=None)


def test_update_of_a_published_procedure_is_a_publicized_update():
    procedure = ProcedureFactory(published=True, fee_vnd=0)

    changed = update_procedure(
        procedure=procedure, fee_vnd=50_000, name=procedure.name, updated_on=dt.date(2024, 5, 1), by=None
    )

    assert changed == ["fee_vnd"]
    procedure.refresh_from_db()
    assert (procedure.fee_vnd, procedure.updated_on) == (50_000, dt.date(2024, 5, 1))


@time_machine.travel(dt.datetime(2024, 6, 30, 20, 0, tzinfo=dt.UTC))  # 1 July in Hà Nội
def test_updated_on_defaults_to_the_local_day():
    procedure = ProcedureFactory(published=True)
    update_procedure(procedure=procedure, online_level=OnlineLevel.PARTIAL, by=None)
    procedure.refresh_from_db()
    assert procedure.updated_on == dt.date(2024, 7, 1)


def test_no_change_keeps_updated_on_and_a_draft_never_gets_one():
    published = ProcedureFactory(published=True, time_limit=Decimal(3))
    assert update_procedure(procedure=published, time_limit=Decimal("3.00"), by=None) == []
    published.refresh_from_db()
    assert published.updated_on == dt.date(2023, 1, 5)

    draft = ProcedureFactory()
    assert update_procedure(procedure=draft, field=FieldFactory(), by=None) == ["field"]
    draft.refresh_from_db()
    assert draft.updated_on is None


def test_update_refuses_invalid_values():
    procedure = ProcedureFactory(time_limit=Decimal(3))
    with pytest.raises(CatalogChangeRefused):
        update_procedure(procedure=procedure, time_limit=Decimal(-1), by=None)
    procedure.refresh_from_db()
    assert procedure.time_limit == Decimal(3)


def test_withdraw_records_the_day_as_an_update():
    procedure = ProcedureFactory(published=True)
    withdraw_procedure(procedure=procedure, withdrawn_on=dt.date(2024, 8, 1), by=None)
    procedure.refresh_from_db()
    assert (procedure.publication_state, procedure.updated_on) == (
        PublicationState.WITHDRAWN,
        dt.date(2024, 8, 1),
    )
    with pytest.raises(CatalogChangeRefused, match="chưa được công khai"):
        withdraw_procedure(procedure=procedure, withdrawn_on=dt.date(2024, 8, 2), by=None)
    publish_procedure(procedure=procedure, published_on=dt.date(2024, 9, 1), by=None)
    assert Procedure.objects.get(pk=procedure.pk).publication_state == PublicationState.PUBLISHED


def test_only_catalog_editors_may_change_it():
    applicant = UserFactory()
    procedure = ProcedureFactory()
    with pytest.raises(PermissionDenied):
        publish_procedure(procedure=procedure, published_on=dt.date(2024, 1, 5), by=applicant)
    with pytest.raises(PermissionDenied):
        update_procedure(procedure=procedure, fee_vnd=1, by=applicant)
    admin = UserFactory(is_superuser=True)
    publish_procedure(procedure=procedure, published_on=dt.date(2024, 1, 5), by=admin)
