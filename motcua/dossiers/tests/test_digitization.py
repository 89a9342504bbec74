"""Digitization at reception: the receiver scans each paper, the normalised PDF is signed by them, the
flags and the event are written together; the backlog of dossiers not digitized since 1 January
(NĐ 107/2021/NĐ-CP Điều 21a; seeds 001 and 003)."""

import datetime as dt
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from motcua.core.errors import Conflict, PermissionDenied
from motcua.core.integrity import sha256_bytes
from motcua.core.worktime import TZ
from motcua.documents.tests.samples import jpeg_with_exif, pdf_bytes, png_bytes
from motcua.documents.verification import verify_pdf
from motcua.dossiers.models import Dossier, DossierComponent, DossierEvent
from motcua.dossiers.services import ActionRefused, DossierClosed
from motcua.dossiers.services import digitization as svc
from motcua.dossiers.tests.factories import DossierFactory
from motcua.dossiers.workflow import EventKind, Status

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path / "media"


def make_dossier(unit, procedure, *, received_at=None, papers=("Tờ khai", "Giấy chứng sinh"), **fields):  # type: ignore[no-untyped-def]
    """A received dossier of ``unit`` (factory traits in ``fields``) with one provided paper per name
    (no file yet)."""
    at = received_at or timezone.now()
    if not fields.get("online"):
        fields = {"submitted_at": at, "received_at": at, **fields}
    dossier = DossierFactory(procedure=procedure, receiving_unit=unit, **fields)
    for position, name in enumerate(papers, start=1):
        DossierComponent.objects.create(dossier=dossier, position=position, name=name, is_provided=True)
    return dossier


def stored(file) -> bytes:  # type: ignore[no-untyped-def]
    with file.open("rb") as handle:
        return bytes(handle.read())


def media_files(settings) -> list[Path]:  # type: ignore[no-untyped-def]
    root = Path(settings.MEDIA_ROOT)
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def scans() -> list[ContentFile[bytes]]:
    return [
        ContentFile(jpeg_with_exif((300, 420)), name="trang-1.jpg"),
        ContentFile(pdf_bytes(2), name="trang-2-3.pdf"),
    ]


@pytest.fixture
def keys(officer_keys, receiver, units):  # type: ignore[no-untyped-def]
    """The receiver holds a registered certificate (each enrolment makes a key: only who signs)."""
    officer_keys.enrol(receiver, units.commune.name)
    return officer_keys


def test_the_receiver_digitizes_a_paper_and_it_is_signed_by_them(units, procedure, receiver, keys):  # type: ignore[no-untyped-def]
    # given a received dossier with two papers
    dossier = make_dossier(units.commune, procedure)
    paper = dossier.components.get(position=1)

    # when the receiver uploads a photo and a two-page PDF for the first paper
    outcome = svc.digitize_component(
        dossier_id=dossier.pk,
        component_id=paper.pk,
        by=receiver,
        files=scans(),
        ocr=False,
        expected_version=dossier.version,
    )

    # then the paper holds one signed PDF of three pages with its hash and flags
    paper.refresh_from_db()
    content = stored(paper.file)
    assert paper.file.name.endswith(".pdf") and "trang" not in paper.file.name
    assert paper.file_sha256 == sha256_bytes(content)
    assert (paper.page_count, paper.has_text_layer, paper.is_digitized, paper.is_provided) == (
        3,
        False,
        True,
        True,
    )
    assert paper.digitized_by == receiver and paper.signed_by == receiver
    assert paper.digitized_at is not None and paper.signed_at == paper.digitized_at
    report = verify_pdf(content)
    assert report.ok and len(report.signatures) == 1
    assert report.signatures[0].certificate.common_name == receiver.full_name
    # the event, without a status change; the dossier is not digitized yet (the second paper waits)
    event = DossierEvent.objects.filter(dossier=dossier).latest("id")
    assert event.kind == EventKind.COMPONENT_DIGITIZED and event.actor == receiver
    assert (event.from_status, event.to_status) == ("", "")
    assert event.data["component"] == paper.pk and event.data["pages"] == 3
    assert event.data["sha256"] == paper.file_sha256 and event.data["source"] == "upload"
    fresh = Dossier.objects.get(pk=dossier.pk)
    assert fresh.status == Status.RECEIVED and fresh.version == dossier.version + 1
    assert fresh.digitized_at is None and not outcome.is_dossier_digitized


