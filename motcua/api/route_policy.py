"""Who may reach each route of this front door (checked by motcua/tests/test_route_policy.py and, for
the dossier routes, by motcua/api/tests/test_authorization_matrix.py).

public: anyone; officer: signed in with TOTP (anonymous callers get 401 JSON; the dossier endpoints
answer 404 for what the officer may not see and 403 for what they see but may not do); framework:
Django's own routes. A route missing here fails the suite.
"""

ROUTE_POLICY: dict[str, str] = {
    "api:api-root": "framework",
    "api:openapi-json": "public",
    "api:list_units": "public",
    "api:get_unit": "public",
    "api:list_procedures": "public",
    "api:get_procedure": "public",
    "api:appointment": "public",
    "api:list_dossiers": "officer",
    "api:search_dossiers": "officer",
    "api:create_dossier": "officer",
    "api:get_dossier": "officer",
    "api:dossier_receive": "officer",
    "api:dossier_return_for_supplement": "officer",
    "api:dossier_start": "officer",
    "api:dossier_forward": "officer",
    "api:dossier_return_step": "officer",
    "api:dossier_consult": "officer",
    "api:dossier_answer_consultation": "officer",
    "api:dossier_send_inter_unit": "officer",
    "api:dossier_complete_inter_unit": "officer",
    "api:dossier_request_supplement": "officer",
    "api:dossier_complete_supplement": "officer",
    "api:dossier_suspend": "officer",
    "api:dossier_resume": "officer",
    "api:dossier_stop": "officer",
    "api:dossier_reject": "officer",
    "api:dossier_request_payment": "officer",
    "api:dossier_record_payment": "officer",
    "api:dossier_reschedule": "officer",
    "api:dossier_record_result": "officer",
    "api:dossier_mark_processed": "officer",
    "api:dossier_announce_early_return": "officer",
    "api:dossier_return_result": "officer",
    "api:dossier_withdraw": "officer",
    # payment providers' server-to-server notices: no session, trust from the signature (CSRF-exempt)
    "api:payment_notice_sandbox": "public",
    # anyone may check a signed PDF (throttled per address, nothing stored)
    "api:verify_pdf": "public",
    # QĐ 766 indicators of the units the officer works in and below them (404 otherwise)
    "api:indicators": "officer",
}
