"""Factories for dossiers. Rows made here bypass the services on purpose (fixtures for reads, the
workflow matrix); tests of behaviour go through ``dossiers.services``.

``DossierFactory()`` is a received direct dossier; traits: ``online`` (submitted online, waiting for
reception), ``processing``, ``overdue`` (processing, appointment passed), ``processed``, ``returned``.
"""

import datetime as dt
from decimal import Decimal

import factory

from motcua.catalog.tests.factories import ProcedureFactory
from motcua.core.worktime import TZ
from motcua.dossiers.models import Dossier, DossierStep, StepKind
from motcua.dossiers.workflow import Channel, Status
from motcua.organizations.models import Role
from motcua.organizations.tests.factories import UnitFactory

RECEIVED_AT = dt.datetime(2024, 3, 4, 8, 0, tzinfo=TZ)  # a Monday


class DossierFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Dossier
        skip_postgeneration_save = True

    code = factory.Sequence(lambda n: f"000.99.99.H56-240304-{n % 9999 + 1:04d}")
    procedure = factory.SubFactory(ProcedureFactory)
    receiving_unit = factory.SubFactory(UnitFactory)
    responsible_unit = factory.LazyAttribute(lambda o: o.receiving_unit)
    channel = Channel.DIRECT
    status = Status.RECEIVED
    applicant_name = factory.Sequence(lambda n: f"Trần Thị Bình {n}")
    applicant_id_number = factory.Sequence(lambda n: f"0011900{n % 100000:05d}")
    phone = "0912345678"
    submitted_at = RECEIVED_AT
    received_at = RECEIVED_AT
    due_at = RECEIVED_AT + dt.timedelta(days=3)
    original_due_at = factory.LazyAttribute(lambda o: o.due_at)
    search_folded = ""

    class Params:
        online = factory.Trait(
            channel=Channel.ONLINE,
            status=Status.SUBMITTED,
            received_at=None,
            due_at=None,
            reception_due_at=RECEIVED_AT + dt.timedelta(hours=8),
        )
        processing = factory.Trait(status=Status.PROCESSING)
        overdue = factory.Trait(status=Status.PROCESSING, due_at=RECEIVED_AT - dt.timedelta(days=1))
        processed = factory.Trait(status=Status.PROCESSED, processed_at=RECEIVED_AT + dt.timedelta(days=1))
        returned = factory.Trait(
            status=Status.RETURNED,
            processed_at=RECEIVED_AT + dt.timedelta(days=1),
            returned_at=RECEIVED_AT + dt.timedelta(days=2),
            closed_at=RECEIVED_AT + dt.timedelta(days=2),
        )

    @factory.post_generation
    def search_key(self, create: bool, extracted: object, **kwargs: object) -> None:
        self.refresh_search_key()
        if create:
            self.save(update_fields=["search_folded"])


class DossierStepFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DossierStep

    dossier = factory.SubFactory(DossierFactory, processing=True)
    position = 1
    kind = StepKind.PROCESS
    name = factory.Sequence(lambda n: f"Bước {n}")
    role = Role.SPECIALIST
    unit = factory.LazyAttribute(lambda o: o.dossier.responsible_unit)
    budget_hours = Decimal(8)
    started_at = RECEIVED_AT
    due_at = RECEIVED_AT + dt.timedelta(hours=8)
