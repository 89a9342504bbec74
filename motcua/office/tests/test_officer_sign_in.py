import time

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.urls import reverse

from motcua.accounts.middleware import LAST_SEEN_KEY
from motcua.accounts.tests.factories import PASSWORD, UserFactory, current_code, wrong_code
from motcua.organizations.models import Level, Membership, Role, Unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def commune():
    return Unit.objects.create(code="000.01.12.H23", name="Phường Trần Hưng Đạo", level=Level.COMMUNE)


@pytest.fixture
def other_commune():
    return Unit.objects.create(code="000.02.12.H23", name="Phường Ngọc Châu", level=Level.COMMUNE)


@pytest.fixture
def receiver(commune):
    user = UserFactory(officer=True, username="tiepnhan")
    Membership.objects.create(user=user, unit=commune, role=Role.RECEIVER)
    return user


def sign_in(client, user, code=None):
    return client.post(
        reverse("office:login"),
        {"username": user.username, "password": PASSWORD, "otp_token": code or current_code(user)},
    )


def test_officer_signs_in_with_password_and_totp_and_lands_on_their_unit(client, receiver, commune):
    # when
    response = sign_in(client, receiver)
    # then: one unit, so straight to the dashboard of that unit
    assert response.status_code == 302
    assert response.url == reverse("office:choose_unit")
    response = client.get(response.url)
    assert response.url == reverse("office:dashboard")
    page = client.get(reverse("office:dashboard")).content.decode()
    assert "Phường Trần Hưng Đạo" in page
    assert "Cán bộ tiếp nhận" in page


def test_wrong_totp_is_refused_with_one_message(client, receiver):
    response = sign_in(client, receiver, code=wrong_code(receiver))
    assert response.status_code == 200
    assert "Tên đăng nhập, mật khẩu hoặc mã xác thực không đúng." in response.content.decode()
    assert client.get(reverse("office:dashboard")).status_code == 302


def test_malformed_totp_names_the_field(client, receiver):
    response = sign_in(client, receiver, code="12ab")
    assert "Mã xác thực phải gồm đúng 6 chữ số." in response.content.decode()


def test_applicant_cannot_sign_in_at_the_office(client):
    applicant = UserFactory()
    response = client.post(
        reverse("office:login"), {"username": applicant.username, "password": PASSWORD, "otp_token": "123456"}
    )
    assert response.status_code == 200
    assert client.get(reverse("office:dashboard")).status_code == 302


def test_repeated_failures_lock_the_account_out_even_with_the_right_code(client, receiver, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(
            reverse("office:login"), {"username": receiver.username, "password": "sai", "otp_token": "000000"}
        )
    response = sign_in(client, receiver)
    assert response.status_code in (403, 429)
    assert "tạm khóa" in response.content.decode()
    assert client.get(reverse("office:dashboard")).status_code == 302


def test_wrong_totp_codes_count_towards_lockout(client, receiver, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, receiver, code=wrong_code(receiver))
    response = sign_in(client, receiver)
    assert response.status_code in (403, 429)


def test_pages_need_sign_in(client):
    response = client.get(reverse("office:dashboard"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("office:login"))


def test_idle_officer_session_expires(client, receiver, settings):
    sign_in(client, receiver)
    client.get(reverse("office:choose_unit"))
    assert client.get(reverse("office:dashboard")).status_code == 200
    # given: the last request was longer ago than the idle limit
    session = client.session
    session[LAST_SEEN_KEY] = int(time.time()) - settings.OFFICER_IDLE_MINUTES * 60 - 5
    session.save()
    # then
    assert client.get(reverse("office:dashboard")).status_code == 302


def test_officer_cannot_choose_a_unit_where_they_hold_no_role(client, receiver, commune, other_commune):
    Membership.objects.create(user=receiver, unit=other_commune, role=Role.SPECIALIST)
    foreign = Unit.objects.create(code="000.03.12.H23", name="Xã Khác", level=Level.COMMUNE)
    sign_in(client, receiver)
    page = client.get(reverse("office:choose_unit"))
    assert page.status_code == 200
    assert "Phường Ngọc Châu" in page.content.decode()
    assert client.post(reverse("office:choose_unit"), {"unit": foreign.pk}).status_code == 404
    assert client.post(reverse("office:choose_unit"), {"unit": other_commune.pk}).status_code == 302


def test_logout_is_post_only(client, receiver):
    sign_in(client, receiver)
    assert client.get(reverse("office:logout")).status_code == 405
    assert client.post(reverse("office:logout")).status_code == 302
    assert client.get(reverse("office:dashboard")).status_code == 302


def test_deploy_check_refuses_demo_mode(settings):
    settings.DEMO_MODE = True
    with pytest.raises(SystemCheckError, match=r"motcua\.E001"):
        call_command("check", "--deploy", "--tag", "security")


def test_demo_otp_command_is_refused_outside_demo(settings, receiver):
    from django.core.management.base import CommandError

    settings.DEMO_MODE = False
    with pytest.raises(CommandError):
        call_command("demo-otp", receiver.username)


def test_django_admin_asks_for_a_totp_code_too(client):
    admin_user = UserFactory(officer=True, username="quantri", is_staff=True, is_superuser=True)
    response = client.post(
        reverse("admin:login"),
        {"username": admin_user.username, "password": PASSWORD, "otp_token": wrong_code(admin_user)},
    )
    assert response.status_code == 200
    assert client.get(reverse("admin:index")).status_code == 302
    client.post(
        reverse("admin:login"),
        {
            "username": admin_user.username,
            "password": PASSWORD,
            "otp_device": admin_user.totpdevice_set.get().persistent_id,
            "otp_token": current_code(admin_user),
        },
    )
    assert client.get(reverse("admin:index")).status_code == 200
