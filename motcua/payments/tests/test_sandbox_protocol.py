"""The sandbox protocol: HMAC-SHA256 over the raw body and over the canonical checkout query."""

import datetime as dt
import json

import pytest
import time_machine
from django.utils import timezone

from motcua.payments.providers import InvalidNotice, sandbox, sandbox_bank
from motcua.payments.tests.conftest import notice_body

provider = sandbox.SandboxProvider()


def test_a_signed_notice_verifies():
    body = notice_body("MC2611220000000001", 50_000)
    notice = provider.verify_notice(body, sandbox.signed_headers(body))
    assert (notice.order_id, notice.amount_vnd, notice.status) == ("MC2611220000000001", 50_000, "paid")


def test_one_changed_byte_breaks_the_signature():
    body = notice_body("MC2611220000000001", 50_000)
    headers = sandbox.signed_headers(body)
    tampered = body.replace(b"50000", b"50001")
    assert tampered != body
    with pytest.raises(InvalidNotice, match="Chữ ký"):
        provider.verify_notice(tampered, headers)


def test_reformatted_json_with_the_same_meaning_is_refused():
    # the signature covers the bytes, not the parsed value: re-serialising must not verify
    body = notice_body("MC2611220000000001", 50_000)
    headers = sandbox.signed_headers(body)
    with pytest.raises(InvalidNotice):
        provider.verify_notice(body.replace(b",", b", "), headers)


@pytest.mark.parametrize("header", [{}, {"X-Sandbox-Signature": ""}, {"X-Sandbox-Signature": "md5=abc"}])
def test_missing_or_foreign_signature_is_refused(header):
    with pytest.raises(InvalidNotice):
        provider.verify_notice(notice_body("MC1", 1), header)


def test_signed_with_another_secret_is_refused(settings):
    body = notice_body("MC1", 1000)
    headers = sandbox.signed_headers(body)
    settings.PAYMENT_SANDBOX_SECRET = "another secret"
    with pytest.raises(InvalidNotice):
        provider.verify_notice(body, headers)


def test_a_stale_notice_is_refused():
    with time_machine.travel(timezone.now() - dt.timedelta(hours=2), tick=False):
        body = notice_body("MC1", 1000)
    with pytest.raises(InvalidNotice, match="quá thời gian"):
        provider.verify_notice(body, sandbox.signed_headers(body))


@pytest.mark.parametrize(
    "extra",
    [{"amount": "50000"}, {"amount": True}, {"amount": -5}, {"status": "refunded"}, {"sent_at": "hôm qua"}],
)
def test_well_signed_but_malformed_notices_are_refused(extra):
    payload = json.loads(notice_body("MC1", 50_000))
    body = sandbox.encode({**payload, **extra})
    with pytest.raises(InvalidNotice):
        provider.verify_notice(body, sandbox.signed_headers(body))


def test_checkout_parameters_cannot_be_changed_on_the_way():
    params = sandbox.checkout_params(
        order_id="MC1", amount_vnd=50_000, description="Nộp phí", return_url="http://testserver/back/"
    )
    assert sandbox_bank.read_checkout(params).amount_vnd == 50_000
    for name, value in [("amount", "5000"), ("return_url", "https://evil.example/"), ("order_id", "MC2")]:
        with pytest.raises(sandbox_bank.InvalidCheckout):
            sandbox_bank.read_checkout({**params, name: value})


def test_deploy_check_refuses_the_sandbox(settings):
    from motcua.payments.checks import sandbox_refused

    settings.PAYMENT_PROVIDERS = ["sandbox"]
    assert [e.id for e in sandbox_refused()] == ["motcua.E020"]
    settings.PAYMENT_PROVIDERS = []
    assert sandbox_refused() == []
