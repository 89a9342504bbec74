"""Citizen accounts: local registration with a verified phone or email, one-time codes, password reset,
and finding the applicant behind what a citizen types at the portal's sign-in form.

An applicant account is tied to a national ID number (a person) or a tax code (an organisation), which
makes it the applicant's *own* account (tài khoản chính chủ, NĐ 42/2022/NĐ-CP Điều 11; QĐ 766/QĐ-TTg
rewards dossiers filed from one). Where the national identity provider (VNeID, NĐ 59/2022/NĐ-CP) is not
available a citizen may register locally; the account is usable only after a 6-digit code sent to the
phone or the email address has been typed back.

Codes are stored as a keyed hash, expire after ``VERIFICATION_CODE_MINUTES``, allow
``VERIFICATION_MAX_ATTEMPTS`` wrong tries, are used once, and cannot be re-sent more often than every
``VERIFICATION_RESEND_SECONDS`` nor more than ``VERIFICATION_MAX_PER_HOUR`` times an hour (QUALITY.md,
security items 5 and 11). The code itself is returned to the caller, which hands it to the
notification outbox in the same transaction (accounts sits below notifications in the layers).

A failed code attempt is counted even though the service then raises: the counter is committed in its
own transaction before the error leaves the service.
"""

import datetime as dt
import re
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _

from motcua.accounts.identity import applicant_id_problem
from motcua.accounts.models import User, VerificationCode
from motcua.core.errors import DomainError

_HASH_SALT = "motcua.accounts.verification-code"
_PHONE_RE = re.compile(r"^0[35789]\d{8}$")
_EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class AccountRefused(DomainError):
    """The account change is refused; ``field`` names the form field the message belongs to ("" = form)."""

    def __init__(self, message: str, field: str = "") -> None:
        super().__init__(message)
        self.field = field


class CodeRefused(DomainError):
    """The one-time code is wrong, expired, used up or missing."""


class TooSoon(DomainError):
    """A new code was asked for before the resend interval or past the hourly limit."""


@dataclass(frozen=True)
class IssuedCode:
    """A code to deliver: the caller puts it in the notification outbox (template ``verification_code``)."""

    code: str
    minutes: int
    channel: str
    destination: str
    dedupe_key: str

    @property
    def email(self) -> str | None:
        return self.destination if self.channel == VerificationCode.Channel.EMAIL else None

    @property
    def phone(self) -> str | None:
        return self.destination if self.channel == VerificationCode.Channel.SMS else None


