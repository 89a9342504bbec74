"""Checking the digital signatures of a PDF: is each one intact, who signed, with which certificate, is
the certificate trusted, and was the file changed after signing.

Anyone may check a signed result (Luật Giao dịch điện tử 2023 Điều 22–24: a digital signature is
valid when the certificate was valid at signing time, the signature was made with the key of that
certificate and the message is unchanged since signing; NĐ 130/2018/NĐ-CP Điều 9 as amended). pyHanko
does the work; this module turns its status into a plain report, one line per signature:

* **intact** — the signed bytes hash to the digest inside the signature (a flipped byte fails here);
* **covers_whole_file** — the signature's byte range ends at the end of the file; when it does not,
  something was appended afterwards, and **modified** says whether that update is more than what a
  signed PDF may legitimately receive later (more signatures, validation data, document timestamps —
  ISO 32000-2 §12.8.2 and PAdES): new page content, annotations or a rewritten page is "modified";
* **trusted** — the certificate chains to a root listed in ``MOTCUA_TRUST_ROOTS`` (trust is
  configuration: the Root CA of the MIC / NEAC and the government CA in production), was valid at
  signing time and is not known to be revoked;
* signer name, certificate subject, issuer, serial, validity, and the RFC 3161 timestamp when present.

A file with no signature left (a stripped signature dictionary) or one that cannot be parsed is
reported as not valid, with a reason. Nothing is stored.
"""

import asyncio
import datetime as dt
import io
import logging
from dataclasses import dataclass, field

from asn1crypto import x509  # type: ignore[import-untyped]
from django.utils.translation import gettext as _
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.diff_analysis import ModificationLevel
from pyhanko.sign.validation import async_validate_pdf_signature, async_validate_pdf_timestamp
from pyhanko.sign.validation.pdf_embedded import EmbeddedPdfSignature
from pyhanko.sign.validation.status import DocumentTimestampStatus, PdfSignatureStatus, SignatureCoverageLevel

from motcua.documents.signing.base import validation_context

logger = logging.getLogger(__name__)

# Updates after a signature that keep it valid: LTA updates (validation data, document timestamps) and
# form filling, which includes adding the next signature.
ALLOWED_LATER_UPDATES = {
    ModificationLevel.NONE,
    ModificationLevel.LTA_UPDATES,
    ModificationLevel.FORM_FILLING,
}


@dataclass(frozen=True)
class CertificateInfo:
    subject: str
    common_name: str
    issuer: str
    serial: str
    valid_from: dt.datetime
    valid_to: dt.datetime

    @classmethod
    def of(cls, cert: x509.Certificate) -> "CertificateInfo":
        return cls(
            subject=cert.subject.human_friendly,
            common_name=str(cert.subject.native.get("common_name", "")),
            issuer=cert.issuer.human_friendly,
            serial=format(cert.serial_number, "X"),
            valid_from=cert.not_valid_before,
            valid_to=cert.not_valid_after,
        )


@dataclass(frozen=True)
class SignatureReport:
    field_name: str
    kind: str  # "signature" or "document_timestamp"
    intact: bool
    valid: bool  # the cryptographic signature checks out against the certificate's key
    trusted: bool
    covers_whole_file: bool
    modified: bool
    certificate: CertificateInfo | None
    signed_at: dt.datetime | None  # the time the signer claims
    timestamp: dt.datetime | None  # the TSA's time, when the signature has a trusted timestamp
    reason: str = ""
    location: str = ""
    problems: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return self.intact and self.valid and self.trusted and not self.modified


@dataclass(frozen=True)
class VerificationReport:
    signatures: tuple[SignatureReport, ...] = ()
    error: str = ""
    problems: tuple[str, ...] = field(default_factory=tuple)

    @property
    def ok(self) -> bool:
        return not self.error and bool(self.signatures) and all(s.ok for s in self.signatures)


def _text(value: object) -> str:
    if value is None:
        return ""
    return str(value.get_object() if hasattr(value, "get_object") else value)


