"""The office pages of copy certification: receive → review → certify → download; the book."""

import io

import pypdf
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from motcua.accounts.middleware import LAST_SEEN_KEY
from motcua.certification.models import Certification, CertificationStatus
from motcua.certification.tests.conftest import scan_pdf
from motcua.conftest import login_with_otp
from motcua.dossiers.tests.conftest import local

pytestmark = pytest.mark.django_db


def sign_in(client, user):
    """Sign an officer in with a second factor (the office pages pick the unit where the officer holds
    the role; this app may not import the office's test helpers: layers)."""
    login_with_otp(client, user)
    session = client.session
    session.pop(LAST_SEEN_KEY, None)  # the clock moves between steps: start a fresh idle period
    session.save()
    return client


def form(**changes):
    return {
        "requester_name": "Nguyễn Văn An",
        "requester_id_number": "030090000123",
        "document_name": "Giấy khai sinh",
        "copies": "2",
        "kind": "electronic_copy",
        "scan": SimpleUploadedFile("scan.pdf", scan_pdf(3), content_type="application/pdf"),
        **changes,
    }


def test_receive_certify_download_and_print_the_book(client, clock, units, justice_officer, leader):
    clock.move_to(local(2024, 3, 4, 15, 30))
    sign_in(client, justice_officer)
    assert client.get(reverse("office:certification_receive")).status_code == 200
    response = client.post(reverse("office:certification_receive"), form())
    c = Certification.objects.get()
    assert response.status_code == 302 and response.url == reverse(
        "office:certification_detail", args=[c.public_id]
    )
    assert "030090000123" not in response.url and "An" not in response.url
    assert (c.pages, c.fee_vnd, c.due_at) == (3, 10_000, local(2024, 3, 5, 17, 0))
    # the justice officer may not certify
    assert (
        client.post(
            reverse("office:certification_approve", args=[c.public_id]), {"title": "Chủ tịch"}
        ).status_code
        == 403
    )

    client.logout()
    sign_in(client, leader)
    page = client.get(reverse("office:certification_detail", args=[c.public_id]))
    assert "Chứng thực và cấp số" in page.content.decode()
    # the leader may not receive
    assert client.post(reverse("office:certification_receive"), form()).status_code == 403
    response = client.post(
        reverse("office:certification_approve", args=[c.public_id]), {"title": "Phó Chủ tịch"}
    )
    assert response.status_code == 302
    c.refresh_from_db()
    assert (c.status, c.number, c.approver) == (CertificationStatus.CERTIFIED, 1, leader)

    pdf = client.get(reverse("office:certification_pdf", args=[c.public_id]))
    assert pdf["Content-Type"] == "application/pdf" and pdf["Cache-Control"] == "private, no-store"
    assert pdf["Content-Disposition"].startswith("attachment")
    last = pypdf.PdfReader(io.BytesIO(b"".join(pdf.streaming_content))).pages[-1].extract_text()
    assert "Chứng thực bản sao đúng với bản chính." in last and "Số chứng thực: 1" in last

    book = client.get(reverse("office:certification_book"), {"kind": "electronic_copy", "month": "2024-03"})
    assert book.status_code == 200 and "Giấy khai sinh" in book.content.decode()
    printed = client.get(
        reverse("office:certification_book_pdf"), {"kind": "electronic_copy", "month": "2024-03"}
    )
    assert (
        printed.status_code == 200
        and "Giấy khai sinh" in pypdf.PdfReader(io.BytesIO(printed.content)).pages[0].extract_text()
    )
    bad = client.get(reverse("office:certification_book"), {"kind": "electronic_copy", "month": "03/2024"})
    assert bad.status_code == 400 and "năm-tháng" in bad.content.decode()


def test_bad_input_keeps_what_was_typed_and_says_which_field(client, clock, units, justice_officer):
    sign_in(client, justice_officer)
    response = client.post(
        reverse("office:certification_receive"),
        form(
            requester_id_number="12",
            scan=SimpleUploadedFile("a.pdf", b"%PDF-broken", content_type="application/pdf"),
        ),
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert "Số định danh" in body and "Bản quét bản chính" in body
    assert 'value="Nguyễn Văn An"' in body and 'value="Giấy khai sinh"' in body
    assert not Certification.objects.exists()


def test_requests_of_another_unit_answer_404(client, clock, units, justice_officer, other_leader):
    sign_in(client, justice_officer)
    client.post(reverse("office:certification_receive"), form())
    c = Certification.objects.get()
    client.logout()
    sign_in(client, other_leader)
    for name in ("office:certification_detail", "office:certification_pdf"):
        assert client.get(reverse(name, args=[c.public_id])).status_code == 404
    assert (
        client.post(
            reverse("office:certification_approve", args=[c.public_id]), {"title": "Chủ tịch"}
        ).status_code
        == 404
    )
    assert "Giấy khai sinh" not in client.get(reverse("office:certification_list")).content.decode()
    c.refresh_from_db()
    assert c.number is None
