"""Access policy of this area's routes (merged in motcua/office/route_policy.py)."""

ROUTE_POLICY: dict[str, str] = {
    # early warning of the officer's current unit (items of other units are never read)
    "office:warnings": "officer",
}
