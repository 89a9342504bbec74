"""The dossier API: the appointment question, sign-in and CSRF, list / detail / create, and a dossier
taken from the counter to the returned result through the action endpoints, with the error answers
(404 not visible, 403 not allowed, 409 stale version, 422 refused, mass assignment refused)."""

import pytest
from django.db import connection
from django.middleware.csrf import _get_new_csrf_string, _mask_cipher_secret
from django.test import Client
from django.test.utils import CaptureQueriesContext

from motcua.catalog.models import TimeUnit
from motcua.conftest import login_with_otp
from motcua.dossiers.models import Dossier, DossierEvent
from motcua.dossiers.tests.factories import DossierFactory
from motcua.dossiers.workflow import Status

from .conftest import API

pytestmark = pytest.mark.django_db

APPOINTMENT = f"{API}/appointment"


def create_body(units, **changes):  # type: ignore[no-untyped-def]
    body = {
        "procedure": "1.001193",
        "receiving_unit": units.commune.code,
        "channel": 1,
        "applicant": {"name": "Nguyễn Văn An", "id_number": "030090000123", "phone": "0912000111"},
        "components": [{"catalog_position": 1, "copy_type": "original", "is_digitized": True}],
    }
    body.update(changes)
    return body


def post(client: Client, url: str, body: object, **headers: str):  # type: ignore[no-untyped-def]
    return client.post(url, body, content_type="application/json", headers=headers)


def act(client: Client, code: str, action: str, **body: object):  # type: ignore[no-untyped-def]
    return post(client, f"{API}/dossiers/{code}/actions/{action}", body)


# --- the appointment question -------------------------------------------------------------------------


def test_appointment_answers_with_the_offset(client, procedure, units):
    answer = client.get(
        APPOINTMENT, {"procedure": "1.001193", "unit": units.commune.code, "at": "2024-02-07T15:30:00+07:00"}
    )
    assert answer.status_code == 200, answer.content
    assert answer.json()["appointment"] == "2024-02-19T17:00:00+07:00"  # after 15:00, just before Tết
    online = client.get(
        APPOINTMENT,
        {"procedure": "1.001193", "unit": units.commune.code, "at": "2024-02-07T08:30:00Z", "channel": "2"},
    ).json()
    assert (online["at"], online["appointment"]) == ("2024-02-07T15:30:00+07:00", "2024-02-19T15:30:00+07:00")


def test_appointment_is_null_without_time_limit(client, procedure, units):
    procedure.time_unit = TimeUnit.NONE
    procedure.save()
    query = {"procedure": "1.001193", "unit": units.commune.code, "at": "2024-03-04T08:00:00+07:00"}
    assert client.get(APPOINTMENT, query).json()["appointment"] is None


@pytest.mark.parametrize(
    ("changes", "parameter", "words"),
    [
        ({"at": None}, "at", "bắt buộc"),
        ({"at": "2024-03-04T08:00"}, "at", "thiếu múi giờ"),
        ({"at": "4/3/2024 8h"}, "at", "ISO 8601"),
        ({"channel": "7"}, "channel", "bưu chính"),
        ({"procedure": "9.999999"}, "procedure", "không có thủ tục"),
        ({"unit": "000.99.99.H99"}, "unit", "Không có đơn vị"),
        ({"procedure": None}, "procedure", "bắt buộc"),
    ],
)
def test_appointment_errors_name_the_parameter(client, procedure, units, changes, parameter, words):
    query = {"procedure": "1.001193", "unit": units.commune.code, "at": "2024-03-04T08:00:00+07:00"}
    query.update(changes)
    answer = client.get(APPOINTMENT, {k: v for k, v in query.items() if v is not None})
    assert answer.status_code == 400
    assert answer.json()["parameter"] == parameter
    assert answer.json()["detail"].startswith(f"{parameter}: ") and words in answer.json()["detail"]


# --- who may call -------------------------------------------------------------------------------------


def test_anonymous_applicants_and_unverified_officers_get_401(client, applicant, receiver):
    assert client.get(f"{API}/dossiers").status_code == 401
    assert "TOTP" in client.get(f"{API}/dossiers").json()["detail"]
    login_with_otp(client, applicant)  # a portal account, even with a second factor, is not an officer
    assert client.get(f"{API}/dossiers").status_code == 401
    half = Client()
    half.force_login(receiver)  # password only: no TOTP in this session
    assert half.get(f"{API}/dossiers").status_code == 401