def test_the_dossier_is_digitized_when_every_provided_paper_is(units, procedure, receiver, keys):  # type: ignore[no-untyped-def]
    # given two papers handed in and one not handed in
    dossier = make_dossier(units.commune, procedure, processing=True)
    DossierComponent.objects.create(dossier=dossier, position=3, name="Giấy ủy quyền", is_provided=False)
    first, second = dossier.components.filter(is_provided=True).order_by("position")

    # when both provided papers are digitized
    svc.digitize_component(
        dossier_id=dossier.pk,
        component_id=first.pk,
        by=receiver,
        files=[ContentFile(png_bytes(), name="a.png")],
        ocr=False,
    )
    outcome = svc.digitize_component(
        dossier_id=dossier.pk,
        component_id=second.pk,
        by=receiver,
        files=[ContentFile(pdf_bytes(1), name="b.pdf")],
        ocr=False,
    )

    # then the dossier is digitized at the moment of the last one, and the event says so
    fresh = Dossier.objects.get(pk=dossier.pk)
    second.refresh_from_db()
    assert outcome.is_dossier_digitized
    assert fresh.digitized_at == second.digitized_at
    events = list(
        DossierEvent.objects.filter(dossier=dossier, kind=EventKind.COMPONENT_DIGITIZED).order_by("id")
    )
    assert [e.data["dossier_digitized"] for e in events] == [False, True]


@pytest.mark.parametrize("who", ["specialist", "leader", "receiver_elsewhere"])
def test_only_a_receiver_of_the_receiving_unit_digitizes(
    who, request, units, procedure, officer_keys, settings
):  # type: ignore[no-untyped-def]
    dossier = make_dossier(units.commune, procedure)
    paper = dossier.components.first()
    officer = request.getfixturevalue(who)
    officer_keys.enrol(officer, units.commune.name)  # a valid certificate is not a role

    with pytest.raises(PermissionDenied, match="Chỉ cán bộ tiếp nhận của UBND xã Gia Tân"):
        svc.digitize_component(
            dossier_id=dossier.pk, component_id=paper.pk, by=officer, files=scans(), ocr=False
        )

    paper.refresh_from_db()
    assert not paper.file and paper.signed_at is None
    assert not DossierEvent.objects.filter(dossier=dossier).exists()
    assert media_files(settings) == []


def test_a_closed_or_not_yet_received_dossier_is_refused(units, procedure, receiver, keys):  # type: ignore[no-untyped-def]
    returned = make_dossier(units.commune, procedure, returned=True)
    with pytest.raises(DossierClosed, match="đã kết thúc"):
        svc.digitize_component(
            dossier_id=returned.pk,
            component_id=returned.components.first().pk,
            by=receiver,
            files=scans(),
            ocr=False,
        )
    online = make_dossier(units.commune, procedure, online=True)
    with pytest.raises(ActionRefused, match="không thể số hóa"):
        svc.digitize_component(
            dossier_id=online.pk,
            component_id=online.components.first().pk,
            by=receiver,
            files=scans(),
            ocr=False,
        )


def test_an_officer_without_a_certificate_is_told_and_nothing_is_written(
    units, procedure, receiver, officer_keys, settings
):  # type: ignore[no-untyped-def]
    dossier = make_dossier(units.commune, procedure)
    paper = dossier.components.first()

    with pytest.raises(ActionRefused, match="chưa có chứng thư số"):
        svc.digitize_component(
            dossier_id=dossier.pk, component_id=paper.pk, by=receiver, files=scans(), ocr=False
        )

    paper.refresh_from_db()
    assert not paper.file and not paper.is_digitized and paper.signed_at is None
    assert Dossier.objects.get(pk=dossier.pk).version == dossier.version
    assert not DossierEvent.objects.filter(dossier=dossier).exists()
    assert media_files(settings) == []


def test_a_bad_file_is_refused_naming_the_paper(units, procedure, receiver, keys, settings):  # type: ignore[no-untyped-def]
    dossier = make_dossier(units.commune, procedure)
    paper = dossier.components.get(position=2)
    files = [ContentFile(png_bytes(), name="tot.png"), ContentFile(b"MZ\x90\x00 not a scan", name="giay.jpg")]

    with pytest.raises(ActionRefused) as refused:
        svc.digitize_component(
            dossier_id=dossier.pk, component_id=paper.pk, by=receiver, files=files, ocr=False
        )

    assert refused.value.message.startswith("Giấy chứng sinh: tệp «giay.jpg» không phải PDF, JPEG hoặc PNG")
    assert not DossierEvent.objects.filter(dossier=dossier).exists()
    assert media_files(settings) == []


def test_ocr_asked_without_tesseract_is_refused(units, procedure, receiver, keys, monkeypatch):  # type: ignore[no-untyped-def]
    from motcua.documents import digitize as dg

    monkeypatch.setattr(dg, "ocr_available", lambda: False)
    dossier = make_dossier(units.commune, procedure)

    with pytest.raises(ActionRefused, match="chưa cài Tesseract"):
        svc.digitize_component(
            dossier_id=dossier.pk,
            component_id=dossier.components.first().pk,
            by=receiver,
            files=scans(),
            ocr=True,
        )


