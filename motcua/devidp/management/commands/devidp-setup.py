"""`motcua devidp-setup`: register the portal at the development identity provider and create the demo
citizens in its register (idempotent). Demo only (MOTCUA_DEV_IDP=1)."""

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from motcua.devidp.applications import default_redirect_uris, ensure_portal_client
from motcua.devidp.identities import ensure_identity

# Made-up people: province code 030 (Hải Dương), valid shapes, not real ID numbers.
DEMO_CITIZENS = [
    ("030185001234", "Nguyễn Thị Lan", dt.date(1985, 3, 12), "0912345601", "lan.nguyen@example.vn"),
    ("030090004321", "Trần Văn Minh", dt.date(1990, 7, 2), "0912345602", "minh.tran@example.vn"),
    ("030301007788", "Phạm Thu Hà", dt.date(2001, 11, 20), "0912345603", ""),
]


class Command(BaseCommand):
    help = "Đăng ký Cổng với nhà cung cấp định danh thử nghiệm và tạo công dân mẫu."

    def handle(self, *args: Any, **options: Any) -> None:
        if not getattr(settings, "DEV_IDP", False):
            raise CommandError("MOTCUA_DEV_IDP=1 is required (the development provider is a demo tool).")
        ensure_portal_client(
            client_id=settings.OIDC_RP_CLIENT_ID,
            client_secret=settings.OIDC_RP_CLIENT_SECRET,
            redirect_uris=default_redirect_uris(),
        )
        for national_id, full_name, birth_date, phone, email in DEMO_CITIZENS:
            ensure_identity(
                national_id=national_id, full_name=full_name, birth_date=birth_date, phone=phone, email=email
            )
        self.stdout.write(f"devidp: client {settings.OIDC_RP_CLIENT_ID}, {len(DEMO_CITIZENS)} demo citizens")