def test_unsafe_methods_need_the_csrf_token(receiver, units, procedure):
    browser = Client(enforce_csrf_checks=True)
    login_with_otp(browser, receiver)
    without = post(browser, f"{API}/dossiers", create_body(units), **{"Idempotency-Key": "csrf-test-0001"})
    assert without.status_code == 403 and "CSRF" in without.json()["detail"]
    assert not Dossier.objects.exists()
    # a browser gets the cookie from any office page; here we make one
    secret = _get_new_csrf_string()
    browser.cookies["csrftoken"] = secret
    headers = {"Idempotency-Key": "csrf-test-0001", "X-CSRFToken": _mask_cipher_secret(secret)}
    assert post(browser, f"{API}/dossiers", create_body(units), **headers).status_code == 201


# --- create, read, list -------------------------------------------------------------------------------


def test_create_at_the_counter_then_read_it(clock, as_receiver, units, procedure):
    created = post(as_receiver, f"{API}/dossiers", create_body(units), **{"Idempotency-Key": "k-counter-1"})
    assert created.status_code == 201, created.content
    summary = created.json()
    assert summary["code"].startswith(f"{units.commune.code}-240304-")
    assert (summary["status"], summary["national_status"], summary["version"]) == ("received", 2, 1)
    assert summary["due_at"] == "2024-03-07T08:00:00+07:00"

    detail = as_receiver.get(f"{API}/dossiers/{summary['code']}").json()
    assert detail["applicant_id_number"] == "030090000123"
    assert [c["name"] for c in detail["components"]] == ["Tờ khai đăng ký khai sinh"]
    assert [e["kind"] for e in detail["events"]] == ["received"]


def test_create_online_waits_in_the_queue(clock, as_receiver, units, procedure):
    created = post(
        as_receiver, f"{API}/dossiers", create_body(units, channel=2), **{"Idempotency-Key": "k-online-1"}
    )
    assert created.status_code == 201
    assert created.json()["status"] == "submitted"
    # 8 working hours from Monday 08:00, lunch excluded
    assert created.json()["reception_due_at"] == "2024-03-05T08:00:00+07:00"


def test_only_a_receiver_of_that_counter_files_online_for_an_applicant(
    clock, as_specialist, units, procedure
):
    created = post(
        as_specialist, f"{API}/dossiers", create_body(units, channel=2), **{"Idempotency-Key": "k-online-2"}
    )
    assert created.status_code == 403
    assert "tiếp nhận" in created.json()["detail"]
    assert not Dossier.objects.exists()


@pytest.mark.parametrize(
    ("changes", "status", "words"),
    [
        ({"procedure": "9.999999"}, 422, "procedure"),
        ({"components": []}, 422, "còn thiếu"),
        ({"components": [{"catalog_position": 9}]}, 422, "không có thành phần"),
        ({"channel": 1, "status": "processed"}, 422, None),
        ({"fee_paid": True}, 422, None),
    ],
)
def test_create_refusals(clock, as_receiver, units, procedure, changes, status, words):
    answer = post(
        as_receiver, f"{API}/dossiers", create_body(units, **changes), **{"Idempotency-Key": "k-bad-01"}
    )
    assert answer.status_code == status, answer.content
    if words:
        assert words in answer.json()["detail"]
    assert not Dossier.objects.exists()


def test_create_without_idempotency_key_is_400(as_receiver, units, procedure):
    answer = post(as_receiver, f"{API}/dossiers", create_body(units))
    assert answer.status_code == 400 and "Idempotency-Key" in answer.json()["detail"]


def test_create_elsewhere_is_403(clock, receiver_elsewhere, signed_in, units, procedure):
    answer = post(
        signed_in(receiver_elsewhere),
        f"{API}/dossiers",
        create_body(units),
        **{"Idempotency-Key": "k-else-01"},
    )
    assert answer.status_code == 403 and "UBND xã Gia Tân" in answer.json()["detail"]


