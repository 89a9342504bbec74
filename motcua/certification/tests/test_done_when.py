"""Issue 5, "done when": a justice officer certifies a 5-page copy (fee 7,000 đ) that lands in the
electronic book; the chair signs; the signature validates and a flipped byte makes it invalid; the copy
lands in the requester's data store. Walked through the office pages, as a new user would."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image, ImageDraw

from motcua.certification.models import BookKind, Certification, CertificationStatus
from motcua.certification.tests.test_office_pages import sign_in
from motcua.core.numbering import LOCAL_TZ
from motcua.documents.models import StoredKind
from motcua.documents.store import documents_of
from motcua.documents.verification import verify_pdf
from motcua.payments.models import PaymentOrder

pytestmark = pytest.mark.django_db


def scanned_original(pages: int) -> bytes:
    """What a scanner gives: one grey-scale image per page of the paper original, as a PDF."""
    images = []
    for number in range(1, pages + 1):
        image = Image.new("L", (620, 877), color=250)  # A4 at 75 dpi
        draw = ImageDraw.Draw(image)
        draw.text((60, 60), f"BANG TOT NGHIEP - trang {number}/{pages}", fill=20)
        draw.rectangle((50, 50, 570, 827), outline=60)
        images.append(image)
    out = io.BytesIO()
    images[0].save(out, "PDF", resolution=75, save_all=True, append_images=images[1:])
    return out.getvalue()


def test_a_five_page_copy_is_certified_signed_verified_and_stored(
    client, units, justice_officer, leader, officer_keys
):
    officer_keys.enrol(leader, units.commune.name)

    # the justice officer receives the original and its 5-page scan
    sign_in(client, justice_officer)
    response = client.post(
        reverse("office:certification_receive"),
        {
            "requester_name": "Nguyễn Văn An",
            "requester_id_number": "030090000123",
            "document_name": "Bằng tốt nghiệp trung học phổ thông",
            "copies": "1",
            "kind": BookKind.ELECTRONIC_COPY,
            "scan": SimpleUploadedFile("scan.pdf", scanned_original(5), content_type="application/pdf"),
        },
    )
    assert response.status_code == 302
    c = Certification.objects.get()
    assert (c.pages, c.fee_vnd) == (5, 7_000)
    detail = reverse("office:certification_detail", args=[c.public_id])
    assert 'data-fee="unpaid"' in client.get(detail).content.decode()

    # the fee is taken in cash at the counter: a numbered receipt
    assert (
        client.post(reverse("office:certification_pay", args=[c.public_id]), {"method": "cash"}).status_code
        == 302
    )
    c.refresh_from_db()
    order = PaymentOrder.objects.get(subject_ref=c.subject_ref)
    assert c.is_paid and order.amount_vnd == 7_000 and c.receipt_number == order.receipt.number
    receipt = client.get(reverse("office:certification_receipt", args=[c.public_id]))
    assert receipt.status_code == 200 and receipt.content.startswith(b"%PDF")
    assert 'data-fee="paid"' in client.get(detail).content.decode()

    # the chair certifies: the electronic book, number 1 of the year
    client.logout()
    sign_in(client, leader)
    response = client.post(reverse("office:certification_approve", args=[c.public_id]), {"title": "Chủ tịch"})
    assert response.status_code == 302
    c.refresh_from_db()
    year = c.approved_at.astimezone(LOCAL_TZ).year
    assert (c.book.kind, c.number, c.number_label) == (
        BookKind.ELECTRONIC_COPY,
        1,
        f"1, quyển số 01/{year}-SCTĐT/BS",
    )

    # ... and signs digitally
    page = client.get(detail).content.decode()
    assert "Ký số" in page and reverse("office:certification_sign", args=[c.public_id]) in page
    assert client.post(reverse("office:certification_sign", args=[c.public_id])).status_code == 302
    c.refresh_from_db()
    assert c.status == CertificationStatus.SIGNED

    # the downloaded copy validates, signed by the chair; a flipped byte makes it invalid
    download = client.get(reverse("office:certification_pdf", args=[c.public_id]))
    signed = b"".join(download.streaming_content)
    report = verify_pdf(signed)
    assert report.ok and report.signatures[0].certificate.common_name == leader.full_name
    flipped = bytearray(signed)
    flipped[len(signed) // 4] ^= 0x01  # inside the scanned pages, covered by the signature
    assert not verify_pdf(bytes(flipped)).ok

    # the justice officer places it in the requester's data store
    client.logout()
    sign_in(client, justice_officer)
    assert "Đưa vào kho dữ liệu" in client.get(detail).content.decode()
    assert client.post(reverse("office:certification_store", args=[c.public_id])).status_code == 302
    c.refresh_from_db()
    (document,) = documents_of("030090000123")
    assert c.in_data_store_at is not None and document.kind == StoredKind.CERTIFIED_COPY
    assert document.file.read() == signed
    assert "Đưa vào kho dữ liệu" not in client.get(detail).content.decode()
