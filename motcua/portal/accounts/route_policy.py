"""Access policy of this area's routes (merged in motcua/portal/route_policy.py).

The two sign-in-with-the-national-identity-provider routes are mozilla-django-oidc's views: they
redirect (to the provider, or back to portal:login when it is not configured or the answer is
refused), so they are listed as "framework" routes rather than pages that answer 200.
"""

ROUTE_POLICY: dict[str, str] = {
    "portal:login": "public",
    "portal:oidc_login": "framework",
    "portal:oidc_callback": "framework",
    "portal:logout": "applicant",  # POST only; signing out an anonymous visitor changes nothing
    "portal:register": "public",
    "portal:verify": "public",
    "portal:password_reset": "public",
    "portal:password_reset_confirm": "public",
    "portal:account": "applicant",
    "portal:representative_add": "applicant",
    "portal:representative_revoke": "applicant",
    "portal:act_for": "applicant",
}
