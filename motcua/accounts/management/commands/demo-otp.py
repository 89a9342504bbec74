"""Print the current TOTP code of a demo account. Refused unless MOTCUA_DEMO is on."""

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice


class Command(BaseCommand):
    help = "In ra mã OTP hiện tại của một tài khoản trình diễn (chỉ khi MOTCUA_DEMO=1)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEMO_MODE:
            raise CommandError("Lệnh này chỉ dùng cho bản trình diễn (MOTCUA_DEMO=1).")
        device = TOTPDevice.objects.filter(user__username=options["username"], confirmed=True).first()
        if device is None:
            raise CommandError(f"Không tìm thấy thiết bị OTP của tài khoản «{options['username']}».")
        totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
        code = str(totp.token()).zfill(device.digits)
        self.stdout.write(code)
