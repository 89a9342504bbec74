"""Fixtures for signing and verification tests: one throw-away PKI per session, trusted per test."""

import pytest

from motcua.documents.tests.signing_support import Pki, apply_trust


@pytest.fixture(scope="session")
def pki(tmp_path_factory: pytest.TempPathFactory) -> Pki:
    return Pki(tmp_path_factory.mktemp("pki"))


@pytest.fixture
def trust(settings, pki: Pki):  # type: ignore[no-untyped-def]
    return apply_trust(settings, pki)
