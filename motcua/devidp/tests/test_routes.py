"""The development provider's routes answer anonymous visitors as their policy says, and it is not
mounted unless asked for (MOTCUA_DEV_IDP=1 in the demo; these tests mount it themselves)."""

import pytest
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse

from motcua.devidp.route_policy import ROUTE_POLICY

pytestmark = pytest.mark.django_db


def idp_route_names() -> set[str]:
    names: set[str] = set()
    for outer in get_resolver("motcua.devidp.urls").url_patterns:
        assert isinstance(outer, URLResolver)
        for inner in outer.url_patterns:
            assert isinstance(inner, URLPattern)
            names.add(f"{outer.namespace}:{inner.name}")
    return names


def test_every_provider_route_has_a_policy():
    assert idp_route_names() == set(ROUTE_POLICY)


def test_not_mounted_by_default():
    with pytest.raises(NoReverseMatch):
        reverse("devidp:sign_in")


@pytest.mark.usefixtures("idp_urls")
@pytest.mark.parametrize("name", sorted(ROUTE_POLICY))
def test_anonymous_access_matches_policy(client, name):
    response = client.get(reverse(name))
    if ROUTE_POLICY[name] == "public":
        assert response.status_code == 200
    elif name == "oauth2_provider:authorize":
        assert response.status_code == 302
        assert response.url.startswith(reverse("devidp:sign_in"))
    elif name == "oauth2_provider:token":
        assert response.status_code == 405
    else:
        assert response.status_code == 401
        assert response["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.usefixtures("idp_urls")
def test_discovery_names_the_endpoints(client):
    config = client.get(reverse("oauth2_provider:oidc-connect-discovery-info")).json()
    assert config["issuer"] == "http://testserver/idp"
    assert config["authorization_endpoint"] == "http://testserver/idp/authorize/"
    assert config["token_endpoint"] == "http://testserver/idp/token/"
    assert config["userinfo_endpoint"] == "http://testserver/idp/userinfo/"
    assert "RS256" in config["id_token_signing_alg_values_supported"]
    assert "national_id" in config["claims_supported"]
    keys = client.get(reverse("oauth2_provider:jwks-info")).json()["keys"]
    assert keys and keys[0]["kty"] == "RSA" and "d" not in keys[0]


@pytest.mark.usefixtures("idp_urls")
def test_sign_in_page_rejects_a_bad_identity_and_keeps_what_was_typed(client):
    response = client.post(
        reverse("devidp:sign_in"),
        {"action": "new", "national_id": "999185001234", "full_name": "Lê Văn Tư", "phone": "0912000111"},
    )
    assert response.status_code == 200
    assert "mã tỉnh «999» không tồn tại" in response.content.decode()
    assert 'value="Lê Văn Tư"' in response.content.decode()


@pytest.mark.usefixtures("idp_urls")
def test_sign_in_page_follows_only_the_authorization_endpoint(client):
    response = client.post(
        reverse("devidp:sign_in"),
        {
            "action": "new",
            "national_id": "030185001234",
            "full_name": "Nguyễn Thị Lan",
            "next": "https://evil.example/",
        },
    )
    assert response.status_code == 302
    assert response.url == reverse("devidp:sign_in")


def test_setup_command_registers_the_portal_and_demo_citizens(settings):
    from django.core.management import call_command
    from oauth2_provider.models import get_application_model

    from motcua.devidp.models import Identity

    settings.DEV_IDP = True
    settings.MOTCUA_PUBLIC_URL = "http://127.0.0.1:8000"
    call_command("devidp-setup")
    call_command("devidp-setup")  # idempotent
    application = get_application_model().objects.get(client_id=settings.OIDC_RP_CLIENT_ID)
    assert application.redirect_uris.split() == [
        "http://127.0.0.1:8000/dang-nhap/dinh-danh/callback/",
        "http://localhost:8000/dang-nhap/dinh-danh/callback/",
    ]
    assert application.algorithm == "RS256" and application.skip_authorization
    assert Identity.objects.count() == 3
    # the subject accounts can sign in nowhere and are not applicants the portal would match
    for identity in Identity.objects.select_related("account"):
        assert not identity.account.is_active and not identity.account.has_usable_password()
        assert identity.account.national_id is None


def test_deploy_check_refuses_the_development_provider(settings):
    from motcua.accounts.checks import dev_identity_provider_refused

    settings.DEV_IDP = False
    assert dev_identity_provider_refused() == []
    settings.DEV_IDP = True
    assert [error.id for error in dev_identity_provider_refused()] == ["motcua.E002"]
