"""Counts copied from a paper register for a period (``RegisterCount``), append-only.

A correction is a new row that ``replaces`` the one it corrects (one-to-one, so a row is corrected at
most once and the history is a chain); nothing is ever edited or deleted (STYLE.md principle 4). The
*current* entry of a register and period is the row no other row replaces. The database keeps one
chain per (unit, register, field, period): the first row of a chain (``replaces`` empty) is unique per
key, and the service copies the key into every correction.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from motcua.catalog.models import Field
from motcua.organizations.models import Unit


class RegisterKind(models.TextChoices):
    """Which paper book the numbers come from."""

    # Sổ theo dõi hồ sơ (mẫu 06, TT 01/2018/TT-VPCP) of the one-stop counter: every dossier received.
    RECEPTION = "reception", _("Sổ tiếp nhận và trả kết quả (mọi hồ sơ)")
    # A sector's own book for the dossiers of one field (lĩnh vực): civil status, labour, land…
    FIELD = "field", _("Sổ theo dõi của một lĩnh vực")


class RegisterCountQuerySet(models.QuerySet["RegisterCount"]):
    def current(self) -> "RegisterCountQuerySet":
        """Entries not corrected by a later one."""
        return self.filter(replaced_by__isnull=True)

    def of_key(self, entry: "RegisterCount") -> "RegisterCountQuerySet":
        """Every revision of ``entry``'s register and period, oldest first."""
        field = Q(field__isnull=True) if entry.field_id is None else Q(field_id=entry.field_id)
        return self.filter(
            field, unit_id=entry.unit_id, kind=entry.kind, date_from=entry.date_from, date_to=entry.date_to
        ).order_by("entered_at", "pk")


class RegisterCount(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    unit = models.ForeignKey(
        Unit, verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="register_counts"
    )
    kind = models.CharField(_("sổ"), max_length=20, choices=RegisterKind.choices)
    field = models.ForeignKey(
        Field,
        verbose_name=_("lĩnh vực"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="register_counts",
    )
    date_from = models.DateField(_("từ ngày"))
    date_to = models.DateField(_("đến ngày"))
    received = models.PositiveIntegerField(_("số hồ sơ tiếp nhận theo sổ"))
    finished = models.PositiveIntegerField(_("số hồ sơ đã giải quyết theo sổ"), null=True, blank=True)
    late = models.PositiveIntegerField(_("số hồ sơ giải quyết quá hạn theo sổ"), null=True, blank=True)
    note = models.CharField(_("ghi chú"), max_length=500, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người nhập"), on_delete=models.PROTECT, related_name="+"
    )
    entered_at = models.DateTimeField(_("thời điểm nhập"))
    replaces = models.OneToOneField(
        "self",
        verbose_name=_("sửa số liệu của"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="replaced_by",
    )

    objects = RegisterCountQuerySet.as_manager()

    class Meta:
        ordering = ["-date_to", "-date_from", "kind", "field__name", "-entered_at"]
        verbose_name = _("số liệu sổ sách giấy")
        verbose_name_plural = _("số liệu sổ sách giấy")
        indexes = [models.Index(fields=["unit", "-date_to"], name="register_count_unit_to")]
        constraints = [
            models.CheckConstraint(condition=Q(date_from__lte=F("date_to")), name="register_count_period"),
            models.CheckConstraint(
                condition=(Q(kind=RegisterKind.RECEPTION) & Q(field__isnull=True))
                | (Q(kind=RegisterKind.FIELD) & Q(field__isnull=False)),
                name="register_count_field_iff_field_kind",
            ),
            # NULL fields are distinct in a unique index (SQLite and PostgreSQL): one constraint per case
            models.UniqueConstraint(
                fields=["unit", "kind", "date_from", "date_to"],
                condition=Q(replaces__isnull=True, field__isnull=True),
                name="uniq_register_count_reception",
            ),
            models.UniqueConstraint(
                fields=["unit", "kind", "field", "date_from", "date_to"],
                condition=Q(replaces__isnull=True, field__isnull=False),
                name="uniq_register_count_field",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.kind} {self.field_id or ''} {self.date_from}–{self.date_to}"

    @property
    def register_label(self) -> str:
        """The book's name as shown: the reception book, or "Sổ lĩnh vực <name>"."""
        if self.kind == RegisterKind.FIELD and self.field is not None:
            return str(_("Sổ lĩnh vực %(name)s") % {"name": self.field.name})
        return str(self.get_kind_display())
