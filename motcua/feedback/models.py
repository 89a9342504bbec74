"""Ratings of finished dossiers (TT 01/2018/TT-VPCP indices) and feedback (phản ánh, kiến nghị, PAKN).

A rating is given once and never changed: ``DossierRating`` and its ``OfficerRating`` rows refuse
updates and deletes (NĐ 61/2018 Điều 27: evaluation must be objective; the circular provides no
correction procedure, so the first answer stands). ``Feedback`` status and answer are written only by
``feedback.services``; every change appends a ``FeedbackEvent``.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from motcua.catalog.models import Procedure
from motcua.dossiers.models import Dossier, Rating
from motcua.dossiers.workflow import Verdict
from motcua.organizations.models import Unit


class ImmutableRowError(Exception):
    pass


class AppendOnly(models.Model):
    """Rows written once: ``save`` refuses an update and ``delete`` refuses."""

    class Meta:
        abstract = True

    def save(self, *args: object, **kwargs: object) -> None:
        if self.pk is not None and not kwargs.get("force_insert"):
            raise ImmutableRowError(f"{type(self).__name__} rows are append-only")
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        raise ImmutableRowError(f"{type(self).__name__} rows are append-only")


class RatingChannel(models.TextChoices):
    """Where the rating was given (NĐ 61/2018 Điều 29: counter devices, online rating)."""

    ONLINE = "online", _("Trực tuyến (tài khoản của người nộp)")
    COUNTER_DEVICE = "counter_device", _("Thiết bị đánh giá tại Bộ phận Một cửa")


def _index_field(number: int) -> models.PositiveSmallIntegerField:  # type: ignore[type-arg]
    return models.PositiveSmallIntegerField(_("chỉ số %(n)d") % {"n": number})


def _index_checks(prefix: str, numbers: tuple[int, ...]) -> list[models.BaseConstraint]:
    return [
        models.CheckConstraint(condition=Q(**{f"index_{n}__lte": 2}), name=f"{prefix}_index_{n}_0_2")
        for n in numbers
    ]


class DossierRating(AppendOnly):
    """The applicant's evaluation of one returned dossier: the satisfaction level and TT 01/2018
    indices 1, 3, 4, 7 (0/1/2 points each). One per dossier (unique), never changed."""

    dossier = models.OneToOneField(Dossier, on_delete=models.PROTECT, related_name="evaluation")
    unit = models.ForeignKey(
        Unit, verbose_name=_("đơn vị giải quyết"), on_delete=models.PROTECT, related_name="+"
    )
    channel = models.CharField(_("hình thức đánh giá"), max_length=20, choices=RatingChannel.choices)
    satisfaction = models.CharField(_("mức độ hài lòng"), max_length=20, choices=Rating.choices)
    index_1 = _index_field(1)
    index_3 = _index_field(3)
    index_4 = _index_field(4)
    index_7 = _index_field(7)
    comment = models.TextField(_("ý kiến khác"), blank=True, max_length=2000)
    rated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # the officer signed in on the counter device (accountability of the device, not the rater)
    device_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("thời điểm đánh giá"), db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("đánh giá hồ sơ")
        verbose_name_plural = _("đánh giá hồ sơ")
        indexes = [models.Index(fields=["unit", "created_at"], name="rating_unit_created")]
        constraints = _index_checks("rating", (1, 3, 4, 7))

    def __str__(self) -> str:
        return f"{self.dossier_id} {self.satisfaction}"

    @property
    def score(self) -> int:
        return int(self.index_1) + int(self.index_3) + int(self.index_4) + int(self.index_7)


class OfficerRating(AppendOnly):
    """The rating as it counts for one officer who handled the dossier (received it, performed a step
    or returned the result): TT 01/2018 Điều 15 scores officials on indices 1, 2, 3, 4, 7. Index 2
    comes from the verdicts of that officer's own steps (None when they had no timed step)."""

    rating = models.ForeignKey(DossierRating, on_delete=models.PROTECT, related_name="officers")
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # for imported history without user accounts (DossierStep.actor_name)
    officer_name = models.CharField(_("cán bộ"), max_length=200)
    unit = models.ForeignKey(Unit, verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="+")
    satisfaction = models.CharField(_("mức độ hài lòng"), max_length=20, choices=Rating.choices)
    index_1 = _index_field(1)
    index_2 = models.PositiveSmallIntegerField(_("chỉ số 2"), null=True, blank=True)
    index_3 = _index_field(3)
    index_4 = _index_field(4)
    index_7 = _index_field(7)
    created_at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("đánh giá cán bộ")
        verbose_name_plural = _("đánh giá cán bộ")
        indexes = [models.Index(fields=["unit", "officer"], name="officer_rating_unit")]
        constraints = [
            *_index_checks("officer_rating", (1, 2, 3, 4, 7)),
            models.UniqueConstraint(
                fields=["rating", "officer"], condition=Q(officer__isnull=False), name="uniq_officer_rating"
            ),
            models.UniqueConstraint(
                fields=["rating", "officer_name"],
                condition=Q(officer__isnull=True),
                name="uniq_officer_rating_name",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.rating_id} {self.officer_name}"


class FeedbackSubject(models.TextChoices):
    PROCEDURE = "procedure", _("Thủ tục hành chính, quy định hành chính")
    OFFICER = "officer", _("Cán bộ, công chức")
    UNIT = "unit", _("Cơ quan, đơn vị")
    OTHER = "other", _("Nội dung khác")


class FeedbackCategory(models.TextChoices):
    """Classification by the officer (QĐ 766 indicator 5.1: about regulations and procedures, or about
    officials' behaviour; TT 01/2018 index 7 counts PAKN about harassment)."""

    REGULATION = "regulation", _("Quy định, thủ tục hành chính")
    PROCESSING = "processing", _("Việc tiếp nhận, giải quyết hồ sơ")
    CONDUCT = "conduct", _("Hành vi, thái độ của cán bộ, công chức (phiền hà, sách nhiễu)")
    OTHER = "other", _("Khác")


class FeedbackStatus(models.TextChoices):
    RECEIVED = "received", _("Đã tiếp nhận")
    ASSIGNED = "assigned", _("Đang xử lý")
    ANSWERED = "answered", _("Đã trả lời, chờ công khai")
    PUBLISHED = "published", _("Đã công khai")


class Feedback(models.Model):
    """One PAKN: what it is about, who sent it (personal data: never in URLs or logs), who handles it,
    the handling deadline (15 working days, QĐ 766 indicator 5.2) and the written answer."""

    code = models.CharField(_("mã phản ánh, kiến nghị"), max_length=30, unique=True)
    unit = models.ForeignKey(
        Unit, verbose_name=_("cơ quan tiếp nhận"), on_delete=models.PROTECT, related_name="+"
    )
    subject = models.CharField(_("đối tượng phản ánh"), max_length=20, choices=FeedbackSubject.choices)
    procedure = models.ForeignKey(
        Procedure,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("thủ tục"),
    )
    dossier = models.ForeignKey(
        Dossier, null=True, blank=True, on_delete=models.PROTECT, related_name="feedback"
    )
    subject_detail = models.CharField(_("cán bộ hoặc nội dung cụ thể"), max_length=200, blank=True)
    title = models.CharField(_("tiêu đề"), max_length=200)
    content = models.TextField(_("nội dung"), max_length=5000)
    category = models.CharField(_("phân loại"), max_length=20, choices=FeedbackCategory.choices, blank=True)
    status = models.CharField(
        _("trạng thái"), max_length=20, choices=FeedbackStatus.choices, default=FeedbackStatus.RECEIVED
    )
    version = models.PositiveIntegerField(default=1)

    # the sender (personal data)
    submitter_name = models.CharField(_("họ và tên"), max_length=150)
    submitter_email = models.EmailField(_("thư điện tử"), blank=True)
    submitter_phone = models.CharField(_("số điện thoại"), max_length=20, blank=True)
    submitter_address = models.CharField(_("địa chỉ"), max_length=300, blank=True)
    submitter_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    # handling
    assigned_unit = models.ForeignKey(
        Unit,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("đơn vị xử lý"),
    )
    assigned_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("cán bộ xử lý"),
    )
    received_at = models.DateTimeField(_("thời điểm tiếp nhận"), db_index=True)
    due_at = models.DateTimeField(_("hạn trả lời"), db_index=True)
    answer = models.TextField(_("nội dung trả lời"), blank=True, max_length=10000)
    answered_at = models.DateTimeField(_("thời điểm trả lời"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    verdict = models.CharField(_("đúng hạn"), max_length=10, choices=Verdict.choices, blank=True)
    publish_due_at = models.DateTimeField(_("hạn công khai"), null=True, blank=True)
    published_at = models.DateTimeField(_("thời điểm công khai"), null=True, blank=True, db_index=True)
    like_count = models.PositiveIntegerField(default=0)
    dislike_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = _("phản ánh, kiến nghị")
        verbose_name_plural = _("phản ánh, kiến nghị")
        indexes = [models.Index(fields=["unit", "status"], name="feedback_unit_status")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status__in=["answered", "published"]) | Q(answered_at__isnull=False),
                name="feedback_answered_has_time",
            ),
            models.CheckConstraint(
                condition=~Q(status="published") | Q(published_at__isnull=False),
                name="feedback_published_has_time",
            ),
        ]

    def __str__(self) -> str:
        return self.code


