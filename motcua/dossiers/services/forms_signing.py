"""Signing the official forms of a dossier (mẫu 01–06, TT 01/2018/TT-VPCP) by the officer who issues them.

The forms are rendered exactly as the officer's print (``office:dossier_form_pdf``) renders them today,
from the dossier and the event the service stored (forms 02–04), then signed with the issuing officer's
own certificate (NĐ 30/2020/NĐ-CP Điều 8 khoản 3; NĐ 61/2018/NĐ-CP as amended: forms are filled by the
system and signed digitally). Each signing keeps a ``SignedForm`` row (file + SHA-256) and appends a
FORM_SIGNED event; signing again makes a new version (the latest is the one served), and is refused
when nothing happened to the dossier since the last signature of that form.

Who issues which form (TT 01/2018/TT-VPCP and NĐ 61/2018/NĐ-CP Điều 15–20):

- 01 receipt, 05 control sheet, 06 the dossier's line of the register: a receiver of the receiving
  unit's counter (Bộ phận Một cửa);
- 02 supplementation request: the officer who asked for it, or a receiver of the counter, which hands
  every request to the applicant (Điều 15 khoản 3, Điều 19 khoản 4);
- 03 refusal: at the counter (not received) a receiver; after appraisal (refused) the leader of the
  responsible unit; in both cases also the officer who refused;
- 04 apology and new appointment: the leader of the responsible unit (Điều 19 khoản 9).
"""

import datetime as dt
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from motcua.accounts.models import User
from motcua.core import integrity
from motcua.core.worktime import to_local
from motcua.dossiers import counters, permissions
from motcua.dossiers.models import Dossier, DossierEvent, SignedForm
from motcua.dossiers.services._core import ActionRefused, _move, lock_dossier, now
from motcua.dossiers.workflow import CLOSED, EventKind, Status

FORM_TITLES = {
    "01": gettext_lazy("Giấy tiếp nhận hồ sơ và hẹn trả kết quả"),
    "02": gettext_lazy("Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ"),
    "03": gettext_lazy("Phiếu từ chối tiếp nhận, giải quyết hồ sơ"),
    "04": gettext_lazy("Phiếu xin lỗi và hẹn lại ngày trả kết quả"),
    "05": gettext_lazy("Phiếu kiểm soát quá trình giải quyết hồ sơ"),
    "06": gettext_lazy("Sổ theo dõi hồ sơ (dòng của hồ sơ)"),
}
# The event each form is rebuilt from (forms 02–04 state what that event recorded).
SOURCE_EVENTS: dict[str, tuple[str, ...]] = {
    "02": (EventKind.SUPPLEMENT_REQUESTED,),
    "03": (EventKind.NOT_RECEIVED, EventKind.REFUSED),
    "04": (EventKind.RESCHEDULED,),
}


@dataclass(frozen=True)
class FormSource:
    """What a form is rendered from: the dossier and, for forms 02–04, the event that issued it."""

    form: str
    event: DossierEvent | None


def _last_event(dossier: Dossier, kinds: tuple[str, ...]) -> DossierEvent | None:
    return dossier.events.filter(kind__in=kinds).select_related("actor").order_by("-at", "-id").first()


def form_source(dossier: Dossier, form: str) -> FormSource | None:
    """The form's source when the form exists for this dossier now, else None (as the print page)."""
    if form not in FORM_TITLES:
        return None
    if form in SOURCE_EVENTS:
        event = _last_event(dossier, SOURCE_EVENTS[form])
        if event is None or (form == "04" and (event.due_at or dossier.due_at) is None):
            return None
        return FormSource(form, event)
    if form in {"01", "05"} and dossier.received_at is None:
        return None
    return FormSource(form, None)


def available_forms(dossier: Dossier) -> list[str]:
    return [form for form in FORM_TITLES if form_source(dossier, form) is not None]


def may_sign_form(user: User, dossier: Dossier, form: str, source: FormSource | None = None) -> bool:
    """Whether ``user`` issues ``form`` of ``dossier`` (see the module docstring)."""
    source = source or form_source(dossier, form)
    if source is None or not user.is_authenticated:
        return False
    event = source.event
    if form == "04":
        return permissions.can_reschedule(user, dossier)
    if (
        event is not None
        and event.actor_id == user.pk
        and (permissions.can_receive(user, dossier) or permissions.is_processing_officer(user, dossier))
    ):
        return True
    if form == "03" and event is not None and event.kind == EventKind.REFUSED:
        return permissions.can_approve(user, dossier)
    return permissions.can_receive(user, dossier)


