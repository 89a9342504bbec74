"""Mapping the national identity provider's claims to an applicant account (no HTTP here; the flow
itself is tested end to end in motcua/devidp/tests/test_oidc_end_to_end.py)."""

import datetime as dt

import pytest

from motcua.accounts.oidc import (
    IdentityClaims,
    IdentityRefused,
    NationalIdentityBackend,
    claims_from,
    oidc_enabled,
    sign_in_with_national_identity,
)
from motcua.accounts.tests.factories import PASSWORD, UserFactory

CLAIMS = IdentityClaims(
    subject="sub-1",
    national_id="030185001234",
    full_name="Nguyễn Thị Lan",
    birth_date=dt.date(1985, 3, 12),
    phone="0912345601",
    email="lan@example.vn",
)


def test_claim_names_come_from_the_settings(settings):
    settings.OIDC_CLAIMS = {"national_id": "so_dinh_danh", "name": "ho_ten", "birthdate": "ngay_sinh"}
    claims = claims_from(
        {
            "sub": "abc",
            "so_dinh_danh": "030185001234",
            "ho_ten": " Nguyễn  Thị Lan ",
            "ngay_sinh": "12/03/1985",
            "phone_number": "0912345601",
            "email": None,
        }
    )
    assert claims == IdentityClaims(
        subject="abc",
        national_id="030185001234",
        full_name="Nguyễn Thị Lan",
        birth_date=dt.date(1985, 3, 12),
        phone="0912345601",
        email="",
    )


@pytest.mark.parametrize(
    "userinfo",
    [
        {"sub": "abc"},
        {"sub": "abc", "national_id": ""},
        {"sub": "abc", "national_id": "12345"},
        {"sub": "abc", "national_id": "999185001234"},
        {"national_id": "030185001234"},
    ],
)
def test_an_answer_without_a_valid_national_id_or_subject_is_refused(userinfo):
    with pytest.raises(IdentityRefused):
        claims_from(userinfo)


@pytest.mark.django_db
def test_a_new_person_gets_an_applicant_account():
    user = sign_in_with_national_identity(claims=CLAIMS)
    assert user.kind == "applicant" and user.is_active and not user.has_usable_password()
    assert (user.national_id, user.oidc_subject, user.full_name) == (
        "030185001234",
        "sub-1",
        "Nguyễn Thị Lan",
    )
    assert user.identity_verified_at is not None


@pytest.mark.django_db
def test_a_local_account_is_taken_over_by_the_identity_owner():
    # given someone registered this ID locally with their own phone and a password
    local = UserFactory(national_id="030185001234", phone="0987000111", full_name="Ai đó")
    assert local.check_password(PASSWORD)
    user = sign_in_with_national_identity(claims=CLAIMS)
    assert user.pk == local.pk
    assert not user.has_usable_password()  # the local password stops working
    assert user.phone == "0912345601" and user.full_name == "Nguyễn Thị Lan"


@pytest.mark.django_db
def test_later_sign_ins_keep_the_citizens_own_contacts():
    user = sign_in_with_national_identity(claims=CLAIMS)
    user.phone = "0987000222"
    user.save()
    again = sign_in_with_national_identity(claims=CLAIMS)
    assert again.phone == "0987000222"


@pytest.mark.django_db
@pytest.mark.parametrize("kind", [{"officer": True}, {"is_staff": True}, {"is_superuser": True}])
def test_officers_and_administrators_are_never_matched(kind):
    UserFactory(national_id="030185001234", **kind)
    with pytest.raises(IdentityRefused, match="cán bộ"):
        sign_in_with_national_identity(claims=CLAIMS)


@pytest.mark.django_db
def test_a_different_subject_for_the_same_national_id_is_refused():
    sign_in_with_national_identity(claims=CLAIMS)
    with pytest.raises(IdentityRefused):
        sign_in_with_national_identity(claims=IdentityClaims(subject="sub-2", national_id="030185001234"))
    with pytest.raises(IdentityRefused):
        sign_in_with_national_identity(claims=IdentityClaims(subject="sub-1", national_id="030090004321"))


def test_disabled_until_configured(settings, rf):
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = ""
    assert not oidc_enabled()
    assert NationalIdentityBackend().authenticate(rf.get("/", {"code": "x", "state": "y"})) is None
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = "https://idp.example/authorize"
    settings.OIDC_OP_TOKEN_ENDPOINT = "https://idp.example/token"
    settings.OIDC_OP_USER_ENDPOINT = "https://idp.example/userinfo"
    settings.OIDC_OP_JWKS_ENDPOINT = "https://idp.example/jwks"
    settings.OIDC_RP_CLIENT_ID = "portal"
    settings.OIDC_RP_CLIENT_SECRET = "secret"
    assert oidc_enabled()
    # only the callback URL is ever handled: a password sign-in elsewhere is not touched
    assert NationalIdentityBackend().authenticate(rf.get("/dang-nhap/", {"code": "x", "state": "y"})) is None
