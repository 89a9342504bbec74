"""The applicant is told: a dossier received at the counter with an email address produces an email
delivered over SMTP (a real aiosmtpd server on loopback), plus SMS and portal rows in the outbox."""

import pytest
from django.db import transaction

from motcua.dossiers import services
from motcua.dossiers.services import ApplicantInput
from motcua.notifications.models import Message, MessageStatus
from motcua.notifications.testing import mailer_settings, smtp_sink


@pytest.mark.django_db
def test_a_dossier_received_at_the_counter_with_an_email_produces_a_delivered_email(
    clock, receiver, procedure, units, papers, settings, django_capture_on_commit_callbacks
):
    # given
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    settings.MOTCUA_PUBLIC_URL = "https://dichvucong.haiduong.gov.vn"
    person = ApplicantInput(
        name="Nguyễn Văn An",
        id_number="030090000123",
        address="Thôn Đông, xã Gia Tân",
        phone="0912000111",
        email="nguyen.an@example.vn",
    )
    with smtp_sink() as sink:
        settings.MAILERS = mailer_settings(sink)
        # when
        with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
            dossier = services.receive_at_counter(
                by=receiver,
                procedure=procedure,
                receiving_unit=units.commune,
                applicant=person,
                components=papers,
            )
    # then
    [mail] = sink.messages
    assert mail["To"] == "nguyen.an@example.vn"
    assert mail["Subject"] == f"Hồ sơ {dossier.code} đã được tiếp nhận"
    body = mail.get_content()
    assert "(thủ tục: Đăng ký khai sinh)" in body and "Ngày hẹn trả kết quả: 07/03/2024." in body
    assert f"https://dichvucong.haiduong.gov.vn/tra-cuu/?ma={dossier.code}" in body
    assert "030090000123" not in body and "Thôn Đông" not in body  # no personal data in the text
    rows = {m.channel: m for m in Message.objects.filter(context__code=dossier.code)}
    assert rows["email"].status == MessageStatus.SENT
    # no SMS gateway is configured in this test: the notice is kept, marked failed with the reason
    assert (rows["sms"].status, rows["sms"].last_error) == (MessageStatus.FAILED, "sms:not_configured")
