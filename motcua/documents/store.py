"""The applicant's data store (kho quản lý dữ liệu điện tử của tổ chức, cá nhân): the write and read API.

NĐ 45/2020/NĐ-CP Điều 16: each person or organisation has a store of their electronic documents —
results of administrative procedures and papers digitized while their dossiers were processed — keyed by
the national ID number (số định danh cá nhân) or the tax code. NĐ 107/2021/NĐ-CP Điều 21a: a paper that
is already digitized and still valid is not asked for again; the officer or the applicant picks it from
the store. TT 01/2023/TT-VPCP: every use is recorded so the owner can see who used which document, when.

Three doors:

* ``put_document``: a file enters an owner's store, typed (kind, result code, number, issuer, validity);
  idempotent on (owner, SHA-256 of the file, source dossier) so a repeated call returns the same row;
* ``documents_of``: an owner's documents that are not withdrawn (and, with ``at``, still valid that day);
* ``record_use``: an append-only ``StoreUse`` row each time a document is used in a dossier.
"""

import datetime as dt
import uuid
from pathlib import PurePosixPath
from typing import TYPE_CHECKING

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from motcua.accounts.identity import applicant_id_problem
from motcua.core.integrity import sha256_bytes
from motcua.documents.models import StoredDocument, StoredKind, StoreUse

if TYPE_CHECKING:
    from motcua.accounts.models import User
    from motcua.catalog.models import Component
    from motcua.organizations.models import Unit

__all__ = ["StoreError", "documents_of", "put_document", "record_use"]

# Extensions a stored document may keep; anything else is stored as ``.bin`` (served as octet-stream).
_EXTENSIONS = frozenset({".pdf", ".jpg", ".jpeg", ".png", ".xml", ".zip"})


class StoreError(Exception):
    """A document cannot enter the store or be used; the message (Vietnamese) is safe to show."""


def _storage_name(filename: str) -> str:
    extension = PurePosixPath(filename or "").suffix.lower()
    if extension not in _EXTENSIONS:
        extension = ".bin"
    return f"{uuid.uuid4().hex}{extension}"


def _clean_owner(owner_id_number: str) -> str:
    value = (owner_id_number or "").strip()
    if not value:
        raise StoreError(_("Thiếu số định danh cá nhân hoặc mã số thuế của chủ giấy tờ."))
    problem = applicant_id_problem(value)
    if problem:
        raise StoreError(
            _("Số định danh / mã số thuế của chủ giấy tờ không hợp lệ: %(problem)s") % {"problem": problem}
        )
    return value


def put_document(
    *,
    owner_id_number: str,
    owner_name: str = "",
    kind: StoredKind,
    title: str,
    content: bytes,
    filename: str = "tep.pdf",
    is_signed: bool = False,
    result_code: str = "",
    number: str = "",
    issuer: str = "",
    issued_on: dt.date | None = None,
    valid_until: dt.date | None = None,
    catalog_component: "Component | None" = None,
    source_dossier_code: str = "",
    source_unit: "Unit | None" = None,
    created_by: "User | None" = None,
) -> StoredDocument:
    """Put one file into the store of ``owner_id_number`` (NĐ 45/2020/NĐ-CP Điều 16).

    Idempotent on (owner, SHA-256 of ``content``, ``source_dossier_code``): the same file from the same
    dossier enters the store once; a second call returns the existing row unchanged. The stored name is
    random (only the extension of ``filename`` is kept). Raises ``StoreError`` on bad input."""
    owner = _clean_owner(owner_id_number)
    if kind not in StoredKind.values:
        raise StoreError(_("Loại giấy tờ trong kho «%(kind)s» không hợp lệ.") % {"kind": kind})
    title = (title or "").strip()
    if not title:
        raise StoreError(_("Thiếu tên giấy tờ đưa vào kho dữ liệu."))
    if not content:
        raise StoreError(_("Tệp «%(title)s» đưa vào kho dữ liệu trống.") % {"title": title})
    if issued_on and valid_until and valid_until < issued_on:
        raise StoreError(_("Giấy tờ «%(title)s»: ngày có giá trị đến sớm hơn ngày cấp.") % {"title": title})
    digest = sha256_bytes(content)
    source_dossier_code = (source_dossier_code or "").strip()
    lookup = {"owner_id_number": owner, "sha256": digest, "source_dossier_code": source_dossier_code}
    existing = StoredDocument.objects.filter(**lookup).first()
    if existing is not None:
        return existing
    document = StoredDocument(
        owner_id_number=owner,
        owner_name=(owner_name or "").strip()[:200],
        kind=kind,
        title=title[:500],
        result_code=(result_code or "").strip()[:60],
        catalog_component=catalog_component,
        number=(number or "").strip()[:100],
        issuer=(issuer or "").strip()[:300],
        issued_on=issued_on,
        valid_until=valid_until,
        sha256=digest,
        is_signed=is_signed,
        source_dossier_code=source_dossier_code,
        source_unit=source_unit,
        created_by=created_by,
    )
    document.file.save(_storage_name(filename), ContentFile(content), save=False)
    try:
        with transaction.atomic():
            document.save()
    except IntegrityError:
        # a concurrent put of the same file won the race: keep its row, drop our copy of the bytes
        document.file.delete(save=False)
        winner = StoredDocument.objects.filter(**lookup).first()
        if winner is None:
            raise
        return winner
    return document


def documents_of(owner_id_number: str, *, at: dt.date | None = None) -> QuerySet[StoredDocument]:
    """The owner's documents that are not withdrawn, newest first. With ``at``: only those still valid
    that day (no ``valid_until``, or ``valid_until`` on or after it) — NĐ 107/2021 Điều 21a reuses only
    papers that are still valid."""
    owner = (owner_id_number or "").strip()
    if not owner:
        return StoredDocument.objects.none()
    documents = StoredDocument.objects.filter(owner_id_number=owner, withdrawn_at__isnull=True)
    if at is not None:
        documents = documents.filter(Q(valid_until__isnull=True) | Q(valid_until__gte=at))
    return documents.select_related("source_unit", "catalog_component").order_by("-created_at", "-id")


def record_use(
    document: StoredDocument,
    *,
    used_by: "User | None",
    unit: "Unit | None",
    dossier_code: str,
    purpose: str,
) -> StoreUse:
    """Append one use of ``document`` (who, which unit, which dossier, why). TT 01/2023/TT-VPCP and
    NĐ 45/2020 Điều 16: the owner sees every use. A withdrawn document cannot be used."""
    if document.withdrawn_at is not None:
        raise StoreError(
            _("Giấy tờ «%(title)s» đã bị thu hồi khỏi kho dữ liệu, không thể sử dụng.")
            % {"title": document.title}
        )
    return StoreUse.objects.create(
        document=document,
        used_by=used_by,
        unit=unit,
        dossier_code=(dossier_code or "")[:40],
        purpose=(purpose or "")[:300],
    )
