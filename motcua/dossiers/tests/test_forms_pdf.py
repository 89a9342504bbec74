"""The official forms (TT 01/2018/TT-VPCP Điều 9) render to PDF with the right paper size, a searchable
Vietnamese text layer, the vendored Liberation Serif font, and applicant text kept as text."""

import datetime as dt
import importlib.util
import io
import os
import re
import shutil
import subprocess
import sys
import unicodedata
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import weasyprint  # type: ignore[import-untyped]
from fontTools.ttLib import TTFont  # type: ignore[import-untyped]  # (a WeasyPrint dependency)
from pypdf import PdfReader
from weasyprint.urls import FatalURLFetchingError  # type: ignore[import-untyped]

from motcua.accounts.models import User
from motcua.catalog.models import CopyType, FeeTiming, Field, Procedure, ProcedureLevel, TimeUnit
from motcua.dossiers.models import Dossier, DossierComponent, DossierEvent, DossierStep, ResultDelivery
from motcua.dossiers.pdf import (
    SupplementItem,
    form_01_receipt,
    form_02_supplement,
    form_03_refusal,
    form_04_apology,
    form_05_control_sheet,
    form_06_register,
)
from motcua.dossiers.pdf.dates import long_date, short_date, time_and_long_date
from motcua.dossiers.pdf.forms import lookup_url
from motcua.dossiers.pdf.render import FONT_DIR, LocalOnlyURLFetcher, UnsafeURLError
from motcua.dossiers.workflow import Channel, EventKind, Status, Verdict
from motcua.organizations.models import Level, Role, Unit

VN = ZoneInfo("Asia/Ho_Chi_Minh")
MM = 72 / 25.4  # PDF points per millimetre
A5 = (148 * MM, 210 * MM)
A4 = (210 * MM, 297 * MM)
CODE = "000.01.02.H26-240214-0001"
HOSTILE = "<script>alert(1)</script>"


def vn(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=VN)


# --- rows built directly with the ORM (no services) --------------------------------------------------


@pytest.fixture
def commune(db: None) -> Unit:
    province = Unit.objects.create(
        code="000.00.00.H26", name="Ủy ban nhân dân tỉnh Hải Dương", level=Level.PROVINCE
    )
    return Unit.objects.create(
        code="000.01.02.H26", name="Ủy ban nhân dân xã Tân Hưng", level=Level.COMMUNE, parent=province
    )


@pytest.fixture
def officer(db: None) -> User:
    return User.objects.create_user(
        "canbo.hoa", full_name="Lê Thị Hoa", kind=User.Kind.OFFICER, phone="0220 3851 234"
    )


@pytest.fixture
def leader(db: None) -> User:
    return User.objects.create_user("lanhdao.son", full_name="Phạm Văn Sơn", kind=User.Kind.OFFICER)


@pytest.fixture
def procedure(db: None) -> Procedure:
    field = Field.objects.create(code="H26-HT", name="Hộ tịch")
    return Procedure.objects.create(
        code="1.001193",
        name="Đăng ký khai sinh",
        field=field,
        level=ProcedureLevel.COMMUNE,
        time_limit=Decimal(1),
        time_unit=TimeUnit.WORKING_DAYS,
        fee_timing=FeeTiming.FREE,
    )


def make_dossier(commune: Unit, procedure: Procedure, **overrides: object) -> Dossier:
    values: dict[str, object] = {
        "code": CODE,
        "procedure": procedure,
        "receiving_unit": commune,
        "responsible_unit": commune,
        "channel": Channel.DIRECT,
        "status": Status.PROCESSING,
        "applicant_name": "Nguyễn Thị Hằng",
        "applicant_id_number": "030190012345",
        "owner_name": "Trần Gia Bảo",
        "address": "Số 12 đường Nguyễn Trãi, thôn Đông, xã Tân Hưng",
        "phone": "0912 345 678",
        "email": "hang.nguyen@example.vn",
        "submitted_at": vn(2024, 2, 14, 8, 30),
        "received_at": vn(2024, 2, 14, 8, 30),
        "due_at": vn(2024, 2, 15, 16, 0),
    }
    values.update(overrides)
    dossier = Dossier(**values)
    dossier.refresh_search_key()
    dossier.save()
    return dossier


