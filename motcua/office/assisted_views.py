"""Assisted online submission (hỗ trợ nộp hồ sơ trực tuyến) at the counter.

A receiver prepares an online dossier in the applicant's own account — procedure, the applicant's
national ID or tax code, the papers scanned at the counter — and the applicant files it from that
account, so it counts as filed from the own account (chính chủ; NĐ 42/2022/NĐ-CP Điều 11, DOMAIN.md
§3). The officer never files it (``dossiers.services.assisted``). The page also lists the unit's
prepared drafts that the applicant has not filed yet.
"""

import uuid
from typing import Any

from django import forms
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from motcua.accounts.identity import applicant_id_problem
from motcua.catalog.models import Component, OnlineLevel, Procedure
from motcua.core.errors import DomainError
from motcua.documents.uploads import CheckedFile, check_upload, max_upload_label
from motcua.dossiers import permissions, services
from motcua.dossiers.models import DossierDraft, ResultDelivery
from motcua.dossiers.services import NoApplicantAccount
from motcua.dossiers.services.assisted import PREPARED_FIELDS
from motcua.office.auth import current_unit, officer, officer_required
from motcua.office.dossier_forms import StyledForm
from motcua.office.dossier_views import is_htmx
from motcua.office.intake_views import catalog_level
from motcua.organizations.models import Unit


