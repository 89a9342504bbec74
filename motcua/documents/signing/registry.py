"""Registering an officer's signing certificate (see ``motcua.documents.models.SigningCertificate``)."""

import hashlib

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from motcua.accounts.models import User
from motcua.documents.models import SigningCertificate


def _rfc4514(name: x509.Name) -> str:
    return name.rfc4514_string()


@transaction.atomic
def register_certificate(officer: User, pem: bytes | str, *, key_ref: str = "") -> SigningCertificate:
    """Parse a PEM or DER certificate and record it for ``officer``; the same certificate registered
    again returns the existing row (idempotent; a new non-empty ``key_ref`` is kept). Refuses
    non-officers and unreadable certificates. ``key_ref`` names where its private key is (the key's
    label on the PKCS#11 token, the key id at the remote-signing service, the demo key file)."""
    if officer.kind != User.Kind.OFFICER:
        raise ValidationError({"officer": _("Chỉ đăng ký chứng thư số cho cán bộ.")})
    data = pem.encode() if isinstance(pem, str) else pem
    try:
        cert = (
            x509.load_pem_x509_certificate(data)
            if data.lstrip().startswith(b"-----BEGIN")
            else x509.load_der_x509_certificate(data)
        )
    except ValueError as exc:
        raise ValidationError(
            {"pem": _("Chứng thư số: không đọc được tệp chứng thư (PEM hoặc DER).")}
        ) from exc
    der = cert.public_bytes(serialization.Encoding.DER)
    fingerprint = hashlib.sha256(der).hexdigest()
    existing = SigningCertificate.objects.filter(fingerprint=fingerprint).first()
    if existing is not None:
        if existing.officer_id != officer.pk:
            raise ValidationError({"pem": _("Chứng thư số này đã được đăng ký cho cán bộ khác.")})
        if key_ref and existing.key_ref != key_ref:
            existing.key_ref = key_ref
            existing.save(update_fields=["key_ref"])
        return existing
    return SigningCertificate.objects.create(
        officer=officer,
        subject=_rfc4514(cert.subject)[:500],
        issuer=_rfc4514(cert.issuer)[:500],
        serial=format(cert.serial_number, "X"),
        valid_from=cert.not_valid_before_utc,
        valid_to=cert.not_valid_after_utc,
        fingerprint=fingerprint,
        pem=cert.public_bytes(serialization.Encoding.PEM).decode(),
        key_ref=key_ref,
    )
