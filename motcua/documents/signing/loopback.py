"""Local fakes of the two outside services that signing talks to, for tests and the demo, on loopback.

* ``TimestampAuthority``: an RFC 3161 time-stamping authority over HTTP (``application/timestamp-query``
  in, ``application/timestamp-reply`` out), built on certomancer's ``TimeStamper``; it signs real
  timestamp tokens with its own key and certificate, so a validator checks them like any other.
* ``RemoteSigningService``: the project's remote-signing protocol (``signing/remote.py``); it checks the
  bearer key and the key id, refuses a digest of the wrong length, and signs the digest with its own
  private key (the signature verifies against the certificate it hands out, or validation fails).

Both run a ``ThreadingHTTPServer`` on 127.0.0.1 with a free port; use them as context managers.
"""

import base64
import hmac
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from asn1crypto import keys, tsp, x509  # type: ignore[import-untyped]
from certomancer.services import TimeStamper
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa, utils

DIGEST_SIZES = {"sha256": 32, "sha384": 48, "sha512": 64}


class _Loopback:
    def __init__(self) -> None:
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    def _handler(self) -> type[BaseHTTPRequestHandler]:  # pragma: no cover - overridden
        raise NotImplementedError

    @property
    def url(self) -> str:
        if self._server is None:
            raise RuntimeError("the server is not running")
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def __enter__(self) -> "_Loopback":
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self._server is None or self._thread is None:
            return
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()


class _QuietHandler(BaseHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass

    def _reply(self, status: int, body: bytes, content_type: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _json(self, status: int, data: dict[str, Any]) -> None:
        self._reply(status, json.dumps(data).encode(), "application/json")

    def _body(self) -> bytes:
        return self.rfile.read(int(self.headers.get("Content-Length") or 0))


class TimestampAuthority(_Loopback):
    def __init__(self, tsa_cert: x509.Certificate, tsa_key: keys.PrivateKeyInfo) -> None:
        super().__init__()
        self.stamper = TimeStamper(tsa_cert=tsa_cert, tsa_key=tsa_key)
        self.requests = 0

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        authority = self

        class Handler(_QuietHandler):
            def do_POST(self) -> None:
                if self.headers.get("Content-Type") != "application/timestamp-query":
                    self._reply(415, b"", "text/plain")
                    return
                try:
                    request = tsp.TimeStampReq.load(self._body())
                    _ = request.native  # parse fully: a malformed request fails here
                except ValueError:
                    self._reply(400, b"", "text/plain")
                    return
                authority.requests += 1
                response = authority.stamper.request_tsa_response(request)
                self._reply(200, response.dump(), "application/timestamp-reply")

        return Handler


class RemoteSigningService(_Loopback):
    def __init__(
        self,
        *,
        api_key: str,
        key_id: str,
        private_key: rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey,
        certificate_pem: str,
        chain_pem: list[str],
    ) -> None:
        super().__init__()
        self.api_key = api_key
        self.key_id = key_id
        self.private_key = private_key
        self.certificate_pem = certificate_pem
        self.chain_pem = chain_pem
        self.signed = 0

    def _sign(self, digest: bytes, algorithm: str) -> bytes:
        chosen = {"sha256": hashes.SHA256(), "sha384": hashes.SHA384(), "sha512": hashes.SHA512()}[algorithm]
        if isinstance(self.private_key, rsa.RSAPrivateKey):
            return self.private_key.sign(digest, padding.PKCS1v15(), utils.Prehashed(chosen))
        return self.private_key.sign(digest, ec.ECDSA(utils.Prehashed(chosen)))

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        service = self

        class Handler(_QuietHandler):
            def _authorised(self) -> bool:
                given = self.headers.get("Authorization", "")
                if not hmac.compare_digest(given.encode(), f"Bearer {service.api_key}".encode()):
                    self._json(401, {"error": "unauthorized"})
                    return False
                if self.path.split("/")[2:3] != [service.key_id]:
                    self._json(404, {"error": "unknown key"})
                    return False
                return True

            def do_GET(self) -> None:
                if not self._authorised():
                    return
                if not self.path.endswith("/certificate"):
                    self._json(404, {"error": "not found"})
                    return
                self._json(200, {"certificate": service.certificate_pem, "chain": service.chain_pem})

            def do_POST(self) -> None:
                if not self._authorised():
                    return
                if not self.path.endswith("/sign"):
                    self._json(404, {"error": "not found"})
                    return
                try:
                    data = json.loads(self._body())
                    algorithm = str(data["digest_algorithm"])
                    digest = base64.b64decode(str(data["digest"]), validate=True)
                except (ValueError, KeyError, TypeError):
                    self._json(400, {"error": "bad request"})
                    return
                if DIGEST_SIZES.get(algorithm) != len(digest):
                    self._json(400, {"error": "bad digest"})
                    return
                service.signed += 1
                signature = service._sign(digest, algorithm)
                self._json(200, {"signature": base64.b64encode(signature).decode()})

        return Handler
