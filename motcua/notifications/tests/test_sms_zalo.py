"""SMS and Zalo ZNS against the local gateway fakes: accepted, transient then sent, permanent."""

import datetime as dt

import pytest
import time_machine

from motcua.notifications.delivery import deliver_due, deliver_message
from motcua.notifications.models import Message, MessageStatus
from motcua.notifications.services import enqueue

from .conftest import RECEIVED

pytestmark = pytest.mark.django_db


def rows(key: str, phone: str = "0912.000.111") -> dict[str, Message]:
    return {m.channel: m for m in enqueue(template="received", context=RECEIVED, dedupe_key=key, phone=phone)}


def retry_later(outcome_retry_at: dt.datetime | None) -> time_machine.travel:
    assert outcome_retry_at is not None
    return time_machine.travel(outcome_retry_at + dt.timedelta(seconds=1), tick=True)


def test_the_sms_reaches_the_gateway_without_diacritics(sms_gateway):
    sms = rows("sms:1")["sms"]
    outcome = deliver_message(sms.pk)
    sms.refresh_from_db()
    assert outcome.status == MessageStatus.SENT and sms.provider_id == "SMS000001"
    [received] = sms_gateway.received
    assert received.phone == "84912000111" and received.request_id == f"motcua-{sms.pk}"
    assert received.text.startswith("Ho so 000.21.10.H56-240304-0001 da duoc tiep nhan, hen tra ket qua")


@pytest.mark.parametrize("mode", ["http_503", "unknown"])
def test_an_sms_transient_failure_is_retried_then_sent(sms_gateway, mode):
    sms_gateway.fail_next(1, mode=mode)
    sms = rows("sms:2")["sms"]
    first = deliver_message(sms.pk)
    sms.refresh_from_db()
    assert first.status == MessageStatus.RETRYING
    assert sms.last_error == ("sms:http_503" if mode == "http_503" else "sms:code_99")
    with retry_later(first.retry_at):
        [second] = deliver_due()
    sms.refresh_from_db()
    assert second.status == MessageStatus.SENT and sms.attempts == 2 and sms.last_error == ""
    assert len(sms_gateway.received) == 1


def test_a_rejected_api_key_is_permanent(sms_gateway, settings):
    settings.NOTIFICATIONS_SMS_API_KEY = "khoa-sai"
    sms = rows("sms:3")["sms"]
    assert deliver_message(sms.pk).status == MessageStatus.FAILED
    sms.refresh_from_db()
    assert sms.status == MessageStatus.FAILED and sms.last_error == "sms:code_101"
    assert sms_gateway.received == []


def test_a_phone_number_that_is_not_a_vietnamese_mobile_fails_without_calling_the_gateway(sms_gateway):
    sms = rows("sms:4", phone="12345")["sms"]
    assert deliver_message(sms.pk).status == MessageStatus.FAILED
    sms.refresh_from_db()
    assert sms.last_error == "invalid_phone" and sms_gateway.requests == 0


def test_after_the_last_attempt_a_transient_failure_becomes_final(sms_gateway, settings):
    settings.NOTIFICATIONS_MAX_ATTEMPTS = 3
    sms_gateway.fail_next(10)
    sms = rows("sms:5")["sms"]
    outcome = deliver_message(sms.pk)
    for _ in range(2):
        with retry_later(outcome.retry_at):
            [outcome] = deliver_due()
    sms.refresh_from_db()
    assert outcome.status == MessageStatus.FAILED
    assert (sms.status, sms.attempts, sms.last_error) == (MessageStatus.FAILED, 3, "sms:http_503")
    assert sms_gateway.requests == 3


def test_the_backoff_doubles_and_is_capped(settings):
    from motcua.notifications.delivery import retry_delay

    settings.NOTIFICATIONS_RETRY_BASE_SECONDS = 60
    settings.NOTIFICATIONS_RETRY_MAX_SECONDS = 600
    assert [retry_delay(n).total_seconds() for n in range(1, 7)] == [60, 120, 240, 480, 600, 600]


def test_zalo_sends_the_approved_template_with_its_fields(sms_gateway, zalo):
    message = rows("zns:1")["zalo"]
    assert deliver_message(message.pk).status == MessageStatus.SENT
    [received] = zalo.received
    assert received.phone == "84912000111" and received.request_id == f"motcua-{message.pk}"
    assert received.data == RECEIVED
    message.refresh_from_db()
    assert message.provider_id == "zns00000001"


def test_zalo_transient_error_then_success(sms_gateway, zalo):
    zalo.fail_next(1, mode="unknown")
    message = rows("zns:2")["zalo"]
    first = deliver_message(message.pk)
    message.refresh_from_db()
    assert first.status == MessageStatus.RETRYING and message.last_error == "zalo:error_-100"
    with retry_later(first.retry_at):
        outcomes = deliver_due()
    assert {o.message_id: o.status for o in outcomes}[message.pk] == MessageStatus.SENT
    assert len(zalo.received) == 1


def test_zalo_user_who_does_not_receive_zns_is_permanent(sms_gateway, zalo):
    message = rows("zns:3", phone="0988000999")["zalo"]
    assert deliver_message(message.pk).status == MessageStatus.FAILED
    message.refresh_from_db()
    assert message.last_error == "zalo:error_-118"


def test_a_wrong_access_token_is_refused_by_the_fake(sms_gateway, zalo, settings):
    message = rows("zns:4")["zalo"]
    settings.NOTIFICATIONS_ZALO_ACCESS_TOKEN = "token-het-han"
    assert deliver_message(message.pk).status == MessageStatus.FAILED
    message.refresh_from_db()
    assert message.last_error == "zalo:error_-124" and zalo.received == []


def test_a_resend_after_a_crash_is_dropped_by_the_gateway(sms_gateway):
    """A worker killed after the gateway accepted but before our commit: the lease ends, the row is
    sent again with the same RequestId, and the gateway answers with the first message id."""
    sms = rows("sms:6")["sms"]
    assert deliver_message(sms.pk).status == MessageStatus.SENT
    Message.objects.filter(pk=sms.pk).update(status=MessageStatus.QUEUED, sent_at=None, provider_id="")
    assert deliver_message(sms.pk).status == MessageStatus.SENT
    sms.refresh_from_db()
    assert sms_gateway.requests == 2 and len(sms_gateway.received) == 1
    assert sms.provider_id == "SMS000001"
