"""The deploy checks refuse a key file signer and a signer without trust roots."""

from motcua.documents.checks import software_signer_refused


def test_software_signer_is_refused_in_production(settings):
    settings.MOTCUA_SIGNER = "software"
    settings.MOTCUA_TRUST_ROOTS = ["/etc/motcua/root.pem"]
    assert [e.id for e in software_signer_refused()] == ["motcua.E030"]


def test_signer_without_trust_roots_is_refused(settings):
    settings.MOTCUA_SIGNER = "pkcs11"
    settings.MOTCUA_TRUST_ROOTS = []
    assert [e.id for e in software_signer_refused()] == ["motcua.E031"]


def test_token_signer_with_roots_passes(settings):
    settings.MOTCUA_SIGNER = "pkcs11"
    settings.MOTCUA_TRUST_ROOTS = ["/etc/motcua/root.pem"]
    assert software_signer_refused() == []
