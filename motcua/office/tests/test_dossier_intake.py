"""Intake at the counter through the page: the three outcomes (forms 01/02/03), scans checked by their
content, bad input kept and explained, double submissions making one dossier."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from motcua.catalog.models import Component, ProcedureLevel
from motcua.catalog.tests.factories import ProcedureFactory
from motcua.documents.tests.samples import pdf_bytes, pdf_of_size, png_bytes
from motcua.dossiers.models import Dossier
from motcua.dossiers.workflow import EventKind, Status
from motcua.office.dossier_forms import MAX_SCAN_BYTES
from motcua.office.tests.conftest import intake_data, sign_in

pytestmark = pytest.mark.django_db

# Real files: scans are opened and checked (documents.uploads), not only sniffed.
PDF = pdf_bytes()
PNG = png_bytes()


@pytest.fixture
def counter(client, clock, receiver, procedure):  # type: ignore[no-untyped-def]
    return sign_in(client, receiver)


def first_component(procedure) -> Component:  # type: ignore[no-untyped-def]
    return procedure.components.order_by("position").first()


def test_a_receiver_with_a_certificate_digitizes_and_signs_the_scans_at_intake(
    client, procedure, receiver, officer_keys
):
    """Real time here: the test CA's certificates are valid from the start of the test session."""
    from motcua.documents.verification import verify_pdf

    officer_keys.enrol(receiver, "UBND phường")
    counter = sign_in(client, receiver)
    component = first_component(procedure)
    scan = SimpleUploadedFile("to khai.png", PNG, content_type="image/png")
    data = intake_data(procedure, key="2" * 32, **{f"c{component.pk}-scan": scan})
    response = counter.post(reverse("office:intake"), data, follow=True)
    assert "Đã số hóa và ký số 1 bản quét." in response.content.decode()
    paper = Dossier.objects.get().components.get(catalog_component=component)
    assert paper.is_digitized and paper.signed_by == receiver
    with paper.file.open("rb") as handle:
        report = verify_pdf(handle.read())
    assert report.ok and report.signatures[0].certificate.common_name == receiver.full_name


def test_a_receiver_without_a_certificate_is_told_the_scan_waits_unsigned(counter, procedure):
    component = first_component(procedure)
    scan = SimpleUploadedFile("to khai.pdf", PDF, content_type="application/pdf")
    data = intake_data(procedure, key="3" * 32, **{f"c{component.pk}-scan": scan})
    page = counter.post(reverse("office:intake"), data, follow=True).content.decode()
    assert "chưa ký số vì bạn chưa có chứng thư số" in page
    assert Dossier.objects.get().status == Status.RECEIVED


def test_the_picker_searches_the_catalog_without_diacritics_at_the_units_level(counter, procedure):
    ProcedureFactory(published=True, name="Đăng ký kinh doanh hộ cá thể", level=ProcedureLevel.DISTRICT)
    page = counter.get(reverse("office:intake"), {"q": "dang ky"}).content.decode()
    assert "Đăng ký khai sinh" in page
    assert "kinh doanh" not in page  # a district procedure: only with "every level"
    page = counter.get(reverse("office:intake"), {"q": "dang ky", "moi_cap": "1"}).content.decode()
    assert "kinh doanh" in page
    fragment = counter.get(reverse("office:intake"), {"q": "khai sinh"}, headers={"HX-Request": "true"})
    assert "<html" not in fragment.content.decode()
    assert "Đăng ký khai sinh" in fragment.content.decode()


def test_a_complete_dossier_is_received_with_its_scan_and_form_01(counter, procedure, receiver):
    component = first_component(procedure)
    scan = SimpleUploadedFile("to khai.pdf", PDF, content_type="application/pdf")
    data = intake_data(procedure, key="1" * 32, **{f"c{component.pk}-scan": scan})
    response = counter.post(reverse("office:intake"), data)
    assert response.status_code == 302
    dossier = Dossier.objects.get()
    assert dossier.status == Status.RECEIVED
    assert response.url == reverse("office:dossier_detail", args=[dossier.code]) + "?mau=01"
    paper = dossier.components.get(catalog_component=component)
    assert not paper.is_digitized  # a scan is digitized once signed (the receiver has no certificate here)
    assert paper.file.name.endswith(".pdf")
    assert "to khai" not in paper.file.name  # stored under a name of ours
    page = counter.get(response.url).content.decode()
    assert "In mẫu 01" in page
    pdf = counter.get(reverse("office:dossier_form_pdf", args=[dossier.code, "01"]))
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf["Content-Disposition"] == f'inline; filename="mau-01-{dossier.code}.pdf"'


def test_a_double_click_makes_one_dossier(counter, procedure):
    data = intake_data(procedure, key="2" * 32)
    first = counter.post(reverse("office:intake"), data)
    second = counter.post(reverse("office:intake"), data)
    assert first.url == second.url
    assert Dossier.objects.count() == 1


@pytest.mark.parametrize("outcome", ["supplement", "refuse"])
def test_forms_02_and_03_are_not_doubled_either(counter, procedure, outcome):
    data = intake_data(
        procedure,
        key="3" * 32,
        outcome=outcome,
        reasons="Không thuộc thẩm quyền",
        **{"m-0-name": "Giấy chứng sinh", "m-0-reason": "Chưa có"},
    )
    first = counter.post(reverse("office:intake"), data)
    second = counter.post(reverse("office:intake"), data)
    assert first.status_code == second.status_code == 302
    assert first.url == second.url
    assert Dossier.objects.count() == 1