class AssistedForm(StyledForm):
    """What the officer fills for the applicant; the submitter is the account holder (chính chủ)."""

    procedure = forms.CharField(widget=forms.HiddenInput)
    idempotency_key = forms.RegexField(regex=r"^[0-9a-f]{32}$", widget=forms.HiddenInput)
    applicant_id_number = forms.CharField(
        label=gettext_lazy("Số định danh cá nhân / mã số thuế của người nộp (chủ tài khoản)"),
        max_length=14,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    owner_name = forms.CharField(
        label=gettext_lazy("Chủ hồ sơ (nếu khác người nộp)"), max_length=200, required=False
    )
    owner_id_number = forms.CharField(
        label=gettext_lazy("Số định danh / mã số thuế chủ hồ sơ"), max_length=14, required=False
    )
    address = forms.CharField(label=gettext_lazy("Địa chỉ liên hệ"), max_length=300, required=False)
    phone = forms.RegexField(
        label=gettext_lazy("Số điện thoại (để trống: theo tài khoản)"),
        regex=r"^\+?[0-9 .]{8,20}$",
        max_length=20,
        required=False,
        error_messages={"invalid": gettext_lazy("Số điện thoại chỉ gồm chữ số (8–15 số).")},
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
    )
    email = forms.EmailField(
        label=gettext_lazy("Thư điện tử (để trống: theo tài khoản)"), max_length=254, required=False
    )
    result_delivery = forms.ChoiceField(
        label=gettext_lazy("Hình thức nhận kết quả"),
        choices=ResultDelivery.choices,
        initial=ResultDelivery.ONLINE,
    )

    def _clean_id(self, name: str) -> str:
        value: str = self.cleaned_data[name].strip()
        if value:
            problem = applicant_id_problem(value)
            if problem:
                raise forms.ValidationError(problem)
        return value

    def clean_applicant_id_number(self) -> str:
        return self._clean_id("applicant_id_number")

    def clean_owner_id_number(self) -> str:
        return self._clean_id("owner_id_number")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("result_delivery") == ResultDelivery.POST and not data.get("address", "").strip():
            self.add_error("address", _("Nhận kết quả qua bưu chính: hãy ghi địa chỉ nhận."))
        if data.get("owner_id_number") and not data.get("owner_name", "").strip():
            self.add_error("owner_name", _("Hãy ghi họ tên chủ hồ sơ."))
        return data


class ScanForm(StyledForm):
    """The scan of one paper of the procedure, checked by its content (``documents.uploads``)."""

    scan = forms.FileField(label=gettext_lazy("Bản quét"), required=False)

    def __init__(self, *args: Any, component: Component, **kwargs: Any) -> None:
        kwargs["prefix"] = f"c{component.pk}"
        super().__init__(*args, **kwargs)
        self.component = component
        self.fields["scan"].widget.attrs["accept"] = (
            ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"
        )

    def clean_scan(self) -> CheckedFile | None:
        upload = self.cleaned_data.get("scan")
        if isinstance(upload, UploadedFile):
            return check_upload(upload, label=self.component.name)
        return None


def _counter_unit(request: HttpRequest) -> Unit | None:
    """The current unit, if the officer is a receiver there (anyone else: 403)."""
    unit = current_unit(request)
    if unit is not None and not permissions.can_receive(officer(request), unit):
        raise PermissionDenied
    return unit


def _online_procedures() -> Any:
    return Procedure.objects.published().exclude(online_level=OnlineLevel.NONE)


def _rows(procedure: Procedure, data: Any = None, files: Any = None) -> list[ScanForm]:
    return [ScanForm(data, files, component=c) for c in procedure.components.order_by("position", "id")]


def _form_page(
    request: HttpRequest,
    unit: Unit,
    procedure: Procedure,
    form: AssistedForm,
    rows: list[ScanForm],
    *,
    problems: list[str] | None = None,
    status: int = 200,
) -> HttpResponse:
    lost = [f.name for key in request.FILES for f in request.FILES.getlist(key)] if status != 200 else []
    context = {
        "unit": unit,
        "procedure": procedure,
        "form": form,
        "rows": rows,
        "problems": problems or [],
        "lost_files": lost,
        "limit": max_upload_label(),
    }
    return render(request, "office/dossiers/assisted_form.html", context, status=status)


@officer_required
@require_http_methods(["GET", "POST"])
def assisted(request: HttpRequest) -> HttpResponse:
    """Pick a procedure offered online (with the unit's prepared drafts below), then the form."""
    unit = _counter_unit(request)
    if unit is None:
        return redirect("office:choose_unit")
    if request.method == "POST":
        return _assisted_post(request, unit)
    code = request.GET.get("thu_tuc", "").strip()
    if code:
        procedure = _online_procedures().filter(code=code).first()
        if procedure is None:
            raise Http404
        form = AssistedForm(initial={"procedure": procedure.code, "idempotency_key": uuid.uuid4().hex})
        return _form_page(request, unit, procedure, form, _rows(procedure))
    q = request.GET.get("q", "").strip()
    all_levels = request.GET.get("moi_cap") == "1"
    procedures = _online_procedures().search(q).select_related("field")
    if not all_levels:
        procedures = procedures.filter(level=catalog_level(unit))
    page = Paginator(procedures.order_by("code"), 15).get_page(request.GET.get("page"))
    context = {"unit": unit, "q": q, "all_levels": all_levels, "page": page}
    if is_htmx(request):
        return render(request, "office/dossiers/assisted_pick.html#results", context)
    context["prepared"] = services.prepared_at_unit(unit)[:50]
    return render(request, "office/dossiers/assisted_pick.html", context)


def _assisted_post(request: HttpRequest, unit: Unit) -> HttpResponse:
    procedure = _online_procedures().filter(code=request.POST.get("procedure", "")).first()
    if procedure is None:
        raise Http404
    form = AssistedForm(request.POST)
    rows = _rows(procedure, request.POST, request.FILES)
    valid = form.is_valid() & all([row.is_valid() for row in rows])
    if not valid:
        return _form_page(request, unit, procedure, form, rows, status=400)
    data = form.cleaned_data
    files = {row.component.pk: row.cleaned_data["scan"] for row in rows if row.cleaned_data.get("scan")}
    try:
        draft = services.prepare_for_applicant(
            by=officer(request),
            receiving_unit=unit,
            procedure=procedure,
            applicant_id_number=data["applicant_id_number"],
            idempotency_key=data["idempotency_key"],
            data={name: data[name] for name in PREPARED_FIELDS},
            files=files,
        )
    except NoApplicantAccount as exc:
        form.add_error("applicant_id_number", exc.message)
        return _form_page(request, unit, procedure, form, rows, status=400)
    except DomainError as exc:
        return _form_page(request, unit, procedure, form, rows, problems=[exc.message], status=400)
    return redirect("office:assisted_done", draft_id=draft.pk)


def _prepared_here(unit: Unit, draft_id: str) -> DossierDraft:
    try:
        pk = uuid.UUID(draft_id)
    except ValueError as exc:
        raise Http404 from exc
    draft = services.prepared_draft(unit, pk)
    if draft is None:
        raise Http404
    return draft


@officer_required
@require_GET
def assisted_done(request: HttpRequest, draft_id: str) -> HttpResponse:
    """The confirmation: what was prepared and what to tell the applicant (sign in, check, file)."""
    unit = _counter_unit(request)
    if unit is None:
        raise Http404
    draft = _prepared_here(unit, draft_id)
    papers = [
        (component, draft.files.get(str(component.pk)))
        for component in draft.procedure.components.order_by("position", "id")
    ]
    return render(
        request, "office/dossiers/assisted_done.html", {"unit": unit, "draft": draft, "papers": papers}
    )
