"""A dossier as its applicant reads it: the status in plain words, the timeline, and what to do now.

The officers' timeline (``office/dossier_timeline.py``) tells who did what and the internal deadlines.
The applicant is told only what the law says they must be told (NĐ 61/2018/NĐ-CP Điều 18–20; the
forms of TT 01/2018/TT-VPCP): reception and appointment (form 01), what is missing (form 02), the
reasons for refusal or stopping (form 03), fees, an apology with a new date (form 04), early return
and the result. Internal notes, step deadlines and verdicts, reassignments, consultation questions and
officer names are never shown (NĐ 13/2023 on personal data; QUALITY.md security item 1).
Pure presentation over reads: nothing here writes.
"""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from motcua.core.worktime import to_local
from motcua.dossiers.models import Dossier, DossierEvent, ResultDelivery
from motcua.dossiers.workflow import NATIONAL_STATUS, EventKind, Status
from motcua.organizations.models import Unit


def when(value: dt.datetime | str | None) -> str:
    """A local time as people write it: 14:30 ngày 07/02/2024."""
    if not value:
        return ""
    if isinstance(value, str):
        try:
            value = dt.datetime.fromisoformat(value)
        except ValueError:
            return ""
    return _("%(time)s ngày %(date)s") % {
        "time": f"{to_local(value):%H:%M}",
        "date": f"{to_local(value):%d/%m/%Y}",
    }


def money(amount: Any) -> str:
    try:
        return f"{int(amount):,}".replace(",", ".")
    except (TypeError, ValueError):
        return "0"


# --- status -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PlainStatus:
    """The status as the applicant reads it, with a badge tone (Bootstrap) and the national code."""

    text: str
    tone: str
    national_code: int


def plain_status(status: str) -> PlainStatus:
    s = Status(status)
    texts: dict[Status, tuple[str, str]] = {
        Status.SUBMITTED: (_("Đã nộp, đang chờ cơ quan tiếp nhận"), "info"),
        Status.INTAKE_SUPPLEMENT: (_("Cần bổ sung trước khi được tiếp nhận"), "warning"),
        Status.NOT_RECEIVED: (_("Không được tiếp nhận"), "danger"),
        Status.RECEIVED: (_("Đã tiếp nhận, chờ giải quyết"), "primary"),
        Status.PROCESSING: (_("Đang giải quyết"), "primary"),
        Status.AWAITING_SUPPLEMENT: (_("Cần bổ sung hồ sơ"), "warning"),
        Status.AWAITING_PAYMENT: (_("Cần nộp phí, lệ phí"), "warning"),
        Status.SUSPENDED: (_("Tạm dừng giải quyết"), "secondary"),
        Status.WITHDRAWN: (_("Đã rút hồ sơ"), "secondary"),
        Status.STOPPED: (_("Dừng giải quyết"), "danger"),
        Status.REJECTED: (_("Từ chối giải quyết"), "danger"),
        Status.PROCESSED: (_("Đã có kết quả, chờ nhận"), "success"),
        Status.RETURNED: (_("Đã trả kết quả"), "success"),
    }
    text, tone = texts[s]
    return PlainStatus(text, tone, NATIONAL_STATUS[s])


@dataclass(frozen=True)
class StatusGroup:
    """A filter of "Hồ sơ của tôi" in the applicant's words (slug in the query string)."""

    slug: str
    label: str
    statuses: frozenset[Status]


def status_groups() -> list[StatusGroup]:
    return [
        StatusGroup(
            "dang-giai-quyet",
            _("Đang giải quyết"),
            frozenset({Status.SUBMITTED, Status.RECEIVED, Status.PROCESSING, Status.SUSPENDED}),
        ),
        StatusGroup(
            "can-bo-sung",
            _("Cần bổ sung"),
            frozenset({Status.INTAKE_SUPPLEMENT, Status.AWAITING_SUPPLEMENT}),
        ),
        StatusGroup("can-nop-phi", _("Cần nộp phí, lệ phí"), frozenset({Status.AWAITING_PAYMENT})),
        StatusGroup("co-ket-qua", _("Có kết quả"), frozenset({Status.PROCESSED, Status.RETURNED})),
        StatusGroup(
            "da-ket-thuc",
            _("Không giải quyết / đã rút"),
            frozenset({Status.NOT_RECEIVED, Status.WITHDRAWN, Status.STOPPED, Status.REJECTED}),
        ),
    ]


# --- timeline -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    at: dt.datetime
    title: str
    detail: str = ""