@pytest.fixture
def dossier(commune: Unit, procedure: Procedure, officer: User, leader: User) -> Dossier:
    dossier = make_dossier(commune, procedure)
    for position, (name, copy_type) in enumerate(
        [
            ("Tờ khai đăng ký khai sinh", CopyType.ORIGINAL),
            ("Giấy chứng sinh", CopyType.ORIGINAL),
            ("Giấy chứng nhận kết hôn của cha, mẹ", CopyType.PHOTOCOPY),
        ],
        start=1,
    ):
        DossierComponent.objects.create(dossier=dossier, position=position, name=name, copy_type=copy_type)
    DossierEvent.objects.create(
        dossier=dossier,
        kind=EventKind.RECEIVED,
        at=vn(2024, 2, 14, 8, 30),
        actor=officer,
        actor_name="Lê Thị Hoa",
    )
    steps = [
        (
            "Tiếp nhận hồ sơ",
            Role.RECEIVER,
            officer,
            vn(2024, 2, 14, 8, 30),
            vn(2024, 2, 14, 9, 0),
            Verdict.EARLY,
        ),
        (
            "Thẩm định hồ sơ",
            Role.SPECIALIST,
            officer,
            vn(2024, 2, 14, 9, 0),
            vn(2024, 2, 15, 10, 0),
            Verdict.LATE,
        ),
        ("Ký duyệt", Role.LEADER, leader, vn(2024, 2, 15, 10, 0), None, ""),
    ]
    for position, (name, role, person, started, finished, verdict) in enumerate(steps, start=1):
        DossierStep.objects.create(
            dossier=dossier,
            position=position,
            name=name,
            role=role,
            unit=commune,
            assignee=person,
            budget_hours=Decimal(4),
            started_at=started,
            due_at=started + dt.timedelta(hours=4),
            finished_at=finished,
            finished_by=person if finished else None,
            verdict=verdict,
        )
    return dossier


# --- helpers ------------------------------------------------------------------------------------------


def read(pdf: bytes) -> PdfReader:
    assert pdf.startswith(b"%PDF-")
    return PdfReader(io.BytesIO(pdf))


def text_of(pdf: bytes) -> str:
    """The text layer, NFC-normalized, whitespace collapsed (lines wrap anywhere)."""
    raw = "\n".join(page.extract_text() for page in read(pdf).pages)
    return " ".join(unicodedata.normalize("NFC", raw).split())


def page_size(pdf: bytes, index: int = 0) -> tuple[float, float]:
    box = read(pdf).pages[index].mediabox
    return float(box.width), float(box.height)


def assert_size(pdf: bytes, expected: tuple[float, float]) -> None:
    width, height = page_size(pdf)
    assert width == pytest.approx(expected[0], abs=1.5)
    assert height == pytest.approx(expected[1], abs=1.5)


def embedded_fonts(pdf: bytes) -> dict[str, str]:
    """PDF font name (subset tag dropped) → full name in the embedded font program's own name table."""
    fonts: dict[str, str] = {}
    for page in read(pdf).pages:
        resources: Any = page["/Resources"].get_object()
        for ref in resources["/Font"].get_object().values() if "/Font" in resources else []:
            font = ref.get_object()
            descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object()
            program = TTFont(io.BytesIO(descriptor["/FontFile2"].get_object().get_data()))
            name = re.sub(r"^/([A-Z]{6}\+)?", "", str(font["/BaseFont"]))
            fonts[name] = program["name"].getDebugName(4)
    return fonts


def assert_liberation_serif_only(pdf: bytes) -> None:
    """Every glyph comes from the vendored Liberation Serif (the stylesheet's "MotCua Serif" family):
    no fallback to a system font for a missing letter."""
    fonts = embedded_fonts(pdf)
    assert fonts
    assert all(name.startswith("MotCua-Serif") for name in fonts), fonts
    assert all(full.startswith("Liberation Serif") for full in fonts.values()), fonts


# --- the forms ----------------------------------------------------------------------------------------


