"""Digitization at reception: each paper of a received dossier is scanned into one normalised PDF,
optionally made searchable (OCR), and digitally signed by the receiving officer.

NĐ 107/2021/NĐ-CP Điều 21a (added to NĐ 61/2018/NĐ-CP): the one-stop counter digitizes the papers of
the dossiers it receives; TT 01/2023/TT-VPCP; NĐ 45/2020/NĐ-CP Điều 8 (an electronic dossier keeps its
integrity); seed 003: scans of directly received dossiers are signed by the receiving officer; seed 001:
units catch up with the dossiers not digitized since the start of the year (``digitization_backlog``).

A paper counts as digitized when it carries the receiver's signature (``signed_at``) or was taken from
the applicant's data store (already digitized and signed earlier). A dossier is digitized
(``Dossier.digitized_at``) when every paper handed in (``is_provided``) is.

The slow part (checking, normalising, OCR, signing) runs before the dossier row is locked, so a long
OCR never holds the lock; under the lock the rules are checked again and the signed file, the paper's
flags and the COMPONENT_DIGITIZED event are written together. A file written for a transaction that
fails is deleted; the file it replaces is kept (never delete received electronic data, NĐ 61/2018
Điều 5), and its name and SHA-256 are recorded in the event.
"""

import datetime as dt
import os
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.accounts.models import User
from motcua.core import integrity
from motcua.core.errors import Conflict, NotFound
from motcua.core.worktime import TZ
from motcua.documents import digitize as dg
from motcua.dossiers import permissions
from motcua.dossiers.models import Dossier, DossierComponent
from motcua.dossiers.services._core import ActionRefused, _move, lock_dossier, now, require_status
from motcua.dossiers.workflow import OPEN, EventKind, Status
from motcua.organizations.models import Unit

# Written into the signature itself (the PDF's /Reason), not shown through gettext.
SIGN_REASON = "Số hóa thành phần hồ sơ"
# After reception and until the dossier ends (a processed dossier waiting for its result counts too).
DIGITIZABLE = frozenset({*OPEN, Status.PROCESSED})
# A provided paper still waiting for the receiver's signed scan.
PENDING = Q(is_provided=True, signed_at__isnull=True, store_document__isnull=True)


@dataclass(frozen=True)
class DigitizationOutcome:
    """What was stored, and what the officer should be told (PDF/A or OCR not possible, ...)."""

    dossier: Dossier
    component: DossierComponent
    notes: tuple[str, ...]
    is_pdfa: bool

    @property
    def is_dossier_digitized(self) -> bool:
        return self.dossier.digitized_at is not None


# --- rules --------------------------------------------------------------------------------------------


def _require_can_digitize(by: User, dossier: Dossier) -> None:
    require_status(dossier, DIGITIZABLE, _("số hóa thành phần hồ sơ"))
    permissions.require(
        permissions.can_receive(by, dossier),
        _("Chỉ cán bộ tiếp nhận của %(unit)s mới được số hóa và ký số thành phần hồ sơ.")
        % {"unit": dossier.receiving_unit.name},
    )


def _component(dossier: Dossier, component_id: int) -> DossierComponent:
    component = dossier.components.filter(pk=component_id).first()
    if component is None:
        raise NotFound(_("Không tìm thấy thành phần hồ sơ."))
    return component


def _read_for_update(dossier_id: int, component_id: int, by: User) -> tuple[Dossier, DossierComponent]:
    """The dossier and the paper, checked before the slow work (checked again under the lock)."""
    dossier = (
        Dossier.objects.select_related("procedure", "receiving_unit", "responsible_unit")
        .filter(pk=dossier_id)
        .first()
    )
    if dossier is None:
        raise NotFound(_("Không tìm thấy hồ sơ."))
    _require_can_digitize(by, dossier)
    return dossier, _component(dossier, component_id)


def _require_signer(by: User) -> None:
    """Refuse at once (before a long OCR) when the officer cannot sign: no valid registered
    certificate, or a key that does not match it (NĐ 30/2020/NĐ-CP Điều 8 khoản 3)."""
    from motcua.documents.signing import SigningError  # the signing stack is loaded only when needed
    from motcua.documents.signing.officer import signer_for

    try:
        signer_for(by)
    except SigningError as exc:
        raise ActionRefused(str(exc)) from exc


