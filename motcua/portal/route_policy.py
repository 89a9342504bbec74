"""Who may reach each route of this front door (checked by motcua/tests/test_route_policy.py).

public: anyone; applicant: a signed-in citizen or organisation (anonymous visitors are sent to
portal:login; views answer 404 for another applicant's rows); officer: signed in with TOTP (views
decide further by role and unit, answering 404 for what the officer may not see); framework: Django's
own routes. A route missing here fails the suite.
"""

from motcua.portal.accounts.route_policy import ROUTE_POLICY as ACCOUNTS
from motcua.portal.feedback.route_policy import ROUTE_POLICY as FEEDBACK
from motcua.portal.payments.route_policy import ROUTE_POLICY as PAYMENTS
from motcua.portal.store.route_policy import ROUTE_POLICY as STORE
from motcua.portal.submission.route_policy import ROUTE_POLICY as SUBMISSION
from motcua.portal.tracking.route_policy import ROUTE_POLICY as TRACKING
from motcua.portal.verify.route_policy import ROUTE_POLICY as VERIFY

ROUTE_POLICY: dict[str, str] = {
    **ACCOUNTS,
    **SUBMISSION,
    **TRACKING,
    **PAYMENTS,
    **FEEDBACK,
    **VERIFY,
    **STORE,
    "portal:home": "public",
    "portal:procedure_search": "public",
    "portal:procedure_detail": "public",
}
