"""Intake: the counter (forms 01, 02, 03), online submission and the reception queue."""

import datetime as dt

import pytest
from django.db.models import QuerySet

from motcua.catalog.models import CopyType, OnlineLevel
from motcua.core.errors import Conflict, PermissionDenied
from motcua.dossiers import services
from motcua.dossiers.models import Dossier, DossierComponent, DossierEvent
from motcua.dossiers.queries import reception_queue
from motcua.dossiers.services import ActionRefused, ApplicantInput, ComponentInput, DossierClosed, MissingItem
from motcua.dossiers.workflow import Channel, EventKind, Status
from motcua.notifications.models import Message

from .conftest import local


def notices(dossier: Dossier) -> "QuerySet[Message]":
    """What the applicant is told about this dossier (the notifications outbox)."""
    return Message.objects.filter(context__code=dossier.code)


def transitions(dossier: Dossier) -> list[tuple[str, str]]:
    return list(
        DossierEvent.objects.filter(dossier=dossier)
        .exclude(to_status="")
        .values_list("from_status", "to_status")
    )


@pytest.mark.django_db
def test_a_complete_direct_dossier_is_received_with_code_appointment_and_components(
    clock, receiver, procedure, units, person, papers
):
    # when
    dossier = services.receive_at_counter(
        by=receiver,
        procedure=procedure,
        receiving_unit=units.commune,
        applicant=person,
        components=[
            *papers,
            ComponentInput(name="Giấy chứng sinh", copy_type=CopyType.CERTIFIED_COPY, count=2),
        ],
    )
    # then
    dossier.refresh_from_db()
    assert dossier.code == "000.21.10.H56-240304-0001"
    assert dossier.status == Status.RECEIVED and dossier.national_status == 2
    assert dossier.received_at == local(2024, 3, 4, 8)
    assert dossier.due_at == dossier.original_due_at == local(2024, 3, 7, 8)
    assert dossier.version == 1
    components = list(DossierComponent.objects.filter(dossier=dossier).order_by("position"))
    assert [(c.name, c.copy_type, c.count) for c in components] == [
        ("Tờ khai đăng ký khai sinh", CopyType.ORIGINAL, 1),
        ("Giấy chứng sinh", CopyType.CERTIFIED_COPY, 2),
    ]
    assert components[0].is_digitized
    assert transitions(dossier) == [("", Status.RECEIVED)]
    assert list(notices(dossier).values_list("template", "channel")) == [("received", "sms")]
    assert "nguyen van an" in dossier.search_folded


@pytest.mark.django_db
def test_received_after_15_00_the_clock_starts_next_morning(
    clock, counter_dossier, receiver, procedure, units, person, papers
):
    clock.move_to(local(2024, 3, 4, 15, 1))
    late = services.receive_at_counter(
        by=receiver, procedure=procedure, receiving_unit=units.commune, applicant=person, components=papers
    )
    assert late.code.endswith("-240304-0002")
    # Tuesday 07:00 + 3 working days = Thursday 17:00.
    assert late.due_at == local(2024, 3, 7, 17)


@pytest.mark.django_db
def test_reception_for_another_unit_forwards_it(clock, receiver, procedure, units, person, papers):
    dossier = services.receive_at_counter(
        by=receiver,
        procedure=procedure,
        receiving_unit=units.commune,
        responsible_unit=units.other_commune,
        applicant=person,
        components=papers,
    )
    assert dossier.responsible_unit == units.other_commune
    assert dossier.code.startswith(units.commune.code)
    forwarded = DossierEvent.objects.get(dossier=dossier, kind=EventKind.FORWARDED)
    assert forwarded.data == {"from_unit": units.commune.code, "to_unit": units.other_commune.code}
    assert forwarded.to_status == ""
    assert forwarded.due_at == local(2024, 3, 4, 8)


@pytest.mark.django_db
def test_an_incomplete_dossier_cannot_be_received(clock, receiver, procedure, units, person):
    with pytest.raises(ActionRefused, match="Tờ khai đăng ký khai sinh"):
        services.receive_at_counter(
            by=receiver,
            procedure=procedure,
            receiving_unit=units.commune,
            applicant=person,
            components=[ComponentInput(name="Giấy chứng sinh")],
        )
    assert not Dossier.objects.exists()


