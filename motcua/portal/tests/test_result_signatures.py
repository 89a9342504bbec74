"""The signature of the electronic result as the applicant and the public see it: "Hồ sơ của tôi", the
public lookup, the check by dossier code on /kiem-tra-chu-ky/ and POST /api/v1/verify; downloads refuse
a result changed on disk (issue 5, items 3 and 4)."""

import re

import pytest
from django.urls import reverse

from motcua.dossiers import services
from motcua.dossiers.services.forms_signing import sign_form
from motcua.dossiers.services.results import sign_result
from motcua.dossiers.tests import conftest as shared
from motcua.dossiers.tests.signing_support import PHONE, processing_dossier, record_pdf_result

pytestmark = pytest.mark.django_db

# Fixtures shared with the dossier tests (no conftest of our own: this folder is shared).
applicant = shared.applicant
leader = shared.leader
procedure = shared.procedure
receiver = shared.receiver
specialist = shared.specialist
units = shared.units

VERIFY = reverse("portal:verify_signature")
API = reverse("api:verify_pdf")
GENERIC = "Không tìm thấy hồ sơ khớp với thông tin đã nhập"


@pytest.fixture(autouse=True)
def _settings(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path
    settings.MOTCUA_PROXY_COUNT = 0


@pytest.fixture
def signed(units, procedure, applicant, specialist, leader, receiver, officer_keys):  # type: ignore[no-untyped-def]
    """A processed dossier whose result the leader signed, and its receipt signed by the receiver."""
    officer_keys.enrol(leader, units.commune.name)
    officer_keys.enrol(receiver, units.commune.name)
    d = record_pdf_result(processing_dossier(units.commune, procedure, applicant), specialist)
    sign_result(dossier_id=d.pk, by=leader)
    sign_form(dossier_id=d.pk, form="01", by=receiver)
    return services.mark_processed(dossier_id=d.pk, by=leader)


def tamper(dossier) -> None:  # type: ignore[no-untyped-def]
    with open(dossier.result_file.path, "r+b") as handle:
        content = handle.read()
        at = content.index(b"Giay xac nhan")
        handle.seek(at)
        handle.write(b"G1ay")


def test_the_applicant_sees_who_signed_and_that_it_is_valid(client, signed, applicant, leader):  # type: ignore[no-untyped-def]
    client.force_login(applicant)

    html = client.get(reverse("portal:my_dossier", args=[signed.code])).content.decode()

    assert f"Kết quả điện tử đã ký số bởi {leader.full_name}" in html
    assert "chữ ký hợp lệ" in html
    assert client.get(reverse("portal:my_result_file", args=[signed.code])).status_code == 200


def test_a_tampered_result_is_not_downloaded_and_shows_invalid(client, signed, applicant):  # type: ignore[no-untyped-def]
    tamper(signed)
    client.force_login(applicant)

    assert client.get(reverse("portal:my_result_file", args=[signed.code])).status_code == 409
    assert (
        "chữ ký không hợp lệ" in client.get(reverse("portal:my_dossier", args=[signed.code])).content.decode()
    )


def test_the_public_lookup_shows_the_signature_status(client, signed, leader):  # type: ignore[no-untyped-def]
    response = client.post(reverse("portal:lookup"), {"ma": signed.code, "xac_thuc": PHONE})

    html = response.content.decode()
    assert f"Kết quả điện tử đã ký số bởi {leader.full_name}" in html and "chữ ký hợp lệ" in html
    assert reverse("portal:my_result_file", args=[signed.code]) not in html
    assert signed.applicant_name not in html
    wrong = client.post(
        reverse("portal:lookup"), {"ma": signed.code, "xac_thuc": "0999999999"}
    ).content.decode()
    assert GENERIC in wrong and "ký số bởi" not in wrong


def test_verify_by_dossier_code_shows_the_result_and_the_forms(client, signed, leader, receiver):  # type: ignore[no-untyped-def]
    response = client.post(
        VERIFY, {"kiem_tra": "ma-ho-so", "ma": signed.code, "xac_thuc": signed.applicant_id_number[-4:]}
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "Kết quả giải quyết" in html and "Mẫu 01" in html
    assert leader.full_name in html and receiver.full_name in html
    assert "Không hợp lệ" not in html
    assert signed.applicant_name not in html and signed.phone not in html


def test_verify_by_code_answers_the_same_for_a_wrong_phone_and_an_unknown_code(client, signed):  # type: ignore[no-untyped-def]
    def answer(code: str, factor: str) -> tuple[int, str]:
        response = client.post(VERIFY, {"kiem_tra": "ma-ho-so", "ma": code, "xac_thuc": factor})
        html = response.content.decode().replace(code, "")
        # the per-response nonce and CSRF token aside, the pages must be identical
        return response.status_code, re.sub(r'(nonce|value)="[^"]*"|"X-CSRFToken": "[^"]*"', "", html)

    wrong_phone = answer(signed.code, "0999999999")
    unknown = answer("000.21.10.H56-991231-0001", "0999999999")

    assert wrong_phone == unknown
    assert wrong_phone[0] == 200 and GENERIC in wrong_phone[1]
    assert "Kết quả giải quyết" not in wrong_phone[1]


def test_verify_by_code_is_throttled_like_the_lookup(client, signed, settings):  # type: ignore[no-untyped-def]
    settings.MOTCUA_LOOKUP_CODE_FAILURES = 2
    for _ in range(2):
        assert (
            client.post(
                VERIFY, {"kiem_tra": "ma-ho-so", "ma": signed.code, "xac_thuc": "0999999999"}
            ).status_code
            == 200
        )
    # the limit is shared with the public lookup: it is used up there too
    assert (
        client.post(VERIFY, {"kiem_tra": "ma-ho-so", "ma": signed.code, "xac_thuc": PHONE}).status_code == 429
    )
    assert client.post(reverse("portal:lookup"), {"ma": signed.code, "xac_thuc": PHONE}).status_code == 429


def test_tampered_result_is_reported_invalid_by_code(client, signed):  # type: ignore[no-untyped-def]
    tamper(signed)
    html = client.post(
        VERIFY, {"kiem_tra": "ma-ho-so", "ma": signed.code, "xac_thuc": PHONE}
    ).content.decode()
    assert "Không hợp lệ" in html and "đã bị thay đổi" in html


def test_api_verifies_by_dossier_code(client, signed, leader):  # type: ignore[no-untyped-def]
    response = client.post(API, {"dossier_code": signed.code, "second_factor": PHONE})

    assert response.status_code == 200
    body = response.json()
    assert (
        body["result"]["ok"]
        and body["result"]["signatures"][0]["certificate"]["common_name"] == leader.full_name
    )
    assert [f["form"] for f in body["forms"]] == ["01"] and body["forms"][0]["ok"]
    as_json = client.post(
        API, {"dossier_code": signed.code, "second_factor": PHONE}, content_type="application/json"
    )
    assert as_json.status_code == 200 and as_json.json()["result"]["ok"]
    wrong = client.post(API, {"dossier_code": signed.code, "second_factor": "0999999999"})
    unknown = client.post(API, {"dossier_code": "000.21.10.H56-991231-0001", "second_factor": "0999999999"})
    assert wrong.status_code == unknown.status_code == 404 and wrong.json() == unknown.json()
    missing = client.post(API, {"dossier_code": signed.code})
    assert missing.status_code == 400 and "second_factor" in missing.json()["detail"]
