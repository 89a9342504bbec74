"""Signing with a key held in a file: a PKCS#12 bundle, or a PEM key and certificate.

For demonstrations and tests only: a key file on an application server is not the "secure
signature-creation device" that Luật Giao dịch điện tử 2023 Điều 23 and the CA rules expect of an
officer's signature (use ``pkcs11`` or ``remote`` in production).
"""

import contextlib
from pathlib import Path

from django.conf import settings
from pyhanko.sign import signers
from pyhanko.sign.signers.pdf_cms import Signer as CmsSigner

from motcua.documents.signing.base import PyHankoSigner, SigningError, fixed


class SoftwareSigner(PyHankoSigner):
    """``SoftwareSigner.from_settings()`` reads ``MOTCUA_SIGNING_PKCS12`` (+ password) or
    ``MOTCUA_SIGNING_KEY`` / ``MOTCUA_SIGNING_CERT`` / ``MOTCUA_SIGNING_CHAIN``."""

    def __init__(self, cms: signers.SimpleSigner) -> None:
        self._cms = cms

    @classmethod
    def from_pkcs12(cls, path: str | Path, password: bytes | None) -> "SoftwareSigner":
        cms = signers.SimpleSigner.load_pkcs12(str(path), passphrase=password)  # type: ignore[no-untyped-call]
        if cms is None:
            raise SigningError("Không đọc được tệp PKCS#12 của người ký (sai mật khẩu hoặc tệp hỏng).")
        return cls(cms)

    @classmethod
    def from_files(
        cls, key: str | Path, cert: str | Path, chain: list[str] | None = None, password: bytes | None = None
    ) -> "SoftwareSigner":
        cms = signers.SimpleSigner.load(  # type: ignore[no-untyped-call]
            str(key), str(cert), ca_chain_files=tuple(chain or ()), key_passphrase=password
        )
        if cms is None:
            raise SigningError("Không đọc được khoá hoặc chứng thư số của người ký.")
        return cls(cms)

    @classmethod
    def from_settings(cls) -> "SoftwareSigner":
        password = settings.MOTCUA_SIGNING_PASSWORD.encode() or None
        if settings.MOTCUA_SIGNING_PKCS12:
            return cls.from_pkcs12(settings.MOTCUA_SIGNING_PKCS12, password)
        if settings.MOTCUA_SIGNING_KEY and settings.MOTCUA_SIGNING_CERT:
            return cls.from_files(
                settings.MOTCUA_SIGNING_KEY,
                settings.MOTCUA_SIGNING_CERT,
                settings.MOTCUA_SIGNING_CHAIN,
                password,
            )
        raise SigningError("Chưa cấu hình khoá ký (MOTCUA_SIGNING_PKCS12 hoặc MOTCUA_SIGNING_KEY/CERT).")

    def _cms_signer(self) -> contextlib.AbstractContextManager[CmsSigner]:
        return fixed(self._cms)
