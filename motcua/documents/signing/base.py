"""One interface for every way of signing a PDF (PAdES), and the shared pyHanko driver.

A ``Signer`` takes the bytes of a PDF and returns them with one more signature appended as an
incremental update (the earlier revisions, and their signatures, stay byte for byte). Where the
private key lives is the implementation's business: a key file (``software``, demo only), a PKCS#11
token or HSM (``pkcs11``) or a provider's remote-signing service (``remote``).

Legal frame: Luật Giao dịch điện tử 2023 (Điều 22–23) and NĐ 130/2018/NĐ-CP (replaced by
NĐ 23/2025/NĐ-CP) recognise a digital signature made with a certificate from a licensed provider or the
government CA (Ban Cơ yếu Chính phủ); NĐ 30/2020/NĐ-CP Phụ lục I describes the visible signature on an
administrative document. The format is PAdES (ETSI EN 319 142, ``/ETSI.CAdES.detached``); when a
time-stamping authority is configured (``MOTCUA_TSA_URL``) the signature carries an RFC 3161 timestamp
and the validation data (certificates, revocation information) for long-term validation (PAdES B-LT,
plus a document timestamp: B-LTA).
"""

import abc
import asyncio
import contextlib
import io
from collections.abc import Coroutine, Iterator
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

import pikepdf
from asn1crypto import x509  # type: ignore[import-untyped]
from django.conf import settings
from django.utils import timezone
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import fields, signers, timestamps
from pyhanko.sign.signers.pdf_cms import Signer as CmsSigner
from pyhanko.stamp import StaticStampStyle
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.registry import SimpleCertificateStore

from motcua.documents.signing.stamp import STAMP_HEIGHT, STAMP_WIDTH, PdfBytesPage, StampFields

__all__ = ["PyHankoSigner", "Signer", "SigningError", "StampFields", "load_trust_roots"]

MARGIN = 36  # half an inch from the page edges


class SigningError(Exception):
    """Signing could not be done; the message is Vietnamese and safe to show to an officer."""


@runtime_checkable
class Signer(Protocol):
    """Anything that can add a PAdES signature to a PDF."""

    def certificate(self) -> x509.Certificate:
        """The signer's certificate (asn1crypto), as embedded in the signature."""
        ...

    def sign(
        self, pdf: bytes, *, reason: str, location: str, stamp: StampFields
    ) -> bytes:  # pragma: no cover - protocol
        ...


def load_trust_roots(paths: list[str] | None = None) -> list[x509.Certificate]:
    """The trust anchors named by ``MOTCUA_TRUST_ROOTS`` (PEM or DER files; a PEM may hold several)."""
    from asn1crypto import pem

    roots: list[x509.Certificate] = []
    for name in paths if paths is not None else settings.MOTCUA_TRUST_ROOTS:
        data = Path(name).read_bytes()
        if pem.detect(data):
            roots.extend(x509.Certificate.load(der) for _, _, der in pem.unarmor(data, multiple=True))
        else:
            roots.append(x509.Certificate.load(data))
    return roots


def validation_context(extra_certs: list[x509.Certificate] | None = None) -> ValidationContext:
    """Trust roots from configuration; the revocation policy from ``MOTCUA_SIGNATURE_REVOCATION_MODE``."""
    return ValidationContext(
        trust_roots=load_trust_roots(),
        other_certs=extra_certs or [],
        allow_fetching=settings.MOTCUA_SIGNATURE_FETCH_REVOCATION,
        revocation_mode=settings.MOTCUA_SIGNATURE_REVOCATION_MODE,
    )