def test_form_01_receipt_has_every_field_on_one_a5_page(dossier: Dossier) -> None:
    # when
    pdf = form_01_receipt(dossier)

    # then
    assert_size(pdf, A5)
    assert len(read(pdf).pages) == 1
    text = text_of(pdf)
    for expected in [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "ỦY BAN NHÂN DÂN XÃ TÂN HƯNG",
        "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ",
        CODE,
        "Nguyễn Thị Hằng",
        "Trần Gia Bảo",
        "030190012345",
        "Số 12 đường Nguyễn Trãi, thôn Đông, xã Tân Hưng",
        "0912 345 678",
        "hang.nguyen@example.vn",
        "Đăng ký khai sinh",
        "Giấy chứng sinh",
        "Bản sao (bản chụp)",
        "1 ngày làm việc",
        "08 giờ 30 phút, ngày 14 tháng 02 năm 2024",
        "16 giờ 00 phút, ngày 15 tháng 02 năm 2024",
        "Bộ phận Một cửa – Ủy ban nhân dân xã Tân Hưng",
        "NGƯỜI NỘP HỒ SƠ",
        "NGƯỜI TIẾP NHẬN HỒ SƠ",
        "Lê Thị Hoa",
        "mang theo Giấy tiếp nhận",
        "http://127.0.0.1:8000/tra-cuu/?ma=000.01.02.H26-240214-0001",
    ]:
        assert expected in text, expected
    assert_liberation_serif_only(pdf)


def test_hostile_applicant_text_is_printed_as_text(commune: Unit, procedure: Procedure) -> None:
    # given
    dossier = make_dossier(
        commune, procedure, applicant_name=f"{HOSTILE} Hằng", address='<img src="http://example.com/x.png">'
    )

    # when
    text = text_of(form_01_receipt(dossier))

    # then: escaped markup is shown literally; nothing was fetched (the fetcher would have refused it)
    assert f"{HOSTILE} Hằng" in text
    assert '<img src="http://example.com/x.png">' in text


def test_form_01_shows_the_fee_and_postal_return(commune: Unit, procedure: Procedure) -> None:
    procedure.fee_timing = FeeTiming.BEFORE
    procedure.save()
    dossier = make_dossier(
        commune, procedure, fee_vnd=8000, result_delivery=ResultDelivery.POST, due_at=None, owner_name=""
    )

    text = text_of(form_01_receipt(dossier))

    assert "Phí, lệ phí: 8.000 đồng (nộp khi tiếp nhận hồ sơ)" in text
    assert "Qua dịch vụ bưu chính công ích, đến địa chỉ: Số 12 đường Nguyễn Trãi" in text
    assert "không quy định thời hạn" in text
    assert "Chủ hồ sơ" not in text


def test_lookup_url_follows_the_public_url_setting(settings: object) -> None:
    settings.MOTCUA_PUBLIC_URL = "https://dichvucong.haiduong.gov.vn/"  # type: ignore[attr-defined]
    assert lookup_url(CODE) == f"https://dichvucong.haiduong.gov.vn/tra-cuu/?ma={CODE}"


def decode_qr_codes(png: Path) -> list[str] | None:
    """The QR codes in ``png`` with whichever decoder is installed (none is a project dependency)."""
    if importlib.util.find_spec("zxingcpp") is not None:
        import zxingcpp  # type: ignore[import-not-found]
        from PIL import Image

        return [result.text for result in zxingcpp.read_barcodes(Image.open(png))]
    if shutil.which("zbarimg"):
        found = subprocess.run(["zbarimg", "-q", "--raw", png], capture_output=True, text=True, timeout=60)
        return found.stdout.splitlines()
    return None


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="needs pdftoppm (Debian poppler-utils)")
def test_form_01_qr_code_decodes_to_the_lookup_url(dossier: Dossier, tmp_path: Path) -> None:
    pdf_path = tmp_path / "receipt.pdf"
    pdf_path.write_bytes(form_01_receipt(dossier))
    subprocess.run(
        ["pdftoppm", "-png", "-r", "200", "-singlefile", pdf_path, tmp_path / "receipt"], check=True
    )

    decoded = decode_qr_codes(tmp_path / "receipt.png")

    if decoded is None:
        pytest.skip("no QR decoder: install zxing-cpp (PyPI) or zbar-tools (Debian) to check the QR code")
    assert decoded == [lookup_url(CODE)]


