"""The development provider's RS256 signing key: read from a PEM file, created there on first use.

Imported by the settings module, so it uses only the standard library and ``cryptography``.
"""

import os
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa


def signing_key(path: Path) -> str:
    """The PEM private key at ``path``; a new 2048-bit RSA key is written there (mode 0600) if missing."""
    if path.exists():
        return path.read_text()
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    path.parent.mkdir(parents=True, exist_ok=True)
    # Write a private temporary file, then link it into place: two processes starting together
    # both end up reading the one key that won, never a half-written file.
    temporary = path.with_name(f".{path.name}.{os.getpid()}")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w") as handle:
        handle.write(pem)
    try:
        os.link(temporary, path)
    except FileExistsError:
        pem = path.read_text()
    finally:
        temporary.unlink()
    return pem