def _normalise_and_sign(
    dossier: Dossier, component: DossierComponent, by: User, files: Sequence[Any], *, ocr: bool
) -> tuple[bytes, dg.Digitized]:
    from motcua.documents.signing import SigningError
    from motcua.documents.signing.officer import sign_as_officer

    try:
        result = dg.digitize(files, label=component.name, with_ocr=ocr)
    except ValidationError as exc:
        raise ActionRefused(" ".join(exc.messages)) from exc
    try:
        signed = sign_as_officer(
            by,
            result.content,
            reason=SIGN_REASON,
            unit_name=dossier.receiving_unit.name,
            extra_lines=(_("Hồ sơ %(code)s") % {"code": dossier.code},),
        )
    except SigningError as exc:
        raise ActionRefused(str(exc)) from exc
    return signed, result


def _store(
    *,
    dossier_id: int,
    component_id: int,
    by: User,
    seen: tuple[str, str],
    signed: bytes,
    result: dg.Digitized,
    source: str,
    files: int,
    expected_version: int | None,
) -> DigitizationOutcome:
    """Under the dossier lock: check again, write the signed file and the flags, append the event,
    and mark the dossier digitized when no provided paper is left. ``seen`` is the paper's (file name,
    SHA-256) read before the slow work: a paper changed meanwhile is a conflict, never overwritten."""
    written = ""
    storage = DossierComponent().file.storage
    try:
        with transaction.atomic():
            dossier = lock_dossier(dossier_id, expected_version)
            _require_can_digitize(by, dossier)
            component = _component(dossier, component_id)
            if (component.file.name or "", component.file_sha256) != seen:
                raise Conflict(
                    _(
                        "Thành phần «%(name)s» của hồ sơ %(code)s vừa được người khác số hóa hoặc thay tệp: "
                        "hãy tải lại trang, kiểm tra rồi làm lại nếu cần."
                    )
                    % {"name": component.name, "code": dossier.code}
                )
            at = now()
            previous_name, previous_sha256 = seen
            component.file.save(f"{uuid.uuid4().hex}.pdf", ContentFile(signed), save=False)
            written = component.file.name or ""
            component.file_sha256 = integrity.sha256_bytes(signed)
            component.page_count = result.page_count
            component.has_text_layer = result.has_text_layer
            component.is_digitized = True
            component.is_provided = True
            component.digitized_at = at
            component.digitized_by = by
            component.signed_at = at
            component.signed_by = by
            component.save(
                update_fields=[
                    "file",
                    "file_sha256",
                    "page_count",
                    "has_text_layer",
                    "is_digitized",
                    "is_provided",
                    "digitized_at",
                    "digitized_by",
                    "signed_at",
                    "signed_by",
                ]
            )
            fields = []
            if dossier.digitized_at is None and not dossier.components.filter(PENDING).exists():
                dossier.digitized_at = at
                fields.append("digitized_at")
            _move(
                dossier,
                to=None,
                kind=EventKind.COMPONENT_DIGITIZED,
                by=by,
                at=at,
                fields=fields,
                data={
                    "component": component.pk,
                    "position": component.position,
                    "name": component.name[:200],
                    "source": source,
                    "files": files,
                    "pages": result.page_count,
                    "ocr": result.is_ocr,
                    "text_layer": result.has_text_layer,
                    "pdfa": result.is_pdfa,
                    "sha256": component.file_sha256,
                    "previous_file": previous_name,
                    "previous_sha256": previous_sha256,
                    "dossier_digitized": bool(fields),
                },
            )
    except BaseException:
        if written:
            storage.delete(written)
        raise
    return DigitizationOutcome(
        dossier=dossier, component=component, notes=result.notes, is_pdfa=result.is_pdfa
    )


# --- services -----------------------------------------------------------------------------------------


def digitize_component(
    *,
    dossier_id: int,
    component_id: int,
    by: User,
    files: Sequence[Any],
    ocr: bool,
    expected_version: int | None = None,
) -> DigitizationOutcome:
    """The receiver scans one paper of a received dossier: the uploaded scans/photos (in order) become
    one PDF (OCR'd when ``ocr``), signed by the receiver as "Số hóa thành phần hồ sơ" with the receiving
    unit on the stamp, stored as the paper's file with its SHA-256, page count and flags
    (NĐ 107/2021/NĐ-CP Điều 21a; seed 003). Bad files, a missing certificate or a closed dossier are
    refused (``ActionRefused``, Vietnamese) and nothing is written."""
    dossier, component = _read_for_update(dossier_id, component_id, by)
    _require_signer(by)
    seen = (component.file.name or "", component.file_sha256)
    signed, result = _normalise_and_sign(dossier, component, by, files, ocr=ocr)
    return _store(
        dossier_id=dossier_id,
        component_id=component_id,
        by=by,
        seen=seen,
        signed=signed,
        result=result,
        source="upload",
        files=len(files),
        expected_version=expected_version,
    )


