"""Who may use the citizens' pages: a signed-in applicant account (citizen or organisation).

Officers have their own front door (office/); an officer's session on the portal is treated like an
anonymous visitor, so the two kinds of account never mix (QUALITY.md, security).
"""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse

from motcua.accounts.models import User


def current_applicant(request: HttpRequest) -> User | None:
    """The signed-in applicant, or None for anonymous visitors and officers."""
    user = request.user
    if isinstance(user, User) and user.is_authenticated and user.kind == User.Kind.APPLICANT:
        return user
    return None


def applicant_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Signed in as an applicant; anyone else goes to the portal's sign-in page and comes back."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if current_applicant(request) is None:
            return redirect_to_login(request.get_full_path(), login_url="portal:login")
        return view(request, *args, **kwargs)

    return wrapper
