"""Citizens' pages: rate my returned dossier (own, once, Vietnamese errors), send a PAKN (throttled),
look it up with code + contact, the published answers and the like/dislike once per session."""

import pytest
from django.urls import reverse

from motcua.feedback import services
from motcua.feedback.models import DossierRating, Feedback, FeedbackCategory
from motcua.feedback.tests.conftest import send_pakn

pytestmark = pytest.mark.django_db

RATING = {"satisfaction": "very_satisfied", "index_1": "2", "index_3": "1", "index_4": "2", "index_7": "2"}


def html(response):  # type: ignore[no-untyped-def]
    return response.content.decode()


def test_applicant_rates_own_returned_dossier_once(client, returned, applicant):
    client.force_login(applicant)
    url = reverse("portal:rate", kwargs={"dossier_code": returned.code})

    assert client.get(url).status_code == 200
    response = client.post(url, {**RATING, "comment": "Rất nhanh"})
    assert response.status_code == 302
    rating = DossierRating.objects.get(dossier=returned)
    assert (rating.channel, rating.index_3, rating.rated_by) == ("online", 1, applicant)

    again = client.post(url, {**RATING, "satisfaction": "dissatisfied"})
    assert again.status_code == 409
    assert DossierRating.objects.get(dossier=returned).satisfaction == "very_satisfied"
    assert "đã đánh giá hồ sơ này" in html(client.get(url))


def test_another_applicants_dossier_answers_404(client, returned, other_applicant):
    client.force_login(other_applicant)
    url = reverse("portal:rate", kwargs={"dossier_code": returned.code})

    assert client.get(url).status_code == 404
    assert client.post(url, RATING).status_code == 404
    assert not DossierRating.objects.exists()


def test_anonymous_visitor_is_sent_to_sign_in(client, returned):
    response = client.get(reverse("portal:rate", kwargs={"dossier_code": returned.code}))

    assert response.status_code == 302
    assert response.url.startswith(reverse("portal:login"))


def test_an_index_out_of_range_shows_a_vietnamese_message_and_keeps_the_input(client, returned, applicant):
    client.force_login(applicant)

    response = client.post(
        reverse("portal:rate", kwargs={"dossier_code": returned.code}),
        {**RATING, "index_4": "5", "comment": "Ý kiến của tôi"},
    )

    assert response.status_code == 400
    assert "Chỉ số 4" in html(response)
    assert "hãy chọn một trong các mức 0, 1 hoặc 2 điểm" in html(response)
    assert "Ý kiến của tôi" in html(response)
    assert not DossierRating.objects.exists()


def pakn_form(unit, **changes):  # type: ignore[no-untyped-def]
    data = {
        "unit": unit.code,
        "subject": "officer",
        "procedure": "",
        "subject_detail": "Cán bộ một cửa",
        "title": "Hướng dẫn chưa rõ",
        "content": "Tôi phải đến 3 lần mới nộp được hồ sơ.",
        "submitter_name": "Nguyễn Thị Mai",
        "submitter_email": "",
        "submitter_phone": "0987654321",
        "submitter_address": "",
    }
    data.update(changes)
    return data


def test_send_a_pakn_without_contact_keeps_the_text_and_says_why(client, units):
    url = reverse("portal:feedback_submit")

    response = client.post(url, pakn_form(units.commune, submitter_phone=""))

    assert response.status_code == 400
    assert "Hãy nhập thư điện tử hoặc số điện thoại" in html(response)
    assert "Tôi phải đến 3 lần mới nộp được hồ sơ." in html(response)
    assert not Feedback.objects.exists()


def test_send_a_pakn_then_look_it_up_with_code_and_phone(client, units):
    response = client.post(reverse("portal:feedback_submit"), pakn_form(units.commune))

    feedback = Feedback.objects.get()
    assert response.status_code == 302
    # only the public code travels in the URL, never the contact
    assert response.url == reverse("portal:feedback_track") + f"?ma={feedback.code}"
    assert "0987654321" not in response.url
    track = reverse("portal:feedback_track")
    wrong = client.post(track, {"code": feedback.code, "contact": "0900000000"})
    assert wrong.status_code == 404
    right = client.post(track, {"code": feedback.code, "contact": "0987 654 321"})
    assert right.status_code == 200
    assert "Hướng dẫn chưa rõ" in html(right)


def test_pakn_submissions_are_throttled_per_address(client, units, settings):
    settings.PAKN_SUBMISSIONS_PER_HOUR = 2
    url = reverse("portal:feedback_submit")
    for _n in range(2):
        assert client.post(url, pakn_form(units.commune)).status_code == 302

    third = client.post(url, pakn_form(units.commune, title="Lần thứ ba"))

    assert third.status_code == 429
    assert "vui lòng thử lại sau" in html(third)
    assert "Lần thứ ba" in html(third)
    assert Feedback.objects.count() == 2


def test_public_list_shows_only_published_answers_and_votes_once_per_session(client, units, receiver, leader):
    hidden = send_pakn(units.commune, title="Chưa công khai")
    public = send_pakn(units.commune, title="Đã công khai")
    for item in (hidden, public):
        services.classify_feedback(feedback_id=item.pk, by=receiver, category=FeedbackCategory.REGULATION)
        services.answer_feedback(feedback_id=item.pk, by=receiver, answer=f"Trả lời {item.title}")
    services.publish_feedback(feedback_id=public.pk, by=leader)
    url = reverse("portal:feedback_answers")

    listing = html(client.get(url))
    assert "Đã công khai" in listing
    assert "Chưa công khai" not in listing
    assert "mai@example.vn" not in listing
    assert client.get(url, {"ma": hidden.code}).status_code == 404
    detail = client.get(url, {"ma": public.code})
    assert detail.status_code == 200
    assert "Trả lời Đã công khai" in html(detail)

    assert client.post(url, {"code": public.code, "kind": "like"}).status_code == 302
    assert client.post(url, {"code": public.code, "kind": "dislike"}).status_code == 302
    public.refresh_from_db()
    assert (public.like_count, public.dislike_count) == (1, 0)
    assert "Bạn đã đánh giá câu trả lời này" in html(client.get(url, {"ma": public.code}))
    assert client.post(url, {"code": hidden.code, "kind": "like"}).status_code == 404