def _stamp_box(pdf: bytes, stamp: StampFields) -> tuple[int, tuple[int, int, int, int]]:
    try:
        with pikepdf.open(io.BytesIO(pdf)) as document:
            pages = len(document.pages)
            page = stamp.page if stamp.page >= 0 else pages + stamp.page
            if not 0 <= page < pages:
                raise SigningError(f"Trang đặt chữ ký ({stamp.page + 1}) không có trong tệp PDF.")
            _x1, _y1, x2, _y2 = (float(v) for v in document.pages[page].mediabox)
    except pikepdf.PdfError as exc:
        raise SigningError("Tệp cần ký bị hỏng, không mở được.") from exc
    if stamp.box:
        return page, stamp.box
    right = int(x2) - MARGIN
    return page, (right - STAMP_WIDTH, MARGIN, right, MARGIN + STAMP_HEIGHT)


class PyHankoSigner(abc.ABC):
    """Common driver: the subclass provides a pyHanko CMS signer; this class builds the PAdES signature,
    the visible stamp, the timestamp and the long-term validation data."""

    @abc.abstractmethod
    def _cms_signer(self) -> contextlib.AbstractContextManager[CmsSigner]:
        """A pyHanko signer, open for the duration of one signature (a token session, a connection)."""

    def certificate(self) -> x509.Certificate:
        with self._cms_signer() as cms:
            if cms.signing_cert is None:  # pragma: no cover - every implementation sets it
                raise SigningError("Không tìm thấy chứng thư số của người ký.")
            return cms.signing_cert

    def sign(self, pdf: bytes, *, reason: str, location: str, stamp: StampFields) -> bytes:
        from motcua.documents.signing.stamp import render_stamp_pdf

        if not pdf.startswith(b"%PDF-"):
            raise SigningError("Tệp cần ký không phải là tệp PDF.")
        signed_at = stamp.signed_at or timezone.now()
        stamp = StampFields(
            signer_name=stamp.signer_name,
            unit=stamp.unit,
            signed_at=signed_at,
            page=stamp.page,
            box=stamp.box,
            extra_lines=stamp.extra_lines,
        )
        page, box = _stamp_box(pdf, stamp)
        field_name = f"ChuKy{signed_at:%Y%m%d%H%M%S%f}"
        tsa_url = settings.MOTCUA_TSA_URL
        timestamper = (
            timestamps.HTTPTimeStamper(tsa_url, timeout=settings.MOTCUA_TSA_TIMEOUT) if tsa_url else None
        )
        with self._cms_signer() as cms:
            chain = list(cms.cert_registry)
            meta = signers.PdfSignatureMetadata(
                field_name=field_name,
                reason=reason,
                location=location,
                name=stamp.signer_name,
                md_algorithm="sha256",
                subfilter=fields.SigSeedSubFilter.PADES,
                embed_validation_info=timestamper is not None,
                use_pades_lta=timestamper is not None,
                validation_context=validation_context(chain) if timestamper else None,
            )
            pdf_signer = signers.PdfSigner(
                meta,
                signer=cms,
                timestamper=timestamper,
                stamp_style=StaticStampStyle(
                    background=PdfBytesPage(render_stamp_pdf(stamp)), border_width=0
                ),
                new_field_spec=fields.SigFieldSpec(sig_field_name=field_name, on_page=page, box=box),
            )
            writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
            output = io.BytesIO()
            try:
                _run(pdf_signer.async_sign_pdf(writer, output=output))
            except SigningError:
                raise
            except Exception as exc:
                raise SigningError(f"Không ký được tệp PDF: {exc}") from exc
        return output.getvalue()


def _run[T](coro: Coroutine[Any, Any, T]) -> T:
    """Run pyHanko's coroutine from synchronous Django code (views, tasks, commands)."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coro)
    # Called from inside an event loop (an async view): run in a private loop on a worker thread.
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coro).result()


def cert_store(certs: list[x509.Certificate]) -> SimpleCertificateStore:
    store: SimpleCertificateStore = SimpleCertificateStore.from_certs(certs)  # type: ignore[no-untyped-call]
    return store


@contextlib.contextmanager
def fixed(cms: CmsSigner) -> Iterator[CmsSigner]:
    """A signer that needs no opening or closing."""
    yield cms
