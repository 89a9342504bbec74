"""Serving a stored file to its rightful reader: always as an attachment, never sniffed, never cached
by shared caches, under a name the server chooses.

A stored upload may be hostile (renamed HTML or SVG, a polyglot): served inline it would run in the
site's origin (QUALITY.md security item 4). So the answer is ``Content-Disposition: attachment`` with
``X-Content-Type-Options: nosniff``, a content type taken from an allowlist of extensions (anything else
is ``application/octet-stream``), and a file name built from the dossier code, not the uploaded name.
Who may read the file is decided before, by the caller's scoped query.
"""

import re
from pathlib import PurePosixPath
from typing import cast

from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404, HttpResponse
from django.utils.translation import gettext as _

from motcua.core import integrity

CONTENT_TYPES = {
    ".pdf": "application/pdf",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".xml": "application/xml",
    ".zip": "application/zip",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
_SAFE_STEM = re.compile(r"[^0-9A-Za-z.\-_]")


def safe_download_name(stem: str, stored_name: str) -> str:
    """``<stem><extension>``: the stem stripped to letters, digits and ``.-_``, the extension kept
    only when it is a known one (else ``.bin``)."""
    extension = PurePosixPath(stored_name).suffix.lower()
    if extension not in CONTENT_TYPES:
        extension = ".bin"
    clean = _SAFE_STEM.sub("_", stem).strip("._") or "tep"
    return f"{clean[:80]}{extension}"


def attachment(file: FieldFile, *, stem: str, sha256: str = "") -> FileResponse:
    """The stored ``file`` as a download named ``<stem>.<ext>``; 404 when nothing is stored.

    ``sha256``: the hash recorded when the file was written; a file that no longer matches it is
    never served (``core.integrity.TamperedFile``, answered by ``tampered_response``)."""
    if not file or not file.name:
        raise Http404
    try:
        integrity.verify(file, sha256)
    except (FileNotFoundError, OSError) as exc:
        raise Http404 from exc
    try:
        handle = file.open("rb")
    except (FileNotFoundError, OSError) as exc:
        raise Http404 from exc
    name = safe_download_name(stem, file.name)
    content_type = CONTENT_TYPES.get(PurePosixPath(name).suffix, "application/octet-stream")
    response = FileResponse(handle, as_attachment=True, filename=name, content_type=content_type)
    _harden(response)
    return response


def generated_attachment(content: bytes, name: str) -> HttpResponse:
    """Bytes made for this request (a report, an export) as a download named after ``name``, with the
    same headers as a stored file."""
    filename = safe_download_name(PurePosixPath(name).stem, name)
    content_type = CONTENT_TYPES.get(PurePosixPath(filename).suffix, "application/octet-stream")
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    _harden(response)
    return response


def _harden(response: HttpResponse | FileResponse) -> None:
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"


def tampered_response() -> HttpResponse:
    """What a reader gets instead of a file that changed on disk (the operator is told by the log)."""
    return HttpResponse(
        _(
            "Tệp này đã bị thay đổi so với khi được lưu nên không thể tải xuống. Đã ghi nhận để quản trị "
            "hệ thống kiểm tra; xin liên hệ Bộ phận Một cửa."
        ),
        status=409,
        content_type="text/plain; charset=utf-8",
    )


def streamed(response: FileResponse) -> HttpResponse:
    """``response`` typed as the ``HttpResponse`` the sign-in decorators declare: they only pass it
    through, and Django serves a streaming response from any view."""
    return cast(HttpResponse, response)