def render_form(dossier: Dossier, source: FormSource, fallback: User) -> bytes:
    """The form's PDF, rendered as ``office:dossier_form_pdf`` renders it (``fallback`` signs forms
    02–04 whose event has no actor, as the print page uses the viewing officer)."""
    from motcua.dossiers.pdf import forms as pdf  # the PDF stack is loaded only when needed

    event = source.event
    actor = (event.actor if event is not None else None) or fallback
    if source.form == "01":
        return pdf.form_01_receipt(dossier)
    if source.form == "02" and event is not None:
        items = [
            pdf.SupplementItem(i.get("name", ""), i.get("reason", "")) for i in event.data.get("items", [])
        ]
        return pdf.form_02_supplement(dossier, items, actor, issued_at=event.at)
    if source.form == "03" and event is not None:
        return pdf.form_03_refusal(dossier, event.data.get("reasons", []), actor, issued_at=event.at)
    new_due_at = (event.due_at if event is not None else None) or dossier.due_at
    if source.form == "04" and event is not None and new_due_at is not None:  # form_source checked both
        return pdf.form_04_apology(
            dossier, event.data.get("reason", ""), new_due_at, actor, issued_at=event.at
        )
    if source.form == "05":
        return pdf.form_05_control_sheet(dossier)
    if source.form == "06":  # the dossier's line of the receiving unit's register, its submission day
        day = to_local(dossier.submitted_at).date()
        return pdf.form_06_register(dossier.receiving_unit, day, day, [dossier])
    raise ActionRefused(
        _("Không dựng được mẫu %(form)s của hồ sơ %(code)s.") % {"form": source.form, "code": dossier.code}
    )


def _unchanged_since_last_signature(dossier: Dossier, form: str) -> DossierEvent | None:
    """The last FORM_SIGNED event of ``form`` when nothing but form signatures happened after it."""
    last = dossier.events.filter(kind=EventKind.FORM_SIGNED, data__form=form).order_by("-id").first()
    if last is None:
        return None
    later = dossier.events.filter(id__gt=last.pk).exclude(kind=EventKind.FORM_SIGNED)
    return None if later.exists() else last


def _append_event(dossier: Dossier, *, by: User, at: dt.datetime, data: dict[str, object]) -> DossierEvent:
    """Append the FORM_SIGNED event. A refusal (form 03) closes the dossier and the register line or
    the control sheet are signed after the fact, so a signature on a closed dossier is recorded too: it
    changes no data of the dossier (only ``version``, one per event), it adds the issued rendition."""
    if Status(dossier.status) not in CLOSED:
        return _move(dossier, to=None, kind=EventKind.FORM_SIGNED, by=by, at=at, data=data)
    dossier.version += 1
    dossier.save(update_fields=["version", "modified_at"])
    event = DossierEvent.objects.create(
        dossier=dossier,
        kind=EventKind.FORM_SIGNED,
        at=at,
        actor=by,
        actor_name=str(by)[:200],
        data=data,
    )
    counters.refresh_one(dossier)
    return event


@transaction.atomic
def sign_form(*, dossier_id: int, form: str, by: User, expected_version: int | None = None) -> SignedForm:
    """Render form ``form`` of the dossier and sign it as ``by``, the officer who issues it (see the
    module docstring); the signed PDF is kept with its SHA-256 as a new version of the form."""
    from motcua.documents.signing import SigningError  # the signing stack is loaded only when needed
    from motcua.documents.signing.officer import sign_as_officer

    dossier = lock_dossier(dossier_id, expected_version)
    source = form_source(dossier, form)
    if source is None:
        raise ActionRefused(
            _("Hồ sơ %(code)s chưa có mẫu %(form)s để ký.") % {"code": dossier.code, "form": form}
        )
    permissions.require(
        may_sign_form(by, dossier, form, source),
        _("Bạn không phải người ban hành mẫu %(form)s của hồ sơ %(code)s nên không ký được mẫu này.")
        % {"form": form, "code": dossier.code},
    )
    previous = _unchanged_since_last_signature(dossier, form)
    if previous is not None:
        raise ActionRefused(
            _("Mẫu %(form)s của hồ sơ %(code)s đã được ký số và hồ sơ chưa thay đổi từ đó: không cần ký lại.")
            % {"form": form, "code": dossier.code}
        )
    unit = dossier.responsible_unit if form == "04" else dossier.receiving_unit
    content = render_form(dossier, source, by)
    try:
        signed = sign_as_officer(
            by,
            content,
            reason=_("Ký số mẫu %(form)s: %(title)s") % {"form": form, "title": FORM_TITLES[form]},
            unit_name=unit.name,
        )
    except SigningError as exc:
        raise ActionRefused(str(exc)) from exc
    at = now()
    row = SignedForm(
        dossier=dossier, form=form, sha256=integrity.sha256_bytes(signed), signed_by=by, signed_at=at
    )
    row.file.save(f"{dossier.pk}-mau-{form}.pdf", ContentFile(signed), save=False)
    try:
        row.save()
        _append_event(dossier, by=by, at=at, data={"form": form, "signed_form": row.pk, "sha256": row.sha256})
    except BaseException:
        row.file.storage.delete(row.file.name or "")
        raise
    return row


def latest_signed_forms(dossier: Dossier) -> list[SignedForm]:
    """The latest signed version of each form of the dossier, by form number."""
    latest: dict[str, SignedForm] = {}
    for row in dossier.signed_forms.select_related("signed_by").order_by("form", "-signed_at", "-id"):
        latest.setdefault(row.form, row)
    return [latest[f] for f in sorted(latest)]
