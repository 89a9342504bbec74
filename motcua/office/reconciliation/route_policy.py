"""Access policy of this area's routes (merged in motcua/office/route_policy.py)."""

ROUTE_POLICY: dict[str, str] = {
    # the register counts of the officer's current unit, any officer of the unit
    "office:reconciliation": "officer",
    # entering or correcting counts: receivers, leaders and the oversight office of the unit (else 403)
    "office:reconciliation_new": "officer",
    # one entry's comparison and its exports: entries of another unit answer 404
    "office:reconciliation_detail": "officer",
    "office:reconciliation_export_xlsx": "officer",
    "office:reconciliation_export_pdf": "officer",
}
