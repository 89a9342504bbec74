"""The write API of ratings and PAKN: one keyword-only, atomic service per change.

Anatomy (STYLE.md): lock the row → check the rule and the actor's capability → write with
``update_fields`` → append a ``FeedbackEvent`` (PAKN) or an immutable row (ratings) → outbox rows for
the notifications in the same transaction. Errors are ``core.errors`` domain errors in Vietnamese.
"""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.accounts.models import User
from motcua.catalog.models import Procedure
from motcua.core import numbering
from motcua.core.errors import Conflict, DomainError, InputProblem, InvalidInput, NotFound
from motcua.core.worktime import to_local
from motcua.dossiers.models import Dossier, DossierEvent, DossierStep, Rating
from motcua.dossiers.workflow import EventKind, Status
from motcua.feedback import deadlines, indices, permissions
from motcua.feedback.models import (
    AnswerReaction,
    DossierRating,
    Feedback,
    FeedbackCategory,
    FeedbackEvent,
    FeedbackStatus,
    FeedbackSubject,
    OfficerRating,
    RatingChannel,
    Reaction,
)
from motcua.notifications.services import enqueue
from motcua.organizations.models import Unit

# --- ratings (TT 01/2018/TT-VPCP Điều 12–15) -------------------------------------------------------


def rating_problems(*, satisfaction: str, scores: dict[str, Any]) -> list[InputProblem]:
    """Every problem of a rating, each naming its field in Vietnamese."""
    problems = []
    if satisfaction not in Rating.values:
        problems.append(
            InputProblem(
                _("Hãy chọn mức độ hài lòng: rất hài lòng, hài lòng hoặc không hài lòng."), "satisfaction"
            )
        )
    for index in indices.APPLICANT_INDICES:
        problem = indices.index_problem(index, scores.get(index.field))
        if problem:
            problems.append(InputProblem(problem, index.field))
    return problems


def _officers_of(dossier: Dossier) -> dict[tuple[int | None, str], dict[str, Any]]:
    """Who handled the dossier: the officer of each step (who finished it, else its assignee, else the
    imported ``actor_name``) with the verdicts of their steps, plus the officers who received it and
    returned its result at the counter."""
    found: dict[tuple[int | None, str], dict[str, Any]] = {}

    def add(user: User | None, name: str, unit_id: int, verdict: str = "") -> None:
        if user is not None and not user.is_officer:
            return
        key = (user.pk, "") if user is not None else (None, name.strip())
        if key == (None, ""):
            return
        entry = found.setdefault(
            key,
            {
                "officer": user,
                "name": (str(user) if user else name.strip())[:200],
                "unit_id": unit_id,
                "verdicts": [],
            },
        )
        if verdict:
            entry["verdicts"].append(verdict)

    for step in DossierStep.objects.filter(dossier=dossier).select_related("finished_by", "assignee"):
        add(step.finished_by or step.assignee, step.actor_name, step.unit_id, step.verdict)
    counter_events = DossierEvent.objects.filter(
        dossier=dossier, kind__in=[EventKind.RECEIVED, EventKind.RETURNED]
    ).select_related("actor")
    for event in counter_events:
        add(event.actor, event.actor_name, dossier.receiving_unit_id)
    return found


