"""Processing: from the counter to the returned result, and each exception on its own."""

import datetime as dt

import pytest

from motcua.core.errors import NotFound, PermissionDenied
from motcua.dossiers import services
from motcua.dossiers.models import DossierEvent, DossierStep, StepKind
from motcua.dossiers.queries import get_dossier_for_user, worklist
from motcua.dossiers.services import ActionRefused, DeadlinePassed, DossierClosed, MissingItem
from motcua.dossiers.workflow import EventKind, Status, Verdict
from motcua.notifications.models import Message
from motcua.organizations.models import Role

from .conftest import local, officer


def steps(dossier) -> list[tuple[str, str, str]]:  # type: ignore[no-untyped-def]
    return [
        (s.name, s.kind, s.verdict)
        for s in DossierStep.objects.filter(dossier=dossier).order_by("position", "id")
    ]


@pytest.mark.django_db
def test_from_counter_to_returned_result(
    clock, counter_dossier, receiver, specialist, leader, district_specialist, receiver_elsewhere, units
):
    d = counter_dossier
    assert d.due_at == local(2024, 3, 7, 8)

    # Monday 08:30: the counter forwards it; the first step (8 h) is due Tuesday 08:30.
    clock.move_to(local(2024, 3, 4, 8, 30))
    d = services.start_processing(dossier_id=d.pk, by=receiver, expected_version=d.version)
    first = DossierStep.objects.get(dossier=d, position=1)
    assert (first.started_at, first.due_at) == (local(2024, 3, 4, 8, 30), local(2024, 3, 5, 8, 30))
    assert DossierStep.objects.filter(dossier=d, started_at__isnull=True).count() == 2
    assert [s.dossier_id for s in worklist(specialist)] == [d.pk]
    assert list(worklist(leader)) == []

    # Monday 10:00: the specialist asks for a supplement (within 3 working days).
    clock.move_to(local(2024, 3, 4, 10))
    d = services.request_supplement(
        dossier_id=d.pk, by=specialist, items=[MissingItem("Giấy chứng sinh", "Bản sao không rõ số")]
    )
    assert d.status == Status.AWAITING_SUPPLEMENT and d.supplement_request_count == 1

    # Wednesday 09:00: the applicant brings it to the counter; the time limit restarts.
    clock.move_to(local(2024, 3, 6, 9))
    d = services.complete_supplement(dossier_id=d.pk, by=receiver)
    assert d.status == Status.PROCESSING
    assert d.due_at == d.original_due_at == local(2024, 3, 11, 9)
    first.refresh_from_db()
    assert first.due_at == local(2024, 3, 7, 9)

    # Thursday 10:00: step 1 ends an hour late; step 2 (4 h) is due Thursday 16:00.
    clock.move_to(local(2024, 3, 7, 10))
    d = services.forward_step(dossier_id=d.pk, by=specialist, note="Hồ sơ hợp lệ")
    second = DossierStep.objects.get(dossier=d, position=2, kind=StepKind.PROCESS)
    assert second.due_at == local(2024, 3, 7, 16)

    # Thursday 10:30: liên thông to the district justice office, 8 working hours.
    clock.move_to(local(2024, 3, 7, 10, 30))
    hop = services.send_inter_unit(
        dossier_id=d.pk,
        by=specialist,
        unit=units.justice_office,
        task="Xác minh nơi cư trú của người mẹ",
        hours=8,
    )
    assert hop.due_at == local(2024, 3, 8, 10, 30)
    assert get_dossier_for_user(district_specialist, d.code) == d
    assert [s.pk for s in worklist(district_specialist)] == [hop.pk]
    with pytest.raises(NotFound):
        get_dossier_for_user(receiver_elsewhere, d.code)

    # Thursday 15:00: step 2 on time; the leader's step (4 h) is due Friday 09:00.
    clock.move_to(local(2024, 3, 7, 15))
    d = services.forward_step(dossier_id=d.pk, by=specialist)
    # Thursday 16:30: the district answers, a day early; the result comes back to the commune.
    clock.move_to(local(2024, 3, 7, 16, 30))
    services.complete_inter_unit(
        step_id=hop.pk, by=district_specialist, result="Đã xác minh: đúng nơi cư trú"
    )
    assert list(worklist(district_specialist)) == []

    # Friday 10:00: the result is recorded; 11:00 the leader apologises and reschedules (once).
    clock.move_to(local(2024, 3, 8, 10))
    d = services.record_result(
        dossier_id=d.pk,
        by=specialist,
        number="12/2024/KS",
        signed_on=dt.date(2024, 3, 8),
        signer="Vũ Quang Huy",
    )
    clock.move_to(local(2024, 3, 8, 11))
    d = services.reschedule_with_apology(
        dossier_id=d.pk, by=leader, new_due_at=local(2024, 3, 12, 17), reason="Chờ xác minh liên thông"
    )
    assert (d.due_at, d.original_due_at, d.reschedule_count) == (
        local(2024, 3, 12, 17),
        local(2024, 3, 11, 9),
        1,
    )
    with pytest.raises(ActionRefused, match="một lần"):
        services.reschedule_with_apology(
            dossier_id=d.pk, by=leader, new_due_at=local(2024, 3, 14, 17), reason="Lại chậm"
        )

    # Tuesday 12/3 10:00: the leader approves (their step ends late), the dossier is on time.
    clock.move_to(local(2024, 3, 12, 10))
    d = services.mark_processed(dossier_id=d.pk, by=leader)
    assert d.status == Status.PROCESSED and d.national_status == 9
    assert d.processed_at == local(2024, 3, 12, 10) and d.verdict == Verdict.ON_TIME

    # 14:00: the counter returns the result; the dossier is closed.
    clock.move_to(local(2024, 3, 12, 14))
    d = services.return_result(dossier_id=d.pk, by=receiver)
    assert d.status == Status.RETURNED and d.national_status == 10
    assert d.returned_at == d.closed_at == local(2024, 3, 12, 14)

    assert steps(d) == [
        ("Thẩm định hồ sơ", StepKind.PROCESS, Verdict.LATE),
        ("Dự thảo kết quả", StepKind.PROCESS, Verdict.ON_TIME),
        ("Liên thông: Phòng Tư pháp huyện Gia Lộc", StepKind.INTER_UNIT, Verdict.EARLY),
        ("Ký duyệt kết quả", StepKind.PROCESS, Verdict.LATE),
    ]
    assert list(
        DossierEvent.objects.filter(dossier=d).exclude(to_status="").values_list("from_status", "to_status")
    ) == [
        ("", Status.RECEIVED),
        (Status.RECEIVED, Status.PROCESSING),
        (Status.PROCESSING, Status.AWAITING_SUPPLEMENT),
        (Status.AWAITING_SUPPLEMENT, Status.PROCESSING),
        (Status.PROCESSING, Status.PROCESSED),
        (Status.PROCESSED, Status.RETURNED),
    ]
    kinds = list(DossierEvent.objects.filter(dossier=d).values_list("kind", flat=True))
    assert kinds.count(EventKind.STEP_STARTED) == 4  # 3 process steps + the liên thông hop
    assert kinds.count(EventKind.STEP_FINISHED) == 4
    assert sorted(set(Message.objects.filter(context__code=d.code).values_list("template", flat=True))) == [
        "apology",
        "received",
        "result_ready",
        "supplement_needed",
    ]
    versions = list(DossierEvent.objects.filter(dossier=d).values_list("id", flat=True))
    assert d.version == len(versions)  # one version per event, every event one change
    with pytest.raises(DossierClosed):
        services.reschedule_with_apology(dossier_id=d.pk, by=leader, new_due_at=local(2024, 4, 1), reason="x")


