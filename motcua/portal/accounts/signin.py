"""Password sign-in at the portal: applicants only, failures counted by django-axes.

What the citizen typed (ID, tax code, phone or email) is turned into the account's opaque username
before ``authenticate``, so django-axes counts failures per account and address; an identifier that
finds no account is counted under an HMAC of it, never the typed value (no personal data in the
lockout table or the logs).
"""

from dataclasses import dataclass

from django.contrib import auth
from django.http import HttpRequest

from motcua.accounts import services
from motcua.accounts.models import User
from motcua.core.throttle import key_hash

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


@dataclass(frozen=True)
class SignInResult:
    user: User | None = None
    pending: User | None = None  # right password, account not verified yet
    locked: bool = False


def sign_in_with_password(request: HttpRequest, *, identifier: str, password: str) -> SignInResult:
    target = services.find_applicant(identifier)
    username = (
        target.username if target else "unknown-" + key_hash("portal-sign-in", identifier.casefold())[:32]
    )
    user = auth.authenticate(request, username=username, password=password)
    if getattr(request, "axes_locked_out", False):
        return SignInResult(locked=True)
    if isinstance(user, User) and target is not None and user.pk == target.pk:
        auth.login(request, user, backend=MODEL_BACKEND)  # rotates the session key
        return SignInResult(user=user)
    if target is not None and services.is_pending(target) and target.check_password(password):
        return SignInResult(pending=target)
    return SignInResult()