def _items(data: dict[str, Any]) -> str:
    parts = []
    for item in data.get("items", []):
        if not isinstance(item, dict):
            continue
        name, reason = str(item.get("name", "")), str(item.get("reason", ""))
        parts.append(f"{name} ({reason})" if reason else name)
    return "; ".join(p for p in parts if p)


def describe(event: DossierEvent, units: dict[str, str], dossier: Dossier) -> Entry | None:
    """One event in the applicant's words, or ``None`` for what stays inside the office."""
    d: dict[str, Any] = event.data if isinstance(event.data, dict) else {}

    def unit(code: Any) -> str:
        return units.get(str(code), "")

    match event.kind:
        case EventKind.SUBMITTED:
            return Entry(event.at, _("Đã nộp hồ sơ trực tuyến"), _("Hồ sơ đang chờ cơ quan tiếp nhận."))
        case EventKind.RECEIVED:
            detail = (
                _("Ngày hẹn trả kết quả: %(due)s.") % {"due": when(event.due_at)}
                if event.due_at
                else _("Thủ tục này không quy định thời hạn giải quyết.")
            )
            return Entry(
                event.at,
                _("%(unit)s đã tiếp nhận hồ sơ") % {"unit": dossier.receiving_unit.name},
                detail,
            )
        case EventKind.FORWARDED:
            name = unit(d.get("to_unit")) or dossier.responsible_unit.name
            return Entry(event.at, _("Hồ sơ được chuyển đến %(unit)s để giải quyết") % {"unit": name})
        case EventKind.SUPPLEMENT_REQUESTED:
            return Entry(
                event.at,
                _("Cơ quan đề nghị bổ sung, hoàn thiện hồ sơ"),
                _("Cần bổ sung: %(items)s.") % {"items": _items(d)} if _items(d) else "",
            )
        case EventKind.SUPPLEMENT_COMPLETED:
            detail = ""
            if d.get("previous_due_at") and event.due_at:
                detail = _("Ngày hẹn trả kết quả mới: %(due)s.") % {"due": when(event.due_at)}
            return Entry(event.at, _("Hồ sơ đã được bổ sung"), detail)
        case EventKind.NOT_RECEIVED:
            return Entry(event.at, _("Hồ sơ không được tiếp nhận"), _reasons(d))
        case EventKind.REFUSED:
            return Entry(event.at, _("Cơ quan từ chối giải quyết hồ sơ"), _reasons(d))
        case EventKind.STEP_STARTED:
            where = unit(d.get("unit"))
            if d.get("kind") in {"consultation", "inter_unit"}:
                return Entry(
                    event.at, _("Cơ quan phối hợp với %(unit)s để giải quyết") % {"unit": where or "—"}
                )
            title = _("Đang giải quyết: %(step)s") % {"step": event.step_name} if event.step_name else ""
            return Entry(event.at, title or _("Đang giải quyết"), where)
        case EventKind.CONSULTED:
            # the body asked is public (NĐ 61/2018 Điều 19 khoản 5); the question is not
            return Entry(
                event.at, _("Cơ quan lấy ý kiến của %(unit)s") % {"unit": unit(d.get("unit")) or "—"}
            )
        case EventKind.SUSPENDED:
            return Entry(event.at, _("Tạm dừng giải quyết hồ sơ"))
        case EventKind.RESUMED:
            return Entry(event.at, _("Tiếp tục giải quyết hồ sơ"))
        case EventKind.STOPPED:
            reason = str(d.get("reason", ""))
            return Entry(
                event.at,
                _("Cơ quan dừng giải quyết hồ sơ"),
                _("Lý do: %(reason)s.") % {"reason": reason} if reason else "",
            )
        case EventKind.WITHDRAWN:
            return Entry(event.at, _("Hồ sơ đã được rút theo đề nghị của người nộp"))
        case EventKind.PAYMENT_REQUESTED:
            return Entry(
                event.at,
                _("Đề nghị nộp phí, lệ phí"),
                _("Số tiền: %(amount)s đồng.") % {"amount": money(d.get("amount_vnd"))},
            )
        case EventKind.PAID:
            return Entry(
                event.at,
                _("Đã nộp phí, lệ phí"),
                _("Số tiền: %(amount)s đồng.") % {"amount": money(d.get("amount_vnd"))},
            )
        case EventKind.RESCHEDULED:
            reason = str(d.get("reason", ""))
            detail = _("Ngày hẹn mới: %(due)s.") % {"due": when(event.due_at)}
            if reason:
                detail += " " + _("Lý do: %(reason)s.") % {"reason": reason}
            return Entry(event.at, _("Cơ quan xin lỗi vì chậm trả kết quả và hẹn lại"), detail)
        case EventKind.EARLY_RETURN_NOTICE:
            return Entry(event.at, _("Có thể nhận kết quả sớm hơn ngày hẹn"), str(d.get("message", "")))
        case EventKind.PROCESSED:
            return Entry(event.at, _("Hồ sơ đã giải quyết xong, có kết quả"))
        case EventKind.RETURNED:
            return Entry(event.at, _("Đã trả kết quả"))
    # step_finished, reassigned, consultation_answered, result_recorded: inside the office
    return None