async def _check(sig: EmbeddedPdfSignature) -> SignatureReport:
    context = validation_context(list(sig.other_embedded_certs))
    is_timestamp = sig.sig_object_type == "/DocTimeStamp"
    status: PdfSignatureStatus | DocumentTimestampStatus
    if is_timestamp:
        status = await async_validate_pdf_timestamp(sig, validation_context=context)
    else:
        status = await async_validate_pdf_signature(
            sig, signer_validation_context=context, ts_validation_context=context
        )
    coverage = status.coverage
    level = status.modification_level
    whole = coverage == SignatureCoverageLevel.ENTIRE_FILE
    # Bytes after the signed revision that form no later revision (not an incremental update at all)
    # are a change to the file too: a viewer may still read them.
    stray_bytes = not whole and sig.reader.xrefs.total_revisions - 1 == sig.signed_revision
    modified = stray_bytes or (
        not whole
        and (
            coverage != SignatureCoverageLevel.ENTIRE_REVISION
            or level not in ALLOWED_LATER_UPDATES
            or status.docmdp_ok is False
        )
    )
    problems = []
    if not status.intact:
        problems.append(_("Nội dung đã bị thay đổi sau khi ký (mã băm không khớp)."))
    elif not status.valid:
        problems.append(_("Chữ ký không khớp với khoá của chứng thư số."))
    if modified:
        problems.append(_("Tệp đã bị sửa đổi sau khi ký (có cập nhật không được phép)."))
    if not status.trusted:
        problems.append(_("Chứng thư số không được tin cậy, đã hết hạn hoặc bị thu hồi tại thời điểm ký."))
    ts_time: dt.datetime | None
    signed_at: dt.datetime | None
    if isinstance(status, DocumentTimestampStatus):
        ts_time = status.timestamp
        signed_at = ts_time
    else:
        tsv = status.timestamp_validity
        ts_time = tsv.timestamp if tsv is not None and tsv.intact and tsv.valid else None
        signed_at = status.signer_reported_dt
    sig_dict = sig.sig_object
    return SignatureReport(
        field_name=sig.field_name,
        kind="document_timestamp" if is_timestamp else "signature",
        intact=status.intact,
        valid=status.valid,
        trusted=status.trusted,
        covers_whole_file=whole,
        modified=modified,
        certificate=CertificateInfo.of(status.signing_cert) if status.signing_cert else None,
        signed_at=signed_at,
        timestamp=ts_time,
        reason=_text(sig_dict.get("/Reason")),
        location=_text(sig_dict.get("/Location")),
        problems=tuple(problems),
    )


async def _verify(pdf: bytes) -> VerificationReport:
    reader = PdfFileReader(io.BytesIO(pdf), strict=False)
    signatures = reader.embedded_signatures
    if not signatures:
        return VerificationReport(error=_("Tệp không có chữ ký số nào (hoặc chữ ký đã bị gỡ bỏ)."))
    reports = []
    for sig in signatures:
        try:
            reports.append(await _check(sig))
        except Exception:  # a broken signature must be reported, not crash the page
            logger.info("signature %s could not be checked", sig.field_name, exc_info=True)
            reports.append(
                SignatureReport(
                    field_name=sig.field_name,
                    kind="signature",
                    intact=False,
                    valid=False,
                    trusted=False,
                    covers_whole_file=False,
                    modified=True,
                    certificate=None,
                    signed_at=None,
                    timestamp=None,
                    problems=(_("Chữ ký bị hỏng, không kiểm tra được."),),
                )
            )
    return VerificationReport(signatures=tuple(reports))


def verify_pdf(pdf: bytes) -> VerificationReport:
    """Check every signature of ``pdf``; never raises on a bad file (the report says what is wrong)."""
    if pdf.lstrip()[:5] != b"%PDF-":
        return VerificationReport(error=_("Tệp tải lên không phải là tệp PDF."))
    try:
        return asyncio.run(_verify(pdf)) if not _loop_running() else _in_thread(pdf)
    except Exception:
        logger.info("PDF could not be parsed for verification", exc_info=True)
        return VerificationReport(error=_("Tệp PDF bị hỏng hoặc có cấu trúc không hợp lệ."))


def _loop_running() -> bool:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    return True


def _in_thread(pdf: bytes) -> VerificationReport:
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(lambda: asyncio.run(_verify(pdf))).result()


def report_as_dict(report: VerificationReport) -> dict[str, object]:
    """The report in JSON-friendly form (API ``POST /api/v1/verify``)."""

    def when(value: dt.datetime | None) -> str | None:
        return value.isoformat() if value else None

    return {
        "ok": report.ok,
        "error": report.error,
        "signatures": [
            {
                "field_name": s.field_name,
                "kind": s.kind,
                "ok": s.ok,
                "intact": s.intact,
                "valid": s.valid,
                "trusted": s.trusted,
                "covers_whole_file": s.covers_whole_file,
                "modified": s.modified,
                "signed_at": when(s.signed_at),
                "timestamp": when(s.timestamp),
                "reason": s.reason,
                "location": s.location,
                "problems": list(s.problems),
                "certificate": None
                if s.certificate is None
                else {
                    "subject": s.certificate.subject,
                    "common_name": s.certificate.common_name,
                    "issuer": s.certificate.issuer,
                    "serial": s.certificate.serial,
                    "valid_from": when(s.certificate.valid_from),
                    "valid_to": when(s.certificate.valid_to),
                },
            }
            for s in report.signatures
        ],
    }
