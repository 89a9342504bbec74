"""The machines' front door: a read-only, public API over the unit tree and the published catalog.

Versioned under ``/api/v1/``; the OpenAPI 3.1 schema is at ``/api/v1/openapi.json``. The interactive
docs page is off: django-ninja's Swagger page loads its assets from a CDN, which the CSP forbids.
"""

from django.db.models import Count, Prefetch
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import HttpError
from ninja.pagination import PageNumberPagination, paginate

from motcua.api.schemas import ErrorOut, ProcedureDetailOut, ProcedureOut, UnitDetailOut, UnitOut
from motcua.catalog.models import InternalProcess, OnlineLevel, Procedure, ProcedureLevel, ProcessStep
from motcua.organizations.models import Level, Unit

api = NinjaAPI(
    title="Một Cửa API",
    version="1",
    description="Danh mục đơn vị và thủ tục hành chính đã công bố (chỉ đọc).",
    urls_namespace="api",
    docs_url=None,
)

PAGE_SIZE = 50


class Pagination(PageNumberPagination):
    """``?page=`` (from 1) and ``?page_size=`` (at most 100); answers ``{"items": [...], "count": n}``."""


@api.get("/units", response=list[UnitOut], tags=["units"], summary="Danh sách đơn vị")
@paginate(Pagination, page_size=PAGE_SIZE)
def list_units(
    request: HttpRequest, level: Level | None = None, parent: str | None = None, q: str | None = None
) -> object:
    units = Unit.objects.select_related("parent").order_by("code")
    if level is not None:
        units = units.filter(level=level)
    if parent:
        units = units.filter(parent__code=parent)
    if q:
        units = units.search(q)
    return units


@api.get(
    "/units/{code}",
    response={200: UnitDetailOut, 404: ErrorOut},
    tags=["units"],
    summary="Thông tin một đơn vị",
)
def get_unit(request: HttpRequest, code: str) -> Unit:
    unit = (
        Unit.objects.select_related("parent")
        .annotate(children_count=Count("children"))
        .filter(code=code)
        .first()
    )
    if unit is None:
        raise HttpError(404, _("Không tìm thấy đơn vị có mã định danh %(code)s.") % {"code": code})
    return unit


@api.get(
    "/procedures", response=list[ProcedureOut], tags=["procedures"], summary="Tra cứu thủ tục hành chính"
)
@paginate(Pagination, page_size=PAGE_SIZE)
def list_procedures(
    request: HttpRequest,
    q: str | None = None,
    field: str | None = None,
    level: ProcedureLevel | None = None,
    online_level: OnlineLevel | None = None,
) -> object:
    procedures = Procedure.objects.published().select_related("field").order_by("code")
    if q:
        procedures = procedures.search(q)
    if field:
        procedures = procedures.filter(field__code=field)
    if level is not None:
        procedures = procedures.filter(level=level)
    if online_level is not None:
        procedures = procedures.filter(online_level=online_level)
    return procedures


@api.get(
    "/procedures/{code}",
    response={200: ProcedureDetailOut, 404: ErrorOut},
    tags=["procedures"],
    summary="Toàn bộ nội dung công khai của một thủ tục",
)
def get_procedure(request: HttpRequest, code: str) -> Procedure:
    processes = InternalProcess.objects.select_related("unit").prefetch_related(
        Prefetch("steps", queryset=ProcessStep.objects.select_related("performing_unit"))
    )
    procedure = (
        Procedure.objects.published()
        .select_related("field")
        .prefetch_related("components", "fee_items", Prefetch("processes", queryset=processes))
        .filter(code=code)
        .first()
    )
    if procedure is None:
        raise HttpError(404, _("Không tìm thấy thủ tục hành chính có mã %(code)s.") % {"code": code})
    return procedure
