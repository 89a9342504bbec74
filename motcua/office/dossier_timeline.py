"""What the dossier pages show of time: local times and durations in words, the countdowns to a
deadline, and the timeline of a dossier in plain Vietnamese. Pure presentation over reads: nothing here
writes."""

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.core.worktime import to_local
from motcua.dossiers.models import Dossier, DossierEvent
from motcua.dossiers.workflow import EventKind, Verdict
from motcua.organizations.calendars import calendar_for_unit
from motcua.organizations.models import Unit


def fmt(value: dt.datetime | str | None) -> str:
    """A local time the way officers read it: 14:30 07/02/2024."""
    if not value:
        return ""
    if isinstance(value, str):
        try:
            return fmt(dt.datetime.fromisoformat(value))
        except ValueError:
            return value
    return f"{to_local(value):%H:%M %d/%m/%Y}"


def hours_text(hours: Decimal) -> str:
    value = hours.quantize(Decimal("0.1")).normalize()
    return f"{value:f}".replace(".", ",")


@dataclass(frozen=True)
class Clock:
    """A deadline as text and a tone: "còn 5,5 giờ làm việc" / "quá hạn 2 giờ làm việc"."""

    text: str
    tone: str  # success | warning | danger | secondary
    is_overdue: bool = False


def clock(
    due_at: dt.datetime | None, unit: Unit, *, now: dt.datetime | None = None, soon_hours: int = 8
) -> Clock:
    now = now or timezone.now()
    if due_at is None:
        return Clock(_("không có hạn"), "secondary")
    calendar = calendar_for_unit(unit, to_local(now).date())
    if due_at < now:
        late = calendar.working_hours_between(due_at, now)
        return Clock(_("Quá hạn %(h)s giờ làm việc") % {"h": hours_text(late)}, "danger", True)
    left = calendar.working_hours_between(now, due_at)
    tone = "warning" if left < soon_hours else "success"
    return Clock(_("Còn %(h)s giờ làm việc") % {"h": hours_text(left)}, tone)


# --- the timeline -------------------------------------------------------------------------------------


def _items(data: dict[str, Any]) -> str:
    return "; ".join(
        f"{i.get('name', '')} ({i.get('reason', '')})" if i.get("reason") else str(i.get("name", ""))
        for i in data.get("items", [])
    )


