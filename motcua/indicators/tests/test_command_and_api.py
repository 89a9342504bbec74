"""``motcua indicators … --format json`` and ``GET /api/v1/indicators``: the interchange contract's JSON,
Vietnamese errors, officers only, scoped to the units they work in and below."""

import io
import json
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from motcua.accounts.tests.factories import UserFactory
from motcua.conftest import login_with_otp
from motcua.dossiers.models import DossierStep
from motcua.dossiers.workflow import Channel, Status, Verdict
from motcua.indicators.tests.builders import at, make_dossier
from motcua.organizations.models import Membership, Role

pytestmark = pytest.mark.django_db

ARGS = ["--unit", "001.12.00.H23", "--from", "2023-08-01", "--to", "2023-08-31"]


def run(*args: str) -> dict:  # type: ignore[type-arg]
    out = io.StringIO()
    call_command("indicators", *args, "--format", "json", stdout=out)
    return json.loads(out.getvalue())  # type: ignore[no-any-return]


@pytest.fixture
def august_data(world):  # type: ignore[no-untyped-def]
    on_time = make_dossier(
        world.commune, world.online, channel=Channel.ONLINE, status=Status.PROCESSED, processed_at=at(9)
    )
    make_dossier(world.commune, world.online, status=Status.PROCESSED, processed_at=at(11))  # late
    DossierStep.objects.create(
        dossier=on_time,
        position=1,
        name="Thẩm định",
        role="specialist",
        unit=world.commune,
        budget_hours=Decimal(8),
        started_at=at(7),
        due_at=at(8, 9),
        finished_at=at(8, 10),
        verdict=Verdict.LATE,
        actor_name="Trần Thị Bình",
    )
    return world


def test_the_json_has_exactly_the_contracts_shape_and_numbers(august_data):
    data = run(*ARGS)

    assert list(data) == ["unit", "from", "to", "rulebook", "total", "groups", "targets", "late_steps"]
    assert (data["unit"], data["from"], data["to"], data["rulebook"]) == (
        "001.12.00.H23",
        "2023-08-01",
        "2023-08-31",
        "qd766-2022",
    )
    assert [g["id"] for g in data["groups"]] == [
        "publicity",
        "progress",
        "digitization",
        "online_services",
        "satisfaction",
    ]
    progress = data["groups"][1]
    assert progress == {
        "id": "progress",
        "score": 10.0,
        "max": 20,
        "indicators": [
            {"id": "2.1", "numerator": 1, "denominator": 2, "rate": 0.5, "score": 10.0, "max": 20}
        ],
    }
    for group in data["groups"]:
        assert list(group) == ["id", "score", "max", "indicators"]
        for item in group["indicators"]:
            assert list(item) == ["id", "numerator", "denominator", "rate", "score", "max"]
    assert data["total"] == round(sum(g["score"] for g in data["groups"]), 2)
    assert data["targets"] == []  # no 2023 targets shipped
    assert data["late_steps"] == [
        {
            "code": DossierStep.objects.get().dossier.code,
            "step": "Thẩm định",
            "actor": "Trần Thị Bình",
            "due_at": "2023-08-08T09:00:00+07:00",
            "finished_at": "2023-08-08T10:00:00+07:00",
        }
    ]


def test_an_explicit_rulebook_scores_under_the_other_layout(august_data):
    data = run(*ARGS, "--rulebook", "dvcqg-2025")
    assert data["rulebook"] == "dvcqg-2025"
    assert [g["id"] for g in data["groups"]] == [
        "publicity",
        "progress",
        "online_services",
        "online_payment",
        "digitization",
        "satisfaction",
    ]


@pytest.mark.parametrize(
    ("args", "message", "code"),
    [
        (
            ["--unit", "999.99.99.H99", "--from", "2023-08-01", "--to", "2023-08-31"],
            "Không tìm thấy đơn vị",
            1,
        ),
        ([*ARGS[:4], "--to", "2023-07-01"], "Ngày bắt đầu --from sau ngày kết thúc --to", 2),
        ([*ARGS, "--rulebook", "qd999"], "Không có bộ chỉ số «qd999»", 1),
        (
            ["--unit", "001.12.00.H23", "--from", "2021-01-01", "--to", "2021-12-31"],
            "Không có bộ chỉ số nào",
            1,
        ),
    ],
)
def test_errors_are_vietnamese_sentences_with_a_non_zero_exit_code(world, args, message, code):
    with pytest.raises(CommandError, match=message) as caught:
        run(*args)
    assert caught.value.returncode == code


def test_a_malformed_date_is_a_command_line_error(world):
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        run("--unit", "001.12.00.H23", "--from", "2023-13-01", "--to", "2023-08-31")


def officer_of(unit):  # type: ignore[no-untyped-def]
    user = UserFactory(officer=True)
    Membership.objects.create(user=user, unit=unit, role=Role.OVERSIGHT)
    client = Client()
    login_with_otp(client, user)
    return client


URL = "/api/v1/indicators"
QUERY = {"unit": "001.12.00.H23", "from": "2023-08-01", "to": "2023-08-31"}


def test_the_api_answers_the_same_json_as_the_command(august_data):
    answer = officer_of(august_data.district).get(URL, QUERY)
    assert answer.status_code == 200
    assert answer.json() == run(*ARGS)


def test_the_api_is_for_officers_and_scoped_to_their_units_and_below(august_data):
    assert Client().get(URL, QUERY).status_code == 401
    elsewhere = officer_of(august_data.other_commune)
    assert elsewhere.get(URL, QUERY).status_code == 404
    unknown = elsewhere.get(URL, {**QUERY, "unit": "999.99.99.H99"})
    assert unknown.status_code == 404
    assert elsewhere.get(URL, QUERY).json()["detail"].startswith("Không tìm thấy đơn vị")
    commune = officer_of(august_data.commune)
    assert commune.get(URL, {**QUERY, "unit": "000.00.12.H23"}).status_code == 404  # the district above


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ({"unit": "001.12.00.H23", "to": "2023-08-31"}, "from"),
        ({**QUERY, "to": "31/08/2023"}, "to"),
        ({**QUERY, "to": "2023-07-01"}, "from"),
        ({**QUERY, "rulebook": "qd999"}, "rulebook"),
    ],
)
def test_bad_parameters_are_named(august_data, query, parameter):
    answer = officer_of(august_data.province).get(URL, query)
    assert answer.status_code == 400
    assert answer.json()["parameter"] == parameter
