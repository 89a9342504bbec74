"""The development provider's own register of people (what the national population database is to
VNeID). Each identity has a stable subject (``sub``) and, because django-oauth-toolkit keeps its grants
and tokens per Django user, an inactive *subject account* with no password and no identifiers: it
cannot sign in anywhere and the portal never matches it (it has no national ID).
"""

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.accounts.models import User, validate_national_id


class Identity(models.Model):
    # Declared because the app is installed only with MOTCUA_DEV_IDP=1 or in tests (type checkers
    # load the settings without either).
    objects: "models.Manager[Identity]" = models.Manager()

    subject = models.UUIDField(_("mã chủ thể"), default=uuid.uuid4, unique=True, editable=False)
    national_id = models.CharField(
        _("số định danh cá nhân"), max_length=12, unique=True, validators=[validate_national_id]
    )
    full_name = models.CharField(_("họ và tên"), max_length=150)
    birth_date = models.DateField(_("ngày sinh"), null=True, blank=True)
    phone = models.CharField(_("số điện thoại"), max_length=20, blank=True)
    email = models.EmailField(_("thư điện tử"), blank=True)
    account = models.OneToOneField(User, on_delete=models.PROTECT, related_name="devidp_identity")

    class Meta:
        verbose_name = _("danh tính thử nghiệm")
        verbose_name_plural = _("danh tính thử nghiệm")

    def __str__(self) -> str:
        return self.full_name
