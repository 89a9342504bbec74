"""A throw-away PKI for the demo and the tests: a root CA, officers' signing certificates and a TSA.

Nothing here is trusted outside the machine that made it: the root is written to a file that must be
named in ``MOTCUA_TRUST_ROOTS`` explicitly (trust roots are configuration, never implied).
"""

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from asn1crypto import keys as asn1_keys  # type: ignore[import-untyped]
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.asymmetric.types import PublicKeyTypes
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID


def _name(common_name: str, unit: str = "") -> x509.Name:
    parts = [x509.NameAttribute(NameOID.COUNTRY_NAME, "VN")]
    if unit:
        parts.append(x509.NameAttribute(NameOID.ORGANIZATION_NAME, unit))
    parts.append(x509.NameAttribute(NameOID.COMMON_NAME, common_name))
    return x509.Name(parts)


def new_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@dataclass
class Issued:
    key: rsa.RSAPrivateKey | None
    cert: x509.Certificate

    @property
    def pem(self) -> bytes:
        return self.cert.public_bytes(serialization.Encoding.PEM)

    @property
    def asn1(self) -> asn1_x509.Certificate:
        return asn1_x509.Certificate.load(self.cert.public_bytes(serialization.Encoding.DER))

    @property
    def asn1_key(self) -> asn1_keys.PrivateKeyInfo:
        if self.key is None:
            raise ValueError("no private key: the key lives elsewhere (a token)")
        return asn1_keys.PrivateKeyInfo.load(
            self.key.private_bytes(
                serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
            )
        )


class DemoPki:
    def __init__(self, name: str = "CA thử nghiệm Một Cửa") -> None:
        self.now = dt.datetime.now(dt.UTC)
        key = new_key()
        subject = _name(name)
        cert = (
            x509.CertificateBuilder()
            .subject_name(subject)
            .issuer_name(subject)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(self.now - dt.timedelta(days=1))
            .not_valid_after(self.now + dt.timedelta(days=3650))
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .add_extension(
                x509.KeyUsage(False, False, False, False, False, True, True, False, False), critical=True
            )
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
            .sign(key, hashes.SHA256())
        )
        self.root = Issued(key, cert)

    def issue(
        self,
        common_name: str,
        unit: str = "",
        *,
        public_key: PublicKeyTypes | None = None,
        timestamping: bool = False,
        days: int = 365,
        not_before: dt.datetime | None = None,
    ) -> Issued:
        """A leaf certificate; a new key is made unless ``public_key`` (e.g. from a token) is given."""
        key = None if public_key is not None else new_key()
        public = public_key if public_key is not None else key.public_key()  # type: ignore[union-attr]
        start = not_before or self.now - dt.timedelta(minutes=5)
        root_key = self.root.key
        if root_key is None:  # pragma: no cover - the root always has its key
            raise ValueError("the root has no key")
        builder = (
            x509.CertificateBuilder()
            .subject_name(_name(common_name, unit))
            .issuer_name(self.root.cert.subject)
            .public_key(public)  # type: ignore[arg-type]
            .serial_number(x509.random_serial_number())
            .not_valid_before(start)
            .not_valid_after(start + dt.timedelta(days=days))
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(
                x509.AuthorityKeyIdentifier.from_issuer_public_key(root_key.public_key()),
                critical=False,
            )
        )
        if timestamping:
            builder = builder.add_extension(
                x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True
            ).add_extension(
                x509.KeyUsage(True, False, False, False, False, False, False, False, False), critical=True
            )
        else:
            builder = builder.add_extension(
                x509.KeyUsage(True, True, False, False, False, False, False, False, False), critical=True
            )
        return Issued(key, builder.sign(root_key, hashes.SHA256()))

    def write(self, directory: Path, signer: Issued, password: bytes) -> dict[str, Path]:
        """Files for the settings: the root (trust anchor), and the signer as PKCS#12 and as PEM files."""
        directory.mkdir(parents=True, exist_ok=True)
        if signer.key is None:
            raise ValueError("a signer written to files needs its private key")
        paths = {
            "root": directory / "root.pem",
            "p12": directory / "signer.p12",
            "key": directory / "signer-key.pem",
            "cert": directory / "signer.pem",
        }
        paths["root"].write_bytes(self.root.pem)
        paths["cert"].write_bytes(signer.pem)
        paths["key"].write_bytes(
            signer.key.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.BestAvailableEncryption(password),
            )
        )
        paths["p12"].write_bytes(
            pkcs12.serialize_key_and_certificates(
                b"signer",
                signer.key,
                signer.cert,
                [self.root.cert],
                serialization.BestAvailableEncryption(password),
            )
        )
        return paths


def write_pkcs12(path: Path, issued: Issued, chain: list[Issued], password: bytes) -> Path:
    """``issued`` with its key and chain as one PKCS#12 file (a demo officer's key in the keys dir)."""
    if issued.key is None:
        raise ValueError("a PKCS#12 file needs the private key")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(
        pkcs12.serialize_key_and_certificates(
            b"signer",
            issued.key,
            issued.cert,
            [c.cert for c in chain],
            serialization.BestAvailableEncryption(password),
        )
    )
    return path
