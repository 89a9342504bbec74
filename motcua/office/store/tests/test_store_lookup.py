"""The receiver's lookup of a person's data store: by POST only, receivers only, valid documents of
that person only, nothing recorded."""

import pytest
from django.urls import reverse

from motcua.documents.models import StoredKind, StoreUse
from motcua.documents.store import put_document
from motcua.documents.tests.samples import pdf_bytes
from motcua.dossiers.tests.conftest import officer as make_officer
from motcua.office.tests.conftest import sign_in
from motcua.organizations.models import Role

pytestmark = pytest.mark.django_db

URL = reverse("office:store_lookup")


def put(owner: str, title: str, pages: int = 1) -> None:
    put_document(
        owner_id_number=owner,
        kind=StoredKind.RESULT,
        title=title,
        content=pdf_bytes(pages),
        number="9/GKS",
        issuer="UBND xã Gia Tân",
    )


def test_a_receiver_sees_the_persons_documents_and_nothing_is_recorded(client, receiver):
    put("030090000123", "Giấy khai sinh của An")
    put("030190000456", "Giấy tờ của Hoa", pages=2)
    sign_in(client, receiver)
    response = client.post(URL, {"id_number": "030090000123"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Giấy khai sinh của An" in page and "9/GKS" in page
    assert "Giấy tờ của Hoa" not in page
    assert not StoreUse.objects.exists()


def test_a_bad_id_number_is_explained(client, receiver):
    sign_in(client, receiver)
    response = client.post(URL, {"id_number": "12345"})
    assert response.status_code == 400
    assert "12 chữ số" in response.content.decode()


def test_the_lookup_page_has_no_id_number_in_its_address_and_is_linked_from_the_dashboard(client, receiver):
    sign_in(client, receiver)
    assert client.get(URL).status_code == 200
    assert URL in client.get(reverse("office:dashboard")).content.decode()


def test_an_officer_who_does_not_receive_gets_403(client, units):
    specialist = make_officer(units.commune, Role.SPECIALIST, "Đỗ Minh Tuấn")
    sign_in(client, specialist)
    assert client.post(URL, {"id_number": "030090000123"}).status_code == 403
