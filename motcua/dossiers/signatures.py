"""Reading the digital signatures of a dossier's stored files: the result and the signed forms.

Each stored file is checked twice: against the SHA-256 recorded when it was written (the file on disk
is the one that was signed: NĐ 45/2020/NĐ-CP Điều 8) and by ``documents.verification.verify_pdf`` (the
signatures inside are intact, valid and trusted: Luật Giao dịch điện tử 2023 Điều 22–24). Reads only;
who may see which dossier is decided by the caller (scoped query or the lookup's second factor).
"""

import datetime as dt
from dataclasses import dataclass

from django.db.models.fields.files import FieldFile
from django.utils.translation import gettext as _

from motcua.core import integrity
from motcua.documents.verification import SignatureReport, VerificationReport, verify_pdf
from motcua.dossiers.models import Dossier, SignedForm
from motcua.dossiers.queries import RESULT_STATUSES
from motcua.dossiers.services.forms_signing import FORM_TITLES, latest_signed_forms
from motcua.dossiers.workflow import EventKind


@dataclass(frozen=True)
class FileCheck:
    """One stored file and what its check found."""

    label: str
    report: VerificationReport
    is_unchanged: bool  # the file on disk still has the SHA-256 recorded when it was stored
    signed_form: SignedForm | None = None
    is_certified_copy: bool = False

    @property
    def ok(self) -> bool:
        return self.is_unchanged and self.report.ok

    @property
    def last_signature(self) -> SignatureReport | None:
        """The latest signature (not a document timestamp): who signed last, and when."""
        signatures = [s for s in self.report.signatures if s.kind == "signature"]
        return signatures[-1] if signatures else None

    @property
    def signer(self) -> str:
        last = self.last_signature
        if last is None or last.certificate is None:
            return ""
        return last.certificate.common_name or last.certificate.subject

    @property
    def signed_at(self) -> dt.datetime | None:
        last = self.last_signature
        return (last.timestamp or last.signed_at) if last is not None else None


def check_stored(
    file: FieldFile,
    sha256: str,
    label: str,
    *,
    signed_form: SignedForm | None = None,
    is_certified_copy: bool = False,
) -> FileCheck:
    """Check a stored file: its recorded SHA-256, then its signatures. A missing file is a report with
    an error, never an exception."""
    try:
        with file.open("rb") as handle:
            content = handle.read()
    except (OSError, ValueError):
        missing = VerificationReport(error=_("Không tìm thấy tệp đã lưu."))
        return FileCheck(label, missing, False, signed_form, is_certified_copy)
    unchanged = not sha256 or integrity.sha256_bytes(content) == sha256.lower()
    report = verify_pdf(content)
    if not unchanged:
        report = VerificationReport(
            signatures=report.signatures,
            error=report.error or _("Tệp đã lưu bị thay đổi so với khi được lưu (mã SHA-256 không khớp)."),
            problems=report.problems,
        )
    return FileCheck(label, report, unchanged, signed_form, is_certified_copy)


def is_certified_copy(dossier: Dossier) -> bool:
    """Whether the result's system signature is a certified-copy ("sao y") signature."""
    last = (
        dossier.events.filter(kind__in=[EventKind.RESULT_SIGNED, EventKind.RESULT_COPY_CERTIFIED])
        .order_by("-id")
        .values_list("kind", flat=True)
        .first()
    )
    return last == EventKind.RESULT_COPY_CERTIFIED


def result_check(dossier: Dossier, *, public: bool = False) -> FileCheck | None:
    """The check of the stored result, or None when there is nothing to show. ``public``: only a
    result that is ready (processed or returned) and electronic is shown to the applicant or a visitor."""
    if not dossier.result_file:
        return None
    if public and (dossier.status not in RESULT_STATUSES or not dossier.is_result_electronic):
        return None
    return check_stored(
        dossier.result_file,
        dossier.result_sha256,
        _("Kết quả giải quyết"),
        is_certified_copy=is_certified_copy(dossier),
    )


def form_checks(dossier: Dossier, *, every_version: bool = False) -> list[FileCheck]:
    """The checks of the signed forms: the latest version of each form, or every version."""
    rows = (
        list(dossier.signed_forms.select_related("signed_by").order_by("form", "-signed_at", "-id"))
        if every_version
        else latest_signed_forms(dossier)
    )
    return [
        check_stored(
            row.file,
            row.sha256,
            _("Mẫu %(form)s – %(title)s") % {"form": row.form, "title": FORM_TITLES.get(row.form, "")},
            signed_form=row,
        )
        for row in rows
    ]
