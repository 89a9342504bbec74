"""The citizens' front door: the public procedure catalog (công khai thủ tục hành chính).

Only published procedures are visible; a draft or withdrawn code answers 404 like an unknown one.
"""

import datetime as dt
from typing import Any

from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_safe

from motcua.catalog.models import (
    Field,
    InternalProcess,
    Procedure,
    ProcedureLevel,
    ProcedureQuerySet,
    ProcessStep,
    PublicationState,
)
from motcua.portal.forms import ProcedureSearchForm

PAGE_SIZE = 20


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    fields = (
        Field.objects.annotate(
            procedure_count=Count(
                "procedures", filter=Q(procedures__publication_state=PublicationState.PUBLISHED)
            )
        )
        .filter(procedure_count__gt=0)
        .order_by("name")
    )
    per_level = dict(
        Procedure.objects.published()
        .order_by()
        .values("level")
        .annotate(n=Count("id"))
        .values_list("level", "n")
    )
    levels = [(value, label, per_level.get(value, 0)) for value, label in ProcedureLevel.choices]
    return render(
        request, "portal/home.html", {"fields": fields, "levels": levels, "form": ProcedureSearchForm()}
    )


def search_procedures(filters: dict[str, Any]) -> ProcedureQuerySet:
    procedures = Procedure.objects.published().select_related("field")
    if "q" in filters:
        procedures = procedures.search(filters["q"])
    if "field" in filters:
        procedures = procedures.filter(field=filters["field"])
    if "level" in filters:
        procedures = procedures.filter(level=filters["level"])
    if "unit" in filters:
        procedures = procedures.handled_by(filters["unit"])
    if "online_level" in filters:
        procedures = procedures.filter(online_level=filters["online_level"])
    return procedures.order_by("code")


@require_safe
def procedure_search(request: HttpRequest) -> HttpResponse:
    form = ProcedureSearchForm(request.GET)
    filters = form.filters()
    page_obj = Paginator(search_procedures(filters), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"form": form, "page_obj": page_obj, "filters": filters}
    # htmx swaps only the results; a history restore (cache miss) needs the whole page.
    htmx = getattr(request, "htmx", None)
    partial = bool(htmx) and not htmx.history_restore_request  # type: ignore[union-attr]
    template = "portal/procedure_search.html#results" if partial else "portal/procedure_search.html"
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


def _current_processes(procedure: Procedure, today: dt.date) -> list[InternalProcess]:
    """The version in force today of each unit's internal process (rows are ordered newest first)."""
    seen: set[int | None] = set()
    current = []
    for process in procedure.processes.all():
        if process.valid_from <= today and process.unit_id not in seen:
            seen.add(process.unit_id)
            current.append(process)
    return current


@require_safe
def procedure_detail(request: HttpRequest, code: str) -> HttpResponse:
    processes = InternalProcess.objects.select_related("unit").prefetch_related(
        Prefetch("steps", queryset=ProcessStep.objects.select_related("performing_unit"))
    )
    procedure = get_object_or_404(
        Procedure.objects.published()
        .select_related("field")
        .prefetch_related("components", "fee_items", Prefetch("processes", queryset=processes)),
        code=code,
    )
    context = {
        "procedure": procedure,
        "processes": _current_processes(procedure, timezone.localdate()),
    }
    return render(request, "portal/procedure_detail.html", context)
