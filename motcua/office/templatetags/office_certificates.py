"""``{% own_certificate_days_left as days %}``: days until the signed-in officer's current signing
certificate expires when that is within ``MOTCUA_CERT_EXPIRY_REMINDER_DAYS``, else None (the warning
badge of the "Chứng thư số" link on the dashboard)."""

from typing import Any

from django import template
from django.conf import settings
from django.utils import timezone

from motcua.documents.models import SigningCertificate
from motcua.documents.reminders import days_left

register = template.Library()


@register.simple_tag(takes_context=True)
def own_certificate_days_left(context: dict[str, Any]) -> int | None:
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    now = timezone.now()
    latest = SigningCertificate.objects.current().filter(officer=user).order_by("-valid_to").first()
    if latest is None:
        return None
    left = days_left(latest, now)
    return left if left < settings.MOTCUA_CERT_EXPIRY_REMINDER_DAYS else None
