"""Every office route × persona × own/foreign dossier, against an expected-outcome table
(QUALITY.md security item 1). A route of the ``office`` namespace missing from the table fails.

Outcomes: "login" (302 to the sign-in page), "ok" (200, or 302 after a successful action), 403 (the
officer sees the dossier but may not do this), 404 (the dossier is not theirs: the same answer as a
missing one), 405 (wrong method). The "own" dossier is one of the personas' commune with a liên thông
step at the district's justice office, so the district specialist sees it; the "foreign" dossier
belongs to a unit where none of the personas works.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from motcua.dossiers import services
from motcua.dossiers.models import Dossier, DossierStep, StepKind
from motcua.dossiers.services import MissingItem
from motcua.dossiers.tests.factories import DossierFactory
from motcua.dossiers.workflow import Status
from motcua.office.tests.conftest import management, sign_in

pytestmark = pytest.mark.django_db

OFFICERS = ("receiver", "specialist", "leader", "receiver_elsewhere", "district_specialist")
PERSONAS = ("anonymous", "applicant", *OFFICERS)
OK, LOGIN = "ok", "login"

# Who may act on the own dossier, by capability (the rest of the officers who see it get 403).
RECEIVER_ONLY = {"receiver": OK, "specialist": 403, "leader": 403, "district_specialist": 403}
PROCESSING_OFFICERS = {"receiver": 403, "specialist": OK, "leader": OK, "district_specialist": 403}
LEADER_ONLY = {"receiver": 403, "specialist": 403, "leader": OK, "district_specialist": 403}
COUNTER_OR_UNIT = {"receiver": OK, "specialist": OK, "leader": OK, "district_specialist": 403}
EVERY_VIEWER = {"receiver": OK, "specialist": OK, "leader": OK, "district_specialist": OK}
DISTRICT_ONLY = {"receiver": 403, "specialist": 403, "leader": 403, "district_specialist": OK}
COUNTERS = {
    "receiver": OK,
    "receiver_elsewhere": OK,
    "specialist": 403,
    "leader": 403,
    "district_specialist": 403,
}
ANY_OFFICER = dict.fromkeys(OFFICERS, OK)
MISSING_ID = "00000000-0000-4000-8000-000000000000"  # a certification that does not exist
NO_EDITOR = dict.fromkeys(OFFICERS, 403)


@dataclass
class Route:
    method: str  # the method the route answers
    expected: dict[str, Any]  # persona → outcome for the own dossier (or the route itself)
    state: str = ""  # "" for routes without a dossier
    payload: Callable[[Any], dict[str, Any]] = lambda w: {}
    step: str = ""  # which step of the own dossier, for step routes
    extra: dict[str, str] = field(default_factory=dict)  # other URL kwargs
    both_methods: bool = False  # a page that shows on GET and acts on POST (no 405 for the other method)


def items(prefix: str) -> Callable[[Any], dict[str, Any]]:
    return lambda w: {
        f"{prefix}-m-0-name": "Giấy chứng sinh",
        f"{prefix}-m-0-reason": "Thiếu",
        **management(f"{prefix}-m"),
    }


ROUTES: dict[str, Route] = {
    "office:login": Route("GET", ANY_OFFICER),
    "office:logout": Route("POST", ANY_OFFICER),
    "office:choose_unit": Route("GET", ANY_OFFICER),
    "office:dashboard": Route("GET", ANY_OFFICER),
    "office:procedure_list": Route("GET", ANY_OFFICER),
    "office:procedure_detail": Route("GET", ANY_OFFICER, extra={"code": "procedure"}),
    "office:procedure_edit": Route("GET", NO_EDITOR, extra={"code": "procedure"}),
    "office:procedure_publish": Route("POST", NO_EDITOR, extra={"code": "procedure"}),
    "office:intake": Route("GET", COUNTERS),
    "office:appointment_preview": Route("GET", COUNTERS),
    "office:online_queue": Route("GET", COUNTERS),
    "office:store_lookup": Route("GET", COUNTERS),
    "office:assisted": Route("GET", COUNTERS),
    "office:assisted_done": Route(  # a draft no counter of theirs prepared: 404 (own: test_assisted_pages)
        "GET", {**COUNTERS, "receiver": 404, "receiver_elsewhere": 404}, extra={"draft_id": "missing"}
    ),
    "office:worklist": Route("GET", ANY_OFFICER),
    "office:dossier_list": Route("GET", ANY_OFFICER),
    "office:register": Route("GET", ANY_OFFICER),
    "office:dossier_detail": Route("GET", {**EVERY_VIEWER}, state="processing"),
    "office:dossier_form_pdf": Route("GET", {**EVERY_VIEWER}, state="processing", extra={"number": "01"}),
    # file downloads: these dossiers store no file, so even viewers get 404 (with files:
    # motcua/office/tests/test_file_views.py)
    "office:dossier_component_file": Route(
        "GET", dict.fromkeys(EVERY_VIEWER, 404), state="processing", extra={"component_id": "1"}
    ),
    "office:dossier_result_file": Route("GET", dict.fromkeys(EVERY_VIEWER, 404), state="processed"),
    "office:dossier_receive": Route("POST", {**RECEIVER_ONLY, "district_specialist": 404}, state="submitted"),
    "office:dossier_return_online": Route(
        "POST",
        {**RECEIVER_ONLY, "district_specialist": 404},
        state="submitted",
        payload=items("return_online"),
    ),
    "office:dossier_complete_supplement": Route("POST", RECEIVER_ONLY, state="awaiting_supplement"),
    "office:dossier_start": Route(
        "POST", {"receiver": OK, "specialist": OK, "leader": OK, "district_specialist": 404}, state="received"
    ),
    "office:dossier_forward": Route(
        "POST",
        {"receiver": 403, "specialist": OK, "leader": 403, "district_specialist": 403},
        state="processing",
    ),
    "office:dossier_return_step": Route(
        "POST",
        {"receiver": 403, "specialist": OK, "leader": 403, "district_specialist": 403},
        state="second_step",
        payload=lambda w: {"reason": "Cần thẩm định lại"},
    ),
    "office:dossier_consult": Route(
        "POST",
        PROCESSING_OFFICERS,
        state="processing",
        payload=lambda w: {"unit": w.units.district.pk, "text": "Ý kiến?", "hours": "8"},
    ),
    "office:dossier_inter_unit": Route(
        "POST",
        PROCESSING_OFFICERS,
        state="processing",
        payload=lambda w: {"unit": w.units.district.pk, "text": "Nhiệm vụ", "hours": "8"},
    ),
    "office:dossier_supplement": Route(
        "POST", PROCESSING_OFFICERS, state="processing", payload=items("supplement")
    ),
    "office:dossier_suspend": Route(
        "POST", PROCESSING_OFFICERS, state="processing", payload=lambda w: {"reason": "Chờ"}
    ),
    "office:dossier_resume": Route("POST", PROCESSING_OFFICERS, state="suspended"),
    "office:dossier_stop": Route(
        "POST", LEADER_ONLY, state="processing", payload=lambda w: {"reason": "Dừng"}
    ),
    "office:dossier_reject": Route(
        "POST", LEADER_ONLY, state="processing", payload=lambda w: {"reasons": "Không đủ điều kiện"}
    ),
    "office:dossier_payment_request": Route(
        "POST", COUNTER_OR_UNIT, state="processing", payload=lambda w: {"amount_vnd": "50000"}
    ),
    "office:dossier_payment_record": Route(
        "POST", COUNTER_OR_UNIT, state="awaiting_payment", payload=lambda w: {"amount_vnd": "50000"}
    ),
    "office:dossier_reschedule": Route(
        "POST",
        LEADER_ONLY,
        state="processing",
        payload=lambda w: {"new_due_on": "2024-03-11", "new_due_time": "16:00", "reason": "Chậm"},
    ),
    "office:dossier_result": Route(
        "POST",
        PROCESSING_OFFICERS,
        state="processing",
        payload=lambda w: {"number": "1/KS", "signed_on": "2024-03-04", "signer": "A"},
    ),
    "office:dossier_processed": Route("POST", LEADER_ONLY, state="ready"),
    "office:dossier_early_return": Route(
        "POST",
        {"receiver": OK, "specialist": 403, "leader": OK, "district_specialist": 403},
        state="processed",
    ),
    "office:dossier_return_result": Route(
        "POST", RECEIVER_ONLY, state="processed", payload=lambda w: {"delivery": "counter"}
    ),
    "office:dossier_withdraw": Route(
        "POST",
        {"receiver": OK, "specialist": 403, "leader": OK, "district_specialist": 403},
        state="processing",
        payload=lambda w: {"reason": "Không cần nữa", "written_request": "Đơn ngày 04/3/2024"},
    ),
    "office:step_reassign": Route(
        "POST",
        LEADER_ONLY,
        state="processing",
        step="first",
        payload=lambda w: {"assignee": w.users["specialist"].pk},
    ),
    "office:step_answer": Route(
        "POST", DISTRICT_ONLY, state="consulted", step="consultation", payload=lambda w: {"text": "Đồng ý"}
    ),
    # payments at the counter (the page shows on GET, records on POST)
    "office:payment_counter": Route("GET", EVERY_VIEWER, state="awaiting_payment", both_methods=True),
    # digitization: every viewer sees the page (posting needs a receiver with a certificate:
    # motcua/office/digitization/tests/); the backlog is the officer's current unit's
    "office:dossier_digitize": Route("GET", EVERY_VIEWER, state="processing", both_methods=True),
    "office:digitization_backlog": Route("GET", ANY_OFFICER),
    "office:indicator_board": Route("GET", ANY_OFFICER),
    # no item chosen: 404 (the click-through with an item and scoping: office/indicators/tests)
    "office:indicator_dossiers": Route("GET", dict.fromkeys(OFFICERS, 404)),
    "office:indicator_export_xlsx": Route("GET", ANY_OFFICER),
    "office:indicator_export_pdf": Route("GET", ANY_OFFICER),
    # TT 01/2018 evaluation of the officer's current unit (rows scoped by role: office/evaluation/tests)
    "office:evaluation": Route("GET", ANY_OFFICER),
    "office:evaluation_export_xlsx": Route("GET", ANY_OFFICER),
    "office:evaluation_export_pdf": Route("GET", ANY_OFFICER),
    # early warning of the officer's current unit (items of other units: motcua/office/warnings/tests/)
    "office:warnings": Route("GET", ANY_OFFICER),
    # register reconciliation (rows added by motcua/office/reconciliation)
    "office:reconciliation": Route("GET", ANY_OFFICER),
    # entering counts: receivers, leaders and the oversight office of the unit; specialists 403
    "office:reconciliation_new": Route(
        "GET", {**ANY_OFFICER, "specialist": 403, "district_specialist": 403}, both_methods=True
    ),
    # an entry of no unit of theirs (here: none exists) is 404 (own entries: office/reconciliation/tests)
    "office:reconciliation_detail": Route(
        "GET", dict.fromkeys(OFFICERS, 404), extra={"public_id": MISSING_ID}
    ),
    "office:reconciliation_export_xlsx": Route(
        "GET", dict.fromkeys(OFFICERS, 404), extra={"public_id": MISSING_ID}
    ),
    "office:reconciliation_export_pdf": Route(
        "GET", dict.fromkeys(OFFICERS, 404), extra={"public_id": MISSING_ID}
    ),
    # provincial targets (rows added by motcua/office/targets)
    # any officer reads them; only a province's leader or oversight office edits (no persona: 403;
    # editors and scoping: motcua/office/targets/tests/)
    "office:targets": Route("GET", ANY_OFFICER),
    "office:target_add": Route("GET", NO_EDITOR),
    "office:target_edit": Route("GET", NO_EDITOR),
    "office:targets_copy": Route("POST", NO_EDITOR),
    # digital signatures (the services check the role; this dossier's result has no file, so the
    # leader's signing is refused with 400, and no persona holds a certificate: the receiver's form
    # signature is refused with 400 too; signing itself: motcua/office/signing/tests/)
    "office:dossier_sign_result": Route("POST", {**NO_EDITOR, "leader": 400}, state="ready"),
    "office:dossier_certify_result_copy": Route("POST", {**NO_EDITOR, "leader": 400}, state="ready"),
    "office:dossier_sign_form": Route(
        "POST", {**NO_EDITOR, "receiver": 400}, state="processing", extra={"number": "01"}
    ),
    "office:dossier_signed_form_file": Route(
        "GET", dict.fromkeys(EVERY_VIEWER, 404), state="processing", extra={"signed_form_id": "1"}
    ),
    "office:dossier_signatures": Route("GET", EVERY_VIEWER, state="processing"),
    "office:payment_receipt_pdf": Route("GET", dict.fromkeys(OFFICERS, 404), extra={"order_id": "missing"}),
    "office:payment_reconciliation": Route("GET", ANY_OFFICER),
    # feedback (PAKN) of the officer's unit, ratings and the counter rating device
    "office:feedback_inbox": Route("GET", ANY_OFFICER),
    "office:feedback_detail": Route("GET", dict.fromkeys(OFFICERS, 404), extra={"feedback_code": "missing"}),
    "office:feedback_classify": Route(
        "POST", dict.fromkeys(OFFICERS, 404), extra={"feedback_code": "missing"}
    ),
    "office:feedback_assign": Route("POST", dict.fromkeys(OFFICERS, 404), extra={"feedback_code": "missing"}),
    "office:feedback_answer": Route("POST", dict.fromkeys(OFFICERS, 404), extra={"feedback_code": "missing"}),
    "office:feedback_publish": Route(
        "POST", dict.fromkeys(OFFICERS, 404), extra={"feedback_code": "missing"}
    ),
    "office:ratings": Route("GET", ANY_OFFICER),
    # certification of copies: no persona is a justice officer (receiving: 403); the commune leader
    # keeps the book; requests of no unit of theirs answer 404 (own requests:
    # motcua/certification/tests/test_office_pages.py)
    "office:certification_list": Route("GET", ANY_OFFICER),
    "office:certification_receive": Route("GET", NO_EDITOR),
    "office:certification_book": Route("GET", {**NO_EDITOR, "leader": OK}),
    "office:certification_book_pdf": Route("GET", {**NO_EDITOR, "leader": OK}),
    "office:certification_detail": Route(
        "GET", dict.fromkeys(OFFICERS, 404), extra={"public_id": MISSING_ID}
    ),
    "office:certification_approve": Route(
        "POST", dict.fromkeys(OFFICERS, 404), extra={"public_id": MISSING_ID}
    ),
    "office:certification_refuse": Route(
        "POST", dict.fromkeys(OFFICERS, 404), extra={"public_id": MISSING_ID}
    ),
    "office:certification_pdf": Route("GET", dict.fromkeys(OFFICERS, 404), extra={"public_id": MISSING_ID}),
    "office:certification_pay": Route("POST", dict.fromkeys(OFFICERS, 404), extra={"public_id": MISSING_ID}),
    "office:certification_receipt": Route(
        "GET", dict.fromkeys(OFFICERS, 404), extra={"public_id": MISSING_ID}
    ),
    "office:certification_sign": Route("POST", dict.fromkeys(OFFICERS, 404), extra={"public_id": MISSING_ID}),
    "office:certification_store": Route(
        "POST", dict.fromkeys(OFFICERS, 404), extra={"public_id": MISSING_ID}
    ),
    # officers' signing certificates: everyone sees their own; the leader (a manager) posting an empty
    # form gets 400, the others may not register (403); an unknown certificate is 404 for all
    "office:certificate_list": Route("GET", ANY_OFFICER),
    "office:certificate_register": Route("POST", {**NO_EDITOR, "leader": 400}),
    "office:certificate_deactivate": Route(
        "POST", dict.fromkeys(OFFICERS, 404), extra={"certificate_id": "999999"}
    ),
    "office:rating_device": Route("GET", ANY_OFFICER),
    "office:step_complete_inter_unit": Route(
        "POST", DISTRICT_ONLY, state="processing", step="inter_unit", payload=lambda w: {"text": "Xong"}
    ),
}


def office_routes() -> list[str]:
    names: list[str] = []

    def walk(patterns: list[URLPattern | URLResolver], namespace: str) -> None:
        for p in patterns:
            if isinstance(p, URLResolver):
                walk(p.url_patterns, f"{namespace}{p.namespace}:" if p.namespace else namespace)
            elif p.name and namespace == "office:":
                names.append(namespace + p.name)

    walk(get_resolver().url_patterns, "")
    return names


def test_every_office_route_has_an_expected_outcome():
    routes = office_routes()
    assert routes, "the office namespace has no routes?"
    missing = sorted(set(routes) - set(ROUTES))
    assert not missing, f"office routes without a row in the authorization matrix: {missing}"
    assert not sorted(set(ROUTES) - set(routes)), "rows for routes that no longer exist"


# --- the world -----------------------------------------------------------------------------------------


@dataclass
class World:
    units: Any
    procedure: Any
    users: dict[str, Any]
    person: Any
    papers: Any

    def own(self, state: str) -> Dossier:
        """A dossier of the personas' commune in ``state``, made through the services."""
        u = self.users
        if state == "submitted":
            return services.submit_online(
                by=u["applicant"],
                procedure=self.procedure,
                receiving_unit=self.units.commune,
                applicant=self.person,
                components=self.papers,
                idempotency_key="own",
            )
        d = services.receive_at_counter(
            by=u["receiver"],
            procedure=self.procedure,
            receiving_unit=self.units.commune,
            applicant=self.person,
            components=self.papers,
        )
        if state == "received":
            return d
        services.start_processing(dossier_id=d.pk, by=u["receiver"])
        services.send_inter_unit(
            dossier_id=d.pk, by=u["specialist"], unit=self.units.justice_office, task="Xác minh", hours=8
        )
        if state == "consulted":
            services.consult_unit(
                dossier_id=d.pk, by=u["specialist"], unit=self.units.justice_office, question="?", hours=8
            )
        elif state == "awaiting_supplement":
            services.request_supplement(
                dossier_id=d.pk, by=u["specialist"], items=[MissingItem("Giấy chứng sinh", "Thiếu")]
            )
        elif state == "suspended":
            services.suspend(dossier_id=d.pk, by=u["specialist"], reason="Chờ")
        elif state == "awaiting_payment":
            services.request_payment(dossier_id=d.pk, by=u["specialist"], amount_vnd=50000)
        elif state == "second_step":
            services.forward_step(dossier_id=d.pk, by=u["specialist"])
        elif state in {"ready", "processed"}:
            hop = d.steps.get(kind=StepKind.INTER_UNIT)
            services.complete_inter_unit(step_id=hop.pk, by=u["district_specialist"], result="Xong")
            services.forward_step(dossier_id=d.pk, by=u["specialist"])
            services.forward_step(dossier_id=d.pk, by=u["specialist"])
            services.record_result(
                dossier_id=d.pk, by=u["specialist"], number="1/KS", signed_on=dt.date(2024, 3, 4), signer="A"
            )
            if state == "processed":
                services.mark_processed(dossier_id=d.pk, by=u["leader"])
        return Dossier.objects.get(pk=d.pk)

    def foreign(self, state: str) -> Dossier:
        status = {
            "submitted": Status.SUBMITTED,
            "received": Status.RECEIVED,
            "processed": Status.PROCESSED,
        }.get(state, Status.PROCESSING)
        return DossierFactory(receiving_unit=self.units.district, procedure=self.procedure, status=status)


