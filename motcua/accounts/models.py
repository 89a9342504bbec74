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

    class Meta:
        verbose_name = _("người dùng")
        verbose_name_plural = _("người dùng")

    def __str__(self) -> str:
        return self.full_name or self.username

    @property
    def is_officer(self) -> bool:
        return self.kind == self.Kind.OFFICER

    @property
    def must_use_totp(self) -> bool:
        """Officers and admins sign in with a second factor (QUALITY.md, security item 5)."""
        return self.is_officer or self.is_staff or self.is_superuser
