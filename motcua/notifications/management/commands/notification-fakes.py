"""``motcua notification-fakes``: run the local SMS gateway and Zalo ZNS fakes for a demo.

Point the settings at them (printed on start) and every accepted message is echoed on the console with
the last three digits of the phone number only. Never for production: it is a fake of external systems.
"""

import time
from argparse import ArgumentParser
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from motcua.notifications.fakes import FakeSmsGateway, FakeZaloZns
from motcua.notifications.templates import TEMPLATES


class Command(BaseCommand):
    help = "Chạy cổng SMS và Zalo ZNS giả lập trên máy (chỉ để trình diễn và kiểm thử)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--sms-port", type=int, default=8025)
        parser.add_argument("--zalo-port", type=int, default=8026)

    def handle(self, *args: Any, **options: Any) -> None:
        sms = FakeSmsGateway(
            api_key=settings.NOTIFICATIONS_SMS_API_KEY or "fake-sms-key",
            secret_key=settings.NOTIFICATIONS_SMS_SECRET_KEY or "fake-sms-secret",
            brandname=settings.NOTIFICATIONS_SMS_BRANDNAME,
            host=options["host"],
            port=options["sms_port"],
            echo=True,
        ).start()
        templates = {f"{n:06d}": TEMPLATES[key].fields for n, key in enumerate(sorted(TEMPLATES), start=1)}
        zalo = FakeZaloZns(
            access_token=settings.NOTIFICATIONS_ZALO_ACCESS_TOKEN or "fake-zalo-token",
            templates=templates,
            host=options["host"],
            port=options["zalo_port"],
            echo=True,
        ).start()
        mapping = ",".join(f"{key}={n:06d}" for n, key in enumerate(sorted(TEMPLATES), start=1))
        self.stdout.write("Cổng giả lập đang chạy. Đặt các biến môi trường sau rồi khởi động lại ứng dụng:")
        self.stdout.write(f"  MOTCUA_SMS_URL={sms.url}")
        self.stdout.write(f"  MOTCUA_SMS_API_KEY={sms.api_key} MOTCUA_SMS_SECRET_KEY={sms.secret_key}")
        self.stdout.write(f"  MOTCUA_ZALO_URL={zalo.url} MOTCUA_ZALO_ACCESS_TOKEN={zalo.access_token}")
        self.stdout.write(f"  MOTCUA_ZALO_TEMPLATES={mapping}")
        self.stdout.flush()
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            sms.stop()
            zalo.stop()
