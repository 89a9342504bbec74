"""PAKN: deadline in working days over weekends and holidays, on-time / late verdict, classification,
assignment, written answer with a notification, publication by a leader, like/dislike once."""

import datetime as dt

import pytest
import time_machine

from motcua.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from motcua.core.worktime import TZ
from motcua.dossiers.workflow import Verdict
from motcua.feedback import queries, services
from motcua.feedback.models import FeedbackCategory, FeedbackEvent, FeedbackStatus, Reaction
from motcua.feedback.tests.conftest import send_pakn
from motcua.notifications.models import Message
from motcua.organizations.models import OfficeHours

pytestmark = pytest.mark.django_db


def local(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=TZ)


def answer(feedback, by, text="Đã chỉ đạo rút ngắn thời gian giải quyết còn 1 ngày làm việc."):  # type: ignore[no-untyped-def]
    services.classify_feedback(feedback_id=feedback.pk, by=by, category=FeedbackCategory.REGULATION)
    return services.answer_feedback(feedback_id=feedback.pk, by=by, answer=text)


def test_deadline_skips_the_weekend_and_the_national_day_holidays(units, settings):
    # given a 2-working-day limit and a PAKN sent Friday 30/8/2024 at 16:00: 1 hour left that day,
    # then Saturday, Sunday, Monday 2/9 and Tuesday 3/9 (Quốc khánh) are not worked
    settings.PAKN_HANDLING_DAYS = 2
    with time_machine.travel(local(2024, 8, 30, 16, 0), tick=False):
        feedback = send_pakn(units.commune)

    # then 1 h Friday + 8 h Wednesday 4/9 + 7 h Thursday (4.5 h morning, 2.5 h afternoon)
    assert feedback.due_at == local(2024, 9, 5, 16, 0)
    assert feedback.code.startswith("PAKN-240830-")


def test_fifteen_working_days_from_a_saturday_start_on_monday(units):
    # Saturday 2/3/2024 evening: the clock starts Monday 4/3 07:00; 15 working days = 3 weeks,
    # used up at closing time on Friday 22/3 (a limit that ends at 17:00 stays there)
    with time_machine.travel(local(2024, 3, 2, 20, 0), tick=False):
        feedback = send_pakn(units.commune)

    assert feedback.due_at == local(2024, 3, 22, 17, 0)


def test_deadline_uses_the_units_office_hours(units, settings):
    settings.PAKN_HANDLING_DAYS = 1
    OfficeHours.objects.create(
        unit=units.commune,
        valid_from=dt.date(2024, 1, 1),
        morning_start=dt.time(7, 30),
        morning_end=dt.time(11, 30),
        afternoon_start=dt.time(13, 30),
        afternoon_end=dt.time(17, 0),
    )
    with time_machine.travel(local(2024, 3, 4, 6, 0), tick=False):
        feedback = send_pakn(units.commune)

    # 1 working day = 7.5 h of this unit, from opening 07:30 Monday: Monday 17:00
    assert feedback.due_at == local(2024, 3, 4, 17, 0)


def test_answer_by_the_due_instant_is_on_time_and_later_is_late(units, receiver, settings):
    settings.PAKN_HANDLING_DAYS = 1
    with time_machine.travel(local(2024, 3, 4, 8, 0), tick=False) as clock:
        on_time = send_pakn(units.commune)
        late = send_pakn(units.commune, title="Thái độ cán bộ")
        assert on_time.due_at == local(2024, 3, 5, 8, 0)

        clock.move_to(local(2024, 3, 5, 8, 0))  # exactly at the due instant
        assert answer(on_time, receiver).verdict == Verdict.ON_TIME

        clock.move_to(local(2024, 3, 5, 8, 1))
        assert queries.is_overdue(late)
        done = answer(late, receiver)
        assert done.verdict == Verdict.LATE
        # published within 2 working days after the answer
        assert done.publish_due_at == local(2024, 3, 7, 8, 1)


def test_answer_tells_the_sender_and_keeps_history(units, receiver):
    feedback = send_pakn(units.commune)

    done = answer(feedback, receiver)

    assert done.status == FeedbackStatus.ANSWERED
    sent = Message.objects.filter(template="pakn_answered", dedupe_key=f"pakn_answered:{feedback.pk}")
    assert {m.address for m in sent} >= {"mai@example.vn"}
    assert all(f"?ma={feedback.code}" in m.body for m in sent if m.channel == "email")
    kinds = list(FeedbackEvent.objects.filter(feedback=feedback).values_list("kind", flat=True))
    assert kinds == ["received", "classified", "answered"]
    with pytest.raises(Conflict):
        services.answer_feedback(feedback_id=feedback.pk, by=receiver, answer="Trả lời lần hai")


