"""Who may call the dossier endpoints: officers, through the Django session they opened with a TOTP code.

The same door as the office pages (``office.auth.officer_required``): signed in, an officer or
administrator, and verified with a second factor in this session (django-otp). Anything else is
anonymous to the API (401), including an applicant's portal session. Because the credential is a
cookie the browser sends by itself, every unsafe method must carry the CSRF token (``X-CSRFToken``
header), checked after authentication so that anonymous callers get 401, not a CSRF message.
Machine-to-machine tokens are not offered yet (docs/api.md).
"""

from typing import cast

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja.errors import HttpError
from ninja.security import APIKeyCookie
from ninja.utils import check_csrf

from motcua.accounts.models import User

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})


def is_verified_officer(user: object) -> bool:
    return bool(
        getattr(user, "is_authenticated", False)
        and getattr(user, "is_active", False)
        and getattr(user, "must_use_totp", False)
        and user.is_verified()  # type: ignore[attr-defined]
    )


class OfficerSession(APIKeyCookie):
    """The Django session cookie of an officer verified with TOTP; CSRF enforced on unsafe methods."""

    param_name: str = settings.SESSION_COOKIE_NAME

    def __call__(self, request: HttpRequest) -> User | None:
        if not is_verified_officer(request.user):
            return None
        if request.method not in SAFE_METHODS and check_csrf(request) is not None:
            raise HttpError(
                403,
                _(
                    "Thiếu hoặc sai mã chống giả mạo yêu cầu (CSRF): gửi giá trị cookie csrftoken "
                    "trong tiêu đề X-CSRFToken."
                ),
            )
        return cast(User, request.user)

    def authenticate(self, request: HttpRequest, key: str | None) -> User | None:
        return self(request)


def officer(request: HttpRequest) -> User:
    """The authenticated officer of an operation guarded by ``OfficerSession``."""
    return cast(User, request.auth)  # type: ignore[attr-defined]


officer_session = OfficerSession()
