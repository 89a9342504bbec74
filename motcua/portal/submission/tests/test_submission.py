"""Online submission from the applicant's account: the form generated from the catalog, uploads
checked, the dossier waiting in the office's online queue, and a double submit making one dossier."""

import pytest
from django.urls import reverse

from motcua.catalog.tests.factories import ComponentFactory, ProcedureFactory
from motcua.conftest import login_with_otp
from motcua.dossiers.models import Dossier, DossierDraft
from motcua.dossiers.workflow import Channel, EventKind, Status
from motcua.portal.submission.tests.helpers import KEY, components, form_data, jpeg_upload, pdf_upload

pytestmark = pytest.mark.django_db


def start_url(procedure) -> str:  # type: ignore[no-untyped-def]
    return reverse("portal:submission_start", args=[procedure.code])


def test_the_procedure_page_offers_online_submission_only_for_online_procedures(client, procedure):
    page = client.get(reverse("portal:procedure_detail", args=[procedure.code])).content.decode()
    assert start_url(procedure) in page
    counter_only = ProcedureFactory(published=True)
    page = client.get(reverse("portal:procedure_detail", args=[counter_only.code])).content.decode()
    assert "Nộp hồ sơ trực tuyến" not in page


def test_the_form_is_generated_from_the_catalog_and_prefilled_from_the_account(citizen, procedure, units):
    response = citizen.get(start_url(procedure))
    assert response.status_code == 200
    page = response.content.decode()
    required, optional = components(procedure)
    assert required.name in page and optional.name in page
    assert "Bản chính" in page  # copy type
    assert "(bắt buộc)" in page and "Nếu có" in page
    assert f'name="c{required.pk}-file"' in page
    assert "Nguyễn Văn An" in page and "030090000123" in page  # from the account
    assert units.commune.name in page
    # a commune procedure is filed at a commune; the district only names the group of its communes
    assert f'<option value="{units.district.pk}"' not in page
    assert f'<optgroup label="{units.district.name}">' in page
    for value in ("online", "counter", "post"):
        assert f'value="{value}"' in page
    key = response.context["form"]["idempotency_key"].value()
    assert len(key) == 32 and int(key, 16) >= 0


def test_procedures_not_offered_online_or_not_published_answer_404(citizen):
    assert citizen.get(start_url(ProcedureFactory(published=True))).status_code == 404
    assert citizen.get(start_url(ProcedureFactory(online=True))).status_code == 404


def test_a_submission_files_an_online_dossier_that_waits_in_the_office_queue(
    citizen, client, procedure, units, applicant, receiver
):
    # given
    required, optional = components(procedure)
    data = form_data(
        procedure,
        units,
        result_delivery="post",
        **{f"c{required.pk}-file": pdf_upload(), f"c{optional.pk}-file": jpeg_upload()},
    )
    # when
    response = citizen.post(start_url(procedure), data)
    # then
    dossier = Dossier.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("portal:submission_done", args=[dossier.code])
    assert dossier.status == Status.SUBMITTED
    assert dossier.channel == Channel.ONLINE
    assert dossier.applicant_user == applicant
    assert dossier.is_own_account
    assert dossier.applicant_id_number == "030090000123"
    assert dossier.result_delivery == "post"
    assert dossier.receiving_unit == units.commune
    assert dossier.reception_due_at is not None
    assert dossier.idempotency_key == f"portal-{applicant.pk}-{KEY}"
    papers = list(dossier.components.order_by("position"))
    assert [p.catalog_component for p in papers] == [required, optional]
    assert papers[0].file.name.endswith(".pdf") and "to-khai" not in papers[0].file.name
    assert papers[1].file.name.endswith(".jpg")
    assert not any(p.is_reused for p in papers)
    assert not DossierDraft.objects.exists()  # the draft became the dossier
    assert dossier.events.get().kind == EventKind.SUBMITTED
    done = citizen.get(response.url).content.decode()
    assert dossier.code in done and "8 giờ làm việc" in done
    # the counter sees it in its online queue
    client.logout()
    login_with_otp(client, receiver)
    client.post(reverse("office:choose_unit"), {"unit": units.commune.pk})
    queue = client.get(reverse("office:online_queue")).content.decode()
    assert dossier.code in queue


