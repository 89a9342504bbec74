"""Access policy of this area's routes (merged in motcua/office/route_policy.py)."""

ROUTE_POLICY: dict[str, str] = {
    # PAKN of the officer's units (addressed or assigned there); others answer 404
    "office:feedback_inbox": "officer",
    "office:feedback_detail": "officer",
    # actions (POST only; the service checks the unit, publishing needs a leader)
    "office:feedback_classify": "officer",
    "office:feedback_assign": "officer",
    "office:feedback_answer": "officer",
    "office:feedback_publish": "officer",
    # the current unit's ratings, averages per officer
    "office:ratings": "officer",
    # the counter rating device: opened by an officer of the unit, used by the citizen
    "office:rating_device": "officer",
}
