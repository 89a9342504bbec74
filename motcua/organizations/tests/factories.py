"""Factories for units. Codes follow QCVN 102:2016 (``VVV.ZZ.YY.MXX``) so validators accept them."""

import factory

from motcua.organizations.models import Level, Unit


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"{n // 100 % 1000:03d}.{n % 100:02d}.{n // 100_000 % 100:02d}.H56")
    name = factory.Sequence(lambda n: f"UBND xã Thử Nghiệm {n}")
    level = Level.COMMUNE
    parent = None

    class Params:
        province = factory.Trait(level=Level.PROVINCE, name=factory.Sequence(lambda n: f"Tỉnh Hải Dương {n}"))
        district = factory.Trait(
            level=Level.DISTRICT, name=factory.Sequence(lambda n: f"UBND huyện Gia Lộc {n}")
        )
