"""Who the signed-in citizen is acting for in this session (themselves, or an organisation they
represent), and the pending-verification markers of the account pages.

Other portal areas ask ``acting_applicant(request)`` for the applicant on whose behalf a dossier is
filed or listed: the organisation while a representative acts for it, otherwise the citizen. The
choice is re-checked against the current representations on every call, so a revoked representative
loses access at once.
"""

from django.http import HttpRequest

from motcua.accounts.models import User
from motcua.accounts.representation import organisations_represented
from motcua.portal.auth import current_applicant

ACTING_FOR_KEY = "portal_acting_for"
PENDING_REGISTRATION_KEY = "portal_pending_registration"
PENDING_RESET_KEY = "portal_pending_reset"


def acting_for(request: HttpRequest) -> User | None:
    """The organisation the signed-in representative chose to act for, if still allowed."""
    user = current_applicant(request)
    organisation_id = request.session.get(ACTING_FOR_KEY)
    if user is None or organisation_id is None:
        return None
    organisation = organisations_represented(user).filter(pk=organisation_id).first()
    if organisation is None:
        request.session.pop(ACTING_FOR_KEY, None)
    return organisation


def acting_applicant(request: HttpRequest) -> User | None:
    """The applicant whose dossiers the current requests concern."""
    return acting_for(request) or current_applicant(request)
