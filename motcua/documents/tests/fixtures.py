"""Signing fixtures for every app's tests, loaded as a pytest plugin by the root ``conftest.py`` (a
plugin, not an import from ``motcua/conftest.py``, so lower layers' tests that import that conftest do
not depend on documents)."""

import pytest

from motcua.documents.tests.signing_support import OfficerKeys, Pki


@pytest.fixture(scope="session")
def signing_pki(tmp_path_factory: pytest.TempPathFactory) -> Pki:
    """One throw-away CA per test session (documents/tests/signing_support.py)."""
    return Pki(tmp_path_factory.mktemp("officer-pki"))


@pytest.fixture
def officer_keys(settings, signing_pki: Pki, tmp_path) -> OfficerKeys:  # type: ignore[no-untyped-def]
    """``officer_keys.enrol(officer, unit_name)`` gives an officer a registered software key, so
    ``documents.signing.officer.sign_as_officer`` signs as them; the test CA is the trust root."""
    return OfficerKeys(settings, signing_pki, tmp_path / "keys")
