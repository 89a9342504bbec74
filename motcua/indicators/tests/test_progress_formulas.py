"""QĐ 766 indicators 2.1 and 5.4 on hand-built dossier sets with known answers (domain-research §2.2
edge cases: supplementation subtracted, two requests ⇒ late, no terminal status, withdrawn before and
after reception, zero denominators)."""

import pytest

from motcua.dossiers.models import Rating
from motcua.dossiers.workflow import Channel, Status
from motcua.feedback.models import Feedback, FeedbackSubject
from motcua.indicators.formulas import FORMULAS, Ratio
from motcua.indicators.scope import scope_for
from motcua.indicators.tests.builders import at, august, make_dossier

pytestmark = pytest.mark.django_db


def test_on_time_counts_finished_and_pending_dossiers_against_the_appointment(world):
    # given: due the 10th at 17:00
    make_dossier(world.commune, world.online, status=Status.PROCESSED, processed_at=at(9))  # early
    make_dossier(
        world.commune, world.online, status=Status.RETURNED, processed_at=at(10, 17), returned_at=at(11)
    )
    make_dossier(world.commune, world.online, status=Status.PROCESSED, processed_at=at(11))  # late
    make_dossier(world.commune, world.online, due_at=at(5, 17, month=9))  # no terminal status, not due yet
    make_dossier(world.commune, world.online)  # no terminal status, past due at the period end

    assert FORMULAS["on_time"](august(world.commune)) == Ratio(3, 5)


def test_supplementation_time_is_subtracted_and_a_second_request_makes_it_late(world):
    # given: both finished on the 15th, five days after the appointment of the 10th
    once = [("supplement_requested", at(8)), ("supplement_completed", at(14))]
    twice = [*once, ("supplement_requested", at(14, 10)), ("supplement_completed", at(14, 11))]
    make_dossier(world.commune, world.online, status=Status.PROCESSED, processed_at=at(15), events=once)
    make_dossier(world.commune, world.online, status=Status.PROCESSED, processed_at=at(9), events=twice)
    # a request before reception (online intake) is not a supplementation during processing
    make_dossier(
        world.commune,
        world.online,
        status=Status.PROCESSED,
        processed_at=at(9),
        submitted_at=at(5),
        events=[("supplement_requested", at(5, 10)), ("supplement_completed", at(6))],
    )

    assert FORMULAS["on_time"](august(world.commune)) == Ratio(2, 3)


def test_waiting_for_supplementation_ends_at_the_request(world):
    make_dossier(
        world.commune,
        world.online,
        status=Status.AWAITING_SUPPLEMENT,
        events=[("supplement_requested", at(9))],
    )
    assert FORMULAS["on_time"](august(world.commune)) == Ratio(1, 1)


def test_the_appointment_is_the_one_given_at_reception_not_a_later_one(world):
    # given: rescheduled with an apology (form 04) to the 20th, finished on the 15th
    dossier = make_dossier(world.commune, world.online, status=Status.PROCESSED, processed_at=at(15))
    dossier.due_at = at(20, 17)
    dossier.save(update_fields=["due_at"])

    assert FORMULAS["on_time"](august(world.commune)) == Ratio(0, 1)


def test_withdrawn_before_reception_is_not_counted_and_after_reception_ends_there(world):
    make_dossier(
        world.commune,
        world.online,
        received_at=None,
        due_at=None,
        channel=Channel.ONLINE,
        status=Status.WITHDRAWN,
        closed_at=at(8),
    )
    make_dossier(world.commune, world.online, status=Status.WITHDRAWN, closed_at=at(8))  # on time
    make_dossier(world.commune, world.online, status=Status.STOPPED, closed_at=at(12))  # late

    assert FORMULAS["on_time"](august(world.commune)) == Ratio(1, 2)


def test_dossiers_roll_up_over_sub_units_and_stay_out_of_other_periods(world):
    make_dossier(world.commune, world.online, status=Status.PROCESSED, processed_at=at(9))
    make_dossier(world.other_commune, world.online)  # late at the period end
    make_dossier(world.commune, world.online, received_at=at(31, 23, month=7), due_at=at(2, 17))  # July

    assert FORMULAS["on_time"](august(world.district)) == Ratio(1, 2)
    assert FORMULAS["on_time"](august(world.province)) == Ratio(1, 2)
    assert FORMULAS["on_time"](august(world.other_commune)) == Ratio(0, 1)


def test_a_period_that_has_not_ended_judges_pending_dossiers_now(world):
    make_dossier(world.commune, world.online)  # due the 10th, still processing
    today = scope_for(world.commune, *(at(1).date(), at(31).date()), now=at(9))
    assert FORMULAS["on_time"](today) == Ratio(1, 1)


def test_no_dossier_gives_a_zero_denominator(world):
    assert FORMULAS["on_time"](august(world.commune)) == Ratio(0, 0)
    assert FORMULAS["dossier_satisfaction"](august(world.commune)) == Ratio(0, 0)


def test_dossier_satisfaction_removes_late_dissatisfied_and_complained_about_dossiers(world):
    make_dossier(
        world.commune, world.online, status=Status.PROCESSED, processed_at=at(9), rating=Rating.SATISFIED
    )
    make_dossier(world.commune, world.online, status=Status.PROCESSED, processed_at=at(9))  # not rated: fine
    make_dossier(
        world.commune, world.online, status=Status.PROCESSED, processed_at=at(9), rating=Rating.DISSATISFIED
    )
    make_dossier(world.commune, world.online, status=Status.PROCESSED, processed_at=at(12))  # late
    complained = make_dossier(world.commune, world.online, status=Status.PROCESSED, processed_at=at(9))
    Feedback.objects.create(
        code="PA-2023-0001",
        unit=world.commune,
        subject=FeedbackSubject.OFFICER,
        dossier=complained,
        title="Chậm trả",
        content="…",
        submitter_name="Nguyễn Văn An",
        received_at=at(9, 10),
        due_at=at(30),
    )

    assert FORMULAS["dossier_satisfaction"](august(world.commune)) == Ratio(2, 5)