def test_list_is_scoped_filtered_and_has_a_fixed_query_count(as_receiver, units, procedure):
    # given: 3 dossiers here, one at the other commune
    DossierFactory.create_batch(2, receiving_unit=units.commune, procedure=procedure)
    DossierFactory(receiving_unit=units.commune, procedure=procedure, applicant_name="Trần Đức Thắng")
    DossierFactory(receiving_unit=units.other_commune, procedure=procedure)
    # when
    with CaptureQueriesContext(connection) as queries:
        everything = as_receiver.get(f"{API}/dossiers").json()
    # then
    assert everything["count"] == 3
    DossierFactory.create_batch(5, receiving_unit=units.commune, procedure=procedure)
    with CaptureQueriesContext(connection) as more_queries:
        assert as_receiver.get(f"{API}/dossiers").json()["count"] == 8
    assert len(more_queries) == len(queries), "no query per row"
    found = as_receiver.get(f"{API}/dossiers", {"q": "tran duc thang"}).json()
    assert [d["applicant_name"] for d in found["items"]] == ["Trần Đức Thắng"]
    assert as_receiver.get(f"{API}/dossiers", {"unit": units.other_commune.code}).json()["count"] == 0
    assert as_receiver.get(f"{API}/dossiers", {"status": "processing"}).json()["count"] == 0
    assert as_receiver.get(f"{API}/dossiers", {"procedure": "1.001193", "page_size": 2}).json()["count"] == 8
    assert as_receiver.get(f"{API}/dossiers", {"submitted_from": "2024-03-05"}).json()["count"] == 0
    assert as_receiver.get(f"{API}/dossiers", {"submitted_to": "2024-03-04"}).json()["count"] == 8


def test_search_by_id_number_goes_in_a_post_body(as_receiver, units, procedure):
    # given
    DossierFactory(
        receiving_unit=units.commune,
        procedure=procedure,
        applicant_name="Lê Thị Hòa",
        applicant_id_number="030190000456",
    )
    DossierFactory(receiving_unit=units.commune, procedure=procedure)
    DossierFactory(receiving_unit=units.other_commune, applicant_id_number="030190000456")
    # when
    found = post(as_receiver, f"{API}/dossiers/search", {"q": "030190000456"})
    # then: found by ID number, scoped like the list
    assert found.status_code == 200, found.content
    assert [d["applicant_name"] for d in found.json()["items"]] == ["Lê Thị Hòa"]
    both = post(as_receiver, f"{API}/dossiers/search?page_size=1", {"procedure": "1.001193"}).json()
    assert both["count"] == 2 and len(both["items"]) == 1
    assert post(as_receiver, f"{API}/dossiers/search", {"status": "processing"}).json()["count"] == 0
    # a closed body: an unknown filter is refused
    assert post(as_receiver, f"{API}/dossiers/search", {"id_number": "030190000456"}).status_code == 422


@pytest.mark.parametrize("q", ["030190000456", "0912 000 111", "+84912000111", "le thi 0301900004"])
def test_the_get_list_refuses_an_id_number_or_phone_in_the_url(as_receiver, q):
    answer = as_receiver.get(f"{API}/dossiers", {"q": q})
    assert answer.status_code == 400
    assert "POST /api/v1/dossiers/search" in answer.json()["detail"]


def test_the_get_list_still_takes_short_numbers_and_codes(as_receiver, counter_dossier):
    for q in ("2024", counter_dossier.code, "nguyen van an"):
        assert as_receiver.get(f"{API}/dossiers", {"q": q}).status_code == 200, q


def test_the_post_search_needs_the_csrf_token(receiver):
    client = Client(enforce_csrf_checks=True)
    login_with_otp(client, receiver)
    answer = post(client, f"{API}/dossiers/search", {"q": "030190000456"})
    assert answer.status_code == 403 and "CSRF" in answer.json()["detail"]


def test_a_foreign_dossier_is_404_in_vietnamese(as_receiver, units):
    foreign = DossierFactory(receiving_unit=units.other_commune)
    for answer in (
        as_receiver.get(f"{API}/dossiers/{foreign.code}"),
        act(as_receiver, foreign.code, "start"),
        as_receiver.get(f"{API}/dossiers/000.00.00.H00-240101-0001"),
    ):
        assert answer.status_code == 404
        assert answer.json()["detail"].startswith("Không tìm thấy hồ sơ")


