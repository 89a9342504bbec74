"""Access policy of this area's routes (merged in motcua/portal/route_policy.py)."""

ROUTE_POLICY: dict[str, str] = {
    # code + second factor, throttled per address and per code
    "portal:lookup": "public",
    # the signed-in applicant's own rows; another applicant's dossier answers 404
    "portal:my_dossiers": "applicant",
    "portal:my_dossier": "applicant",
    "portal:my_result_file": "applicant",
    "portal:my_results": "applicant",
    "portal:notifications": "applicant",
}