@transaction.atomic
def rate_dossier(
    *,
    dossier_id: int,
    channel: RatingChannel,
    satisfaction: str,
    scores: dict[str, Any],
    comment: str = "",
    by: User | None = None,
    device_officer: User | None = None,
) -> DossierRating:
    """Record the applicant's evaluation of a returned dossier (TT 01/2018 Điều 12–14: indices 1, 3, 4,
    7 are collected from the applicant by online rating or a counter device; NĐ 61/2018 Điều 29).

    Online: only the applicant who filed it from their account. Counter device: the device's signed-in
    officer must work at the dossier's receiving or responsible unit. Only once per dossier — a rating
    imported with the dossier counts. Each officer who handled the dossier gets an ``OfficerRating``;
    ``Dossier.rating`` (the interchange and indicator 5.4 column) gets the satisfaction level.
    """
    dossier = (
        Dossier.objects.select_for_update(of=("self",))
        .select_related("receiving_unit", "responsible_unit")
        .filter(pk=dossier_id)
        .first()
    )
    if dossier is None:
        raise NotFound(_("Không tìm thấy hồ sơ."))
    if channel == RatingChannel.ONLINE:
        if by is None or dossier.applicant_user_id != by.pk:
            raise NotFound(_("Không tìm thấy hồ sơ."))
    elif device_officer is None or not permissions.can_host_rating(device_officer, dossier):
        raise NotFound(_("Không tìm thấy hồ sơ."))
    if dossier.status != Status.RETURNED:
        raise Conflict(
            _("Hồ sơ %(code)s chưa trả kết quả: chỉ đánh giá được hồ sơ đã trả kết quả.")
            % {"code": dossier.code}
        )
    if dossier.rating or DossierRating.objects.filter(dossier=dossier).exists():
        raise Conflict(
            _("Hồ sơ %(code)s đã được đánh giá; mỗi hồ sơ chỉ đánh giá một lần.") % {"code": dossier.code}
        )
    problems = rating_problems(satisfaction=satisfaction, scores=scores)
    if problems:
        raise InvalidInput(problems)
    at = timezone.now()
    values = {field: int(scores[field]) for field in indices.INDEX_FIELDS}
    rating = DossierRating.objects.create(
        dossier=dossier,
        unit=dossier.responsible_unit,
        channel=channel,
        satisfaction=satisfaction,
        comment=comment.strip()[:2000],
        rated_by=by,
        device_officer=device_officer,
        created_at=at,
        **values,
    )
    OfficerRating.objects.bulk_create(
        OfficerRating(
            rating=rating,
            officer=entry["officer"],
            officer_name=entry["name"],
            unit_id=entry["unit_id"],
            satisfaction=satisfaction,
            index_2=indices.step_index(entry["verdicts"]),
            created_at=at,
            **values,
        )
        for entry in _officers_of(dossier).values()
    )
    Dossier.objects.filter(pk=dossier.pk, rating="").update(rating=satisfaction)
    return rating


# --- PAKN (NĐ 20/2008/NĐ-CP; QĐ 766/QĐ-TTg indicators 5.1–5.3) ---------------------------------------


@dataclass(frozen=True)
class Contact:
    name: str
    email: str = ""
    phone: str = ""
    address: str = ""


def _event(feedback: Feedback, kind: str, by: User | None, at: dt.datetime, **data: Any) -> None:
    FeedbackEvent.objects.create(feedback=feedback, kind=kind, at=at, actor=by, data=data)


@transaction.atomic
def submit_feedback(
    *,
    unit: Unit,
    subject: FeedbackSubject,
    title: str,
    content: str,
    contact: Contact,
    procedure: Procedure | None = None,
    dossier: Dossier | None = None,
    subject_detail: str = "",
    by: User | None = None,
) -> Feedback:
    """Receive a PAKN (NĐ 20/2008/NĐ-CP Điều 9): it gets a code, and its answer is due
    ``PAKN_HANDLING_DAYS`` working days later in the unit's calendar. A contact (email or phone) is
    required because the answer is given in writing. A linked dossier must be the sender's own."""
    problems = []
    if not contact.name.strip():
        problems.append(InputProblem(_("Hãy nhập họ và tên người gửi."), "submitter_name"))
    if not (contact.email.strip() or contact.phone.strip()):
        problems.append(
            InputProblem(_("Hãy nhập thư điện tử hoặc số điện thoại để nhận trả lời."), "submitter_email")
        )
    if not title.strip():
        problems.append(InputProblem(_("Hãy nhập tiêu đề."), "title"))
    if not content.strip():
        problems.append(InputProblem(_("Hãy nhập nội dung phản ánh, kiến nghị."), "content"))
    if dossier is not None and (by is None or dossier.applicant_user_id != by.pk):
        problems.append(InputProblem(_("Chỉ gắn được hồ sơ nộp từ tài khoản của bạn."), "dossier_code"))
    if problems:
        raise InvalidInput(problems)
    at = timezone.now()
    day = to_local(at).date()
    sequence = numbering.next_number(scope="pakn", period=day.isoformat())
    feedback = Feedback.objects.create(
        code=f"PAKN-{day:%y%m%d}-{sequence:05d}",
        unit=unit,
        subject=subject,
        procedure=procedure,
        dossier=dossier,
        subject_detail=subject_detail.strip()[:200],
        title=title.strip()[:200],
        content=content.strip(),
        submitter_name=contact.name.strip()[:150],
        submitter_email=contact.email.strip(),
        submitter_phone=contact.phone.strip()[:20],
        submitter_address=contact.address.strip()[:300],
        submitter_user=by,
        received_at=at,
        due_at=deadlines.handling_due(unit, at),
    )
    _event(feedback, FeedbackEvent.Kind.RECEIVED, by, at, subject=subject, unit=unit.code)
    return feedback


