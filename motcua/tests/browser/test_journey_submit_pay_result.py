"""The main journey in a real browser (issue 4 item 11): an applicant finds a procedure without
diacritics, submits online with a PDF, an officer receives it from the online queue, asks for the fee,
the applicant pays at the sandbox bank (its notice goes over HTTP to the live server), the office records
the result and returns it, and the applicant downloads the result and rates the service.

Receive, the fee request, the result and its return go through the office pages; the internal steps the
issue does not name (start, forward, approval) are service calls, as the office tests already walk them.
"""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from motcua.accounts.tests.factories import PASSWORD, UserFactory
from motcua.dossiers import services
from motcua.dossiers.models import Dossier
from motcua.dossiers.workflow import Status
from motcua.feedback.models import DossierRating
from motcua.payments.models import PaymentOrder, PaymentStatus, ProviderNotice
from motcua.tests.browser.helpers import officer_signs_in, pdf_file, small_pdf

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FEE = "50000"


def test_applicant_submits_pays_receives_the_result_and_rates_it(
    new_page, axe_check, units, procedure, receiver, specialist, leader
):
    citizen = UserFactory(
        full_name="Trần Thị Mai", national_id="030185009876", phone="0912345678", email="mai@example.vn"
    )
    applicant = new_page()

    # finds the procedure from the home page, typed without diacritics
    applicant.goto("/")
    applicant.get_by_role("searchbox", name="Tên hoặc mã thủ tục").fill("dang ky khai sinh")
    applicant.keyboard.press("Enter")
    applicant.wait_for_url(re.compile(r"/thu-tuc/\?q="))
    applicant.get_by_role("link", name="Đăng ký khai sinh").first.click()
    expect(applicant.get_by_role("heading", level=1)).to_contain_text("Đăng ký khai sinh")

    # "Nộp hồ sơ trực tuyến" asks to sign in first, then comes back to the form
    applicant.get_by_role("link", name="Nộp hồ sơ trực tuyến").click()
    applicant.wait_for_url(re.compile(r"/dang-nhap/\?next="))
    applicant.get_by_label("Số định danh, mã số thuế, số điện thoại hoặc thư điện tử").fill("030185009876")
    applicant.get_by_label("Mật khẩu").fill(PASSWORD)
    applicant.get_by_role("button", name="Đăng nhập").click()
    applicant.wait_for_url(f"**/nop-truc-tuyen/{procedure.code}/")
    expect(applicant.get_by_role("heading", level=1)).to_have_text("Nộp hồ sơ trực tuyến")

    # the form knows the account; the applicant adds an address and the required paper (a real PDF)
    expect(applicant.get_by_label("Họ tên người nộp")).to_have_value("Trần Thị Mai")
    applicant.get_by_label("Nộp hồ sơ tới").select_option(label="UBND xã Gia Tân")
    applicant.get_by_label("Địa chỉ liên hệ").fill("Thôn Đông, xã Gia Tân")
    required = procedure.components.get(position=1)
    applicant.locator(f"#id_c{required.pk}-file").set_input_files(pdf_file("to-khai.pdf", small_pdf()))
    applicant.get_by_label("Nhận trực tuyến (tài khoản của người nộp)").check()
    applicant.get_by_role("button", name="Nộp hồ sơ", exact=True).click()
    applicant.wait_for_url("**/ho-so-da-nop/*/")
    expect(applicant.get_by_role("heading", level=1)).to_have_text("Đã nộp hồ sơ trực tuyến")
    dossier = Dossier.objects.get()
    expect(applicant.get_by_role("status")).to_contain_text(dossier.code)
    assert dossier.status == Status.SUBMITTED and dossier.applicant_user == citizen
    axe_check(applicant, "submission done")

    # the receiver signs in with password + TOTP and receives it from the online queue
    office = new_page()
    officer_signs_in(office, receiver)
    office.get_by_role("link", name=re.compile("Hồ sơ trực tuyến", re.I)).first.click()
    expect(office.get_by_role("heading", level=1)).to_have_text("Hồ sơ trực tuyến chờ tiếp nhận")
    row = office.get_by_role("row").filter(has_text=dossier.code)
    expect(row).to_contain_text("Trần Thị Mai")
    row.get_by_role("button", name="Tiếp nhận").click()
    expect(office.get_by_text("Đã tiếp nhận hồ sơ.")).to_be_visible()
    dossier.refresh_from_db()
    assert dossier.status == Status.RECEIVED

    # the internal steps the issue does not list: processing starts, the first step is done
    services.start_processing(dossier_id=dossier.pk, by=receiver)
    services.forward_step(dossier_id=dossier.pk, by=specialist, note="Hồ sơ hợp lệ")

    # the specialist asks for the fee on the dossier page
    specialist_page = new_page()
    officer_signs_in(specialist_page, specialist)
    specialist_page.goto(reverse("office:dossier_detail", args=[dossier.code]))
    specialist_page.get_by_text("Yêu cầu nộp phí, lệ phí", exact=True).first.click()
    specialist_page.get_by_label("Số tiền phải nộp (đồng)").fill(FEE)
    specialist_page.get_by_role("button", name="Yêu cầu nộp phí, lệ phí").click()
    expect(specialist_page.get_by_text("Đã yêu cầu nộp phí, lệ phí.")).to_be_visible()
    dossier.refresh_from_db()
    assert dossier.status == Status.AWAITING_PAYMENT

    # the applicant sees what to do in "Hồ sơ của tôi" and pays at the sandbox bank
    applicant.goto(reverse("portal:my_dossiers"))
    expect(applicant.get_by_text(dossier.code)).to_be_visible()
    expect(applicant.get_by_text("Cần nộp phí, lệ phí", exact=True).last).to_be_visible()
    applicant.get_by_role("link", name="Đăng ký khai sinh").click()
    expect(applicant.get_by_role("status")).to_contain_text("50.000")
    applicant.get_by_role("link", name="Thanh toán", exact=True).click()
    axe_check(applicant, "pay page")
    applicant.get_by_label(re.compile("thử nghiệm", re.I)).check()
    applicant.get_by_role("button", name="Thanh toán trực tuyến").click()
    applicant.wait_for_url(re.compile(r"/ngan-hang-thu-nghiem/\?"))
    expect(applicant.get_by_role("heading", level=1)).to_have_text("Ngân hàng thử nghiệm")
    expect(applicant.get_by_text("50.000 đồng")).to_be_visible()
    axe_check(applicant, "sandbox bank page")
    applicant.get_by_role("button", name="Thanh toán", exact=True).click()
    applicant.wait_for_url("**/thanh-toan/giao-dich/**")
    expect(applicant.get_by_text("Đã thanh toán").first).to_be_visible()
    axe_check(applicant, "payment return")
    # paid by the bank's signed notice, over HTTP, not by the browser's return
    notice = ProviderNotice.objects.get()
    assert notice.is_signature_valid and notice.result == "applied"
    assert PaymentOrder.objects.get().status == PaymentStatus.PAID
    dossier.refresh_from_db()
    assert dossier.status == Status.PROCESSING and dossier.is_paid_online

    # the specialist records the result with its file on the dossier page
    specialist_page.reload()
    specialist_page.get_by_text("Ghi nhận kết quả giải quyết", exact=True).first.click()
    specialist_page.get_by_label("Số kết quả").fill("15/2026/KS")
    specialist_page.get_by_label("Người ký").fill("Vũ Quang Huy")
    specialist_page.get_by_label("Tệp kết quả (PDF, JPEG, PNG)").set_input_files(
        pdf_file("giay-khai-sinh.pdf", small_pdf("Giay khai sinh so 15/2026/KS"))
    )
    specialist_page.get_by_role("button", name="Ghi nhận kết quả giải quyết").click()
    expect(specialist_page.get_by_text("Đã ghi nhận kết quả giải quyết.")).to_be_visible()

    # the draft step and the leader's approval (not named by the issue): services
    services.forward_step(dossier_id=dossier.pk, by=specialist, note="Đã dự thảo", next_assignee=leader)
    services.mark_processed(dossier_id=dossier.pk, by=leader)

    # the receiver returns the result on the dossier page
    office.goto(reverse("office:dossier_detail", args=[dossier.code]))
    office.get_by_text("Trả kết quả", exact=True).first.click()
    office.get_by_role("button", name="Trả kết quả", exact=True).click()
    expect(office.get_by_text("Đã trả kết quả. Hồ sơ kết thúc.")).to_be_visible()
    dossier.refresh_from_db()
    assert dossier.status == Status.RETURNED

    # the applicant finds the result in "Hồ sơ của tôi", downloads it and rates the service
    applicant.goto(reverse("portal:my_dossiers"))
    expect(applicant.get_by_text(dossier.code)).to_be_visible()
    expect(applicant.get_by_text("Đã trả kết quả").first).to_be_visible()
    axe_check(applicant, "my dossiers")
    applicant.get_by_role("link", name="Đăng ký khai sinh").click()
    expect(applicant.get_by_role("heading", name="Kết quả giải quyết")).to_be_visible()
    expect(applicant.get_by_text("Số 15/2026/KS")).to_be_visible()
    with applicant.expect_download() as download_info:
        applicant.get_by_role("link", name="Tải kết quả").click()
    download = download_info.value
    assert download.suggested_filename == f"{dossier.code}-ket-qua.pdf"
    with open(download.path(), "rb") as result:
        assert result.read(5) == b"%PDF-"
    axe_check(applicant, "dossier detail (returned)")

    applicant.get_by_role("link", name=re.compile("Đánh giá", re.I)).first.click()
    axe_check(applicant, "rating page")
    applicant.get_by_label("Rất hài lòng").check()
    applicant.get_by_label(re.compile("^Trả kết quả sớm hơn ngày hẹn")).check()
    applicant.get_by_label(re.compile("^Không phải liên hệ lần nào")).check()
    applicant.get_by_label(re.compile("^Chỉ liên hệ Bộ phận Một cửa")).check()
    applicant.get_by_label(re.compile("^Tận tình, chu đáo")).check()
    applicant.get_by_role("button", name="Gửi đánh giá").click()
    expect(
        applicant.get_by_text(f"Cảm ơn ông/bà đã đánh giá việc giải quyết hồ sơ {dossier.code}.")
    ).to_be_visible()
    rating = DossierRating.objects.get(dossier=dossier)
    assert (rating.index_1, rating.index_3, rating.index_4, rating.index_7) == (2, 2, 1, 2)