def test_a_failing_write_leaves_no_file_behind(units, procedure, receiver, keys, settings, monkeypatch):  # type: ignore[no-untyped-def]
    # given the event cannot be written (the transaction fails after the file was saved)
    def broken_move(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise RuntimeError("database went away")

    monkeypatch.setattr(svc, "_move", broken_move)
    dossier = make_dossier(units.commune, procedure)
    paper = dossier.components.first()

    with pytest.raises(RuntimeError):
        svc.digitize_component(
            dossier_id=dossier.pk, component_id=paper.pk, by=receiver, files=scans(), ocr=False
        )

    # then neither the row nor the storage keeps anything
    paper.refresh_from_db()
    assert not paper.file and paper.signed_at is None
    assert media_files(settings) == []


def test_a_stale_version_is_a_conflict(units, procedure, receiver, keys, settings):  # type: ignore[no-untyped-def]
    dossier = make_dossier(units.commune, procedure)

    with pytest.raises(Conflict, match="vừa được người khác cập nhật"):
        svc.digitize_component(
            dossier_id=dossier.pk,
            component_id=dossier.components.first().pk,
            by=receiver,
            files=scans(),
            ocr=False,
            expected_version=dossier.version - 1,
        )
    assert media_files(settings) == []


def test_a_paper_digitized_by_someone_else_meanwhile_is_not_overwritten(
    units, procedure, receiver, keys, monkeypatch
):  # type: ignore[no-untyped-def]
    # given: while this officer's scan is being signed, a colleague stores another one
    dossier = make_dossier(units.commune, procedure)
    paper = dossier.components.first()
    real = svc._normalise_and_sign

    def slow(*args, **kwargs):  # type: ignore[no-untyped-def]
        result = real(*args, **kwargs)
        monkeypatch.setattr(svc, "_normalise_and_sign", real)
        svc.digitize_component(
            dossier_id=dossier.pk,
            component_id=paper.pk,
            by=receiver,
            files=[ContentFile(png_bytes(), name="x.png")],
            ocr=False,
        )
        return result

    monkeypatch.setattr(svc, "_normalise_and_sign", slow)

    with pytest.raises(Conflict, match="vừa được người khác số hóa"):
        svc.digitize_component(
            dossier_id=dossier.pk, component_id=paper.pk, by=receiver, files=scans(), ocr=False
        )

    paper.refresh_from_db()
    assert paper.page_count == 1  # the colleague's one-page scan stays
    assert DossierEvent.objects.filter(dossier=dossier, kind=EventKind.COMPONENT_DIGITIZED).count() == 1


def test_a_file_uploaded_at_intake_is_signed_without_a_new_upload(units, procedure, receiver, keys):  # type: ignore[no-untyped-def]
    # given a paper uploaded at intake (a PDF with its recorded hash)
    dossier = make_dossier(units.commune, procedure)
    paper = dossier.components.first()
    original = pdf_bytes(2)
    paper.file.save("intake.pdf", ContentFile(original), save=False)
    paper.file_sha256 = sha256_bytes(original)
    paper.save()
    original_name = paper.file.name

    # when
    outcome = svc.sign_existing_component(dossier_id=dossier.pk, component_id=paper.pk, by=receiver)

    # then the signed PDF replaces it as the paper's file; the intake file is kept and named in the event
    paper.refresh_from_db()
    content = stored(paper.file)
    assert paper.file.name != original_name and paper.file.storage.exists(original_name)
    assert verify_pdf(content).signatures[0].certificate.common_name == receiver.full_name
    assert (paper.page_count, paper.signed_by, paper.is_digitized) == (2, receiver, True)
    event = DossierEvent.objects.filter(dossier=dossier).latest("id")
    assert event.data["source"] == "existing" and event.data["previous_file"] == original_name
    assert event.data["previous_sha256"] == sha256_bytes(original)
    assert outcome.component.pk == paper.pk

    # and a second signature of the same paper is refused
    with pytest.raises(ActionRefused, match="đã được ký số"):
        svc.sign_existing_component(dossier_id=dossier.pk, component_id=paper.pk, by=receiver)


def test_a_changed_or_missing_intake_file_is_not_signed(units, procedure, receiver, keys):  # type: ignore[no-untyped-def]
    dossier = make_dossier(units.commune, procedure)
    first, second = dossier.components.order_by("position")
    first.file.save("intake.pdf", ContentFile(pdf_bytes(1)), save=False)
    first.file_sha256 = sha256_bytes(b"what was received")
    first.save()

    with pytest.raises(ActionRefused, match="đã bị thay đổi sau khi lưu"):
        svc.sign_existing_component(dossier_id=dossier.pk, component_id=first.pk, by=receiver)
    with pytest.raises(ActionRefused, match="chưa có tệp đính kèm"):
        svc.sign_existing_component(dossier_id=dossier.pk, component_id=second.pk, by=receiver)
    assert not DossierEvent.objects.filter(dossier=dossier).exists()


# --- the backlog --------------------------------------------------------------------------------------


def local(y: int, m: int, d: int) -> dt.datetime:
    return dt.datetime(y, m, d, 9, 0, tzinfo=TZ)


def test_the_backlog_lists_the_units_undigitized_dossiers_of_the_year_oldest_first(
    units, procedure, receiver, receiver_elsewhere
):  # type: ignore[no-untyped-def]
    # given (seen on 15 June 2026)
    now = local(2026, 6, 15)
    march = make_dossier(units.commune, procedure, received_at=local(2026, 3, 2))
    january = make_dossier(units.commune, procedure, received_at=local(2026, 1, 5), processed=True)
    half = make_dossier(units.commune, procedure, received_at=local(2026, 4, 1))
    half.components.filter(position=1).update(signed_at=now, is_digitized=True)
    # not in the backlog: last year, digitized, every provided paper done, nothing provided, closed,
    # another unit's, not received yet
    make_dossier(units.commune, procedure, received_at=local(2025, 12, 31))
    make_dossier(units.commune, procedure, received_at=local(2026, 2, 1), digitized_at=now)
    done = make_dossier(units.commune, procedure, received_at=local(2026, 2, 2))
    done.components.filter(position=1).update(signed_at=now)
    done.components.filter(position=2).update(is_provided=False)
    make_dossier(units.commune, procedure, received_at=local(2026, 2, 3), papers=())
    make_dossier(units.commune, procedure, received_at=local(2026, 2, 4), returned=True)
    make_dossier(units.other_commune, procedure, received_at=local(2026, 2, 5))
    online = make_dossier(units.commune, procedure, online=True)
    Dossier.objects.filter(pk=online.pk).update(submitted_at=local(2026, 2, 6))

    # when
    import time_machine

    with time_machine.travel(now, tick=False):
        backlog = list(svc.digitization_backlog(receiver, units.commune))
        closed = svc.closed_without_digitization(receiver, units.commune)
        elsewhere = list(svc.digitization_backlog(receiver_elsewhere, units.commune))

    # then
    assert [d.pk for d in backlog] == [january.pk, march.pk, half.pk]
    assert [(d.components_done, d.components_total) for d in backlog] == [(0, 2), (0, 2), (1, 2)]
    assert closed == 1
    assert elsewhere == []  # another commune's receiver sees nothing of this unit


def test_the_backlog_since_a_given_date(units, procedure, receiver):  # type: ignore[no-untyped-def]
    old = make_dossier(units.commune, procedure, received_at=local(2025, 11, 3))
    make_dossier(units.commune, procedure, received_at=local(2025, 9, 1))

    backlog = svc.digitization_backlog(receiver, units.commune, since=local(2025, 10, 1))

    assert [d.pk for d in backlog] == [old.pk]


def test_start_of_year_is_local_midnight_of_1_january() -> None:
    # 31/12/2025 20:00 UTC is already 1/1/2026 03:00 in Việt Nam
    at = dt.datetime(2025, 12, 31, 20, 0, tzinfo=dt.UTC)
    assert svc.start_of_year(at) == dt.datetime(2026, 1, 1, tzinfo=TZ)


def test_an_ocr_scan_is_signed_and_keeps_its_text_layer(units, procedure, receiver, keys):  # type: ignore[no-untyped-def]
    from motcua.documents import digitize as dg
    from motcua.documents.tests.test_digitize import pdf_text, vietnamese_scan

    if not dg.ocr_available():
        pytest.skip("Tesseract with Vietnamese data (tesseract-ocr-vie) is not installed: OCR not tested")
    dossier = make_dossier(units.commune, procedure, papers=("Giấy khai sinh",))
    paper = dossier.components.get()

    outcome = svc.digitize_component(
        dossier_id=dossier.pk,
        component_id=paper.pk,
        by=receiver,
        files=[ContentFile(vietnamese_scan(), name="giay-khai-sinh.png")],
        ocr=True,
    )

    paper.refresh_from_db()
    content = stored(paper.file)
    assert paper.has_text_layer is True
    assert "GIẤY KHAI SINH" in pdf_text(content)
    assert verify_pdf(content).ok
    event = DossierEvent.objects.filter(dossier=dossier).latest("id")
    assert event.data["ocr"] is True and event.data["pdfa"] == outcome.is_pdfa
    assert outcome.is_dossier_digitized
