"""Access policy of this area's routes (merged in motcua/office/route_policy.py)."""

ROUTE_POLICY: dict[str, str] = {
    # receivers of the current unit (others: 403); the ID number travels in the POST body only
    "office:store_lookup": "officer",
}
