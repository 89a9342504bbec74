"""Access policy of this area's routes (merged in motcua/portal/route_policy.py)."""

ROUTE_POLICY: dict[str, str] = {
    # the signed-in applicant's own store; another person's document answers 404
    "portal:my_store": "applicant",
    "portal:my_store_file": "applicant",
}
