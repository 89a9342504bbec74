"""Local accounts: registration with a verified phone or email, one-time codes, password reset."""

import datetime as dt
import re

import pytest
import time_machine
from django.utils import timezone

from motcua.accounts import services
from motcua.accounts.models import User, VerificationCode
from motcua.accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "mot-mat-khau-du-dai-2026"
T0 = dt.datetime(2026, 3, 2, 8, 0, tzinfo=dt.UTC)


def register(**overrides):
    data = {
        "identifier": "030185001234",
        "full_name": "Nguyễn  Thị Lan",
        "phone": "+84 912 345 601",
        "email": "",
        "password": PASSWORD,
        "now": T0,
    }
    return services.register_applicant(**{**data, **overrides})


def test_registration_creates_an_inactive_applicant_and_a_hashed_code():
    user, issued = register()
    assert user.kind == User.Kind.APPLICANT and not user.is_active
    assert user.national_id == "030185001234" and user.full_name == "Nguyễn Thị Lan"
    assert user.phone == "0912345601"
    assert re.fullmatch(r"\d{6}", issued.code)
    assert issued.phone == "0912345601" and issued.email is None and issued.minutes == 10
    row = VerificationCode.objects.get(user=user)
    assert issued.code not in row.code_hash and len(row.code_hash) == 64
    assert row.expires_at == T0 + dt.timedelta(minutes=10)
    assert "030185001234" not in user.username  # no personal data in the username


def test_verification_activates_the_account_once():
    user, issued = register()
    verified = services.verify_registration(
        user_id=user.pk, code=issued.code, now=T0 + dt.timedelta(minutes=5)
    )
    assert verified.is_active and verified.contact_verified_at is not None
    with pytest.raises(services.CodeRefused):
        services.verify_registration(user_id=user.pk, code=issued.code, now=T0 + dt.timedelta(minutes=6))


def wrong(code: str) -> str:
    return f"{(int(code) + 1) % 1_000_000:06d}"


def test_wrong_codes_are_counted_and_then_the_code_is_dead():
    user, issued = register()
    for left in (4, 3, 2, 1):
        with pytest.raises(services.CodeRefused, match=f"Còn {left} lần thử"):
            services.verify_registration(user_id=user.pk, code=wrong(issued.code), now=T0)
    with pytest.raises(services.CodeRefused, match="Đã hết số lần thử"):
        services.verify_registration(user_id=user.pk, code=wrong(issued.code), now=T0)
    # the right code no longer helps: five failures were committed
    with pytest.raises(services.CodeRefused, match="quá số lần"):
        services.verify_registration(user_id=user.pk, code=issued.code, now=T0)
    assert VerificationCode.objects.get(user=user).attempts == 5
    assert not User.objects.get(pk=user.pk).is_active


def test_an_expired_code_is_refused():
    user, issued = register()
    with pytest.raises(services.CodeRefused, match="hết hạn"):
        services.verify_registration(user_id=user.pk, code=issued.code, now=T0 + dt.timedelta(minutes=10))
    assert not User.objects.get(pk=user.pk).is_active


def test_resend_is_throttled_and_replaces_the_old_code(monkeypatch):
    codes = iter([111111, 222222])
    monkeypatch.setattr(services.secrets, "randbelow", lambda _n: next(codes))
    user, first = register()
    with pytest.raises(services.TooSoon, match="30 giây"):
        services.resend_code(user_id=user.pk, purpose="register", now=T0 + dt.timedelta(seconds=30))
    second = services.resend_code(user_id=user.pk, purpose="register", now=T0 + dt.timedelta(seconds=61))
    assert (first.code, second.code) == ("111111", "222222")
    assert second.destination == first.destination
    with pytest.raises(services.CodeRefused):
        services.verify_registration(user_id=user.pk, code=first.code, now=T0 + dt.timedelta(seconds=62))
    services.verify_registration(user_id=user.pk, code=second.code, now=T0 + dt.timedelta(seconds=63))


def test_at_most_five_codes_an_hour():
    user, _ = register()
    for minute in range(1, 5):
        services.resend_code(user_id=user.pk, purpose="register", now=T0 + dt.timedelta(minutes=minute))
    with pytest.raises(services.TooSoon, match="quá nhiều mã"):
        services.resend_code(user_id=user.pk, purpose="register", now=T0 + dt.timedelta(minutes=6))
    services.resend_code(user_id=user.pk, purpose="register", now=T0 + dt.timedelta(minutes=62))


