"""Local fakes of the SMS gateway and of Zalo ZNS, speaking the protocols of ``channels.sms`` and
``channels.zalo`` on loopback. Used by the tests and runnable for the demo:

    motcua notification-fakes            # SMS on 127.0.0.1:8025, Zalo on 127.0.0.1:8026

They are strict, not yes-men: a wrong key or token, a missing field, a phone number that is not a
Vietnamese mobile number in 84xxxxxxxxx form, an unknown ZNS template or a template field that is not
declared are refused with the gateway's own error codes. ``fail_next(n, ...)`` makes the next ``n``
requests fail transiently (HTTP 503 or the gateway's "unknown error"), to exercise the retries. A
repeated RequestId / tracking_id is accepted once (the real gateways' idempotency).
"""

import json
import re
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, ClassVar, Self

_VN_MOBILE = re.compile(r"^84\d{9}$")


@dataclass
class Received:
    """One accepted message (what the handset would show, for the tests and the demo console)."""

    phone: str
    text: str
    provider_id: str
    request_id: str
    data: dict[str, str] = field(default_factory=dict)


class _Gateway:
    """The state shared by a fake's request handlers (thread-safe: ThreadingHTTPServer)."""

    path: ClassVar[str]

    def __init__(self, host: str = "127.0.0.1", port: int = 0, *, echo: bool = False) -> None:
        self.lock = threading.Lock()
        self.received: list[Received] = []
        self.requests = 0
        self.echo = echo
        self._failures: list[str] = []
        self._by_request: dict[str, str] = {}
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length)
                status, answer = gateway.handle(self.path, dict(self.headers.items()), raw)
                body = json.dumps(answer, ensure_ascii=False).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: Any) -> None:  # no phone numbers on the console
                return

        self.server = ThreadingHTTPServer((host, port), Handler)
        self.thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host!s}:{port}{self.path}"

    def start(self) -> Self:
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def fail_next(self, count: int = 1, *, mode: str = "http_503") -> None:
        """The next ``count`` requests fail transiently: ``http_503``, ``http_500`` or ``unknown``
        (HTTP 200 with the gateway's retry-later code)."""
        with self.lock:
            self._failures.extend([mode] * count)

    def handle(self, path: str, headers: dict[str, str], raw: bytes) -> tuple[int, dict[str, Any]]:
        with self.lock:
            self.requests += 1
            if path != self.path:
                return 404, {"error": "not found"}
            if self._failures:
                mode = self._failures.pop(0)
                if mode.startswith("http_"):
                    return int(mode.removeprefix("http_")), {"error": "service unavailable"}
                return 200, self.unknown_error()
            try:
                payload = json.loads(raw.decode("utf-8"))
            except (UnicodeDecodeError, ValueError):
                return 400, {"error": "invalid json"}
            if not isinstance(payload, dict):
                return 400, {"error": "invalid json"}
            return self.accept({k.lower(): v for k, v in headers.items()}, payload)

    def remember(self, request_id: str, make: Received) -> str:
        """Store a message once per request id; a repeat returns the first provider id."""
        if request_id in self._by_request:
            return self._by_request[request_id]
        self._by_request[request_id] = make.provider_id
        self.received.append(make)
        if self.echo:
            print(
                f"[{type(self).__name__}] {make.provider_id} → ...{make.phone[-3:]}: {make.text}", flush=True
            )
        return make.provider_id

    def unknown_error(self) -> dict[str, Any]:
        raise NotImplementedError

    def accept(self, headers: dict[str, str], payload: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        raise NotImplementedError


class FakeSmsGateway(_Gateway):
    """A brandname-SMS gateway (see ``channels.sms`` for the protocol)."""

    path = "/sms/send"
    REQUIRED = ("ApiKey", "SecretKey", "Brandname", "SmsType", "Phone", "Content", "RequestId")

    def __init__(
        self,
        *,
        api_key: str = "fake-sms-key",
        secret_key: str = "fake-sms-secret",  # noqa: S107 — the fake's own demo credential
        brandname: str = "MOTCUA",
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.api_key, self.secret_key, self.brandname = api_key, secret_key, brandname

    def unknown_error(self) -> dict[str, Any]:
        return {"CodeResult": "99", "ErrorMessage": "Unknown error"}

    def accept(self, headers: dict[str, str], payload: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        def error(code: str, text: str) -> tuple[int, dict[str, Any]]:
            return 200, {"CodeResult": code, "ErrorMessage": text}

        missing = [name for name in self.REQUIRED if not str(payload.get(name, "")).strip()]
        if missing:
            return error("118", f"Missing {', '.join(missing)}")
        if payload["ApiKey"] != self.api_key or payload["SecretKey"] != self.secret_key:
            return error("101", "Authorize failed")
        if payload["Brandname"] != self.brandname:
            return error("104", "Brandname not registered")
        if not _VN_MOBILE.match(str(payload["Phone"])):
            return error("118", "Phone invalid")
        text = str(payload["Content"])
        if payload.get("IsUnicode", "0") == "0" and not text.isascii():
            return error("119", "Content has Unicode characters but IsUnicode=0")
        if len(text) > 459:  # 3 concatenated 153-character parts
            return error("119", "Content too long")
        request_id = str(payload["RequestId"])
        provider_id = f"SMS{len(self._by_request) + 1:06d}"
        sms_id = self.remember(request_id, Received(str(payload["Phone"]), text, provider_id, request_id))
        return 200, {"CodeResult": "100", "SMSID": sms_id, "ErrorMessage": ""}


class FakeZaloZns(_Gateway):
    """Zalo ZNS ``/message/template`` (see ``channels.zalo``). ``templates`` maps each approved template
    id to its declared fields; ``unreachable`` phones are users who do not receive ZNS (a permanent
    error, as on Zalo)."""

    path = "/message/template"

    def __init__(
        self,
        *,
        access_token: str = "fake-zalo-token",  # noqa: S107 — the fake's own demo credential
        templates: dict[str, tuple[str, ...]] | None = None,
        unreachable: frozenset[str] = frozenset(),
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.access_token = access_token
        self.templates = dict(templates or {})
        self.unreachable = unreachable

    def unknown_error(self) -> dict[str, Any]:
        return {"error": -100, "message": "Unknown error"}

    def accept(self, headers: dict[str, str], payload: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        def error(code: int, text: str) -> tuple[int, dict[str, Any]]:
            return 200, {"error": code, "message": text}

        if headers.get("access_token") != self.access_token:
            return error(-124, "Access token invalid")
        phone = str(payload.get("phone", ""))
        if not _VN_MOBILE.match(phone):
            return error(-108, "Phone number invalid")
        template_id = str(payload.get("template_id", ""))
        if template_id not in self.templates:
            return error(-109, "Template ID invalid")
        data = payload.get("template_data")
        if not isinstance(data, dict) or not data:
            return error(-111, "Template data empty")
        declared = set(self.templates[template_id])
        if set(data) != declared or not all(isinstance(v, str) and v for v in data.values()):
            return error(-112, "Template data invalid")
        if phone in self.unreachable:
            return error(-118, "Zalo account not existed")
        request_id = str(payload.get("tracking_id", "")) or f"untracked-{self.requests}"
        text = " | ".join(f"{k}={v}" for k, v in sorted(data.items()))
        provider_id = f"zns{len(self._by_request) + 1:08d}"
        msg_id = self.remember(request_id, Received(phone, text, provider_id, request_id, dict(data)))
        return 200, {"error": 0, "message": "Success", "data": {"msg_id": msg_id, "sent_time": "0"}}