def _setting(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def code_minutes() -> int:
    return _setting("VERIFICATION_CODE_MINUTES", 10)


# --- Input rules ------------------------------------------------------------------------------------


def normalise_phone(value: str) -> str:
    """A Vietnamese mobile number as 10 digits starting with 0 (``+84 912 345 678`` → ``0912345678``)."""
    digits = re.sub(r"[\s.\-()]", "", value.strip())
    if digits.startswith("+84"):
        digits = "0" + digits[3:]
    elif digits.startswith("84") and len(digits) == 11:
        digits = "0" + digits[2:]
    return digits


def phone_problem(value: str) -> str | None:
    if not _PHONE_RE.fullmatch(normalise_phone(value)):
        return _("Số điện thoại di động phải gồm 10 chữ số, bắt đầu bằng 03, 05, 07, 08 hoặc 09.")
    return None


def email_problem(value: str) -> str | None:
    if len(value) > 254 or not _EMAIL_RE.fullmatch(value.strip()):
        return _("Địa chỉ thư điện tử không đúng dạng (ví dụ: ten@example.vn).")
    return None


def _applicants() -> QuerySet[User]:
    """Accounts that may use the portal: applicants, never officers or administrators."""
    return User.objects.filter(kind=User.Kind.APPLICANT, is_staff=False, is_superuser=False)


def find_applicant(identifier: str) -> User | None:
    """The applicant account a citizen means by a national ID, a tax code, a phone number or an email.

    Only applicants are looked at (an officer's username or ID finds nothing here), and a phone or an
    email shared by several usable accounts finds none, so a sign-in never lands in someone else's
    account.
    """
    value = identifier.strip()
    if not value:
        return None
    if value.isdigit() and len(value) == 12:
        condition = Q(national_id=value)
    elif "@" in value:
        condition = Q(email__iexact=value)
    elif re.fullmatch(r"\d{10}-\d{3}", value):
        condition = Q(tax_code=value)
    elif value.isdigit() and len(value) == 10:
        # Tax codes may start with 0 like mobile numbers (0100109106): both are looked at.
        condition = Q(tax_code=value) | Q(phone=value)
    else:
        condition = Q(phone=normalise_phone(value))
    found = list(_applicants().filter(condition)[:5])
    # A usable account wins over unfinished registrations that typed the same phone or email.
    active = [user for user in found if user.is_active]
    if len(active) == 1:
        return active[0]
    return found[0] if len(found) == 1 else None


def is_pending(user: User) -> bool:
    """Registered locally and not yet verified: nobody has proved anything about this account."""
    return (
        not user.is_active
        and user.contact_verified_at is None
        and user.identity_verified_at is None
        and user.last_login is None
    )


# --- Codes --------------------------------------------------------------------------------------------


def _hash(user_id: int, purpose: str, code: str) -> str:
    return salted_hmac(_HASH_SALT, f"{user_id}:{purpose}:{code}", algorithm="sha256").hexdigest()


def _issue_code(*, user: User, purpose: str, channel: str, destination: str, now: dt.datetime) -> IssuedCode:
    """Issue a new code (the older ones of the same purpose stop counting). Caller holds the user lock."""
    recent = VerificationCode.objects.filter(
        user=user, purpose=purpose, created_at__gt=now - dt.timedelta(hours=1)
    ).order_by("-created_at")
    last = recent.first()
    resend = _setting("VERIFICATION_RESEND_SECONDS", 60)
    if last is not None and (now - last.created_at).total_seconds() < resend:
        wait = resend - int((now - last.created_at).total_seconds())
        raise TooSoon(_("Vui lòng đợi %(seconds)d giây rồi yêu cầu gửi lại mã.") % {"seconds": max(wait, 1)})
    if recent.count() >= _setting("VERIFICATION_MAX_PER_HOUR", 5):
        raise TooSoon(_("Đã gửi quá nhiều mã trong một giờ. Vui lòng thử lại sau."))
    VerificationCode.objects.filter(user=user, purpose=purpose, used_at__isnull=True).update(used_at=now)
    code = f"{secrets.randbelow(10**6):06d}"
    minutes = code_minutes()
    row = VerificationCode.objects.create(
        user=user,
        purpose=purpose,
        channel=channel,
        destination=destination,
        code_hash=_hash(user.pk, purpose, code),
        created_at=now,
        expires_at=now + dt.timedelta(minutes=minutes),
    )
    return IssuedCode(
        code=code,
        minutes=minutes,
        channel=channel,
        destination=destination,
        dedupe_key=f"verification-code:{row.pk}",
    )


def _check_code(*, user_id: int, purpose: str, code: str, now: dt.datetime) -> str | None:
    """Consume ``code`` if it is the live one; otherwise count the attempt and say why it failed."""
    row = (
        VerificationCode.objects.select_for_update()
        .filter(user_id=user_id, purpose=purpose, used_at__isnull=True)
        .order_by("-created_at")
        .first()
    )
    if row is None or row.expires_at <= now:
        return _("Mã xác minh đã hết hạn hoặc không còn hiệu lực. Hãy yêu cầu gửi mã mới.")
    if row.attempts >= _setting("VERIFICATION_MAX_ATTEMPTS", 5):
        return _("Đã nhập sai mã quá số lần cho phép. Hãy yêu cầu gửi mã mới.")
    if not constant_time_compare(row.code_hash, _hash(user_id, purpose, code.strip())):
        row.attempts += 1
        row.save(update_fields=["attempts"])
        left = _setting("VERIFICATION_MAX_ATTEMPTS", 5) - row.attempts
        if left <= 0:
            return _("Mã xác minh không đúng. Đã hết số lần thử; hãy yêu cầu gửi mã mới.")
        return _("Mã xác minh không đúng. Còn %(left)d lần thử.") % {"left": left}
    row.used_at = now
    row.save(update_fields=["used_at"])
    return None


def _preferred_contact(user: User) -> tuple[str, str] | None:
    if user.phone:
        return VerificationCode.Channel.SMS, user.phone
    if user.email:
        return VerificationCode.Channel.EMAIL, user.email
    return None


# --- Registration -----------------------------------------------------------------------------------


def _contact_taken(field: str, value: str, exclude: User | None) -> bool:
    others = _applicants().filter(is_active=True, **{f"{field}__iexact": value})
    if exclude is not None:
        others = others.exclude(pk=exclude.pk)
    return others.exists()


@transaction.atomic
def register_applicant(
    *,
    identifier: str,
    full_name: str,
    phone: str = "",
    email: str = "",
    password: str,
    channel: str = "",
    now: dt.datetime | None = None,
) -> tuple[User, IssuedCode]:
    """Register a local applicant account (inactive until verified) and issue its first code.

    ``identifier`` is a 12-digit national ID (a person) or a tax code (an organisation). A national ID
    or tax code that already has a usable account is refused; one whose earlier registration was never
    verified is registered again with the new details (so nobody can hold an ID hostage by starting a
    registration they cannot finish).
    """
    now = now or timezone.now()
    identifier, full_name = identifier.strip(), " ".join(full_name.split())
    phone = normalise_phone(phone) if phone.strip() else ""
    email = email.strip().lower()
    problem = applicant_id_problem(identifier)
    if problem:
        raise AccountRefused(problem, "identifier")
    if not full_name:
        raise AccountRefused(_("Họ và tên (hoặc tên tổ chức) không được để trống."), "full_name")
    if len(full_name) > 150:
        raise AccountRefused(_("Họ và tên dài quá 150 ký tự."), "full_name")
    if not phone and not email:
        raise AccountRefused(_("Cần ít nhất số điện thoại hoặc thư điện tử để nhận mã xác minh."), "phone")
    if phone and (problem := phone_problem(phone)):
        raise AccountRefused(problem, "phone")
    if email and (problem := email_problem(email)):
        raise AccountRefused(problem, "email")
    is_person = len(identifier) == 12
    id_field = "national_id" if is_person else "tax_code"
    existing = User.objects.select_for_update().filter(**{id_field: identifier}).first()
    if existing is not None and not (existing.kind == User.Kind.APPLICANT and is_pending(existing)):
        raise AccountRefused(
            _("Số định danh hoặc mã số thuế này đã có tài khoản. Hãy đăng nhập hoặc lấy lại mật khẩu."),
            "identifier",
        )
    if phone and _contact_taken("phone", phone, existing):
        raise AccountRefused(_("Số điện thoại này đã được dùng cho một tài khoản khác."), "phone")
    if email and _contact_taken("email", email, existing):
        raise AccountRefused(_("Địa chỉ thư điện tử này đã được dùng cho một tài khoản khác."), "email")
    user = existing or User(username=f"u{secrets.token_hex(10)}", kind=User.Kind.APPLICANT, is_active=False)
    user.full_name, user.phone, user.email = full_name, phone, email
    setattr(user, id_field, identifier)
    try:
        validate_password(password, user)
    except ValidationError as error:
        raise AccountRefused(" ".join(error.messages), "password") from error
    user.set_password(password)
    user.save()
    if channel not in (VerificationCode.Channel.SMS, VerificationCode.Channel.EMAIL):
        channel = VerificationCode.Channel.SMS if phone else VerificationCode.Channel.EMAIL
    if channel == VerificationCode.Channel.SMS and not phone:
        channel = VerificationCode.Channel.EMAIL
    if channel == VerificationCode.Channel.EMAIL and not email:
        channel = VerificationCode.Channel.SMS
    destination = phone if channel == VerificationCode.Channel.SMS else email
    return user, _issue_code(
        user=user,
        purpose=VerificationCode.Purpose.REGISTER,
        channel=channel,
        destination=destination,
        now=now,
    )


@transaction.atomic
def resend_code(*, user_id: int, purpose: str, now: dt.datetime | None = None) -> IssuedCode:
    """Send a new code to where the last one went (throttled, see the module docstring)."""
    now = now or timezone.now()
    user = User.objects.select_for_update().filter(pk=user_id).first()
    last = VerificationCode.objects.filter(user_id=user_id, purpose=purpose).order_by("-created_at").first()
    if user is None or last is None:
        raise CodeRefused(_("Không có yêu cầu xác minh nào đang chờ. Hãy bắt đầu lại."))
    if purpose == VerificationCode.Purpose.REGISTER and not is_pending(user):
        raise CodeRefused(_("Tài khoản đã được xác minh. Hãy đăng nhập."))
    return _issue_code(
        user=user, purpose=purpose, channel=last.channel, destination=last.destination, now=now
    )


def verify_registration(*, user_id: int, code: str, now: dt.datetime | None = None) -> User:
    """Activate a locally registered account with the code sent to its phone or email."""
    now = now or timezone.now()
    with transaction.atomic():
        user = User.objects.select_for_update().filter(pk=user_id, kind=User.Kind.APPLICANT).first()
        if user is None or not is_pending(user):
            problem: str | None = _("Không có đăng ký nào đang chờ xác minh. Hãy đăng nhập hoặc đăng ký lại.")
        elif (user.phone and _contact_taken("phone", user.phone, user)) or (
            user.email and _contact_taken("email", user.email, user)
        ):
            # Another account verified the same phone or email meanwhile: only one may use it.
            problem = _(
                "Số điện thoại hoặc thư điện tử này vừa được dùng cho tài khoản khác. Hãy đăng ký lại."
            )
        else:
            problem = _check_code(
                user_id=user_id, purpose=VerificationCode.Purpose.REGISTER, code=code, now=now
            )
        if problem is None and user is not None:
            user.is_active = True
            user.contact_verified_at = now
            user.save(update_fields=["is_active", "contact_verified_at"])
    if problem is not None or user is None:
        raise CodeRefused(problem or "")
    return user


# --- Password reset -----------------------------------------------------------------------------------


@transaction.atomic
def request_password_reset(
    *, identifier: str, now: dt.datetime | None = None
) -> tuple[User, IssuedCode] | None:
    """Send a reset code to the contact of the active applicant account ``identifier`` names.

    None when there is no such account or it has no contact: the front door answers the same either way,
    so the form does not tell strangers which IDs have accounts.
    """
    now = now or timezone.now()
    found = find_applicant(identifier)
    if found is None or not found.is_active:
        return None
    user = User.objects.select_for_update().get(pk=found.pk)
    contact = _preferred_contact(user)
    if contact is None:
        return None
    channel, destination = contact
    return user, _issue_code(
        user=user, purpose=VerificationCode.Purpose.RESET, channel=channel, destination=destination, now=now
    )


def reset_password(*, user_id: int, code: str, new_password: str, now: dt.datetime | None = None) -> User:
    """Set a new password with the reset code; other sessions of the account end (the hash changes)."""
    now = now or timezone.now()
    user = _applicants().filter(pk=user_id, is_active=True).first()
    if user is None:
        raise CodeRefused(_("Không có yêu cầu đặt lại mật khẩu nào đang chờ. Hãy bắt đầu lại."))
    try:
        validate_password(new_password, user)
    except ValidationError as error:
        raise AccountRefused(" ".join(error.messages), "new_password") from error
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=user_id).first()
        problem = _check_code(user_id=user_id, purpose=VerificationCode.Purpose.RESET, code=code, now=now)
        if problem is None:
            user.set_password(new_password)
            user.save(update_fields=["password"])
    if problem is not None:
        raise CodeRefused(problem)
    return user
