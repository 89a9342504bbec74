"""Organisations act through representatives (người đại diện theo pháp luật hoặc theo ủy quyền,
Bộ luật Dân sự 2015 Điều 134–141; NĐ 61/2018/NĐ-CP Điều 9 lets an organisation file through them).

The organisation's own account (tax code) names each representative by national ID; the person must
already have an applicant account. A representative then chooses, for the session, to act for the
organisation (``portal.accounts.session``). Ending a representation stamps ``revoked_at``; the row stays.
"""

import datetime as dt

from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.accounts.identity import national_id_problem
from motcua.accounts.models import Representation, User
from motcua.accounts.services import AccountRefused
from motcua.core.errors import NotFound


def representatives_of(organisation: User) -> QuerySet[Representation]:
    return (
        Representation.objects.filter(organisation=organisation, revoked_at__isnull=True)
        .select_related("representative")
        .order_by("created_at")
    )


def organisations_represented(user: User) -> QuerySet[User]:
    """Organisations ``user`` may act for now (active representation, active organisation account)."""
    return User.objects.filter(
        kind=User.Kind.APPLICANT,
        is_active=True,
        representatives__representative=user,
        representatives__revoked_at__isnull=True,
    ).order_by("full_name")


@transaction.atomic
def add_representative(
    *, organisation: User, national_id: str, title: str = "", now: dt.datetime | None = None
) -> Representation:
    """Name the person with ``national_id`` a representative of ``organisation`` (its own account)."""
    now = now or timezone.now()
    if not organisation.is_organisation:
        raise AccountRefused(_("Chỉ tài khoản tổ chức (mã số thuế) mới thêm được người đại diện."))
    national_id = national_id.strip()
    problem = national_id_problem(national_id)
    if problem:
        raise AccountRefused(problem, "national_id")
    person = User.objects.filter(
        national_id=national_id, kind=User.Kind.APPLICANT, is_active=True, is_staff=False
    ).first()
    if person is None:
        raise AccountRefused(
            _(
                "Chưa có tài khoản công dân đã xác minh với số định danh này; người đại diện cần đăng ký trước."
            ),
            "national_id",
        )
    try:
        with transaction.atomic():
            return Representation.objects.create(
                organisation=organisation, representative=person, title=title.strip()[:100], created_at=now
            )
    except IntegrityError as error:
        raise AccountRefused(_("Người này đã là người đại diện của tổ chức."), "national_id") from error


@transaction.atomic
def revoke_representative(
    *, organisation: User, representation_id: int, now: dt.datetime | None = None
) -> Representation:
    """End a representation; another organisation's row is "not found"."""
    row = (
        Representation.objects.select_for_update()
        .filter(pk=representation_id, organisation=organisation, revoked_at__isnull=True)
        .first()
    )
    if row is None:
        raise NotFound(_("Không tìm thấy người đại diện này."))
    row.revoked_at = now or timezone.now()
    row.save(update_fields=["revoked_at"])
    return row