@pytest.mark.django_db
def test_only_the_units_receivers_receive(
    clock, specialist, leader, receiver_elsewhere, procedure, units, person, papers
):
    for somebody in (specialist, leader, receiver_elsewhere):
        with pytest.raises(PermissionDenied):
            services.receive_at_counter(
                by=somebody,
                procedure=procedure,
                receiving_unit=units.commune,
                applicant=person,
                components=papers,
            )
    assert not Dossier.objects.exists()


@pytest.mark.django_db
def test_refusal_at_the_counter_creates_a_closed_not_received_record(
    clock, receiver, procedure, units, person
):
    dossier = services.refuse_at_counter(
        by=receiver,
        procedure=procedure,
        receiving_unit=units.commune,
        applicant=person,
        reasons=["Không thuộc thẩm quyền giải quyết của UBND xã", " "],
    )
    assert dossier.status == Status.NOT_RECEIVED and dossier.national_status == 3
    assert dossier.closed_at == local(2024, 3, 4, 8)
    event = DossierEvent.objects.get(dossier=dossier)
    assert event.kind == EventKind.NOT_RECEIVED
    assert event.data["reasons"] == ["Không thuộc thẩm quyền giải quyết của UBND xã"]
    assert notices(dossier).filter(template="refused").exists()
    with pytest.raises(DossierClosed):
        services.withdraw(dossier_id=dossier.pk, by=receiver, reason="x", written_request="Đơn số 1")


@pytest.mark.django_db
def test_refusal_needs_a_reason_and_is_never_for_online_dossiers(clock, receiver, procedure, units, person):
    with pytest.raises(ActionRefused, match="lý do"):
        services.refuse_at_counter(
            by=receiver, procedure=procedure, receiving_unit=units.commune, applicant=person, reasons=[""]
        )
    with pytest.raises(ActionRefused, match="trực tuyến"):
        services.refuse_at_counter(
            by=receiver,
            procedure=procedure,
            receiving_unit=units.commune,
            applicant=person,
            reasons=["Sai thẩm quyền"],
            channel=Channel.ONLINE,
        )
    assert not Dossier.objects.exists()


@pytest.mark.django_db
def test_form_02_at_the_counter_then_the_applicant_comes_back(
    clock, receiver, procedure, units, person, papers
):
    # given: the applicant brought only the birth certificate
    dossier = services.request_supplement_at_counter(
        by=receiver,
        procedure=procedure,
        receiving_unit=units.commune,
        applicant=person,
        items=[MissingItem("Tờ khai đăng ký khai sinh", "Chưa có chữ ký của người đi khai")],
        components=[ComponentInput(name="Giấy chứng sinh")],
    )
    assert dossier.status == Status.INTAKE_SUPPLEMENT and dossier.national_status == 5
    assert dossier.code == "000.21.10.H56-240304-0001"
    assert dossier.supplement_request_count == 0
    assert notices(dossier).filter(template="supplement_needed").exists()
    # when: two days later at 15:30 the applicant brings the signed form
    clock.move_to(local(2024, 3, 6, 15, 30))
    services.complete_supplement(dossier_id=dossier.pk, by=receiver, components=papers, expected_version=1)
    dossier = services.receive_online(dossier_id=dossier.pk, by=receiver, expected_version=2)
    # then: received now, appointment from Thursday morning (after 15:00)
    assert dossier.status == Status.RECEIVED
    assert dossier.received_at == local(2024, 3, 6, 15, 30)
    assert dossier.due_at == local(2024, 3, 11, 17)
    assert dossier.components.count() == 2
    assert transitions(dossier) == [
        ("", Status.INTAKE_SUPPLEMENT),
        (Status.INTAKE_SUPPLEMENT, Status.SUBMITTED),
        (Status.SUBMITTED, Status.RECEIVED),
    ]


@pytest.mark.django_db
def test_supplement_items_are_listed_once_and_not_empty(clock, receiver, procedure, units, person):
    for items in ([], [MissingItem("Tờ khai"), MissingItem("tờ khai")]):
        with pytest.raises(ActionRefused):
            services.request_supplement_at_counter(
                by=receiver, procedure=procedure, receiving_unit=units.commune, applicant=person, items=items
            )


