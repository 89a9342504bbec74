"""Sign-in with the national identity provider (VNeID-style) over OpenID Connect.

mozilla-django-oidc runs the authorization code flow (state, nonce, PKCE; token, JWKS and userinfo
calls over the back channel). This backend adds what a one-stop portal needs (NĐ 59/2022/NĐ-CP on
electronic identification; NĐ 42/2022/NĐ-CP Điều 11 on own accounts):

- the ID token's audience must be our client and, when configured, its issuer the provider;
- the userinfo ``sub`` must equal the ID token's (OpenID Connect Core §5.3.2);
- the claims are mapped (claim names are configuration, ``OIDC_CLAIMS``) to the *applicant* account
  keyed by the national ID number; a token without a valid national ID is refused;
- an officer's or administrator's account is never matched nor created (officers use office/ with TOTP).

The backend does nothing unless the provider is configured (``oidc_enabled()``) and the request is the
callback, so it never interferes with password sign-in.
"""

import datetime as dt
import logging
import secrets
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from mozilla_django_oidc.auth import OIDCAuthenticationBackend  # type: ignore[import-untyped]

from motcua.accounts.identity import national_id_problem
from motcua.accounts.models import User
from motcua.core.errors import DomainError

logger = logging.getLogger(__name__)

REQUIRED_SETTINGS = (
    "OIDC_OP_AUTHORIZATION_ENDPOINT",
    "OIDC_OP_TOKEN_ENDPOINT",
    "OIDC_OP_USER_ENDPOINT",
    "OIDC_RP_CLIENT_ID",
    "OIDC_RP_CLIENT_SECRET",
)
DEFAULT_CLAIMS = {
    "national_id": "national_id",
    "name": "name",
    "birthdate": "birthdate",
    "phone": "phone_number",
    "email": "email",
}
PROBLEM_ATTR = "motcua_oidc_problem"


def oidc_enabled() -> bool:
    """The provider is configured: endpoints, client, and a key source for RS/ES signatures."""
    if not all(getattr(settings, name, "") for name in REQUIRED_SETTINGS):
        return False
    algo = getattr(settings, "OIDC_RP_SIGN_ALGO", "RS256")
    return not algo.startswith(("RS", "ES")) or bool(
        getattr(settings, "OIDC_OP_JWKS_ENDPOINT", "") or getattr(settings, "OIDC_RP_IDP_SIGN_KEY", None)
    )


class IdentityRefused(DomainError):
    """The provider's answer cannot open an applicant account."""


@dataclass(frozen=True)
class IdentityClaims:
    subject: str
    national_id: str
    full_name: str = ""
    birth_date: dt.date | None = None
    phone: str = ""
    email: str = ""


def _parse_date(value: Any) -> dt.date | None:
    if not isinstance(value, str):
        return None
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return dt.datetime.strptime(value.strip(), fmt).date()  # noqa: DTZ007 (a date, no time)
        except ValueError:
            continue
    return None


def claims_from(userinfo: dict[str, Any]) -> IdentityClaims:
    """Read the configured claim names; refuse an answer without a subject or a valid national ID."""
    names = {**DEFAULT_CLAIMS, **getattr(settings, "OIDC_CLAIMS", {})}
    subject = str(userinfo.get("sub") or "").strip()
    national_id = str(userinfo.get(names["national_id"]) or "").strip()
    if not subject:
        raise IdentityRefused(_("Nhà cung cấp định danh không trả về mã chủ thể."))
    if not national_id or national_id_problem(national_id):
        raise IdentityRefused(_("Nhà cung cấp định danh không trả về số định danh cá nhân hợp lệ."))

    def text(key: str, limit: int) -> str:
        value = userinfo.get(names[key])
        return " ".join(value.split())[:limit] if isinstance(value, str) else ""

    return IdentityClaims(
        subject=subject[:255],
        national_id=national_id,
        full_name=text("name", 150),
        birth_date=_parse_date(userinfo.get(names["birthdate"])),
        phone=text("phone", 20),
        email=text("email", 254),
    )


