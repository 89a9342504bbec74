"""Digital signatures on PDFs (PAdES) behind one interface; see ``base.py`` and docs/signatures.md."""

from django.conf import settings

from motcua.documents.signing.base import PyHankoSigner, Signer, SigningError, load_trust_roots
from motcua.documents.signing.stamp import StampFields

__all__ = ["PyHankoSigner", "Signer", "SigningError", "StampFields", "configured_signer", "load_trust_roots"]


def configured_signer() -> Signer:
    """The signer chosen by ``MOTCUA_SIGNER`` (``software``, ``pkcs11`` or ``remote``)."""
    kind = settings.MOTCUA_SIGNER
    if kind == "software":
        from motcua.documents.signing.software import SoftwareSigner

        return SoftwareSigner.from_settings()
    if kind == "pkcs11":
        from motcua.documents.signing.pkcs11 import Pkcs11Signer

        return Pkcs11Signer.from_settings()
    if kind == "remote":
        from motcua.documents.signing.remote import RemoteSigner

        return RemoteSigner.from_settings()
    raise SigningError("Chưa cấu hình cách ký số (MOTCUA_SIGNER: software, pkcs11 hoặc remote).")
