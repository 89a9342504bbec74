"""Targets assigned to units (chỉ tiêu giao): per unit level (or one unit), year and indicator, with
the deciding document. The province assigns them each year (e.g. Hải Dương Decision 1217/QĐ-UBND of
12/5/2022, seed 004); they are data, not code (STYLE.md principle 6)."""

from decimal import Decimal

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from motcua.organizations.models import Level, Unit


class TargetKind(models.TextChoices):
    """What a target measures; each is computed by a formula of ``indicators.targets``."""

    ONLINE_SHARE_1217 = "online_share_1217", _("Tỷ lệ hồ sơ TTHC xử lý trực tuyến (QĐ 1217/QĐ-UBND)")
    DIGITIZED_SHARE = "digitized_share", _("Tỷ lệ số hóa hồ sơ, kết quả giải quyết TTHC")
    DIGITIZED_AT_RECEPTION = "digitized_at_reception", _("Tỷ lệ số hóa hồ sơ khi tiếp nhận")


class Target(models.Model):
    target_id = models.CharField(_("chỉ tiêu"), max_length=40, choices=TargetKind.choices)
    level = models.CharField(_("cấp đơn vị"), max_length=20, choices=Level.choices)
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("đơn vị (khi giao riêng)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="targets",
    )
    year = models.PositiveSmallIntegerField(_("năm"))
    value = models.DecimalField(_("mức chỉ tiêu (tỷ lệ 0–1)"), max_digits=5, decimal_places=4)
    decision = models.CharField(_("văn bản giao chỉ tiêu"), max_length=255)
    note = models.CharField(_("ghi chú"), max_length=500, blank=True)

    class Meta:
        ordering = ["year", "target_id", "level", "unit"]
        verbose_name = _("chỉ tiêu giao")
        verbose_name_plural = _("chỉ tiêu giao")
        constraints = [
            models.CheckConstraint(
                condition=Q(value__gte=Decimal(0)) & Q(value__lte=Decimal(1)), name="target_value_0_1"
            ),
            models.UniqueConstraint(
                fields=["target_id", "year", "level"],
                condition=Q(unit__isnull=True),
                name="uniq_target_level",
            ),
            models.UniqueConstraint(
                fields=["target_id", "year", "unit"], condition=Q(unit__isnull=False), name="uniq_target_unit"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.target_id} {self.year} {self.unit_id or self.level} ≥ {self.value}"


from motcua.indicators.reconciliation.models import RegisterCount, RegisterKind  # noqa: E402, F401
