"""Reminders before an officer's signing certificate expires: one notice per certificate and window
(30 days, then 7 days), through the notifications outbox; a daily run sends nothing twice."""

import datetime as dt

import pytest
import time_machine
from django.core.management import call_command

from motcua.accounts.tests.factories import UserFactory
from motcua.documents.certificates import deactivate_certificate
from motcua.documents.reminders import TEMPLATE, remind_expiring_certificates, windows
from motcua.documents.signing.registry import register_certificate
from motcua.notifications.models import Message, MessageChannel

pytestmark = pytest.mark.django_db

ISSUED = dt.datetime(2026, 1, 1, 1, 0, tzinfo=dt.UTC)  # 08:00 in Vietnam
VALID_DAYS = 60  # valid until 2/3/2026 08:00 local


def certificate_for(pki, officer, *, days=VALID_DAYS):
    issued = pki.ca.issue(officer.full_name, "UBND xã Gia Tân", days=days, not_before=ISSUED)
    return register_certificate(officer, issued.pem, key_ref="khoa-1")


@pytest.fixture
def officer(db):
    return UserFactory(officer=True, full_name="Vũ Quang Huy", email="huy@giatan.gov.vn", with_totp=False)


def on_day(days_after_issue: float):
    return time_machine.travel(ISSUED + dt.timedelta(days=days_after_issue), tick=False)


def test_the_windows():
    assert windows(30) == (30, 7)
    assert windows(7) == (7,)
    assert windows(5) == (5,)


def test_one_reminder_per_window_however_often_the_daily_run_goes(pki, officer, settings):
    # given
    settings.MOTCUA_CERT_EXPIRY_REMINDER_DAYS = 30
    certificate = certificate_for(pki, officer)
    # when / then: 40 days before expiry, nothing
    with on_day(20):
        assert remind_expiring_certificates() == []
    # 30 days before: the first reminder, by email and in the officer's inbox
    with on_day(30):
        (reminder,) = remind_expiring_certificates()
        assert (reminder.window_days, reminder.days_left, reminder.is_new) == (30, 30, True)
        remind_expiring_certificates()  # the same day again
    messages = Message.objects.filter(template=TEMPLATE)
    assert {(m.channel, m.address) for m in messages.all()} == {
        (MessageChannel.EMAIL, "huy@giatan.gov.vn"),
        (MessageChannel.PORTAL, ""),
    }
    email = messages.get(channel=MessageChannel.EMAIL)
    assert certificate.serial in email.body and "02/03/2026" in email.body and "còn 30 ngày" in email.body
    assert "/can-bo/chung-thu-so/" in email.body and "Vũ Quang Huy" not in email.body
    # the days in between: nothing new
    for day in (31, 40, 52):
        with on_day(day):
            assert [r.is_new for r in remind_expiring_certificates()] == [False]
    assert messages.count() == 2
    # 7 days before (and the next days): the last reminder, once
    with on_day(53.5):
        (reminder,) = remind_expiring_certificates()
        assert (reminder.window_days, reminder.days_left, reminder.is_new) == (7, 7, True)
    with on_day(55):
        assert [r.is_new for r in remind_expiring_certificates()] == [False]
    assert messages.count() == 4
    assert set(messages.values_list("dedupe_key", flat=True)) == {
        f"signing-cert-expiry:{certificate.pk}:30",
        f"signing-cert-expiry:{certificate.pk}:7",
    }
    # expired: no more reminders
    with on_day(61):
        assert remind_expiring_certificates() == []


def test_a_withdrawn_certificate_gets_no_reminder(pki, officer, settings):
    admin = UserFactory(officer=True, is_staff=True, with_totp=False)
    certificate = certificate_for(pki, officer)
    deactivate_certificate(certificate_id=certificate.pk, by=admin)
    with on_day(50):
        assert remind_expiring_certificates() == []
    assert not Message.objects.exists()


def test_each_certificate_of_each_officer_is_reminded(pki, officer, settings):
    other = UserFactory(officer=True, full_name="Trần Thị Mai", with_totp=False)  # no email: the inbox only
    certificate_for(pki, officer)
    certificate_for(pki, officer, days=VALID_DAYS + 5)
    certificate_for(pki, other)
    with on_day(45):
        assert len(remind_expiring_certificates()) == 3
    assert Message.objects.filter(user=other, channel=MessageChannel.PORTAL).count() == 1
    assert Message.objects.filter(channel=MessageChannel.EMAIL).count() == 2


def test_the_command_reports_what_it_did(pki, officer, capsys):
    certificate_for(pki, officer)
    with on_day(45):
        call_command("remind-signing-certificates")
        call_command("remind-signing-certificates")
        call_command("remind-signing-certificates", "--days", "10")  # 15 days left: outside
    assert capsys.readouterr().out.splitlines() == [
        "1 chứng thư số sắp hết hiệu lực, 1 lời nhắc mới",
        "1 chứng thư số sắp hết hiệu lực, 0 lời nhắc mới",
        "0 chứng thư số sắp hết hiệu lực, 0 lời nhắc mới",
    ]
