"""Authorization matrix of the API (QUALITY.md security item 1; issue 3 item 8): every route of the
``api`` namespace × persona × own / foreign dossier gets exactly the expected status.

"Own" is a dossier of the unit where the persona works (for the applicant: filed from their account);
"foreign" is one of a unit where they hold no role. Each action route is tried on a dossier in a state
where the action is possible and with a valid body, so the answer is about *who* asks: 401 for
anonymous callers and portal accounts, 404 for a dossier the officer may not see (never 403), 403 for
a visible dossier whose action belongs to another role, 200 otherwise. A route missing from the table
fails ``test_every_api_route_is_in_the_table``.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from motcua.catalog.models import Procedure
from motcua.conftest import login_with_otp
from motcua.dossiers.models import Dossier, StepKind
from motcua.dossiers.tests.factories import RECEIVED_AT, DossierFactory, DossierStepFactory
from motcua.dossiers.workflow import Status, Verdict
from motcua.organizations.models import Unit

PERSONAS = ("anonymous", "applicant", "receiver", "specialist", "leader", "receiver_elsewhere")
OWNERSHIP = ("own", "foreign")
# The role each officer persona holds in their own unit.
ROLE_OF = {"receiver": "R", "receiver_elsewhere": "R", "specialist": "S", "leader": "L"}


@dataclass
class World:
    unit: Unit  # the unit of the dossier (or of the creation) under test
    procedure: Procedure
    justice_office: Unit
    applicant: Any


Setup = Callable[[World], tuple[Dossier | None, dict[str, Any]]]


def dossier(w: World, **fields: Any) -> Dossier:
    return DossierFactory(receiving_unit=w.unit, procedure=w.procedure, applicant_user=w.applicant, **fields)


def in_state(status: Status, body: dict[str, Any] | None = None, **fields: Any) -> Setup:
    return lambda w: (dossier(w, status=status, **fields), body or {})


def with_step(kind: StepKind, body: Callable[[int], dict[str, Any]], elsewhere: bool = False) -> Setup:
    def make(w: World) -> tuple[Dossier, dict[str, Any]]:
        d = dossier(w, status=Status.PROCESSING)
        if kind == StepKind.PROCESS and not elsewhere:  # a finished step 1, step 2 open (specialist)
            DossierStepFactory(dossier=d, position=1, finished_at=RECEIVED_AT)
            step = DossierStepFactory(dossier=d, position=2)
        else:
            step = DossierStepFactory(dossier=d, kind=kind, unit=w.justice_office)
        return d, body(step.pk)

    return make


def public(w: World) -> tuple[None, dict[str, Any]]:
    return None, {}


def creation(w: World) -> tuple[None, dict[str, Any]]:
    return None, {
        "procedure": w.procedure.code,
        "receiving_unit": w.unit.code,
        "applicant": {"name": "Nguyễn Văn An", "id_number": "030090000123"},
        "components": [{"catalog_position": 1}],
    }


ITEMS = {"items": [{"name": "Tờ khai"}]}
PROCESSING = Status.PROCESSING
ALL = {"R": 200, "S": 200, "L": 200}

# route name → (method, setup, status for each role on an own dossier). Foreign dossiers: 404.
TABLE: dict[str, tuple[str, Setup, dict[str, int]]] = {
    "api:list_dossiers": ("GET", public, ALL),
    # indicators of the caller's units and below (the unit is in the query; another unit's: 404)
    "api:indicators": ("GET", public, ALL),
    "api:search_dossiers": ("POST", lambda w: (None, {"q": "030090000123"}), ALL),
    "api:create_dossier": ("POST", creation, {"R": 201, "S": 403, "L": 403}),
    "api:get_dossier": ("GET", in_state(Status.RECEIVED), ALL),
    "api:dossier_receive": ("POST", in_state(Status.SUBMITTED), {"R": 200, "S": 403, "L": 403}),
    "api:dossier_return_for_supplement": (
        "POST",
        in_state(Status.SUBMITTED, ITEMS),
        {"R": 200, "S": 403, "L": 403},
    ),
    "api:dossier_start": ("POST", in_state(Status.RECEIVED), ALL),
    "api:dossier_forward": (
        "POST",
        with_step(StepKind.PROCESS, lambda _: {}),
        {"R": 403, "S": 200, "L": 403},
    ),
    "api:dossier_return_step": (
        "POST",
        with_step(StepKind.PROCESS, lambda _: {"reason": "Thiếu căn cứ"}),
        {"R": 403, "S": 200, "L": 403},
    ),
    "api:dossier_consult": (
        "POST",
        in_state(PROCESSING, {"question": "?", "hours": 4}),
        {"R": 403, "S": 200, "L": 200},
    ),
    "api:dossier_answer_consultation": (
        "POST",
        with_step(StepKind.CONSULTATION, lambda pk: {"step_id": pk, "answer": "Đồng ý"}),
        {"R": 403, "S": 403, "L": 403},  # only the consulted unit answers
    ),
    "api:dossier_send_inter_unit": (
        "POST",
        in_state(PROCESSING, {"task": "Cấp bản sao", "hours": 8}),
        {"R": 403, "S": 200, "L": 200},
    ),
    "api:dossier_complete_inter_unit": (
        "POST",
        with_step(StepKind.INTER_UNIT, lambda pk: {"step_id": pk, "result": "Xong"}),
        {"R": 403, "S": 403, "L": 403},  # only the liên thông unit completes
    ),
    "api:dossier_request_supplement": ("POST", in_state(PROCESSING, ITEMS), {"R": 403, "S": 200, "L": 200}),
    "api:dossier_complete_supplement": (
        "POST",
        in_state(Status.AWAITING_SUPPLEMENT),
        {"R": 200, "S": 403, "L": 403},
    ),
    "api:dossier_suspend": ("POST", in_state(PROCESSING, {"reason": "Chờ"}), {"R": 403, "S": 200, "L": 200}),
    "api:dossier_resume": ("POST", in_state(Status.SUSPENDED), {"R": 403, "S": 200, "L": 200}),
    "api:dossier_stop": ("POST", in_state(PROCESSING, {"reason": "Dừng"}), {"R": 403, "S": 403, "L": 200}),
    "api:dossier_reject": (
        "POST",
        in_state(PROCESSING, {"reasons": ["Không đủ"]}),
        {"R": 403, "S": 403, "L": 200},
    ),
    "api:dossier_request_payment": ("POST", in_state(PROCESSING, {"amount_vnd": 8000}), ALL),
    "api:dossier_record_payment": (
        "POST",
        in_state(Status.AWAITING_PAYMENT, {"amount_vnd": 8000}, fee_vnd=8000),
        ALL,
    ),
    "api:dossier_reschedule": (
        "POST",
        in_state(PROCESSING, {"new_due_at": "2024-03-12T17:00:00+07:00", "reason": "Xác minh"}),
        {"R": 403, "S": 403, "L": 200},
    ),
    "api:dossier_record_result": (
        "POST",
        in_state(PROCESSING, {"number": "1/2024", "signed_on": "2024-03-04", "signer": "Vũ Quang Huy"}),
        {"R": 403, "S": 200, "L": 200},
    ),
    "api:dossier_mark_processed": (
        "POST",
        in_state(PROCESSING, result_number="1/2024"),
        {"R": 403, "S": 403, "L": 200},
    ),
    "api:dossier_announce_early_return": (
        "POST",
        in_state(Status.PROCESSED, verdict=Verdict.EARLY, processed_at=RECEIVED_AT),
        {"R": 200, "S": 403, "L": 200},
    ),
    "api:dossier_return_result": (
        "POST",
        in_state(Status.PROCESSED, processed_at=RECEIVED_AT),
        {"R": 200, "S": 403, "L": 403},
    ),
    "api:dossier_withdraw": (
        "POST",
        in_state(Status.RECEIVED, {"reason": "Xin rút", "written_request": "Đơn ngày 4/3/2024"}),
        {"R": 200, "S": 403, "L": 200},
    ),
}
# Public routes: the same answer for everyone.
PUBLIC: dict[str, int] = {
    "api:api-root": 404,  # the prefix itself is no page
    "api:openapi-json": 200,
    "api:list_units": 200,
    "api:get_unit": 200,
    "api:list_procedures": 200,
    "api:get_procedure": 200,
    "api:appointment": 200,
    "api:payment_notice_sandbox": 200,  # GET describes it; the provider POSTs signed notices
    "api:verify_pdf": 200,  # GET describes it; anyone POSTs a PDF to check
}
# Bodies naming a unit are filled in per test: the unit consulted / sent to is the district office.
UNIT_IN_BODY = {"api:dossier_consult", "api:dossier_send_inter_unit"}


def api_routes() -> set[str]:
    names: set[str] = set()

    def walk(patterns: list[URLPattern | URLResolver], namespace: str) -> None:
        for p in patterns:
            if isinstance(p, URLResolver):
                walk(p.url_patterns, f"{namespace}{p.namespace}:" if p.namespace else namespace)
            elif p.name and namespace == "api:":
                names.add(namespace + p.name)

    walk(get_resolver().url_patterns, "")
    return names


def test_every_api_route_is_in_the_table():
    assert api_routes() == set(TABLE) | set(PUBLIC), "add the new route to TABLE or PUBLIC with its statuses"


def expected(name: str, persona: str, ownership: str) -> int:
    if name in PUBLIC:
        return PUBLIC[name]
    if persona in ("anonymous", "applicant"):
        return 401  # officers only; a portal session is not an officer's
    if name in ("api:list_dossiers", "api:search_dossiers"):
        return 200  # the list is scoped, never refused
    if name == "api:create_dossier" and ownership == "foreign":
        return 403  # no dossier exists yet: receiving for a unit where one holds no role
    if ownership == "foreign":
        return 404
    return TABLE[name][2][ROLE_OF[persona]]


@pytest.mark.django_db
@pytest.mark.parametrize("ownership", OWNERSHIP)
@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("name", sorted(set(TABLE) | set(PUBLIC)))
def test_matrix(request, clock, units, procedure, applicant, name, persona, ownership):
    # given: the persona, and a dossier of their own unit or of another one
    client = Client()
    home = units.other_commune if persona == "receiver_elsewhere" else units.commune
    away = units.commune if home == units.other_commune else units.other_commune
    if persona != "anonymous":
        login_with_otp(client, request.getfixturevalue(persona))
    world = World(
        unit=home if ownership == "own" else away,
        procedure=procedure,
        justice_office=units.justice_office,
        applicant=applicant if ownership == "own" else None,
    )
    method, setup, _statuses = TABLE.get(name, ("GET", public, {}))
    target, body = setup(world)
    if name in UNIT_IN_BODY:
        body["unit"] = units.justice_office.code
    kwargs: dict[str, str] = {}
    query: dict[str, str] = {}
    if name == "api:get_unit":
        kwargs["code"] = units.commune.code
    elif name == "api:get_procedure":
        kwargs["code"] = procedure.code
    elif name == "api:indicators":
        query = {"unit": world.unit.code, "from": "2024-03-01", "to": "2024-03-31"}
    elif name == "api:appointment":
        query = {"procedure": procedure.code, "unit": units.commune.code, "at": "2024-03-04T08:00:00+07:00"}
    elif target is not None:
        kwargs["code"] = target.code
    url = reverse(name, kwargs=kwargs)
    # when
    if method == "GET":
        response = client.get(url, query)
    else:
        headers = {"Idempotency-Key": f"matrix-{persona}-{ownership}"}
        response = client.post(url, body, content_type="application/json", headers=headers)
    # then
    assert response.status_code == expected(name, persona, ownership), response.content.decode()[:300]
    if response.status_code == 404 and target is not None:
        assert response.json()["detail"].startswith("Không tìm thấy hồ sơ")
    if target is not None and response.status_code != 200:
        target.refresh_from_db()
        assert target.version == 1, "a refused call changed nothing"
