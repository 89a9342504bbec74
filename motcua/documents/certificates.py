"""Who manages officers' signing certificates, and deactivating one.

NĐ 130/2018/NĐ-CP (as amended by NĐ 23/2025/NĐ-CP) and Luật Giao dịch điện tử 2023 Điều 24: an officer
signs with their own certificate, issued to them personally; the agency keeps track of which
certificate each of its officers signs with. The leader (or the unit administrator) of a unit registers
and withdraws the certificates of the officers of that unit; staff and superusers do it for anyone.
Registering is ``signing.registry.register_certificate``; withdrawing is ``deactivate_certificate``
(the row is kept: signatures made with it stay verifiable and the history stays whole).
"""

from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from motcua.accounts.models import User
from motcua.core.errors import Conflict, NotFound, PermissionDenied
from motcua.documents.models import SigningCertificate
from motcua.documents.signing.registry import register_certificate
from motcua.organizations.models import Membership, Role

MANAGING_ROLES = (Role.LEADER, Role.UNIT_ADMIN)


def is_manager(user: User) -> bool:
    """Whether ``user`` manages certificates of anyone (the button and the form on the page)."""
    if user.is_staff or user.is_superuser:
        return True
    return (
        Membership.objects.current().filter(user=user, role__in=MANAGING_ROLES, unit__is_active=True).exists()
    )


def managed_officers(user: User) -> QuerySet[User]:
    """The officers whose certificates ``user`` manages: of the units where ``user`` is leader or unit
    administrator (everyone for staff/superusers)."""
    officers = User.objects.filter(kind=User.Kind.OFFICER, is_active=True)
    if user.is_staff or user.is_superuser:
        return officers.order_by("full_name", "username")
    units = Membership.objects.current().filter(user=user, role__in=MANAGING_ROLES).values("unit")
    members = Membership.objects.current().filter(unit__in=units).values("user")
    return officers.filter(pk__in=members).order_by("full_name", "username")


def can_manage(user: User, officer: User) -> bool:
    return managed_officers(user).filter(pk=officer.pk).exists()


@transaction.atomic
def deactivate_certificate(*, certificate_id: int, by: User) -> SigningCertificate:
    """Stop using a certificate (lost token, officer moved, certificate revoked). It no longer signs
    (``signing.officer.current_certificate`` takes active ones only) and gets no reminders."""
    certificate = (
        SigningCertificate.objects.select_for_update()
        .select_related("officer")
        .filter(pk=certificate_id)
        .first()
    )
    if certificate is None or not can_manage(by, certificate.officer):
        raise NotFound(_("Không tìm thấy chứng thư số."))
    if not certificate.active:
        raise Conflict(_("Chứng thư số này đã ngừng sử dụng."))
    certificate.active = False
    certificate.save(update_fields=["active"])
    return certificate


def register_for(*, officer: User, by: User, pem: bytes, key_ref: str) -> SigningCertificate:
    """A manager registers ``officer``'s certificate (PEM or DER) with the reference of its key;
    ``ValidationError`` (Vietnamese, per field) for an unreadable file or a certificate of someone else."""
    if not can_manage(by, officer):
        raise PermissionDenied(_("Chỉ lãnh đạo đơn vị của cán bộ mới đăng ký chứng thư số cho cán bộ."))
    return register_certificate(officer, pem, key_ref=key_ref.strip())
