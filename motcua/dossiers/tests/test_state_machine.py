"""Random sequences of officer and applicant actions on a few dossiers must keep the invariants
(QUALITY.md): only legal transitions; online dossiers never refused at reception nor ended by an
officer before reception except a withdrawal on the applicant's request; exactly one event per
transition; closed dossiers immutable; at most one rescheduling; the version strictly increases with
every change and never moves on a refused action."""

import datetime as dt
import itertools
from collections.abc import Callable
from typing import Any

import pytest
import time_machine
from django.db import transaction
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    initialize,
    invariant,
    rule,
    run_state_machine_as_test,
)

from motcua.core.errors import Conflict, DomainError, NotFound
from motcua.dossiers import services
from motcua.dossiers.models import Dossier, DossierEvent, DossierStep, StepKind
from motcua.dossiers.services import ApplicantInput, MissingItem
from motcua.dossiers.workflow import BEFORE_RECEPTION, CLOSED, Channel, EventKind, Status, can_move
from motcua.organizations.models import Role

from .conftest import MONDAY_8, officer

ITEMS = [MissingItem("Giấy chứng sinh", "Bản chụp không rõ")]
Action = Callable[[Dossier, Any, dict[str, Any]], object]


def _open_step(d: Dossier, kind: StepKind) -> int:
    step = DossierStep.objects.filter(dossier=d, kind=kind, finished_at__isnull=True).order_by("id").first()
    return step.pk if step is not None else -1


ACTIONS: dict[str, Action] = {
    "receive_online": lambda d, by, w: services.receive_online(dossier_id=d.pk, by=by, **w),
    "return_for_supplement_online": lambda d, by, w: services.return_for_supplement_online(
        dossier_id=d.pk, by=by, items=ITEMS, **w
    ),
    "complete_supplement": lambda d, by, w: services.complete_supplement(dossier_id=d.pk, by=by, **w),
    "start_processing": lambda d, by, w: services.start_processing(dossier_id=d.pk, by=by, **w),
    "forward_step": lambda d, by, w: services.forward_step(dossier_id=d.pk, by=by, **w),
    "return_step": lambda d, by, w: services.return_step(dossier_id=d.pk, by=by, reason="Sai thông tin", **w),
    "request_supplement": lambda d, by, w: services.request_supplement(
        dossier_id=d.pk, by=by, items=ITEMS, **w
    ),
    "suspend": lambda d, by, w: services.suspend(dossier_id=d.pk, by=by, reason="Chờ xác minh", **w),
    "resume": lambda d, by, w: services.resume(dossier_id=d.pk, by=by, **w),
    "stop": lambda d, by, w: services.stop(dossier_id=d.pk, by=by, reason="Không bổ sung", **w),
    "reject": lambda d, by, w: services.reject_after_appraisal(
        dossier_id=d.pk, by=by, reasons=["Sai đối tượng"], **w
    ),
    "withdraw": lambda d, by, w: services.withdraw(
        dossier_id=d.pk, by=by, reason="Không còn nhu cầu", written_request="Đơn đề nghị ngày 05/3", **w
    ),
    "request_payment": lambda d, by, w: services.request_payment(
        dossier_id=d.pk, by=by, amount_vnd=8000, **w
    ),
    "record_payment": lambda d, by, w: services.record_payment(
        dossier_id=d.pk, by=by, amount_vnd=d.fee_vnd, **w
    ),
    "reschedule": lambda d, by, w: services.reschedule_with_apology(
        dossier_id=d.pk, by=by, new_due_at=(d.due_at or MONDAY_8) + dt.timedelta(days=3), reason="Chậm", **w
    ),
    "record_result": lambda d, by, w: services.record_result(
        dossier_id=d.pk, by=by, number="9/KS", signed_on=dt.date(2024, 3, 5), signer="VQH", **w
    ),
    "mark_processed": lambda d, by, w: services.mark_processed(dossier_id=d.pk, by=by, **w),
    "announce_early_return": lambda d, by, w: services.announce_early_return(dossier_id=d.pk, by=by, **w),
    "return_result": lambda d, by, w: services.return_result(dossier_id=d.pk, by=by, **w),
    "consult": lambda d, by, w: services.consult_unit(
        dossier_id=d.pk, by=by, unit=StateMachine.units.other_commune, question="Ý kiến?", hours=4, **w
    ),
    "answer_consultation": lambda d, by, w: services.answer_consultation(
        step_id=_open_step(d, StepKind.CONSULTATION), by=by, answer="Đồng ý", **w
    ),
    "send_inter_unit": lambda d, by, w: services.send_inter_unit(
        dossier_id=d.pk, by=by, unit=StateMachine.units.justice_office, task="Xác minh", hours=8, **w
    ),
    "complete_inter_unit": lambda d, by, w: services.complete_inter_unit(
        step_id=_open_step(d, StepKind.INTER_UNIT), by=by, result="Xong", **w
    ),
}


