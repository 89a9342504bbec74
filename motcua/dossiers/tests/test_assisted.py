"""Assisted submission: a receiver prepares a draft in the applicant's own account, the applicant files
it (online, own account, ``assisted_by`` in the first event); nobody else can see or file it."""

import pytest
from django.core.files.storage import default_storage

from motcua.accounts.tests.factories import UserFactory
from motcua.catalog.models import OnlineLevel
from motcua.core.errors import Conflict, NotFound, PermissionDenied
from motcua.documents.tests.samples import pdf_bytes
from motcua.documents.uploads import CheckedFile
from motcua.dossiers import services
from motcua.dossiers.models import DossierDraft
from motcua.dossiers.queries import drafts_of, reception_queue
from motcua.dossiers.services import ActionRefused, ApplicantInput, NoApplicantAccount
from motcua.dossiers.tests.conftest import MONDAY_8
from motcua.dossiers.workflow import Channel, EventKind, Status
from motcua.notifications.models import Message, MessageChannel

pytestmark = pytest.mark.django_db

KEY = "b" * 32
NO_ACCOUNT = "Người nộp chưa có tài khoản trên Cổng dịch vụ công; hướng dẫn đăng ký rồi chuẩn bị lại"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path / "media"


def scan() -> CheckedFile:
    return CheckedFile(
        content=pdf_bytes(), extension="pdf", mime_type="application/pdf", original_name="tk.pdf"
    )


def prepare(by, units, procedure, id_number="030090000123", key=KEY, **changes):  # type: ignore[no-untyped-def]
    required = procedure.components.order_by("position").first()
    arguments = {
        "by": by,
        "receiving_unit": units.commune,
        "procedure": procedure,
        "applicant_id_number": id_number,
        "idempotency_key": key,
        "data": {"address": "Thôn Đông, xã Gia Tân", "result_delivery": "online"},
        "files": {required.pk: scan()},
        **changes,
    }
    return services.prepare_for_applicant(**arguments)


def confirm(user, draft, units):  # type: ignore[no-untyped-def]
    """What the portal's "Nộp hồ sơ" does for the owner: ``submit_draft`` with the account's identity."""
    return services.submit_draft(
        by=user,
        draft_id=draft.pk,
        receiving_unit=units.commune,
        applicant=ApplicantInput(name=user.full_name, id_number=user.national_id or user.tax_code, user=user),
        result_delivery=draft.data.get("result_delivery", "online"),
    )


def test_prepared_notified_confirmed_online_own_account_and_assisted(
    clock, units, procedure, receiver, applicant, django_capture_on_commit_callbacks
):
    # given: the receiver prepares the dossier in the applicant's account
    draft = prepare(receiver, units, procedure)
    # then: the draft is the applicant's, marked as prepared at the counter
    assert draft.owner == applicant
    assert (draft.prepared_by, draft.prepared_unit, draft.prepared_at) == (receiver, units.commune, MONDAY_8)
    assert draft.data["applicant_id_number"] == "030090000123"
    assert draft.data["receiving_unit"] == str(units.commune.pk)
    assert draft.data["phone"] == "0912000111"  # the account's contact when the officer typed none
    assert list(drafts_of(applicant)) == [draft]
    (stored,) = draft.files.values()
    assert default_storage.exists(stored["path"])
    # and the applicant is told on every channel they have, without personal data
    notices = Message.objects.filter(template="draft_prepared")
    assert {m.channel for m in notices} >= {MessageChannel.PORTAL, MessageChannel.SMS}
    portal = notices.get(channel=MessageChannel.PORTAL)
    assert portal.user == applicant
    assert "UBND xã Gia Tân" in portal.body and "Đăng ký khai sinh" in portal.body
    assert "xác nhận nộp" in portal.body and f"/ho-so-nhap/{draft.pk}/" in portal.body
    assert "030090000123" not in portal.body
    # when: the applicant confirms from their own account
    with django_capture_on_commit_callbacks(execute=True):
        dossier = confirm(applicant, draft, units)
    # then: an online dossier from the own account, in the unit's online queue
    assert dossier.channel == Channel.ONLINE
    assert dossier.status == Status.SUBMITTED
    assert dossier.applicant_user == applicant
    assert dossier.is_own_account
    assert dossier in reception_queue(units.commune)
    assert dossier.components.get().file.name.endswith(".pdf")
    first = dossier.events.order_by("id").first()
    assert first.kind == EventKind.SUBMITTED
    assert first.actor == applicant
    assisted = first.data["assisted_by"]
    assert assisted["unit_id"] == units.commune.pk
    assert assisted["unit_code"] == units.commune.code
    assert assisted["officer_id"] == receiver.pk
    assert assisted["prepared_at"].startswith("2024-03-04T08:00")
    assert not DossierDraft.objects.exists()
    assert not default_storage.exists(stored["path"])


