"""Access policy of the development identity provider's routes (checked by devidp/tests/test_routes.py,
since the provider is mounted only with MOTCUA_DEV_IDP=1 or in its own tests).

public: anyone (200); protocol: answers as OpenID Connect says — the authorization endpoint sends an
anonymous visitor to the provider's sign-in page (302), the token endpoint is POST only (405), userinfo
without a bearer token is 401.
"""

ROUTE_POLICY: dict[str, str] = {
    "devidp:sign_in": "public",
    "oauth2_provider:oidc-connect-discovery-info": "public",
    "oauth2_provider:jwks-info": "public",
    "oauth2_provider:authorize": "protocol",
    "oauth2_provider:token": "protocol",
    "oauth2_provider:user-info": "protocol",
}
