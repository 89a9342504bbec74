"""Dossiers and the applicant's data store (kho quản lý dữ liệu điện tử của tổ chức, cá nhân).

Two directions:

* into the store, when the result is returned (``store_result``, ``store_digitized_components``):
  NĐ 107/2021/NĐ-CP Điều 21a and NĐ 45/2020/NĐ-CP Điều 16 — the electronic result and the papers
  digitized while a dossier was processed belong to the dossier's owner (chủ hồ sơ, by national ID
  number or tax code) and are kept so they are not asked for again;
* out of the store, when a new dossier is created with papers taken from it (``record_store_uses``):
  each use is a ``documents.StoreUse`` row (who, which unit, which dossier) and a TAKEN_FROM_STORE
  event of the dossier, in the dossier's own transaction (TT 01/2023/TT-VPCP: the owner sees who used
  which paper, when).

All three are called by the dossier services inside their transaction; none opens its own.
"""

import datetime as dt
import uuid
from collections.abc import Sequence
from pathlib import PurePosixPath

from django.core.files.base import ContentFile
from django.db.models.fields.files import FieldFile
from django.utils.translation import gettext as _

from motcua.accounts.identity import applicant_id_problem
from motcua.accounts.models import User
from motcua.catalog.models import Component
from motcua.core import integrity
from motcua.core.text import fold_vi
from motcua.documents.models import StoredDocument, StoredKind, StoreUse
from motcua.documents.store import StoreError, documents_of, put_document, record_use
from motcua.dossiers.models import Dossier
from motcua.dossiers.services._core import ActionRefused, ComponentInput, _move, now
from motcua.dossiers.workflow import EventKind, Status
from motcua.organizations.models import Unit


def owner_of(dossier: Dossier) -> tuple[str, str]:
    """(ID number, name) of the person or organisation the dossier's papers belong to: the owner
    (chủ hồ sơ) when given, else the submitter; ("", "") when the dossier carries no ID number."""
    if dossier.owner_id_number.strip():
        return dossier.owner_id_number.strip(), dossier.owner_name or dossier.applicant_name
    return dossier.applicant_id_number.strip(), dossier.applicant_name


def _read(field_file: FieldFile) -> bytes:
    with field_file.open("rb") as handle:
        return bytes(handle.read())


def store_result(dossier: Dossier, *, by: User | None) -> StoredDocument | None:
    """Put the dossier's electronic result into its owner's store (NĐ 107/2021 Điều 21a: a result
    of a processed dossier is reusable). Nothing happens without a result file or an owner ID number.
    Idempotent: returning the same file twice keeps one stored document."""
    owner, owner_name = owner_of(dossier)
    if not owner or not dossier.result_file:
        return None
    procedure = dossier.procedure
    try:
        integrity.verify(dossier.result_file, dossier.result_sha256)
    except integrity.TamperedFile as exc:
        raise ActionRefused(
            _("Tệp kết quả của hồ sơ %(code)s đã bị thay đổi so với khi được lưu: không đưa vào kho dữ liệu.")
            % {"code": dossier.code}
        ) from exc
    try:
        return put_document(
            owner_id_number=owner,
            owner_name=owner_name,
            kind=StoredKind.RESULT,
            title=procedure.result or procedure.name,
            content=_read(dossier.result_file),
            filename=dossier.result_file.name or "",
            is_signed=bool(dossier.result_signed_at),
            result_code=procedure.code,
            number=dossier.result_number,
            issuer=dossier.responsible_unit.name,
            issued_on=dossier.result_date,
            source_dossier_code=dossier.code,
            source_unit=dossier.responsible_unit,
            created_by=by,
        )
    except StoreError as exc:
        raise ActionRefused(
            _("Không đưa được kết quả của hồ sơ %(code)s vào kho dữ liệu: %(problem)s")
            % {"code": dossier.code, "problem": exc}
        ) from exc


def store_digitized_components(dossier: Dossier, *, by: User | None) -> list[StoredDocument]:
    """Put the digitized papers (``is_digitized``, with a file) of a dossier whose result was returned
    into its owner's store, linked to their catalog component so later dossiers of any procedure asking
    for the same paper can reuse them (NĐ 107/2021 Điều 21a; NĐ 45/2020 Điều 16)."""
    owner, owner_name = owner_of(dossier)
    if not owner or dossier.status != Status.RETURNED:
        return []
    stored: list[StoredDocument] = []
    papers = dossier.components.filter(is_provided=True, is_digitized=True).exclude(file="")
    for paper in papers.select_related("catalog_component").order_by("position", "id"):
        try:
            stored.append(
                put_document(
                    owner_id_number=owner,
                    owner_name=owner_name,
                    kind=StoredKind.COMPONENT,
                    title=paper.name,
                    content=_read(paper.file),
                    filename=paper.file.name or "",
                    is_signed=paper.signed_at is not None,
                    catalog_component=paper.catalog_component,
                    source_dossier_code=dossier.code,
                    source_unit=dossier.receiving_unit,
                    created_by=by,
                )
            )
        except StoreError as exc:
            raise ActionRefused(
                _("Không đưa được giấy tờ «%(name)s» của hồ sơ %(code)s vào kho dữ liệu: %(problem)s")
                % {"name": paper.name, "code": dossier.code, "problem": exc}
            ) from exc
    return stored


