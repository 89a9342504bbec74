"""Signing as a named officer: the officer's own registered certificate, never a shared key.

NĐ 30/2020/NĐ-CP Điều 8 khoản 3 and Luật Giao dịch điện tử 2023 Điều 24: a document is signed by the
competent person with their own digital signature, and the certificate must be valid when signing.
So ``sign_as_officer`` finds the officer's currently valid certificate (``SigningCertificate``), opens
the key it names (``key_ref``) through the configured way of signing (``MOTCUA_SIGNER``), refuses when
the key does not belong to that certificate, and draws the stamp with the officer's name and unit.

Ways of reaching the key, by ``MOTCUA_SIGNER``:
- ``pkcs11``: the key labelled ``key_ref`` on the token/HSM named by ``MOTCUA_PKCS11_*``;
- ``remote``: the key id ``key_ref`` at the remote-signing service (``MOTCUA_REMOTE_SIGNING_*``);
- ``software`` (demo and tests only): the PKCS#12 file ``key_ref`` in ``MOTCUA_SIGNING_KEYS_DIR``
  (password ``MOTCUA_SIGNING_PASSWORD``); without a keys directory, the single configured key.
"""

import hashlib
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from motcua.accounts.models import User
from motcua.documents.models import SigningCertificate
from motcua.documents.signing import configured_signer
from motcua.documents.signing.base import Signer, SigningError
from motcua.documents.signing.stamp import StampFields

__all__ = ["current_certificate", "sign_as_officer", "signer_for"]


def current_certificate(officer: User) -> SigningCertificate | None:
    """The officer's active certificate valid now (the one expiring last), or None."""
    return SigningCertificate.objects.current().filter(officer=officer).order_by("-valid_to").first()


def _signer_for_key(key_ref: str) -> Signer:
    kind = settings.MOTCUA_SIGNER
    if kind == "software" and settings.MOTCUA_SIGNING_KEYS_DIR and key_ref:
        from motcua.documents.signing.software import SoftwareSigner

        directory = Path(settings.MOTCUA_SIGNING_KEYS_DIR).resolve()
        path = (directory / key_ref).resolve()
        if path.parent != directory or not path.is_file():
            raise SigningError("Không tìm thấy khoá ký của cán bộ trong thư mục khoá.")
        return SoftwareSigner.from_pkcs12(path, settings.MOTCUA_SIGNING_PASSWORD.encode() or None)
    if kind == "pkcs11" and key_ref:
        from motcua.documents.signing.pkcs11 import Pkcs11Signer

        return Pkcs11Signer(
            module=settings.MOTCUA_PKCS11_MODULE,
            token_label=settings.MOTCUA_PKCS11_TOKEN,
            pin=settings.MOTCUA_PKCS11_PIN,
            key_label=key_ref,
            chain_files=settings.MOTCUA_SIGNING_CHAIN,
        )
    if kind == "remote" and key_ref:
        from motcua.documents.signing.remote import HttpRemoteSigningClient, RemoteSigner

        return RemoteSigner(
            HttpRemoteSigningClient(
                settings.MOTCUA_REMOTE_SIGNING_URL, settings.MOTCUA_REMOTE_SIGNING_API_KEY, key_ref
            )
        )
    return configured_signer()


def signer_for(officer: User) -> tuple[Signer, SigningCertificate]:
    """The officer's signer and the registered certificate it must match; ``SigningError`` (Vietnamese,
    safe to show) when the officer has no valid certificate or the key belongs to another one."""
    certificate = current_certificate(officer)
    if certificate is None:
        raise SigningError(
            "Bạn chưa có chứng thư số còn hiệu lực được đăng ký trong hệ thống. Hãy đề nghị quản trị "
            "đăng ký chứng thư số của bạn trước khi ký."
        )
    signer = _signer_for_key(certificate.key_ref)
    fingerprint = hashlib.sha256(signer.certificate().dump()).hexdigest()
    if fingerprint != certificate.fingerprint:
        raise SigningError("Khoá ký không khớp với chứng thư số đã đăng ký của bạn; không thể ký.")
    return signer, certificate


def sign_as_officer(
    officer: User,
    pdf: bytes,
    *,
    reason: str,
    unit_name: str,
    location: str = "",
    page: int = -1,
    box: tuple[int, int, int, int] | None = None,
    extra_lines: tuple[str, ...] = (),
) -> bytes:
    """``pdf`` with one more PAdES signature by ``officer`` (visible stamp: name, unit, time)."""
    signer, _certificate = signer_for(officer)
    stamp = StampFields(
        signer_name=officer.full_name or officer.get_username(),
        unit=unit_name,
        signed_at=timezone.now(),
        page=page,
        box=box,
        extra_lines=extra_lines,
    )
    return signer.sign(pdf, reason=reason, location=location or unit_name, stamp=stamp)
