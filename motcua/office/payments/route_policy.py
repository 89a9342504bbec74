"""Access policy of this area's routes (merged in motcua/office/route_policy.py)."""

ROUTE_POLICY: dict[str, str] = {
    # fees at the counter and receipts (404 for dossiers the officer may not see)
    "office:payment_counter": "officer",
    "office:payment_receipt_pdf": "officer",
    # daily reconciliation of online payments, limited to the officer's units
    "office:payment_reconciliation": "officer",
}
