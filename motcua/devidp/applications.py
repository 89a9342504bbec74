"""The portal's client registration at the development provider (django-oauth-toolkit Application)."""

from django.conf import settings
from django.db import transaction
from oauth2_provider.models import get_application_model  # type: ignore[import-untyped]

PORTAL_CLIENT_NAME = "Cổng dịch vụ công (thử nghiệm)"


@transaction.atomic
def ensure_portal_client(*, client_id: str, client_secret: str, redirect_uris: list[str]) -> object:
    """Create or update the confidential RS256 client the portal signs in with. Idempotent."""
    application_model = get_application_model()
    application = application_model.objects.filter(client_id=client_id).first() or application_model(
        client_id=client_id
    )
    application.name = PORTAL_CLIENT_NAME
    application.client_type = application_model.CLIENT_CONFIDENTIAL
    application.authorization_grant_type = application_model.GRANT_AUTHORIZATION_CODE
    application.algorithm = application_model.RS256_ALGORITHM
    application.redirect_uris = " ".join(redirect_uris)
    application.skip_authorization = True  # the provider's sign-in page is the consent
    application.client_secret = client_secret  # hashed on save
    application.save()
    return application


def default_redirect_uris() -> list[str]:
    """The portal's callback at its public address, and the same on 127.0.0.1/localhost for a demo."""
    path = "/dang-nhap/dinh-danh/callback/"
    base = settings.MOTCUA_PUBLIC_URL
    uris = [base + path]
    for a, b in (("127.0.0.1", "localhost"), ("localhost", "127.0.0.1")):
        if f"//{a}" in base:
            uris.append(base.replace(f"//{a}", f"//{b}") + path)
    return uris
