"""The digitization page of a dossier and the unit's backlog (NĐ 107/2021/NĐ-CP Điều 21a; seed 001)."""

import datetime as dt
import re
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from motcua.core.integrity import sha256_bytes
from motcua.documents.tests.samples import jpeg_with_exif, pdf_bytes, png_bytes
from motcua.documents.verification import verify_pdf
from motcua.dossiers.models import DossierComponent, DossierEvent
from motcua.dossiers.tests.factories import DossierFactory
from motcua.dossiers.workflow import EventKind
from motcua.office.digitization import views
from motcua.office.tests.conftest import sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path / "media"


def make_dossier(unit, procedure, papers=("Tờ khai đăng ký khai sinh", "Giấy chứng sinh"), **fields):  # type: ignore[no-untyped-def]
    at = fields.pop("received_at", timezone.now())
    dossier = DossierFactory(
        procedure=procedure, receiving_unit=unit, submitted_at=at, received_at=at, **fields
    )
    for position, name in enumerate(papers, start=1):
        DossierComponent.objects.create(dossier=dossier, position=position, name=name, is_provided=True)
    return dossier


def page_url(dossier) -> str:  # type: ignore[no-untyped-def]
    return reverse("office:dossier_digitize", kwargs={"dossier_code": dossier.code})


def stored(file) -> bytes:  # type: ignore[no-untyped-def]
    with file.open("rb") as handle:
        return bytes(handle.read())


def media_files(settings) -> list[Path]:  # type: ignore[no-untyped-def]
    root = Path(settings.MEDIA_ROOT)
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def upload_data(dossier, component, *files: tuple[str, bytes], action: str = "upload", ocr: bool = False):  # type: ignore[no-untyped-def]
    data: dict[str, object] = {
        "action": action,
        "component": str(component.pk),
        "expected_version": str(dossier.version),
        "scans": [SimpleUploadedFile(name, content) for name, content in files],
    }
    if ocr:
        data["ocr"] = "on"
    return data


@pytest.fixture
def dossier(units, procedure):  # type: ignore[no-untyped-def]
    return make_dossier(units.commune, procedure)


def test_the_receiver_sees_every_paper_with_an_upload_form(client, dossier, receiver, monkeypatch):  # type: ignore[no-untyped-def]
    monkeypatch.setattr(views, "ocr_available", lambda: True)
    sign_in(client, receiver)

    response = client.get(page_url(dossier))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Tờ khai đăng ký khai sinh" in html and "Giấy chứng sinh" in html
    assert html.count('enctype="multipart/form-data"') == 2
    assert html.count('name="csrfmiddlewaretoken"') >= 2
    assert html.count("multiple") >= 2
    assert 'data-digitized="0/2"' in html
    assert "Nhận dạng chữ (OCR)" in html and " disabled" not in html


def test_the_ocr_box_is_disabled_with_a_reason_where_tesseract_is_missing(
    client, dossier, receiver, monkeypatch
):  # type: ignore[no-untyped-def]
    monkeypatch.setattr(views, "ocr_available", lambda: False)
    sign_in(client, receiver)

    html = client.get(page_url(dossier)).content.decode()

    assert re.search(r'name="ocr" id="ocr-\d+" disabled', html)
    assert "chưa cài Tesseract" in html


def test_an_officer_of_another_unit_gets_404(client, dossier, receiver_elsewhere):  # type: ignore[no-untyped-def]
    sign_in(client, receiver_elsewhere)
    paper = dossier.components.first()

    assert client.get(page_url(dossier)).status_code == 404
    response = client.post(page_url(dossier), upload_data(dossier, paper, ("a.png", png_bytes())))
    assert response.status_code == 404
    assert not DossierEvent.objects.filter(dossier=dossier).exists()


def test_the_receiver_uploads_scans_and_the_paper_is_signed(client, dossier, receiver, officer_keys, units):  # type: ignore[no-untyped-def]
    officer_keys.enrol(receiver, units.commune.name)
    sign_in(client, receiver)
    paper = dossier.components.get(position=1)

    response = client.post(
        page_url(dossier),
        upload_data(
            dossier, paper, ("trang-1.jpg", jpeg_with_exif((300, 400))), ("trang-2.pdf", pdf_bytes(1))
        ),
    )

    assert response.status_code == 302
    assert response["Location"] == f"{page_url(dossier)}#tp-{paper.pk}"
    paper.refresh_from_db()
    assert paper.page_count == 2 and paper.signed_by == receiver
    report = verify_pdf(stored(paper.file))
    assert report.ok and report.signatures[0].certificate.common_name == receiver.full_name
    # the page after the redirect says so and shows who signed
    html = client.get(response["Location"]).content.decode()
    assert "Đã số hóa và ký số thành phần «Tờ khai đăng ký khai sinh»: 2 trang" in html
    assert receiver.full_name in html and 'data-digitized="1/2"' in html


def test_a_refused_upload_says_why_and_names_the_files_not_stored(
    client, dossier, receiver, officer_keys, units, settings
):  # type: ignore[no-untyped-def]
    officer_keys.enrol(receiver, units.commune.name)
    sign_in(client, receiver)
    paper = dossier.components.get(position=2)

    response = client.post(
        page_url(dossier),
        upload_data(dossier, paper, ("trang-1.png", png_bytes()), ("virus.pdf", b"MZ\x90\x00not a pdf")),
    )

    html = response.content.decode()
    assert response.status_code == 400
    assert "Giấy chứng sinh: tệp «virus.pdf» không phải PDF, JPEG hoặc PNG" in html
    assert "Các tệp chưa được lưu, hãy chọn lại: trang-1.png, virus.pdf" in html
    paper.refresh_from_db()
    assert not paper.file and media_files(settings) == []


