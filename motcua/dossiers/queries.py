"""Protected reads of dossiers: the scoped queryset every list starts from, the guarded getter, the
officer's worklist, the online reception queue, search, and the appointment question.

Officers see the dossiers of the units where they hold a current role: received there, handled there,
or with a step there (consultation, liên thông). Applicants see the dossiers filed from their account.
"Not found" and "not yours" look the same (``NotFound``).
"""

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.db import models
from django.db.models import Case, Exists, OuterRef, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.accounts.models import User
from motcua.core.errors import DomainError, NotFound
from motcua.core.text import fold_vi
from motcua.core.worktime import TZ
from motcua.dossiers.workflow import OPEN, Channel, Status
from motcua.organizations.models import Membership

if TYPE_CHECKING:
    from motcua.catalog.models import Procedure
    from motcua.dossiers.models import Dossier, DossierStep
    from motcua.organizations.models import Unit

# A step is "due soon" in the worklist when its deadline is less than this away.
DUE_SOON = dt.timedelta(hours=8)


def _officer_units(user: User) -> "models.QuerySet[Membership, Any]":
    """Ids of the units where ``user`` holds a current role (a subquery)."""
    return Membership.objects.current().filter(user=user, unit__is_active=True).values("unit")


class DossierQuerySet(models.QuerySet["Dossier"]):
    def visible_to(self, user: User) -> "DossierQuerySet":
        """Dossiers ``user`` may see: receiving or responsible unit or a step in a unit where they hold
        a current role, plus the dossiers filed from their own account."""
        from motcua.dossiers.models import DossierStep

        if not user.is_authenticated or not user.is_active:
            return self.none()
        units = _officer_units(user)
        step_here = DossierStep.objects.filter(dossier=OuterRef("pk"), unit__in=units)
        return self.filter(
            Q(receiving_unit__in=units)
            | Q(responsible_unit__in=units)
            | Q(Exists(step_here))
            | Q(applicant_user=user)
        )

    def open(self) -> "DossierQuerySet":
        return self.filter(status__in=[str(s) for s in OPEN])

    def overdue(self, at: dt.datetime | None = None) -> "DossierQuerySet":
        """Open dossiers past their appointment at ``at`` (now by default)."""
        return self.open().filter(due_at__lt=at or timezone.now())

    def due_within(self, delta: dt.timedelta, at: dt.datetime | None = None) -> "DossierQuerySet":
        """Open dossiers whose appointment falls in ``[at, at + delta]``."""
        now = at or timezone.now()
        return self.open().filter(due_at__gte=now, due_at__lte=now + delta)


def get_dossier_for_user(user: User, code: str) -> "Dossier":
    """The dossier with ``code`` if ``user`` may see it; ``NotFound`` when missing *or* not visible."""
    from motcua.dossiers.models import Dossier

    wanted = code.strip().upper()
    dossier = (
        Dossier.objects.visible_to(user)
        .select_related("procedure", "receiving_unit", "responsible_unit")
        .filter(code=wanted)
        .first()
    )
    if dossier is None:
        raise NotFound(_("Không tìm thấy hồ sơ có mã «%(code)s».") % {"code": code.strip()[:60]})
    return dossier


def worklist(user: User, at: dt.datetime | None = None) -> "models.QuerySet[DossierStep]":
    """Open steps for ``user``: assigned to them, or not assigned to anyone yet and waiting for a role
    they hold in the step's unit.

    Ordered by step deadline (earliest first); each row carries ``is_overdue`` and ``is_due_soon``
    (deadline within ``DUE_SOON``). Only dossiers still open (not closed, not before reception).
    """
    from motcua.dossiers.models import DossierStep

    now = at or timezone.now()
    if not user.is_authenticated or not user.is_active:
        return DossierStep.objects.none()
    holds_role = Membership.objects.current().filter(
        user=user, unit=OuterRef("unit"), role=OuterRef("role"), unit__is_active=True
    )
    return (
        DossierStep.objects.filter(started_at__isnull=False, finished_at__isnull=True)
        .filter(dossier__status__in=[str(s) for s in OPEN])
        .filter(Q(assignee=user) | Q(Exists(holds_role), assignee__isnull=True))
        .select_related("dossier", "dossier__procedure", "unit", "assignee")
        .annotate(
            is_overdue=Case(When(due_at__lt=now, then=Value(True)), default=Value(False)),
            is_due_soon=Case(
                When(due_at__gte=now, due_at__lt=now + DUE_SOON, then=Value(True)), default=Value(False)
            ),
        )
        .order_by("due_at", "id")
    )


