"""Officer pages: sign in, choose the unit to work in, the dashboard shell, the catalog pages."""

from django.contrib import auth, messages
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from motcua.catalog.models import Procedure, ProcedureLevel
from motcua.catalog.permissions import can_edit_catalog
from motcua.dossiers import queries
from motcua.dossiers.models import Dossier
from motcua.office.auth import UNIT_SESSION_KEY, current_unit, officer, officer_required, sign_in
from motcua.office.forms import OfficerLoginForm
from motcua.organizations.calendars import calendar_for_unit
from motcua.organizations.models import Unit
from motcua.organizations.queries import current_memberships, roles_in


@require_http_methods(["GET", "POST"])
def login_view(request: HttpRequest) -> HttpResponse:
    form = OfficerLoginForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = sign_in(request, **form.cleaned_data)
        if getattr(request, "axes_locked_out", False):
            return render(request, "office/locked_out.html", status=429)
        if user is not None:
            next_url = request.GET.get("next", "")
            if next_url and url_has_allowed_host_and_scheme(
                next_url, {request.get_host()}, request.is_secure()
            ):
                return redirect(next_url)
            return redirect("office:choose_unit")
        form.add_error(None, _("Tên đăng nhập, mật khẩu hoặc mã xác thực không đúng."))
    return render(request, "office/login.html", {"form": form})


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    auth.logout(request)
    messages.info(request, _("Đã đăng xuất."))
    return redirect("office:login")


@officer_required
@require_http_methods(["GET", "POST"])
def choose_unit(request: HttpRequest) -> HttpResponse:
    memberships = list(current_memberships(officer(request)))
    units = {m.unit_id: m.unit for m in memberships}
    if request.method == "POST":
        try:
            unit_id = int(request.POST.get("unit", ""))
        except ValueError:
            unit_id = -1
        if unit_id not in units:
            raise Http404
        request.session[UNIT_SESSION_KEY] = unit_id
        return redirect("office:dashboard")
    if len(units) == 1:
        request.session[UNIT_SESSION_KEY] = next(iter(units))
        return redirect("office:dashboard")
    roles: dict[int, list[str]] = {}
    for m in memberships:
        roles.setdefault(m.unit_id, []).append(m.get_role_display())
    choices = [(unit, roles[unit.pk]) for unit in sorted(units.values(), key=lambda u: u.code)]
    return render(request, "office/choose_unit.html", {"choices": choices})


@officer_required
def dashboard(request: HttpRequest) -> HttpResponse:
    unit = current_unit(request)
    if unit is None:
        return redirect("office:choose_unit")
    calendar = calendar_for_unit(unit)
    now = timezone.now()
    level = {"province": ProcedureLevel.PROVINCE, "district": ProcedureLevel.DISTRICT}.get(
        unit.level, ProcedureLevel.COMMUNE
    )
    context = {
        "unit": unit,
        "roles": sorted(r.label for r in roles_in(officer(request), unit)),
        "is_working_day": calendar.is_working_day(timezone.localdate()),
        "next_working_instant": calendar.next_working_instant(now),
        "procedure_count": Procedure.objects.published().filter(level=level).count(),
        "online_full_count": Procedure.objects.published().filter(level=level, online_level="full").count(),
        "children_count": unit.children.filter(is_active=True).count(),
        **_work_counts(request, unit),
    }
    return render(request, "office/dashboard.html", context)


def _work_counts(request: HttpRequest, unit: Unit) -> dict[str, int]:
    """What waits for the officer: online dossiers at the counter, their open steps, the unit's late
    dossiers (the pages themselves list them)."""
    user = officer(request)
    return {
        "online_waiting_count": queries.reception_queue(unit).count(),
        "my_steps_count": queries.worklist(user).count(),
        "overdue_count": Dossier.objects.visible_to(user)
        .filter(Q(receiving_unit=unit) | Q(responsible_unit=unit))
        .overdue()
        .count(),
    }


@officer_required
def procedure_list(request: HttpRequest) -> HttpResponse:
    unit = current_unit(request)
    if unit is None:
        return redirect("office:choose_unit")
    q = request.GET.get("q", "").strip()
    level = request.GET.get("level", "")
    procedures = Procedure.objects.select_related("field").search(q)
    if level in ProcedureLevel.values:
        procedures = procedures.filter(level=level)
    page = Paginator(procedures.order_by("code"), 25).get_page(request.GET.get("page"))
    context = {"unit": unit, "page": page, "q": q, "level": level, "levels": ProcedureLevel.choices}
    template = "office/procedure_list.html#results" if request.htmx else "office/procedure_list.html"  # type: ignore[attr-defined]
    return render(request, template, context)


@officer_required
def procedure_detail(request: HttpRequest, code: str) -> HttpResponse:
    unit = current_unit(request)
    if unit is None:
        return redirect("office:choose_unit")
    procedure = (
        Procedure.objects.select_related("field")
        .prefetch_related("components", "fee_items", "processes__steps__performing_unit", "processes__unit")
        .filter(code=code)
        .first()
    )
    if procedure is None:
        raise Http404
    context = {"unit": unit, "procedure": procedure, "can_edit": can_edit_catalog(officer(request))}
    return render(request, "office/procedure_detail.html", context)