class FeedbackEvent(AppendOnly):
    """Append-only history of a PAKN: received, classified, assigned, answered, published."""

    class Kind(models.TextChoices):
        RECEIVED = "received", _("Tiếp nhận")
        CLASSIFIED = "classified", _("Phân loại")
        ASSIGNED = "assigned", _("Giao xử lý")
        ANSWERED = "answered", _("Trả lời bằng văn bản")
        PUBLISHED = "published", _("Công khai kết quả")

    feedback = models.ForeignKey(Feedback, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    at = models.DateTimeField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["feedback", "at", "id"]

    def __str__(self) -> str:
        return f"{self.feedback_id} {self.kind}"


class Reaction(models.TextChoices):
    LIKE = "like", _("Hài lòng")
    DISLIKE = "dislike", _("Không hài lòng")


class AnswerReaction(AppendOnly):
    """A like or dislike on a published answer (QĐ 766 indicator 5.3), one per signed-in user or, for
    anonymous visitors, one per browser session; never changed."""

    feedback = models.ForeignKey(Feedback, on_delete=models.PROTECT, related_name="reactions")
    kind = models.CharField(max_length=10, choices=Reaction.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    session_key = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["feedback", "user"], condition=Q(user__isnull=False), name="uniq_reaction_user"
            ),
            models.UniqueConstraint(
                fields=["feedback", "session_key"],
                condition=Q(user__isnull=True),
                name="uniq_reaction_session",
            ),
            models.CheckConstraint(
                condition=Q(user__isnull=False) | ~Q(session_key=""), name="reaction_has_owner"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.feedback_id} {self.kind}"
