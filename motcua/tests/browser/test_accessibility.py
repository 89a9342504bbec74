"""axe-core (WCAG 2.1 A/AA rules) on the portal pages that the journeys do not already check, empty and
with form errors: no finding of impact "serious" or "critical". The journeys check the pages they pass
through (pay page, sandbox bank, my dossiers, dossier detail, rating, lookup, PAKN pages, the submission
form with errors). Errors must also be tied to their fields (``aria-describedby``) or announced."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from motcua.accounts.tests.factories import PASSWORD, UserFactory
from motcua.tests.browser.helpers import assert_errors_linked

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_public_pages(new_page, axe_check, units, procedure):
    page = new_page()
    for url, name in [
        ("/", "home"),
        (reverse("portal:procedure_search") + "?q=dang+ky+khai+sinh", "search results"),
        (reverse("portal:procedure_search") + "?q=khong+co+thu+tuc+nay", "search without results"),
        (reverse("portal:procedure_detail", args=[procedure.code]), "procedure"),
        (reverse("portal:register"), "register"),
        (reverse("portal:password_reset"), "password reset"),
        (reverse("portal:lookup"), "lookup (empty)"),
        (reverse("portal:feedback_track"), "PAKN lookup (empty)"),
        (reverse("portal:feedback_answers"), "PAKN answers (empty)"),
        (reverse("portal:sandbox_bank"), "sandbox bank (landing)"),
    ]:
        response = page.goto(url)
        assert response is not None and response.status == 200, url
        axe_check(page, name)

    # the sign-in page, and its error announced
    page.goto(reverse("portal:login"))
    axe_check(page, "login")
    page.get_by_label("Số định danh, mã số thuế, số điện thoại hoặc thư điện tử").fill("030185000000")
    page.get_by_label("Mật khẩu").fill("sai-mat-khau-2026")
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("alert").first).not_to_be_empty()
    axe_check(page, "login with an error")

    # registration with errors: each named next to its field, tied to it, what was typed kept
    page.goto(reverse("portal:register"))
    page.get_by_label("Số định danh cá nhân (hoặc mã số thuế của tổ chức)").fill("0301")
    page.get_by_label("Họ và tên (hoặc tên tổ chức)").fill("Hồ Thị Xuân")
    page.get_by_label("Số điện thoại di động").fill("0123")
    page.get_by_label("Mật khẩu", exact=True).fill("mot-mat-khau-du-dai-2026")
    page.get_by_label("Nhập lại mật khẩu").fill("khac-han-nhau-2026")
    page.get_by_role("button", name=re.compile("Đăng ký")).last.click()
    expect(page.get_by_role("alert")).to_have_text("Hai lần nhập mật khẩu không khớp nhau.")
    expect(page.get_by_label("Họ và tên (hoặc tên tổ chức)")).to_have_value("Hồ Thị Xuân")
    assert assert_errors_linked(page) >= 1
    axe_check(page, "register with an error")
    page.get_by_label("Mật khẩu", exact=True).fill("mot-mat-khau-du-dai-2026")
    page.get_by_label("Nhập lại mật khẩu").fill("mot-mat-khau-du-dai-2026")
    page.get_by_role("button", name=re.compile("Đăng ký")).last.click()
    expect(page.get_by_text("Số định danh cá nhân phải gồm đúng 12 chữ số", exact=False)).to_be_visible()
    assert assert_errors_linked(page) >= 1
    axe_check(page, "register with errors")

    # the PAKN form with errors
    page.goto(reverse("portal:feedback_submit"))
    page.get_by_label("Tiêu đề").fill("Một tiêu đề")
    page.get_by_role("button", name="Gửi phản ánh, kiến nghị").click()
    expect(page.get_by_text("Hãy nhập họ và tên người gửi.")).to_be_visible()
    expect(page.get_by_label("Tiêu đề")).to_have_value("Một tiêu đề")
    assert assert_errors_linked(page) >= 2
    axe_check(page, "PAKN form with errors")


def test_pages_of_a_signed_in_applicant(new_page, axe_check, units, procedure):
    UserFactory(full_name="Phan Văn Khải", national_id="030090007777", phone="0912777777")
    page = new_page()
    page.goto(reverse("portal:login"))
    page.get_by_label("Số định danh, mã số thuế, số điện thoại hoặc thư điện tử").fill("0912777777")
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_load_state()
    for url, name in [
        (reverse("portal:account"), "my account"),
        (reverse("portal:my_dossiers"), "my dossiers (empty)"),
        (reverse("portal:my_results"), "my results"),
        (reverse("portal:notifications"), "notifications"),
        (reverse("portal:draft_list"), "drafts"),
        (reverse("portal:submission_start", args=[procedure.code]), "submission form"),
    ]:
        response = page.goto(url)
        assert response is not None and response.status == 200, url
        axe_check(page, name)
    # the header's account menu opened (the dropdown is part of every signed-in page)
    page.goto("/")
    page.get_by_role("button", name="Phan Văn Khải").click()
    axe_check(page, "home, signed in, account menu open")
