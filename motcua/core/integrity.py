"""SHA-256 of stored files, taken when a file is written and checked whenever it is served.

QUALITY.md (nothing lost) and NĐ 45/2020/NĐ-CP Điều 8 (an electronic dossier keeps its integrity):
a stored paper, result or certified copy that changed on disk must never be handed out as if it were
the one that was received or signed. ``sha256_of`` hashes a stored file in chunks; ``verify`` compares
it with the value recorded beside it and raises ``TamperedFile`` on a mismatch. An empty expected value
(files stored before hashes were kept) is accepted and reported as unchecked by the caller's choice.
"""

import hashlib
import hmac
import logging
from typing import IO

from django.db.models.fields.files import FieldFile

logger = logging.getLogger(__name__)

CHUNK = 1 << 20


class TamperedFile(Exception):
    """The stored file no longer has the SHA-256 recorded when it was written."""


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sha256_stream(handle: IO[bytes]) -> str:
    digest = hashlib.sha256()
    for chunk in iter(lambda: handle.read(CHUNK), b""):
        digest.update(chunk)
    return digest.hexdigest()


def sha256_of(file: FieldFile) -> str:
    """The SHA-256 (hex) of a stored file, read in 1 MiB chunks."""
    with file.open("rb") as handle:
        return sha256_stream(handle)


def verify(file: FieldFile, expected: str) -> None:
    """Raise ``TamperedFile`` when ``file`` does not hash to ``expected`` (hex, case-insensitive).
    An empty ``expected`` means no hash was recorded: nothing to check."""
    if not expected:
        return
    actual = sha256_of(file)
    if not hmac.compare_digest(actual, expected.lower()):
        # the storage name only: never personal data
        logger.error("stored file changed on disk: %s (expected %s, found %s)", file.name, expected, actual)
        raise TamperedFile(file.name)