def test_a_receiver_without_a_certificate_is_told_so(client, dossier, receiver, officer_keys):  # type: ignore[no-untyped-def]
    sign_in(client, receiver)
    paper = dossier.components.first()

    response = client.post(page_url(dossier), upload_data(dossier, paper, ("a.png", png_bytes())))

    assert response.status_code == 400
    assert "chưa có chứng thư số" in response.content.decode()
    assert not DossierEvent.objects.filter(dossier=dossier).exists()


def test_only_receivers_may_post(client, dossier, specialist, officer_keys, units):  # type: ignore[no-untyped-def]
    officer_keys.enrol(specialist, units.commune.name)
    sign_in(client, specialist)
    paper = dossier.components.first()

    page = client.get(page_url(dossier)).content.decode()
    response = client.post(page_url(dossier), upload_data(dossier, paper, ("a.png", png_bytes())))

    assert 'enctype="multipart/form-data"' not in page and "Chỉ cán bộ tiếp nhận của UBND xã Gia Tân" in page
    assert response.status_code == 403
    paper.refresh_from_db()
    assert not paper.file and not DossierEvent.objects.filter(dossier=dossier).exists()


def test_the_file_uploaded_at_intake_is_signed_with_one_button(
    client, dossier, receiver, officer_keys, units
):  # type: ignore[no-untyped-def]
    officer_keys.enrol(receiver, units.commune.name)
    sign_in(client, receiver)
    paper = dossier.components.first()
    content = pdf_bytes(3)
    paper.file.save("intake.pdf", ContentFile(content), save=False)
    paper.file_sha256 = sha256_bytes(content)
    paper.save()

    assert "Ký số bản đã tải lên" in client.get(page_url(dossier)).content.decode()
    response = client.post(
        page_url(dossier),
        {"action": "sign", "component": str(paper.pk), "expected_version": str(dossier.version)},
    )

    assert response.status_code == 302
    paper.refresh_from_db()
    assert paper.signed_by == receiver and paper.page_count == 3
    event = DossierEvent.objects.get(dossier=dossier)
    assert event.kind == EventKind.COMPONENT_DIGITIZED and event.data["source"] == "existing"
    assert "Ký số bản đã tải lên" not in client.get(page_url(dossier)).content.decode()


def test_the_forms_are_protected_against_cross_site_posts(dossier, receiver, officer_keys, units):  # type: ignore[no-untyped-def]
    officer_keys.enrol(receiver, units.commune.name)
    client = sign_in(Client(enforce_csrf_checks=True), receiver)
    paper = dossier.components.first()

    response = client.post(page_url(dossier), upload_data(dossier, paper, ("a.png", png_bytes())))

    assert response.status_code == 403
    paper.refresh_from_db()
    assert not paper.file


def test_the_dossier_page_shows_the_digitization_line_and_the_dashboard_links_the_backlog(
    client, dossier, receiver
):  # type: ignore[no-untyped-def]
    DossierComponent.objects.filter(dossier=dossier, position=1).update(signed_at=timezone.now())
    sign_in(client, receiver)

    detail = client.get(
        reverse("office:dossier_detail", kwargs={"dossier_code": dossier.code})
    ).content.decode()
    dashboard = client.get(reverse("office:dashboard")).content.decode()

    assert "Số hóa: 1/2 thành phần đã số hóa và ký số" in detail
    assert page_url(dossier) in detail
    assert reverse("office:digitization_backlog") in dashboard


def test_the_backlog_lists_the_units_dossiers_with_their_progress(
    client, units, procedure, receiver, monkeypatch
):  # type: ignore[no-untyped-def]
    # given three dossiers of the unit to catch up, one digitized, one of another commune
    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    now = timezone.now()
    first = make_dossier(units.commune, procedure, received_at=now - dt.timedelta(minutes=5))
    second = make_dossier(units.commune, procedure)
    DossierComponent.objects.filter(dossier=second, position=2).update(signed_at=now)
    third = make_dossier(units.commune, procedure)
    make_dossier(units.commune, procedure, digitized_at=now)
    foreign = make_dossier(units.other_commune, procedure)
    sign_in(client, receiver)

    # when
    page_1 = client.get(reverse("office:digitization_backlog")).content.decode()
    page_2 = client.get(reverse("office:digitization_backlog"), {"page": 2}).content.decode()

    # then: the count, oldest first, progress per dossier, a link to each digitize page, paginated
    assert 'data-count="backlog">3<' in page_1
    assert first.code in page_1 and second.code in page_1 and third.code not in page_1
    assert page_url(first) in page_1 and 'data-done="1/2"' in page_1
    assert third.code in page_2
    assert foreign.code not in page_1 + page_2


def test_the_backlog_query_count_does_not_grow_with_the_list(client, units, procedure, receiver):  # type: ignore[no-untyped-def]
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    sign_in(client, receiver)
    url = reverse("office:digitization_backlog")
    make_dossier(units.commune, procedure)
    client.get(url)  # warm the session and the caches
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for _ in range(5):
        make_dossier(units.commune, procedure)
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)

    assert 'data-count="backlog">6<' in response.content.decode()
    assert len(many) == len(few)


def test_after_a_conflict_the_page_carries_the_current_version(
    client, dossier, receiver, officer_keys, units
):  # type: ignore[no-untyped-def]
    officer_keys.enrol(receiver, units.commune.name)
    sign_in(client, receiver)
    paper = dossier.components.first()
    data = upload_data(dossier, paper, ("a.png", png_bytes()))
    data["expected_version"] = str(dossier.version - 1)

    response = client.post(page_url(dossier), data)

    html = response.content.decode()
    assert response.status_code == 409 and "vừa được người khác cập nhật" in html
    assert f'name="expected_version" value="{dossier.version}"' in html