def describe(event: DossierEvent, unit_names: dict[str, str]) -> str:
    """One event in plain Vietnamese (the data the services stored in ``DossierEvent.data``)."""
    d: dict[str, Any] = event.data or {}
    kind = event.kind

    def unit(code: Any) -> str:
        return unit_names.get(str(code), str(code or ""))

    step = event.step_name
    verdict = str(Verdict(d["verdict"]).label) if d.get("verdict") in Verdict.values else ""
    match kind:
        case EventKind.SUBMITTED:
            return _("Nộp trực tuyến; hạn tiếp nhận %(due)s.") % {"due": fmt(event.due_at)}
        case EventKind.RECEIVED:
            text = _("Tiếp nhận hồ sơ; hẹn trả kết quả %(due)s.") % {
                "due": fmt(event.due_at) or _("không hạn")
            }
            if d.get("late_reception"):
                text += " " + _("Tiếp nhận muộn (quá 8 giờ làm việc).")
            return text
        case EventKind.FORWARDED:
            return _("Chuyển hồ sơ cho đơn vị có thẩm quyền %(unit)s, chậm nhất %(due)s.") % {
                "unit": unit(d.get("to_unit")),
                "due": fmt(event.due_at),
            }
        case EventKind.SUPPLEMENT_REQUESTED:
            return _("Yêu cầu bổ sung, hoàn thiện hồ sơ: %(items)s.") % {"items": _items(d)}
        case EventKind.SUPPLEMENT_COMPLETED:
            text = _("Đã bổ sung hồ sơ.")
            if d.get("previous_due_at"):
                text += " " + _("Hẹn trả mới %(due)s (trước đó %(old)s).") % {
                    "due": fmt(event.due_at),
                    "old": fmt(d["previous_due_at"]),
                }
            return text + (f" {d['note']}" if d.get("note") else "")
        case EventKind.NOT_RECEIVED | EventKind.REFUSED:
            return _("Lý do: %(reasons)s.") % {"reasons": "; ".join(d.get("reasons", []))}
        case EventKind.STEP_STARTED:
            text = _("Bắt đầu bước «%(step)s» tại %(unit)s, hạn %(due)s.") % {
                "step": step,
                "unit": unit(d.get("unit")),
                "due": fmt(event.due_at),
            }
            if d.get("task"):
                text += " " + _("Nhiệm vụ liên thông: %(task)s.") % {"task": d["task"]}
            if d.get("returned_from"):
                text += " " + _("(trả lại từ bước «%(step)s»)") % {"step": d["returned_from"]}
            return text
        case EventKind.STEP_FINISHED:
            text = _("Kết thúc bước «%(step)s» — %(verdict)s.") % {"step": step, "verdict": verdict}
            if d.get("returned"):
                text += " " + _("Trả lại bước trước.")
            if d.get("note"):
                text += f" {d['note']}"
            return text
        case EventKind.CONSULTED:
            return _("Xin ý kiến %(unit)s: %(q)s (hạn %(due)s).") % {
                "unit": unit(d.get("unit")),
                "q": d.get("question", ""),
                "due": fmt(event.due_at),
            }
        case EventKind.CONSULTATION_ANSWERED:
            return _("%(unit)s đã trả lời xin ý kiến — %(verdict)s.") % {
                "unit": unit(d.get("unit")),
                "verdict": verdict,
            }
        case EventKind.REASSIGNED:
            return _("Giao lại bước «%(step)s»: %(old)s → %(new)s.") % {
                "step": step,
                "old": d.get("from") or _("chưa giao"),
                "new": d.get("to", ""),
            }
        case EventKind.SUSPENDED | EventKind.STOPPED:
            return _("Lý do: %(reason)s.") % {"reason": d.get("reason", "")}
        case EventKind.RESUMED:
            return _("Tiếp tục xử lý.") + (f" {d['note']}" if d.get("note") else "")
        case EventKind.WITHDRAWN:
            return _("Rút hồ sơ: %(reason)s. Văn bản đề nghị: %(req)s.") % {
                "reason": d.get("reason", ""),
                "req": d.get("written_request") or _("người nộp tự rút trên Cổng"),
            }
        case EventKind.PAYMENT_REQUESTED:
            return _("Yêu cầu nộp %(amount)s đồng.") % {
                "amount": f"{d.get('amount_vnd', 0):,}".replace(",", ".")
            }
        case EventKind.PAID:
            return _("Đã nộp %(amount)s đồng, biên lai %(receipt)s.") % {
                "amount": f"{d.get('amount_vnd', 0):,}".replace(",", "."),
                "receipt": d.get("receipt_number") or "—",
            }
        case EventKind.RESCHEDULED:
            return _("Xin lỗi và hẹn lại ngày trả: từ %(old)s sang %(new)s. Lý do: %(reason)s.") % {
                "old": fmt(d.get("previous_due_at")),
                "new": fmt(event.due_at),
                "reason": d.get("reason", ""),
            }
        case EventKind.RESULT_RECORDED:
            return _("Kết quả số %(number)s, ký ngày %(on)s, người ký %(signer)s.") % {
                "number": d.get("number", ""),
                "on": dt.date.fromisoformat(d["signed_on"]).strftime("%d/%m/%Y")
                if d.get("signed_on")
                else "",
                "signer": d.get("signer", ""),
            }
        case EventKind.PROCESSED:
            return _("Đã xử lý xong — %(verdict)s.") % {"verdict": verdict}
        case EventKind.EARLY_RETURN_NOTICE:
            return _("Thông báo trả kết quả sớm.") + (f" {d['message']}" if d.get("message") else "")
        case EventKind.RETURNED:
            return _("Đã trả kết quả.") + (f" {d['note']}" if d.get("note") else "")
        case EventKind.COMPONENT_DIGITIZED:
            text = _("Số hóa và ký số «%(name)s»: %(pages)s trang.") % {
                "name": d.get("name", ""),
                "pages": d.get("pages", "?"),
            }
            if d.get("text_layer"):
                text += " " + _("Có lớp chữ (OCR).")
            if d.get("dossier_digitized"):
                text += " " + _("Hồ sơ đã số hóa xong.")
            return text
        case EventKind.RESULT_SIGNED:
            return _("Ký số kết quả số %(number)s; tệp đã ký là kết quả điện tử.") % {
                "number": d.get("number") or "—"
            }
        case EventKind.RESULT_COPY_CERTIFIED:
            return _("Ký số sao y kết quả số %(number)s.") % {"number": d.get("number") or "—"}
        case EventKind.FORM_SIGNED:
            return _("Ký số mẫu %(form)s.") % {"form": d.get("form", "")}
        case EventKind.TAKEN_FROM_STORE:
            return _("%(component)s: dùng «%(title)s» trong kho dữ liệu (từ hồ sơ %(source)s).") % {
                "component": d.get("component", ""),
                "title": d.get("title", ""),
                "source": d.get("source_dossier_code") or "—",
            }
    return ""


def timeline(dossier: Dossier) -> list[tuple[DossierEvent, str]]:
    events = list(dossier.events.select_related("actor").order_by("at", "id"))
    codes = {
        str(e.data.get(k))
        for e in events
        for k in ("unit", "to_unit")
        if isinstance(e.data, dict) and e.data.get(k)
    }
    names = dict(Unit.objects.filter(code__in=codes).values_list("code", "name")) if codes else {}
    return [(e, tidy(describe(e, names))) for e in events]


_DOUBLED_STOP = re.compile(r"([.!?])\.(?=\s|$)")


def tidy(text: str) -> str:
    """Officers' own text often ends with a full stop before the sentence adds one: "…sinh.." → "…sinh."."""
    return _DOUBLED_STOP.sub(r"\1", text)
