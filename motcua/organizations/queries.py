"""Reads about who works where. Officers see only units where they hold a current role."""

import datetime as dt

from django.db.models import QuerySet

from motcua.accounts.models import User
from motcua.organizations.models import Membership, Role, Unit


def current_memberships(user: User, on: dt.date | None = None) -> QuerySet[Membership]:
    return Membership.objects.current(on).filter(user=user, unit__is_active=True).select_related("unit")


def units_for(user: User, on: dt.date | None = None) -> QuerySet[Unit]:
    """Units where ``user`` holds at least one current role, ordered by code."""
    return (
        Unit.objects.filter(
            is_active=True,
            memberships__in=Membership.objects.current(on).filter(user=user),
        )
        .distinct()
        .order_by("code")
    )


def roles_in(user: User, unit: Unit, on: dt.date | None = None) -> frozenset[Role]:
    return frozenset(Role(m.role) for m in current_memberships(user, on).filter(unit=unit))


def get_unit_for_user(user: User, unit_id: int) -> Unit:
    """The unit if ``user`` works there; ``Unit.DoesNotExist`` otherwise (not found = not yours)."""
    return units_for(user).get(pk=unit_id)
