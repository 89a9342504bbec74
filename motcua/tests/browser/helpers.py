"""Helpers of the browser tests: real files made in memory, sign-ins typed into the real forms."""

import io
from typing import Any

import pikepdf
from django_otp.plugins.otp_totp.models import TOTPDevice

from motcua.accounts.models import User
from motcua.accounts.tests.factories import PASSWORD, current_code


def small_pdf(text: str = "To khai dang ky khai sinh") -> bytes:
    """A real one-page A4 PDF with one line of text (Helvetica, no fonts embedded)."""
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(595, 842))
    page = pdf.pages[0]
    font = pdf.make_indirect(
        pikepdf.Dictionary(
            Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1, BaseFont=pikepdf.Name.Helvetica
        )
    )
    page.Resources = pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=font))
    page.Contents = pdf.make_stream(f"BT /F1 14 Tf 72 770 Td ({text}) Tj ET".encode("ascii"))
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def pdf_file(name: str, data: bytes | None = None) -> dict[str, Any]:
    """A file payload for Playwright's ``set_input_files``."""
    return {"name": name, "mimeType": "application/pdf", "buffer": data if data is not None else small_pdf()}


def with_totp(user: User) -> User:
    """Give an officer of the dossier fixtures (made without one) a confirmed TOTP device."""
    TOTPDevice.objects.get_or_create(user=user, defaults={"name": "app", "confirmed": True})
    return user


def officer_signs_in(page: Any, user: User) -> None:
    """Type the officer's user name, password and the TOTP code of their device at ``/can-bo/``."""
    with_totp(user)
    page.goto("/can-bo/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill(user.username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.locator("#id_otp_token").fill(current_code(user))
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url("**/can-bo/")


def assert_errors_linked(page: Any) -> int:
    """Every field marked ``aria-invalid`` points with ``aria-describedby`` at a message that exists and
    says something, so a screen reader reads the error with the field. Returns how many were checked."""
    problems: list[str] = page.evaluate(
        """() => Array.from(document.querySelectorAll('[aria-invalid="true"]')).flatMap((el) => {
            const ids = (el.getAttribute('aria-describedby') || '').split(/\\s+/).filter(Boolean);
            const texts = ids.map((id) => document.getElementById(id)).filter(Boolean)
                .map((node) => node.textContent.trim()).filter(Boolean);
            return texts.length ? [] : [el.outerHTML.slice(0, 160)];
        })"""
    )
    assert not problems, "fields in error without a linked message:\n" + "\n".join(problems)
    return int(page.locator('[aria-invalid="true"]').count())