def sign_existing_component(
    *,
    dossier_id: int,
    component_id: int,
    by: User,
    ocr: bool = False,
    expected_version: int | None = None,
) -> DigitizationOutcome:
    """A paper already attached as a file (uploaded online or at intake) is normalised and signed by
    the receiver the same way, without a new upload. The stored file must still have the SHA-256
    recorded when it was written (NĐ 45/2020/NĐ-CP Điều 8); a paper already signed is refused (upload
    a new scan to replace it)."""
    dossier, component = _read_for_update(dossier_id, component_id, by)
    if not component.file:
        raise ActionRefused(
            _("Thành phần «%(name)s» chưa có tệp đính kèm: hãy tải bản quét lên để số hóa.")
            % {"name": component.name}
        )
    if component.signed_at is not None:
        raise ActionRefused(
            _("Thành phần «%(name)s» đã được ký số; muốn thay, hãy tải bản quét mới lên.")
            % {"name": component.name}
        )
    _require_signer(by)
    try:
        with component.file.open("rb") as handle:
            content = bytes(handle.read())
    except OSError as exc:
        raise ActionRefused(
            _("Không đọc được tệp của thành phần «%(name)s»: hãy tải bản quét lên lại.")
            % {"name": component.name}
        ) from exc
    if component.file_sha256 and integrity.sha256_bytes(content) != component.file_sha256.lower():
        raise ActionRefused(
            _(
                "Tệp của thành phần «%(name)s» đã bị thay đổi sau khi lưu (SHA-256 không khớp): không ký; "
                "hãy báo quản trị và tải bản quét gốc lên lại."
            )
            % {"name": component.name}
        )
    seen = (component.file.name or "", component.file_sha256)
    extension = os.path.splitext(component.file.name or "")[1].lower() or ".pdf"
    upload = ContentFile(content, name=f"thanh-phan-{component.position:02d}{extension}")
    signed, result = _normalise_and_sign(dossier, component, by, [upload], ocr=ocr)
    return _store(
        dossier_id=dossier_id,
        component_id=component_id,
        by=by,
        seen=seen,
        signed=signed,
        result=result,
        source="existing",
        files=1,
        expected_version=expected_version,
    )


# --- the backlog (seed 001) ---------------------------------------------------------------------------


def start_of_year(at: dt.datetime | None = None) -> dt.datetime:
    """1 January, 00:00 local time, of the year of ``at`` (now by default)."""
    local = timezone.localtime(at or timezone.now(), TZ)
    return dt.datetime(local.year, 1, 1, tzinfo=TZ)


def _undigitized(user: User, unit: Unit, since: dt.datetime | None) -> "QuerySet[Dossier]":
    pending = DossierComponent.objects.filter(PENDING, dossier=OuterRef("pk"))
    return (
        Dossier.objects.visible_to(user)
        .filter(
            receiving_unit=unit,
            received_at__isnull=False,
            received_at__gte=since or start_of_year(),
            digitized_at__isnull=True,
        )
        .filter(Exists(pending))
    )


def digitization_backlog(user: User, unit: Unit, since: dt.datetime | None = None) -> "QuerySet[Dossier]":
    """The unit's dossiers received since 1 January of this year (or ``since``) with a provided paper
    not yet digitized and signed, still open so they can be caught up, oldest first (seed 001). Scoped
    to what ``user`` may see; each row carries ``components_total`` and ``components_done``."""
    return (
        _undigitized(user, unit, since)
        .filter(status__in=[str(s) for s in DIGITIZABLE])
        .select_related("procedure")
        .annotate(
            components_total=Count("components", filter=Q(components__is_provided=True)),
            components_done=Count(
                "components",
                filter=Q(components__is_provided=True)
                & (Q(components__signed_at__isnull=False) | Q(components__store_document__isnull=False)),
            ),
        )
        .order_by("received_at", "id")
    )


def closed_without_digitization(user: User, unit: Unit, since: dt.datetime | None = None) -> int:
    """How many of the same period's dossiers ended without every paper digitized: they can no longer
    be changed (closed dossiers are immutable) and are reported, not offered for catching up."""
    return _undigitized(user, unit, since).exclude(status__in=[str(s) for s in DIGITIZABLE]).count()