def _allowed_owners(dossier: Dossier, by: User | None) -> set[str]:
    owners = {dossier.owner_id_number.strip(), dossier.applicant_id_number.strip()}
    if by is not None and by.kind == User.Kind.APPLICANT:
        owners |= {by.national_id or "", by.tax_code or ""}
    return owners - {""}


def record_store_uses(
    dossier: Dossier, components: Sequence[ComponentInput], *, by: User | None, unit: Unit | None
) -> list[StoreUse]:
    """Record each paper of ``components`` taken from the data store: a ``StoreUse`` (who, unit,
    dossier) and one TAKEN_FROM_STORE event per document (TT 01/2023/TT-VPCP; NĐ 45/2020 Điều 16).

    A document must belong to the dossier's owner or submitter (or to the applicant filing it):
    anything else is refused, so nobody can attach another person's paper. A document already recorded
    for this dossier is not recorded twice."""
    allowed = _allowed_owners(dossier, by)
    uses: list[StoreUse] = []
    seen: set[int] = set()
    for component in components:
        document = component.store_document
        if document is None or document.pk in seen:
            continue
        seen.add(document.pk)
        if document.owner_id_number not in allowed:
            raise ActionRefused(
                _("%(component)s: giấy tờ chọn từ kho dữ liệu không thuộc chủ hồ sơ hoặc người nộp.")
                % {"component": component.name or document.title}
            )
        if StoreUse.objects.filter(document=document, dossier_code=dossier.code).exists():
            continue
        try:
            use = record_use(
                document,
                used_by=by,
                unit=unit,
                dossier_code=dossier.code,
                purpose=_("Thành phần hồ sơ: %(name)s") % {"name": component.name or document.title},
            )
        except StoreError as exc:
            raise ActionRefused(str(exc)) from exc
        uses.append(use)
        _move(
            dossier,
            to=None,
            kind=EventKind.TAKEN_FROM_STORE,
            by=by,
            at=now(),
            data={
                "document_id": document.pk,
                "title": document.title,
                "kind": document.kind,
                "source_dossier_code": document.source_dossier_code,
                "component": component.name or document.title,
                "unit": unit.code if unit is not None else "",
            },
        )
    return uses


# --- reading the store for a new dossier ---------------------------------------------------------------


def store_of_people(*id_numbers: str, at: dt.date | None = None) -> list[StoredDocument]:
    """The current documents (not withdrawn, still valid ``at``) of the given people — the submitter and
    the owner of a dossier being received — newest first; invalid or empty ID numbers are skipped."""
    documents: list[StoredDocument] = []
    seen: set[str] = set()
    for value in id_numbers:
        number = (value or "").strip()
        if not number or number in seen or applicant_id_problem(number):
            continue
        seen.add(number)
        documents.extend(documents_of(number, at=at))
    documents.sort(key=lambda d: (d.created_at, d.pk), reverse=True)
    return documents


def documents_for_component(
    component: Component, documents: Sequence[StoredDocument]
) -> list[StoredDocument]:
    """The stored documents that can stand for ``component``: those linked to it, those with the same
    name (the same paper asked for by another procedure), and, for a component the catalog marks as
    obtainable from the store (``store_eligible``), any document of the person."""
    name = fold_vi(component.name)
    matching = [d for d in documents if d.catalog_component_id == component.pk or fold_vi(d.title) == name]
    if component.store_eligible:
        matching += [d for d in documents if d not in matching]
    return matching


def copy_of(document: StoredDocument) -> ContentFile[bytes]:
    """The stored document's bytes as a new file for a dossier component (random name, same
    extension), refused when the stored file no longer has its recorded SHA-256."""
    try:
        integrity.verify(document.file, document.sha256)
        content = _read(document.file)
    except integrity.TamperedFile as exc:
        raise ActionRefused(
            _("Giấy tờ «%(title)s» trong kho dữ liệu đã bị thay đổi so với khi được lưu: không sử dụng được.")
            % {"title": document.title}
        ) from exc
    except OSError as exc:
        raise ActionRefused(
            _("Không đọc được tệp của giấy tờ «%(title)s» trong kho dữ liệu.") % {"title": document.title}
        ) from exc
    extension = PurePosixPath(document.file.name or "").suffix.lower() or ".pdf"
    return ContentFile(content, name=f"{uuid.uuid4().hex}{extension}")
