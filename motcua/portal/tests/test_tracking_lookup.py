"""The public status lookup: code + second factor, one generic answer for every mismatch, throttled
per client address and per code, reached from the QR code of receipt form 01."""

import datetime as dt
from urllib.parse import urlsplit

import pytest
from django.urls import resolve, reverse

from motcua.core.models import ThrottleCounter
from motcua.dossiers import services
from motcua.dossiers.pdf.forms import lookup_url
from motcua.dossiers.services import MissingItem
from motcua.dossiers.tests import conftest as shared

pytestmark = pytest.mark.django_db

# Fixtures shared with the dossier tests (no conftest of our own: this folder is shared).
applicant = shared.applicant
clock = shared.clock
counter_dossier = shared.counter_dossier
leader = shared.leader
other_applicant = shared.other_applicant
papers = shared.papers
person = shared.person
procedure = shared.procedure
receiver = shared.receiver
specialist = shared.specialist
units = shared.units

LOOKUP = reverse("portal:lookup")
GENERIC = "Không tìm thấy hồ sơ khớp với thông tin đã nhập"
WAIT = "quá nhiều lần"


@pytest.fixture(autouse=True)
def _small_limits(settings):  # type: ignore[no-untyped-def]
    settings.MOTCUA_LOOKUP_IP_FAILURES = 4
    settings.MOTCUA_LOOKUP_IP_WINDOW_MINUTES = 15
    settings.MOTCUA_LOOKUP_CODE_FAILURES = 3
    settings.MOTCUA_LOOKUP_CODE_WINDOW_MINUTES = 60
    settings.MOTCUA_PROXY_COUNT = 0


def look(client, code: str, factor: str, ip: str = "203.0.113.10"):  # type: ignore[no-untyped-def]
    return client.post(LOOKUP, {"ma": code, "xac_thuc": factor}, REMOTE_ADDR=ip)


def html(response) -> str:  # type: ignore[no-untyped-def]
    return response.content.decode()


def test_the_qr_address_of_form_01_opens_the_lookup_with_the_code_filled_in(client, counter_dossier):
    # given: the address form 01 prints and encodes in its QR code
    url = urlsplit(lookup_url(counter_dossier.code))

    # when
    response = client.get(f"{url.path}?{url.query}")

    # then: our page, the code prefilled, the second factor asked for, sent by POST
    assert resolve(url.path).view_name == "portal:lookup"
    assert response.status_code == 200
    assert f'value="{counter_dossier.code}"' in html(response)
    assert 'name="xac_thuc"' in html(response)
    assert 'method="post"' in html(response)
    assert response["Cache-Control"].startswith("max-age=0")


def test_lookup_with_the_phone_number_shows_status_appointment_and_timeline(client, counter_dossier):
    response = look(client, counter_dossier.code.lower(), "0912 000 111")

    page = html(response)
    assert response.status_code == 200
    assert response.context["dossier"] == counter_dossier
    assert "Đã tiếp nhận, chờ giải quyết" in page
    assert "Ngày hẹn trả kết quả" in page
    assert "17:00 06/03/2024" in page or "08:00 07/03/2024" in page  # the appointment, local time
    assert "UBND xã Gia Tân đã tiếp nhận hồ sơ" in page


def test_lookup_with_the_last_four_digits_of_the_id_number(client, counter_dossier):
    response = look(client, counter_dossier.code, "0123")

    assert response.status_code == 200
    assert response.context["dossier"] == counter_dossier


def test_international_phone_form_matches_too(client, counter_dossier):
    response = look(client, counter_dossier.code, "+84 912 000 111")

    assert response.context["dossier"] == counter_dossier


def test_the_page_shows_no_personal_data_and_no_officer_names(client, counter_dossier, receiver):
    page = html(look(client, counter_dossier.code, "0123"))

    for secret in ("Nguyễn Văn An", "030090000123", "0912000111", "Thôn Đông", receiver.full_name):
        assert secret not in page


def test_wrong_factor_and_unknown_code_get_the_same_generic_answer(client, counter_dossier):
    wrong_phone = look(client, counter_dossier.code, "0987654321")
    wrong_id = look(client, counter_dossier.code, "9999", ip="203.0.113.11")
    unknown = look(client, "000.21.10.H56-240304-9999", "0123", ip="203.0.113.12")

    for response in (wrong_phone, wrong_id, unknown):
        assert response.status_code == 200
        assert GENERIC in html(response)
        assert "dossier" not in response.context or response.context["dossier"] is None
    assert "Đã tiếp nhận" not in html(wrong_phone)


def test_a_dossier_without_a_phone_never_matches_by_phone(client, counter_dossier):
    counter_dossier.phone = ""
    counter_dossier.save(update_fields=["phone"])

    assert GENERIC in html(look(client, counter_dossier.code, "0912000111"))


@pytest.mark.parametrize(
    ("code", "factor", "field", "message"),
    [
        ("", "0123", "ma", "Hãy nhập mã hồ sơ"),
        ("X", "", "xac_thuc", "Hãy nhập số điện thoại"),
        ("X", "12", "xac_thuc", "Nhập đúng 4 chữ số cuối"),
        ("X", "abcd", "xac_thuc", "Nhập đúng 4 chữ số cuối"),
    ],
)
def test_bad_input_is_named_next_to_its_field_and_kept(client, code, factor, field, message):
    response = client.post(LOOKUP, {"ma": code, "xac_thuc": factor})

    assert response.status_code == 400
    assert message in response.context["form"].errors[field][0]
    assert f'id="id_{field}_error"' in html(response)
    if code:
        assert f'value="{code}"' in html(response)
    assert not ThrottleCounter.objects.exists()  # a typo in the format is not a guess