# --- actions ------------------------------------------------------------------------------------------


def test_from_the_counter_to_the_returned_result(
    clock, as_receiver, as_specialist, as_leader, signed_in, district_specialist, units, procedure
):
    code = post(
        as_receiver, f"{API}/dossiers", create_body(units), **{"Idempotency-Key": "k-story-1"}
    ).json()["code"]
    assert act(as_receiver, code, "start", expected_version=1).json()["status"] == "processing"
    # consultation of the district justice office, answered there
    consulted = act(
        as_specialist, code, "consult", unit=units.justice_office.code, question="Ý kiến?", hours=4
    )
    assert consulted.status_code == 200, consulted.content
    steps = as_specialist.get(f"{API}/dossiers/{code}").json()["steps"]
    question = next(s for s in steps if s["kind"] == "consultation")
    assert (
        act(as_specialist, code, "answer-consultation", step_id=question["id"], answer="x").status_code == 403
    )
    answered = act(
        signed_in(district_specialist), code, "answer-consultation", step_id=question["id"], answer="Đồng ý"
    )
    assert answered.status_code == 200, answered.content
    # the two specialist steps, then the leader approves
    assert act(as_specialist, code, "forward", note="Đủ điều kiện").status_code == 200
    assert act(as_specialist, code, "forward").status_code == 200
    recorded = act(
        as_specialist, code, "record-result", number="12/2024", signed_on="2024-03-04", signer="Vũ Quang Huy"
    )
    assert recorded.status_code == 200, recorded.content
    assert act(as_specialist, code, "mark-processed").status_code == 403  # visible, not theirs
    processed = act(as_leader, code, "mark-processed", note="Duyệt")
    assert processed.json()["status"] == "processed" and processed.json()["verdict"] == "early"
    assert act(as_receiver, code, "announce-early-return", message="Mời nhận sớm").status_code == 200
    returned = act(as_receiver, code, "return-result", delivery="counter")
    assert returned.status_code == 200 and returned.json()["status"] == "returned"
    # closed: every action is refused with the reason
    closed = act(as_receiver, code, "withdraw", reason="x", written_request="Đơn số 1")
    assert closed.status_code == 422 and "đã kết thúc" in closed.json()["detail"]
    dossier = Dossier.objects.get(code=code)
    assert dossier.version == DossierEvent.objects.filter(dossier=dossier).count()


def test_online_dossier_sent_back_then_received(clock, as_receiver, units, procedure):
    code = post(
        as_receiver, f"{API}/dossiers", create_body(units, channel=2), **{"Idempotency-Key": "k-online-2"}
    ).json()["code"]
    back = act(
        as_receiver, code, "return-for-supplement", items=[{"name": "Giấy chứng sinh", "reason": "mờ"}]
    )
    assert back.json()["status"] == "intake_supplement"
    assert (
        act(as_receiver, code, "complete-supplement", components=[{"name": "Giấy chứng sinh"}]).status_code
        == 200
    )
    received = act(as_receiver, code, "receive")
    assert received.status_code == 200 and received.json()["status"] == "received"


def test_exceptions_payment_and_apology(clock, counter_dossier, as_receiver, as_specialist, as_leader):
    code = counter_dossier.code
    act(as_receiver, code, "start")
    assert act(as_specialist, code, "request-supplement", items=[{"name": "Tờ khai"}]).json()["status"] == (
        "awaiting_supplement"
    )
    assert act(as_receiver, code, "complete-supplement", note="Đã nộp").json()["status"] == "processing"
    assert act(as_specialist, code, "suspend", reason="Chờ xác minh").json()["status"] == "suspended"
    assert act(as_specialist, code, "resume").json()["status"] == "processing"
    assert act(as_receiver, code, "request-payment", amount_vnd=8000).json()["status"] == "awaiting_payment"
    wrong = act(as_receiver, code, "record-payment", amount_vnd=5000)
    assert wrong.status_code == 422 and "8.000" in wrong.json()["detail"]
    assert act(as_receiver, code, "record-payment", amount_vnd=8000, receipt_number="BL-1").status_code == 200
    later = act(
        as_leader, code, "reschedule", new_due_at="2024-03-12T17:00:00+07:00", reason="Cần xác minh thêm"
    )
    assert later.status_code == 200 and later.json()["reschedule_count"] == 1
    again = act(as_leader, code, "reschedule", new_due_at="2024-03-13T17:00:00+07:00", reason="Lần hai")
    assert again.status_code == 422 and "một lần" in again.json()["detail"]
    assert act(as_leader, code, "reject", reasons=["Không đủ điều kiện"]).json()["status"] == "rejected"