def reception_queue(unit: "Unit") -> "DossierQuerySet":
    """Dossiers waiting for reception at ``unit``'s counter, the most urgent first (8-hour rule)."""
    from motcua.dossiers.models import Dossier

    return (
        Dossier.objects.filter(receiving_unit=unit, status=Status.SUBMITTED)
        .select_related("procedure")
        .order_by("reception_due_at", "submitted_at", "id")
    )


def search(
    user: User,
    *,
    text: str = "",
    status: Status | None = None,
    procedure: "Procedure | None" = None,
    submitted_from: dt.date | None = None,
    submitted_to: dt.date | None = None,
) -> "DossierQuerySet":
    """Visible dossiers matching every folded word of ``text`` (code, names, ID numbers, without
    diacritics), the status, the procedure and the local submission dates (both ends inclusive)."""
    from motcua.dossiers.models import Dossier

    qs = Dossier.objects.visible_to(user)
    for word in fold_vi(text).split():
        qs = qs.filter(search_folded__contains=word)
    if status is not None:
        qs = qs.filter(status=status)
    if procedure is not None:
        qs = qs.filter(procedure=procedure)
    if submitted_from is not None:
        qs = qs.filter(submitted_at__gte=dt.datetime.combine(submitted_from, dt.time(0), tzinfo=TZ))
    if submitted_to is not None:
        end = dt.datetime.combine(submitted_to + dt.timedelta(days=1), dt.time(0), tzinfo=TZ)
        qs = qs.filter(submitted_at__lt=end)
    return qs.select_related("procedure", "responsible_unit").order_by("-submitted_at", "-id")


class AppointmentQuestionError(DomainError):
    """The appointment question cannot be answered (unknown procedure or unit, bad instant)."""


def appointment_for(
    procedure_code: str, unit_code: str, at: dt.datetime, channel: int = Channel.DIRECT
) -> dt.datetime | None:
    """ "If a dossier of this procedure arrives at this unit at ``at``, when is the appointment?"

    The same rule as reception (``deadlines.appointment`` with the unit's calendar in force on the
    local date of ``at``); ``None`` for procedures without a time limit. For the portal's procedure
    page, the API and ``motcua appointment``.
    """
    from motcua.catalog.models import Procedure
    from motcua.dossiers import deadlines
    from motcua.organizations.calendars import calendar_for_unit
    from motcua.organizations.models import Unit

    if at.tzinfo is None or at.utcoffset() is None:
        raise AppointmentQuestionError(
            _("Thời điểm nộp «%(at)s» thiếu múi giờ: hãy ghi rõ, ví dụ 2024-02-07T15:30:00+07:00.")
            % {"at": at.isoformat()}
        )
    if channel not in Channel.values:
        raise AppointmentQuestionError(
            _("Kênh nộp «%(channel)s» không hợp lệ: 1 trực tiếp, 2 trực tuyến, 3 bưu chính.")
            % {"channel": channel}
        )
    procedure = Procedure.objects.filter(code=procedure_code.strip()).first()
    if procedure is None:
        raise NotFound(_("Không có thủ tục mã «%(code)s».") % {"code": procedure_code.strip()[:40]})
    unit = Unit.objects.active().filter(code=unit_code.strip()).first()
    if unit is None:
        raise NotFound(_("Không có đơn vị đang hoạt động mã «%(code)s».") % {"code": unit_code.strip()[:40]})
    calendar = calendar_for_unit(unit, at.astimezone(TZ).date())
    return deadlines.appointment(procedure, calendar, at, channel=channel)
