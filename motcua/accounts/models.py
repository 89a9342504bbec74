"""Users: officers (staff of units) and applicants (citizens and organisations).

Applicants are identified by their national ID number or tax code; that identity makes an account
"their own" (chính chủ), which the QĐ 766 indicators reward.
"""

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.accounts.identity import national_id_problem, tax_code_problem


def validate_national_id(value: str) -> None:
    problem = national_id_problem(value)
    if problem:
        raise ValidationError(problem, code="national_id")


def validate_tax_code(value: str) -> None:
    problem = tax_code_problem(value)
    if problem:
        raise ValidationError(problem, code="tax_code")


class User(AbstractUser):
    class Kind(models.TextChoices):
        OFFICER = "officer", _("Cán bộ, công chức")
        APPLICANT = "applicant", _("Người dân, doanh nghiệp")

    kind = models.CharField(_("loại tài khoản"), max_length=20, choices=Kind.choices, default=Kind.APPLICANT)
    full_name = models.CharField(_("họ và tên"), max_length=150, blank=True)
    national_id = models.CharField(
        _("số định danh cá nhân"),
        max_length=12,
        null=True,
        blank=True,
        unique=True,
        validators=[validate_national_id],
    )
    tax_code = models.CharField(
        _("mã số thuế"), max_length=14, null=True, blank=True, unique=True, validators=[validate_tax_code]
    )
    phone = models.CharField(_("số điện thoại"), max_length=20, blank=True)
    birth_date = models.DateField(_("ngày sinh"), null=True, blank=True)
    # The national identity provider's stable subject ("sub" claim) for this person, once it vouched.
    oidc_subject = models.CharField(
        _("mã chủ thể định danh điện tử"), max_length=255, null=True, blank=True, unique=True
    )
    # When the national identity provider last confirmed the national ID of this account: such an
    # account is "VNeID-verified" for the national portal sync (DOMAIN.md §10).
    identity_verified_at = models.DateTimeField(_("định danh xác thực lúc"), null=True, blank=True)
    # When a local account proved it controls its phone or email with a one-time code.
    contact_verified_at = models.DateTimeField(_("liên hệ xác minh lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("người dùng")
        verbose_name_plural = _("người dùng")

    def __str__(self) -> str:
        return self.full_name or self.username

    @property
    def is_organisation(self) -> bool:
        return self.kind == self.Kind.APPLICANT and bool(self.tax_code) and not self.national_id

    @property
    def is_officer(self) -> bool:
        return self.kind == self.Kind.OFFICER

    @property
    def must_use_totp(self) -> bool:
        """Officers and admins sign in with a second factor (QUALITY.md, security item 5)."""
        return self.is_officer or self.is_staff or self.is_superuser


class VerificationCode(models.Model):
    """A one-time 6-digit code sent to a phone or an email address (account registration, password reset).

    Only a keyed hash of the code is stored; a code expires, allows a few attempts and is used once
    (QUALITY.md security items 5 and 11).
    """

    class Purpose(models.TextChoices):
        REGISTER = "register", _("xác minh đăng ký")
        RESET = "reset", _("đặt lại mật khẩu")

    class Channel(models.TextChoices):
        EMAIL = "email", _("thư điện tử")
        SMS = "sms", _("tin nhắn SMS")

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="verification_codes")
    purpose = models.CharField(_("mục đích"), max_length=20, choices=Purpose.choices)
    channel = models.CharField(_("kênh gửi"), max_length=10, choices=Channel.choices)
    destination = models.CharField(_("gửi tới"), max_length=254)
    code_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(_("tạo lúc"))
    expires_at = models.DateTimeField(_("hết hạn lúc"))
    attempts = models.PositiveSmallIntegerField(_("số lần nhập sai"), default=0)
    used_at = models.DateTimeField(_("đã dùng lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("mã xác minh")
        verbose_name_plural = _("mã xác minh")
        indexes = [models.Index(fields=["user", "purpose", "created_at"], name="verification_user_purpose")]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} #{self.pk}"


class Representation(models.Model):
    """A citizen acting for an organisation (người đại diện): the organisation's account names its
    representatives by national ID; a representative chooses the organisation before acting for it.

    Ending a representation keeps the row (``revoked_at``), so what was done for the organisation stays
    attributable.
    """

    organisation = models.ForeignKey(User, on_delete=models.PROTECT, related_name="representatives")
    representative = models.ForeignKey(User, on_delete=models.PROTECT, related_name="represents")
    title = models.CharField(_("chức danh, vai trò"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("thêm lúc"))
    revoked_at = models.DateTimeField(_("thu hồi lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("người đại diện")
        verbose_name_plural = _("người đại diện")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "representative"],
                condition=models.Q(revoked_at__isnull=True),
                name="representation_one_active",
            ),
            models.CheckConstraint(
                condition=~models.Q(organisation=models.F("representative")),
                name="representation_not_self",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.representative} → {self.organisation}"
