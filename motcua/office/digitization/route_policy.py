"""Access policy of this area's routes (merged in motcua/office/route_policy.py)."""

ROUTE_POLICY: dict[str, str] = {
    # digitization of a dossier's papers: 404 for dossiers the officer may not see; only receivers of
    # the receiving unit may post (the service checks the role)
    "office:dossier_digitize": "officer",
    # the current unit's dossiers not digitized since 1 January
    "office:digitization_backlog": "officer",
}
