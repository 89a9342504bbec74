"""Shared-kernel tables (the working-calendar overrides and the number sequences) and model helpers."""

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.core.text import fold_vi


class CalendarOverride(models.Model):
    """A day that differs from the statutory calendar of the ``holidays`` package.

    The Government announces compensatory days off and swapped working Saturdays each year
    (Bộ luật Lao động 2019 Điều 111–112; yearly notices of the Ministry of Home Affairs). An admin
    records them here with the legal basis; ``core.worktime`` applies them on top of ``holidays.VN``.
    """

    class Kind(models.TextChoices):
        DAY_OFF = "day_off", _("Ngày nghỉ")
        WORKING_DAY = "working_day", _("Ngày làm việc (làm bù)")

    day = models.DateField(_("ngày"), unique=True)
    kind = models.CharField(_("loại"), max_length=20, choices=Kind.choices)
    note = models.CharField(_("ghi chú"), max_length=255, blank=True)
    legal_basis = models.CharField(_("căn cứ pháp lý"), max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["day"]
        verbose_name = _("ngày điều chỉnh lịch làm việc")
        verbose_name_plural = _("ngày điều chỉnh lịch làm việc")

    def __str__(self) -> str:
        return f"{self.day:%d/%m/%Y} {self.get_kind_display()}"


class NumberSequence(models.Model):
    """The last number handed out in one scope (agency code, book) and period (day, year).

    Incremented with one ``INSERT … ON CONFLICT DO UPDATE … RETURNING`` statement so several processes
    never hand out the same number (see ``core.numbering``).
    """

    scope = models.CharField(max_length=100)
    period = models.CharField(max_length=20)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["scope", "period"], name="uniq_sequence_scope_period")]

    def __str__(self) -> str:
        return f"{self.scope}/{self.period}: {self.last}"


class IssuedNumber(models.Model):
    """Every number handed out, with what it was for: the audit trail that makes gaps detectable."""

    scope = models.CharField(max_length=100)
    period = models.CharField(max_length=20)
    number = models.PositiveIntegerField()
    reference = models.CharField(max_length=100, blank=True)
    issued_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["scope", "period", "number"], name="uniq_issued_number"),
        ]

    def __str__(self) -> str:
        return f"{self.scope}/{self.period}#{self.number}"


class FoldedNameModel(models.Model):
    """Keeps ``name_folded`` (declared by the concrete model) equal to ``fold_vi(name)`` on every save,
    also when only ``name`` is among ``update_fields``. No fields of its own: no migration."""

    name: str
    name_folded: str

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.name_folded = fold_vi(self.name)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "name" in update_fields:
            kwargs["update_fields"] = {*update_fields, "name_folded"}
        super().save(*args, **kwargs)


class ThrottleCounter(models.Model):
    """Attempts of one kind (``scope``) from one source (``key_hash``) in the current fixed window.

    Public endpoints that a stranger could use to guess (the status lookup by dossier code and a second
    factor) are throttled across every app process (QUALITY.md, security item 11). The key is stored
    only as a keyed hash: no IP address or dossier code sits in this table. Bumped with one
    ``INSERT … ON CONFLICT DO UPDATE … RETURNING`` statement (see ``core.throttle``).
    """

    scope = models.CharField(max_length=40)
    key_hash = models.CharField(max_length=64)
    window_started_at = models.DateTimeField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["scope", "key_hash"], name="uniq_throttle_scope_key"),
        ]
        indexes = [models.Index(fields=["window_started_at"], name="throttle_window")]

    def __str__(self) -> str:
        return f"{self.scope}/{self.key_hash[:8]}: {self.count}"
