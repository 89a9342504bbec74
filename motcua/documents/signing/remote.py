"""Remote signing: the key is held by a signing provider (ký số từ xa), the application sends a digest.

Licensed providers offer remote signing (NĐ 130/2018/NĐ-CP as amended, "ký số từ xa"; e.g. VNPT
SmartCA, Viettel MySign), each with its own API. The application talks to them through one small
interface, ``RemoteSigningClient``: fetch the certificate chain of a key, and sign a digest. pyHanko
builds the CMS structure and the signed attributes; only their SHA-256 digest leaves the server, and
the raw signature comes back. A provider adapter implements the interface (usually with an approval
step on the officer's phone, which ``sign_digest`` waits for).

The project's own wire protocol (``HttpRemoteSigningClient``, spoken by the local fake in
``remote_fake.py`` and documented in docs/signatures.md), JSON over HTTPS with
``Authorization: Bearer <api key>``:

* ``GET  {base}/keys/{key_id}/certificate`` → ``{"certificate": PEM, "chain": [PEM, ...]}``
* ``POST {base}/keys/{key_id}/sign`` with ``{"digest_algorithm": "sha256", "digest": base64,
  "request_id": uuid}`` → ``{"signature": base64}``; 401 for a wrong key, 404 for an unknown key id,
  400 for a digest of the wrong length or an unsupported algorithm.
"""

import base64
import contextlib
import hashlib
import uuid
from collections.abc import Iterator
from typing import Protocol

import httpx
from asn1crypto import pem, x509  # type: ignore[import-untyped]
from django.conf import settings
from pyhanko.sign.signers.pdf_cms import Signer as CmsSigner

from motcua.documents.signing.base import PyHankoSigner, SigningError, cert_store


class RemoteSigningClient(Protocol):
    """What a provider adapter must offer."""

    def certificate_chain(self) -> list[x509.Certificate]:
        """The signer's certificate first, then its issuers."""
        ...

    def sign_digest(self, digest: bytes, digest_algorithm: str) -> bytes:
        """The raw signature (PKCS#1 v1.5 for RSA, DER for ECDSA) over an already computed digest."""
        ...


def _pem_cert(text: str) -> x509.Certificate:
    _, _, der = pem.unarmor(text.encode())
    return x509.Certificate.load(der)


class HttpRemoteSigningClient:
    """The project's remote-signing protocol (module docstring)."""

    def __init__(self, base_url: str, api_key: str, key_id: str, timeout: float = 30.0) -> None:
        self.base_url = base_url.rstrip("/")
        self.key_id = key_id
        self._client = httpx.Client(headers={"Authorization": f"Bearer {api_key}"}, timeout=timeout)

    def _call(self, method: str, path: str, **kwargs: object) -> dict[str, object]:
        try:
            response = self._client.request(method, f"{self.base_url}/keys/{self.key_id}/{path}", **kwargs)  # type: ignore[arg-type]
        except httpx.HTTPError as exc:
            raise SigningError("Không kết nối được dịch vụ ký số từ xa.") from exc
        if response.status_code == 401:
            raise SigningError("Dịch vụ ký số từ xa từ chối khoá truy cập.")
        if response.status_code == 404:
            raise SigningError("Dịch vụ ký số từ xa không có khoá ký đã cấu hình.")
        if response.status_code != 200:
            raise SigningError(f"Dịch vụ ký số từ xa trả lỗi {response.status_code}.")
        body = response.json()
        if not isinstance(body, dict):
            raise SigningError("Dịch vụ ký số từ xa trả dữ liệu không hợp lệ.")
        return body

    def certificate_chain(self) -> list[x509.Certificate]:
        body = self._call("GET", "certificate")
        chain = body.get("chain") or []
        if not isinstance(chain, list):
            raise SigningError("Dịch vụ ký số từ xa trả dữ liệu không hợp lệ.")
        return [_pem_cert(str(body["certificate"])), *(_pem_cert(str(c)) for c in chain)]

    def sign_digest(self, digest: bytes, digest_algorithm: str) -> bytes:
        body = self._call(
            "POST",
            "sign",
            json={
                "digest_algorithm": digest_algorithm,
                "digest": base64.b64encode(digest).decode(),
                "request_id": str(uuid.uuid4()),
            },
        )
        return base64.b64decode(str(body["signature"]))


class _RemoteCmsSigner(CmsSigner):
    def __init__(self, client: RemoteSigningClient) -> None:
        chain = client.certificate_chain()
        super().__init__(signing_cert=chain[0], cert_registry=cert_store(chain))
        self.client = client

    async def async_sign_raw(self, data: bytes, digest_algorithm: str, dry_run: bool = False) -> bytes:
        cert = self.signing_cert
        if cert is None:  # pragma: no cover - set in __init__
            raise SigningError("Không tìm thấy chứng thư số của người ký.")
        if dry_run:  # pyHanko only needs the size, to reserve room in the PDF
            return bytes(max(cert.public_key.byte_size * 2 + 16, 256))
        digest = hashlib.new(digest_algorithm, data).digest()
        return self.client.sign_digest(digest, digest_algorithm)


class RemoteSigner(PyHankoSigner):
    def __init__(self, client: RemoteSigningClient) -> None:
        self.client = client

    @classmethod
    def from_settings(cls) -> "RemoteSigner":
        if not settings.MOTCUA_REMOTE_SIGNING_URL:
            raise SigningError("Chưa cấu hình dịch vụ ký số từ xa (MOTCUA_REMOTE_SIGNING_URL).")
        return cls(
            HttpRemoteSigningClient(
                settings.MOTCUA_REMOTE_SIGNING_URL,
                settings.MOTCUA_REMOTE_SIGNING_API_KEY,
                settings.MOTCUA_REMOTE_SIGNING_KEY_ID,
            )
        )

    @contextlib.contextmanager
    def _cms_signer(self) -> Iterator[CmsSigner]:
        yield _RemoteCmsSigner(self.client)
