"""Dossiers (hồ sơ), their components, processing steps and the append-only event history.

``status`` and ``version`` are written only by ``dossiers.services`` (one service per transition,
``workflow.ALLOWED_TRANSITIONS``); every change appends a ``DossierEvent`` in the same transaction.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.catalog.models import Component, CopyType, OnlineLevel, Procedure
from motcua.core.text import fold_vi
from motcua.dossiers.queries import DossierQuerySet
from motcua.dossiers.workflow import NATIONAL_STATUS, Channel, EventKind, Status, Verdict
from motcua.organizations.models import Role, Unit


class ResultDelivery(models.TextChoices):
    COUNTER = "counter", _("Nhận tại Bộ phận Một cửa")
    POST = "post", _("Nhận qua bưu chính công ích")
    ONLINE = "online", _("Nhận trực tuyến (tài khoản của người nộp)")


class Rating(models.TextChoices):
    """The applicant's rating of the dossier's handling (interchange ``rating``; QĐ 766 indicator 5.4)."""

    VERY_SATISFIED = "very_satisfied", _("Rất hài lòng")
    SATISFIED = "satisfied", _("Hài lòng")
    DISSATISFIED = "dissatisfied", _("Không hài lòng")


class Dossier(models.Model):
    code = models.CharField(_("mã hồ sơ"), max_length=40, unique=True)
    procedure = models.ForeignKey(
        Procedure, verbose_name=_("thủ tục"), on_delete=models.PROTECT, related_name="dossiers"
    )
    receiving_unit = models.ForeignKey(
        Unit, verbose_name=_("đơn vị tiếp nhận"), on_delete=models.PROTECT, related_name="received_dossiers"
    )
    responsible_unit = models.ForeignKey(
        Unit,
        verbose_name=_("đơn vị giải quyết"),
        on_delete=models.PROTECT,
        related_name="responsible_dossiers",
    )
    channel = models.PositiveSmallIntegerField(_("kênh nộp"), choices=Channel.choices)
    status = models.CharField(_("trạng thái"), max_length=30, choices=Status.choices, db_index=True)
    version = models.PositiveIntegerField(default=1, help_text="optimistic concurrency: +1 on every change")

    # who: the submitter and the dossier owner (chủ hồ sơ) may differ
    applicant_name = models.CharField(_("người nộp"), max_length=200)
    applicant_id_number = models.CharField(
        _("số định danh / mã số thuế người nộp"), max_length=14, blank=True
    )
    owner_name = models.CharField(_("chủ hồ sơ"), max_length=200, blank=True)
    owner_id_number = models.CharField(_("số định danh / mã số thuế chủ hồ sơ"), max_length=14, blank=True)
    address = models.CharField(_("địa chỉ"), max_length=300, blank=True)
    phone = models.CharField(_("số điện thoại"), max_length=20, blank=True)
    email = models.EmailField(_("thư điện tử"), blank=True)
    applicant_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="dossiers"
    )
    is_own_account = models.BooleanField(_("nộp từ tài khoản chính chủ"), default=False)
    search_folded = models.CharField(max_length=500, editable=False, db_index=True)

    # what and when
    fee_vnd = models.PositiveBigIntegerField(_("phí, lệ phí (đồng)"), default=0)
    result_delivery = models.CharField(
        _("hình thức nhận kết quả"),
        max_length=10,
        choices=ResultDelivery.choices,
        default=ResultDelivery.COUNTER,
    )
    submitted_at = models.DateTimeField(_("thời điểm nộp"))
    reception_due_at = models.DateTimeField(_("hạn tiếp nhận (hồ sơ trực tuyến)"), null=True, blank=True)
    received_at = models.DateTimeField(_("thời điểm tiếp nhận"), null=True, blank=True)
    due_at = models.DateTimeField(_("ngày hẹn trả kết quả"), null=True, blank=True, db_index=True)
    original_due_at = models.DateTimeField(_("ngày hẹn trả ban đầu"), null=True, blank=True)
    reschedule_count = models.PositiveSmallIntegerField(default=0)
    supplement_request_count = models.PositiveSmallIntegerField(default=0)
    processed_at = models.DateTimeField(_("thời điểm xử lý xong"), null=True, blank=True)
    returned_at = models.DateTimeField(_("thời điểm trả kết quả"), null=True, blank=True)
    closed_at = models.DateTimeField(_("thời điểm kết thúc"), null=True, blank=True)
    verdict = models.CharField(_("kết quả đúng hạn"), max_length=10, choices=Verdict.choices, blank=True)

    # the result (kết quả giải quyết)
    result_number = models.CharField(_("số kết quả"), max_length=100, blank=True)
    result_date = models.DateField(_("ngày ký kết quả"), null=True, blank=True)
    result_signer = models.CharField(_("người ký"), max_length=200, blank=True)
    result_file = models.FileField(_("tệp kết quả"), upload_to="results/%Y/%m/", blank=True)
    is_result_electronic = models.BooleanField(_("có kết quả điện tử"), default=False)
    result_sha256 = models.CharField(_("SHA-256 của tệp kết quả"), max_length=64, blank=True)
    result_signed_at = models.DateTimeField(_("thời điểm ký số kết quả"), null=True, blank=True)
    result_signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người ký số kết quả"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # every provided paper digitized (and signed by the receiver): seed 001's "hồ sơ đã số hóa"
    digitized_at = models.DateTimeField(_("thời điểm số hóa xong"), null=True, blank=True)

    # interchange v1 flags (docs/interchange.md), fed to the QĐ 766 indicators
    online_level = models.CharField(
        _("mức độ trực tuyến khi nộp"), max_length=10, choices=OnlineLevel.choices, blank=True
    )
    is_vneid_verified = models.BooleanField(_("tài khoản đã xác thực định danh điện tử"), default=False)
    is_paid_online = models.BooleanField(_("đã thanh toán trực tuyến"), default=False)
    is_population_data_used = models.BooleanField(_("có khai thác CSDL quốc gia về dân cư"), default=False)
    rating = models.CharField(_("đánh giá của người dân"), max_length=20, choices=Rating.choices, blank=True)

    idempotency_key = models.CharField(max_length=80, null=True, blank=True, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    modified_at = models.DateTimeField(auto_now=True)

    objects = DossierQuerySet.as_manager()

    class Meta:
        ordering = ["-submitted_at"]
        verbose_name = _("hồ sơ")
        verbose_name_plural = _("hồ sơ")
        indexes = [
            models.Index(fields=["responsible_unit", "status"], name="dossier_unit_status"),
            # Unit lists, newest first (``queries.visible_to`` branches, ``search`` ordering); and the
            # newest-first walk over everything. PostgreSQL adds a pg_trgm index on ``search_folded``
            # (migration 0003, raw SQL: SQLite has no trigram index).
            models.Index(fields=["receiving_unit", "-submitted_at", "-id"], name="dossier_recv_submitted"),
            models.Index(fields=["responsible_unit", "-submitted_at", "-id"], name="dossier_resp_submitted"),
            models.Index(fields=["-submitted_at", "-id"], name="dossier_submitted"),
            models.Index(fields=["applicant_id_number"], name="dossier_applicant_id"),
            # Indicators: the dossiers of units received in a period (the 2.1 counter correction and
            # the formulas, ``indicators.formulas.base.received``).
            models.Index(fields=["responsible_unit", "received_at"], name="dossier_resp_received"),
            # 5.4 from counters: the few dossiers rated dissatisfied (``indicators.counters``).
            models.Index(
                fields=["responsible_unit", "received_at"],
                name="dossier_dissatisfied",
                condition=models.Q(rating="dissatisfied"),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(reschedule_count__lte=1), name="dossier_at_most_one_reschedule"
            ),
            models.CheckConstraint(condition=models.Q(channel__in=[1, 2, 3]), name="dossier_channel_valid"),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def national_status(self) -> int:
        return NATIONAL_STATUS[Status(self.status)]

    def refresh_search_key(self) -> None:
        """Diacritics-free key over code, names and ID numbers (``core.text.fold_vi``)."""
        self.search_folded = fold_vi(
            " ".join(
                filter(
                    None,
                    [
                        self.code,
                        self.applicant_name,
                        self.owner_name,
                        self.applicant_id_number,
                        self.owner_id_number,
                    ],
                )
            )
        )[:500]


class DossierComponent(models.Model):
    """One paper of the dossier (thành phần hồ sơ) as received, with its digitization flags."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="components")
    catalog_component = models.ForeignKey(Component, null=True, blank=True, on_delete=models.SET_NULL)
    position = models.PositiveSmallIntegerField(default=1)
    name = models.CharField(_("tên giấy tờ"), max_length=500)
    copy_type = models.CharField(
        _("loại bản"), max_length=30, choices=CopyType.choices, default=CopyType.ORIGINAL
    )
    count = models.PositiveSmallIntegerField(_("số lượng"), default=1)
    is_provided = models.BooleanField(_("đã nộp"), default=True)
    file = models.FileField(_("tệp đính kèm"), upload_to="dossiers/%Y/%m/", blank=True)
    is_digitized = models.BooleanField(_("đã số hóa"), default=False)
    is_reused = models.BooleanField(_("tái sử dụng"), default=False)
    is_from_store = models.BooleanField(_("lấy từ kho dữ liệu"), default=False)
    store_document = models.ForeignKey(
        "documents.StoredDocument",
        verbose_name=_("giấy tờ trong kho dữ liệu"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="dossier_components",
    )
    file_sha256 = models.CharField(_("SHA-256 của tệp"), max_length=64, blank=True)
    page_count = models.PositiveSmallIntegerField(_("số trang"), null=True, blank=True)
    has_text_layer = models.BooleanField(_("đã nhận dạng chữ (OCR)"), default=False)
    digitized_at = models.DateTimeField(_("thời điểm số hóa"), null=True, blank=True)
    digitized_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    signed_at = models.DateTimeField(_("thời điểm ký số"), null=True, blank=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["dossier", "position"]
        verbose_name = _("thành phần hồ sơ")
        verbose_name_plural = _("thành phần hồ sơ")

    def __str__(self) -> str:
        return self.name


class SignedForm(models.Model):
    """A form of the dossier (mẫu 01–06, TT 01/2018/TT-VPCP) signed digitally by the officer who issued
    it (NĐ 30/2020/NĐ-CP Điều 8); the signed PDF is kept as issued, with its SHA-256."""

    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="signed_forms")
    form = models.CharField(_("mẫu"), max_length=10)
    file = models.FileField(_("tệp đã ký"), upload_to="forms/%Y/%m/")
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    signed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    signed_at = models.DateTimeField(_("thời điểm ký số"))

    class Meta:
        ordering = ["dossier", "form", "-signed_at"]
        verbose_name = _("mẫu đã ký số")
        verbose_name_plural = _("mẫu đã ký số")

    def __str__(self) -> str:
        return f"{self.dossier_id}/{self.form}"


class StepKind(models.TextChoices):
    PROCESS = "process", _("Bước quy trình")
    CONSULTATION = "consultation", _("Lấy ý kiến")
    INTER_UNIT = "inter_unit", _("Liên thông")


class DossierStep(models.Model):
    """One step of the internal process as it happens: who, from when, until when it is due, and the
    verdict when it ends. A late step counts as late even when the dossier finishes on time (seed 003)."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="steps")
    position = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=20, choices=StepKind.choices, default=StepKind.PROCESS)
    name = models.CharField(_("bước"), max_length=255)
    role = models.CharField(_("vai trò"), max_length=20, choices=Role.choices)
    unit = models.ForeignKey(
        Unit, verbose_name=_("đơn vị thực hiện"), on_delete=models.PROTECT, related_name="+"
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assigned_steps",
    )
    budget_hours = models.DecimalField(_("thời gian cho phép (giờ làm việc)"), max_digits=6, decimal_places=2)
    started_at = models.DateTimeField(null=True, blank=True)
    due_at = models.DateTimeField(_("hạn bước"), null=True, blank=True, db_index=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    finished_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    verdict = models.CharField(max_length=10, choices=Verdict.choices, blank=True)
    # who performed the step when there is no user account for them (imported history)
    actor_name = models.CharField(_("người thực hiện"), max_length=200, blank=True)
    note = models.TextField(_("nội dung xử lý"), blank=True)
    answer = models.TextField(_("ý kiến trả lời (lấy ý kiến)"), blank=True)

    class Meta:
        ordering = ["dossier", "position", "id"]
        indexes = [
            models.Index(fields=["assignee", "finished_at"], name="step_assignee_open"),
            # The worklist: open steps of an officer, or unassigned ones of a unit and role, by deadline.
            models.Index(
                fields=["assignee", "due_at", "id"],
                condition=models.Q(started_at__isnull=False, finished_at__isnull=True),
                name="step_open_assignee_due",
            ),
            models.Index(
                fields=["unit", "role", "due_at", "id"],
                condition=models.Q(started_at__isnull=False, finished_at__isnull=True, assignee__isnull=True),
                name="step_open_unit_role_due",
            ),
            # Visibility through a step in the officer's unit (consultation, liên thông): index-only.
            models.Index(fields=["unit", "dossier"], name="step_unit_dossier"),
        ]
        verbose_name = _("bước xử lý")
        verbose_name_plural = _("bước xử lý")

    def __str__(self) -> str:
        return f"{self.dossier.code} #{self.position} {self.name}"


class ImmutableRowError(Exception):
    pass


class DossierEvent(models.Model):
    """Append-only history: who did what, when, from which status to which, with the data.

    Officers must not alter or delete electronic data (NĐ 61/2018 Điều 5): rows are never updated or
    deleted by the application (``save`` refuses an update, ``delete`` refuses).
    """

    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(max_length=30, choices=EventKind.choices)
    at = models.DateTimeField(db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_name = models.CharField(max_length=200, blank=True)
    from_status = models.CharField(max_length=30, choices=Status.choices, blank=True)
    to_status = models.CharField(max_length=30, choices=Status.choices, blank=True)
    step = models.ForeignKey(
        DossierStep, null=True, blank=True, on_delete=models.PROTECT, related_name="events"
    )
    step_name = models.CharField(max_length=255, blank=True)
    due_at = models.DateTimeField(null=True, blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["dossier", "at", "id"]
        indexes = [models.Index(fields=["dossier", "at"], name="event_dossier_at")]
        verbose_name = _("sự kiện hồ sơ")
        verbose_name_plural = _("sự kiện hồ sơ")

    def __str__(self) -> str:
        return f"{self.dossier_id} {self.kind} {self.at:%Y-%m-%d %H:%M}"

    def save(self, *args: object, **kwargs: object) -> None:
        if self.pk is not None and not kwargs.get("force_insert"):
            raise ImmutableRowError("DossierEvent rows are append-only")
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        raise ImmutableRowError("DossierEvent rows are append-only")


class DossierDraft(models.Model):
    """An online submission not filed yet (hồ sơ lưu nháp): what the applicant typed and uploaded, so
    they can stop and come back (and nothing is lost when a submission is refused for a missing paper).

    Only its owner sees, resumes or deletes it; it expires ``MOTCUA_DRAFT_DAYS`` after the last save.
    ``idempotency_key`` is the key of the form first shown to the applicant: the dossier filed from the
    draft carries it, so a double click or a retry finds that dossier instead of filing a second one.
    ``files`` maps a catalog component id to the checked file stored for it
    (``{"path", "name", "size", "type"}``; the path is random, ``name`` is shown to the owner only).

    Assisted submission: a receiver of the counter may prepare the draft in the applicant's own
    account (``prepared_by``, ``prepared_unit``, ``prepared_at``); only the applicant can file it, so
    the dossier counts as filed from the own account (chính chủ, NĐ 42/2022/NĐ-CP Điều 11).
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="dossier_drafts"
    )
    procedure = models.ForeignKey(
        Procedure, verbose_name=_("thủ tục"), on_delete=models.CASCADE, related_name="+"
    )
    idempotency_key = models.CharField(max_length=80)
    data = models.JSONField(_("nội dung đã khai"), default=dict, blank=True)
    files = models.JSONField(_("tệp đã tải lên"), default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(_("lưu lần cuối"))
    expires_at = models.DateTimeField(_("hết hạn lúc"), db_index=True)
    prepared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("cán bộ chuẩn bị"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    prepared_unit = models.ForeignKey(
        Unit,
        verbose_name=_("Bộ phận Một cửa chuẩn bị"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="prepared_drafts",
    )
    prepared_at = models.DateTimeField(_("chuẩn bị lúc"), null=True, blank=True)

    class Meta:
        ordering = ["-updated_at"]
        verbose_name = _("hồ sơ lưu nháp")
        verbose_name_plural = _("hồ sơ lưu nháp")
        constraints = [
            models.UniqueConstraint(fields=["owner", "idempotency_key"], name="draft_owner_key_unique"),
            models.CheckConstraint(
                condition=models.Q(prepared_unit__isnull=True, prepared_at__isnull=True)
                | models.Q(prepared_unit__isnull=False, prepared_at__isnull=False),
                name="draft_prepared_unit_and_time",
            ),
        ]
        indexes = [models.Index(fields=["owner", "-updated_at"], name="draft_owner_updated")]

    def __str__(self) -> str:
        return f"{self.procedure_id} {self.updated_at:%Y-%m-%d %H:%M}"


class DailyCounter(models.Model):
    """A live per-unit, per-day tally (số liệu tổng hợp theo ngày): the sum over dossiers of the facts
    ``dossiers.counters`` derives from each dossier (QĐ 766 numerators and denominators). Written only
    by ``dossiers.counters`` in the transaction of the event that changes a fact; ``motcua recount``
    rebuilds it from dossiers and events (the oracle)."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    day = models.DateField()  # local date (Asia/Ho_Chi_Minh)
    metric = models.CharField(max_length=40)
    value = models.BigIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["unit", "day", "metric"], name="daily_counter_key")]
        indexes = [models.Index(fields=["day", "metric"], name="daily_counter_day_metric")]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.day} {self.metric}={self.value}"


class RollUpCounter(models.Model):
    """A roll-up of ``DailyCounter`` over a period (``SPAN``: month, quarter or year; the model's date
    field of that name is the period's first local day): for each unit, period and metric, the sum of
    the period's daily values. Written with the daily counters in the same statement batch
    (``dossiers.counters.add_to_counters``) and rebuilt from them by the recount, so a board over whole
    periods reads units × metrics × periods rows instead of × days."""

    SPAN = ""
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    metric = models.CharField(max_length=40)
    value = models.BigIntegerField(default=0)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.unit_id} {self.SPAN} {getattr(self, self.SPAN)} {self.metric}={self.value}"


class MonthlyCounter(RollUpCounter):
    """The month's roll-up (số liệu tổng hợp theo tháng). The key (unit, month, metric) serves the
    boards' reads; on PostgreSQL an index on (month, unit) carrying metric and value serves them
    index-only (migration 0013; 0014 likewise for the quarters and years)."""

    SPAN = "month"
    month = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["unit", "month", "metric"], name="monthly_counter_key")
        ]


class QuarterlyCounter(RollUpCounter):
    """The quarter's roll-up (số liệu tổng hợp theo quý)."""

    SPAN = "quarter"
    quarter = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["unit", "quarter", "metric"], name="quarterly_counter_key")
        ]


class YearlyCounter(RollUpCounter):
    """The year's roll-up (số liệu tổng hợp theo năm)."""

    SPAN = "year"
    year = models.DateField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["unit", "year", "metric"], name="yearly_counter_key")]


