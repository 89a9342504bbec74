"""``{% digitization_summary dossier components as digitization %}``: the "Số hóa" line of the dossier
page (``office/digitization/_dossier_panel.html``; built by ``office.digitization.panel``)."""

from collections.abc import Iterable
from typing import Any

from django import template

from motcua.dossiers.models import Dossier, DossierComponent
from motcua.office.digitization.panel import DigitizationSummary, summarize

register = template.Library()


@register.simple_tag(takes_context=True)
def digitization_summary(
    context: dict[str, Any], dossier: Dossier, components: Iterable[DossierComponent]
) -> DigitizationSummary:
    request = context.get("request")
    user = getattr(request, "user", None)
    return summarize(user if user is not None and user.is_authenticated else None, dossier, components)
