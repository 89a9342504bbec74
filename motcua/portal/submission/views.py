"""Online submission (nộp hồ sơ trực tuyến) from the applicant's own account: the form generated from
the catalog, drafts, the idempotent submission and its confirmation (NĐ 42/2022/NĐ-CP Điều 13;
NĐ 61/2018/NĐ-CP Điều 15). The filed dossier waits in the receiving unit's online queue (8 working
hours to be received or sent back).

Every POST first saves the draft (its own transaction), so a submission refused for a missing paper or
a typo loses nothing typed or uploaded; then, for "Nộp hồ sơ", one service files it.
"""

import datetime as dt
import uuid
from collections.abc import Sequence
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from motcua.accounts.models import User
from motcua.catalog.models import Procedure
from motcua.core import throttle
from motcua.core.errors import DomainError, NotFound
from motcua.documents.uploads import CheckedFile, max_upload_label
from motcua.dossiers import services
from motcua.dossiers.models import Dossier, DossierDraft, ResultDelivery
from motcua.dossiers.queries import ReusableDocument, drafts_of, reusable_documents_for
from motcua.dossiers.services import ApplicantInput
from motcua.dossiers.services.online import receiving_units_for, submitted_with_key
from motcua.portal.auth import applicant_required, current_applicant
from motcua.portal.submission.forms import DRAFT_FIELDS, ComponentRow, SubmissionForm

# Public endpoints are throttled (QUALITY.md security 11): saving and submitting write files, so one
# account may do it at most this often; a person filling in dossiers by hand stays far below it.
SUBMISSION_RULE = throttle.Rule("portal-submission", limit=60, window=dt.timedelta(hours=1))


def _applicant(request: HttpRequest) -> User:
    user = current_applicant(request)
    if user is None:  # applicant_required ran first
        raise Http404
    return user


def _online_procedure(code: str) -> Procedure:
    """A published procedure offered online; any other code answers 404 like an unknown one."""
    procedure = Procedure.objects.published().filter(code=code).first()
    if procedure is None or not procedure.is_online_capable:
        raise Http404
    return procedure


def _draft_of(user: User, draft_id: str) -> DossierDraft:
    """The applicant's own unexpired draft; someone else's, expired or malformed ids answer 404."""
    try:
        pk = uuid.UUID(draft_id)
    except ValueError as exc:
        raise Http404 from exc
    return get_object_or_404(drafts_of(user), pk=pk)


def _initial(user: User, draft: DossierDraft | None) -> dict[str, Any]:
    """Prefilled from the account; a draft brings back what was typed."""
    initial: dict[str, Any] = {
        "applicant_name": user.full_name,
        "applicant_id_number": user.national_id or user.tax_code or "",
        "phone": user.phone,
        "email": user.email,
        "result_delivery": ResultDelivery.ONLINE,
    }
    if draft is not None:
        initial.update({k: v for k, v in draft.data.items() if k in DRAFT_FIELDS})
        initial["idempotency_key"] = draft.idempotency_key
    else:
        initial["idempotency_key"] = uuid.uuid4().hex
    return initial


def _rows(
    procedure: Procedure,
    store: list[ReusableDocument],
    data: Any = None,
    files: Any = None,
    draft: DossierDraft | None = None,
) -> list[ComponentRow]:
    reuse = (draft.data.get("reuse") or {}) if draft is not None else {}
    return [
        ComponentRow(
            data,
            files,
            component=component,
            store=store,
            initial={"reuse": reuse.get(str(component.pk), "")},
        )
        for component in procedure.components.order_by("position")
    ]


def _render(
    request: HttpRequest,
    procedure: Procedure,
    form: SubmissionForm,
    rows: list[ComponentRow],
    draft: DossierDraft | None,
    *,
    problems: Sequence[str] = (),
    status: int = 200,
) -> HttpResponse:
    stored = draft.files if draft is not None else {}
    context = {
        "procedure": procedure,
        "form": form,
        "rows": [(row, stored.get(str(row.component.pk))) for row in rows],
        "draft": draft,
        "problems": problems,
        "limit": max_upload_label(),
        "action": reverse("portal:draft_edit", args=[draft.pk]) if draft else request.get_full_path(),
        "has_errors": bool(problems) or bool(form.errors) or any(row.errors for row in rows),
    }
    return render(request, "portal/submission/form.html", context, status=status)


