"""The open timeline of a dossier (``dossiers.timelines.open_timeline``: on time until ``good_until``,
late from ``late_from``) is the QĐ 766 2.1 verdict (``timelines.verdict``) at every instant from its
reception on (before an event, as after it: ``verdict`` reads the events up to the instant looked at), for
any appointment, supplementation requests and completions."""

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from motcua.dossiers.timelines import History, Row, open_timeline, verdict

T0 = dt.datetime(2024, 3, 4, 1, tzinfo=dt.UTC)
hours = st.integers(min_value=-24, max_value=400).map(lambda h: T0 + dt.timedelta(hours=h))


def _row(due: dt.datetime | None) -> Row:
    return Row(
        pk=1,
        unit_id=1,
        procedure_id=1,
        channel=1,
        status="processing",
        submitted_at=T0,
        received_at=T0,
        processed_at=None,
        returned_at=None,
        closed_at=None,
        due_at=due,
        fee_vnd=0,
        is_paid_online=False,
        is_result_electronic=False,
        is_vneid_verified=False,
        is_population_data_used=False,
        online_level="",
        procedure_online_level="",
        result_required=True,
        full_online_eligible=False,
    )


@given(
    due=st.none() | hours,
    first_due=st.none() | hours,  # the first ``received`` event's appointment
    requests=st.lists(hours, max_size=3),
    completions=st.lists(hours, max_size=3),
    looked=st.lists(hours, min_size=1, max_size=8),
)
def test_open_timeline_is_the_verdict(
    due: dt.datetime | None,
    first_due: dt.datetime | None,
    requests: list[dt.datetime],
    completions: list[dt.datetime],
    looked: list[dt.datetime],
) -> None:
    row = _row(due)
    history = History([(T0, 1, first_due)], requests, completions)
    timeline = open_timeline(row, history)
    assert timeline is not None
    last = max([T0, *requests, *completions])
    for at in looked:
        if at < T0 or at > last + dt.timedelta(days=30):
            continue
        expected = verdict(row, history, at)
        good = (timeline.good_until is None or at <= timeline.good_until) and (
            timeline.late_from is None or at < timeline.late_from
        )
        assert good == expected, (at, timeline)


def test_an_ended_dossier_has_no_open_timeline() -> None:
    row = _row(T0)
    ended = Row(**{**row.__dict__, "processed_at": T0 + dt.timedelta(hours=3)})
    assert open_timeline(ended, None) is None
    assert open_timeline(Row(**{**row.__dict__, "received_at": None}), None) is None
