"""The delivery worker: a row is sent once, also with two workers; retries are scheduled; the cron
command sends what is due."""

import threading
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from motcua.notifications.delivery import _claim, deliver_message
from motcua.notifications.models import Message, MessageStatus
from motcua.notifications.services import enqueue
from motcua.notifications.tasks import deliver

from .conftest import RECEIVED


def sms_row(key: str) -> Message:
    (message,) = enqueue(template="received", context=RECEIVED, dedupe_key=key, phone="0912000111")
    return message


@pytest.mark.django_db
def test_a_sent_row_is_never_sent_again(sms_gateway):
    message = sms_row("w:1")
    assert deliver_message(message.pk).status == MessageStatus.SENT
    assert deliver_message(message.pk).status == "skipped"
    assert deliver.call(message.pk) == "skipped"
    assert sms_gateway.requests == 1


@pytest.mark.django_db
def test_a_row_claimed_by_one_worker_is_skipped_by_the_others(sms_gateway):
    message = sms_row("w:2")
    claimed = _claim(message.pk)
    assert claimed is not None and claimed.attempts == 1
    assert deliver_message(message.pk).status == "skipped"  # leased to the first worker
    assert sms_gateway.requests == 0


@pytest.mark.django_db(transaction=True)
def test_two_workers_racing_for_the_same_rows_send_each_once(sms_gateway):
    # given
    ids = [sms_row(f"w:race:{n}").pk for n in range(6)]
    results: list[str] = []
    start = threading.Barrier(2)

    def worker() -> None:
        try:
            start.wait()
            results.extend(deliver_message(pk).status for pk in ids)
        finally:
            connection.close()

    # when
    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    # then
    assert sorted(results).count(MessageStatus.SENT) == 6 and results.count("skipped") == 6
    assert sms_gateway.requests == 6 and len(sms_gateway.received) == 6
    assert set(Message.objects.filter(pk__in=ids).values_list("status", "attempts")) == {("sent", 1)}


@pytest.mark.django_db
def test_enqueue_hands_the_rows_to_the_database_queue_after_commit(
    database_tasks, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        message = sms_row("w:3")
    [task] = DBTaskResult.objects.all()
    assert task.task_path == "motcua.notifications.tasks.deliver"
    assert task.args_kwargs == {"args": [message.pk], "kwargs": {}}


@pytest.mark.django_db
def test_a_transient_failure_schedules_the_next_attempt_on_the_database_queue(database_tasks, sms_gateway):
    sms_gateway.fail_next(1)
    message = sms_row("w:4")
    assert deliver.call(message.pk) == MessageStatus.RETRYING
    message.refresh_from_db()
    [task] = DBTaskResult.objects.all()
    assert task.run_after == message.next_attempt_at
    assert task.args_kwargs == {"args": [message.pk], "kwargs": {}}


@pytest.mark.django_db
def test_the_cron_command_sends_the_due_rows(sms_gateway, smtp):
    sms = sms_row("w:5")
    (mail,) = enqueue(template="received", context=RECEIVED, dedupe_key="w:6", email="an@example.vn")
    out = StringIO()
    call_command("deliver-notifications", stdout=out)
    assert "2 thông báo đã xử lý (sent=2)" in out.getvalue()
    assert set(Message.objects.filter(pk__in=[sms.pk, mail.pk]).values_list("status", flat=True)) == {"sent"}
    out = StringIO()
    call_command("deliver-notifications", stdout=out)
    assert out.getvalue().startswith("0 thông báo")


@pytest.mark.django_db
def test_an_operator_sends_failed_rows_again_from_the_admin(admin_client, sms_gateway, settings):
    # given: a row failed with a wrong key, then the operator fixes the key
    settings.NOTIFICATIONS_SMS_API_KEY = "khoa-sai"
    failed, sent = sms_row("w:7"), sms_row("w:8")
    assert deliver_message(failed.pk).status == MessageStatus.FAILED
    settings.NOTIFICATIONS_SMS_API_KEY = "k-123"
    assert deliver_message(sent.pk).status == MessageStatus.SENT
    # when
    response = admin_client.post(
        reverse("admin:notifications_message_changelist"),
        {"action": "send_again", "_selected_action": [failed.pk, sent.pk]},
        follow=True,
    )
    # then: only the failed row is queued again; the cron pass sends it
    assert "Đã xếp 1 thông báo để gửi lại." in response.content.decode()
    failed.refresh_from_db()
    assert (failed.status, failed.attempts, failed.last_error) == (MessageStatus.QUEUED, 0, "")
    call_command("deliver-notifications", stdout=StringIO())
    failed.refresh_from_db()
    assert failed.status == MessageStatus.SENT and sms_gateway.requests == 3