def test_an_own_submission_records_no_assistance(clock, units, procedure, applicant):
    draft = services.save_draft(by=applicant, procedure=procedure, idempotency_key=KEY, data={})
    services.save_draft(
        by=applicant,
        procedure=procedure,
        idempotency_key=KEY,
        data={},
        files={procedure.components.order_by("position").first().pk: scan()},
        draft_id=draft.pk,
    )
    dossier = confirm(applicant, draft, units)
    assert "assisted_by" not in dossier.events.order_by("id").first().data


def test_an_unknown_id_number_gets_the_registration_message(clock, units, procedure, receiver, applicant):
    with pytest.raises(NoApplicantAccount) as refused:
        prepare(receiver, units, procedure, id_number="030190000999")
    assert NO_ACCOUNT in refused.value.message
    # an officer's account with that national ID, or an inactive (unverified) registration, is no
    # applicant account
    UserFactory(officer=True, national_id="030190000999")
    UserFactory(national_id="030190000888", is_active=False)
    for number in ("030190000999", "030190000888", ""):
        with pytest.raises(NoApplicantAccount):
            prepare(receiver, units, procedure, id_number=number)
    assert not DossierDraft.objects.exists()
    assert not Message.objects.filter(template="draft_prepared").exists()


def test_an_organisation_is_found_by_its_tax_code(clock, units, procedure, receiver):
    company = UserFactory(tax_code="0100109106", full_name="Công ty TNHH Hoa Sen")
    draft = prepare(receiver, units, procedure, id_number="0100109106")
    assert draft.owner == company
    assert draft.data["applicant_id_number"] == "0100109106"


@pytest.mark.parametrize("who", ["specialist", "leader", "receiver_elsewhere", "applicant"])
def test_only_a_receiver_of_the_unit_prepares(clock, units, procedure, request, who):
    request.getfixturevalue("applicant")
    with pytest.raises(PermissionDenied) as refused:
        prepare(request.getfixturevalue(who), units, procedure)
    assert "UBND xã Gia Tân" in refused.value.message
    assert not DossierDraft.objects.exists()


def test_nobody_but_the_owner_files_or_deletes_it(
    clock, units, procedure, receiver, applicant, other_applicant, specialist
):
    draft = prepare(receiver, units, procedure)
    for someone in (other_applicant, receiver, specialist):
        assert not drafts_of(someone).exists()
        with pytest.raises(NotFound):
            confirm(someone, draft, units)
        with pytest.raises(NotFound):
            services.delete_draft(by=someone, draft_id=draft.pk)
    with pytest.raises(ActionRefused):  # an officer cannot edit a draft either
        services.save_draft(by=receiver, procedure=procedure, idempotency_key=KEY, data={}, draft_id=draft.pk)
    assert DossierDraft.objects.get() == draft
    services.delete_draft(by=applicant, draft_id=draft.pk)  # the owner may decline it
    assert not DossierDraft.objects.exists()


def test_a_replay_returns_the_same_draft_and_a_filed_key_is_a_conflict(
    clock, units, procedure, receiver, applicant
):
    first = prepare(receiver, units, procedure)
    again = prepare(receiver, units, procedure, data={"address": "khác"})
    assert again.pk == first.pk
    assert DossierDraft.objects.count() == 1
    assert Message.objects.filter(template="draft_prepared", channel=MessageChannel.PORTAL).count() == 1
    dossier = confirm(applicant, first, units)
    with pytest.raises(Conflict) as conflict:
        prepare(receiver, units, procedure)
    assert dossier.code in conflict.value.message
    with pytest.raises(ActionRefused):
        prepare(receiver, units, procedure, key="not-a-form-key")


def test_procedures_without_online_service_are_refused(clock, units, procedure, receiver, applicant):
    procedure.online_level = OnlineLevel.NONE
    procedure.save(update_fields=["online_level"])
    with pytest.raises(ActionRefused) as refused:
        prepare(receiver, units, procedure)
    assert "không cung cấp dịch vụ công trực tuyến" in refused.value.message
