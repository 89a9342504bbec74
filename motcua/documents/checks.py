"""Deployment checks for signing: a key file on the server is for demonstrations only.

Luật Giao dịch điện tử 2023 Điều 23 and the CA rules expect an officer's private key in a secure
signature-creation device (a token/HSM through PKCS#11, or a licensed provider's remote signing);
``MOTCUA_SIGNER=software`` keeps keys in files readable by the application.
"""

from typing import Any

from django.conf import settings
from django.core.checks import Error, Tags, register


@register(Tags.security, deploy=True)
def software_signer_refused(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    errors: list[Error] = []
    if settings.MOTCUA_SIGNER == "software":
        errors.append(
            Error(
                "MOTCUA_SIGNER=software keeps officers' private keys in files on the server (demo only).",
                hint="Use MOTCUA_SIGNER=pkcs11 (token/HSM) or remote (a provider's remote-signing service).",
                id="motcua.E030",
            )
        )
    if settings.MOTCUA_SIGNER and not settings.MOTCUA_TRUST_ROOTS:
        errors.append(
            Error(
                "Signing is configured but MOTCUA_TRUST_ROOTS is empty: no signature can be shown as trusted.",
                hint="List the root certificates (MIC/NEAC root CA, government CA) in MOTCUA_TRUST_ROOTS.",
                id="motcua.E031",
            )
        )
    return errors