def _done(dossier: Dossier) -> HttpResponse:
    return redirect("portal:submission_done", dossier_code=dossier.code)


def _typed(request: HttpRequest, rows: list[ComponentRow], store_keys: set[str]) -> dict[str, Any]:
    """What the applicant typed, as typed (a draft needs no validation); reuse choices only among
    their own store's keys."""
    data: dict[str, Any] = {name: request.POST.get(name, "")[:300] for name in DRAFT_FIELDS}
    data["reuse"] = {
        str(row.component.pk): request.POST.get(f"c{row.component.pk}-reuse", "")
        for row in rows
        if request.POST.get(f"c{row.component.pk}-reuse", "") in store_keys
    }
    return data


def _handle_post(
    request: HttpRequest, user: User, procedure: Procedure, draft: DossierDraft | None
) -> HttpResponse:
    key = request.POST.get("idempotency_key", "")
    replay = submitted_with_key(user, key) if key else None
    if replay is not None:  # a double click or a retry after the dossier was filed
        return _done(replay)
    store = reusable_documents_for(user)
    units = receiving_units_for(procedure)
    form = SubmissionForm(request.POST, applicant=user, units=units, initial=_initial(user, draft))
    rows = _rows(procedure, store, request.POST, request.FILES, draft)
    if not throttle.consume(SUBMISSION_RULE, str(user.pk)):
        problem = _(
            "Tài khoản đã lưu hoặc nộp quá nhiều lần trong một giờ. Vui lòng thử lại sau ít phút; "
            "nội dung đã lưu trước đó không bị mất."
        )
        return _render(request, procedure, form, rows, draft, problems=[problem], status=429)
    form_ok = form.is_valid()
    rows_ok = all(row.is_valid() for row in rows)
    if draft is None and "idempotency_key" in form.errors:
        problem = _("Biểu mẫu không hợp lệ hoặc đã cũ: hãy tải lại trang «Nộp hồ sơ trực tuyến» rồi thử lại.")
        return _render(request, procedure, form, rows, None, problems=[problem], status=400)
    files = {
        row.component.pk: row.cleaned_data["file"]
        for row in rows
        if isinstance(row.cleaned_data.get("file"), CheckedFile)
    }
    remove = [
        row.component.pk for row in rows if row.cleaned_data.get("remove") and row.component.pk not in files
    ]
    try:
        draft = services.save_draft(
            by=user,
            procedure=procedure,
            idempotency_key=draft.idempotency_key if draft else form.cleaned_data["idempotency_key"],
            data=_typed(request, rows, {d.key for d in store}),
            files=files,
            remove=remove,
            draft_id=draft.pk if draft else None,
        )
    except NotFound:
        replay = submitted_with_key(user, key)
        if replay is not None:
            return _done(replay)
        raise Http404 from None
    except DomainError as exc:
        return _render(request, procedure, form, rows, draft, problems=[exc.message], status=400)
    if request.POST.get("action") != "submit":
        messages.success(request, _("Đã lưu hồ sơ nháp. Bạn có thể tiếp tục khai và nộp sau."))
        return redirect("portal:draft_edit", draft_id=draft.pk)
    if not (form_ok and rows_ok):
        return _render(request, procedure, form, rows, draft, status=400)
    data = form.cleaned_data
    try:
        dossier = services.submit_draft(
            by=user,
            draft_id=draft.pk,
            receiving_unit=data["receiving_unit"],
            applicant=ApplicantInput(
                name=data["applicant_name"],
                id_number=data["applicant_id_number"],
                owner_name=data["owner_name"],
                owner_id_number=data["owner_id_number"],
                address=data["address"],
                phone=data["phone"],
                email=data["email"],
                user=user,
            ),
            result_delivery=ResultDelivery(data["result_delivery"]),
            reuse={int(k): v for k, v in draft.data.get("reuse", {}).items()},
        )
    except NotFound:
        replay = submitted_with_key(user, draft.idempotency_key)
        if replay is not None:
            return _done(replay)
        raise Http404 from None
    except DomainError as exc:
        _mark_missing_papers(rows, draft)
        return _render(request, procedure, form, rows, draft, problems=[exc.message], status=400)
    return _done(dossier)


