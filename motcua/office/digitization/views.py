"""Digitization at the counter (số hóa tại Bộ phận Một cửa) and the unit's backlog.

- ``ho-so/<mã>/so-hoa/``: every paper of the dossier with its state (digitized, signed by whom and
  when, pages, text layer); a receiver of the receiving unit uploads the scans/photos of one paper
  (several files, in order), optionally with OCR, or signs the file uploaded at intake. One service
  (``dossiers.services.digitization``) normalises, signs as the receiver and records the event
  (NĐ 107/2021/NĐ-CP Điều 21a; seed 003).
- ``so-hoa/ton-dong/``: the officer's current unit's dossiers received since 1 January and not yet
  digitized, oldest first, to catch up (seed 001).

A dossier the officer may not see answers 404; only receivers may post. A refused upload is reported
with the names of the files that were not stored, so nothing is lost silently (the browser cannot
keep the chosen files: the officer chooses them again).
"""

from typing import Any

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_safe

from motcua.core.errors import Conflict, DomainError, NotFound, PermissionDenied
from motcua.documents.digitize import max_files, ocr_available
from motcua.documents.uploads import display_name, max_upload_label
from motcua.dossiers.models import Dossier
from motcua.dossiers.services import digitization as service
from motcua.dossiers.workflow import BEFORE_RECEPTION, Status
from motcua.office.auth import current_unit, officer, officer_required
from motcua.office.digitization.panel import summarize
from motcua.office.dossier_views import guarded_dossier

PAGE_SIZE = 25
ACCEPT = "application/pdf,image/jpeg,image/png,.pdf,.jpg,.jpeg,.png"


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Every chosen file, in the order the browser sent them; the checks are the upload gate's
    (``documents.uploads`` through the service), so nothing is refused here with another wording."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ACCEPT}))
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        if not data:
            return []
        return list(data) if isinstance(data, list | tuple) else [data]


class DigitizeForm(forms.Form):
    ACTIONS = (("upload", gettext_lazy("Số hóa")), ("sign", gettext_lazy("Ký số bản đã tải lên")))

    action = forms.ChoiceField(choices=ACTIONS, widget=forms.HiddenInput)
    component = forms.IntegerField(widget=forms.HiddenInput)
    scans = MultipleFileField(label=gettext_lazy("Bản quét hoặc ảnh chụp (PDF, JPEG, PNG)"))
    ocr = forms.BooleanField(label=gettext_lazy("Nhận dạng chữ (OCR)"), required=False)
    expected_version = forms.IntegerField(widget=forms.HiddenInput, required=False)


def _blocked_reason(dossier: Dossier) -> str:
    if dossier.received_at is None or Status(dossier.status) in BEFORE_RECEPTION:
        return _("Hồ sơ chưa được tiếp nhận: các thành phần được số hóa sau khi tiếp nhận.")
    if Status(dossier.status) not in service.DIGITIZABLE:
        return _("Hồ sơ đã kết thúc: không thể số hóa bổ sung.")
    return _("Chỉ cán bộ tiếp nhận của %(unit)s mới được số hóa và ký số thành phần hồ sơ.") % {
        "unit": dossier.receiving_unit.name
    }


def _page(
    request: HttpRequest,
    dossier: Dossier,
    *,
    status: int = 200,
    error: str = "",
    error_component: int | None = None,
    lost_files: list[str] | None = None,
    ocr_checked: bool = False,
) -> HttpResponse:
    user = officer(request)
    components = list(
        dossier.components.select_related("digitized_by", "signed_by").order_by("position", "id")
    )
    summary = summarize(user, dossier, components)
    context = {
        "unit": current_unit(request),
        "dossier": dossier,
        "components": components,
        "summary": summary,
        "blocked_reason": "" if summary.may_digitize else _blocked_reason(dossier),
        "ocr_available": ocr_available(),
        "accept": ACCEPT,
        "max_files": max_files(),
        "max_size": max_upload_label(),
        "error": error,
        "error_component": error_component,
        "lost_files": lost_files or [],
        "ocr_checked": ocr_checked,
    }
    return render(request, "office/digitization/dossier.html", context, status=status)


@officer_required
@require_http_methods(["GET", "HEAD", "POST"])
def dossier_digitize(request: HttpRequest, dossier_code: str) -> HttpResponse:
    dossier = guarded_dossier(request, dossier_code)
    if request.method != "POST":
        return _page(request, dossier)
    form = DigitizeForm(request.POST, request.FILES)
    lost = [display_name(f.name) for f in request.FILES.getlist("scans")]
    if not form.is_valid():
        return _page(
            request,
            dossier,
            status=400,
            error=_("Yêu cầu không hợp lệ: hãy tải lại trang rồi làm lại."),
            lost_files=lost,
        )
    data = form.cleaned_data
    component_id: int = data["component"]
    if not dossier.components.filter(pk=component_id).exists():
        return _page(request, dossier, status=404, error=_("Không tìm thấy thành phần hồ sơ."))
    try:
        if data["action"] == "sign":
            outcome = service.sign_existing_component(
                dossier_id=dossier.pk,
                component_id=component_id,
                by=officer(request),
                ocr=data["ocr"],
                expected_version=data["expected_version"],
            )
        else:
            outcome = service.digitize_component(
                dossier_id=dossier.pk,
                component_id=component_id,
                by=officer(request),
                files=data["scans"],
                ocr=data["ocr"],
                expected_version=data["expected_version"],
            )
    except DomainError as exc:
        dossier = guarded_dossier(request, dossier_code)  # the current version for the next try
        status = 400
        if isinstance(exc, PermissionDenied):
            status = 403
        elif isinstance(exc, Conflict):
            status = 409
        elif isinstance(exc, NotFound):
            status = 404
        return _page(
            request,
            dossier,
            status=status,
            error=exc.message,
            error_component=component_id,
            lost_files=lost,
            ocr_checked=data["ocr"],
        )
    component = outcome.component
    messages.success(
        request,
        _("Đã số hóa và ký số thành phần «%(name)s»: %(pages)d trang%(ocr)s.")
        % {
            "name": component.name,
            "pages": component.page_count or 0,
            "ocr": _(", có lớp chữ") if component.has_text_layer else "",
        },
    )
    for note in outcome.notes:
        messages.warning(request, note)
    if outcome.is_dossier_digitized:
        messages.info(request, _("Mọi thành phần đã nộp của hồ sơ đã được số hóa và ký số."))
    url = reverse("office:dossier_digitize", kwargs={"dossier_code": dossier.code})
    return redirect(f"{url}#tp-{component.pk}")


@officer_required
@require_safe
def digitization_backlog(request: HttpRequest) -> HttpResponse:
    unit = current_unit(request)
    if unit is None:
        return redirect("office:choose_unit")
    user = officer(request)
    since = service.start_of_year()
    backlog = service.digitization_backlog(user, unit, since=since)
    page = Paginator(backlog, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "unit": unit,
        "page": page,
        "since": since,
        "closed_count": service.closed_without_digitization(user, unit, since=since),
    }
    return render(request, "office/digitization/backlog.html", context)
