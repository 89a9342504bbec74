"""The online submission form in the browser: bad input is explained in Vietnamese next to the field
(and announced), what was typed stays, and the whole form works with the keyboard alone."""

import re
from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from motcua.accounts.tests.factories import PASSWORD, UserFactory
from motcua.dossiers.models import Dossier
from motcua.tests.browser.helpers import pdf_file

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# A Windows program (the "MZ" header of a PE executable) renamed to look like a PDF.
EXE_AS_PDF = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48 + b"This program"


def signed_in_applicant(new_page: Any) -> Any:
    UserFactory(full_name="Lê Văn Bình", national_id="030090004444", phone="0912444444")
    page = new_page()
    page.goto(reverse("portal:login"))
    page.get_by_label("Số định danh, mã số thuế, số điện thoại hoặc thư điện tử").fill("030090004444")
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(re.compile(r"/tai-khoan/|/$|/ho-so-cua-toi/"))
    return page


def described_error(page: Any, field: Any) -> str:
    """The text of the element(s) the field's ``aria-describedby`` points at (what a reader hears)."""
    ids = (field.get_attribute("aria-describedby") or "").split()
    assert ids, "the field in error has no aria-describedby"
    return " ".join(page.locator(f"[id='{i}']").inner_text() for i in ids)


def test_missing_paper_and_hostile_file_are_explained_next_to_the_field(
    new_page, axe_check, units, procedure
):
    page = signed_in_applicant(new_page)
    page.goto(reverse("portal:submission_start", args=[procedure.code]))
    required, optional = procedure.components.order_by("position")
    page.get_by_label("Nộp hồ sơ tới").select_option(label="UBND xã Gia Tân")
    page.get_by_label("Địa chỉ liên hệ").fill("Số 7, ngõ 3, thôn Đông")
    page.get_by_label("Thư điện tử").fill("binh@example.vn")

    # the required paper is missing
    page.get_by_role("button", name="Nộp hồ sơ", exact=True).click()
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("Chưa nộp được hồ sơ")
    expect(summary).to_contain_text(f"còn thiếu {required.name}")
    expect(summary).to_be_focused()  # moved there so it is read out at once
    upload = page.locator(f"#id_c{required.pk}-file")
    expect(upload).to_have_attribute("aria-invalid", "true")
    assert "Giấy tờ bắt buộc: hãy tải tệp lên" in described_error(page, upload)
    expect(page.get_by_label("Địa chỉ liên hệ")).to_have_value("Số 7, ngõ 3, thôn Đông")
    expect(page.get_by_label("Thư điện tử")).to_have_value("binh@example.vn")
    axe_check(page, "submission form with a missing paper")

    # a program renamed .pdf is refused with the paper's name, next to its upload field
    page.locator(f"#id_c{required.pk}-file").set_input_files(pdf_file("to-khai.pdf", EXE_AS_PDF))
    page.get_by_role("button", name="Nộp hồ sơ", exact=True).click()
    field = page.locator(f"#id_c{required.pk}-file")
    expect(field).to_have_attribute("aria-invalid", "true")
    message = described_error(page, field)
    assert "không phải PDF, JPEG hoặc PNG" in message, message
    expect(page.locator(f"#component-{required.pk}")).to_contain_text("không phải PDF, JPEG hoặc PNG")
    expect(page.get_by_role("alert")).to_contain_text(required.name)
    # the link in the summary leads to the field
    page.get_by_role("alert").get_by_role("link", name=required.name).click()
    expect(field).to_be_focused()
    expect(page.get_by_label("Địa chỉ liên hệ")).to_have_value("Số 7, ngõ 3, thôn Đông")
    axe_check(page, "submission form with a refused file")
    assert not Dossier.objects.exists()
    assert optional.pk  # the optional paper is not asked for


def focus_is_visible(page: Any) -> bool:
    """The focused element draws an outline or a focus ring (box-shadow)."""
    return bool(
        page.evaluate(
            """() => {
                const el = document.activeElement;
                if (!el || el === document.body) return true;  // nothing focused yet: nothing to see
                const s = getComputedStyle(el);
                const outline = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0;
                return outline || (s.boxShadow && s.boxShadow !== 'none');
            }"""
        )
    )


def tab_to(page: Any, locator: Any, limit: int = 60) -> None:
    """Press Tab until ``locator`` has the focus, checking on the way that focus is always visible."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        assert focus_is_visible(page), (
            f"focus not visible on {page.evaluate('document.activeElement.outerHTML')[:200]}"
        )
        if locator.evaluate("el => el === document.activeElement"):
            return
    raise AssertionError(f"Tab never reached {locator}")


def open_chooser_with_space(page: Any, upload: Any, attempts: int = 3) -> Any:
    """Space on the focused file input opens the file chooser; the chooser it opened.

    Headless Chromium now and then loses the key that should open the chooser (CI timed out once after
    10 s and once after 30 s, with the focus on the input), so the key is pressed again, up to
    ``attempts`` times, as a user would. The focus must stay on the input throughout and nothing but
    the keyboard opens the chooser, so the test still fails if Space does not open it.
    """
    choosers: list[Any] = []

    def collect(chooser: Any) -> None:
        choosers.append(chooser)

    page.on("filechooser", collect)
    page.evaluate("0")  # a round trip, so the browser intercepts the chooser before the key
    try:
        for _ in range(attempts):
            assert upload.evaluate("el => el === document.activeElement"), "focus left the file input"
            page.keyboard.press("Space")
            for _ in range(40):
                if choosers:
                    return choosers[0]
                page.wait_for_timeout(250)
        raise AssertionError(f"Space on the file input opened no file chooser in {attempts} tries")
    finally:
        page.remove_listener("filechooser", collect)


def test_the_form_is_completed_with_the_keyboard_alone(new_page, units, procedure):
    page = signed_in_applicant(new_page)
    page.goto(reverse("portal:submission_start", args=[procedure.code]))
    required = procedure.components.get(position=1)

    tab_to(page, page.get_by_label("Nộp hồ sơ tới"))
    # a closed <select> takes the arrow keys: the only commune offered after the placeholder
    page.keyboard.press("ArrowDown")
    expect(page.get_by_label("Nộp hồ sơ tới")).not_to_have_value("")
    tab_to(page, page.get_by_label("Địa chỉ liên hệ"))
    page.keyboard.type("Thôn Đoài, xã Gia Tân")
    upload = page.locator(f"#id_c{required.pk}-file")
    tab_to(page, upload)
    open_chooser_with_space(page, upload).set_files(pdf_file("to-khai.pdf"))
    # a radio group is one Tab stop; the arrow keys choose within it
    counter = page.get_by_label("Nhận tại Bộ phận Một cửa")
    tab_to(page, page.locator("input[name=result_delivery]:checked"))
    for _ in range(3):
        if counter.is_checked():
            break
        page.keyboard.press("ArrowDown")
    expect(counter).to_be_checked()
    tab_to(page, page.get_by_role("button", name="Nộp hồ sơ", exact=True))
    page.keyboard.press("Enter")
    page.wait_for_url("**/ho-so-da-nop/*/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Đã nộp hồ sơ trực tuyến")
    dossier = Dossier.objects.get()
    assert dossier.address == "Thôn Đoài, xã Gia Tân" and dossier.result_delivery == "counter"