PERSONAS = [
    "applicant",
    "other_applicant",
    "receiver",
    "specialist",
    "leader",
    "receiver_elsewhere",
    "district",
    "other_specialist",
]
RELEVANT: dict[Status, list[str]] = {
    Status.SUBMITTED: ["receive_online", "return_for_supplement_online", "withdraw"],
    Status.INTAKE_SUPPLEMENT: ["complete_supplement", "withdraw"],
    Status.RECEIVED: ["start_processing", "start_processing", "reschedule"],
    # weighted towards progress: otherwise most runs end early in a refusal or a withdrawal
    Status.PROCESSING: [
        *["forward_step"] * 6,
        *["record_result"] * 2,
        *["mark_processed"] * 3,
        "return_step",
        "request_supplement",
        "suspend",
        "request_payment",
        "reschedule",
        "consult",
        *["answer_consultation"] * 3,
        "send_inter_unit",
        *["complete_inter_unit"] * 3,
    ],
    Status.AWAITING_SUPPLEMENT: ["complete_supplement", "complete_supplement", "stop"],
    Status.AWAITING_PAYMENT: ["record_payment", "record_payment", "record_result"],
    Status.SUSPENDED: ["resume", "resume", "stop"],
    Status.PROCESSED: ["announce_early_return", "return_result"],
}
NATURAL = {
    "receive_online": "receiver",
    "return_for_supplement_online": "receiver",
    "start_processing": "receiver",
    "return_step": "leader",
    "request_supplement": "specialist",
    "suspend": "specialist",
    "resume": "specialist",
    "stop": "leader",
    "reject": "leader",
    "request_payment": "receiver",
    "record_payment": "receiver",
    "reschedule": "leader",
    "record_result": "specialist",
    "mark_processed": "leader",
    "announce_early_return": "receiver",
    "return_result": "receiver",
    "consult": "specialist",
    "answer_consultation": "other_specialist",
    "send_inter_unit": "specialist",
    "complete_inter_unit": "district",
}


def _natural_actor(action: str, d: Dossier) -> str:
    if action in ("complete_supplement", "withdraw"):
        return "applicant" if d.channel == Channel.ONLINE else "receiver"
    if action == "forward_step":
        step = DossierStep.objects.filter(
            dossier=d, kind=StepKind.PROCESS, started_at__isnull=False, finished_at__isnull=True
        ).first()
        return "leader" if step is not None and step.role == "leader" else "specialist"
    return NATURAL[action]


