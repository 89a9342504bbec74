"""Rating a returned dossier: only one's own, only once, indices 0–2 with Vietnamese messages, and
per-officer attribution (TT 01/2018/TT-VPCP Điều 12–15)."""

from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from motcua.core.errors import Conflict, InvalidInput, NotFound
from motcua.dossiers.models import Dossier
from motcua.dossiers.workflow import Status
from motcua.feedback import indices
from motcua.feedback.models import DossierRating, ImmutableRowError, OfficerRating, RatingChannel
from motcua.feedback.services import rate_dossier
from motcua.feedback.tests.conftest import FULL_MARKS, handled_dossier

pytestmark = pytest.mark.django_db


def rate_online(dossier, by, **changes):  # type: ignore[no-untyped-def]
    data = {"satisfaction": "satisfied", "scores": dict(FULL_MARKS), "comment": ""}
    data.update(changes)
    return rate_dossier(dossier_id=dossier.pk, channel=RatingChannel.ONLINE, by=by, **data)


def test_applicant_rates_own_returned_dossier_once(returned, applicant):
    rating = rate_online(returned, applicant, comment="  Cán bộ hướng dẫn tận tình  ")

    assert (rating.index_1, rating.index_3, rating.index_4, rating.index_7) == (2, 2, 1, 2)
    assert rating.score == 7
    assert rating.comment == "Cán bộ hướng dẫn tận tình"
    assert rating.unit == returned.responsible_unit
    # the interchange / indicator 5.4 column follows
    assert Dossier.objects.get(pk=returned.pk).rating == "satisfied"

    with pytest.raises(Conflict, match="chỉ đánh giá một lần"):
        rate_online(returned, applicant, satisfaction="dissatisfied")
    assert DossierRating.objects.count() == 1
    assert Dossier.objects.get(pk=returned.pk).rating == "satisfied"


def test_another_applicant_cannot_rate_it(returned, other_applicant):
    with pytest.raises(NotFound):
        rate_online(returned, other_applicant)
    assert not DossierRating.objects.exists()


def test_a_dossier_not_yet_returned_cannot_be_rated(units, applicant, receiver, specialist, leader):
    dossier = handled_dossier(
        units, applicant, receiver, specialist, leader, returned=False, status=Status.PROCESSED
    )

    with pytest.raises(Conflict, match="chưa trả kết quả"):
        rate_online(dossier, applicant)


def test_an_imported_rating_counts_as_given(units, applicant, receiver, specialist, leader):
    dossier = handled_dossier(units, applicant, receiver, specialist, leader, rating="very_satisfied")

    with pytest.raises(Conflict):
        rate_online(dossier, applicant)


@pytest.mark.parametrize("bad", [3, -1, "2", None, True])
def test_index_outside_0_to_2_is_refused_naming_the_index(returned, applicant, bad):
    scores = {**FULL_MARKS, "index_3": bad}

    with pytest.raises(InvalidInput) as caught:
        rate_online(returned, applicant, scores=scores, satisfaction="rất vui")

    fields = {p.field: p.message for p in caught.value.problems}
    assert set(fields) == {"satisfaction", "index_3"}
    assert "Chỉ số 3" in fields["index_3"]
    assert "chỉ được chấm 0, 1 hoặc 2 điểm" in fields["index_3"]
    assert "mức độ hài lòng" in fields["satisfaction"]
    assert not DossierRating.objects.exists()


def test_the_database_refuses_an_index_above_2(returned):
    with pytest.raises(IntegrityError), transaction.atomic():
        DossierRating.objects.create(
            dossier=returned,
            unit=returned.responsible_unit,
            channel=RatingChannel.ONLINE,
            satisfaction="satisfied",
            index_1=2,
            index_3=3,
            index_4=2,
            index_7=2,
            created_at=returned.returned_at,
        )


def test_each_officer_who_handled_the_dossier_gets_the_rating(
    returned, applicant, receiver, specialist, leader
):
    rating = rate_online(returned, applicant)

    rows = {(r.officer_id, r.officer_name): r for r in OfficerRating.objects.filter(rating=rating)}
    assert set(rows) == {
        (receiver.pk, str(receiver)),
        (specialist.pk, str(specialist)),
        (leader.pk, str(leader)),
        (None, "Trần Văn Cũ"),
    }
    # index 2 comes from each officer's own steps: early ⇒ 2, late ⇒ 0, on time ⇒ 1, no step ⇒ none
    assert rows[(specialist.pk, str(specialist))].index_2 == 2
    assert rows[(leader.pk, str(leader))].index_2 == 0
    assert rows[(None, "Trần Văn Cũ")].index_2 == 1
    assert rows[(receiver.pk, str(receiver))].index_2 is None
    assert {r.index_7 for r in rows.values()} == {2}
    assert {r.unit for r in rows.values()} == {returned.responsible_unit}


def test_ratings_are_never_changed_or_deleted(returned, applicant):
    rating = rate_online(returned, applicant)

    rating.satisfaction = "dissatisfied"
    with pytest.raises(ImmutableRowError):
        rating.save()
    with pytest.raises(ImmutableRowError):
        rating.delete()
    with pytest.raises(ImmutableRowError):
        OfficerRating.objects.filter(rating=rating).first().delete()  # type: ignore[union-attr]


def test_counter_device_needs_an_officer_of_the_dossier_unit(returned, receiver, receiver_elsewhere):
    data = {"satisfaction": "very_satisfied", "scores": dict(FULL_MARKS)}
    with pytest.raises(NotFound):
        rate_dossier(
            dossier_id=returned.pk,
            channel=RatingChannel.COUNTER_DEVICE,
            device_officer=receiver_elsewhere,
            **data,
        )

    rating = rate_dossier(
        dossier_id=returned.pk, channel=RatingChannel.COUNTER_DEVICE, device_officer=receiver, **data
    )
    assert (rating.channel, rating.rated_by, rating.device_officer) == ("counter_device", None, receiver)


def test_step_index_and_officer_bands():
    assert indices.step_index([]) is None
    assert indices.step_index(["early", "early"]) == 2
    assert indices.step_index(["early", "on_time"]) == 1
    assert indices.step_index(["early", "late"]) == 0
    assert indices.officer_band(Decimal(5)) == "Hoàn thành 100% nhiệm vụ"
    assert indices.officer_band(Decimal("3.5")) == "Hoàn thành từ 70% đến dưới 100% nhiệm vụ"
    assert indices.officer_band(Decimal("3.4")) == "Hoàn thành dưới 70% nhiệm vụ"
    assert indices.average(7, 3) == Decimal("2.3")
    assert indices.average(5, 2) == Decimal("2.5")
    assert indices.average(None, 0) is None
