"""Access policy of this area's routes (merged in motcua/portal/route_policy.py)."""

ROUTE_POLICY: dict[str, str] = {
    "portal:submission_start": "applicant",
    "portal:submission_done": "applicant",
    "portal:draft_list": "applicant",
    "portal:draft_edit": "applicant",
    "portal:draft_delete": "applicant",
    "portal:supplement": "applicant",
}
