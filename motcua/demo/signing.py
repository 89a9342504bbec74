"""Demo signing keys: a demo CA kept in the keys directory and one PKCS#12 key per showcase officer.

Only for the demo (``scripts/demo`` sets ``MOTCUA_SIGNER=software`` and ``MOTCUA_SIGNING_KEYS_DIR``):
real officers sign with a token or a provider's remote-signing service (docs/signatures.md). The CA
key stays in the directory so that running the seed again keeps the same trust root and only issues
certificates for officers who have no valid one.
"""

import datetime as dt
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.conf import settings

from motcua.accounts.models import User
from motcua.documents.signing.demo_pki import DemoPki, Issued, write_pkcs12
from motcua.documents.signing.officer import current_certificate
from motcua.documents.signing.registry import register_certificate
from motcua.organizations.models import Membership

ROOT_CERT = "root.pem"
ROOT_KEY = "root-key.pem"


def _pki(directory: Path) -> DemoPki:
    cert_path, key_path = directory / ROOT_CERT, directory / ROOT_KEY
    if not (cert_path.exists() and key_path.exists()):
        pki = DemoPki("CA trình diễn Một Cửa")
        directory.mkdir(parents=True, exist_ok=True)
        cert_path.write_bytes(pki.root.pem)
        key = pki.root.key
        if key is None:  # pragma: no cover - a new root always has its key
            raise ValueError("the demo root has no key")
        key_path.write_bytes(
            key.private_bytes(
                serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
            )
        )
        key_path.chmod(0o600)
        return pki
    pki = DemoPki.__new__(DemoPki)
    pki.now = dt.datetime.now(dt.UTC)
    loaded = serialization.load_pem_private_key(key_path.read_bytes(), password=None)
    if not isinstance(loaded, rsa.RSAPrivateKey):
        raise ValueError(f"{key_path}: not the demo CA's RSA key")
    pki.root = Issued(loaded, x509.load_pem_x509_certificate(cert_path.read_bytes()))
    return pki


def seed_signing_keys(usernames: list[str]) -> int:
    """Give each listed officer a demo certificate and key unless they have a valid one; returns how
    many were issued. Does nothing unless the software signer with a keys directory is configured."""
    if settings.MOTCUA_SIGNER != "software" or not settings.MOTCUA_SIGNING_KEYS_DIR:
        return 0
    directory = Path(settings.MOTCUA_SIGNING_KEYS_DIR)
    pki = _pki(directory)
    password = settings.MOTCUA_SIGNING_PASSWORD.encode() or None
    if password is None:
        raise ValueError("MOTCUA_SIGNING_PASSWORD must be set for demo keys")
    issued = 0
    for officer in User.objects.filter(username__in=usernames, kind=User.Kind.OFFICER).order_by("username"):
        if current_certificate(officer) is not None and (directory / f"{officer.username}.p12").exists():
            continue
        membership = Membership.objects.filter(user=officer).select_related("unit").first()
        unit = membership.unit.name if membership else ""
        leaf = pki.issue(officer.full_name or officer.username, unit, days=730)
        name = f"{officer.username}.p12"
        write_pkcs12(directory / name, leaf, [pki.root], password)
        register_certificate(officer, leaf.pem, key_ref=name)
        issued += 1
    return issued
