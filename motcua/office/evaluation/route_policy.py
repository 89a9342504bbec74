"""Access policy of this area's routes (merged in motcua/office/route_policy.py)."""

ROUTE_POLICY: dict[str, str] = {
    # TT 01/2018 evaluation of the officer's current unit (officer rows scoped by role in the view)
    "office:evaluation": "officer",
    # the same evaluation as Excel and PDF downloads: same parameters, same scoping as the page
    "office:evaluation_export_xlsx": "officer",
    "office:evaluation_export_pdf": "officer",
}
