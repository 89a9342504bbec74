"""The approver signs the certified electronic copy with their own certificate; the signed copy goes to
the requester's data store (NĐ 23/2015/NĐ-CP Điều 20; NĐ 45/2020/NĐ-CP Điều 6, Điều 16)."""

import pytest

from motcua.certification import services
from motcua.certification.models import BookKind, CertificationStatus
from motcua.certification.tests.conftest import paid, scan_file
from motcua.core.errors import Conflict, DomainError, PermissionDenied
from motcua.documents.models import StoredKind
from motcua.documents.signing import SigningError
from motcua.documents.store import documents_of
from motcua.documents.verification import verify_pdf

pytestmark = pytest.mark.django_db

ID_NUMBER = "030090000123"


def certified(justice_officer, leader, unit, *, pay=True, kind=BookKind.ELECTRONIC_COPY, id_number=ID_NUMBER):
    c = services.receive_original(
        by=justice_officer,
        unit=unit,
        scan=scan_file(2),
        requester_name="Nguyễn Văn An",
        requester_id_number=id_number,
        document_name="Bằng tốt nghiệp trung học phổ thông",
        copies=1,
        kind=kind,
    )
    if pay:
        c = paid(c, justice_officer)
    return services.approve(certification_id=c.pk, by=leader, title="Chủ tịch")


def test_the_approver_signs_with_their_own_certificate(units, justice_officer, leader, officer_keys):
    # given
    officer_keys.enrol(leader, units.commune.name)
    c = certified(justice_officer, leader, units.commune)
    original = c.certified_file.read()
    # when
    c = services.sign_certified_copy(certification_id=c.pk, by=leader)
    # then
    signed = c.signed_file.read()
    assert c.status == CertificationStatus.SIGNED and c.signed_at is not None
    assert signed.startswith(original) and len(signed) > len(original)  # an incremental update
    report = verify_pdf(signed)
    assert report.ok, report
    assert report.signatures[0].certificate.common_name == "Vũ Quang Huy (chủ tịch xã)"
    assert report.signatures[0].reason == services.SIGNING_REASON
    from motcua.core.integrity import sha256_bytes

    assert c.signed_sha256 == sha256_bytes(signed)


def test_without_a_certificate_the_officer_is_told_why_and_nothing_changes(
    units, justice_officer, leader, officer_keys
):
    c = certified(justice_officer, leader, units.commune)
    with pytest.raises(SigningError, match="chưa có chứng thư số"):
        services.sign_certified_copy(certification_id=c.pk, by=leader)
    c.refresh_from_db()
    assert c.status == CertificationStatus.CERTIFIED and not c.signed_file and c.signed_at is None


def test_another_leader_of_the_unit_may_not_sign_the_approvers_copy(
    units, justice_officer, leader, officer_keys
):
    from motcua.dossiers.tests.conftest import officer
    from motcua.organizations.models import Role

    vice_chair = officer(units.commune, Role.LEADER, "Đỗ Minh Tâm (phó chủ tịch)")
    officer_keys.enrol(vice_chair, units.commune.name)
    c = certified(justice_officer, leader, units.commune)
    for who in (vice_chair, justice_officer):
        with pytest.raises(PermissionDenied):
            services.sign_certified_copy(certification_id=c.pk, by=who)


def test_an_unpaid_copy_is_not_signed(units, justice_officer, leader, officer_keys):
    officer_keys.enrol(leader, units.commune.name)
    c = certified(justice_officer, leader, units.commune, pay=False)
    with pytest.raises(DomainError, match="chưa nộp phí"):
        services.sign_certified_copy(certification_id=c.pk, by=leader)
    c = services.sign_certified_copy(certification_id=paid(c, justice_officer).pk, by=leader)
    assert c.status == CertificationStatus.SIGNED


def test_signing_twice_is_a_conflict_and_a_paper_copy_is_not_signed_digitally(
    units, justice_officer, leader, officer_keys
):
    officer_keys.enrol(leader, units.commune.name)
    c = services.sign_certified_copy(
        certification_id=certified(justice_officer, leader, units.commune).pk, by=leader
    )
    first = c.signed_file.read()
    with pytest.raises(Conflict):
        services.sign_certified_copy(certification_id=c.pk, by=leader)
    c.refresh_from_db()
    assert c.signed_file.read() == first
    paper = certified(justice_officer, leader, units.commune, kind=BookKind.COPY)
    with pytest.raises(Conflict, match="ký tay"):
        services.sign_certified_copy(certification_id=paper.pk, by=leader)


def test_a_certified_copy_changed_on_disk_is_not_signed(units, justice_officer, leader, officer_keys):
    officer_keys.enrol(leader, units.commune.name)
    c = certified(justice_officer, leader, units.commune)
    with open(c.certified_file.path, "ab") as handle:
        handle.write(b"\n% changed\n")
    with pytest.raises(DomainError, match="bị thay đổi"):
        services.sign_certified_copy(certification_id=c.pk, by=leader)
    c.refresh_from_db()
    assert c.status == CertificationStatus.CERTIFIED


def test_the_signed_copy_goes_to_the_requesters_data_store_once(units, justice_officer, leader, officer_keys):
    # given
    officer_keys.enrol(leader, units.commune.name)
    c = certified(justice_officer, leader, units.commune)
    with pytest.raises(Conflict, match="đã ký số"):
        services.place_in_data_store(certification_id=c.pk, by=justice_officer)  # not signed yet
    c = services.sign_certified_copy(certification_id=c.pk, by=leader)
    # when
    c = services.place_in_data_store(certification_id=c.pk, by=justice_officer)
    again = services.place_in_data_store(certification_id=c.pk, by=leader)
    # then
    (document,) = documents_of(ID_NUMBER)
    assert c.in_data_store_at is not None and c.stored_document == document == again.stored_document
    assert (document.kind, document.is_signed, document.sha256) == (
        StoredKind.CERTIFIED_COPY,
        True,
        c.signed_sha256,
    )
    assert document.number == c.number_label and document.issuer == units.commune.name
    assert document.source_unit == units.commune and document.title == c.document_name


def test_no_store_without_the_requesters_id_number_or_with_an_invalid_one(
    units, justice_officer, leader, officer_keys, receiver
):
    officer_keys.enrol(leader, units.commune.name)
    for id_number, message in (("", "Chưa có số định danh"), ("123456789", "không hợp lệ")):
        c = certified(justice_officer, leader, units.commune, id_number=id_number)
        c = services.sign_certified_copy(certification_id=c.pk, by=leader)
        assert services.may_place_in_data_store(c) == bool(id_number)  # the button
        with pytest.raises(DomainError, match=message):
            services.place_in_data_store(certification_id=c.pk, by=justice_officer)
        c.refresh_from_db()
        assert c.in_data_store_at is None
    with pytest.raises(PermissionDenied):
        services.place_in_data_store(certification_id=c.pk, by=receiver)
