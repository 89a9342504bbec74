"""Demo people: officers for every role in every unit, showcase accounts, applicants.

Thousands of officers: the demo password is hashed once and the hash shared (PBKDF2 per user would
take minutes). Non-showcase officers share one TOTP key; showcase accounts have their own, printed
by the command so a presenter can add it to an authenticator app.
"""

import datetime as dt
import random
from base64 import b32encode
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.hashers import make_password
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

from motcua.accounts.identity import national_id_problem, tax_code_problem
from motcua.accounts.models import User
from motcua.demo.datafiles import DemoDataError, load_json
from motcua.demo.province import PROVINCE_CODE, PROVINCE_OFFICE_CODE, SERVICE_CENTRE_CODE
from motcua.organizations.models import Level, Membership, Role, Unit

DEMO_PASSWORD = "demo-motcua-2026"  # noqa: S105 - the published password of demo accounts only
ADMIN_USERNAME = "admin"
SHOWCASE_DEVICE = "demo"
SHARED_DEVICE = "demo-shared"
# Start of the 2021–2026 term of People's Councils and Committees.
MEMBERSHIP_FROM = dt.date(2021, 7, 1)

USERNAME_PREFIX: dict[str, str] = {
    Role.RECEIVER: "tiepnhan",
    Role.SPECIALIST: "chuyenvien",
    Role.LEADER: "lanhdao",
    Role.JUSTICE_OFFICER: "tuphap",
    Role.UNIT_ADMIN: "quantri",
    Role.OVERSIGHT: "giamsat",
}


@dataclass(frozen=True)
class Post:
    """One officer to exist: username, unit, role, job title."""

    username: str
    unit: Unit
    role: str
    title: str


@dataclass(frozen=True)
class ShowcaseAccount:
    username: str
    role_label: str
    unit_name: str
    totp_secret: str  # base32, as authenticator apps expect it
    otpauth_url: str


def unit_kind(unit: Unit, by_pk: dict[int, Unit]) -> str:
    """Which staffing table of ``staffing.json`` applies to the unit."""
    if unit.code == PROVINCE_CODE:
        return "province"
    if unit.code == PROVINCE_OFFICE_CODE:
        return "province_office"
    if unit.code == SERVICE_CENTRE_CODE:
        return "service_centre"
    if unit.level in {Level.DISTRICT, Level.COMMUNE}:
        return str(unit.level)
    parent = by_pk[unit.parent_id] if unit.parent_id else None
    if parent is not None and parent.level == Level.DISTRICT:
        z = unit.code.split(".")[1]
        return {"01": "district_office_vp", "03": "district_office_justice"}.get(z, "district_office")
    if parent is not None and parent.level == Level.PROVINCE:
        return "department"
    return "department_unit"


def posts(units: dict[str, Unit]) -> list[Post]:
    staffing = load_json("staffing.json")
    by_pk = {u.pk: u for u in units.values()}
    found = []
    for code, unit in sorted(units.items()):
        for role, count, titles in staffing[unit_kind(unit, by_pk)]:
            for i in range(1, count + 1):
                username = f"{USERNAME_PREFIX[role]}{i}.{code}"
                found.append(Post(username, unit, role, titles[(i - 1) % len(titles)]))
    return found


def person_name(seed: str) -> tuple[str, str]:
    """A deterministic Vietnamese full name for ``seed``: (family + middle name, given name)."""
    names = load_json("names.json")
    rng = random.Random(seed)  # noqa: S311 - demo names, not secrets
    sex = rng.choice(("male", "female"))
    return (
        f"{rng.choice(names['surnames'])} {rng.choice(names['middle_' + sex])}",
        rng.choice(names["given_" + sex]),
    )


def _new_user(username: str, password_hash: str, full_name: str, kind: str, **extra: Any) -> User:
    last, _, first = full_name.rpartition(" ")
    return User(
        username=username,
        password=password_hash,
        full_name=full_name,
        first_name=first,
        last_name=last,
        kind=kind,
        **extra,
    )