@transaction.atomic
def sign_in_with_national_identity(*, claims: IdentityClaims, now: dt.datetime | None = None) -> User:
    """The applicant account for a person the national identity provider vouched for.

    Keyed by national ID. A new person gets a new account. An existing applicant account is updated
    with the provider's name and birth date and marked identity-verified. When the provider vouches
    for the first time for an account created locally, its local password stops working and the
    provider's contact details replace the typed ones: whoever registered that ID locally proved only a
    phone or an email, not the identity, and must not keep a way into the owner's account.
    """
    now = now or timezone.now()
    user = User.objects.select_for_update().filter(national_id=claims.national_id).first()
    if user is None:
        if User.objects.filter(oidc_subject=claims.subject).exists():
            raise IdentityRefused(_("Mã chủ thể định danh đã gắn với một số định danh khác."))
        user = User(
            username=f"u{secrets.token_hex(10)}", kind=User.Kind.APPLICANT, national_id=claims.national_id
        )
        user.set_unusable_password()
        user.phone, user.email = claims.phone, claims.email
    else:
        if user.kind != User.Kind.APPLICANT or user.is_staff or user.is_superuser:
            raise IdentityRefused(_("Tài khoản cán bộ không đăng nhập tại Cổng dịch vụ công."))
        if user.oidc_subject and user.oidc_subject != claims.subject:
            raise IdentityRefused(_("Mã chủ thể định danh không khớp với tài khoản đã có."))
        if user.identity_verified_at is None:
            user.set_unusable_password()
            user.phone, user.email = claims.phone, claims.email
        user.phone = user.phone or claims.phone
        user.email = user.email or claims.email
    user.oidc_subject = claims.subject
    user.full_name = claims.full_name or user.full_name
    user.birth_date = claims.birth_date or user.birth_date
    user.identity_verified_at = now
    user.is_active = True
    user.save()
    return user


class NationalIdentityBackend(OIDCAuthenticationBackend):  # type: ignore[misc]
    """mozilla-django-oidc's backend, keyed by national ID and limited to applicant accounts."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.enabled = oidc_enabled()
        self.UserModel = User
        if self.enabled:
            super().__init__(*args, **kwargs)

    def authenticate(self, request: HttpRequest | None, **kwargs: Any) -> User | None:
        if not self.enabled or request is None:
            return None
        if request.path != reverse(settings.OIDC_AUTHENTICATION_CALLBACK_URL):
            return None
        user: User | None = super().authenticate(request, **kwargs)
        return user

    def verify_token(self, token: str, **kwargs: Any) -> dict[str, Any]:
        payload: dict[str, Any] = super().verify_token(token, **kwargs)
        audience = payload.get("aud")
        audiences = [audience] if isinstance(audience, str) else list(audience or [])
        if self.OIDC_RP_CLIENT_ID not in audiences:
            raise SuspiciousOperation("ID token audience is not this client")
        issuer = getattr(settings, "OIDC_OP_ISSUER", "")
        if issuer and payload.get("iss") != issuer:
            raise SuspiciousOperation("ID token issuer is not the configured provider")
        return payload

    def get_or_create_user(self, access_token: str, id_token: str, payload: dict[str, Any]) -> User:
        userinfo = self.get_userinfo(access_token, id_token, payload)
        if str(userinfo.get("sub", "")) != str(payload.get("sub", "")):
            raise SuspiciousOperation("userinfo subject differs from the ID token subject")
        try:
            return sign_in_with_national_identity(claims=claims_from(userinfo))
        except IdentityRefused as refused:
            # The reason is shown to the citizen; the log line carries no personal data.
            setattr(self.request, PROBLEM_ATTR, refused.message)
            raise SuspiciousOperation("national identity refused") from refused