@pytest.fixture
def processing(clock, counter_dossier, receiver):  # type: ignore[no-untyped-def]
    return services.start_processing(dossier_id=counter_dossier.pk, by=receiver)


@pytest.mark.django_db
def test_the_supplementation_window_counts_from_the_last_complete_dossier(
    clock, processing, specialist, receiver
):
    # Received Monday 08:00: the window closes Thursday 17:00 — the last moment is still allowed.
    clock.move_to(local(2024, 3, 7, 17))
    services.request_supplement(dossier_id=processing.pk, by=specialist, items=[MissingItem("Tờ khai")])
    services.complete_supplement(dossier_id=processing.pk, by=receiver)
    # The limit restarted Thursday 17:00: the next window closes Tuesday 12/3 17:00.
    clock.move_to(local(2024, 3, 12, 17, 1))
    with pytest.raises(DeadlinePassed, match="03 ngày làm việc"):
        services.request_supplement(
            dossier_id=processing.pk, by=specialist, items=[MissingItem("Giấy chứng sinh")]
        )


@pytest.mark.django_db
def test_supplementation_window_closes(clock, processing, specialist):
    clock.move_to(local(2024, 3, 7, 17) + dt.timedelta(seconds=1))
    with pytest.raises(DeadlinePassed):
        services.request_supplement(dossier_id=processing.pk, by=specialist, items=[MissingItem("Tờ khai")])
    processing.refresh_from_db()
    assert processing.status == Status.PROCESSING and processing.supplement_request_count == 0


