"""Officer sign-in: password and a TOTP code, with lockout after repeated failures.

Officers and administrators handle personal data in a level-3 information system (NĐ 85/2016/NĐ-CP,
TT 12/2022/TT-BTTTT): a second factor is required, failures are counted by django-axes, the session
key is rotated at sign-in and the session ends after OFFICER_IDLE_MINUTES without requests.
"""

from collections.abc import Callable
from functools import wraps
from typing import Any, cast

from django.contrib import auth
from django.contrib.auth.signals import user_login_failed
from django.http import HttpRequest, HttpResponse
from django_otp import login as otp_login
from django_otp import match_token

from motcua.accounts.models import User
from motcua.organizations.models import Unit
from motcua.organizations.queries import units_for

UNIT_SESSION_KEY = "office_unit_id"


def sign_in(request: HttpRequest, *, username: str, password: str, otp_token: str) -> User | None:
    """Authenticate with password and TOTP; one failure message for either, so nothing is revealed."""
    user = auth.authenticate(request, username=username, password=password)
    if user is None or not isinstance(user, User):
        return None
    if not user.must_use_totp:
        return None  # applicants sign in through the portal, not here
    device = match_token(user, otp_token)
    if device is None:
        # Count a wrong code like a wrong password, so django-axes locks guessing out.
        user_login_failed.send(sender=__name__, credentials={"username": username}, request=request)
        return None
    auth.login(request, user)  # rotates the session key
    otp_login(request, device)
    return user


def officer_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Signed in as an officer, verified with a second factor."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        user = request.user
        if not (user.is_authenticated and getattr(user, "must_use_totp", False) and user.is_verified()):  # type: ignore[attr-defined]
            return redirect_to_login(request)
        return view(request, *args, **kwargs)

    return wrapper


def redirect_to_login(request: HttpRequest) -> HttpResponse:
    from django.contrib.auth.views import redirect_to_login as _redirect

    return _redirect(request.get_full_path(), login_url="office:login")


def officer(request: HttpRequest) -> User:
    """The signed-in officer (views are wrapped in ``officer_required``)."""
    return cast(User, request.user)


def current_unit(request: HttpRequest) -> Unit | None:
    """The unit chosen for this session, re-checked against the officer's current roles."""
    unit_id = request.session.get(UNIT_SESSION_KEY)
    if unit_id is None:
        return None
    return units_for(officer(request)).filter(pk=unit_id).first()
