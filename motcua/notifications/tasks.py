"""Background entry points (``django.tasks``; run by ``motcua db_worker`` with django-tasks-db).

``deliver`` takes an id, re-reads the row and is safe to run twice (``delivery.deliver_message``). After
a transient failure it schedules itself for the backoff time when the backend can defer tasks; the
``deliver-notifications`` command (cron) is the safety net for every other case.
"""

import logging

from django.tasks import task, task_backends

from motcua.notifications.delivery import deliver_message

logger = logging.getLogger(__name__)


@task()
def deliver(message_id: int) -> str:
    """Send one outbox row; returns the resulting status (shown in the task result)."""
    outcome = deliver_message(message_id)
    if outcome.retry_at is not None and task_backends[deliver.backend].supports_defer:
        deliver.using(run_after=outcome.retry_at).enqueue(message_id)
    return outcome.status