class StateMachine(RuleBasedStateMachine):
    # set by the test from its fixtures
    units: Any = None
    procedure: Any = None
    people: dict[str, Any] = {}
    papers: list[Any] = []

    dossiers = Bundle("dossiers")

    def __init__(self) -> None:
        super().__init__()
        # Each example runs in its own savepoint, rolled back at the end: examples do not see each
        # other's rows, so the same choices always meet the same state.
        self.savepoint = transaction.atomic()
        self.savepoint.__enter__()
        self.traveller = time_machine.travel(MONDAY_8, tick=False)
        self.clock = self.traveller.start()
        self.ids: list[int] = []
        self.serial = 0

    def teardown(self) -> None:
        self.traveller.stop()
        transaction.set_rollback(True)
        self.savepoint.__exit__(None, None, None)

    def _person(self) -> ApplicantInput:
        return ApplicantInput(name="Nguyễn Văn An", id_number="030090000123", phone="0912000111")

    @initialize(target=dossiers)
    def counter_dossier(self) -> int:
        d = services.receive_at_counter(
            by=self.people["receiver"],
            procedure=self.procedure,
            receiving_unit=self.units.commune,
            applicant=self._person(),
            components=self.papers,
        )
        self.ids.append(d.pk)
        return d.pk

    @rule(target=dossiers)
    def online_dossier(self) -> int:
        self.serial += 1
        d = services.submit_online(
            by=self.people["applicant"],
            procedure=self.procedure,
            receiving_unit=self.units.commune,
            applicant=self._person(),
            components=self.papers,
            idempotency_key=f"sm-{self.serial}",
        )
        self.ids.append(d.pk)
        return d.pk

    @rule(target=dossiers)
    def form_02_at_the_counter(self) -> int:
        d = services.request_supplement_at_counter(
            by=self.people["receiver"],
            procedure=self.procedure,
            receiving_unit=self.units.commune,
            applicant=self._person(),
            items=ITEMS,
        )
        self.ids.append(d.pk)
        return d.pk

    @rule(hours=st.integers(min_value=1, max_value=30))
    def time_passes(self, hours: int) -> None:
        self.clock.shift(dt.timedelta(hours=hours))

    @rule(dossier_id=dossiers, data=st.data())
    def act(self, dossier_id: int, data: st.DataObject) -> None:
        """A run of actions on one dossier: mostly one that fits its status, by the persona who would
        normally do it; sometimes anything, by anyone, or with a stale version."""
        for _ in range(data.draw(st.integers(min_value=1, max_value=12), label="run")):
            current = Dossier.objects.get(pk=dossier_id)
            fitting = RELEVANT.get(Status(current.status), [])
            action = data.draw(st.sampled_from(fitting * 6 + sorted(ACTIONS)), label="action")
            natural = _natural_actor(action, current)
            who = data.draw(st.sampled_from([natural] * 8 + PERSONAS), label="who")
            stale = data.draw(st.sampled_from([False] * 6 + [True]), label="stale")
            self._act_once(dossier_id, action, who, stale)
            if data.draw(st.booleans(), label="time passes"):
                self.clock.shift(dt.timedelta(hours=data.draw(st.integers(1, 20), label="hours")))

    def _act_once(self, dossier_id: int, action: str, who: str, stale: bool) -> None:
        before = Dossier.objects.get(pk=dossier_id)
        events_before = DossierEvent.objects.filter(dossier_id=dossier_id).count()
        by = self.people[who]
        version_arg = {"expected_version": before.version - 1} if stale else {}
        try:
            ACTIONS[action](before, by, version_arg)
        except DomainError as refused:
            after = Dossier.objects.get(pk=dossier_id)
            assert (after.status, after.version) == (before.status, before.version), action
            assert DossierEvent.objects.filter(dossier_id=dossier_id).count() == events_before
            if stale and not isinstance(refused, NotFound):  # NotFound: no such step to act on
                assert isinstance(refused, Conflict)
            return
        assert not stale, "a stale version must never win"
        assert Status(before.status) not in CLOSED, f"{action} changed a closed dossier"
        after = Dossier.objects.get(pk=dossier_id)
        new_events = list(DossierEvent.objects.filter(dossier_id=dossier_id).order_by("id")[events_before:])
        assert new_events, f"{action} changed nothing visible"
        assert after.version == before.version + len(new_events)
        moves = [e for e in new_events if e.to_status]
        assert len(moves) <= 1
        if after.status != before.status:
            assert len(moves) == 1
            move = moves[0]
            assert (move.from_status, move.to_status) == (before.status, after.status)
            assert can_move(Status(before.status), Status(after.status))
            if before.channel == Channel.ONLINE and Status(before.status) in BEFORE_RECEPTION:
                assert after.status in {
                    Status.RECEIVED,
                    Status.INTAKE_SUPPLEMENT,
                    Status.SUBMITTED,
                    Status.WITHDRAWN,
                }
                if after.status == Status.WITHDRAWN and who != "applicant":
                    assert move.data["written_request"]
        else:
            assert not moves

    @invariant()
    def dossiers_are_consistent(self) -> None:
        for d in Dossier.objects.filter(pk__in=self.ids):
            moves = list(DossierEvent.objects.filter(dossier=d).exclude(to_status="").order_by("id"))
            assert moves[0].from_status == ""
            for a, b in itertools.pairwise(moves):
                assert b.from_status == a.to_status
                assert can_move(Status(b.from_status), Status(b.to_status))
            assert moves[-1].to_status == d.status
            assert d.version == DossierEvent.objects.filter(dossier=d).count()
            assert d.reschedule_count <= 1
            assert (
                DossierEvent.objects.filter(dossier=d, kind=EventKind.RESCHEDULED).count()
                == d.reschedule_count
            )
            if d.channel == Channel.ONLINE:
                assert d.status != Status.NOT_RECEIVED
                assert not DossierEvent.objects.filter(dossier=d, kind=EventKind.NOT_RECEIVED).exists()
            assert (d.closed_at is not None) == (Status(d.status) in CLOSED)


@pytest.mark.django_db
def test_random_action_sequences_keep_the_invariants(
    procedure,
    units,
    papers,
    applicant,
    other_applicant,
    receiver,
    specialist,
    leader,
    receiver_elsewhere,
    district_specialist,
):
    StateMachine.units = units
    StateMachine.procedure = procedure
    StateMachine.papers = papers
    StateMachine.people = {
        "applicant": applicant,
        "other_applicant": other_applicant,
        "receiver": receiver,
        "specialist": specialist,
        "leader": leader,
        "receiver_elsewhere": receiver_elsewhere,
        "district": district_specialist,
        "other_specialist": officer(units.other_commune, Role.SPECIALIST, "Cán bộ xã Gia Hòa"),
    }
    run_state_machine_as_test(
        StateMachine,
        settings=settings(
            max_examples=60,
            stateful_step_count=30,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
        ),
    )
