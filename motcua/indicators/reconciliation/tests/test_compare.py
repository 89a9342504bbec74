"""``compare``: the system's counts for the register's unit (alone), period (local days) and field,
the difference paper − system, the candidates when the book counts more and the system's dossiers in
the book's order when it counts less. Hand-built dossiers with known answers (August 2023)."""

import datetime as dt

import pytest

from motcua.catalog.tests.factories import ProcedureFactory
from motcua.core.worktime import TZ
from motcua.dossiers.models import Dossier
from motcua.dossiers.workflow import Channel, Status
from motcua.indicators.reconciliation.compare import Reason, compare
from motcua.indicators.reconciliation.tests.conftest import book
from motcua.indicators.tests.builders import at, make_dossier

pytestmark = pytest.mark.django_db
UTC = dt.UTC


def codes(lines) -> list[str]:  # type: ignore[no-untyped-def]
    return [line.code for line in lines]


@pytest.fixture
def august(world):  # type: ignore[no-untyped-def]
    """The commune's dossiers around August 2023, named by what they are."""
    c, p = world.commune, world.online
    d = {
        "on_time": make_dossier(c, p, status=Status.PROCESSED, processed_at=at(9)),
        "late": make_dossier(c, p, status=Status.RETURNED, processed_at=at(15), returned_at=at(16)),
        "open": make_dossier(c, p),
        "stopped": make_dossier(c, p, received_at=at(8), status=Status.STOPPED, closed_at=at(16)),
        # 00:30 local on 1 August is 17:30 UTC on 31 July: in August
        "first_night": make_dossier(c, p, received_at=dt.datetime(2023, 7, 31, 17, 30, tzinfo=UTC)),
        # received in July, finished late in August
        "july": make_dossier(
            c,
            p,
            received_at=at(20, month=7),
            due_at=at(25, month=7),
            status=Status.PROCESSED,
            processed_at=at(2),
        ),
        "day_before": make_dossier(c, p, received_at=at(31, 10, month=7)),
        # 00:30 local on 1 September (17:30 UTC on 31 August): not in August
        "last_night": make_dossier(c, p, received_at=dt.datetime(2023, 8, 31, 17, 30, tzinfo=UTC)),
        "day_after": make_dossier(c, p, received_at=at(1, 9, month=9)),
        "waiting": make_dossier(
            c, p, received_at=None, submitted_at=at(10), status=Status.SUBMITTED, channel=Channel.ONLINE
        ),
        "refused": make_dossier(c, p, received_at=None, submitted_at=at(11), status=Status.NOT_RECEIVED),
        "withdrawn": make_dossier(c, p, received_at=None, submitted_at=at(12), status=Status.WITHDRAWN),
        "imported": make_dossier(c, p, received_at=None, submitted_at=at(13), status=Status.PROCESSING),
        "forwarded": make_dossier(c, p, received_at=at(14)),
        "elsewhere": make_dossier(world.other_commune, p),
        "below": make_dossier(c, p, received_at=at(20, month=5)),  # long before: no candidate
    }
    Dossier.objects.filter(pk=d["forwarded"].pk).update(responsible_unit=world.other_commune)
    return d


def test_the_book_counts_more_received_the_candidates_have_their_reason(world, receiver, august):
    entry = book(receiver, world.commune, 8, finished=2, late=2)

    received, finished, late = compare(entry).measures

    assert (received.paper, received.system, received.difference) == (8, 5, 3)
    assert received.system_lines == []
    assert [(line.code, str(line.reason)) for line in received.candidates] == [
        (august["waiting"].code, Reason.NOT_RECEIVED_YET),
        (august["refused"].code, Reason.REFUSED),
        (august["withdrawn"].code, Reason.WITHDRAWN_BEFORE),
        (august["imported"].code, Reason.NO_RECEPTION_TIME),
        (august["forwarded"].code, Reason.FORWARDED),
        (august["day_before"].code, Reason.BEFORE_PERIOD),
        (august["last_night"].code, Reason.AFTER_PERIOD),
        (august["day_after"].code, Reason.AFTER_PERIOD),
    ]
    assert received.candidates[0].applicant_name == "Nguyễn Văn An"
    # finished: processed or returned in August, received whenever; the book counts one less
    assert (finished.paper, finished.system, finished.difference) == (2, 3, -1)
    assert finished.candidates == []
    assert codes(finished.system_lines) == [august["july"].code, august["on_time"].code, august["late"].code]
    # late by the 2.1 rule: the July dossier and the one processed after its appointment
    assert (late.paper, late.system, late.difference) == (2, 2, 0)
    assert late.candidates == late.system_lines == []


