"""Deployment checks: the sandbox bank is a local fake and must never take real applicants' payments."""

from typing import Any

from django.conf import settings
from django.core.checks import Error, Tags, register


@register(Tags.security, deploy=True)
def sandbox_refused(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    if "sandbox" in getattr(settings, "PAYMENT_PROVIDERS", []):
        return [
            Error(
                "MOTCUA_PAYMENT_PROVIDERS offers the sandbox bank: applicants could 'pay' without money.",
                hint="Remove 'sandbox' from MOTCUA_PAYMENT_PROVIDERS in production.",
                id="motcua.E020",
            )
        ]
    return []
