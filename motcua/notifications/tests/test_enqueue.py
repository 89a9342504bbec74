"""The outbox: one row per reachable channel, in the caller's transaction, never doubled."""

import re
from pathlib import Path

import pytest
from django.db import transaction

from motcua.accounts.tests.factories import UserFactory
from motcua.notifications.models import Message, MessageStatus
from motcua.notifications.queries import portal_messages_for
from motcua.notifications.services import enqueue
from motcua.notifications.templates import TEMPLATES, MissingField, UnknownTemplate, render

from .conftest import RECEIVED

pytestmark = pytest.mark.django_db


def test_one_row_per_reachable_channel_and_the_portal_row_is_delivered_by_being_written(
    applicant, django_capture_on_commit_callbacks
):
    # when
    with django_capture_on_commit_callbacks() as callbacks:
        messages = enqueue(
            template="received",
            context=RECEIVED,
            dedupe_key="test:1",
            user=applicant,
            email="an@example.vn",
            phone="0912 000 111",
        )
    # then: no Zalo (not configured), one delivery scheduled after commit
    assert sorted((m.channel, m.status) for m in messages) == [
        ("email", "queued"),
        ("portal", "sent"),
        ("sms", "queued"),
    ]
    assert len(callbacks) == 1
    email = next(m for m in messages if m.channel == "email")
    assert email.subject == "Hồ sơ 000.21.10.H56-240304-0001 đã được tiếp nhận"
    assert "Ngày hẹn trả kết quả: 07/03/2024" in email.body and RECEIVED["url"] in email.body
    sms = next(m for m in messages if m.channel == "sms")
    assert sms.body.startswith("Ho so 000.21.10.H56-240304-0001 da duoc tiep nhan")


def test_zalo_is_used_when_configured_for_the_template(zalo):
    with_zalo = enqueue(template="received", context=RECEIVED, dedupe_key="test:z1", phone="0912000111")
    without = enqueue(
        template="stopped",
        context={k: RECEIVED[k] for k in ("code", "procedure", "url")},
        dedupe_key="test:z2",
        phone="0912000111",
    )
    assert sorted(m.channel for m in with_zalo) == ["sms", "zalo"]
    assert [m.channel for m in without] == ["sms"]


def test_channels_narrows_the_choice(applicant):
    messages = enqueue(
        template="verification_code",
        context={"code": "482913", "minutes": "5"},
        dedupe_key="otp:1",
        user=applicant,
        email="an@example.vn",
        phone="0912000111",
        channels=["sms"],
    )
    assert [m.channel for m in messages] == ["sms"]
    assert "482913" in messages[0].body


def test_the_same_dedupe_key_returns_the_rows_already_written(applicant, django_capture_on_commit_callbacks):
    first = enqueue(
        template="received", context=RECEIVED, dedupe_key="test:2", user=applicant, email="a@b.vn"
    )
    with django_capture_on_commit_callbacks() as callbacks:
        again = enqueue(
            template="received", context=RECEIVED, dedupe_key="test:2", user=applicant, email="a@b.vn"
        )
    assert [m.pk for m in again] == sorted(m.pk for m in first)
    assert Message.objects.filter(dedupe_key="test:2").count() == 2
    assert callbacks == []


def test_the_rows_roll_back_with_the_callers_transaction(applicant, django_capture_on_commit_callbacks):
    class Boom(Exception):
        pass

    with django_capture_on_commit_callbacks() as callbacks, pytest.raises(Boom), transaction.atomic():
        enqueue(template="received", context=RECEIVED, dedupe_key="test:3", user=applicant, email="a@b.vn")
        raise Boom
    assert not Message.objects.filter(dedupe_key="test:3").exists()
    assert callbacks == []  # nothing is sent for an event that never happened


def test_programming_errors_are_refused_before_anything_is_written(applicant):
    with pytest.raises(UnknownTemplate):
        enqueue(template="no_such_notice", context={}, dedupe_key="x:1", user=applicant)
    with pytest.raises(MissingField, match="due_date"):
        enqueue(
            template="received",
            context={k: v for k, v in RECEIVED.items() if k != "due_date"},
            dedupe_key="x:2",
            user=applicant,
        )
    assert not Message.objects.exists()


def test_the_portal_inbox_lists_only_the_users_own_notices_newest_first(applicant):
    other = UserFactory()
    enqueue(template="received", context=RECEIVED, dedupe_key="in:1", user=applicant)
    enqueue(template="result_ready", context=RECEIVED, dedupe_key="in:2", user=applicant, email="a@b.vn")
    enqueue(template="received", context=RECEIVED, dedupe_key="in:3", user=other)
    inbox = list(portal_messages_for(applicant))
    assert [m.template for m in inbox] == ["result_ready", "received"]
    assert {m.status for m in inbox} == {MessageStatus.SENT}


def _templates_used_by_dossier_services() -> set[str]:
    services = Path(__file__).resolve().parents[2] / "dossiers" / "services"
    found: set[str] = set()
    for source in services.glob("*.py"):
        found |= set(re.findall(r"notify\([^)]*?\"([a-z_]+)\"\)", source.read_text()))
    return found


def test_every_template_the_dossier_services_use_has_a_text():
    used = _templates_used_by_dossier_services()
    assert used >= {"received", "supplement_needed", "result_ready", "apology", "early_return"}
    assert used <= set(TEMPLATES)


@pytest.mark.parametrize("key", sorted(TEMPLATES))
def test_every_template_renders_in_vietnamese(key):
    context = {
        name: "7" if name in {"minutes", "amount_vnd"} else f"giá-trị-{name}"
        for name in TEMPLATES[key].fields
    }
    rendered = render(key, context)
    assert rendered.subject and rendered.body and rendered.sms
    assert "%(" not in rendered.subject + rendered.body + rendered.sms
    assert re.search(r"[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]", rendered.body.lower())


def test_only_the_owner_marks_a_portal_notice_read(applicant):
    from motcua.notifications.services import mark_portal_read

    (notice,) = enqueue(template="received", context=RECEIVED, dedupe_key="read:1", user=applicant)
    assert mark_portal_read(user=UserFactory(), message_id=notice.pk) is False
    assert mark_portal_read(user=applicant, message_id=notice.pk) is True
    assert mark_portal_read(user=applicant, message_id=notice.pk) is False  # already read
    notice.refresh_from_db()
    assert notice.read_at is not None