@pytest.mark.django_db
def test_return_to_the_previous_step_repeats_it_and_keeps_history(clock, processing, specialist, leader):
    services.forward_step(dossier_id=processing.pk, by=specialist)
    clock.shift(dt.timedelta(hours=1))
    services.forward_step(dossier_id=processing.pk, by=specialist)
    # at the leader's step, the leader sends it back to the draft
    services.return_step(dossier_id=processing.pk, by=leader, reason="Sai họ tên người mẹ")
    rows = [
        (s.position, s.name, s.started_at is not None, s.finished_at is not None)
        for s in DossierStep.objects.filter(dossier=processing).order_by("position", "id")
    ]
    assert rows == [
        (1, "Thẩm định hồ sơ", True, True),
        (2, "Dự thảo kết quả", True, True),
        (2, "Dự thảo kết quả", True, False),
        (3, "Ký duyệt kết quả", True, True),
        (3, "Ký duyệt kết quả", False, False),
    ]
    services.forward_step(dossier_id=processing.pk, by=specialist)
    current = DossierStep.objects.get(dossier=processing, started_at__isnull=False, finished_at__isnull=True)
    assert (current.position, current.name) == (3, "Ký duyệt kết quả")


@pytest.mark.django_db
def test_the_first_step_cannot_be_returned(clock, processing, specialist):
    with pytest.raises(ActionRefused, match="bước đầu tiên"):
        services.return_step(dossier_id=processing.pk, by=specialist, reason="Thiếu giấy tờ")


@pytest.mark.django_db
def test_reassign_a_step(clock, processing, specialist, leader, receiver, units):
    colleague = officer(units.commune, Role.SPECIALIST, "Ngô Thị Mai")
    step = DossierStep.objects.get(dossier=processing, position=1)
    with pytest.raises(PermissionDenied):
        services.reassign_step(step_id=step.pk, by=specialist, assignee=colleague)
    with pytest.raises(ActionRefused, match="không giữ vai trò"):
        services.reassign_step(step_id=step.pk, by=leader, assignee=receiver)
    services.reassign_step(step_id=step.pk, by=leader, assignee=colleague)
    assert [s.pk for s in worklist(colleague)] == [step.pk]
    assert list(worklist(specialist)) == []  # assigned to someone else now
    event = DossierEvent.objects.get(dossier=processing, kind=EventKind.REASSIGNED)
    assert event.data == {"from": "", "to": "Ngô Thị Mai"}


@pytest.mark.django_db
def test_consultation_with_its_own_deadline(clock, processing, specialist, units):
    asked = officer(units.other_commune, Role.SPECIALIST, "Cán bộ xã Gia Hòa")
    step = services.consult_unit(
        dossier_id=processing.pk,
        by=specialist,
        unit=units.other_commune,
        question="Xác nhận cư trú?",
        hours=4,
    )
    assert (step.kind, step.due_at) == (StepKind.CONSULTATION, local(2024, 3, 4, 14))
    with pytest.raises(PermissionDenied):
        services.answer_consultation(step_id=step.pk, by=specialist, answer="Có")
    clock.move_to(local(2024, 3, 4, 14, 1))
    step = services.answer_consultation(step_id=step.pk, by=asked, answer="Có cư trú từ 2019")
    assert step.verdict == Verdict.LATE and step.answer == "Có cư trú từ 2019"
    assert DossierEvent.objects.filter(dossier=processing, kind=EventKind.CONSULTATION_ANSWERED).count() == 1


@pytest.mark.django_db
def test_suspend_resume_and_stop(clock, processing, specialist, leader, receiver):
    services.suspend(dossier_id=processing.pk, by=specialist, reason="Chờ kết quả giám định")
    services.resume(dossier_id=processing.pk, by=specialist)
    services.suspend(dossier_id=processing.pk, by=specialist, reason="Chờ lần hai")
    with pytest.raises(PermissionDenied):
        services.stop(dossier_id=processing.pk, by=specialist, reason="x")
    with pytest.raises(PermissionDenied):
        services.stop(dossier_id=processing.pk, by=receiver, reason="x")
    clock.move_to(local(2024, 3, 8, 9))
    d = services.stop(dossier_id=processing.pk, by=leader, reason="Người dân không bổ sung")
    assert d.status == Status.STOPPED and d.national_status == 8
    assert d.verdict == Verdict.LATE and d.closed_at == local(2024, 3, 8, 9)
    assert Message.objects.filter(context__code=d.code, template="stopped").exists()


@pytest.mark.django_db
def test_refusal_after_appraisal_is_the_leaders(clock, processing, specialist, receiver, leader):
    for somebody in (specialist, receiver):
        with pytest.raises(PermissionDenied):
            services.reject_after_appraisal(
                dossier_id=processing.pk, by=somebody, reasons=["Không đủ điều kiện"]
            )
    d = services.reject_after_appraisal(dossier_id=processing.pk, by=leader, reasons=["Không đủ điều kiện"])
    assert d.status == Status.REJECTED and d.verdict == Verdict.EARLY
    assert DossierEvent.objects.get(dossier=d, to_status=Status.REJECTED).kind == EventKind.REFUSED