def test_an_unverified_registration_can_be_redone_but_a_verified_one_cannot():
    user, issued = register()
    again, _ = register(full_name="Nguyễn Thị Lan B", phone="0987654321", now=T0 + dt.timedelta(minutes=2))
    assert again.pk == user.pk and again.phone == "0987654321"
    with pytest.raises(services.CodeRefused):  # the first code went to the other phone: no longer valid
        services.verify_registration(user_id=user.pk, code=issued.code, now=T0 + dt.timedelta(minutes=3))
    code = services.resend_code(user_id=user.pk, purpose="register", now=T0 + dt.timedelta(minutes=4)).code
    services.verify_registration(user_id=user.pk, code=code, now=T0 + dt.timedelta(minutes=5))
    with pytest.raises(services.AccountRefused) as refused:
        register(now=T0 + dt.timedelta(minutes=8))
    assert refused.value.field == "identifier"


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"identifier": "12345"}, "identifier"),
        ({"identifier": "999185001234"}, "identifier"),
        ({"full_name": "  "}, "full_name"),
        ({"phone": "", "email": ""}, "phone"),
        ({"phone": "0123"}, "phone"),
        ({"phone": "", "email": "khong-phai-email"}, "email"),
        ({"password": "123"}, "password"),
    ],
)
def test_bad_input_names_the_field(overrides, field):
    with pytest.raises(services.AccountRefused) as refused:
        register(**overrides)
    assert refused.value.field == field
    assert refused.value.message
    assert not User.objects.exists()


def test_a_phone_of_another_verified_account_is_refused():
    UserFactory(phone="0912345601", national_id="030090004321")
    with pytest.raises(services.AccountRefused) as refused:
        register()
    assert refused.value.field == "phone"


def test_an_officer_national_id_cannot_be_registered():
    UserFactory(officer=True, national_id="030185001234")
    with pytest.raises(services.AccountRefused):
        register()


def test_organisation_registers_with_its_tax_code_and_email():
    user, issued = register(
        identifier="0100109106", full_name="Công ty TNHH Hoa Sen", phone="", email="KeToan@HoaSen.vn"
    )
    assert user.tax_code == "0100109106" and user.national_id is None and user.is_organisation
    assert issued.email == "ketoan@hoasen.vn" and issued.phone is None


def test_find_applicant_by_each_identifier_but_never_an_officer():
    citizen = UserFactory(national_id="030185001234", phone="0912345601", email="lan@example.vn")
    company = UserFactory(tax_code="0100109106")
    officer = UserFactory(officer=True, national_id="030090004321", phone="0912000000")
    assert services.find_applicant("030185001234") == citizen
    assert services.find_applicant("+84912345601") == citizen
    assert services.find_applicant("LAN@example.vn") == citizen
    assert services.find_applicant("0100109106") == company
    assert services.find_applicant("030090004321") is None
    assert services.find_applicant("0912000000") is None
    assert services.find_applicant(officer.username) is None


def test_password_reset_by_code():
    user = UserFactory(national_id="030185001234", phone="0912345601")
    found = services.request_password_reset(identifier="0912345601", now=T0)
    assert found is not None and found[0] == user and found[1].phone == "0912345601"
    with pytest.raises(services.AccountRefused):
        services.reset_password(user_id=user.pk, code=found[1].code, new_password="abc", now=T0)
    with pytest.raises(services.CodeRefused):
        services.reset_password(user_id=user.pk, code=wrong(found[1].code), new_password=PASSWORD, now=T0)
    services.reset_password(user_id=user.pk, code=found[1].code, new_password=PASSWORD, now=T0)
    assert User.objects.get(pk=user.pk).check_password(PASSWORD)


def test_no_reset_code_for_unknown_or_unverified_accounts():
    assert services.request_password_reset(identifier="030185001234") is None
    register()
    assert services.request_password_reset(identifier="030185001234") is None


def test_codes_use_the_clock_by_default():
    with time_machine.travel(T0, tick=False):
        user, issued = register(now=None)
        assert VerificationCode.objects.get(user=user).created_at == timezone.now()
        services.verify_registration(user_id=user.pk, code=issued.code)


def test_an_unfinished_registration_does_not_block_sign_in_by_phone():
    register(identifier="030090004321")  # pending, phone 0912345601
    citizen = UserFactory(national_id="030185001234", phone="0912345601")
    assert services.find_applicant("0912345601") == citizen


def test_verification_refused_when_another_account_took_the_phone_meanwhile():
    pending, issued = register(identifier="030090004321")
    UserFactory(national_id="030185001234", phone="0912345601")
    with pytest.raises(services.CodeRefused, match="vừa được dùng"):
        services.verify_registration(user_id=pending.pk, code=issued.code, now=T0)
    assert not User.objects.get(pk=pending.pk).is_active
