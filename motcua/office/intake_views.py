"""Intake at the counter and the online reception queue (NĐ 61/2018 Điều 15–18; DOMAIN.md §3).

At the counter the receiver picks the procedure, fills the applicant and ticks the papers handed in
(with scans), sees the appointment that would result, and ends with one of three outcomes: receive
(form 01), ask for supplementation listing every missing item at once (form 02), or refuse with reasons
(form 03). Online dossiers wait in the queue with their 8-working-hour countdown: receive, or send back
for supplementation — never refuse or cancel.
"""

import uuid
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from motcua.accounts.identity import applicant_id_problem
from motcua.catalog.models import Procedure, ProcedureLevel
from motcua.core.errors import DomainError
from motcua.documents.models import StoredDocument
from motcua.documents.signing.officer import current_certificate
from motcua.dossiers import permissions, queries, services
from motcua.dossiers.models import Dossier
from motcua.dossiers.services import ApplicantInput, ComponentInput, MissingItem, data_store, digitization
from motcua.dossiers.workflow import Channel
from motcua.office import dossier_forms as df
from motcua.office.auth import current_unit, officer, officer_required
from motcua.office.dossier_timeline import clock
from motcua.office.dossier_views import is_htmx
from motcua.organizations.models import Level, Unit


def _counter_unit(request: HttpRequest) -> Unit | None:
    """The current unit, if the officer is a receiver there (a specialist cannot receive: 403)."""
    unit = current_unit(request)
    if unit is not None and not permissions.can_receive(officer(request), unit):
        raise PermissionDenied
    return unit


def catalog_level(unit: Unit) -> str:
    level = unit.level
    if level == Level.DEPARTMENT and unit.parent is not None:
        level = unit.parent.level
    levels = {Level.PROVINCE: ProcedureLevel.PROVINCE, Level.DISTRICT: ProcedureLevel.DISTRICT}
    return str(levels.get(Level(level), ProcedureLevel.COMMUNE))


def _rows(
    procedure: Procedure,
    data: Any = None,
    files: Any = None,
    store: list[StoredDocument] | None = None,
) -> list[tuple[Any, df.ComponentRowForm]]:
    rows = []
    for component in procedure.components.order_by("position", "id"):
        initial = {
            "component_id": component.pk,
            "is_provided": True,
            "copy_type": component.copy_type,
            "count": component.count or 1,
        }
        offered = data_store.documents_for_component(component, store or [])
        row = df.ComponentRowForm(data, files, prefix=f"c{component.pk}", initial=initial, store=offered)
        rows.append((component, row))
    return rows


def _typed_store(data: Any) -> list[StoredDocument]:
    """The data store of the people whose ID numbers the receiver typed (owner and submitter): what the
    intake page offers instead of a scan (NĐ 107/2021 Điều 21a). The ID travels in the POST body only."""
    return data_store.store_of_people(
        data.get("owner_id_number", ""), data.get("applicant_id_number", ""), at=timezone.localdate()
    )


def _store_lookup(request: HttpRequest, unit: Unit, procedure: Procedure) -> HttpResponse:
    """ "Tra cứu kho dữ liệu": show, for each paper, the matching documents of the typed person's store.
    Nothing is recorded until the dossier is received with a document ticked."""
    typed = {name: request.POST.get(name, "") for name in df.IntakeForm.base_fields}
    form = df.IntakeForm(initial=typed, receiving_unit=unit)
    problems: list[str] = []
    number = (typed.get("owner_id_number") or typed.get("applicant_id_number") or "").strip()
    problem = applicant_id_problem(number) if number else _("hãy nhập số định danh cá nhân hoặc mã số thuế.")
    store = _typed_store(request.POST) if not problem else []
    if problem:
        problems.append(_("Tra cứu kho dữ liệu: %(problem)s") % {"problem": problem})
    rows = _rows(procedure, request.POST, None, store=store)
    lost = [f.name for key in request.FILES for f in request.FILES.getlist(key)]
    context = _intake_context(
        request,
        unit,
        procedure,
        form=form,
        rows=rows,
        items=df.missing_items_formset(request.POST, rows=3),
        problems=problems,
        lost_files=lost,
        store_looked_up=not problem,
        store_count=len(store),
    )
    return render(request, "office/dossiers/intake_form.html", context, status=400 if problems else 200)


def _intake_context(request: HttpRequest, unit: Unit, procedure: Procedure, **extra: Any) -> dict[str, Any]:
    context: dict[str, Any] = {
        "unit": unit,
        "procedure": procedure,
        "appointment": queries.appointment_for(procedure.code, unit.code, timezone.now()),
    }
    context.update(extra)
    return context


