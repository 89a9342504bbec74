"""Shared fixtures. Personas follow STYLE.md: applicant, receiver, leader, ..."""

import pytest
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from motcua.accounts.models import User


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):  # type: ignore[no-untyped-def]
    """PBKDF2 is slow on purpose; tests need many users, not strong hashes. PBKDF2 stays second so
    hashes made outside a test function (module-scoped data) still verify."""
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.MD5PasswordHasher",
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    ]


def login_with_otp(client: Client, user: User) -> None:
    """Sign ``user`` in as if they had typed a valid TOTP code (for tests that are not about sign-in)."""
    device = TOTPDevice.objects.filter(user=user).first() or TOTPDevice.objects.create(
        user=user, name="app", confirmed=True
    )
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


@pytest.fixture
def admin_client(client, db):  # type: ignore[no-untyped-def]
    """A superuser signed in with a second factor, as the admin requires."""
    user = User.objects.create_superuser(
        "quantri.test", password="mat-khau-quan-tri-2026", kind=User.Kind.OFFICER
    )
    login_with_otp(client, user)
    return client
