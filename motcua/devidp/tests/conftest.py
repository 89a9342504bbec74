import datetime as dt
import re
from dataclasses import dataclass

import httpx
import pytest

from motcua.devidp.applications import ensure_portal_client
from motcua.devidp.identities import ensure_identity

CLIENT_ID = "motcua-portal-test"
CLIENT_SECRET = "bi-mat-cua-cong-thu-nghiem-2026"
CALLBACK = "/dang-nhap/dinh-danh/callback/"


@dataclass
class Provider:
    url: str

    def browser(self) -> httpx.Client:
        """A cookie-keeping HTTP client that follows no redirect by itself (the test walks them)."""
        return httpx.Client(base_url=self.url, follow_redirects=False, timeout=20)


@pytest.fixture
def idp_urls(settings):  # type: ignore[no-untyped-def]
    settings.ROOT_URLCONF = "motcua.devidp.tests.urls"


@pytest.fixture
def provider(live_server, settings, idp_urls):  # type: ignore[no-untyped-def]
    """The development provider on a live server, and the portal configured to use it over HTTP."""
    url = live_server.url
    settings.OIDC_OP_ISSUER = f"{url}/idp"
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = f"{url}/idp/authorize/"
    settings.OIDC_OP_TOKEN_ENDPOINT = f"{url}/idp/token/"
    settings.OIDC_OP_USER_ENDPOINT = f"{url}/idp/userinfo/"
    settings.OIDC_OP_JWKS_ENDPOINT = f"{url}/idp/.well-known/jwks.json"
    settings.OIDC_RP_CLIENT_ID = CLIENT_ID
    settings.OIDC_RP_CLIENT_SECRET = CLIENT_SECRET
    ensure_portal_client(client_id=CLIENT_ID, client_secret=CLIENT_SECRET, redirect_uris=[url + CALLBACK])
    return Provider(url=url)


@pytest.fixture
def lan(db):  # type: ignore[no-untyped-def]
    return ensure_identity(
        national_id="030185001234",
        full_name="Nguyễn Thị Lan",
        birth_date=dt.date(1985, 3, 12),
        phone="0912345601",
        email="lan.nguyen@example.vn",
    )


def csrf_token(html: str) -> str:
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    assert match, "no CSRF token on the page"
    return match.group(1)
