"""The early-warning page (cảnh báo sớm) of the officer's current unit: "Việc của tôi" (what the
officer must act on) and "Của đơn vị" (everything, grouped by officer), with counts per kind and a
filter by kind. Items come from ``indicators.warnings.queries.warnings_for_officer``: only the current
unit, re-checked against the officer's roles (DOMAIN.md §9; docs/early-warning.md).
"""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from motcua.indicators.warnings.items import Kind, by_officer, counts
from motcua.indicators.warnings.queries import default_horizon_hours, warnings_for_officer
from motcua.office.auth import current_unit, officer, officer_required
from motcua.organizations.models import Membership


def _roles(user_id: int) -> set[tuple[int, str]]:
    return set(Membership.objects.current().filter(user_id=user_id).values_list("unit_id", "role"))


def my_warning_count(request: HttpRequest) -> int:
    """Items of the current unit the officer must act on (0 without a current unit)."""
    unit = current_unit(request)
    if unit is None:
        return 0
    user = officer(request)
    roles = _roles(user.pk)
    return sum(1 for i in warnings_for_officer(user, unit, now=timezone.now()) if i.concerns(user.pk, roles))


@officer_required
@require_GET
def warnings_page(request: HttpRequest) -> HttpResponse:
    unit = current_unit(request)
    if unit is None:
        return redirect("office:choose_unit")
    user = officer(request)
    now = timezone.now()
    items = warnings_for_officer(user, unit, now=now)
    kind = request.GET.get("loai", "")
    if kind not in Kind.values:
        kind = ""
    shown = [i for i in items if i.kind == kind] if kind else items
    roles = _roles(user.pk)
    mine = [i for i in shown if i.concerns(user.pk, roles)]
    context = {
        "unit": unit,
        "kind": kind,
        "counts": counts(items),
        "total": len(items),
        "mine": mine,
        "groups": by_officer(shown),
        "shown_count": len(shown),
        "horizon": default_horizon_hours(),
        "now": now,
    }
    return render(request, "office/warnings/page.html", context)