def test_answer_needs_a_classification_and_a_text(units, receiver):
    feedback = send_pakn(units.commune)

    with pytest.raises(InvalidInput, match="phân loại"):
        services.answer_feedback(feedback_id=feedback.pk, by=receiver, answer="Nội dung")
    services.classify_feedback(feedback_id=feedback.pk, by=receiver, category=FeedbackCategory.CONDUCT)
    with pytest.raises(InvalidInput, match="nội dung trả lời"):
        services.answer_feedback(feedback_id=feedback.pk, by=receiver, answer="   ")


def test_only_officers_of_the_unit_handle_it(units, receiver_elsewhere):
    feedback = send_pakn(units.commune)

    with pytest.raises(PermissionDenied):
        services.classify_feedback(
            feedback_id=feedback.pk, by=receiver_elsewhere, category=FeedbackCategory.REGULATION
        )


def test_assignment_to_an_officer_of_the_unit_and_a_stale_version_conflicts(
    units, receiver, specialist, leader, receiver_elsewhere
):
    feedback = send_pakn(units.commune)

    with pytest.raises(InvalidInput, match="đơn vị trực thuộc"):
        services.assign_feedback(feedback_id=feedback.pk, by=receiver, unit=units.other_commune)
    with pytest.raises(InvalidInput, match="không thuộc đơn vị xử lý"):
        services.assign_feedback(
            feedback_id=feedback.pk, by=receiver, unit=units.commune, officer=receiver_elsewhere
        )
    assigned = services.assign_feedback(
        feedback_id=feedback.pk, by=receiver, unit=units.commune, officer=specialist, expected_version=1
    )
    assert (assigned.status, assigned.assigned_officer, assigned.version) == ("assigned", specialist, 2)
    with pytest.raises(Conflict, match="vừa được người khác cập nhật"):
        services.classify_feedback(
            feedback_id=feedback.pk, by=leader, category=FeedbackCategory.OTHER, expected_version=1
        )


def test_publication_needs_a_leader_of_the_unit(units, receiver, leader):
    feedback = answer(send_pakn(units.commune), receiver)

    with pytest.raises(PermissionDenied, match="lãnh đạo"):
        services.publish_feedback(feedback_id=feedback.pk, by=receiver)
    published = services.publish_feedback(feedback_id=feedback.pk, by=leader)

    assert published.status == FeedbackStatus.PUBLISHED
    assert published.published_at is not None


def test_published_list_shows_only_published_answers(units, receiver, leader):
    waiting = send_pakn(units.commune, title="Chưa trả lời")
    answered = answer(send_pakn(units.commune, title="Đã trả lời, chưa công khai"), receiver)
    public = answer(send_pakn(units.commune, title="Đã công khai"), receiver)
    services.publish_feedback(feedback_id=public.pk, by=leader)

    assert [f.code for f in queries.published()] == [public.code]
    for hidden in (waiting, answered):
        with pytest.raises(NotFound):
            queries.get_published(hidden.code)


def test_like_or_dislike_once_per_user_and_once_per_session(units, receiver, leader, applicant):
    public = answer(send_pakn(units.commune), receiver)
    unpublished = answer(send_pakn(units.commune), receiver)
    services.publish_feedback(feedback_id=public.pk, by=leader)

    services.react_to_answer(feedback_id=public.pk, kind=Reaction.LIKE, user=applicant)
    with pytest.raises(Conflict, match="đã đánh giá"):
        services.react_to_answer(feedback_id=public.pk, kind=Reaction.DISLIKE, user=applicant)
    services.react_to_answer(feedback_id=public.pk, kind=Reaction.DISLIKE, session_key="phien-a")
    with pytest.raises(Conflict):
        services.react_to_answer(feedback_id=public.pk, kind=Reaction.DISLIKE, session_key="phien-a")
    services.react_to_answer(feedback_id=public.pk, kind=Reaction.DISLIKE, session_key="phien-b")
    with pytest.raises(NotFound):
        services.react_to_answer(feedback_id=unpublished.pk, kind=Reaction.LIKE, session_key="phien-a")

    public.refresh_from_db()
    assert (public.like_count, public.dislike_count) == (1, 2)


def test_a_linked_dossier_must_be_the_senders_own(units, other_applicant, returned):
    with pytest.raises(InvalidInput, match="tài khoản của bạn"):
        send_pakn(units.commune, dossier=returned, by=other_applicant)
