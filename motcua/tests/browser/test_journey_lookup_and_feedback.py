"""The second journey in a real browser: the public status lookup opened from the receipt's QR address
with a second factor, and a PAKN sent by a citizen, answered and published by the unit, then read in
the public list."""

import io
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from motcua.dossiers import services
from motcua.dossiers.pdf.forms import form_01_receipt
from motcua.dossiers.services import ApplicantInput, ComponentInput
from motcua.dossiers.tests.test_forms_pdf import decode_qr_codes
from motcua.feedback.models import Feedback, FeedbackStatus
from motcua.tests.browser.helpers import officer_signs_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def receipt_lookup_address(pdf: bytes, tmp_path: Path) -> str:
    """The address in the QR code of receipt form 01 (decoded from the rendered page when poppler and
    a QR decoder are installed, as in CI), else the same address printed under it."""
    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm:
        (tmp_path / "receipt.pdf").write_bytes(pdf)
        page_image = [
            pdftoppm,
            "-png",
            "-r",
            "150",
            "-singlefile",
            tmp_path / "receipt.pdf",
            tmp_path / "receipt",
        ]
        subprocess.run(page_image, check=True, timeout=60)  # noqa: S603 - fixed arguments, our own file
        decoded = decode_qr_codes(tmp_path / "receipt.png")
        if decoded:
            assert len(decoded) == 1, decoded
            return decoded[0]
    text = re.sub(r"\s+", "", "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages))
    found = re.search(r"http://[\w.:]+/tra-cuu/\?ma=[0-9A-Z.]+-\d{6}-\d{4}", text)
    assert found is not None, text
    return found.group(0)


def test_lookup_from_the_receipt_qr_address_needs_the_second_factor(
    new_page, axe_check, live_server, tmp_path, units, procedure, receiver
):
    paper = procedure.components.get(position=1)
    dossier = services.receive_at_counter(
        by=receiver,
        procedure=procedure,
        receiving_unit=units.commune,
        applicant=ApplicantInput(
            name="Đinh Thị Thu", id_number="030190005678", address="Thôn Bắc, xã Gia Tân", phone="0987654321"
        ),
        components=[ComponentInput(name=paper.name, catalog_component=paper, copy_type=paper.copy_type)],
    )
    address = receipt_lookup_address(form_01_receipt(dossier), tmp_path)
    assert address == f"{live_server.url}/tra-cuu/?ma={dossier.code}"

    visitor = new_page()
    visitor.goto(address)
    expect(visitor.get_by_label("Mã hồ sơ")).to_have_value(dossier.code)
    axe_check(visitor, "lookup")
    second_factor = visitor.get_by_label("Số điện thoại hoặc 4 số cuối số định danh của người nộp")

    # a wrong factor says nothing about the dossier
    second_factor.fill("0912000000")
    visitor.get_by_role("button", name="Tra cứu").click()
    expect(visitor.get_by_role("alert")).to_be_visible()
    expect(visitor.get_by_text("Đinh Thị Thu")).to_have_count(0)
    expect(visitor.get_by_role("heading", name="Kết quả tra cứu")).to_have_count(0)
    axe_check(visitor, "lookup with an error")

    # a malformed factor is named next to the field and announced
    second_factor.fill("12ab")
    visitor.get_by_role("button", name="Tra cứu").click()
    expect(second_factor).to_have_attribute("aria-invalid", "true")
    described = second_factor.get_attribute("aria-describedby") or ""
    assert "_error" in described
    expect(visitor.locator(f"[id='{described.split()[0]}']")).not_to_be_empty()

    # the last 4 digits of the ID number open the plain status, never the person's details
    second_factor.fill("5678")
    visitor.get_by_role("button", name="Tra cứu").click()
    result = visitor.get_by_role("region", name="Kết quả tra cứu")
    expect(result).to_contain_text(dossier.code)
    expect(result).to_contain_text("Đăng ký khai sinh")
    expect(result).to_contain_text("Đã tiếp nhận")
    for private in ("Đinh Thị Thu", "030190005678", "0987654321", "Thôn Bắc"):
        expect(visitor.get_by_text(private)).to_have_count(0)
    axe_check(visitor, "lookup result")
    # the second factor never travels in the address
    assert "5678" not in visitor.url


def test_a_pakn_is_sent_answered_published_and_read_in_the_public_list(
    new_page, axe_check, units, procedure, leader
):
    citizen = new_page()
    citizen.goto("/phan-anh-kien-nghi/gui/")
    axe_check(citizen, "PAKN form")
    citizen.get_by_label("Cơ quan tiếp nhận").select_option(label="UBND xã Gia Tân")
    citizen.get_by_label("Phản ánh về").select_option(label="Thủ tục hành chính, quy định hành chính")
    citizen.get_by_label("Mã thủ tục (nếu có)").fill(procedure.code)
    citizen.get_by_label("Tiêu đề").fill("Thời gian trả kết quả khai sinh")
    citizen.get_by_label("Nội dung phản ánh, kiến nghị").fill(
        "Đề nghị cho biết có thể nhận giấy khai sinh bản điện tử qua tài khoản hay không."
    )
    citizen.get_by_label("Họ và tên").fill("Ngô Văn Nam")
    citizen.get_by_label("Thư điện tử").fill("nam@example.vn")
    citizen.get_by_role("button", name="Gửi phản ánh, kiến nghị").click()
    expect(citizen.get_by_text(re.compile(r"Đã tiếp nhận phản ánh, kiến nghị mã \S+\."))).to_be_visible()
    feedback = Feedback.objects.get()
    expect(citizen.get_by_label("Mã phản ánh, kiến nghị")).to_have_value(feedback.code)
    axe_check(citizen, "PAKN lookup")

    # the commune's leader classifies, answers in writing and publishes
    office = new_page()
    officer_signs_in(office, leader)
    office.goto(f"/can-bo/phan-anh-kien-nghi/{feedback.code}/")
    expect(office.get_by_role("heading", level=1)).to_have_text("Thời gian trả kết quả khai sinh")
    office.get_by_label("Phân loại").select_option(label="Quy định, thủ tục hành chính")
    office.get_by_role("button", name="Lưu phân loại").click()
    expect(office.get_by_text("Đã phân loại phản ánh.")).to_be_visible()
    office.get_by_label("Nội dung văn bản trả lời").fill(
        "Có. Khi nộp trực tuyến, ông/bà chọn nhận kết quả qua tài khoản và tải bản điện tử tại «Hồ sơ của tôi»."
    )
    office.get_by_role("button", name="Trả lời bằng văn bản").click()
    expect(office.get_by_text(re.compile(r"^Đã trả lời phản ánh"))).to_be_visible()
    office.get_by_role("button", name="Duyệt và công khai").click()
    expect(office.get_by_text("Đã công khai câu trả lời.")).to_be_visible()
    feedback.refresh_from_db()
    assert feedback.status == FeedbackStatus.PUBLISHED

    # anyone reads it in the public list, without the sender's details
    citizen.goto("/phan-anh-kien-nghi/")
    axe_check(citizen, "PAKN answers")
    citizen.get_by_role("link", name="Thời gian trả kết quả khai sinh").click()
    expect(citizen.get_by_text("tải bản điện tử tại «Hồ sơ của tôi»")).to_be_visible()
    expect(citizen.get_by_text("Ngô Văn Nam")).to_have_count(0)
    expect(citizen.get_by_text("nam@example.vn")).to_have_count(0)
    axe_check(citizen, "PAKN answer")
    citizen.get_by_role("button", name="Hài lòng", exact=True).click()
    expect(citizen.get_by_text("1 hài lòng · 0 không hài lòng")).to_be_visible()
