"""The citizens' account pages: sign-in, registration with a code from the notification outbox,
password reset, officers kept out, representatives."""

import pytest
from django.urls import reverse

from motcua.accounts.models import Representation, User
from motcua.accounts.tests.factories import PASSWORD, UserFactory
from motcua.notifications.models import Message

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "mot-mat-khau-du-dai-2026"


def registration(**overrides):
    return {
        "identifier": "030185001234",
        "full_name": "Nguyễn Thị Lan",
        "phone": "0912345601",
        "email": "lan@example.vn",
        "channel": "email",
        "password": NEW_PASSWORD,
        "password2": NEW_PASSWORD,
        **overrides,
    }


def outbox_code(address):
    message = Message.objects.filter(template="verification_code", address=address).order_by("-id").first()
    assert message is not None, "no verification code in the outbox"
    return message.context["code"]


def test_register_verify_and_use_the_account(client):
    # when a citizen registers
    response = client.post(reverse("portal:register"), registration())
    assert response.status_code == 302 and response.url == reverse("portal:verify")
    user = User.objects.get(national_id="030185001234")
    assert not user.is_active
    # then one email with the code is in the outbox, in the same transaction as the account
    message = Message.objects.get(template="verification_code")
    assert (message.channel, message.address) == ("email", "lan@example.vn")
    assert message.context["code"] in message.body and message.context["minutes"] == "10"
    page = client.get(reverse("portal:verify")).content.decode()
    assert "l***@example.vn" in page and "lan@example.vn" not in page
    # a wrong code is refused next to the field
    wrong = f"{(int(message.context['code']) + 1) % 1_000_000:06d}"
    response = client.post(reverse("portal:verify"), {"code": wrong})
    assert "Mã xác minh không đúng. Còn 4 lần thử." in response.content.decode()
    # the right code activates the account and signs in
    response = client.post(reverse("portal:verify"), {"code": message.context["code"]})
    assert response.url == reverse("portal:account")
    assert client.get(reverse("portal:account")).status_code == 200
    assert User.objects.get(pk=user.pk).is_active