def test_a_double_submit_or_a_retry_returns_the_same_dossier(citizen, procedure, units):
    required, _optional = components(procedure)
    first = citizen.post(
        start_url(procedure), form_data(procedure, units, **{f"c{required.pk}-file": pdf_upload()})
    )
    second = citizen.post(
        start_url(procedure), form_data(procedure, units, **{f"c{required.pk}-file": pdf_upload()})
    )
    assert Dossier.objects.count() == 1
    assert first.status_code == second.status_code == 302
    assert first.url == second.url
    assert not DossierDraft.objects.exists()


def test_a_new_form_gets_a_new_key_and_files_a_second_dossier(citizen, procedure, units):
    required, _optional = components(procedure)
    for key in ("1" * 32, "2" * 32):
        citizen.post(
            start_url(procedure),
            form_data(procedure, units, key=key, **{f"c{required.pk}-file": pdf_upload()}),
        )
    assert Dossier.objects.count() == 2


def test_a_missing_required_paper_is_named_and_what_was_typed_and_uploaded_is_kept(citizen, procedure, units):
    # given only the optional paper
    required, optional = components(procedure)
    data = form_data(
        procedure, units, address="Số 7, ngõ 3, thôn Đông", **{f"c{optional.pk}-file": jpeg_upload()}
    )
    # when
    response = citizen.post(start_url(procedure), data)
    # then
    assert response.status_code == 400
    page = response.content.decode()
    assert f"còn thiếu {required.name}" in page
    assert "Số 7, ngõ 3, thôn Đông" in page
    assert "Đã tải lên: giay-chung-sinh.jpg" in page
    assert not Dossier.objects.exists()
    draft = DossierDraft.objects.get()
    assert set(draft.files) == {str(optional.pk)}
    # and the next post (to the draft) completes it without uploading the first file again
    assert f'action="{reverse("portal:draft_edit", args=[draft.pk])}"' in page
    response = citizen.post(
        reverse("portal:draft_edit", args=[draft.pk]),
        form_data(procedure, units, **{f"c{required.pk}-file": pdf_upload()}),
    )
    assert response.status_code == 302, response.content.decode()[:9000]
    dossier = Dossier.objects.get()
    assert dossier.components.count() == 2


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("to-khai.pdf", b"<html><script>alert(1)</script></html>", "không phải PDF, JPEG hoặc PNG"),
        ("to-khai.pdf", b"%PDF-1.7\n<html>\n%%EOF\n", "bị hỏng"),
    ],
)
def test_a_hostile_upload_is_refused_with_the_papers_name(citizen, procedure, units, name, content, message):
    from django.core.files.uploadedfile import SimpleUploadedFile

    required, _optional = components(procedure)
    upload = SimpleUploadedFile(name, content, content_type="application/pdf")
    response = citizen.post(
        start_url(procedure), form_data(procedure, units, **{f"c{required.pk}-file": upload})
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert f"{required.name}: tệp" in page
    assert message in page
    assert not Dossier.objects.exists()
    assert DossierDraft.objects.get().files == {}


def test_bad_input_is_explained_next_to_the_field(citizen, procedure, units):
    required, _optional = components(procedure)
    data = form_data(
        procedure,
        units,
        phone="abc",
        result_delivery="post",
        address="",
        owner_id_number="123",
        **{f"c{required.pk}-file": pdf_upload()},
    )
    response = citizen.post(start_url(procedure), data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "Số điện thoại chỉ gồm chữ số" in page
    assert "Nhận kết quả qua bưu chính: hãy ghi địa chỉ nhận." in page
    assert "Số định danh cá nhân phải gồm đúng 12 chữ số" in page
    assert 'aria-invalid="true"' in page
    assert not Dossier.objects.exists()


def test_mass_assignment_of_the_identity_is_ignored(citizen, procedure, units, applicant):
    required, _optional = components(procedure)
    data = form_data(
        procedure,
        units,
        applicant_name="Người Khác",
        applicant_id_number="001099000999",
        status="received",
        **{f"c{required.pk}-file": pdf_upload()},
    )
    citizen.post(start_url(procedure), data)
    dossier = Dossier.objects.get()
    assert dossier.applicant_name == "Nguyễn Văn An"
    assert dossier.applicant_id_number == "030090000123"
    assert dossier.status == Status.SUBMITTED


def test_a_unit_that_does_not_handle_the_procedure_is_refused(citizen, procedure, units):
    required, _optional = components(procedure)
    data = form_data(
        procedure, units, receiving_unit=str(units.district.pk), **{f"c{required.pk}-file": pdf_upload()}
    )
    response = citizen.post(start_url(procedure), data)
    assert response.status_code == 400
    assert "Nộp hồ sơ tới" in response.content.decode()
    assert not Dossier.objects.exists()


def test_a_procedure_with_only_optional_papers_can_be_filed_without_files(citizen, units):
    procedure = ProcedureFactory(published=True, online=True)
    ComponentFactory(procedure=procedure, name="Giấy tờ khác", is_required=False)
    response = citizen.post(start_url(procedure), form_data(procedure, units))
    assert response.status_code == 302
    assert Dossier.objects.get().components.count() == 0


def test_anonymous_visitors_and_officers_cannot_submit(client, procedure, units, receiver):
    response = client.post(start_url(procedure), form_data(procedure, units))
    assert response.status_code == 302
    login_with_otp(client, receiver)
    response = client.post(start_url(procedure), form_data(procedure, units))
    assert response.status_code == 302  # an officer is not an applicant on the portal
    assert not Dossier.objects.exists()
    assert not DossierDraft.objects.exists()


def test_a_forged_or_missing_form_key_is_refused_and_files_nothing(citizen, procedure, units):
    required, _optional = components(procedure)
    for key in ("", "khong-hop-le", "A" * 32):
        response = citizen.post(
            start_url(procedure),
            form_data(procedure, units, key=key, **{f"c{required.pk}-file": pdf_upload()}),
        )
        assert response.status_code == 400
        assert "Biểu mẫu không hợp lệ hoặc đã cũ" in response.content.decode()
    assert not Dossier.objects.exists()
    assert not DossierDraft.objects.exists()


def test_the_stored_image_has_no_exif(citizen, procedure, units):
    from PIL import Image

    required, optional = components(procedure)
    data = form_data(
        procedure, units, **{f"c{required.pk}-file": pdf_upload(), f"c{optional.pk}-file": jpeg_upload()}
    )
    citizen.post(start_url(procedure), data)
    photo = Dossier.objects.get().components.get(catalog_component=optional)
    content = photo.file.open("rb").read()
    assert b"Canon" not in content and b"secret comment" not in content
    with photo.file.open("rb") as handle:
        assert not Image.open(handle).getexif()


def test_saving_and_submitting_are_throttled_per_account(citizen, procedure, units, monkeypatch):
    from motcua.core import throttle
    from motcua.portal.submission import views

    monkeypatch.setattr(
        views, "SUBMISSION_RULE", throttle.Rule("portal-submission", 2, views.SUBMISSION_RULE.window)
    )
    for n in range(2):
        saved = citizen.post(
            start_url(procedure), form_data(procedure, units, action="save", key=f"{n:032x}")
        )
        assert saved.status_code == 302
    refused = citizen.post(start_url(procedure), form_data(procedure, units, action="save", key="f" * 32))
    assert refused.status_code == 429
    page = refused.content.decode()
    assert "quá nhiều lần" in page and "Thôn Đông, xã Gia Tân" in page  # what was typed is still there
    assert DossierDraft.objects.count() == 2
