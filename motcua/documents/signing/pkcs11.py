"""Signing with a key that never leaves a PKCS#11 device: a USB token, a smart card or an HSM.

This is how officers' signatures are made in practice: the CA (a licensed provider or Ban Cơ yếu
Chính phủ) issues the key on a token (a secure signature-creation device, Luật Giao dịch điện tử 2023
Điều 23). The application opens a session on the token named by its label, logs in with the PIN and
asks the token to sign the CMS signed attributes (pyHanko's PKCS#11 support, python-pkcs11). The
certificate is read from the token by label, or from a file when the token holds only the key.
"""

import contextlib
from collections.abc import Iterator
from pathlib import Path

import pkcs11
from asn1crypto import pem, x509  # type: ignore[import-untyped]
from django.conf import settings
from pyhanko.config.pkcs11 import TokenCriteria
from pyhanko.sign.general import SigningError as PyHankoSigningError
from pyhanko.sign.pkcs11 import PKCS11Signer, open_pkcs11_session
from pyhanko.sign.signers.pdf_cms import Signer as CmsSigner

from motcua.documents.signing.base import PyHankoSigner, SigningError


class Pkcs11Signer(PyHankoSigner):
    def __init__(
        self,
        *,
        module: str,
        token_label: str,
        pin: str,
        key_label: str,
        cert_label: str = "",
        cert_file: str = "",
        chain_files: list[str] | None = None,
    ) -> None:
        self.module = module
        self.token_label = token_label
        self.pin = pin
        self.key_label = key_label
        self.cert_label = cert_label or key_label
        self.cert_file = cert_file
        self.chain_files = chain_files or []

    @classmethod
    def from_settings(cls) -> "Pkcs11Signer":
        if not (settings.MOTCUA_PKCS11_MODULE and settings.MOTCUA_PKCS11_TOKEN):
            raise SigningError(
                "Chưa cấu hình thiết bị ký PKCS#11 (MOTCUA_PKCS11_MODULE, MOTCUA_PKCS11_TOKEN)."
            )
        return cls(
            module=settings.MOTCUA_PKCS11_MODULE,
            token_label=settings.MOTCUA_PKCS11_TOKEN,
            pin=settings.MOTCUA_PKCS11_PIN,
            key_label=settings.MOTCUA_PKCS11_KEY_LABEL,
            cert_label=settings.MOTCUA_PKCS11_CERT_LABEL,
            cert_file=settings.MOTCUA_PKCS11_CERT,
            chain_files=settings.MOTCUA_SIGNING_CHAIN,
        )

    @staticmethod
    def _load_certs(name: str) -> list[x509.Certificate]:
        data = Path(name).read_bytes()
        if pem.detect(data):
            return [x509.Certificate.load(der) for _, _, der in pem.unarmor(data, multiple=True)]
        return [x509.Certificate.load(data)]

    @contextlib.contextmanager
    def _cms_signer(self) -> Iterator[CmsSigner]:
        if not Path(self.module).exists():
            raise SigningError("Không tìm thấy thư viện PKCS#11 của thiết bị ký.")
        try:
            session = open_pkcs11_session(
                self.module, token_criteria=TokenCriteria(label=self.token_label), user_pin=self.pin
            )
        except (pkcs11.PKCS11Error, PyHankoSigningError) as exc:
            raise SigningError("Không mở được thiết bị ký (kiểm tra tên thiết bị và mã PIN).") from exc
        try:
            chain = [c for name in self.chain_files for c in self._load_certs(name)]
            signing_cert = self._load_certs(self.cert_file)[0] if self.cert_file else None
            signer = PKCS11Signer(
                session,
                key_label=self.key_label,
                cert_label=None if signing_cert else self.cert_label,
                signing_cert=signing_cert,
                ca_chain=chain,
                other_certs_to_pull=(),
            )
            yield signer
        finally:
            session.close()
