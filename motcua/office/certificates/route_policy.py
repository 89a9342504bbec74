"""Access policy of this area's routes (merged in motcua/office/route_policy.py)."""

ROUTE_POLICY: dict[str, str] = {
    # officers' signing certificates: own list for every officer; register/deactivate for the leader or
    # administrator of the officer's unit (403 otherwise; certificates not managed answer 404)
    "office:certificate_list": "officer",
    "office:certificate_register": "officer",
    "office:certificate_deactivate": "officer",
}
