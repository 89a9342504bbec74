"""Access policy of this area's routes (merged in motcua/portal/route_policy.py)."""

ROUTE_POLICY: dict[str, str] = {
    # the applicant's own returned dossier only; another applicant's answers 404
    "portal:rate": "applicant",
    # published answers (?ma=<code> shows one); POST = like/dislike, once per account or session
    "portal:feedback_answers": "public",
    # send a PAKN: throttled per address (or account), contact details only in the POST body
    "portal:feedback_submit": "public",
    # look up one's own PAKN with its code and the email/phone given (POST), throttled
    "portal:feedback_track": "public",
}
