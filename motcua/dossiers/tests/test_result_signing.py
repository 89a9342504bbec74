"""The leader signs the electronic result; "ký sao y" of a result numbered outside the system; the
signed forms 01–06 (issue 5, items 4 and 7)."""

import threading

import pytest
from django.core.files.base import ContentFile
from django.db import connection, connections

from motcua.core.errors import DomainError, PermissionDenied
from motcua.core.integrity import sha256_bytes
from motcua.documents.verification import verify_pdf
from motcua.dossiers import services
from motcua.dossiers.models import Dossier, DossierEvent, SignedForm
from motcua.dossiers.services import ActionRefused, MissingItem
from motcua.dossiers.services.forms_signing import sign_form
from motcua.dossiers.services.results import certify_result_copy, sign_result
from motcua.dossiers.signatures import form_checks, result_check
from motcua.dossiers.workflow import EventKind, Status
from motcua.organizations.models import Role

from .conftest import officer
from .signing_support import processing_dossier, record_pdf_result, stamp_text, stored

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def dossier(units, procedure, applicant, specialist):  # type: ignore[no-untyped-def]
    d = processing_dossier(units.commune, procedure, applicant)
    return record_pdf_result(d, specialist)


@pytest.fixture
def keys(officer_keys, leader, specialist, receiver, units):  # type: ignore[no-untyped-def]
    for person in (leader, specialist, receiver):
        officer_keys.enrol(person, units.commune.name)
    return officer_keys


def test_the_leader_signs_the_result_and_then_approves(
    dossier, keys, leader, django_capture_on_commit_callbacks
):  # type: ignore[no-untyped-def]
    # given: an electronic result recorded, not signed: approval waits for the signature
    unsigned_name = dossier.result_file.name
    assert dossier.result_sha256 == sha256_bytes(stored(dossier.result_file))
    with pytest.raises(ActionRefused, match="chưa được lãnh đạo ký số"):
        services.mark_processed(dossier_id=dossier.pk, by=leader)

    # when
    with django_capture_on_commit_callbacks(execute=True):
        d = sign_result(dossier_id=dossier.pk, by=leader, expected_version=dossier.version)

    # then: the signed PDF is the result, under a new name, with its hash; the draft is gone
    content = stored(d.result_file)
    report = verify_pdf(content)
    assert report.ok
    assert report.signatures[0].certificate.common_name == leader.full_name
    assert d.result_file.name != unsigned_name
    assert not d.result_file.storage.exists(unsigned_name)
    assert d.result_sha256 == sha256_bytes(content)
    assert (d.result_signed_by, d.is_result_electronic) == (leader, True)
    event = DossierEvent.objects.filter(dossier=d).latest("id")
    assert event.kind == EventKind.RESULT_SIGNED and event.data["sha256"] == d.result_sha256
    assert "SAO Y" not in stamp_text(content)
    d = services.mark_processed(dossier_id=d.pk, by=leader)
    assert d.status == Status.PROCESSED


def test_only_the_leader_signs_and_only_once(dossier, keys, leader, specialist):  # type: ignore[no-untyped-def]
    with pytest.raises(PermissionDenied, match="lãnh đạo"):
        sign_result(dossier_id=dossier.pk, by=specialist)
    sign_result(dossier_id=dossier.pk, by=leader)
    with pytest.raises(ActionRefused, match="đã được ký số"):
        sign_result(dossier_id=dossier.pk, by=leader)
    assert DossierEvent.objects.filter(dossier=dossier, kind=EventKind.RESULT_SIGNED).count() == 1


def test_a_leader_without_a_certificate_is_told_so(units, procedure, specialist, leader, officer_keys):  # type: ignore[no-untyped-def]
    d = record_pdf_result(processing_dossier(units.commune, procedure), specialist)
    with pytest.raises(ActionRefused, match="chứng thư số"):
        sign_result(dossier_id=d.pk, by=leader)
    d.refresh_from_db()
    assert d.result_signed_at is None


def test_only_a_pdf_result_is_signed(units, procedure, specialist, leader, keys):  # type: ignore[no-untyped-def]
    d = processing_dossier(units.commune, procedure)
    d = record_pdf_result(d, specialist, content=b"\x89PNG\r\n\x1a\n....", name="ket-qua.png")
    with pytest.raises(ActionRefused, match="không phải PDF"):
        sign_result(dossier_id=d.pk, by=leader)
    no_file = processing_dossier(units.commune, procedure)
    with pytest.raises(ActionRefused, match="chưa có tệp kết quả"):
        sign_result(dossier_id=no_file.pk, by=leader)


def test_a_stored_result_changed_on_disk_is_not_signed(dossier, keys, leader):  # type: ignore[no-untyped-def]
    with open(dossier.result_file.path, "ab") as handle:
        handle.write(b"% appended")
    with pytest.raises(ActionRefused, match="bị thay đổi"):
        sign_result(dossier_id=dossier.pk, by=leader)


def test_a_new_result_file_must_be_signed_again(dossier, keys, leader, specialist):  # type: ignore[no-untyped-def]
    sign_result(dossier_id=dossier.pk, by=leader)
    d = record_pdf_result(Dossier.objects.get(pk=dossier.pk), specialist)
    assert d.result_signed_at is None and d.result_sha256 == sha256_bytes(stored(d.result_file))
    assert "chưa được lãnh đạo ký số" in "; ".join(services.ready_problems(d))


def test_certified_copy_of_a_result_numbered_outside(dossier, keys, leader):  # type: ignore[no-untyped-def]
    d = certify_result_copy(dossier_id=dossier.pk, by=leader)

    content = stored(d.result_file)
    assert verify_pdf(content).ok
    assert "SAO Y" in stamp_text(content)
    assert DossierEvent.objects.filter(dossier=d, kind=EventKind.RESULT_COPY_CERTIFIED).count() == 1
    check = result_check(d)
    assert check is not None and check.ok and check.is_certified_copy and check.signer == leader.full_name
    with pytest.raises(ActionRefused, match="đã được ký số"):
        sign_result(dossier_id=d.pk, by=leader)


