"""Protected reads of dossiers: the scoped queryset every list starts from, the guarded getter, the
officer's worklist, the online reception queue, search, and the appointment question.

Officers see the dossiers of the units where they hold a current role: received there, handled there,
or with a step there (consultation, liên thông). Applicants see the dossiers filed from their account.
"Not found" and "not yours" look the same (``NotFound``).
"""

import datetime as dt
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

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
    from django.db.models.fields.files import FieldFile

    from motcua.catalog.models import Procedure
    from motcua.documents.models import StoredDocument
    from motcua.dossiers.models import Dossier, DossierDraft, DossierStep
    from motcua.organizations.models import Unit

# A step is "due soon" in the worklist when its deadline is less than this away.
DUE_SOON = dt.timedelta(hours=8)
# A folded search word that can only be the beginning of a dossier code (agency code "000.00.00.H00").
CODE_PREFIX = re.compile(r"^[0-9]{3}\.")


def officer_unit_ids(user: User) -> list[int]:
    """Ids of the active units where ``user`` holds a current role (one small query)."""
    return sorted(
        set(
            Membership.objects.current()
            .filter(user=user, unit__is_active=True)
            .values_list("unit_id", flat=True)
        )
    )


class DossierQuerySet(models.QuerySet["Dossier"]):
    def visible_to(self, user: User) -> "DossierQuerySet":
        """Dossiers ``user`` may see: receiving or responsible unit or a step (process, consultation,
        liên thông) in a unit where they hold a current role, plus the dossiers filed from their own
        account.

        The units are resolved first and passed as literals; visibility is the ``UNION`` of one
        index-backed branch per reason (``dossier_recv_submitted``, ``dossier_resp_submitted``,
        ``step_unit_dossier``, the applicant foreign key), never an ``OR`` of subqueries that would
        make PostgreSQL scan every dossier (issue 3).
        """
        from motcua.dossiers.models import Dossier, DossierStep

        if not user.is_authenticated or not user.is_active:
            return self.none()
        units = officer_unit_ids(user)
        own = Dossier.objects.filter(applicant_user=user).order_by().values("pk")
        if not units:
            return self.filter(pk__in=own)
        branches = (
            Dossier.objects.filter(receiving_unit__in=units).order_by().values("pk"),
            Dossier.objects.filter(responsible_unit__in=units).order_by().values("pk"),
            DossierStep.objects.filter(unit__in=units).order_by().values("dossier_id"),
        )
        return self.filter(pk__in=own.union(*branches))

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
    # One query (the worklist's query count is fixed), a UNION of two walks of partial indexes
    # (migration 0003): the officer's own open steps (``step_open_assignee_due``) and the unassigned
    # open steps of a unit and role they hold (``step_open_unit_role_due``, index-only). An ``OR`` of
    # the two made PostgreSQL read every unassigned open step of the province from the heap.
    holds_role = Membership.objects.current().filter(
        user=user, unit=OuterRef("unit"), role=OuterRef("role"), unit__is_active=True
    )
    open_steps = DossierStep.objects.filter(started_at__isnull=False, finished_at__isnull=True).order_by()
    assigned = open_steps.filter(assignee=user).values("pk")
    waiting = open_steps.filter(assignee__isnull=True).filter(Exists(holds_role)).values("pk")
    return (
        DossierStep.objects.filter(pk__in=assigned.union(waiting))
        .filter(dossier__status__in=[str(s) for s in OPEN])
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
    diacritics), the status, the procedure and the local submission dates (both ends inclusive).

    Each word is a substring test on ``search_folded`` (``LIKE '%word%'``, backed on PostgreSQL by the
    pg_trgm index of migration 0003). A word that starts like a dossier code (``000.``) can only match
    the start of the code: only the code has dots, and an agency code (QCVN 102:2016, checked by
    ``organizations.codes.validate_agency_code``: ``VVV.ZZ.YY.MXX``) has three digits before a dot
    only in its first group, so it also gets ``code LIKE 'WORD%'`` on the code's index: same rows, found
    by index. Newest first, ``id`` breaking ties (``dossier_*_submitted`` indexes).
    """
    from motcua.dossiers.models import Dossier

    qs = Dossier.objects.visible_to(user)
    for word in fold_vi(text).split():
        qs = qs.filter(search_folded__contains=word)
        if CODE_PREFIX.match(word):
            qs = qs.filter(code__startswith=word.upper())
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


# --- the applicant's own dossiers and the public status lookup (portal: tracking and results) --------

# Statuses in which the result exists and belongs to the applicant (national codes 9 and 10).
RESULT_STATUSES = (Status.PROCESSED, Status.RETURNED)
# The public lookup's second factor: the last digits of the applicant's ID number, or the phone.
LOOKUP_ID_DIGITS = 4
_DIGITS = frozenset("0123456789")
_NO_MATCH = "\x00"  # compared when there is nothing to compare with: never equal to digits


def _proven_id_numbers(user: User) -> list[str]:
    """The ID numbers (national ID, tax code) the account has *proved* it holds.

    Only an identity the national identity provider vouched for counts (``identity_verified_at``, set
    at an OpenID Connect sign-in): a number merely typed into a local account would otherwise open
    another person's dossiers.
    """
    if getattr(user, "identity_verified_at", None) is None:
        return []
    return [n for n in (user.national_id, user.tax_code) if n]


def dossiers_of_applicant(user: User) -> "DossierQuerySet":
    """The dossiers of a signed-in applicant ("Hồ sơ của tôi").

    Those filed from the account (``applicant_user``), plus, for an account whose ID number is
    verified, those where that number is the submitter's or the owner's (counter dossiers of the same
    person: results return to the person's own account, DOMAIN.md §5 "chính chủ").
    """
    from motcua.dossiers.models import Dossier

    if not user.is_authenticated or not user.is_active:
        return Dossier.objects.none()
    mine = Q(applicant_user=user)
    numbers = _proven_id_numbers(user)
    if numbers:
        mine |= Q(applicant_id_number__in=numbers) | Q(owner_id_number__in=numbers)
    return Dossier.objects.filter(mine)


def get_dossier_for_applicant(user: User, code: str) -> "Dossier":
    """The applicant's own dossier with ``code``; ``NotFound`` when missing *or* someone else's."""
    wanted = code.strip().upper()
    dossier = (
        dossiers_of_applicant(user)
        .select_related("procedure", "receiving_unit", "responsible_unit")
        .filter(code=wanted)
        .first()
    )
    if dossier is None:
        raise NotFound(_("Không tìm thấy hồ sơ có mã «%(code)s».") % {"code": code.strip()[:60]})
    return dossier


def results_of_applicant(user: User) -> "DossierQuerySet":
    """The applicant's dossiers with a result file ready or returned, newest first ("Kết quả của tôi")."""
    return (
        dossiers_of_applicant(user)
        .filter(status__in=[str(s) for s in RESULT_STATUSES])
        .exclude(result_file="")
        .select_related("procedure", "receiving_unit")
        .order_by("-processed_at", "-id")
    )


def _digits(value: str) -> str:
    return "".join(ch for ch in value if ch in _DIGITS)


def normalize_phone(value: str) -> str:
    """Digits of a Vietnamese phone number in the national form: ``+84 912…`` and ``0912…`` agree."""
    digits = _digits(value)
    if digits.startswith("84") and len(digits) == 11:
        digits = "0" + digits[2:]
    return digits


def lookup_dossier(code: str, second_factor: str) -> "Dossier | None":
    """The dossier for the public status lookup, or ``None``.

    The code alone is not enough (it is printed on the receipt and its neighbours are easy to guess):
    the caller must also give the phone number recorded on the dossier, or the last
    ``LOOKUP_ID_DIGITS`` digits of the submitter's ID number (QUALITY.md security item 11). The
    comparison runs in constant time and also runs when the code does not exist, so neither the answer
    nor its timing tells an unknown code from a wrong second factor. Throttling is the caller's job.
    """
    import hmac  # here, not at the top: this block is appended to a module others edit

    from motcua.dossiers.models import Dossier

    dossier = (
        Dossier.objects.select_related("procedure", "receiving_unit", "responsible_unit")
        .filter(code=code.strip().upper())
        .first()
    )
    given = _digits(second_factor)
    by_id = len(given) == LOOKUP_ID_DIGITS
    expected = ""
    if dossier is not None:
        if by_id:
            number = _digits(dossier.applicant_id_number)
            expected = number[-LOOKUP_ID_DIGITS:] if len(number) >= LOOKUP_ID_DIGITS else ""
        else:
            given = normalize_phone(second_factor)
            expected = normalize_phone(dossier.phone)
    matches = hmac.compare_digest((expected or _NO_MATCH).encode(), given.encode())
    return dossier if matches and expected else None


# --- online submission: the applicant's data store (documents.store), drafts ----------------------------


@dataclass(frozen=True)
class ReusableDocument:
    """A paper the applicant may reuse instead of uploading it again (NĐ 107/2021 Điều 21a; NĐ 45/2020
    Điều 16): one document of their data store (``documents.StoredDocument``), with its typed fields."""

    key: str  # "s<stored document id>"
    kind: str  # documents.StoredKind: "result" | "component" | "certified_copy"
    name: str
    dossier_code: str
    catalog_component_id: int | None
    issued_on: dt.date | None
    file: "FieldFile"
    document: "StoredDocument"
    number: str = ""
    issuer: str = ""
    valid_until: dt.date | None = None
    is_signed: bool = False


REUSABLE_LIMIT = 100


def store_owner_of(user: User) -> str:
    """The ID number keying the user's data store: the national ID (số định danh cá nhân) of a
    citizen, the tax code of an organisation — only once the account has *proved* it holds that number
    through the national identity provider (``_proven_id_numbers``): a number merely typed into a local
    account must never open another person's papers. "" for officers, anonymous and unproven users."""
    if not user.is_authenticated or not user.is_active or user.kind != User.Kind.APPLICANT:
        return ""
    numbers = _proven_id_numbers(user)
    return numbers[0].strip() if numbers else ""


def reusable_documents_for(user: User, at: dt.date | None = None) -> list[ReusableDocument]:
    """The applicant's own data store (``documents.store.documents_of`` of their ID number): documents
    not withdrawn and still valid today, newest first (NĐ 107/2021 Điều 21a). Keys are checked against
    this list, so an applicant can never reuse another person's paper by guessing an id.
    """
    from motcua.documents.models import StoredKind
    from motcua.documents.store import documents_of

    owner = store_owner_of(user)
    if not owner:
        return []
    day = at or timezone.localdate(timezone=TZ)
    prefixes = {
        StoredKind.RESULT: _("Kết quả"),
        StoredKind.CERTIFIED_COPY: _("Bản sao chứng thực điện tử"),
    }
    documents = []
    for document in documents_of(owner, at=day)[:REUSABLE_LIMIT]:
        prefix = prefixes.get(StoredKind(document.kind))
        documents.append(
            ReusableDocument(
                key=f"s{document.pk}",
                kind=document.kind,
                name=f"{prefix}: {document.title}" if prefix else document.title,
                dossier_code=document.source_dossier_code,
                catalog_component_id=document.catalog_component_id,
                issued_on=document.issued_on,
                file=document.file,
                document=document,
                number=document.number,
                issuer=document.issuer,
                valid_until=document.valid_until,
                is_signed=document.is_signed,
            )
        )
    return documents


def drafts_of(user: User, at: dt.datetime | None = None) -> "models.QuerySet[DossierDraft]":
    """The applicant's drafts that have not expired, last saved first (only the owner sees them)."""
    from motcua.dossiers.models import DossierDraft

    if not user.is_authenticated:
        return DossierDraft.objects.none()
    return (
        DossierDraft.objects.filter(owner=user, expires_at__gt=at or timezone.now())
        .select_related("procedure")
        .order_by("-updated_at")
    )


def supplement_request_items(dossier: "Dossier") -> list[dict[str, str]]:
    """What the last supplementation request listed (form 02 / during appraisal): every missing item
    with its reason, exactly as the officer wrote it in the event."""
    from motcua.dossiers.models import DossierEvent
    from motcua.dossiers.workflow import EventKind

    event = (
        DossierEvent.objects.filter(dossier=dossier, kind=EventKind.SUPPLEMENT_REQUESTED)
        .order_by("-at", "-id")
        .first()
    )
    if event is None:
        return []
    items = event.data.get("items") or []
    return [
        {"name": str(item.get("name", "")), "reason": str(item.get("reason", ""))}
        for item in items
        if isinstance(item, dict) and item.get("name")
    ]