def submit(applicant, procedure, units, papers, key="k-1", **kwargs):  # type: ignore[no-untyped-def]
    return services.submit_online(
        by=applicant,
        procedure=procedure,
        receiving_unit=units.commune,
        applicant=ApplicantInput(name="Nguyễn Văn An", id_number="030090000123", phone="0912000111"),
        components=papers,
        idempotency_key=key,
        **kwargs,
    )


@pytest.mark.django_db
def test_online_submission_waits_in_the_queue_with_its_eight_hour_limit(
    clock, applicant, procedure, units, papers
):
    clock.move_to(local(2024, 3, 8, 16))  # Friday 16:00
    dossier = submit(applicant, procedure, units, papers)
    assert dossier.status == Status.SUBMITTED and dossier.national_status == 1
    assert dossier.channel == Channel.ONLINE
    assert dossier.applicant_user == applicant and dossier.is_own_account
    assert dossier.reception_due_at == local(2024, 3, 11, 16)
    assert dossier.received_at is None and dossier.due_at is None
    assert dossier.online_level == OnlineLevel.FULL
    assert list(reception_queue(units.commune)) == [dossier]


@pytest.mark.django_db
def test_a_replayed_submission_returns_the_same_dossier(clock, applicant, procedure, units, papers):
    first = submit(applicant, procedure, units, papers, key="form-7f3a")
    again = submit(applicant, procedure, units, papers, key="form-7f3a")
    assert again.pk == first.pk and again.code == first.code
    assert Dossier.objects.count() == 1
    assert DossierEvent.objects.count() == 1
    assert DossierComponent.objects.count() == 1


@pytest.mark.django_db
def test_a_key_reused_for_another_applicant_is_a_conflict(clock, applicant, procedure, units, papers):
    submit(applicant, procedure, units, papers, key="form-7f3a")
    with pytest.raises(Conflict):
        services.submit_online(
            by=applicant,
            procedure=procedure,
            receiving_unit=units.commune,
            applicant=ApplicantInput(name="Người khác", id_number="030190000456"),
            components=papers,
            idempotency_key="form-7f3a",
        )


@pytest.mark.django_db
def test_procedures_without_online_service_cannot_be_submitted_online(
    clock, applicant, procedure, units, papers
):
    procedure.online_level = OnlineLevel.NONE
    procedure.save()
    with pytest.raises(ActionRefused, match="trực tuyến"):
        submit(applicant, procedure, units, papers)


@pytest.mark.django_db
def test_receiving_online_computes_the_appointment_and_flags_a_late_reception(
    clock, applicant, receiver, procedure, units, papers
):
    clock.move_to(local(2024, 3, 8, 16))
    on_time = submit(applicant, procedure, units, papers, key="a")
    late = submit(applicant, procedure, units, papers, key="b")
    clock.move_to(local(2024, 3, 11, 9))
    on_time = services.receive_online(dossier_id=on_time.pk, by=receiver)
    assert on_time.due_at == local(2024, 3, 14, 9)
    clock.move_to(local(2024, 3, 11, 16, 1))
    services.receive_online(dossier_id=late.pk, by=receiver)
    events = DossierEvent.objects.filter(kind=EventKind.RECEIVED).order_by("at")
    assert [e.data["late_reception"] for e in events] == [False, True]
    assert Message.objects.filter(template="received", channel="portal", user=applicant).count() == 2


@pytest.mark.django_db
def test_online_dossier_sent_back_then_completed_restarts_the_eight_hours(
    clock, applicant, other_applicant, receiver, procedure, units, papers
):
    dossier = submit(applicant, procedure, units, papers)
    clock.move_to(local(2024, 3, 4, 10))
    services.return_for_supplement_online(
        dossier_id=dossier.pk, by=receiver, items=[MissingItem("Giấy chứng sinh", "Ảnh chụp bị mờ")]
    )
    with pytest.raises(PermissionDenied):
        services.complete_supplement(dossier_id=dossier.pk, by=other_applicant)
    clock.move_to(local(2024, 3, 5, 14))
    dossier = services.complete_supplement(
        dossier_id=dossier.pk, by=applicant, components=[ComponentInput(name="Giấy chứng sinh (ảnh rõ)")]
    )
    assert dossier.status == Status.SUBMITTED
    assert dossier.reception_due_at == local(2024, 3, 6, 14)


