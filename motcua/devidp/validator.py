"""Claims of the development provider: VNeID-style, under the names the portal reads by default
(``accounts.oidc.DEFAULT_CLAIMS``): ``sub``, ``national_id``, ``name``, ``birthdate``, ``phone_number``,
``email``. ``sub`` is the identity's stable subject, not a database id."""

from typing import Any

from oauth2_provider.oauth2_validators import OAuth2Validator  # type: ignore[import-untyped]

from motcua.devidp.models import Identity


class DevIdentityValidator(OAuth2Validator):  # type: ignore[misc]
    oidc_claim_scope = {**OAuth2Validator.oidc_claim_scope, "national_id": "openid"}

    def get_claim_dict(self, request: Any) -> dict[str, Any]:
        identity = Identity.objects.filter(account=request.user).first()
        if identity is None:
            return {"sub": f"unknown-{request.user.pk}"}
        claims = {
            "sub": str(identity.subject),
            "national_id": identity.national_id,
            "name": identity.full_name,
            "birthdate": identity.birth_date.isoformat() if identity.birth_date else None,
            "phone_number": identity.phone or None,
            "email": identity.email or None,
        }
        return {name: value for name, value in claims.items() if value is not None}

    def get_discovery_claims(self, request: Any) -> list[str]:
        return ["sub", "national_id", "name", "birthdate", "phone_number", "email"]