@officer_required
@require_http_methods(["GET", "POST"])
def intake(request: HttpRequest) -> HttpResponse:
    unit = _counter_unit(request)
    if unit is None:
        return redirect("office:choose_unit")
    if request.method == "POST":
        return _intake_post(request, unit)
    code = request.GET.get("thu_tuc", "").strip()
    if not code:
        q = request.GET.get("q", "").strip()
        all_levels = request.GET.get("moi_cap") == "1"
        procedures = Procedure.objects.published().search(q).select_related("field")
        if not all_levels:
            procedures = procedures.filter(level=catalog_level(unit))
        page = Paginator(procedures.order_by("code"), 15).get_page(request.GET.get("page"))
        context = {"unit": unit, "q": q, "all_levels": all_levels, "page": page}
        template = (
            "office/dossiers/intake_pick.html#results"
            if is_htmx(request)
            else "office/dossiers/intake_pick.html"
        )
        return render(request, template, context)
    procedure = Procedure.objects.published().filter(code=code).first()
    if procedure is None:
        raise Http404
    form = df.IntakeForm(
        initial={"procedure": procedure.code, "idempotency_key": uuid.uuid4().hex}, receiving_unit=unit
    )
    context = _intake_context(
        request, unit, procedure, form=form, rows=_rows(procedure), items=df.missing_items_formset(rows=3)
    )
    return render(request, "office/dossiers/intake_form.html", context)


def _intake_post(request: HttpRequest, unit: Unit) -> HttpResponse:
    procedure = Procedure.objects.published().filter(code=request.POST.get("procedure", "")).first()
    if procedure is None:
        raise Http404
    outcome = request.POST.get("outcome", "")
    if outcome == "lookup":
        return _store_lookup(request, unit, procedure)
    form = df.IntakeForm(request.POST, receiving_unit=unit)
    rows = _rows(procedure, request.POST, request.FILES, store=_typed_store(request.POST))
    items = df.missing_items_formset(request.POST, rows=3)
    problems: list[str] = []
    valid = form.is_valid() & all([r.is_valid() for _c, r in rows]) & items.is_valid()
    if outcome not in df.IntakeForm.OUTCOMES:
        problems.append(_("Hãy chọn một trong ba cách xử lý: tiếp nhận, yêu cầu bổ sung hoặc từ chối."))
    elif outcome == "supplement" and items.is_valid() and not df.filled_items(items):
        problems.append(_("Yêu cầu bổ sung: hãy ghi ít nhất một giấy tờ cần bổ sung và lý do."))
    elif outcome == "refuse" and form.is_valid() and not form.reason_list():
        form.add_error("reasons", _("Từ chối tiếp nhận: hãy ghi rõ lý do."))
        valid = False
    if valid and not problems:
        user = officer(request)
        key = form.cleaned_data["idempotency_key"]
        try:
            dossier = _run_intake(
                request, unit, procedure, outcome, form, rows, items, f"office-{user.pk}-{key}"
            )
        except DomainError as exc:
            problems.append(exc.message)
        else:
            if outcome == "receive":
                _digitize_scans(request, dossier)
            url = reverse("office:dossier_detail", kwargs={"dossier_code": dossier.code})
            return redirect(f"{url}?mau={ {'receive': '01', 'supplement': '02', 'refuse': '03'}[outcome] }")
    lost = [f.name for key in request.FILES for f in request.FILES.getlist(key)]
    context = _intake_context(
        request,
        unit,
        procedure,
        form=form,
        rows=rows,
        items=items,
        problems=problems,
        lost_files=lost,
        outcome=outcome,
    )
    return render(request, "office/dossiers/intake_form.html", context, status=400)


def _components(rows: list[tuple[Any, df.ComponentRowForm]], *, provided_only: bool) -> list[ComponentInput]:
    result = []
    for component, row in rows:
        data = row.cleaned_data
        if provided_only and not data["is_provided"]:
            continue
        scan = df.safe_upload(data.get("scan"))
        document = data.get("store_document")
        if document is not None and not scan:
            # a paper taken from the person's data store instead of a scan (NĐ 107/2021 Điều 21a)
            result.append(
                ComponentInput(
                    name=component.name,
                    catalog_component=component,
                    copy_type=data["copy_type"],
                    count=data["count"],
                    is_provided=True,
                    file=data_store.copy_of(document),
                    store_document=document,
                )
            )
            continue
        result.append(
            ComponentInput(
                name=component.name,
                catalog_component=component,
                copy_type=data["copy_type"],
                count=data["count"],
                is_provided=data["is_provided"],
                file=scan or None,
            )
        )
    return result


