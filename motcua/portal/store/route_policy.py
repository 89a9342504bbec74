"""Access policy of this area's routes (merged in motcua/portal/route_policy.py)."""

ROUTE_POLICY: dict[str, str] = {}