class OpenTimeline(models.Model):
    """The QĐ 766 2.1 timeline of a received dossier that has not ended (no terminal status): judged
    at an instant T up to now, it is on time iff ``good_until`` is empty or T ≤ ``good_until``, and
    ``late_from`` is empty or T < ``late_from`` (``dossiers.timelines.open_timeline``: the appointment,
    plus the applicant's time after one supplementation request; late from a second request). The
    boards count the open dossiers of a period from this small table instead of judging them one by
    one. Written only by ``dossiers.counters`` with the counters; a row is deleted when its dossier
    ends."""

    dossier = models.OneToOneField(Dossier, on_delete=models.CASCADE, primary_key=True, related_name="+")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    received_at = models.DateTimeField()
    good_until = models.DateTimeField(null=True)
    late_from = models.DateTimeField(null=True)

    class Meta:
        indexes = [models.Index(fields=["received_at"], name="open_timeline_received")]

    def __str__(self) -> str:
        return f"{self.dossier_id}: {self.good_until} / {self.late_from}"


class CountedFacts(models.Model):
    """What one dossier currently contributes to ``DailyCounter``: ``[[unit_id, "YYYY-MM-DD", metric,
    n], …]``. Each refresh applies the difference between the dossier's facts now and this snapshot."""

    dossier = models.OneToOneField(Dossier, on_delete=models.CASCADE, primary_key=True, related_name="+")
    facts = models.JSONField(default=list)

    def __str__(self) -> str:
        return f"{self.dossier_id}: {len(self.facts)}"