@pytest.mark.django_db
def test_fees_then_processing_or_straight_to_processed(clock, processing, specialist, leader, receiver):
    d = services.request_payment(dossier_id=processing.pk, by=receiver, amount_vnd=8000)
    assert d.status == Status.AWAITING_PAYMENT and d.national_status == 6
    with pytest.raises(ActionRefused, match=r"8\.000"):
        services.record_payment(dossier_id=d.pk, by=receiver, amount_vnd=5000)
    d = services.record_payment(
        dossier_id=d.pk, by=receiver, amount_vnd=8000, receipt_number="BL-01", is_online=True
    )
    assert d.status == Status.PROCESSING and d.is_paid_online
    # all steps done and the result recorded, the fee is the last thing: paying ends the processing
    services.forward_step(dossier_id=d.pk, by=specialist)
    services.forward_step(dossier_id=d.pk, by=specialist)
    services.forward_step(dossier_id=d.pk, by=leader)
    services.record_result(
        dossier_id=d.pk, by=leader, number="5/KS", signed_on=dt.date(2024, 3, 4), signer="VQH"
    )
    services.request_payment(dossier_id=d.pk, by=receiver, amount_vnd=8000)
    d = services.record_payment(dossier_id=d.pk, by=receiver, amount_vnd=8000)
    assert d.status == Status.PROCESSED and d.verdict == Verdict.EARLY


@pytest.mark.django_db
def test_approval_needs_every_step_and_the_result(clock, processing, specialist, leader, receiver):
    with pytest.raises(PermissionDenied):
        services.mark_processed(dossier_id=processing.pk, by=receiver)
    with pytest.raises(ActionRefused, match="Dự thảo kết quả"):
        services.mark_processed(dossier_id=processing.pk, by=leader)
    services.forward_step(dossier_id=processing.pk, by=specialist)
    services.forward_step(dossier_id=processing.pk, by=specialist)
    with pytest.raises(ActionRefused, match="chưa ghi nhận kết quả"):
        services.mark_processed(dossier_id=processing.pk, by=leader)
    services.record_result(
        dossier_id=processing.pk, by=specialist, number="1/KS", signed_on=dt.date(2024, 3, 4), signer="VQH"
    )
    d = services.mark_processed(dossier_id=processing.pk, by=leader)
    assert d.verdict == Verdict.EARLY
    # early result: the counter tells the applicant before the appointment
    services.announce_early_return(dossier_id=d.pk, by=receiver, message="Mời nhận kết quả từ 14:00")
    assert Message.objects.filter(context__code=d.code, template="early_return").exists()
    with pytest.raises(ActionRefused, match="không gửi lại"):
        services.announce_early_return(dossier_id=d.pk, by=receiver)


@pytest.mark.django_db
def test_no_early_return_notice_for_a_dossier_on_its_due_date(
    clock, processing, specialist, leader, receiver
):
    services.forward_step(dossier_id=processing.pk, by=specialist)
    services.forward_step(dossier_id=processing.pk, by=specialist)
    services.record_result(
        dossier_id=processing.pk, by=specialist, number="1/KS", signed_on=dt.date(2024, 3, 7), signer="VQH"
    )
    clock.move_to(local(2024, 3, 7, 7, 30))
    services.mark_processed(dossier_id=processing.pk, by=leader)
    with pytest.raises(ActionRefused):
        services.announce_early_return(dossier_id=processing.pk, by=receiver)


@pytest.mark.django_db
def test_apology_rules(clock, processing, leader, specialist):
    # due Thursday 08:00: the apology must come by Wednesday 17:00 and name a later date
    with pytest.raises(PermissionDenied):
        services.reschedule_with_apology(
            dossier_id=processing.pk, by=specialist, new_due_at=local(2024, 3, 8, 17), reason="Chậm"
        )
    with pytest.raises(ActionRefused, match="phải sau"):
        services.reschedule_with_apology(
            dossier_id=processing.pk, by=leader, new_due_at=local(2024, 3, 7, 8), reason="Chậm"
        )
    clock.move_to(local(2024, 3, 6, 17) + dt.timedelta(seconds=1))
    with pytest.raises(DeadlinePassed, match="17:00 06/03/2024"):
        services.reschedule_with_apology(
            dossier_id=processing.pk, by=leader, new_due_at=local(2024, 3, 8, 17), reason="Chậm"
        )
    processing.refresh_from_db()
    assert processing.reschedule_count == 0 and processing.due_at == local(2024, 3, 7, 8)
