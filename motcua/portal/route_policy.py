"""Who may reach each route of this front door (checked by motcua/tests/test_route_policy.py).

public: anyone; officer: signed in with TOTP (views decide further by role and unit, answering 404
for what the officer may not see); framework: Django's own routes. A route missing here fails the suite.
"""

ROUTE_POLICY: dict[str, str] = {
    "portal:home": "public",
    "portal:procedure_search": "public",
    "portal:procedure_detail": "public",
}
