"""Access policy of this area's routes (merged in motcua/office/route_policy.py)."""

ROUTE_POLICY: dict[str, str] = {
    # the QĐ 766 board of the officer's units and the units below them; another unit is 404
    "office:indicator_board": "officer",
}
