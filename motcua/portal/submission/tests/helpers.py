"""Helpers of the online submission tests: real sample uploads and a complete form."""

from django.core.files.uploadedfile import SimpleUploadedFile

from motcua.catalog.models import Component, Procedure
from motcua.documents.tests.samples import jpeg_with_exif, pdf_bytes
from motcua.dossiers.tests.conftest import Province

KEY = "a" * 32


def components(of: Procedure) -> tuple[Component, Component]:
    """The procedure fixture's papers: the required form, then the optional birth certificate."""
    required, optional = of.components.order_by("position")
    return required, optional


def pdf_upload(name: str = "to-khai.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, pdf_bytes(), content_type="application/pdf")


def jpeg_upload(name: str = "giay-chung-sinh.jpg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, jpeg_with_exif(), content_type="image/jpeg")


def form_data(
    of: Procedure, province: Province, *, action: str = "submit", key: str = KEY, **changes: object
) -> dict[str, object]:
    """A complete online form: the account's identity is taken from the account, not from here."""
    data: dict[str, object] = {
        "idempotency_key": key,
        "receiving_unit": str(province.commune.pk),
        "owner_name": "",
        "owner_id_number": "",
        "address": "Thôn Đông, xã Gia Tân",
        "phone": "0912000111",
        "email": "an@example.vn",
        "result_delivery": "online",
        "action": action,
    }
    data.update(changes)
    return data
