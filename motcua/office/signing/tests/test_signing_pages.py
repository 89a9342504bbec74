"""The "Chữ ký số" section of the dossier page: the leader signs the result or certifies it as a copy,
the receiver signs a form; downloads refuse files changed on disk; the report verifies every file."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from motcua.documents.verification import verify_pdf
from motcua.dossiers.models import Dossier, SignedForm
from motcua.dossiers.tests.signing_support import stored

pytestmark = pytest.mark.django_db


def url(name: str, dossier: Dossier, **kwargs: object) -> str:
    return reverse(f"office:{name}", kwargs={"dossier_code": dossier.code, **kwargs})


def page(client, dossier: Dossier) -> str:  # type: ignore[no-untyped-def]
    response = client.get(url("dossier_detail", dossier))
    assert response.status_code == 200
    return str(response.content.decode())


def test_the_leader_signs_the_result_from_the_dossier_page(as_officer, dossier, keys, leader):  # type: ignore[no-untyped-def]
    client = as_officer(leader)
    before = page(client, dossier)
    assert "Kết quả điện tử chưa được ký số" in before
    assert url("dossier_sign_result", dossier) in before

    response = client.post(url("dossier_sign_result", dossier), {"expected_version": dossier.version})

    assert response.status_code == 302
    dossier.refresh_from_db()
    assert dossier.result_signed_by == leader
    report = verify_pdf(stored(dossier.result_file))
    assert report.ok and report.signatures[0].certificate.common_name == leader.full_name  # type: ignore[union-attr]
    assert "Kết quả đã ký số" in page(client, dossier)
    assert url("dossier_sign_result", dossier) not in page(client, dossier)
    signatures = client.get(url("dossier_signatures", dossier))
    assert signatures.status_code == 200
    assert "Hợp lệ" in signatures.content.decode() and leader.full_name in signatures.content.decode()


def test_a_stale_version_is_a_conflict(as_officer, dossier, keys, leader):  # type: ignore[no-untyped-def]
    response = as_officer(leader).post(
        url("dossier_sign_result", dossier), {"expected_version": dossier.version - 1}
    )
    assert response.status_code == 409
    dossier.refresh_from_db()
    assert dossier.result_signed_at is None


def test_only_the_leader_sees_and_uses_the_sign_buttons(as_officer, dossier, keys, specialist):  # type: ignore[no-untyped-def]
    client = as_officer(specialist)
    html = page(client, dossier)
    assert "Chữ ký số" in html
    assert url("dossier_sign_result", dossier) not in html
    assert url("dossier_certify_result_copy", dossier) not in html

    response = client.post(url("dossier_sign_result", dossier), {"expected_version": dossier.version})

    assert response.status_code == 403
    assert "Chỉ lãnh đạo" in response.content.decode()
    dossier.refresh_from_db()
    assert dossier.result_signed_at is None


def test_officers_of_another_unit_get_404(as_officer, dossier, keys, receiver_elsewhere):  # type: ignore[no-untyped-def]
    client = as_officer(receiver_elsewhere)
    assert client.post(url("dossier_sign_form", dossier, number="01")).status_code == 404
    assert client.post(url("dossier_sign_result", dossier)).status_code == 404
    assert client.get(url("dossier_signatures", dossier)).status_code == 404


def test_ky_sao_y_from_the_page(as_officer, dossier, keys, leader):  # type: ignore[no-untyped-def]
    response = as_officer(leader).post(
        url("dossier_certify_result_copy", dossier), {"expected_version": dossier.version}
    )

    assert response.status_code == 302
    dossier.refresh_from_db()
    assert verify_pdf(stored(dossier.result_file)).ok
    assert "Đã ký sao y" in page(as_officer(leader), dossier)


def test_a_result_changed_on_disk_is_not_downloaded(as_officer, dossier, keys, leader):  # type: ignore[no-untyped-def]
    client = as_officer(leader)
    client.post(url("dossier_sign_result", dossier), {"expected_version": dossier.version})
    dossier.refresh_from_db()
    assert client.get(url("dossier_result_file", dossier)).status_code == 200
    with open(dossier.result_file.path, "ab") as handle:
        handle.write(b"%% appended after signing")

    response = client.get(url("dossier_result_file", dossier))

    assert response.status_code == 409


def test_the_receiver_signs_a_form_and_a_flipped_byte_shows(as_officer, dossier, keys, receiver):  # type: ignore[no-untyped-def]
    client = as_officer(receiver)
    assert url("dossier_sign_form", dossier, number="01") in page(client, dossier)

    response = client.post(
        url("dossier_sign_form", dossier, number="01"), {"expected_version": dossier.version}
    )

    assert response.status_code == 302
    row = SignedForm.objects.get(dossier=dossier, form="01")
    download = client.get(url("dossier_signed_form_file", dossier, signed_form_id=row.pk))
    assert download.status_code == 200 and download["Content-Disposition"].startswith("attachment")
    assert b"".join(download.streaming_content) == stored(row.file)
    # a byte flipped on disk: the download is refused and the report says invalid
    content = bytearray(stored(row.file))
    content[content.index(b"/Contents") - 200] ^= 0x01
    name = row.file.name or ""
    row.file.storage.delete(name)
    row.file.storage.save(name, ContentFile(bytes(content)))
    assert client.get(url("dossier_signed_form_file", dossier, signed_form_id=row.pk)).status_code == 409
    report = client.get(url("dossier_signatures", dossier)).content.decode()
    assert "Không hợp lệ" in report and "Mẫu 01" in report


def test_an_unknown_form_is_404(as_officer, dossier, keys, receiver):  # type: ignore[no-untyped-def]
    assert as_officer(receiver).post(url("dossier_sign_form", dossier, number="07")).status_code == 404