@pytest.mark.django_db
def test_an_online_dossier_cannot_be_ended_by_an_officer_before_reception(
    clock, applicant, receiver, leader, procedure, units, papers
):
    dossier = submit(applicant, procedure, units, papers)
    for service in (services.stop, services.suspend):
        with pytest.raises(services.TransitionNotAllowed):
            service(dossier_id=dossier.pk, by=leader, reason="Không đủ điều kiện")
    with pytest.raises(services.TransitionNotAllowed):
        services.reject_after_appraisal(dossier_id=dossier.pk, by=leader, reasons=["Không đủ điều kiện"])
    # An officer may record a withdrawal only on the applicant's written request.
    with pytest.raises(ActionRefused, match="văn bản"):
        services.withdraw(dossier_id=dossier.pk, by=receiver, reason="Người dân đề nghị")
    services.withdraw(dossier_id=dossier.pk, by=applicant, reason="Nộp nhầm thủ tục")
    dossier.refresh_from_db()
    assert dossier.status == Status.WITHDRAWN and dossier.national_status == 7
    assert dossier.verdict == ""  # never received: no timeliness
    assert dossier.closed_at == local(2024, 3, 4, 8)


@pytest.mark.django_db
def test_reception_queue_orders_by_reception_deadline(clock, applicant, procedure, units, papers):
    clock.move_to(local(2024, 3, 4, 10))
    later = submit(applicant, procedure, units, papers, key="later")
    clock.move_to(local(2024, 3, 4, 9) - dt.timedelta(days=3))  # Friday before
    sooner = submit(applicant, procedure, units, papers, key="sooner")
    assert list(reception_queue(units.commune)) == [sooner, later]
    assert list(reception_queue(units.other_commune)) == []


def counter_form(kind: str, receiver, procedure, units, applicant, key):  # type: ignore[no-untyped-def]
    """Form 02 or 03 at the counter, with an idempotency key."""
    common = {"by": receiver, "procedure": procedure, "receiving_unit": units.commune, "applicant": applicant}
    if kind == "supplement":
        return services.request_supplement_at_counter(
            **common,
            items=[MissingItem("Tờ khai đăng ký khai sinh", "Chưa ký")],
            components=[ComponentInput(name="Giấy chứng sinh")],
            idempotency_key=key,
        )
    return services.refuse_at_counter(
        **common,
        reasons=["Không thuộc thẩm quyền"],
        components=[ComponentInput(name="Giấy chứng sinh")],
        idempotency_key=key,
    )


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["supplement", "refuse"])
def test_a_replayed_form_02_or_03_returns_the_same_dossier_and_no_second_code(
    clock, receiver, procedure, units, person, papers, kind
):
    # given: form 02 / 03 issued once
    first = counter_form(kind, receiver, procedure, units, person, "office-1-abc")
    # when: the same request again (double click, retry)
    again = counter_form(kind, receiver, procedure, units, person, "office-1-abc")
    # then: the same dossier, nothing created twice, no number used by the replay
    assert again.pk == first.pk and again.code == first.code
    assert first.idempotency_key == "office-1-abc"
    assert Dossier.objects.count() == 1
    assert DossierEvent.objects.filter(dossier=first).count() == 1
    assert DossierComponent.objects.filter(dossier=first).count() == 1
    assert notices(first).count() == 1
    following = services.receive_at_counter(
        by=receiver, procedure=procedure, receiving_unit=units.commune, applicant=person, components=papers
    )
    assert following.code.endswith("-240304-0002")


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["supplement", "refuse"])
def test_forms_02_and_03_with_another_key_or_none_make_new_records(
    clock, receiver, procedure, units, person, kind
):
    first = counter_form(kind, receiver, procedure, units, person, "office-1-abc")
    second = counter_form(kind, receiver, procedure, units, person, "office-1-def")
    third = counter_form(kind, receiver, procedure, units, person, None)
    assert len({first.code, second.code, third.code}) == 3
    assert third.idempotency_key is None


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["supplement", "refuse"])
def test_a_form_02_or_03_key_reused_for_another_applicant_is_a_conflict(
    clock, receiver, procedure, units, person, kind
):
    counter_form(kind, receiver, procedure, units, person, "office-1-abc")
    other = ApplicantInput(name="Người khác", id_number="030190000456")
    with pytest.raises(Conflict):
        counter_form(kind, receiver, procedure, units, other, "office-1-abc")
    assert Dossier.objects.count() == 1