def _mark_missing_papers(rows: list[ComponentRow], draft: DossierDraft) -> None:
    """Say it next to each required paper's own upload field too (issue 4, "Bad input": every error
    next to its field), not only in the summary, when it has no file: none uploaded now, none kept in
    the draft, nothing chosen from the data store."""
    reuse = draft.data.get("reuse") or {}
    for row in rows:
        key = str(row.component.pk)
        if row.component.is_required and key not in draft.files and not reuse.get(key) and not row.errors:
            row.add_error("file", _("Giấy tờ bắt buộc: hãy tải tệp lên hoặc chọn từ kho dữ liệu."))
            row.fields["file"].widget.attrs.update(
                {"aria-invalid": "true", "aria-describedby": f"{row.prefix}-file-error"}
            )


@require_http_methods(["GET", "HEAD", "POST"])
@applicant_required
def start(request: HttpRequest, code: str) -> HttpResponse:
    """The form of a procedure, new (a fresh idempotency key in a hidden field)."""
    user = _applicant(request)
    procedure = _online_procedure(code)
    if request.method == "POST":
        return _handle_post(request, user, procedure, None)
    form = SubmissionForm(applicant=user, units=receiving_units_for(procedure), initial=_initial(user, None))
    rows = _rows(procedure, reusable_documents_for(user))
    if drafts_of(user).filter(procedure=procedure).exists():
        messages.info(request, _("Bạn có hồ sơ lưu nháp của thủ tục này: xem ở mục «Hồ sơ lưu nháp»."))
    return _render(request, procedure, form, rows, None)


@require_http_methods(["GET", "HEAD", "POST"])
@applicant_required
def draft_edit(request: HttpRequest, draft_id: str) -> HttpResponse:
    """Resume a draft: the form with what was typed, the files already uploaded and the same key."""
    user = _applicant(request)
    if request.method == "POST":
        replay = submitted_with_key(user, request.POST.get("idempotency_key", ""))
        if replay is not None:
            return _done(replay)
    draft = _draft_of(user, draft_id)
    procedure = _online_procedure(draft.procedure.code)
    if request.method == "POST":
        return _handle_post(request, user, procedure, draft)
    form = SubmissionForm(applicant=user, units=receiving_units_for(procedure), initial=_initial(user, draft))
    rows = _rows(procedure, reusable_documents_for(user), draft=draft)
    return _render(request, procedure, form, rows, draft)


@require_safe
@applicant_required
def draft_list(request: HttpRequest) -> HttpResponse:
    user = _applicant(request)
    drafts = drafts_of(user).select_related("prepared_unit")  # the banner of drafts prepared at a counter
    return render(request, "portal/submission/drafts.html", {"drafts": drafts})


@require_POST
@applicant_required
def draft_delete(request: HttpRequest, draft_id: str) -> HttpResponse:
    user = _applicant(request)
    draft = _draft_of(user, draft_id)
    try:
        services.delete_draft(by=user, draft_id=draft.pk)
    except NotFound:
        raise Http404 from None
    messages.success(request, _("Đã xóa hồ sơ lưu nháp và các tệp đã tải lên."))
    return redirect("portal:draft_list")


@require_safe
@applicant_required
def done(request: HttpRequest, dossier_code: str) -> HttpResponse:
    """The confirmation: the dossier code and what happens next."""
    user = _applicant(request)
    dossier = get_object_or_404(
        Dossier.objects.filter(applicant_user=user).select_related("procedure", "receiving_unit"),
        code=dossier_code.strip().upper(),
    )
    components = dossier.components.order_by("position")
    return render(request, "portal/submission/done.html", {"dossier": dossier, "components": components})
