"""Rolling up: a unit's numerators and denominators are the sums of its sub-units' (dossier
formulas count each dossier once, in its responsible unit), on a seeded random set of dossiers."""

import datetime as dt
import random

import pytest

from motcua.dossiers.models import Rating
from motcua.dossiers.workflow import Channel, Status
from motcua.indicators.formulas import FORMULAS, Ratio
from motcua.indicators.tests.builders import at, august, make_dossier

pytestmark = pytest.mark.django_db

DOSSIER_FORMULAS = (
    "on_time",
    "dossier_satisfaction",
    "online_share",
    "online_share_1217",
    "full_online",
    "paid_online",
    "electronic_results",
    "digitized",
    "digitized_at_reception",
    "reused",
    "shared_with_store",
    "population_data_dossiers",
)


def random_dossiers(world, rng: random.Random, count: int) -> None:  # type: ignore[no-untyped-def]
    for _ in range(count):
        day = rng.randint(1, 31)
        received = at(day, rng.choice([8, 10, 14]))
        due = received + dt.timedelta(days=rng.randint(0, 6))
        finished = received + dt.timedelta(days=rng.randint(0, 8)) if rng.random() < 0.7 else None
        requests = rng.choice([0, 0, 1, 2])
        events = []
        for n in range(requests):
            events.append(("supplement_requested", received + dt.timedelta(hours=2 + n)))
            if rng.random() < 0.7:
                events.append(("supplement_completed", received + dt.timedelta(hours=20 + n)))
        make_dossier(
            rng.choice([world.commune, world.other_commune]),
            rng.choice([world.online, world.partial, world.offline]),
            received_at=received,
            due_at=due,
            status=Status.PROCESSED if finished else Status.PROCESSING,
            processed_at=finished,
            channel=rng.choice(list(Channel)),
            fee_vnd=rng.choice([0, 20000]),
            is_paid_online=rng.random() < 0.3,
            is_result_electronic=rng.random() < 0.5,
            is_vneid_verified=rng.random() < 0.3,
            rating=rng.choice(["", *Rating.values]),
            events=events,
            components=[
                {
                    "is_digitized": rng.random() < 0.7,
                    "is_reused": rng.random() < 0.2,
                    "is_from_store": rng.random() < 0.2,
                    "is_provided": rng.random() < 0.9,
                }
                for _ in range(rng.randint(0, 3))
            ],
        )


@pytest.mark.parametrize("seed", [1, 2])
def test_a_district_is_the_sum_of_its_communes(world, seed):
    random_dossiers(world, random.Random(seed), 40)
    for name in DOSSIER_FORMULAS:
        parts = [FORMULAS[name](august(unit)) for unit in (world.commune, world.other_commune)]
        whole = FORMULAS[name](august(world.district))
        assert whole == Ratio(sum(p.numerator for p in parts), sum(p.denominator for p in parts)), name
        assert FORMULAS[name](august(world.province)) == whole, name
    assert FORMULAS["on_time"](august(world.district)).denominator == 40