def _digitize_scans(request: HttpRequest, dossier: Dossier) -> None:
    """Scans taken at the counter are digitized at once: normalised to PDF and signed by the receiver
    (NĐ 107/2021/NĐ-CP Điều 21a; TT 01/2023/TT-VPCP: a digitized paper carries the receiving body's
    digital signature). A receiver without a valid certificate, or a scan that cannot be signed, leaves
    the dossier received and the paper in the unit's digitization backlog, with a message saying so."""
    user = officer(request)
    scans = dossier.components.filter(is_provided=True, signed_at__isnull=True).exclude(file="")
    if not scans.exists():
        return
    if current_certificate(user) is None:
        messages.warning(
            request,
            _(
                "Bản quét đã được lưu nhưng chưa ký số vì bạn chưa có chứng thư số còn hiệu lực; "
                "hồ sơ nằm trong danh sách chưa số hóa của đơn vị."
            ),
        )
        return
    signed = 0
    for component in scans.order_by("position"):
        try:
            digitization.sign_existing_component(dossier_id=dossier.pk, component_id=component.pk, by=user)
        except DomainError as exc:
            messages.warning(request, exc.message)
        else:
            signed += 1
    if signed:
        messages.success(request, _("Đã số hóa và ký số %(n)d bản quét.") % {"n": signed})


def _run_intake(
    request: HttpRequest,
    unit: Unit,
    procedure: Procedure,
    outcome: str,
    form: df.IntakeForm,
    rows: list[tuple[Any, df.ComponentRowForm]],
    items: Any,
    key: str,
) -> Dossier:
    """One service call per outcome, each idempotent in the service: the key is stored with the
    dossier, so a double click or a retry answers with the dossier of the first request."""
    user = officer(request)
    data = form.cleaned_data
    applicant = ApplicantInput(
        name=data["applicant_name"],
        id_number=data["applicant_id_number"],
        owner_name=data["owner_name"],
        owner_id_number=data["owner_id_number"],
        address=data["address"],
        phone=data["phone"],
        email=data["email"],
    )
    channel = Channel(data["channel"])
    if outcome == "receive":
        return services.receive_at_counter(
            by=user,
            procedure=procedure,
            receiving_unit=unit,
            applicant=applicant,
            components=_components(rows, provided_only=False),
            channel=channel,
            responsible_unit=data["responsible_unit"],
            result_delivery=data["result_delivery"],
            idempotency_key=key,
        )
    if outcome == "supplement":
        return services.request_supplement_at_counter(
            by=user,
            procedure=procedure,
            receiving_unit=unit,
            applicant=applicant,
            items=[MissingItem(name=n, reason=r) for n, r in df.filled_items(items)],
            components=_components(rows, provided_only=True),
            channel=channel,
            responsible_unit=data["responsible_unit"],
            idempotency_key=key,
        )
    return services.refuse_at_counter(
        by=user,
        procedure=procedure,
        receiving_unit=unit,
        applicant=applicant,
        reasons=form.reason_list(),
        components=_components(rows, provided_only=True),
        channel=channel,
        idempotency_key=key,
    )


@officer_required
@require_GET
def appointment_preview(request: HttpRequest) -> HttpResponse:
    """The appointment a dossier received now would get (htmx fragment on the intake form)."""
    unit = _counter_unit(request)
    if unit is None:
        raise Http404
    procedure = Procedure.objects.published().filter(code=request.GET.get("procedure", "")).first()
    if procedure is None:
        raise Http404
    responsible = unit
    unit_id = request.GET.get("responsible_unit", "")
    if unit_id.isdigit():
        responsible = Unit.objects.active().filter(pk=int(unit_id)).first() or unit
    channel = Channel.POSTAL if request.GET.get("channel") == str(Channel.POSTAL.value) else Channel.DIRECT
    try:
        appointment = queries.appointment_for(procedure.code, responsible.code, timezone.now(), channel)
    except DomainError as exc:
        return render(
            request, "office/dossiers/intake_form.html#appointment", {"appointment_error": exc.message}
        )
    context = {"appointment": appointment, "procedure": procedure, "responsible": responsible}
    return render(request, "office/dossiers/intake_form.html#appointment", context)


@officer_required
@require_GET
def online_queue(request: HttpRequest) -> HttpResponse:
    """Online dossiers waiting at this counter, most urgent first, with the 8-working-hour countdown."""
    unit = _counter_unit(request)
    if unit is None:
        return redirect("office:choose_unit")
    page = Paginator(queries.reception_queue(unit), 25).get_page(request.GET.get("page"))
    now = timezone.now()
    rows = [(d, clock(d.reception_due_at, unit, now=now, soon_hours=2)) for d in page]
    return render(request, "office/dossiers/online_queue.html", {"unit": unit, "page": page, "rows": rows})
