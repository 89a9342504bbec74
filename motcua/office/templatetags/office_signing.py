"""``{% signing_panel dossier as signing %}``: the "Chữ ký số" section of the dossier page for the
signed-in officer (``office/signing/_dossier_panel.html``; built by ``office.signing.panel``)."""

from typing import Any

from django import template

from motcua.dossiers.models import Dossier
from motcua.office.signing.panel import SigningPanel, build_signing_panel

register = template.Library()


@register.simple_tag(takes_context=True)
def signing_panel(context: dict[str, Any], dossier: Dossier) -> SigningPanel | None:
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    return build_signing_panel(user, dossier)
