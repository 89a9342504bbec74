"""Officer pages: the PAKN inbox is scoped to the officer's units (others answer 404), the actions go
through the services and keep what was typed on refusal, ratings per officer, the counter device."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from motcua.dossiers.models import Dossier
from motcua.feedback.models import DossierRating, Feedback, OfficerRating
from motcua.feedback.tests.conftest import handled_dossier, send_pakn

pytestmark = pytest.mark.django_db

RATING = {"satisfaction": "satisfied", "index_1": "1", "index_3": "2", "index_4": "2", "index_7": "1"}


def html(response):  # type: ignore[no-untyped-def]
    return response.content.decode()


def test_inbox_lists_only_the_units_pakn_and_others_answer_404(
    as_officer, units, receiver, receiver_elsewhere
):
    mine = send_pakn(units.commune, title="Phản ánh của xã Gia Tân")
    theirs = send_pakn(units.other_commune, title="Phản ánh của xã Gia Hòa")
    client = as_officer(receiver)

    page = html(client.get(reverse("office:feedback_inbox")))
    assert "Phản ánh của xã Gia Tân" in page
    assert "Phản ánh của xã Gia Hòa" not in page
    assert client.get(reverse("office:feedback_detail", args=[mine.code])).status_code == 200
    assert client.get(reverse("office:feedback_detail", args=[theirs.code])).status_code == 404
    post = client.post(reverse("office:feedback_classify", args=[theirs.code]), {"category": "regulation"})
    assert post.status_code == 404
    assert Feedback.objects.get(pk=theirs.pk).category == ""


def test_overdue_pakn_is_flagged(as_officer, units, receiver):
    with time_machine.travel(dt.datetime(2024, 3, 4, 8, 0, tzinfo=dt.UTC), tick=False) as clock:
        send_pakn(units.commune, title="Để quá hạn")
        assert "Quá hạn" not in html(as_officer(receiver).get(reverse("office:feedback_inbox")))
        clock.move_to(dt.datetime(2024, 4, 30, 8, 0, tzinfo=dt.UTC))
        page = html(as_officer(receiver).get(reverse("office:feedback_inbox")))

    assert "Quá hạn" in page


def test_classify_answer_publish_through_the_pages(as_officer, units, receiver, leader):
    feedback = send_pakn(units.commune)
    client = as_officer(receiver)
    detail = reverse("office:feedback_detail", args=[feedback.code])

    # answering before classifying is refused, and the typed answer stays on the page
    refused = client.post(
        reverse("office:feedback_answer", args=[feedback.code]),
        {"answer": "Văn bản trả lời số 12", "version": 1},
    )
    assert refused.status_code == 400
    assert "Hãy phân loại phản ánh trước khi trả lời" in html(refused)
    assert "Văn bản trả lời số 12" in html(refused)

    assert (
        client.post(
            reverse("office:feedback_classify", args=[feedback.code]),
            {"category": "processing", "version": 1},
        ).url
        == detail
    )
    answered = client.post(
        reverse("office:feedback_answer", args=[feedback.code]),
        {"answer": "Văn bản trả lời số 12", "version": 2},
    )
    assert answered.status_code == 302
    # the receiver may not publish; the leader does
    assert "Duyệt và công khai" not in html(client.get(detail))
    client.post(reverse("office:feedback_publish", args=[feedback.code]))
    assert Feedback.objects.get(pk=feedback.pk).status == "answered"

    leader_client = as_officer(leader)
    assert "Duyệt và công khai" in html(leader_client.get(detail))
    leader_client.post(reverse("office:feedback_publish", args=[feedback.code]))
    assert Feedback.objects.get(pk=feedback.pk).status == "published"


def test_a_stale_form_gets_a_conflict_message(as_officer, units, receiver):
    feedback = send_pakn(units.commune)
    client = as_officer(receiver)
    client.post(
        reverse("office:feedback_classify", args=[feedback.code]), {"category": "processing", "version": 1}
    )

    stale = client.post(
        reverse("office:feedback_classify", args=[feedback.code]), {"category": "other", "version": 1}
    )

    assert stale.status_code == 400
    assert "vừa được người khác cập nhật" in html(stale)
    assert Feedback.objects.get(pk=feedback.pk).category == "processing"


def test_counter_device_rates_a_returned_dossier_of_the_unit_with_the_second_factor(
    as_officer, returned, receiver, receiver_elsewhere
):
    url = reverse("office:rating_device")
    client = as_officer(receiver)

    wrong = client.post(url, {**RATING, "dossier_code": returned.code, "suffix": "9999"})
    assert wrong.status_code == 404
    assert "Mã hồ sơ hoặc 4 số cuối không đúng" in html(wrong)
    assert "Nguyễn Văn An" not in html(wrong)

    ok = client.post(url, {**RATING, "dossier_code": returned.code.lower(), "suffix": "0123"})
    assert ok.status_code == 302
    rating = DossierRating.objects.get(dossier=returned)
    assert (rating.channel, rating.device_officer) == ("counter_device", receiver)

    again = client.post(url, {**RATING, "dossier_code": returned.code, "suffix": "0111"})
    assert again.status_code == 409
    assert "chỉ đánh giá một lần" in html(again)

    # a device of another unit does not find the dossier at all
    elsewhere = as_officer(receiver_elsewhere).post(
        url, {**RATING, "dossier_code": returned.code, "suffix": "0123"}
    )
    assert elsewhere.status_code == 404


def test_ratings_page_shows_averages_per_officer(as_officer, units, applicant, receiver, specialist, leader):
    from motcua.feedback.models import RatingChannel
    from motcua.feedback.services import rate_dossier

    for satisfaction, index_1 in (("satisfied", 2), ("dissatisfied", 1)):
        dossier = handled_dossier(units, applicant, receiver, specialist, leader)
        rate_dossier(
            dossier_id=dossier.pk,
            channel=RatingChannel.ONLINE,
            by=applicant,
            satisfaction=satisfaction,
            scores={"index_1": index_1, "index_3": 2, "index_4": 2, "index_7": 2},
        )
    assert OfficerRating.objects.count() == 8

    response = as_officer(leader).get(reverse("office:ratings"))

    assert response.status_code == 200
    summary = response.context["summary"]
    assert (summary.count, summary.dissatisfied, str(summary.index_1)) == (2, 1, "1.5")
    rows = {row["officer_name"]: row for row in response.context["officers"]}
    # specialist: 1.5 + 2 (early steps) + 2 + 2 + 2 = 9.5 ⇒ full duty
    assert str(rows[str(specialist)]["total"]) == "9.5"
    assert rows[str(specialist)]["band"] == "Hoàn thành 100% nhiệm vụ"
    assert rows[str(leader)]["i2"] == 0
    assert Dossier.objects.filter(rating="dissatisfied").count() == 1