def test_get_never_looks_anything_up_even_with_a_factor_in_the_url(client, counter_dossier):
    response = client.get(LOOKUP, {"ma": counter_dossier.code, "xac_thuc": "0123"})

    assert response.status_code == 200
    assert response.context.get("dossier") is None


# --- throttling ----------------------------------------------------------------------------------------


def test_too_many_failures_on_one_code_lock_that_code_from_every_address(
    client, counter_dossier, receiver, papers
):
    # given: three wrong guesses at the code, from three addresses
    for i in range(3):
        look(client, counter_dossier.code, f"{1000 + i}", ip=f"198.51.100.{i + 1}")

    # when: even the right answer, from a fresh address
    locked = look(client, counter_dossier.code, "0123", ip="198.51.100.50")

    # then
    assert locked.status_code == 429
    assert WAIT in html(locked)
    assert locked.context.get("dossier") is None
    # another code is not affected
    other = services.receive_at_counter(
        by=receiver,
        procedure=counter_dossier.procedure,
        receiving_unit=counter_dossier.receiving_unit,
        applicant=services.ApplicantInput(name="Lê Văn Bình", id_number="030090000777", phone="0900000777"),
        components=papers,
    )
    assert look(client, other.code, "0777", ip="198.51.100.50").status_code == 200


def test_too_many_failures_from_one_address_lock_that_address_only(client, counter_dossier):
    # given: four wrong guesses, each at a different (unknown) code, from one address
    for i in range(4):
        look(client, f"000.21.10.H56-240304-{9000 + i}", "0123", ip="192.0.2.7")

    # when / then: that address is told to wait, even with a right pair
    locked = look(client, counter_dossier.code, "0123", ip="192.0.2.7")
    assert locked.status_code == 429
    assert WAIT in html(locked)
    # another address is not
    assert look(client, counter_dossier.code, "0123", ip="192.0.2.8").status_code == 200


def test_unknown_and_existing_codes_are_throttled_alike(client, counter_dossier):
    for i in range(3):
        look(client, "000.21.10.H56-240304-9999", f"{1000 + i}", ip=f"198.51.100.{i + 1}")

    assert look(client, "000.21.10.H56-240304-9999", "0123", ip="198.51.100.60").status_code == 429


def test_a_successful_lookup_does_not_use_up_the_allowance(client, counter_dossier):
    for _ in range(10):
        assert look(client, counter_dossier.code, "0123").status_code == 200

    assert look(client, counter_dossier.code, "0000").status_code == 200  # a failure, still allowed


def test_the_lock_ends_with_its_window(client, counter_dossier, clock):
    for i in range(3):
        look(client, counter_dossier.code, f"{1000 + i}", ip=f"198.51.100.{i + 1}")
    assert look(client, counter_dossier.code, "0123").status_code == 429

    clock.shift(dt.timedelta(minutes=61))

    assert look(client, counter_dossier.code, "0123").status_code == 200


def test_the_throttle_table_holds_no_code_and_no_address(client, counter_dossier):
    look(client, counter_dossier.code, "0000", ip="203.0.113.99")

    stored = " ".join(f"{r.scope} {r.key_hash}" for r in ThrottleCounter.objects.all())
    assert ThrottleCounter.objects.count() == 2
    assert counter_dossier.code not in stored
    assert "203.0.113.99" not in stored


# --- the plain timeline ----------------------------------------------------------------------------------


@pytest.fixture
def busy_dossier(counter_dossier, receiver, specialist, units):  # type: ignore[no-untyped-def]
    """Processed for a while: internal notes, a consultation question, a suspension, then a request for
    a missing paper."""
    d = counter_dossier
    services.start_processing(dossier_id=d.pk, by=receiver)
    services.forward_step(dossier_id=d.pk, by=specialist, note="GHI CHÚ NỘI BỘ chờ anh Tuấn")
    services.consult_unit(
        dossier_id=d.pk, by=specialist, unit=units.justice_office, question="CÂU HỎI NỘI BỘ QQQ", hours=8
    )
    services.suspend(dossier_id=d.pk, by=specialist, reason="LÝ DO NỘI BỘ XYZ")
    services.resume(dossier_id=d.pk, by=specialist, note="NỘI BỘ ABC")
    services.request_supplement(
        dossier_id=d.pk, by=specialist, items=[MissingItem("Giấy chứng sinh", "Bản chụp bị mờ")]
    )
    return d


def test_the_timeline_tells_what_matters_and_hides_internal_notes(client, busy_dossier, receiver, specialist):
    page = html(look(client, busy_dossier.code, "0123"))

    # what the applicant must know
    assert "Cần bổ sung hồ sơ" in page
    assert "Giấy chứng sinh (Bản chụp bị mờ)" in page
    assert "Việc bạn cần làm" in page
    assert "Tạm dừng giải quyết hồ sơ" in page
    assert "Phòng Tư pháp huyện Gia Lộc" in page  # the body consulted, by name
    # what stays inside the office
    for internal in ("GHI CHÚ NỘI BỘ", "QQQ", "XYZ", "ABC", receiver.full_name, specialist.full_name):
        assert internal not in page
    assert "Quá hạn" not in page and "Đúng hạn" not in page  # step verdicts are internal
