"""The unit tree, its history, office hours and who works where in which role.

Units: province → district (until the 2025 reform) → commune, with departments (Sở, Phòng) under a
province or district. Every unit carries its QCVN 102:2016 agency code.
"""

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.core.models import FoldedNameModel
from motcua.core.text import fold_vi
from motcua.organizations.codes import validate_agency_code


class Level(models.TextChoices):
    PROVINCE = "province", _("Tỉnh/Thành phố")
    DISTRICT = "district", _("Huyện/Quận/Thị xã/Thành phố thuộc tỉnh")
    COMMUNE = "commune", _("Xã/Phường/Thị trấn")
    DEPARTMENT = "department", _("Sở/Ban/Ngành/Phòng chuyên môn")


# Which level may sit under which (None = a root).
ALLOWED_PARENT_LEVELS: dict[str, frozenset[str | None]] = {
    Level.PROVINCE: frozenset({None}),
    Level.DISTRICT: frozenset({Level.PROVINCE}),
    Level.COMMUNE: frozenset({Level.DISTRICT, Level.PROVINCE}),  # provinces hold communes directly since 2025
    Level.DEPARTMENT: frozenset({Level.PROVINCE, Level.DISTRICT, Level.COMMUNE}),
}


class UnitQuerySet(models.QuerySet["Unit"]):
    def active(self) -> "UnitQuerySet":
        return self.filter(is_active=True)

    def search(self, text: str) -> "UnitQuerySet":
        return self.filter(name_folded__contains=fold_vi(text)) if text else self


class Unit(FoldedNameModel):
    code = models.CharField(_("mã định danh"), max_length=20, unique=True, validators=[validate_agency_code])
    name = models.CharField(_("tên đơn vị"), max_length=255)
    name_folded = models.CharField(max_length=255, editable=False, db_index=True)
    level = models.CharField(_("cấp"), max_length=20, choices=Level.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("đơn vị cấp trên"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    is_active = models.BooleanField(_("đang hoạt động"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = UnitQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("đơn vị")
        verbose_name_plural = _("đơn vị")

    def __str__(self) -> str:
        return self.name

    def ancestors(self) -> list["Unit"]:
        chain: list[Unit] = []
        node = self.parent
        while node is not None:
            chain.append(node)
            node = node.parent
        return chain


class UnitChange(models.Model):
    """Append-only history of a unit: renames, re-parenting, merges, splits, dissolution.

    Units are merged, split and re-parented by resolutions of the National Assembly Standing Committee
    (e.g. the 2025 two-tier reform); indicators of a past period must still roll up as they were.
    """

    class Kind(models.TextChoices):
        CREATED = "created", _("Thành lập")
        RENAMED = "renamed", _("Đổi tên")
        REPARENTED = "reparented", _("Chuyển đơn vị cấp trên")
        MERGED_INTO = "merged_into", _("Sáp nhập vào đơn vị khác")
        SPLIT_FROM = "split_from", _("Chia tách từ đơn vị khác")
        DISSOLVED = "dissolved", _("Giải thể")

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="changes")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    effective_on = models.DateField(_("ngày hiệu lực"))
    old_name = models.CharField(max_length=255, blank=True)
    new_name = models.CharField(max_length=255, blank=True)
    old_parent = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    new_parent = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    other_unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    legal_basis = models.CharField(_("căn cứ pháp lý"), max_length=255, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["effective_on", "id"]

    def __str__(self) -> str:
        return f"{self.unit.code} {self.kind} {self.effective_on}"


class OfficeHours(models.Model):
    """The unit's reception hours from ``valid_from`` on (the province sets them, often by season).

    Default: 07:00–11:30 and 13:30–17:00 (8 hours = 1 working day, the 40-hour week); some counters also open Saturday
    morning. ``core.worktime`` turns these rows into a ``Schedule``.
    """

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="office_hours")
    valid_from = models.DateField(_("áp dụng từ ngày"), default=dt.date(2000, 1, 1))
    morning_start = models.TimeField(_("sáng từ"), default=dt.time(7, 0))
    morning_end = models.TimeField(_("sáng đến"), default=dt.time(11, 30))
    afternoon_start = models.TimeField(_("chiều từ"), default=dt.time(13, 30))
    afternoon_end = models.TimeField(_("chiều đến"), default=dt.time(17, 0))
    saturday_morning = models.BooleanField(_("làm việc sáng thứ Bảy"), default=False)

    class Meta:
        ordering = ["unit", "-valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "valid_from"], name="uniq_office_hours_unit_from"),
            models.CheckConstraint(
                condition=models.Q(morning_start__lt=models.F("morning_end"))
                & models.Q(morning_end__lte=models.F("afternoon_start"))
                & models.Q(afternoon_start__lt=models.F("afternoon_end")),
                name="office_hours_ordered",
            ),
        ]
        verbose_name = _("giờ làm việc")
        verbose_name_plural = _("giờ làm việc")

    def __str__(self) -> str:
        return f"{self.unit.code} từ {self.valid_from:%d/%m/%Y}"


class Role(models.TextChoices):
    RECEIVER = "receiver", _("Cán bộ tiếp nhận (Bộ phận Một cửa)")
    SPECIALIST = "specialist", _("Công chức chuyên môn")
    LEADER = "leader", _("Lãnh đạo")
    JUSTICE_OFFICER = "justice_officer", _("Công chức tư pháp (chứng thực)")
    UNIT_ADMIN = "unit_admin", _("Quản trị đơn vị")
    OVERSIGHT = "oversight", _("Theo dõi, giám sát (Văn phòng UBND)")


class MembershipQuerySet(models.QuerySet["Membership"]):
    def current(self, on: dt.date | None = None) -> "MembershipQuerySet":
        """Active memberships valid on ``on`` (today, local time, by default)."""
        day = on or timezone.localdate()
        return self.filter(
            models.Q(valid_to__isnull=True) | models.Q(valid_to__gte=day), is_active=True, valid_from__lte=day
        )


class Membership(models.Model):
    """A person's role in a unit. One person may hold several roles in several units."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField(_("vai trò"), max_length=20, choices=Role.choices)
    title = models.CharField(_("chức danh"), max_length=120, blank=True)
    valid_from = models.DateField(_("từ ngày"), default=dt.date(2000, 1, 1))
    valid_to = models.DateField(_("đến ngày"), null=True, blank=True)
    is_active = models.BooleanField(default=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["unit__code", "role"]
        constraints = [
            models.UniqueConstraint(fields=["user", "unit", "role"], name="uniq_membership_user_unit_role"),
        ]
        verbose_name = _("phân công")
        verbose_name_plural = _("phân công")

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.unit.code}"
