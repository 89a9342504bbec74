"""Access policy of this area's routes (merged in motcua/office/route_policy.py)."""

ROUTE_POLICY: dict[str, str] = {
    # POST actions: the services check the role (leader for the result, the issuing officer for a
    # form); a dossier the officer may not see answers 404
    "office:dossier_sign_result": "officer",
    "office:dossier_certify_result_copy": "officer",
    "office:dossier_sign_form": "officer",
    # reads of a dossier the officer may see (404 otherwise)
    "office:dossier_signed_form_file": "officer",
    "office:dossier_signatures": "officer",
}
