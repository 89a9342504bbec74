"""The receipt PDF: Vietnamese text layer with the amount (figures and words), the codes."""

import io

from django.urls import reverse
from pypdf import PdfReader

from motcua.dossiers.services import start_online_payment
from motcua.portal.payments.tests.conftest import FEE, notice


def test_receipt_pdf_after_an_online_payment(as_applicant, applicant, awaiting, post_notice):
    order = start_online_payment(dossier_id=awaiting.pk, by=applicant, provider="sandbox")
    url = reverse("portal:payment_receipt", args=[order.order_id])
    assert as_applicant.get(url).status_code == 404  # not paid yet: no receipt
    post_notice(notice(order.order_id, FEE, txn="SBXRECEIPT1"))
    order.refresh_from_db()
    response = as_applicant.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = " ".join((page.extract_text() or "") for page in PdfReader(io.BytesIO(response.content)).pages)
    text = " ".join(text.split())
    assert "BIÊN LAI THU PHÍ, LỆ PHÍ" in text
    assert "50.000 đồng" in text and "Năm mươi nghìn đồng" in text
    assert awaiting.code in text and order.receipt.number in text and "SBXRECEIPT1" in text
    assert "Đăng ký khai sinh" in text
