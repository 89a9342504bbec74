import factory
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from motcua.accounts.models import User

PASSWORD = "mat-khau-thu-nghiem-2026"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"nguoidung{n}")
    full_name = factory.Sequence(lambda n: f"Nguyễn Văn {n}")
    kind = User.Kind.APPLICANT
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    class Params:
        officer = factory.Trait(kind=User.Kind.OFFICER)

    @factory.post_generation
    def with_totp(self, create: bool, extracted: bool | None, **kwargs: object) -> None:
        if create and (extracted or (extracted is None and self.kind == User.Kind.OFFICER)):
            TOTPDevice.objects.create(user=self, name="app", confirmed=True)
        if create:
            self.save()


def current_code(user: User) -> str:
    device = TOTPDevice.objects.get(user=user)
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return str(totp.token()).zfill(device.digits)


def wrong_code(user: User) -> str:
    return str((int(current_code(user)) + 500_000) % 1_000_000).zfill(6)
