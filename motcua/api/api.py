"""The machines' front door: a public, read-only API over the unit tree, the published catalog and the
appointment rule, and the officers' dossier API (``api.dossiers``, ``api.dossier_actions``).

Versioned under ``/api/v1/``; the OpenAPI 3.1 schema is at ``/api/v1/openapi.json``. The interactive
docs page is off: django-ninja's Swagger page loads its assets from a CDN, which the CSP forbids.
"""

import datetime as dt

from django.db.models import Count, Prefetch
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.pagination import paginate

from motcua.api import dossier_actions, dossiers, indicators, payment_notices, verify
from motcua.api.dossier_schemas import AppointmentOut, ParameterErrorOut
from motcua.api.pagination import PAGE_SIZE, Pagination
from motcua.api.schemas import ErrorOut, ProcedureDetailOut, ProcedureOut, UnitDetailOut, UnitOut
from motcua.catalog.models import InternalProcess, OnlineLevel, Procedure, ProcedureLevel, ProcessStep
from motcua.core.errors import DomainError
from motcua.core.worktime import to_local
from motcua.dossiers.queries import appointment_for
from motcua.dossiers.workflow import Channel
from motcua.organizations.models import Level, Unit

api = NinjaAPI(
    title="Một Cửa API",
    version="1",
    description="Danh mục đơn vị và thủ tục hành chính đã công bố, ngày hẹn trả kết quả (công khai, chỉ "
    "đọc); hồ sơ và các thao tác xử lý hồ sơ (cán bộ đăng nhập có mã TOTP).",
    urls_namespace="api",
    docs_url=None,
)
api.add_router("/dossiers", dossiers.router)
api.add_router("/dossiers", dossier_actions.router)
api.add_router("/payments", payment_notices.router)
api.add_router("/verify", verify.router)
api.add_router("/indicators", indicators.router)


@api.exception_handler(AuthenticationError)
def unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return api.create_response(
        request,
        {"detail": _("Cần đăng nhập bằng tài khoản cán bộ có xác thực hai lớp (mã TOTP).")},
        status=401,
    )


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


def _bad_parameter(parameter: str, message: str) -> HttpResponse:
    return HttpResponse(
        ParameterErrorOut(detail=f"{parameter}: {message}", parameter=parameter).model_dump_json(),
        status=400,
        content_type="application/json; charset=utf-8",
    )


@api.get(
    "/appointment",
    response={200: AppointmentOut, 400: ParameterErrorOut},
    tags=["procedures"],
    summary="Ngày hẹn trả kết quả nếu hồ sơ đến đơn vị vào một thời điểm",
    description="Cùng quy tắc với tiếp nhận: thời hạn của thủ tục theo lịch làm việc của đơn vị, hồ sơ "
    "trực tiếp / bưu chính đến từ 15:00 tính từ sáng làm việc kế tiếp. `at` là thời điểm ISO 8601 có múi "
    "giờ, ví dụ `2024-02-07T15:30:00+07:00`; `channel` 1 trực tiếp (mặc định), 2 trực tuyến, 3 bưu chính. "
    "`appointment` là null khi thủ tục không quy định thời hạn.",
)
def appointment(
    request: HttpRequest,
    procedure: str | None = None,
    unit: str | None = None,
    at: str | None = None,
    channel: str | None = None,
) -> HttpResponse | AppointmentOut:
    # Parameters are read as text so every problem gets a Vietnamese message naming the parameter.
    given = {"procedure": (procedure or "").strip(), "unit": (unit or "").strip(), "at": (at or "").strip()}
    for name, value in given.items():
        if not value:
            return _bad_parameter(name, _("bắt buộc."))
    procedure, unit, at = given["procedure"], given["unit"], given["at"]
    try:
        instant = dt.datetime.fromisoformat(at)
    except ValueError:
        return _bad_parameter(
            "at",
            _("«%(at)s» không phải thời điểm ISO 8601, ví dụ 2024-02-07T15:30:00+07:00.") % {"at": at[:40]},
        )
    if instant.tzinfo is None or instant.utcoffset() is None:
        return _bad_parameter(
            "at", _("«%(at)s» thiếu múi giờ: ghi rõ, ví dụ 2024-02-07T15:30:00+07:00.") % {"at": at[:40]}
        )
    try:
        kind = Channel(int(channel)) if channel else Channel.DIRECT
    except ValueError:
        return _bad_parameter("channel", _("1 trực tiếp, 2 trực tuyến hoặc 3 bưu chính."))
    if not Procedure.objects.published().filter(code=procedure).exists():
        return _bad_parameter(
            "procedure", _("không có thủ tục đã công bố mã «%(code)s».") % {"code": procedure[:40]}
        )
    try:
        due = appointment_for(procedure, unit, instant, kind)
    except DomainError as exc:
        return _bad_parameter("unit", exc.message)
    return AppointmentOut(
        procedure=procedure,
        unit=unit,
        channel=kind,
        at=to_local(instant),
        appointment=to_local(due) if due is not None else None,
    )