def test_supplementation_at_the_counter_lists_every_item_and_prints_form_02(counter, procedure):
    data = intake_data(
        procedure,
        key="4" * 32,
        outcome="supplement",
        **{
            "m-0-name": "Giấy chứng sinh",
            "m-0-reason": "Chưa nộp",
            "m-1-name": "Giấy đăng ký kết hôn",
            "m-1-reason": "Bản chụp mờ",
        },
    )
    response = counter.post(reverse("office:intake"), data)
    assert response.status_code == 302
    assert response.url.endswith("?mau=02")
    dossier = Dossier.objects.get()
    assert dossier.status == Status.INTAKE_SUPPLEMENT
    event = dossier.events.get(kind=EventKind.SUPPLEMENT_REQUESTED)
    assert [i["name"] for i in event.data["items"]] == ["Giấy chứng sinh", "Giấy đăng ký kết hôn"]
    assert counter.get(reverse("office:dossier_form_pdf", args=[dossier.code, "02"])).status_code == 200


def test_supplementation_needs_at_least_one_item(counter, procedure):
    response = counter.post(reverse("office:intake"), intake_data(procedure, outcome="supplement"))
    assert response.status_code == 400
    assert "ít nhất một giấy tờ cần bổ sung" in response.content.decode()
    assert not Dossier.objects.exists()


def test_refusal_needs_reasons_and_prints_form_03(counter, procedure):
    response = counter.post(reverse("office:intake"), intake_data(procedure, key="5" * 32, outcome="refuse"))
    assert response.status_code == 400
    assert "hãy ghi rõ lý do" in response.content.decode()
    response = counter.post(
        reverse("office:intake"),
        intake_data(
            procedure, key="5" * 32, outcome="refuse", reasons="Không thuộc thẩm quyền\nThiếu giấy tờ"
        ),
    )
    assert response.url.endswith("?mau=03")
    dossier = Dossier.objects.get()
    assert dossier.status == Status.NOT_RECEIVED
    assert counter.get(reverse("office:dossier_form_pdf", args=[dossier.code, "03"])).status_code == 200


def test_bad_input_is_kept_and_every_field_named(counter, procedure):
    component = first_component(procedure)
    scan = SimpleUploadedFile("giay-to.png", PNG, content_type="image/png")
    data = intake_data(
        procedure,
        applicant_id_number="12345",
        email="khong-phai-email",
        address="Số 7, ngõ 3, thôn Đông",
        **{f"c{component.pk}-scan": scan},
    )
    response = counter.post(reverse("office:intake"), data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "Chưa lưu được hồ sơ" in page
    assert "Số định danh cá nhân / mã số thuế" in page
    assert "Thư điện tử" in page
    assert "Số 7, ngõ 3, thôn Đông" in page  # typed text kept
    assert "CHƯA được lưu" in page  # the uploaded scan must be attached again
    assert "giay-to.png" in page
    assert not Dossier.objects.exists()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("trang.pdf", b"<html><script>alert(1)</script></html>", "không phải PDF, JPEG hoặc PNG"),
        ("anh.png", b'<svg xmlns="http://www.w3.org/2000/svg"/>', "không phải PDF, JPEG hoặc PNG"),
        ("lon.pdf", b"%PDF-" + b"0" * (MAX_SCAN_BYTES - 4), "lớn hơn 20 MB"),
        ("rong.pdf", b"", "rỗng"),
    ],
)
def test_hostile_or_oversized_scans_are_refused_with_a_reason(counter, procedure, name, content, message):
    component = first_component(procedure)
    upload = SimpleUploadedFile(name, content, content_type="application/pdf")
    response = counter.post(
        reverse("office:intake"), intake_data(procedure, **{f"c{component.pk}-scan": upload})
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Dossier.objects.exists()


def test_a_scan_of_exactly_20_mb_is_accepted(counter, procedure):
    component = first_component(procedure)
    upload = SimpleUploadedFile("vua.pdf", pdf_of_size(MAX_SCAN_BYTES), content_type="application/pdf")
    response = counter.post(
        reverse("office:intake"), intake_data(procedure, key="6" * 32, **{f"c{component.pk}-scan": upload})
    )
    assert response.status_code == 302


def test_missing_required_paper_is_explained_by_the_service(counter, procedure):
    component = first_component(procedure)
    data = intake_data(procedure)
    data.pop(f"c{component.pk}-is_provided")
    response = counter.post(reverse("office:intake"), data)
    assert response.status_code == 400
    assert "còn thiếu Tờ khai đăng ký khai sinh" in response.content.decode()


def test_reception_for_another_unit_forwards_the_dossier(counter, procedure, units):
    data = intake_data(procedure, key="7" * 32, responsible_unit=str(units.other_commune.pk))
    assert counter.post(reverse("office:intake"), data).status_code == 302
    dossier = Dossier.objects.get()
    assert dossier.responsible_unit == units.other_commune
    assert dossier.events.filter(kind=EventKind.FORWARDED).exists()


def test_the_appointment_preview_follows_the_responsible_units_calendar(counter, procedure, units):
    response = counter.get(
        reverse("office:appointment_preview"),
        {"procedure": procedure.code, "responsible_unit": units.other_commune.pk, "channel": "1"},
    )
    page = response.content.decode()
    assert "<html" not in page
    assert "07/03/2024" in page  # Monday 08:00 + 3 working days
    assert units.other_commune.name in page


def test_a_specialist_cannot_use_the_counter(client, clock, specialist, procedure):
    sign_in(client, specialist)
    assert client.get(reverse("office:intake")).status_code == 403
    assert client.post(reverse("office:intake"), intake_data(procedure)).status_code == 403