def _lock(feedback_id: int, expected_version: int | None) -> Feedback:
    feedback = (
        Feedback.objects.select_for_update(of=("self",)).select_related("unit").filter(pk=feedback_id).first()
    )
    if feedback is None:
        raise NotFound(_("Không tìm thấy phản ánh, kiến nghị."))
    if expected_version is not None and feedback.version != expected_version:
        raise Conflict(
            _("Phản ánh %(code)s vừa được người khác cập nhật (trạng thái «%(status)s»). Hãy tải lại trang.")
            % {"code": feedback.code, "status": feedback.get_status_display()}
        )
    return feedback


def _save(feedback: Feedback, fields: list[str]) -> None:
    feedback.version += 1
    feedback.save(update_fields=[*fields, "version"])


@transaction.atomic
def classify_feedback(
    *, feedback_id: int, by: User, category: FeedbackCategory, expected_version: int | None = None
) -> Feedback:
    """Classify a PAKN (QĐ 766 indicator 5.1: about regulations and procedures, or about officials'
    conduct); allowed until it is answered."""
    feedback = _lock(feedback_id, expected_version)
    permissions.require(permissions.can_handle(by, feedback))
    if feedback.status not in (FeedbackStatus.RECEIVED, FeedbackStatus.ASSIGNED):
        raise Conflict(_("Phản ánh đã được trả lời, không phân loại lại được."))
    if category not in FeedbackCategory.values:
        raise InvalidInput([InputProblem(_("Hãy chọn một loại phản ánh hợp lệ."), "category")])
    feedback.category = category
    _save(feedback, ["category"])
    _event(feedback, FeedbackEvent.Kind.CLASSIFIED, by, timezone.now(), category=category)
    return feedback


@transaction.atomic
def assign_feedback(
    *,
    feedback_id: int,
    by: User,
    unit: Unit,
    officer: User | None = None,
    expected_version: int | None = None,
) -> Feedback:
    """Give the PAKN to a unit (the receiving unit or one of its units) and optionally an officer of it.
    The deadline does not move: it runs from reception."""
    feedback = _lock(feedback_id, expected_version)
    permissions.require(permissions.can_handle(by, feedback))
    if feedback.status not in (FeedbackStatus.RECEIVED, FeedbackStatus.ASSIGNED):
        raise Conflict(_("Phản ánh đã được trả lời, không giao lại được."))
    if unit.pk != feedback.unit_id and unit.parent_id != feedback.unit_id:
        raise InvalidInput([InputProblem(_("Chỉ giao cho đơn vị tiếp nhận hoặc đơn vị trực thuộc."), "unit")])
    if officer is not None and not permissions.works_in(officer, unit):
        raise InvalidInput([InputProblem(_("Cán bộ được giao không thuộc đơn vị xử lý."), "officer")])
    feedback.assigned_unit = unit
    feedback.assigned_officer = officer
    feedback.status = FeedbackStatus.ASSIGNED
    _save(feedback, ["assigned_unit", "assigned_officer", "status"])
    _event(
        feedback,
        FeedbackEvent.Kind.ASSIGNED,
        by,
        timezone.now(),
        unit=unit.code,
        officer=officer.pk if officer else None,
    )
    return feedback