def _reasons(d: dict[str, Any]) -> str:
    reasons = [str(r) for r in d.get("reasons", []) if r]
    return _("Lý do: %(reasons)s.") % {"reasons": "; ".join(reasons)} if reasons else ""


def timeline(dossier: Dossier, events: Iterable[DossierEvent] | None = None) -> list[Entry]:
    """The applicant's timeline, oldest first; two queries whatever its length."""
    rows = list(events if events is not None else dossier.events.order_by("at", "id"))
    codes = {
        str(e.data.get(k))
        for e in rows
        for k in ("unit", "to_unit")
        if isinstance(e.data, dict) and e.data.get(k)
    }
    names = dict(Unit.objects.filter(code__in=codes).values_list("code", "name")) if codes else {}
    return [entry for e in rows if (entry := describe(e, names, dossier)) is not None]


# --- what to do now -----------------------------------------------------------------------------------


def optional_url(name: str, *args: Any) -> str:
    """The address of a page another part of the portal may provide, or "" when it does not exist
    (yet): tried with the dossier code first, then without arguments."""
    for attempt in (args, ()):
        try:
            return reverse(name, args=attempt)
        except NoReverseMatch:
            continue
    return ""


@dataclass(frozen=True)
class NextStep:
    text: str
    link_text: str = ""
    url: str = ""


def _last(events: list[DossierEvent], kind: EventKind) -> DossierEvent | None:
    return next((e for e in reversed(events) if e.kind == kind), None)


def next_step(dossier: Dossier, events: list[DossierEvent], *, signed_in: bool) -> NextStep | None:
    """What the applicant must do now (supplement, pay, collect the result, rate), if anything.

    ``signed_in`` adds links to the pages of the applicant's own account; the public lookup shows the
    words only.
    """
    status = Status(dossier.status)
    code = dossier.code

    def link(name: str) -> str:
        return optional_url(name, code) if signed_in else ""

    if status in {Status.INTAKE_SUPPLEMENT, Status.AWAITING_SUPPLEMENT}:
        request = _last(events, EventKind.SUPPLEMENT_REQUESTED)
        items = _items(request.data) if request is not None and isinstance(request.data, dict) else ""
        text = _("Bổ sung, hoàn thiện hồ sơ theo yêu cầu của cơ quan.")
        if items:
            text += " " + _("Cần bổ sung: %(items)s.") % {"items": items}
        return NextStep(text, _("Bổ sung hồ sơ"), link("portal:supplement"))
    if status == Status.AWAITING_PAYMENT:
        request = _last(events, EventKind.PAYMENT_REQUESTED)
        amount = (
            request.data.get("amount_vnd") if request is not None and isinstance(request.data, dict) else None
        )
        text = _("Nộp phí, lệ phí để hồ sơ được tiếp tục giải quyết.")
        if amount:
            text = _("Nộp %(amount)s đồng phí, lệ phí để hồ sơ được tiếp tục giải quyết.") % {
                "amount": money(amount)
            }
        return NextStep(text, _("Thanh toán"), link("portal:payment_start"))
    if status == Status.PROCESSED:
        match dossier.result_delivery:
            case ResultDelivery.ONLINE:
                return NextStep(_("Kết quả được trả vào tài khoản của bạn trên Cổng dịch vụ công."))
            case ResultDelivery.POST:
                return NextStep(_("Kết quả sẽ được gửi đến bạn qua bưu chính công ích."))
        return NextStep(
            _("Mang giấy tiếp nhận hồ sơ và hẹn trả kết quả đến %(unit)s để nhận kết quả.")
            % {"unit": dossier.receiving_unit.name}
        )
    if status == Status.RETURNED and not dossier.rating:
        url = link("portal:rate")
        if url:
            return NextStep(_("Mời bạn đánh giá việc giải quyết hồ sơ."), _("Đánh giá"), url)
    if status == Status.SUBMITTED:
        return NextStep(_("Không cần làm gì thêm: cơ quan sẽ tiếp nhận hoặc hướng dẫn bổ sung."))
    return None
