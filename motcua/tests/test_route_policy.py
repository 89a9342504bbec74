"""Every route has an access policy, and anonymous visitors get what the policy says.

A new route without an entry in ROUTE_POLICY fails this test (QUALITY.md, security item 1): whoever
adds it must decide who may reach it.
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from motcua.catalog.tests.factories import ProcedureFactory
from motcua.organizations.tests.factories import UnitFactory

PUBLIC, OFFICER, ADMIN, FRAMEWORK = "public", "officer", "admin", "framework"

# name -> (policy, kwargs builder key)
ROUTE_POLICY: dict[str, tuple[str, str | None]] = {
    "portal:home": (PUBLIC, None),
    "portal:procedure_search": (PUBLIC, None),
    "portal:procedure_detail": (PUBLIC, "procedure"),
    "office:login": (PUBLIC, None),
    "office:logout": (OFFICER, None),
    "office:choose_unit": (OFFICER, None),
    "office:dashboard": (OFFICER, None),
    "office:procedure_list": (OFFICER, None),
    "office:procedure_detail": (OFFICER, "procedure"),
    "office:procedure_edit": (OFFICER, "procedure"),
    "office:procedure_publish": (OFFICER, "procedure"),
    "api:api-root": (FRAMEWORK, None),
    "api:openapi-json": (PUBLIC, None),
    "api:list_units": (PUBLIC, None),
    "api:get_unit": (PUBLIC, "unit"),
    "api:list_procedures": (PUBLIC, None),
    "api:get_procedure": (PUBLIC, "procedure"),
    "set_language": (FRAMEWORK, None),
}


def named_routes() -> list[str]:
    names: list[str] = []

    def walk(patterns: list[URLPattern | URLResolver], namespace: str) -> None:
        for p in patterns:
            if isinstance(p, URLResolver):
                if p.namespace == "admin":
                    continue  # Django admin: staff only, guarded by admin_view + TOTP
                ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
                walk(p.url_patterns, ns)
            elif p.name:
                names.append(namespace + p.name)

    walk(get_resolver().url_patterns, "")
    return names


def test_every_route_has_a_policy():
    missing = sorted(set(named_routes()) - set(ROUTE_POLICY))
    assert not missing, f"routes without an access policy in ROUTE_POLICY: {missing}"


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(ROUTE_POLICY))
def test_anonymous_access_matches_policy(client, name):
    policy, kwarg_key = ROUTE_POLICY[name]
    procedure = ProcedureFactory(published=True)
    unit = UnitFactory()
    kwargs = {"procedure": {"code": procedure.code}, "unit": {"code": unit.code}}.get(kwarg_key or "", {})
    url = reverse(name, kwargs=kwargs)
    response = client.get(url)
    if policy == OFFICER:
        # GET-only-for-POST routes answer 405 before anything else; the rest send to sign-in.
        assert response.status_code in (302, 405)
        if response.status_code == 302:
            assert response.url.startswith(reverse("office:login"))
        post = client.post(url)
        assert post.status_code == 302
        assert post.url.startswith(reverse("office:login"))
    elif policy == PUBLIC:
        assert response.status_code == 200
    else:
        assert response.status_code in (200, 302, 404, 405)
