"""Access policy of this area's routes (merged in motcua/office/route_policy.py)."""

ROUTE_POLICY: dict[str, str] = {
    # the QĐ 766 board of the officer's units and the units below them; another unit is 404
    "office:indicator_board": "officer",
    # the dossiers behind an item's numerator/denominator, of a unit the officer may read (else 404)
    "office:indicator_dossiers": "officer",
    # the board as Excel and PDF downloads, same scoping as the board
    "office:indicator_export_xlsx": "officer",
    "office:indicator_export_pdf": "officer",
}