def test_the_system_counts_more_lists_its_dossiers_in_reception_order(world, receiver, august):
    entry = book(receiver, world.commune, 4)

    comparison = compare(entry)
    received, finished, late = comparison.measures

    assert received.difference == -1 and received.candidates == []
    same_time = sorted([august["on_time"].code, august["late"].code, august["open"].code])
    assert codes(received.system_lines) == [
        august["first_night"].code,
        *same_time,
        august["stopped"].code,
    ]
    # the book had no finished or late column: no difference, no list
    assert (finished.paper, finished.difference, finished.system_lines) == (None, None, [])
    assert (late.paper, late.difference, late.system) == (None, None, 2)
    assert not comparison.matches


def test_equal_counts_match_and_list_nothing(world, receiver, august):
    comparison = compare(book(receiver, world.commune, 5, finished=3, late=2))

    assert [m.difference for m in comparison.measures] == [0, 0, 0]
    assert all(m.candidates == m.system_lines == [] for m in comparison.measures)
    assert comparison.matches


def test_the_district_book_counts_the_district_alone(world, august):
    from motcua.indicators.reconciliation.tests.conftest import member
    from motcua.organizations.models import Role

    district = member(world.district, Role.RECEIVER)
    make_dossier(world.district, world.online)

    received, _finished, _late = compare(book(district, world.district, 1)).measures

    assert (received.system, received.difference) == (1, 0)


def test_a_field_book_counts_its_field_and_lists_finished_candidates(world, receiver, civil, labour):
    birth = ProcedureFactory(field=civil, published=True)
    marriage = ProcedureFactory(field=civil, published=True)
    pension = ProcedureFactory(field=labour, published=True)
    c = world.commune
    twice_supplemented = make_dossier(
        c,
        birth,
        status=Status.PROCESSED,
        processed_at=at(9),
        events=[("supplement_requested", at(8)), ("supplement_requested", at(8, 14))],
    )
    on_time = make_dossier(c, marriage, status=Status.RETURNED, returned_at=at(10, 8))
    refused_after = make_dossier(c, birth, status=Status.REJECTED, closed_at=at(11))
    result_unmarked = make_dossier(c, marriage, result_number="12/HT", result_date=dt.date(2023, 8, 21))
    issued_after = make_dossier(c, birth, status=Status.PROCESSED, processed_at=at(2, 10, month=9))
    make_dossier(c, pension, status=Status.PROCESSED, processed_at=at(9))  # another field
    make_dossier(c, pension, status=Status.REJECTED, closed_at=at(11))

    entry = book(receiver, c, 5, field=civil, finished=5, late=0)
    received, finished, late = compare(entry).measures

    assert (received.system, received.difference) == (5, 0)
    assert (finished.system, finished.difference) == (2, 3)
    assert [(line.code, str(line.reason)) for line in finished.candidates] == [
        (refused_after.code, Reason.ENDED_WITHOUT_RESULT),
        (result_unmarked.code, Reason.RESULT_NOT_MARKED),
        (issued_after.code, Reason.ISSUED_AFTER),
    ]
    # two supplementation requests: late although processed before the appointment (2.1)
    assert (late.system, late.difference) == (1, -1)
    assert codes(late.system_lines) == [twice_supplemented.code]
    assert on_time.code not in codes(late.system_lines)


def test_a_period_not_over_is_looked_at_now(world, receiver):
    entry = book(receiver, world.commune, 0)
    make_dossier(world.commune, world.online)

    received = compare(entry, now=dt.datetime(2023, 8, 5, tzinfo=TZ)).measures[0]

    assert received.system == 0  # received on 7 August, after the moment looked at
