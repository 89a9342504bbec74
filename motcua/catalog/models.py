"""The procedure catalog (thủ tục hành chính, TTHC) and its internal processes.

Every part that must be published (NĐ 63/2010/NĐ-CP Điều 8, as amended by NĐ 92/2017; the "7 parts":
name, sequence, method, components, time limit, subjects, implementing agency) is a field here, with
the publishing decision and dates that feed QĐ 766 indicator group 1.
"""

import datetime as dt
from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from motcua.core.models import FoldedNameModel
from motcua.core.text import fold_vi
from motcua.organizations.models import Role, Unit


class ProcedureLevel(models.TextChoices):
    PROVINCE = "province", _("Cấp tỉnh")
    DISTRICT = "district", _("Cấp huyện")
    COMMUNE = "commune", _("Cấp xã")


class OnlineLevel(models.TextChoices):
    """NĐ 42/2022/NĐ-CP Điều 11: full ≈ former level 4, partial ≈ former level 3."""

    FULL = "full", _("Toàn trình")
    PARTIAL = "partial", _("Một phần")
    NONE = "none", _("Không trực tuyến")


class TimeUnit(models.TextChoices):
    WORKING_DAYS = "working_days", _("ngày làm việc")
    DAYS = "days", pgettext_lazy("time limit unit", "ngày")
    HOURS = "hours", _("giờ làm việc")
    NONE = "none", _("không quy định / giải quyết ngay")


class Subjects(models.TextChoices):
    CITIZEN = "citizen", _("Công dân Việt Nam")
    BUSINESS = "business", _("Doanh nghiệp, tổ chức")
    BOTH = "both", _("Công dân, doanh nghiệp, tổ chức")


class FeeTiming(models.TextChoices):
    BEFORE = "before", _("Nộp khi tiếp nhận hồ sơ")
    AFTER = "after", _("Nộp khi nhận kết quả")
    FREE = "free", _("Miễn phí")


class PublicationState(models.TextChoices):
    DRAFT = "draft", _("Chưa công bố")
    PUBLISHED = "published", _("Đã công bố")
    WITHDRAWN = "withdrawn", _("Đã bãi bỏ")


