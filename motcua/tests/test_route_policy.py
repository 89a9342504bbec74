"""Every route has an access policy, and anonymous visitors get what the policy says.

A new route without an entry in ROUTE_POLICY fails this test (QUALITY.md, security item 1): whoever
adds it must decide who may reach it.
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from motcua.api import route_policy as api_policy
from motcua.catalog.tests.factories import ProcedureFactory
from motcua.office import route_policy as office_policy
from motcua.organizations.tests.factories import UnitFactory
from motcua.portal import route_policy as portal_policy

PUBLIC, OFFICER, ADMIN, FRAMEWORK = "public", "officer", "admin", "framework"
APPLICANT = "applicant"

ROUTE_POLICY: dict[str, str] = {
    **portal_policy.ROUTE_POLICY,
    **office_policy.ROUTE_POLICY,
    **api_policy.ROUTE_POLICY,
    "set_language": FRAMEWORK,
}

API_UNIT_ROUTES = {"api:get_unit"}
# Sample values for other URL parameters: anonymous visitors must be stopped before any lookup.
SAMPLE_VALUES = {"dossier_code": "000.00.00.H23-240101-0001"}
# Public routes that answer 400 without their query parameters.
QUERY_ROUTES = {"api:appointment"}


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


def route_kwargs(name: str) -> set[str]:
    """The URL parameters of a named route (``namespace:name``)."""
    *namespaces, short = name.split(":")
    resolver = get_resolver()
    for ns in namespaces:
        resolver = resolver.namespace_dict[ns][1]
    params: set[str] = set()
    for possibilities, *_rest in resolver.reverse_dict.getlist(short):
        for _pattern, names in possibilities:
            params.update(names)
    return params


def test_every_route_has_a_policy():
    missing = sorted(set(named_routes()) - set(ROUTE_POLICY))
    assert not missing, f"routes without an access policy in ROUTE_POLICY: {missing}"


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(ROUTE_POLICY))
def test_anonymous_access_matches_policy(client, name):
    policy = ROUTE_POLICY[name]
    procedure = ProcedureFactory(published=True)
    unit = UnitFactory()
    pattern_kwargs = route_kwargs(name)
    kwargs = {param: SAMPLE_VALUES.get(param, "1") for param in pattern_kwargs}
    if "code" in pattern_kwargs:
        kwargs["code"] = unit.code if name in API_UNIT_ROUTES else procedure.code
    url = reverse(name, kwargs=kwargs)
    query = {"procedure": procedure.code, "unit": unit.code, "at": "2024-03-04T08:00:00+07:00"}
    response = client.get(url, query if name in QUERY_ROUTES else None)
    if policy == OFFICER and name.startswith("api:"):
        # The API answers 401 JSON instead of sending to the sign-in page (405: other method only).
        post = client.post(url)
        assert {response.status_code, post.status_code} <= {401, 405}
        assert 401 in {response.status_code, post.status_code}
    elif policy == OFFICER:
        # GET-only-for-POST routes answer 405 before anything else; the rest send to sign-in.
        assert response.status_code in (302, 405)
        if response.status_code == 302:
            assert response.url.startswith(reverse("office:login"))
        post = client.post(url)
        assert post.status_code == 302
        assert post.url.startswith(reverse("office:login"))
    elif policy == APPLICANT:
        # Citizens' pages send anonymous visitors to the portal's sign-in page (405: other method only).
        assert response.status_code in (302, 405)
        if response.status_code == 302:
            assert response.url.startswith(reverse("portal:login"))
    elif policy == PUBLIC:
        assert response.status_code == 200
    else:
        assert response.status_code in (200, 302, 404, 405)


def test_route_names_are_unique():
    """Two areas included into one namespace must not reuse a name for different addresses: the later
    one is silently unreachable by ``reverse`` (it happened once: the signature check shadowed the code
    verification). One address answering several methods under one name (the API) is fine."""
    addresses: dict[str, set[str]] = {}

    def walk(patterns: list[URLPattern | URLResolver], namespace: str, prefix: str) -> None:
        for p in patterns:
            if isinstance(p, URLResolver):
                ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
                walk(p.url_patterns, ns, prefix + str(p.pattern))
            elif p.name:
                addresses.setdefault(namespace + p.name, set()).add(prefix + str(p.pattern))

    walk(get_resolver().url_patterns, "", "")
    doubled = sorted(name for name, where in addresses.items() if len(where) > 1)
    assert not doubled, f"route names used for two addresses: {doubled}"
