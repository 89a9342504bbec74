"""The portal's side of sign-in with the national identity provider (mozilla-django-oidc views).

Starting the flow stores state, nonce and the PKCE verifier in the session and redirects to the
provider; the callback checks the state, and the backend (``accounts.oidc``) fetches the tokens and the
userinfo over the back channel. Both answer with the portal's sign-in page and a message in Vietnamese
when the provider is not configured, the citizen cancelled, or the answer was refused.
"""

import logging
from typing import Any

import requests
from django.contrib import messages
from django.core.exceptions import SuspiciousOperation
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import View
from mozilla_django_oidc.views import (  # type: ignore[import-untyped]
    OIDCAuthenticationCallbackView,
    OIDCAuthenticationRequestView,
)

from motcua.accounts.oidc import PROBLEM_ATTR, oidc_enabled

logger = logging.getLogger(__name__)


def _not_configured(request: HttpRequest) -> HttpResponse:
    messages.error(request, _("Đăng nhập bằng tài khoản định danh điện tử chưa được cấu hình tại đây."))
    return HttpResponseRedirect(reverse("portal:login"))


class NationalIdentityLoginView(OIDCAuthenticationRequestView):  # type: ignore[misc]
    def __init__(self, **kwargs: Any) -> None:
        if oidc_enabled():
            super().__init__(**kwargs)
        else:  # the parent reads the provider settings, which are absent
            View.__init__(self, **kwargs)

    def get(self, request: HttpRequest) -> HttpResponse:
        if not oidc_enabled():
            return _not_configured(request)
        response: HttpResponse = super().get(request)
        return response


class NationalIdentityCallbackView(OIDCAuthenticationCallbackView):  # type: ignore[misc]
    @property
    def failure_url(self) -> str:
        return reverse("portal:login")

    @property
    def success_url(self) -> str:
        return str(self.request.session.get("oidc_login_next") or reverse("portal:account"))

    def login_failure(self) -> HttpResponse:
        problem = getattr(self.request, PROBLEM_ATTR, None)
        messages.error(
            self.request,
            problem or _("Đăng nhập bằng tài khoản định danh điện tử không thành công. Vui lòng thử lại."),
        )
        response: HttpResponse = super().login_failure()
        return response

    def get(self, request: HttpRequest) -> HttpResponse:
        if not oidc_enabled():
            return _not_configured(request)
        try:
            response: HttpResponse = super().get(request)
        except SuspiciousOperation:  # an unknown or replayed state, a token for another client
            logger.warning("national identity sign-in refused: suspicious callback or token")
            return self.login_failure()
        except requests.RequestException as error:  # the provider's back channel failed
            logger.warning(
                "national identity provider unreachable or refused the code: %s", type(error).__name__
            )
            return self.login_failure()
        return response