class Field(models.Model):
    """Lĩnh vực (sector/field), e.g. Hộ tịch, Chứng thực, Đất đai."""

    code = models.CharField(_("mã lĩnh vực"), max_length=40, unique=True)
    name = models.CharField(_("tên lĩnh vực"), max_length=255, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("lĩnh vực")
        verbose_name_plural = _("lĩnh vực")

    def __str__(self) -> str:
        return self.name


class ProcedureQuerySet(models.QuerySet["Procedure"]):
    def published(self) -> "ProcedureQuerySet":
        return self.filter(publication_state=PublicationState.PUBLISHED)

    def search(self, text: str) -> "ProcedureQuerySet":
        """Diacritics-free search over name and code: every folded word must appear."""
        qs = self
        for word in fold_vi(text).split():
            qs = qs.filter(models.Q(name_folded__contains=word) | models.Q(code__startswith=word))
        return qs

    def handled_by(self, unit: Unit) -> "ProcedureQuerySet":
        """Procedures a citizen can bring to ``unit``: those of its level (a commune's People's
        Committee handles the commune-level procedures, QĐ công bố TTHC by level), plus any procedure
        whose internal process names the unit (its own process, or a step it performs — how a
        department shows up)."""
        by_process = models.Q(processes__unit=unit) | models.Q(processes__steps__performing_unit=unit)
        ids = self.filter(by_process).values("pk")
        if unit.level in ProcedureLevel.values:
            return self.filter(models.Q(level=unit.level) | models.Q(pk__in=ids))
        return self.filter(pk__in=ids)


class Procedure(FoldedNameModel):
    code = models.CharField(_("mã thủ tục"), max_length=20, unique=True)
    name = models.CharField(_("tên thủ tục"), max_length=500)
    name_folded = models.CharField(max_length=500, editable=False, db_index=True)
    field = models.ForeignKey(
        Field, verbose_name=_("lĩnh vực"), on_delete=models.PROTECT, related_name="procedures"
    )
    level = models.CharField(_("cấp thực hiện"), max_length=20, choices=ProcedureLevel.choices)
    subjects = models.CharField(
        _("đối tượng thực hiện"), max_length=20, choices=Subjects.choices, default=Subjects.CITIZEN
    )
    implementing_agency = models.CharField(_("cơ quan thực hiện"), max_length=500, blank=True)
    competent_authority = models.CharField(_("cơ quan có thẩm quyền quyết định"), max_length=500, blank=True)
    sequence = models.TextField(_("trình tự thực hiện"), blank=True)
    method = models.TextField(_("cách thức thực hiện"), blank=True)
    conditions = models.TextField(_("yêu cầu, điều kiện"), blank=True)
    result = models.CharField(_("kết quả thực hiện"), max_length=500, blank=True)
    legal_basis = models.TextField(_("căn cứ pháp lý"), blank=True)
    time_limit = models.DecimalField(
        _("thời hạn giải quyết"), max_digits=7, decimal_places=2, default=Decimal(0)
    )
    time_unit = models.CharField(
        _("đơn vị thời hạn"), max_length=20, choices=TimeUnit.choices, default=TimeUnit.WORKING_DAYS
    )
    time_limit_note = models.CharField(_("ghi chú thời hạn"), max_length=500, blank=True)
    fee_vnd = models.PositiveBigIntegerField(_("phí, lệ phí (đồng)"), default=0)
    fee_timing = models.CharField(
        _("thời điểm nộp phí"), max_length=10, choices=FeeTiming.choices, default=FeeTiming.FREE
    )
    online_level = models.CharField(
        _("mức độ trực tuyến"), max_length=10, choices=OnlineLevel.choices, default=OnlineLevel.NONE
    )
    full_online_eligible = models.BooleanField(_("đủ điều kiện toàn trình"), default=False)
    result_required = models.BooleanField(_("có kết quả là giấy tờ"), default=True)
    decision_number = models.CharField(_("số quyết định công bố"), max_length=100, blank=True)
    decision_date = models.DateField(_("ngày quyết định công bố"), null=True, blank=True)
    # QĐ 766 indicator 1.1: the latest date on which the legal basis the decision implements takes
    # effect (the decision must come at least 5 working days before it).
    legal_basis_effective_on = models.DateField(
        _("ngày có hiệu lực của căn cứ pháp lý"), null=True, blank=True
    )
    publication_state = models.CharField(
        _("trạng thái công bố"),
        max_length=20,
        choices=PublicationState.choices,
        default=PublicationState.DRAFT,
    )
    published_on = models.DateField(_("ngày công khai"), null=True, blank=True)
    updated_on = models.DateField(_("ngày cập nhật công khai"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    modified_at = models.DateTimeField(auto_now=True)

    objects = ProcedureQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("thủ tục hành chính")
        verbose_name_plural = _("thủ tục hành chính")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(time_limit__gte=0), name="procedure_time_limit_nonnegative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def is_online_capable(self) -> bool:
        return self.online_level != OnlineLevel.NONE

    def time_limit_display(self) -> str:
        if self.time_unit == TimeUnit.NONE:
            return str(TimeUnit.NONE.label)
        amount = self.time_limit.normalize()
        return f"{amount:f} {self.get_time_unit_display()}"


class CopyType(models.TextChoices):
    ORIGINAL = "original", _("Bản chính")
    CERTIFIED_COPY = "certified_copy", _("Bản sao có chứng thực")
    PHOTOCOPY = "photocopy", _("Bản sao (bản chụp)")
    ORIGINAL_OR_CERTIFIED = "original_or_certified", _("Bản chính hoặc bản sao có chứng thực")


class Component(models.Model):
    """Thành phần hồ sơ: one paper the applicant provides."""

    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="components")
    position = models.PositiveSmallIntegerField(_("thứ tự"), default=1)
    name = models.CharField(_("tên giấy tờ"), max_length=500)
    copy_type = models.CharField(
        _("loại bản"), max_length=30, choices=CopyType.choices, default=CopyType.ORIGINAL
    )
    count = models.PositiveSmallIntegerField(_("số lượng"), default=1)
    form_template = models.CharField(_("mẫu đơn, tờ khai"), max_length=255, blank=True)
    is_required = models.BooleanField(_("bắt buộc"), default=True)
    store_eligible = models.BooleanField(_("có thể lấy từ kho dữ liệu"), default=False)

    class Meta:
        ordering = ["procedure", "position"]
        verbose_name = _("thành phần hồ sơ")
        verbose_name_plural = _("thành phần hồ sơ")

    def __str__(self) -> str:
        return self.name


class FeeItem(models.Model):
    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="fee_items")
    name = models.CharField(_("khoản thu"), max_length=255)
    amount_vnd = models.PositiveBigIntegerField(_("mức thu (đồng)"))
    note = models.CharField(_("ghi chú"), max_length=255, blank=True)

    class Meta:
        ordering = ["procedure", "id"]
        verbose_name = _("phí, lệ phí")
        verbose_name_plural = _("phí, lệ phí")

    def __str__(self) -> str:
        return f"{self.name}: {self.amount_vnd}"


class InternalProcess(models.Model):
    """Quy trình nội bộ: how one unit (or every unit of the procedure's level when ``unit`` is empty)
    handles the procedure, as ordered steps with a time budget each."""

    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="processes")
    unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="processes")
    name = models.CharField(_("tên quy trình"), max_length=255)
    valid_from = models.DateField(_("áp dụng từ ngày"), default=dt.date(2000, 1, 1))
    decision_number = models.CharField(_("quyết định phê duyệt"), max_length=100, blank=True)

    class Meta:
        ordering = ["procedure", "unit", "-valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["procedure", "unit", "valid_from"], name="uniq_process_version"),
        ]
        verbose_name = _("quy trình nội bộ")
        verbose_name_plural = _("quy trình nội bộ")

    def __str__(self) -> str:
        return self.name

    @property
    def total_hours(self) -> Decimal:
        return sum((s.hours for s in self.steps.all()), Decimal(0))


class ProcessStep(models.Model):
    process = models.ForeignKey(InternalProcess, on_delete=models.CASCADE, related_name="steps")
    position = models.PositiveSmallIntegerField(_("bước"))
    name = models.CharField(_("tên bước"), max_length=255)
    role = models.CharField(_("vai trò thực hiện"), max_length=20, choices=Role.choices)
    performing_unit = models.ForeignKey(
        Unit,
        verbose_name=_("đơn vị/phòng thực hiện"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Để trống: đơn vị của quy trình. Chọn đơn vị khác cho bước liên thông."),
    )
    hours = models.DecimalField(_("thời gian (giờ làm việc)"), max_digits=6, decimal_places=2)

    class Meta:
        ordering = ["process", "position"]
        constraints = [
            models.UniqueConstraint(fields=["process", "position"], name="uniq_step_position"),
            models.CheckConstraint(condition=models.Q(hours__gt=0), name="step_hours_positive"),
        ]
        verbose_name = _("bước xử lý")
        verbose_name_plural = _("bước xử lý")

    def __str__(self) -> str:
        return f"{self.position}. {self.name}"
