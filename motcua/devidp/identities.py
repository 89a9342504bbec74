"""Creating identities in the development provider's register and signing them in at the provider."""

import datetime as dt

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.accounts.identity import national_id_problem
from motcua.accounts.models import User
from motcua.core.errors import DomainError
from motcua.devidp.models import Identity

SESSION_KEY = "devidp_identity_id"


class IdentityProblem(DomainError):
    def __init__(self, message: str, field: str = "") -> None:
        super().__init__(message)
        self.field = field


@transaction.atomic
def ensure_identity(
    *,
    national_id: str,
    full_name: str,
    birth_date: dt.date | None = None,
    phone: str = "",
    email: str = "",
) -> Identity:
    """The identity with ``national_id``, created (with its subject account) or updated. Idempotent."""
    national_id, full_name = national_id.strip(), " ".join(full_name.split())
    problem = national_id_problem(national_id)
    if problem:
        raise IdentityProblem(problem, "national_id")
    if not full_name:
        raise IdentityProblem(_("Họ và tên không được để trống."), "full_name")
    identity = Identity.objects.select_for_update().filter(national_id=national_id).first()
    if identity is None:
        identity = Identity(national_id=national_id)
        account = User(kind=User.Kind.APPLICANT, is_active=False)
        account.username = f"devidp-{identity.subject}"
        account.set_unusable_password()
        account.save()
        identity.account = account
    identity.full_name, identity.birth_date = full_name[:150], birth_date
    identity.phone, identity.email = phone.strip()[:20], email.strip()[:254]
    identity.save()
    return identity


def sign_in(request: HttpRequest, identity: Identity) -> None:
    """Remember the identity in the provider's part of the session (never a portal sign-in)."""
    request.session[SESSION_KEY] = identity.pk
    # auth_time in the ID token is the subject account's last sign-in at the provider.
    User.objects.filter(pk=identity.account.pk).update(last_login=timezone.now())


def signed_in_identity(request: HttpRequest) -> Identity | None:
    identity_id = request.session.get(SESSION_KEY)
    if identity_id is None:
        return None
    return Identity.objects.select_related("account").filter(pk=identity_id).first()
