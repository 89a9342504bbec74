"""Vietnamese number formats for templates: ``{{ amount|vnd }}`` → "2.000 đồng"."""

from django import template
from django.utils.translation import gettext as _

register = template.Library()


def group_thousands(amount: int) -> str:
    """Vietnamese groups thousands with a dot: 1234567 → "1.234.567"."""
    return f"{amount:,}".replace(",", ".")


@register.filter
def vnd(amount: int | None) -> str:
    if amount is None:
        return ""
    if amount == 0:
        return _("Không thu phí")
    return _("%(amount)s đồng") % {"amount": group_thousands(int(amount))}
