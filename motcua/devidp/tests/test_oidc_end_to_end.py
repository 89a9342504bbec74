"""Sign-in with the national identity provider, end to end over real HTTP.

The "browser" is an HTTP client that walks every redirect itself: portal → provider's authorization
endpoint → provider's sign-in page → authorization endpoint → portal callback. At the callback
mozilla-django-oidc calls the provider's token, JWKS and userinfo endpoints over HTTP on the same live
server, so the back channel really happens.
"""

from urllib.parse import parse_qs, urlsplit

import pytest

from motcua.accounts.models import User
from motcua.accounts.tests.factories import UserFactory
from motcua.devidp.tests.conftest import CALLBACK, csrf_token

pytestmark = pytest.mark.django_db(transaction=True)


def walk_to_provider_sign_in(browser, next_url="/tai-khoan/"):
    # the portal's button starts the flow: state, nonce and PKCE challenge go to the provider
    start = browser.get("/dang-nhap/dinh-danh/", params={"next": next_url})
    assert start.status_code == 302
    authorize = start.headers["location"]
    query = parse_qs(urlsplit(authorize).query)
    assert urlsplit(authorize).path == "/idp/authorize/"
    assert query["response_type"] == ["code"]
    assert query["code_challenge_method"] == ["S256"]
    assert {"state", "nonce", "code_challenge"} <= set(query)
    # nobody is signed in at the provider yet: its own sign-in page
    to_sign_in = browser.get(authorize)
    assert to_sign_in.status_code == 302
    assert urlsplit(to_sign_in.headers["location"]).path == "/idp/dang-nhap/"
    page = browser.get(to_sign_in.headers["location"])
    assert page.status_code == 200
    return authorize, page


def choose_identity(browser, page, identity, authorize):
    chosen = browser.post(
        "/idp/dang-nhap/",
        data={
            "csrfmiddlewaretoken": csrf_token(page.text),
            "action": "choose",
            "subject": str(identity.subject),
            "next": authorize.removeprefix(str(browser.base_url).rstrip("/")),
        },
    )
    assert chosen.status_code == 302
    code_redirect = browser.get(chosen.headers["location"])
    assert code_redirect.status_code == 302
    callback = code_redirect.headers["location"]
    assert urlsplit(callback).path == CALLBACK
    assert {"code", "state"} <= set(parse_qs(urlsplit(callback).query))
    return browser.get(callback)


def test_citizen_signs_in_with_the_national_identity_provider(provider, lan):
    with provider.browser() as browser:
        # given a citizen at the portal, not signed in
        assert browser.get("/tai-khoan/").status_code == 302
        authorize, page = walk_to_provider_sign_in(browser)
        assert "Nguyễn Thị Lan" in page.text
        session_before = browser.cookies.get("sessionid")

        # when they choose their identity at the provider
        done = choose_identity(browser, page, lan, authorize)

        # then the callback fetched token and userinfo and signed them in, with a new session key
        assert done.status_code == 302, done.text
        assert done.headers["location"] == "/tai-khoan/"
        assert browser.cookies.get("sessionid") != session_before
        account = browser.get("/tai-khoan/")
        assert account.status_code == 200
        assert "Nguyễn Thị Lan" in account.text

    user = User.objects.get(national_id="030185001234")
    assert user.kind == User.Kind.APPLICANT
    assert user.oidc_subject == str(lan.subject)
    assert user.identity_verified_at is not None
    assert user.birth_date.isoformat() == "1985-03-12"
    assert user.phone == "0912345601"
    assert user.email == "lan.nguyen@example.vn"
    assert not user.has_usable_password()
    # the provider's subject account is not the portal account
    assert user.pk != lan.account_id


def test_second_sign_in_finds_the_same_account(provider, lan):
    for _ in range(2):
        with provider.browser() as browser:
            authorize, page = walk_to_provider_sign_in(browser)
            assert choose_identity(browser, page, lan, authorize).status_code == 302
    assert User.objects.filter(national_id="030185001234").count() == 1


def test_an_officer_with_that_national_id_is_refused(provider, lan):
    # given an officer account that carries the same national ID
    UserFactory(officer=True, national_id="030185001234")
    with provider.browser() as browser:
        authorize, page = walk_to_provider_sign_in(browser)
        done = choose_identity(browser, page, lan, authorize)
        # then the portal refuses: back to its sign-in page, nobody signed in
        assert done.status_code == 302
        assert done.headers["location"] == "/dang-nhap/"
        refused = browser.get("/dang-nhap/")
        assert "Tài khoản cán bộ không đăng nhập tại Cổng dịch vụ công." in refused.text
        assert browser.get("/tai-khoan/").status_code == 302
    assert User.objects.filter(national_id="030185001234").count() == 1


def test_an_answer_without_a_national_id_is_refused(provider, lan, settings):
    # given a portal that reads the national ID from a claim the provider does not send
    settings.OIDC_CLAIMS = {"national_id": "so_dinh_danh"}
    with provider.browser() as browser:
        authorize, page = walk_to_provider_sign_in(browser)
        done = choose_identity(browser, page, lan, authorize)
        assert done.headers["location"] == "/dang-nhap/"
        assert "số định danh cá nhân hợp lệ" in browser.get("/dang-nhap/").text
    assert not User.objects.filter(national_id="030185001234").exists()


def test_a_token_from_another_issuer_is_refused(provider, lan, settings):
    # given the portal expects tokens from another issuer (the ID token names this provider)
    settings.OIDC_OP_ISSUER = "https://vneid.example.gov.vn"
    with provider.browser() as browser:
        authorize, page = walk_to_provider_sign_in(browser)
        done = choose_identity(browser, page, lan, authorize)
        assert done.headers["location"] == "/dang-nhap/"
    assert not User.objects.filter(national_id="030185001234").exists()


def test_a_replayed_callback_signs_nobody_in(provider, lan):
    with provider.browser() as browser:
        authorize, page = walk_to_provider_sign_in(browser)
        chosen = browser.post(
            "/idp/dang-nhap/",
            data={
                "csrfmiddlewaretoken": csrf_token(page.text),
                "action": "choose",
                "subject": str(lan.subject),
                "next": authorize.removeprefix(provider.url),
            },
        )
        callback = browser.get(chosen.headers["location"]).headers["location"]
        assert browser.get(callback).headers["location"] == "/tai-khoan/"
    # the same code and state in another browser (no matching state in its session)
    with provider.browser() as attacker:
        replay = attacker.get(callback)
        assert replay.status_code == 302
        assert replay.headers["location"] == "/dang-nhap/"
        assert attacker.get("/tai-khoan/").status_code == 302
