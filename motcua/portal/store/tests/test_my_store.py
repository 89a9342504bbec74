"""Kho dữ liệu của tôi: the applicant sees their own documents with typed fields and every use (who,
unit, dossier, when), downloads them with the SHA-256 checked, and never sees another person's."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from motcua.accounts.tests.factories import UserFactory
from motcua.documents.models import StoredDocument, StoredKind
from motcua.documents.store import put_document, record_use
from motcua.documents.tests.samples import pdf_bytes
from motcua.dossiers.tests import conftest as shared
from motcua.organizations.tests.factories import UnitFactory

pytestmark = pytest.mark.django_db

applicant = shared.applicant
other_applicant = shared.other_applicant


@pytest.fixture(autouse=True)
def _identity_proven(applicant, other_applicant):  # type: ignore[no-untyped-def]
    """The data store opens only to accounts whose ID number the national identity provider vouched
    for (``queries.store_owner_of``)."""
    from django.utils import timezone

    for user in (applicant, other_applicant):
        user.identity_verified_at = timezone.now()
        user.save(update_fields=["identity_verified_at"])


PAGE = reverse("portal:my_store")


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path / "media"


def put(owner: str, pages: int = 1, **kwargs: object) -> StoredDocument:
    fields: dict[str, object] = {
        "kind": StoredKind.RESULT,
        "title": "Giấy chứng nhận đăng ký hộ kinh doanh",
        "content": pdf_bytes(pages),
        "number": "27/GCN-HKD",
        "issuer": "UBND xã Gia Tân",
        "issued_on": dt.date(2024, 3, 5),
        "is_signed": True,
        "source_dossier_code": "000.21.10.H56-240304-0001",
    }
    fields.update(kwargs)
    return put_document(owner_id_number=owner, **fields)  # type: ignore[arg-type]


def test_the_page_lists_the_own_documents_with_their_fields_and_uses(client, applicant, other_applicant):
    # given
    mine = put(applicant.national_id)
    put(other_applicant.national_id, pages=2, title="Giấy tờ của người khác")
    unit = UnitFactory(name="UBND xã Gia Hòa")
    officer = UserFactory(officer=True, full_name="Hoàng Lan", with_totp=False)
    record_use(mine, used_by=officer, unit=unit, dossier_code="000.22.10.H56-240310-0004", purpose="")
    client.force_login(applicant)
    # when
    page = client.get(PAGE).content.decode()
    # then
    assert "Giấy chứng nhận đăng ký hộ kinh doanh" in page
    for text in ("27/GCN-HKD", "UBND xã Gia Tân", "05/03/2024", "Có chữ ký số", "000.21.10.H56-240304-0001"):
        assert text in page
    assert "Hoàng Lan" in page and "UBND xã Gia Hòa" in page and "000.22.10.H56-240310-0004" in page
    assert "Giấy tờ của người khác" not in page
    assert reverse("portal:my_store_file", args=[mine.pk]) in page


def test_the_page_query_count_does_not_grow_with_documents_and_uses(client, applicant):
    client.force_login(applicant)
    unit = UnitFactory()

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(PAGE).status_code == 200
        return len(queries)

    document = put(applicant.national_id, pages=1)
    record_use(document, used_by=None, unit=unit, dossier_code="A", purpose="")
    few = count()
    for pages in (2, 3, 4):
        more = put(applicant.national_id, pages=pages)
        record_use(more, used_by=None, unit=unit, dossier_code="B", purpose="")
        record_use(more, used_by=None, unit=unit, dossier_code="C", purpose="")
    assert count() == few


def test_the_owner_downloads_a_document_as_an_attachment(client, applicant):
    document = put(applicant.national_id)
    client.force_login(applicant)
    response = client.get(reverse("portal:my_store_file", args=[document.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == document.file.open("rb").read()


def test_another_persons_document_answers_404(client, applicant, other_applicant):
    theirs = put(other_applicant.national_id)
    client.force_login(applicant)
    assert client.get(reverse("portal:my_store_file", args=[theirs.pk])).status_code == 404


def test_a_tampered_stored_file_is_refused_with_409(client, applicant):
    document = put(applicant.national_id)
    with open(document.file.path, "ab") as handle:
        handle.write(b"\n% changed\n")
    client.force_login(applicant)
    response = client.get(reverse("portal:my_store_file", args=[document.pk]))
    assert response.status_code == 409
    assert "đã bị thay đổi" in response.content.decode()


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get(PAGE)
    assert response.status_code == 302
    assert reverse("portal:login") in response["Location"]


def test_an_account_without_id_number_is_told_so(client):
    user = UserFactory(national_id=None)
    client.force_login(user)
    assert "Đăng nhập bằng VNeID" in client.get(PAGE).content.decode()


def test_a_national_id_merely_typed_into_a_local_account_opens_no_store(client):
    put("030090000999")
    user = UserFactory(national_id="030090000999")  # never vouched for by the identity provider
    client.force_login(user)
    page = client.get(PAGE).content.decode()
    assert "Giấy chứng nhận đăng ký hộ kinh doanh" not in page
    assert "Đăng nhập bằng VNeID" in page


def test_the_account_menu_links_to_the_store(client, applicant):
    client.force_login(applicant)
    assert PAGE in client.get(reverse("portal:my_dossiers")).content.decode()