@pytest.fixture
def world(
    clock,
    units,
    procedure,
    person,
    papers,
    applicant,
    receiver,
    specialist,
    leader,
    receiver_elsewhere,
    district_specialist,
):  # type: ignore[no-untyped-def]
    users = {
        "applicant": applicant,
        "receiver": receiver,
        "specialist": specialist,
        "leader": leader,
        "receiver_elsewhere": receiver_elsewhere,
        "district_specialist": district_specialist,
    }
    return World(units, procedure, users, person, papers)


def _step(dossier: Dossier, which: str) -> DossierStep:
    if which == "first":
        return dossier.steps.filter(kind=StepKind.PROCESS).order_by("position", "id").first()  # type: ignore[return-value]
    kind = StepKind.CONSULTATION if which == "consultation" else StepKind.INTER_UNIT
    return dossier.steps.get(kind=kind)


def _call(client, method: str, url: str, data: dict[str, Any]):  # type: ignore[no-untyped-def]
    return client.post(url, data) if method == "POST" else client.get(url, data)


def _check(response, outcome: Any, where: str) -> None:  # type: ignore[no-untyped-def]
    if outcome == LOGIN:
        assert response.status_code == 302, where
        assert response.url.startswith(reverse("office:login")), where
    elif outcome == OK:
        assert response.status_code in (200, 302), (
            f"{where}: {response.status_code} {response.content.decode()[:2000]}"
        )
        if response.status_code == 302:
            assert not response.url.startswith(reverse("office:login")), where
    else:
        assert response.status_code == outcome, (
            f"{where}: {response.status_code} {response.content.decode()[:2000]}"
        )


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("name", sorted(ROUTES))
def test_route_answers_as_the_table_says(client, world, persona, name):
    route = ROUTES[name]
    if persona not in ("anonymous",):
        if persona == "applicant":
            client.force_login(world.users["applicant"])
        else:
            sign_in(client, world.users[persona])
    base: dict[str, Any] = {}
    if "code" in route.extra:
        base["code"] = world.procedure.code
    if "number" in route.extra:
        base["number"] = route.extra["number"]
    if "component_id" in route.extra:
        base["component_id"] = int(route.extra["component_id"])
    for key in ("order_id", "feedback_code", "draft_id", "public_id", "signed_form_id", "certificate_id"):
        if key in route.extra:
            base[key] = route.extra[key]
    query = {"procedure": world.procedure.code} if name == "office:appointment_preview" else {}

    def data_for(dossier: Dossier | None, prefix: str) -> dict[str, Any]:
        data = dict(query)
        if dossier is not None and route.method == "POST":
            data[f"{prefix}-expected_version"] = dossier.version
            for key, value in route.payload(world).items():
                data[key if key.startswith(f"{prefix.split('-')[0]}-m-") else f"{prefix}-{key}"] = value
        return data

    # routes without a dossier: one answer per persona, and the other method refused
    if not route.state:
        outcome = route.expected[persona] if persona in OFFICERS else LOGIN
        if name == "office:login":
            outcome = OK  # the sign-in page is public
        elif name == "office:logout":
            outcome = LOGIN  # signing out always lands on the sign-in page
        _check(
            _call(client, route.method, reverse(name, kwargs=base), data_for(None, "")),
            outcome,
            f"{name} {persona}",
        )
        return

    slug = name.split("_", 1)[1] if name.startswith(("office:dossier_", "office:step_")) else ""
    for whose in ("own", "foreign"):
        dossier = world.own(route.state) if whose == "own" else world.foreign(route.state)
        kwargs = {**base, "dossier_code": dossier.code}
        prefix = slug
        if route.step:
            own_step = _step(dossier if whose == "own" else world.own(route.state), route.step)
            kwargs["step_id"] = own_step.pk
            prefix = f"{slug}-{own_step.pk}"
        url = reverse(name, kwargs=kwargs)
        if persona not in OFFICERS:
            outcome: Any = LOGIN
        elif whose == "foreign" or persona == "receiver_elsewhere":
            outcome = 404
        else:
            outcome = route.expected[persona]
        _check(
            _call(client, route.method, url, data_for(dossier, prefix)), outcome, f"{name} {persona} {whose}"
        )
        if route.both_methods:
            continue
        # the other method: refused before anything is looked up
        other = "GET" if route.method == "POST" else "POST"
        _check(
            _call(client, other, url, {}),
            405 if persona in OFFICERS else LOGIN,
            f"{name} {persona} {whose} {other}",
        )
