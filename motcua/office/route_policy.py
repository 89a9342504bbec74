"""Who may reach each route of this front door (checked by motcua/tests/test_route_policy.py).

public: anyone; officer: signed in with TOTP (views decide further by role and unit, answering 404
for what the officer may not see); framework: Django's own routes. A route missing here fails the suite.
"""

from motcua.office.certificates.route_policy import ROUTE_POLICY as CERTIFICATES
from motcua.office.digitization.route_policy import ROUTE_POLICY as DIGITIZATION
from motcua.office.evaluation.route_policy import ROUTE_POLICY as EVALUATION
from motcua.office.feedback.route_policy import ROUTE_POLICY as FEEDBACK
from motcua.office.indicators.route_policy import ROUTE_POLICY as INDICATORS
from motcua.office.payments.route_policy import ROUTE_POLICY as PAYMENTS
from motcua.office.reconciliation.route_policy import ROUTE_POLICY as RECONCILIATION
from motcua.office.signing.route_policy import ROUTE_POLICY as SIGNING
from motcua.office.store.route_policy import ROUTE_POLICY as STORE
from motcua.office.targets.route_policy import ROUTE_POLICY as TARGETS
from motcua.office.warnings.route_policy import ROUTE_POLICY as WARNINGS

ROUTE_POLICY: dict[str, str] = {
    **PAYMENTS,
    **FEEDBACK,
    **DIGITIZATION,
    **SIGNING,
    **CERTIFICATES,
    **STORE,
    **INDICATORS,
    **WARNINGS,
    **EVALUATION,
    **RECONCILIATION,
    **TARGETS,
    "office:login": "public",
    "office:logout": "officer",
    "office:choose_unit": "officer",
    "office:dashboard": "officer",
    "office:procedure_list": "officer",
    "office:procedure_detail": "officer",
    "office:procedure_edit": "officer",
    "office:procedure_publish": "officer",
    # dossiers (views decide by role and unit; not visible = 404)
    "office:intake": "officer",
    "office:appointment_preview": "officer",
    "office:online_queue": "officer",
    "office:assisted": "officer",
    "office:assisted_done": "officer",
    "office:worklist": "officer",
    "office:dossier_list": "officer",
    "office:register": "officer",
    "office:dossier_detail": "officer",
    "office:dossier_form_pdf": "officer",
    "office:dossier_component_file": "officer",
    "office:dossier_result_file": "officer",
    # actions on a dossier (POST only; the service checks the role, the view answers 404 for
    # dossiers the officer may not see)
    "office:dossier_receive": "officer",
    "office:dossier_return_online": "officer",
    "office:dossier_complete_supplement": "officer",
    "office:dossier_start": "officer",
    "office:dossier_forward": "officer",
    "office:dossier_return_step": "officer",
    "office:dossier_consult": "officer",
    "office:dossier_inter_unit": "officer",
    "office:dossier_supplement": "officer",
    "office:dossier_suspend": "officer",
    "office:dossier_resume": "officer",
    "office:dossier_stop": "officer",
    "office:dossier_reject": "officer",
    "office:dossier_payment_request": "officer",
    "office:dossier_payment_record": "officer",
    "office:dossier_reschedule": "officer",
    "office:dossier_result": "officer",
    "office:dossier_processed": "officer",
    "office:dossier_early_return": "officer",
    "office:dossier_return_result": "officer",
    "office:dossier_withdraw": "officer",
    "office:step_reassign": "officer",
    "office:step_answer": "officer",
    "office:step_complete_inter_unit": "officer",
    # certification of copies (views decide by role and unit; requests of other units answer 404)
    "office:certification_list": "officer",
    "office:certification_receive": "officer",
    "office:certification_book": "officer",
    "office:certification_book_pdf": "officer",
    "office:certification_detail": "officer",
    "office:certification_approve": "officer",
    "office:certification_refuse": "officer",
    "office:certification_pdf": "officer",
    "office:certification_pay": "officer",
    "office:certification_receipt": "officer",
    "office:certification_sign": "officer",
    "office:certification_store": "officer",
}
