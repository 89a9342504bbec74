"""``motcua seed-demo``: a realistic demo province (Hải Dương, 2022) with catalog, staff and accounts."""

import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from motcua.accounts.models import User
from motcua.demo.seed import seed_demo
from motcua.demo.staff import DEMO_PASSWORD
from motcua.organizations.models import Membership

SITE_URL = "http://127.0.0.1:8000/"


class Command(BaseCommand):
    help = (
        "Tạo dữ liệu demo tỉnh Hải Dương (đơn vị, thủ tục, cán bộ, tài khoản mẫu). "
        "Chạy lại nhiều lần không tạo bản ghi trùng."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEMO_MODE:
            # Demo accounts share a published password: never create them on a real installation.
            raise CommandError(
                "Lệnh này tạo tài khoản mẫu với mật khẩu công khai, chỉ dùng cho bản trình diễn: "
                "đặt MOTCUA_DEMO=1 (scripts/demo đã đặt sẵn)."
            )
        started = time.monotonic()
        report = seed_demo()
        elapsed = time.monotonic() - started
        officers = User.objects.filter(kind=User.Kind.OFFICER).count()
        write = self.stdout.write
        write(
            self.style.SUCCESS(
                f"Đã tạo dữ liệu demo trong {elapsed:.1f} giây: {report.units} đơn vị, "
                f"{report.procedures} thủ tục, {officers} cán bộ, {Membership.objects.count()} phân công."
            )
        )
        write(f"\nĐịa chỉ: {SITE_URL}")
        write(f"Mật khẩu chung của các tài khoản demo: {DEMO_PASSWORD}\n")
        for account in report.showcase:
            write(self.style.MIGRATE_HEADING(f"{account.username}  ·  {account.role_label}"))
            write(f"  Đơn vị:   {account.unit_name}")
            write(f"  Mật khẩu: {DEMO_PASSWORD}")
            write(f"  Khóa TOTP (base32): {account.totp_secret}")
            write(f"  {account.otpauth_url}")
            write(f"  Lấy mã OTP hiện tại: motcua demo-otp {account.username}")
        applicants = User.objects.filter(kind=User.Kind.APPLICANT).order_by("username")
        write(self.style.MIGRATE_HEADING("\nNgười dân, doanh nghiệp (cổng dịch vụ công, không cần OTP)"))
        for applicant in applicants:
            write(f"  {applicant.username}  ·  {applicant.full_name}  ·  mật khẩu {DEMO_PASSWORD}")