@transaction.atomic
def answer_feedback(
    *, feedback_id: int, by: User, answer: str, expected_version: int | None = None
) -> Feedback:
    """Answer the PAKN in writing (seed 003: "trả lời bằng văn bản"). The verdict is on time when the
    answer is given by the due instant (QĐ 766 indicator 5.2); the answer must then be published
    within ``PAKN_PUBLISH_DAYS`` working days. The sender is told by email/SMS (outbox)."""
    feedback = _lock(feedback_id, expected_version)
    permissions.require(permissions.can_handle(by, feedback))
    if feedback.status not in (FeedbackStatus.RECEIVED, FeedbackStatus.ASSIGNED):
        raise Conflict(_("Phản ánh %(code)s đã được trả lời.") % {"code": feedback.code})
    if not answer.strip():
        raise InvalidInput([InputProblem(_("Hãy nhập nội dung trả lời."), "answer")])
    if not feedback.category:
        raise InvalidInput([InputProblem(_("Hãy phân loại phản ánh trước khi trả lời."), "category")])
    at = timezone.now()
    feedback.answer = answer.strip()
    feedback.answered_at = at
    feedback.answered_by = by
    feedback.verdict = deadlines.verdict(at, feedback.due_at)
    feedback.publish_due_at = deadlines.publish_due(feedback.unit, at)
    feedback.status = FeedbackStatus.ANSWERED
    _save(feedback, ["answer", "answered_at", "answered_by", "verdict", "publish_due_at", "status"])
    _event(feedback, FeedbackEvent.Kind.ANSWERED, by, at, verdict=feedback.verdict)
    url = reverse("portal:feedback_track") + f"?ma={feedback.code}"
    enqueue(
        template="pakn_answered",
        context={"title": feedback.title, "url": settings.MOTCUA_PUBLIC_URL.rstrip("/") + url},
        dedupe_key=f"pakn_answered:{feedback.pk}",
        user=feedback.submitter_user,
        email=feedback.submitter_email,
        phone=feedback.submitter_phone,
    )
    return feedback


@transaction.atomic
def publish_feedback(*, feedback_id: int, by: User, expected_version: int | None = None) -> Feedback:
    """Publish the answer (seed 003: 100 % of PAKN results published at the counter, on the website and
    on the portal); a leader of the receiving unit approves publication."""
    feedback = _lock(feedback_id, expected_version)
    permissions.require(
        permissions.can_publish(by, feedback), _("Chỉ lãnh đạo đơn vị tiếp nhận mới được công khai trả lời.")
    )
    if feedback.status != FeedbackStatus.ANSWERED:
        raise Conflict(_("Chỉ công khai được phản ánh đã trả lời và chưa công khai."))
    at = timezone.now()
    feedback.published_at = at
    feedback.status = FeedbackStatus.PUBLISHED
    _save(feedback, ["published_at", "status"])
    on_time = feedback.publish_due_at is None or at <= feedback.publish_due_at
    _event(feedback, FeedbackEvent.Kind.PUBLISHED, by, at, on_time=on_time)
    return feedback


@transaction.atomic
def react_to_answer(
    *, feedback_id: int, kind: Reaction, user: User | None = None, session_key: str = ""
) -> AnswerReaction:
    """Like or dislike a published answer (QĐ 766 indicator 5.3 counts answers with more dislikes than
    likes), once per signed-in user or per browser session."""
    feedback = (
        Feedback.objects.select_for_update(of=("self",))
        .filter(pk=feedback_id, status=FeedbackStatus.PUBLISHED)
        .first()
    )
    if feedback is None:
        raise NotFound(_("Không tìm thấy câu trả lời đã công khai."))
    if kind not in Reaction.values:
        raise InvalidInput([InputProblem(_("Hãy chọn hài lòng hoặc không hài lòng."), "kind")])
    if user is None and not session_key:
        raise DomainError(_("Trình duyệt chưa bật cookie nên không ghi nhận được đánh giá."))
    try:
        with transaction.atomic():
            reaction = AnswerReaction.objects.create(
                feedback=feedback, kind=kind, user=user, session_key="" if user is not None else session_key
            )
    except IntegrityError:
        raise Conflict(_("Bạn đã đánh giá câu trả lời này rồi.")) from None
    counter = "like_count" if kind == Reaction.LIKE else "dislike_count"
    Feedback.objects.filter(pk=feedback.pk).update(**{counter: F(counter) + 1})
    return reaction
