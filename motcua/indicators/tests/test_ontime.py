"""QĐ 766 indicator 2.1, the per-dossier rule (``indicators.ontime``), on hand-made timelines."""

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from motcua.indicators.ontime import Timeline, end_of, is_on_time
from motcua.indicators.tests.builders import at

AS_OF = at(31, 23)


def test_finished_before_the_appointment_is_on_time_and_after_is_late():
    assert is_on_time(Timeline(received_at=at(7), due_at=at(10, 17), ended_at=at(10, 16)), AS_OF)
    assert is_on_time(Timeline(received_at=at(7), due_at=at(10, 17), ended_at=at(10, 17)), AS_OF)
    assert not is_on_time(Timeline(received_at=at(7), due_at=at(10, 17), ended_at=at(11, 8)), AS_OF)


def test_the_applicants_supplementation_time_is_subtracted():
    # given: due Thursday 10th, back with the applicant from the 8th 09:00 to the 14th 09:00 (6 days),
    # finished on the 15th: 6 days subtracted ⇒ end = the 9th
    timeline = Timeline(
        received_at=at(7),
        due_at=at(10, 17),
        ended_at=at(15),
        supplement_requests=1,
        supplement_requested_at=at(8),
        supplement_completed_at=at(14),
    )
    assert end_of(timeline, AS_OF) == at(9)
    assert is_on_time(timeline, AS_OF)


def test_two_supplementation_requests_make_the_dossier_late_whatever_the_dates():
    timeline = Timeline(
        received_at=at(7),
        due_at=at(30, 17),
        ended_at=at(8, 10),
        supplement_requests=2,
        supplement_requested_at=at(7, 10),
        supplement_completed_at=at(7, 11),
    )
    assert not is_on_time(timeline, AS_OF)


def test_waiting_for_the_applicant_ends_at_the_request():
    timeline = Timeline(
        received_at=at(7),
        due_at=at(10, 17),
        ended_at=None,
        supplement_requests=1,
        supplement_requested_at=at(9),
    )
    assert end_of(timeline, AS_OF) == at(9)
    assert is_on_time(timeline, AS_OF)


def test_without_a_terminal_status_the_end_is_the_moment_looked_at():
    timeline = Timeline(received_at=at(7), due_at=at(10, 17), ended_at=None)
    assert is_on_time(timeline, at(10, 12))  # still within its time
    assert not is_on_time(timeline, AS_OF)  # past the appointment, not finished


def test_an_end_after_the_moment_looked_at_does_not_count_yet():
    timeline = Timeline(received_at=at(7), due_at=at(20, 17), ended_at=at(25))
    assert end_of(timeline, at(15)) == at(15)
    assert is_on_time(timeline, at(15))
    assert not is_on_time(timeline, AS_OF)


def test_a_dossier_without_an_appointment_is_on_time():
    assert is_on_time(Timeline(received_at=at(7), due_at=None, ended_at=None), AS_OF)


@given(
    ended=st.integers(min_value=0, max_value=600),
    requested=st.integers(min_value=0, max_value=600),
    away=st.integers(min_value=0, max_value=600),
)
def test_subtracting_supplementation_never_moves_the_end_past_the_unsubtracted_end(ended, requested, away):
    start = at(1, 0)
    hours = dt.timedelta(hours=1)
    timeline = Timeline(
        received_at=start,
        due_at=start + 100 * hours,
        ended_at=start + ended * hours,
        supplement_requests=1,
        supplement_requested_at=start + requested * hours,
        supplement_completed_at=start + (requested + away) * hours,
    )
    plain = Timeline(received_at=start, due_at=start + 100 * hours, ended_at=start + ended * hours)
    assert end_of(timeline, AS_OF) <= end_of(plain, AS_OF)
    assert is_on_time(plain, AS_OF) <= is_on_time(timeline, AS_OF)