def test_a_tampered_stored_result_is_reported_invalid(dossier, keys, leader):  # type: ignore[no-untyped-def]
    d = sign_result(dossier_id=dossier.pk, by=leader)
    content = stored(d.result_file)
    index = content.index(b"Giay xac nhan")
    with open(d.result_file.path, "wb") as handle:
        handle.write(content[:index] + b"G1ay" + content[index + 4 :])

    check = result_check(d)

    assert check is not None and not check.ok and not check.is_unchanged
    assert not check.report.signatures[0].intact


# --- forms --------------------------------------------------------------------------------------------


def test_the_receiver_signs_the_receipt_and_a_new_version_only_after_a_change(
    dossier, keys, receiver, specialist
):  # type: ignore[no-untyped-def]
    first = sign_form(dossier_id=dossier.pk, form="01", by=receiver)

    content = stored(first.file)
    report = verify_pdf(content)
    assert report.ok and report.signatures[0].certificate.common_name == receiver.full_name
    assert first.sha256 == sha256_bytes(content)
    event = DossierEvent.objects.filter(dossier=dossier).latest("id")
    assert (event.kind, event.data["form"], event.data["signed_form"]) == (
        EventKind.FORM_SIGNED,
        "01",
        first.pk,
    )
    with pytest.raises(ActionRefused, match="không cần ký lại"):
        sign_form(dossier_id=dossier.pk, form="01", by=receiver)
    # the dossier moves on: a new version is signed, the latest is the one shown
    services.suspend(dossier_id=dossier.pk, by=specialist, reason="Chờ xác minh")
    second = sign_form(dossier_id=dossier.pk, form="01", by=receiver)
    assert SignedForm.objects.filter(dossier=dossier, form="01").count() == 2
    assert [c.signed_form for c in form_checks(dossier)] == [second]


def test_who_signs_which_form(dossier, keys, receiver, specialist, leader):  # type: ignore[no-untyped-def]
    with pytest.raises(PermissionDenied):
        sign_form(dossier_id=dossier.pk, form="01", by=specialist)
    with pytest.raises(ActionRefused, match="chưa có mẫu 04"):
        sign_form(dossier_id=dossier.pk, form="04", by=leader)
    services.request_supplement(dossier_id=dossier.pk, by=specialist, items=[MissingItem("Giấy chứng sinh")])
    # form 02: the specialist who asked, or the counter
    assert sign_form(dossier_id=dossier.pk, form="02", by=specialist).signed_by == specialist
    with pytest.raises(PermissionDenied):
        sign_form(dossier_id=dossier.pk, form="05", by=leader)
    assert sign_form(dossier_id=dossier.pk, form="05", by=receiver).form == "05"
    assert sign_form(dossier_id=dossier.pk, form="06", by=receiver).form == "06"


def test_a_refusal_form_is_signed_on_the_closed_dossier(units, procedure, receiver, person, keys):  # type: ignore[no-untyped-def]
    d = services.refuse_at_counter(
        by=receiver,
        procedure=procedure,
        receiving_unit=units.commune,
        applicant=person,
        reasons=["Sai thẩm quyền"],
    )
    assert d.status == Status.NOT_RECEIVED

    row = sign_form(dossier_id=d.pk, form="03", by=receiver)

    d.refresh_from_db()
    assert verify_pdf(stored(row.file)).ok
    assert d.version == DossierEvent.objects.filter(dossier=d).count()  # one version per event


def test_a_flipped_byte_in_a_signed_form_is_reported_invalid(dossier, keys, receiver):  # type: ignore[no-untyped-def]
    row = sign_form(dossier_id=dossier.pk, form="05", by=receiver)
    content = bytearray(stored(row.file))
    start = content.index(b"/Contents") - 200  # inside the signed range, before the signature
    content[start] ^= 0x01
    row.file.storage.delete(row.file.name)
    row.file.storage.save(row.file.name, ContentFile(bytes(content)))

    [check] = form_checks(dossier)

    assert not check.ok and not check.is_unchanged
    assert not check.report.ok  # the signature itself no longer matches, not only the recorded hash


@pytest.mark.django_db(transaction=True)
def test_two_leaders_signing_at_once_give_one_signature(units, procedure, specialist, leader, officer_keys):  # type: ignore[no-untyped-def]
    if connection.vendor != "postgresql":
        pytest.skip("a real two-connection race needs PostgreSQL row locks (SQLite serialises writers)")
    deputy = officer(units.commune, Role.LEADER, "Phó chủ tịch xã")
    for person in (leader, deputy):
        officer_keys.enrol(person, units.commune.name)
    d = record_pdf_result(processing_dossier(units.commune, procedure), specialist)
    barrier = threading.Barrier(2)
    outcomes: list[object] = [None, None]

    def act(i: int, by) -> None:  # type: ignore[no-untyped-def]
        try:
            barrier.wait(timeout=30)
            outcomes[i] = sign_result(dossier_id=d.pk, by=by)
        except DomainError as exc:
            outcomes[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=act, args=(i, by)) for i, by in enumerate((leader, deputy))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    refused = [o for o in outcomes if isinstance(o, ActionRefused)]
    assert len(refused) == 1 and "đã được ký số" in refused[0].message
    assert DossierEvent.objects.filter(dossier=d, kind=EventKind.RESULT_SIGNED).count() == 1
    d.refresh_from_db()
    assert verify_pdf(stored(d.result_file)).ok
