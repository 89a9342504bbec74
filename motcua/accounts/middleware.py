"""Officer sessions end after a period without requests (QUALITY.md security item 5)."""

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

LAST_SEEN_KEY = "motcua_last_seen"


class OfficerIdleTimeoutMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and getattr(user, "must_use_totp", False):
            now = int(time.time())
            last_seen = request.session.get(LAST_SEEN_KEY)
            if last_seen is not None and now - int(last_seen) > settings.OFFICER_IDLE_MINUTES * 60:
                logout(request)
                messages.info(
                    request, _("Phiên làm việc đã hết hạn do không hoạt động. Vui lòng đăng nhập lại.")
                )
            else:
                request.session[LAST_SEEN_KEY] = now
        return self.get_response(request)
