"""Who may reach each route of this front door (checked by motcua/tests/test_route_policy.py).

public: anyone; officer: signed in with TOTP (views decide further by role and unit, answering 404
for what the officer may not see); framework: Django's own routes. A route missing here fails the suite.
"""

ROUTE_POLICY: dict[str, str] = {
    "api:api-root": "framework",
    "api:openapi-json": "public",
    "api:list_units": "public",
    "api:get_unit": "public",
    "api:list_procedures": "public",
    "api:get_procedure": "public",
}
