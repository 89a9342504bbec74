"""A generated report as a download, with the headers of ``core.downloads`` (attachment, nosniff,
not cached by shared caches, sandboxed): the same answer as a stored file, built from bytes."""

from pathlib import PurePosixPath

from django.http import HttpResponse

from motcua.core.downloads import CONTENT_TYPES, safe_download_name


def download(content: bytes, name: str) -> HttpResponse:
    stem = PurePosixPath(name).stem
    filename = safe_download_name(stem, name)
    content_type = CONTENT_TYPES.get(PurePosixPath(filename).suffix, "application/octet-stream")
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