def test_form_02_supplement_lists_every_item(dossier: Dossier, officer: User) -> None:
    items = [
        SupplementItem("Giấy chứng sinh", "Bản photo không rõ chữ, cần bản chính"),
        SupplementItem("Giấy tờ chứng minh nơi cư trú", f"Chưa nộp {HOSTILE}"),
    ]

    pdf = form_02_supplement(dossier, items, officer, issued_at=vn(2024, 2, 14, 9, 0))

    assert_size(pdf, A5)
    text = text_of(pdf)
    for expected in [
        "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ",
        CODE,
        "Nguyễn Thị Hằng",
        "Đăng ký khai sinh",
        "Bản photo không rõ chữ, cần bản chính",
        "Giấy tờ chứng minh nơi cư trú",
        f"Chưa nộp {HOSTILE}",
        "Lê Thị Hoa, số điện thoại 0220 3851 234",
        "Ngày 14 tháng 02 năm 2024",
    ]:
        assert expected in text, expected
    assert_liberation_serif_only(pdf)


def test_form_02_refuses_an_empty_list(dossier: Dossier, officer: User) -> None:
    with pytest.raises(ValueError, match="at least one item"):
        form_02_supplement(dossier, [], officer)


def test_form_03_refusal_states_the_reasons(dossier: Dossier, officer: User) -> None:
    pdf = form_03_refusal(
        dossier,
        ["Hồ sơ không thuộc thẩm quyền giải quyết của UBND xã Tân Hưng", "Người nộp không có giấy ủy quyền"],
        officer,
        issued_at=vn(2024, 2, 14, 9, 0),
    )

    assert_size(pdf, A5)
    text = text_of(pdf)
    for expected in [
        "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ",
        "Nguyễn Thị Hằng",
        "Đăng ký khai sinh",
        "không thuộc thẩm quyền giải quyết của UBND xã Tân Hưng",
        "Người nộp không có giấy ủy quyền",
        "Lê Thị Hoa",
    ]:
        assert expected in text, expected
    assert_liberation_serif_only(pdf)


def test_form_04_apology_gives_the_old_and_new_dates(dossier: Dossier, leader: User) -> None:
    pdf = form_04_apology(
        dossier,
        "Cần xác minh thông tin nơi sinh với Ủy ban nhân dân xã Tân Dân",
        vn(2024, 2, 20, 10, 0),
        leader,
        number="12/PXL-UBND",
        issued_at=vn(2024, 2, 14, 15, 0),
    )

    assert_size(pdf, A5)
    text = text_of(pdf)
    for expected in [
        "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ",
        "Số: 12/PXL-UBND",
        "Kính gửi: Ông/Bà Nguyễn Thị Hằng",
        CODE,
        "16 giờ 00 phút, ngày 15 tháng 02 năm 2024",
        "Cần xác minh thông tin nơi sinh",
        "10 giờ 00 phút, ngày 20 tháng 02 năm 2024",
        "Phạm Văn Sơn",
    ]:
        assert expected in text, expected
    assert_liberation_serif_only(pdf)


def test_form_05_control_sheet_has_one_row_per_hand_over(dossier: Dossier) -> None:
    pdf = form_05_control_sheet(dossier)

    assert_size(pdf, (A5[1], A5[0]))  # landscape
    text = text_of(pdf)
    for expected in [
        "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ",
        CODE,
        "Nguyễn Thị Hằng",
        "Giao: Bộ phận Một cửa – Ủy ban nhân dân xã Tân Hưng",
        "Thẩm định hồ sơ",
        "Ký duyệt",
        "Trước hạn",
        "Quá hạn",
        "1. Giao: Người nộp hồ sơ Nguyễn Thị Hằng",
        "Nhận: Bộ phận Một cửa – Ủy ban nhân dân xã Tân Hưng",
        "09:00 14/02/2024",
        "Hạn xử lý: 13:00 14/02/2024",
        "Người nhận: Phạm Văn Sơn",
    ]:
        assert expected in text, expected
    assert text.count("Giao:") == 3
    assert_liberation_serif_only(pdf)


