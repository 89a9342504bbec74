"""Email through Django's SMTP backend to a real SMTP server on loopback (aiosmtpd)."""

import datetime as dt

import pytest
import time_machine

from motcua.notifications.delivery import deliver_due, deliver_message
from motcua.notifications.models import Message, MessageStatus
from motcua.notifications.services import enqueue
from motcua.notifications.testing import free_port

from .conftest import RECEIVED

pytestmark = pytest.mark.django_db


def email_row(key: str = "mail:1", address: str = "nguyen.an@example.vn") -> Message:
    (message,) = enqueue(template="received", context=RECEIVED, dedupe_key=key, email=address)
    return message


def test_the_email_arrives_over_smtp_in_utf8_with_the_vietnamese_text(
    smtp, immediate_tasks, django_capture_on_commit_callbacks
):
    # when: the caller's transaction commits, the immediate backend runs ``deliver``
    with django_capture_on_commit_callbacks(execute=True):
        message = email_row()
    # then
    assert len(smtp.messages) == 1
    mail = smtp.messages[0]
    assert smtp.envelopes[0] == ("khong-tra-loi@giatan.gov.vn", ["nguyen.an@example.vn"])
    assert mail["Subject"] == "Hồ sơ 000.21.10.H56-240304-0001 đã được tiếp nhận"
    assert mail["From"] == "Một Cửa xã Gia Tân <khong-tra-loi@giatan.gov.vn>"
    assert mail["To"] == "nguyen.an@example.vn"
    assert mail["Message-ID"] == f"<motcua-{message.pk}@giatan.gov.vn>"
    assert mail["Auto-Submitted"] == "auto-generated"
    assert mail.get_content_type() == "text/plain" and mail.get_content_charset() == "utf-8"
    body = mail.get_content()
    assert "Hồ sơ 000.21.10.H56-240304-0001 (thủ tục: Đăng ký khai sinh) đã được tiếp nhận." in body
    assert "Ngày hẹn trả kết quả: 07/03/2024." in body
    message.refresh_from_db()
    assert (message.status, message.attempts, message.last_error) == (MessageStatus.SENT, 1, "")
    assert message.sent_at is not None and message.provider_id == mail["Message-ID"]


def test_an_smtp_4xx_is_retried_with_backoff_then_sent(smtp, settings):
    settings.NOTIFICATIONS_RETRY_BASE_SECONDS = 60
    smtp.answers.append("451 4.3.0 Hệ thống bận, thử lại sau")
    message = email_row()
    # when
    first = deliver_message(message.pk)
    # then
    message.refresh_from_db()
    assert first.status == MessageStatus.RETRYING and message.status == MessageStatus.RETRYING
    assert message.last_error == "smtp:451" and message.attempts == 1
    assert first.retry_at is not None and message.next_attempt_at == first.retry_at
    assert smtp.messages == []
    # not due yet: the cron pass leaves it alone
    assert deliver_due() == []
    with time_machine.travel(first.retry_at + dt.timedelta(seconds=1), tick=True):
        [second] = deliver_due()
    message.refresh_from_db()
    assert second.status == MessageStatus.SENT and message.attempts == 2
    assert len(smtp.messages) == 1


def test_a_refused_recipient_is_a_permanent_failure_without_the_address_in_the_error(smtp):
    smtp.refused.add("khong.ton.tai@example.vn")
    message = email_row(address="khong.ton.tai@example.vn")
    outcome = deliver_message(message.pk)
    message.refresh_from_db()
    assert outcome.status == MessageStatus.FAILED and message.status == MessageStatus.FAILED
    assert message.last_error == "recipient_refused:550"
    assert "example.vn" not in message.last_error
    assert deliver_message(message.pk).status == "skipped"  # a failed row is not retried


def test_a_server_that_does_not_answer_is_transient(settings):
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": free_port(), "timeout": 2},
        }
    }
    message = email_row()
    outcome = deliver_message(message.pk)
    message.refresh_from_db()
    assert outcome.status == MessageStatus.RETRYING
    assert message.last_error.startswith("connection:")
