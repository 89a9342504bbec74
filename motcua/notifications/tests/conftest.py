"""Loopback servers for the notification tests: a real SMTP server (aiosmtpd) and the SMS / Zalo fakes."""

from collections.abc import Iterator

import pytest

from motcua.accounts.models import User
from motcua.accounts.tests.factories import UserFactory
from motcua.notifications.fakes import FakeSmsGateway, FakeZaloZns
from motcua.notifications.templates import TEMPLATES
from motcua.notifications.testing import SmtpSink, mailer_settings, smtp_sink

ZNS_IDS = {"received": "700001", "result_ready": "700002", "verification_code": "700003"}


@pytest.fixture
def smtp(settings) -> Iterator[SmtpSink]:  # type: ignore[no-untyped-def]
    with smtp_sink() as sink:
        settings.MAILERS = mailer_settings(sink)
        settings.DEFAULT_FROM_EMAIL = "Một Cửa xã Gia Tân <khong-tra-loi@giatan.gov.vn>"
        yield sink


@pytest.fixture
def sms_gateway(settings) -> Iterator[FakeSmsGateway]:  # type: ignore[no-untyped-def]
    gateway = FakeSmsGateway(api_key="k-123", secret_key="s-456", brandname="UBND-GIATAN").start()
    settings.NOTIFICATIONS_SMS_URL = gateway.url
    settings.NOTIFICATIONS_SMS_API_KEY = "k-123"
    settings.NOTIFICATIONS_SMS_SECRET_KEY = "s-456"
    settings.NOTIFICATIONS_SMS_BRANDNAME = "UBND-GIATAN"
    yield gateway
    gateway.stop()


@pytest.fixture
def zalo(settings) -> Iterator[FakeZaloZns]:  # type: ignore[no-untyped-def]
    gateway = FakeZaloZns(
        access_token="zalo-oa-token",
        templates={zns_id: TEMPLATES[key].fields for key, zns_id in ZNS_IDS.items()},
        unreachable=frozenset({"84988000999"}),
    ).start()
    settings.NOTIFICATIONS_ZALO_URL = gateway.url
    settings.NOTIFICATIONS_ZALO_ACCESS_TOKEN = "zalo-oa-token"
    settings.NOTIFICATIONS_ZALO_TEMPLATES = dict(ZNS_IDS)
    yield gateway
    gateway.stop()


@pytest.fixture
def immediate_tasks(settings) -> None:  # type: ignore[no-untyped-def]
    """Run ``deliver`` right after commit, in this process."""
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def database_tasks(settings) -> None:  # type: ignore[no-untyped-def]
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def applicant(db: None) -> User:
    return UserFactory(full_name="Nguyễn Văn An")


RECEIVED = {
    "code": "000.21.10.H56-240304-0001",
    "procedure": "Đăng ký khai sinh",
    "due_date": "07/03/2024",
    "url": "https://dichvucong.example.gov.vn/tra-cuu/?ma=000.21.10.H56-240304-0001",
}
