"""Access policy of this area's routes (merged in motcua/portal/route_policy.py)."""

ROUTE_POLICY: dict[str, str] = {
    # anyone may check a signed PDF; uploads are throttled per client address and never stored
    "portal:verify_signature": "public",
}
