"""``motcua seed-demo``: a realistic demo province (Hải Dương, 2022) with catalog, staff and accounts."""

import io
import time
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from motcua.accounts.models import User
from motcua.core.errors import DomainError
from motcua.demo.dossiers import DEFAULT_SEED, Report, generate_dossiers
from motcua.demo.seed import seed_demo
from motcua.demo.signing import seed_signing_keys
from motcua.demo.staff import DEMO_PASSWORD
from motcua.dossiers.models import Dossier
from motcua.organizations.models import Membership

SITE_URL = "http://127.0.0.1:8000/"


class Command(BaseCommand):
    help = (
        "Tạo dữ liệu demo tỉnh Hải Dương (đơn vị, thủ tục, cán bộ, tài khoản mẫu). "
        "Chạy lại nhiều lần không tạo bản ghi trùng."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dossiers", type=int, default=0, metavar="N", help="tạo thêm N hồ sơ mẫu với lịch sử xử lý"
        )
        parser.add_argument(
            "--seed", type=int, default=DEFAULT_SEED, help="hạt giống ngẫu nhiên (mặc định cố định)"
        )
        parser.add_argument("--append", action="store_true", help="cho phép thêm hồ sơ khi đã có hồ sơ")
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="chỉ tạo hồ sơ mẫu khi chưa có hồ sơ nào (scripts/demo chạy lại không báo lỗi)",
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
        keys = seed_signing_keys([account.username for account in report.showcase])
        if keys:
            write(
                f"\nĐã cấp {keys} chứng thư số trình diễn (khoá ký trong {settings.MOTCUA_SIGNING_KEYS_DIR})."
            )
        if options["if_empty"] and Dossier.objects.exists():
            self.stdout.write("Đã có hồ sơ: không tạo thêm hồ sơ mẫu.")
        elif options["dossiers"] > 0:
            self._dossiers(options["dossiers"], seed=options["seed"], append=options["append"])

    def _dossiers(self, n: int, *, seed: int, append: bool) -> None:
        def progress(report: Report) -> None:
            self.stderr.write(f"  … {report.dossiers:,} hồ sơ, {report.events:,} sự kiện")

        try:
            report = generate_dossiers(n, seed=seed, append=append, progress=progress)
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        rate = report.dossiers / report.seconds if report.seconds else 0.0
        self.stdout.write(
            self.style.SUCCESS(
                f"Đã tạo {report.dossiers:,} hồ sơ ({report.components:,} thành phần, {report.steps:,} bước, "
                f"{report.events:,} sự kiện) trong {report.seconds:.1f} giây ({rate:,.0f} hồ sơ/giây)."
            )
        )
        # The generator writes rows directly (COPY), not through the services that keep the live
        # indicator counters: rebuild them once from the dossiers and events (``motcua recount``).
        started = time.monotonic()
        call_command("recount", stdout=io.StringIO())
        self.stdout.write(f"Đã tính lại bộ đếm chỉ số trong {time.monotonic() - started:.1f} giây.")
