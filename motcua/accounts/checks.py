"""Deployment checks: the demo conveniences must never reach production."""

from typing import Any

from django.conf import settings
from django.core.checks import Error, Tags, register


@register(Tags.security, deploy=True)
def demo_mode_refused(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    if getattr(settings, "DEMO_MODE", False):
        return [
            Error(
                "MOTCUA_DEMO is on: demo accounts, printed OTP secrets and the demo-otp command are enabled.",
                hint="Unset MOTCUA_DEMO (or set it to 0) in production.",
                id="motcua.E001",
            )
        ]
    return []


@register(Tags.security, deploy=True)
def dev_identity_provider_refused(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    if getattr(settings, "DEV_IDP", False):
        return [
            Error(
                "MOTCUA_DEV_IDP is on: a made-up national identity provider signs anyone in as anyone.",
                hint="Unset MOTCUA_DEV_IDP and configure the real provider (docs/accounts.md).",
                id="motcua.E002",
            )
        ]
    return []
