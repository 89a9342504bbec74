"""Access policy of this area's routes (merged in motcua/office/route_policy.py)."""

ROUTE_POLICY: dict[str, str] = {
    # the targets of a year (level-wide and of the units of the officer's province): any officer
    "office:targets": "officer",
    # add, correct (?chi_tieu=<id>; another province's target is 404) and copy last year's targets:
    # the leader or the oversight office of a province-level unit, else 403
    "office:target_add": "officer",
    "office:target_edit": "officer",
    "office:targets_copy": "officer",
}