def test_registration_errors_keep_what_was_typed(client):
    response = client.post(
        reverse("portal:register"), registration(phone="0123", password2="khac-han-nhau-2026")
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Hai lần nhập mật khẩu không khớp nhau." in page
    assert 'value="Nguyễn Thị Lan"' in page and 'value="030185001234"' in page
    response = client.post(reverse("portal:register"), registration(phone="0123"))
    assert "Số điện thoại di động phải gồm 10 chữ số" in response.content.decode()
    assert not User.objects.exists() and not Message.objects.exists()


def test_resend_from_the_verify_page_is_throttled(client):
    client.post(reverse("portal:register"), registration(channel="sms"))
    response = client.post(reverse("portal:verify"), {"action": "resend"}, follow=True)
    assert "Vui lòng đợi" in response.content.decode()
    assert Message.objects.filter(channel="sms", address="0912345601").count() == 1


@pytest.mark.parametrize("identifier", ["030185001234", "0912345601", "Lan@Example.vn"])
def test_sign_in_with_national_id_phone_or_email_rotates_the_session(client, identifier):
    UserFactory(national_id="030185001234", phone="0912345601", email="lan@example.vn")
    client.get(reverse("portal:login"))
    client.session.save()
    before = client.session.session_key
    response = client.post(reverse("portal:login"), {"identifier": identifier, "password": PASSWORD})
    assert response.status_code == 302 and response.url == reverse("portal:account")
    assert client.session.session_key != before


def test_sign_in_goes_back_to_a_safe_next_page_only(client):
    UserFactory(national_id="030185001234")
    data = {"identifier": "030185001234", "password": PASSWORD}
    assert client.post(reverse("portal:login") + "?next=/thu-tuc/", data).url == "/thu-tuc/"
    client.logout()
    assert client.post(reverse("portal:login") + "?next=https://evil.example/", data).url == reverse(
        "portal:account"
    )


def test_wrong_password_gives_one_message_and_an_unverified_account_goes_to_verify(client):
    UserFactory(national_id="030185001234")
    response = client.post(
        reverse("portal:login"), {"identifier": "030185001234", "password": "sai-mat-khau-1"}
    )
    assert "Thông tin đăng nhập hoặc mật khẩu không đúng." in response.content.decode()
    client.post(
        reverse("portal:register"), registration(identifier="030090004321", phone="", email="minh@example.vn")
    )
    response = client.post(reverse("portal:login"), {"identifier": "030090004321", "password": NEW_PASSWORD})
    assert response.url == reverse("portal:verify")


def test_officers_cannot_use_the_portal_sign_in(client):
    officer = UserFactory(officer=True, national_id="030185001234", phone="0912345601")
    for identifier in (officer.username, "030185001234", "0912345601"):
        response = client.post(reverse("portal:login"), {"identifier": identifier, "password": PASSWORD})
        assert response.status_code == 200
        assert "_auth_user_id" not in client.session


def test_applicants_cannot_use_the_office_sign_in(client):
    applicant = UserFactory(national_id="030185001234")
    response = client.post(
        reverse("office:login"), {"username": applicant.username, "password": PASSWORD, "otp_token": "123456"}
    )
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_an_officer_session_is_not_a_portal_session(client):
    officer = UserFactory(officer=True)
    client.force_login(officer)
    response = client.get(reverse("portal:account"))
    assert response.status_code == 302 and response.url.startswith(reverse("portal:login"))


def test_lockout_after_repeated_failures(client, settings):
    settings.AXES_FAILURE_LIMIT = 3
    UserFactory(national_id="030185001234")
    for _ in range(3):
        client.post(reverse("portal:login"), {"identifier": "030185001234", "password": "sai-mat-khau-1"})
    response = client.post(reverse("portal:login"), {"identifier": "030185001234", "password": PASSWORD})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_password_reset_by_code(client):
    user = UserFactory(national_id="030185001234", phone="0912345601")
    response = client.post(reverse("portal:password_reset"), {"identifier": "030185001234"})
    assert response.url == reverse("portal:password_reset_confirm")
    code = outbox_code("0912345601")
    response = client.post(
        reverse("portal:password_reset_confirm"),
        {"code": code, "new_password": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.url == reverse("portal:login")
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)


def test_password_reset_for_an_unknown_identifier_looks_the_same(client):
    response = client.post(reverse("portal:password_reset"), {"identifier": "030185001234"}, follow=True)
    assert "Nếu thông tin khớp với một tài khoản" in response.content.decode()
    assert not Message.objects.exists()
    response = client.post(
        reverse("portal:password_reset_confirm"),
        {"code": "123456", "new_password": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 200 and "Mã xác minh" in response.content.decode()


def test_logout_is_post_only(client):
    client.force_login(UserFactory(national_id="030185001234"))
    assert client.get(reverse("portal:logout")).status_code == 405
    assert client.post(reverse("portal:logout")).url == reverse("portal:home")
    assert client.get(reverse("portal:account")).status_code == 302


def test_organisation_names_a_representative_who_then_acts_for_it(client):
    company = UserFactory(tax_code="0100109106", full_name="Công ty TNHH Hoa Sen")
    person = UserFactory(national_id="030185001234", full_name="Nguyễn Thị Lan")
    client.force_login(company)
    response = client.post(
        reverse("portal:representative_add"), {"national_id": "030090004321", "title": "Kế toán"}
    )
    assert response.status_code == 400 and "cần đăng ký trước" in response.content.decode()
    assert (
        client.post(reverse("portal:representative_add"), {"national_id": "030185001234"}).status_code == 302
    )
    representation = Representation.objects.get(organisation=company, representative=person)

    client.force_login(person)
    page = client.get(reverse("portal:account")).content.decode()
    assert "Công ty TNHH Hoa Sen" in page
    client.post(reverse("portal:act_for"), {"organisation": str(company.pk)})
    assert client.session["portal_acting_for"] == company.pk

    # a stranger cannot act for the company, nor revoke its representatives
    stranger = UserFactory(national_id="030090004321")
    client.force_login(stranger)
    assert client.post(reverse("portal:act_for"), {"organisation": str(company.pk)}).status_code == 404
    response = client.post(reverse("portal:representative_revoke", args=[representation.pk]))
    assert response.status_code == 404

    client.force_login(company)
    client.post(reverse("portal:representative_revoke", args=[representation.pk]))
    representation.refresh_from_db()
    assert representation.revoked_at is not None


def test_revoked_representative_loses_the_choice_at_once(client, rf):
    from motcua.portal.accounts.session import acting_for

    company = UserFactory(tax_code="0100109106")
    person = UserFactory(national_id="030185001234")
    client.force_login(person)
    rep = Representation.objects.create(
        organisation=company, representative=person, created_at="2026-01-01T00:00Z"
    )
    client.post(reverse("portal:act_for"), {"organisation": str(company.pk)})
    request = rf.get("/")
    request.user = person
    request.session = client.session
    assert acting_for(request) == company
    rep.revoked_at = "2026-02-01T00:00Z"
    rep.save()
    assert acting_for(request) is None


def test_login_page_offers_the_national_identity_provider_when_configured(client, settings):
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = ""
    assert "Đăng nhập bằng VNeID" not in client.get(reverse("portal:login")).content.decode()
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = "https://idp.example/authorize"
    settings.OIDC_OP_TOKEN_ENDPOINT = "https://idp.example/token"
    settings.OIDC_OP_USER_ENDPOINT = "https://idp.example/userinfo"
    settings.OIDC_OP_JWKS_ENDPOINT = "https://idp.example/jwks"
    settings.OIDC_RP_CLIENT_ID = "portal"
    settings.OIDC_RP_CLIENT_SECRET = "secret"
    assert "Đăng nhập bằng VNeID" in client.get(reverse("portal:login")).content.decode()
    response = client.get(reverse("portal:oidc_login"))
    assert response.status_code == 302 and response.url.startswith("https://idp.example/authorize?")


def test_national_identity_routes_without_configuration_go_back_to_sign_in(client, settings):
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = ""
    for name in ("portal:oidc_login", "portal:oidc_callback"):
        response = client.get(reverse(name), {"code": "x", "state": "y"})
        assert response.status_code == 302 and response.url == reverse("portal:login")


def test_account_and_outbox_row_are_one_transaction(client, monkeypatch):
    def broken_outbox(**kwargs):
        raise RuntimeError("outbox unavailable")

    monkeypatch.setattr("motcua.portal.accounts.views.enqueue", broken_outbox)
    with pytest.raises(RuntimeError):
        client.post(reverse("portal:register"), registration())
    assert not User.objects.exists()