def test_form_06_register_is_a4_landscape_with_one_row_per_dossier(
    commune: Unit, procedure: Procedure, dossier: Dossier, django_assert_max_num_queries: object
) -> None:
    # given
    make_dossier(
        commune,
        procedure,
        code="000.01.02.H26-240214-0002",
        applicant_name="Đỗ Văn Đức",
        status=Status.RETURNED,
        processed_at=vn(2024, 2, 15, 9, 0),
        returned_at=vn(2024, 2, 15, 14, 0),
        verdict=Verdict.EARLY,
    )
    unit = Unit.objects.get(pk=commune.pk)

    # when: dossiers, steps, procedures, responsible units, the unit's parent; not one per dossier
    with django_assert_max_num_queries(5):  # type: ignore[operator]
        pdf = form_06_register(
            unit, dt.date(2024, 2, 1), dt.date(2024, 2, 29), Dossier.objects.order_by("code")
        )

    # then
    assert_size(pdf, (A4[1], A4[0]))
    text = text_of(pdf)
    for expected in [
        "SỔ THEO DÕI HỒ SƠ",
        "Từ ngày 01/02/2024 đến ngày 29/02/2024",
        "000.01.02.H26- 240214-0001",  # the code breaks after the agency code in the narrow column
        "000.01.02.H26- 240214-0002",
        "Nguyễn Thị Hằng",
        "Đỗ Văn Đức",
        "Đăng ký khai sinh",
        "14/02/2024",
        "15/02/2024",
        "Trước hạn",
    ]:
        assert expected in text, expected
    assert_liberation_serif_only(pdf)


# --- the pieces -------------------------------------------------------------------------------------


def test_dates_follow_the_administrative_style() -> None:
    # NĐ 30/2020: a leading zero for days below 10 and for months 1 and 2
    assert long_date(dt.date(2024, 2, 14)) == "ngày 14 tháng 02 năm 2024"
    assert long_date(dt.date(2024, 10, 5)) == "ngày 05 tháng 10 năm 2024"
    assert long_date(dt.date(2024, 3, 9)) == "ngày 09 tháng 3 năm 2024"
    # stored in UTC, shown in Vietnam time (the date itself changes here)
    late_evening_utc = dt.datetime(2024, 2, 13, 18, 5, tzinfo=dt.UTC)
    assert time_and_long_date(late_evening_utc) == "01 giờ 05 phút, ngày 14 tháng 02 năm 2024"
    assert short_date(late_evening_utc) == "14/02/2024"
    with pytest.raises(ValueError, match="naive"):
        short_date(dt.datetime(2024, 2, 14, 8, 0))  # noqa: DTZ001


@pytest.mark.parametrize(
    "url",
    ["http://example.com/x.png", "https://127.0.0.1/font.ttf", "ftp://example.com/x", "file:///etc/passwd"],
)
def test_fetcher_refuses_network_and_files_outside_the_package(url: str) -> None:
    with pytest.raises(UnsafeURLError):
        LocalOnlyURLFetcher().fetch(url)


def test_a_non_local_resource_stops_the_rendering() -> None:
    html = weasyprint.HTML(string='<img src="http://127.0.0.1:9/x.png">', url_fetcher=LocalOnlyURLFetcher())
    with pytest.raises(FatalURLFetchingError):
        html.write_pdf()


def test_fetcher_serves_the_vendored_fonts() -> None:
    for style in ["Regular", "Bold", "Italic", "BoldItalic"]:
        response = LocalOnlyURLFetcher().fetch((FONT_DIR / f"LiberationSerif-{style}.ttf").as_uri())
        assert response.read(4) == b"\x00\x01\x00\x00"  # a TrueType font
        response.close()


def test_forms_render_without_any_system_font(tmp_path: Path) -> None:
    """CI machines may lack fonts-liberation2: with fontconfig knowing no font at all, the vendored
    files still give the full Vietnamese text in Liberation Serif."""
    # given: a fontconfig configuration without a single font directory
    config = tmp_path / "fonts.conf"
    config.write_text(
        '<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">'
        f"<fontconfig><cachedir>{tmp_path / 'cache'}</cachedir></fontconfig>"
    )
    out = tmp_path / "motto.pdf"
    script = (
        "import django, pathlib; django.setup()\n"
        "from motcua.dossiers.pdf.render import render_pdf\n"
        "pdf = render_pdf('dossiers/pdf/base.html', {'issuer': {'name': 'Ủy ban nhân dân xã Tân Hưng'}})\n"
        f"pathlib.Path({str(out)!r}).write_bytes(pdf)\n"
    )
    env = {**os.environ, "FONTCONFIG_FILE": str(config), "DJANGO_SETTINGS_MODULE": "motcua.settings"}

    # when
    subprocess.run([sys.executable, "-c", script], env=env, check=True, capture_output=True, timeout=120)

    # then
    pdf = out.read_bytes()
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text_of(pdf)
    assert "ỦY BAN NHÂN DÂN XÃ TÂN HƯNG" in text_of(pdf)
    assert_liberation_serif_only(pdf)
