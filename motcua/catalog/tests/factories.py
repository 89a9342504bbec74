"""Factories for the procedure catalog.

``ProcedureFactory()`` is a draft; ``ProcedureFactory(published=True)`` is publicly listed with a
publishing decision and dates; ``online=True`` makes it a full-online (toàn trình) procedure.
"""

import datetime as dt
from decimal import Decimal

import factory

from motcua.catalog.models import (
    Component,
    CopyType,
    FeeItem,
    FeeTiming,
    Field,
    InternalProcess,
    OnlineLevel,
    Procedure,
    ProcedureLevel,
    ProcessStep,
    PublicationState,
    Subjects,
    TimeUnit,
)
from motcua.organizations.models import Role


class FieldFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Field
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"LV{n:03d}")
    name = factory.Sequence(lambda n: f"Lĩnh vực thử nghiệm {n}")


class ProcedureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Procedure

    code = factory.Sequence(lambda n: f"1.{n + 100000:06d}")
    name = factory.Sequence(lambda n: f"Thủ tục thử nghiệm số {n}")
    field = factory.SubFactory(FieldFactory)
    level = ProcedureLevel.COMMUNE
    subjects = Subjects.CITIZEN
    implementing_agency = "Ủy ban nhân dân cấp xã"
    competent_authority = "Chủ tịch Ủy ban nhân dân cấp xã"
    sequence = "Bước 1: Nộp hồ sơ.\nBước 2: Tiếp nhận và giải quyết.\nBước 3: Trả kết quả."
    method = "Nộp trực tiếp tại Bộ phận Một cửa hoặc qua dịch vụ bưu chính."
    conditions = ""
    result = "Giấy xác nhận"
    legal_basis = "Luật Hộ tịch năm 2014."
    time_limit = Decimal(3)
    time_unit = TimeUnit.WORKING_DAYS
    fee_vnd = 0
    fee_timing = FeeTiming.FREE
    online_level = OnlineLevel.NONE
    publication_state = PublicationState.DRAFT

    class Params:
        published = factory.Trait(
            publication_state=PublicationState.PUBLISHED,
            decision_number="1217/QĐ-UBND",
            decision_date=dt.date(2022, 5, 12),
            published_on=dt.date(2022, 5, 20),
            updated_on=dt.date(2023, 1, 5),
        )
        online = factory.Trait(online_level=OnlineLevel.FULL, full_online_eligible=True)


class ComponentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Component

    procedure = factory.SubFactory(ProcedureFactory)
    position = factory.Sequence(lambda n: n + 1)
    name = factory.Sequence(lambda n: f"Giấy tờ số {n}")
    copy_type = CopyType.ORIGINAL
    count = 1


class FeeItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FeeItem

    procedure = factory.SubFactory(ProcedureFactory)
    name = "Lệ phí"
    amount_vnd = 2000


class InternalProcessFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = InternalProcess

    procedure = factory.SubFactory(ProcedureFactory)
    unit = None
    name = factory.LazyAttribute(lambda o: f"Quy trình nội bộ {o.procedure.code}")


class ProcessStepFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProcessStep

    process = factory.SubFactory(InternalProcessFactory)
    position = factory.Sequence(lambda n: n + 1)
    name = factory.Sequence(lambda n: f"Bước xử lý {n}")
    role = Role.SPECIALIST
    hours = Decimal(4)