def test_return_step_stop_and_liên_thông(
    clock, counter_dossier, as_receiver, as_specialist, as_leader, units
):
    code = counter_dossier.code
    act(as_receiver, code, "start")
    act(as_specialist, code, "forward")
    assert act(as_specialist, code, "return-step", reason="Thiếu căn cứ").status_code == 200
    sent = act(as_specialist, code, "send-inter-unit", unit=units.district.code, task="Cấp bản sao", hours=8)
    assert sent.status_code == 200, sent.content
    step = next(
        s for s in as_specialist.get(f"{API}/dossiers/{code}").json()["steps"] if s["kind"] == "inter_unit"
    )
    assert act(as_specialist, code, "complete-inter-unit", step_id=step["id"], result="x").status_code == 403
    assert act(as_specialist, code, "stop", reason="x").status_code == 403
    assert act(as_leader, code, "stop", reason="Người dân không bổ sung").json()["status"] == "stopped"


def test_a_stale_version_is_409_with_the_current_state(clock, counter_dossier, as_receiver, as_leader):
    code = counter_dossier.code
    assert act(as_receiver, code, "start", expected_version=1).status_code == 200
    lost = act(as_leader, code, "withdraw", reason="x", written_request="Đơn ngày 4/3", expected_version=1)
    assert lost.status_code == 409
    assert lost.json()["status"] == "processing" and lost.json()["version"] == 2
    assert "Đang xử lý" in lost.json()["detail"]


def test_a_refused_transition_is_422(clock, counter_dossier, as_receiver):
    answer = act(as_receiver, counter_dossier.code, "receive")
    assert answer.status_code == 422
    assert "Không thể chuyển hồ sơ" in answer.json()["detail"]


@pytest.mark.parametrize(
    "extra", [{"status": "processed"}, {"fee_paid": True}, {"assignee": "lanhdao"}, {"version": 9}]
)
def test_mass_assignment_is_refused(clock, counter_dossier, as_receiver, extra):
    answer = act(as_receiver, counter_dossier.code, "start", **extra)
    assert answer.status_code == 422
    counter_dossier.refresh_from_db()
    assert (counter_dossier.status, counter_dossier.version) == (Status.RECEIVED, 1)


def test_a_step_of_another_dossier_is_refused(clock, counter_dossier, as_receiver, as_specialist, units):
    other = DossierFactory(receiving_unit=units.commune, processing=True)
    from motcua.dossiers.tests.factories import DossierStepFactory

    foreign_step = DossierStepFactory(dossier=other, kind="consultation")
    act(as_receiver, counter_dossier.code, "start")
    answer = act(
        as_specialist, counter_dossier.code, "answer-consultation", step_id=foreign_step.pk, answer="x"
    )
    assert answer.status_code == 422 and "step_id" in answer.json()["detail"]


def test_openapi_documents_every_dossier_endpoint(client):
    schema = client.get(f"{API}/openapi.json").json()
    paths = schema["paths"]
    assert {"/api/v1/appointment", "/api/v1/dossiers", "/api/v1/dossiers/{code}"} <= set(paths)
    assert set(paths["/api/v1/dossiers"]) == {"get", "post"}
    actions = [p for p in paths if "/actions/" in p]
    assert len(actions) == 23
    for path in actions:
        operation = paths[path]["post"]
        assert operation["summary"] and operation["requestBody"]
        assert {"200", "403", "404", "409", "422"} <= set(operation["responses"])
    create = paths["/api/v1/dossiers"]["post"]
    assert any(p["name"] == "Idempotency-Key" for p in create["parameters"])
