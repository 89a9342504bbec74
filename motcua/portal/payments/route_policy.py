"""Access policy of this area's routes (merged in motcua/portal/route_policy.py)."""

ROUTE_POLICY: dict[str, str] = {
    # the applicant's own dossiers and orders (404 for anyone else's)
    "portal:payment_start": "applicant",
    "portal:payment_return": "applicant",
    "portal:payment_receipt": "applicant",
    # the sandbox bank (a local fake of an external system): 404 unless the sandbox is configured
    "portal:sandbox_bank": "public",
}
