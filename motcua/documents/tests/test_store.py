"""The applicant's data store API (``documents.store``): typed documents keyed by the owner's ID number,
idempotent puts, validity filter, withdrawn documents hidden, every use recorded (NĐ 45/2020 Điều 16,
NĐ 107/2021 Điều 21a)."""

import datetime as dt
import threading

import pytest
from django.db import connection, connections
from django.utils import timezone

from motcua.accounts.tests.factories import UserFactory
from motcua.core.integrity import sha256_bytes, sha256_of
from motcua.documents.models import StoredDocument, StoredKind, StoreUse
from motcua.documents.store import StoreError, documents_of, put_document, record_use
from motcua.documents.tests.samples import pdf_bytes
from motcua.organizations.tests.factories import UnitFactory

OWNER = "030090000123"
OTHER = "030190000456"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path / "media"


def put(owner: str = OWNER, content: bytes | None = None, **kwargs: object) -> StoredDocument:
    fields: dict[str, object] = {
        "kind": StoredKind.RESULT,
        "title": "Giấy chứng nhận đăng ký hộ kinh doanh",
        "content": content if content is not None else pdf_bytes(),
        "source_dossier_code": "H56.21-240304-0001",
    }
    fields.update(kwargs)
    return put_document(owner_id_number=owner, **fields)  # type: ignore[arg-type]


@pytest.mark.django_db
def test_put_document_stores_typed_file_with_its_sha256_under_a_random_name() -> None:
    content = pdf_bytes(2)
    document = put(
        content=content,
        filename="Nguyen Van An - CCCD.pdf",
        number="15/GCN",
        issuer="UBND xã Gia Tân",
        issued_on=dt.date(2024, 3, 5),
        is_signed=True,
        result_code="1.001612",
    )
    assert document.sha256 == sha256_bytes(content) == sha256_of(document.file)
    assert document.file.name.endswith(".pdf")
    assert "Nguyen" not in document.file.name
    assert (document.number, document.issuer, document.is_signed) == ("15/GCN", "UBND xã Gia Tân", True)
    assert document.result_code == "1.001612"


@pytest.mark.django_db
def test_putting_the_same_file_from_the_same_dossier_twice_returns_the_same_row() -> None:
    content = pdf_bytes()
    first = put(content=content)
    second = put(content=content, title="Một tên khác")
    assert second.pk == first.pk
    assert second.title == first.title
    assert StoredDocument.objects.count() == 1
    # the same file from another dossier, or for another owner, is another row
    put(content=content, source_dossier_code="H56.21-240304-0002")
    put(OTHER, content=content)
    assert StoredDocument.objects.count() == 3


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("kwargs", "words"),
    [
        ({"owner": ""}, "Thiếu số định danh"),
        ({"owner": "12345"}, "không hợp lệ"),
        ({"title": "  "}, "Thiếu tên giấy tờ"),
        ({"content": b""}, "trống"),
        ({"issued_on": dt.date(2024, 3, 5), "valid_until": dt.date(2024, 3, 1)}, "sớm hơn ngày cấp"),
    ],
)
def test_bad_input_is_refused_with_a_vietnamese_message(kwargs: dict[str, object], words: str) -> None:
    with pytest.raises(StoreError) as caught:
        put(**kwargs)  # type: ignore[arg-type]
    assert words in str(caught.value)
    assert not StoredDocument.objects.exists()


@pytest.mark.django_db
def test_documents_of_lists_only_the_owners_current_documents_newest_first() -> None:
    old = put(content=pdf_bytes(1), valid_until=dt.date(2024, 1, 31))
    new = put(content=pdf_bytes(2))
    withdrawn = put(content=pdf_bytes(3))
    withdrawn.withdrawn_at = timezone.now()
    withdrawn.save(update_fields=["withdrawn_at"])
    put(OTHER, content=pdf_bytes(4))

    assert list(documents_of(OWNER)) == [new, old]
    assert list(documents_of(OWNER, at=dt.date(2024, 3, 1))) == [new]
    assert list(documents_of(OWNER, at=dt.date(2024, 1, 31))) == [new, old]
    assert list(documents_of("")) == []


@pytest.mark.django_db
def test_record_use_appends_who_which_unit_which_dossier() -> None:
    document = put()
    officer = UserFactory(officer=True, with_totp=False)
    unit = UnitFactory()

    use = record_use(document, used_by=officer, unit=unit, dossier_code="H56.21-240310-0007", purpose="x")

    assert list(document.uses.all()) == [use]
    assert (use.used_by, use.unit, use.dossier_code) == (officer, unit, "H56.21-240310-0007")


@pytest.mark.django_db
def test_a_withdrawn_document_cannot_be_used() -> None:
    document = put()
    document.withdrawn_at = timezone.now()
    document.save(update_fields=["withdrawn_at"])
    with pytest.raises(StoreError, match="thu hồi"):
        record_use(document, used_by=None, unit=None, dossier_code="X", purpose="")
    assert not StoreUse.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_two_connections_putting_the_same_file_make_one_document() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("a real two-connection race needs PostgreSQL (SQLite serialises writers)")
    content = pdf_bytes(5)
    barrier = threading.Barrier(2)
    ids: list[int] = []

    def put_once() -> None:
        try:
            barrier.wait(timeout=30)
            ids.append(put(content=content).pk)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=put_once) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert len(ids) == 2 and ids[0] == ids[1]
    assert StoredDocument.objects.count() == 1