def seed_staff(units: dict[str, Unit]) -> list[ShowcaseAccount]:
    """Create missing officers, memberships and TOTP devices, the admin, the showcase accounts and
    the applicants. Existing accounts are left as they are (their password may have been changed)."""
    password_hash = make_password(DEMO_PASSWORD)
    wanted = posts(units)
    showcase_spec = load_json("showcase.json")
    existing = set(
        User.objects.filter(username__in=[p.username for p in wanted]).values_list("username", flat=True)
    )
    new_users = []
    for post in wanted:
        if post.username not in existing:
            family, given = person_name(post.username)
            new_users.append(_new_user(post.username, password_hash, f"{family} {given}", User.Kind.OFFICER))
    showcase_existing = set(
        User.objects.filter(username__in=[a["username"] for a in showcase_spec["accounts"]]).values_list(
            "username", flat=True
        )
    )
    new_users.extend(
        _new_user(a["username"], password_hash, a["full_name"], User.Kind.OFFICER)
        for a in showcase_spec["accounts"]
        if a["username"] not in showcase_existing
    )
    User.objects.bulk_create(new_users, batch_size=500)

    user_ids = dict(
        User.objects.filter(
            username__in=[p.username for p in wanted] + [a["username"] for a in showcase_spec["accounts"]]
        ).values_list("username", "pk")
    )
    all_posts = wanted + [
        Post(a["username"], units[a["unit"]], a["role"], a["title"]) for a in showcase_spec["accounts"]
    ]
    _seed_memberships(all_posts, user_ids)
    admin = _seed_admin(password_hash)
    _seed_applicants(showcase_spec, password_hash)
    showcase_ids = [user_ids[a["username"]] for a in showcase_spec["accounts"]] + [admin.pk]
    _seed_devices(officer_ids=[user_ids[p.username] for p in wanted], showcase_ids=showcase_ids)
    return _showcase_accounts(showcase_spec, units)


def _seed_memberships(all_posts: list[Post], user_ids: dict[str, int]) -> None:
    existing = set(Membership.objects.values_list("user_id", "unit_id", "role"))
    Membership.objects.bulk_create(
        (
            Membership(
                user_id=user_ids[p.username],
                unit=p.unit,
                role=p.role,
                title=p.title,
                valid_from=MEMBERSHIP_FROM,
            )
            for p in all_posts
            if (user_ids[p.username], p.unit.pk, p.role) not in existing
        ),
        batch_size=500,
    )


def _seed_admin(password_hash: str) -> User:
    admin = User.objects.filter(username=ADMIN_USERNAME).first()
    if admin is None:
        admin = _new_user(
            ADMIN_USERNAME,
            password_hash,
            "Quản trị hệ thống",
            User.Kind.OFFICER,
            is_staff=True,
            is_superuser=True,
        )
        admin.save()
    return admin


def _seed_applicants(spec: dict[str, Any], password_hash: str) -> None:
    for person in spec["applicants"]:
        if problem := national_id_problem(person["national_id"]):
            raise DemoDataError(f"showcase.json: {person['national_id']}: {problem}")
    for business in spec["businesses"]:
        if problem := tax_code_problem(business["tax_code"]):
            raise DemoDataError(f"showcase.json: {business['tax_code']}: {problem}")
    existing = set(
        User.objects.filter(
            username__in=[a["username"] for a in spec["applicants"] + spec["businesses"]]
        ).values_list("username", flat=True)
    )
    User.objects.bulk_create(
        [
            _new_user(
                a["username"],
                password_hash,
                a["full_name"],
                User.Kind.APPLICANT,
                national_id=a.get("national_id"),
                tax_code=a.get("tax_code"),
                phone=a["phone"],
                # a demo local account whose phone counts as verified (portal sign-in by password)
                contact_verified_at=timezone.now(),
            )
            for a in spec["applicants"] + spec["businesses"]
            if a["username"] not in existing
        ]
    )


def _seed_devices(*, officer_ids: list[int], showcase_ids: list[int]) -> None:
    """One confirmed TOTP device per officer: showcase accounts their own key, the others one shared key."""
    with_device = set(TOTPDevice.objects.values_list("user_id", flat=True))
    shared = TOTPDevice.objects.filter(name=SHARED_DEVICE).values_list("key", flat=True).first()
    shared_key = str(shared or random_hex(20))
    devices = [
        TOTPDevice(user_id=uid, name=SHARED_DEVICE, key=shared_key, confirmed=True)
        for uid in officer_ids
        if uid not in with_device
    ]
    devices += [
        TOTPDevice(user_id=uid, name=SHOWCASE_DEVICE, key=str(random_hex(20)), confirmed=True)
        for uid in showcase_ids
        if uid not in with_device
    ]
    TOTPDevice.objects.bulk_create(devices, batch_size=500)


def _showcase_accounts(spec: dict[str, Any], units: dict[str, Unit]) -> list[ShowcaseAccount]:
    rows = [(a["username"], str(Role(a["role"]).label), units[a["unit"]].name) for a in spec["accounts"]]
    rows.append((ADMIN_USERNAME, "Quản trị hệ thống (superuser)", "—"))
    devices = {
        d.user.username: d
        for d in TOTPDevice.objects.select_related("user").filter(
            user__username__in=[r[0] for r in rows], confirmed=True
        )
    }
    return [
        ShowcaseAccount(
            username,
            str(label),
            unit_name,
            b32encode(devices[username].bin_key).decode(),
            str(devices[username].config_url),
        )
        for username, label, unit_name in rows
    ]
