"""Shared fixtures. Personas follow STYLE.md: applicant, receiver, leader, ..."""

import pytest


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):  # type: ignore[no-untyped-def]
    """PBKDF2 is slow on purpose; tests need many users, not strong hashes."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
