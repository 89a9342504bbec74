"""``GET /api/v1/indicators?unit=&from=&to=&rulebook=``: the same JSON as ``motcua indicators --format
json`` (interchange contract v1), for officers signed in with TOTP, for the units where they hold a
role and the units below them; any other unit is 404, the same as an unknown one."""

import datetime as dt
import json

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Router

from motcua.api.auth import officer, officer_session
from motcua.api.dossier_schemas import ParameterErrorOut
from motcua.api.schemas import ErrorOut
from motcua.core.errors import DomainError, NotFound
from motcua.indicators.queries import get_unit_for_indicators
from motcua.indicators.report import as_json, indicator_report

router = Router(auth=officer_session, tags=["indicators"])


def _json(data: object, status: int = 200) -> HttpResponse:
    return HttpResponse(
        json.dumps(data, ensure_ascii=False), status=status, content_type="application/json; charset=utf-8"
    )


def _bad(parameter: str, message: str) -> HttpResponse:
    return _json({"detail": f"{parameter}: {message}", "parameter": parameter}, status=400)


@router.get(
    "",
    url_name="indicators",
    response={200: dict, 400: ParameterErrorOut, 404: ErrorOut},
    summary="Bộ chỉ số 766, chỉ tiêu giao và bước quá hạn của một đơn vị trong một khoảng ngày",
    description="`unit` mã định danh đơn vị; `from`, `to` ngày dạng YYYY-MM-DD (cả hai đầu, giờ Việt Nam); "
    "`rulebook` (không bắt buộc) `qd766-2022` hoặc `dvcqg-2025`, mặc định bộ có hiệu lực ngày `to`. "
    "Cùng định dạng JSON với lệnh `motcua indicators --format json`.",
)
def indicators(request: HttpRequest) -> HttpResponse:
    # Parameters read as text so every problem gets a Vietnamese message naming the parameter.
    given = {name: (request.GET.get(name) or "").strip() for name in ("unit", "from", "to", "rulebook")}
    for name in ("unit", "from", "to"):
        if not given[name]:
            return _bad(name, _("bắt buộc."))
    days: dict[str, dt.date] = {}
    for name in ("from", "to"):
        try:
            days[name] = dt.date.fromisoformat(given[name])
        except ValueError:
            return _bad(name, _("«%(value)s» không phải ngày dạng YYYY-MM-DD.") % {"value": given[name][:40]})
    try:
        unit = get_unit_for_indicators(officer(request), given["unit"])
    except NotFound as exc:
        return _json({"detail": exc.message}, status=404)
    try:
        report = indicator_report(unit, days["from"], days["to"], given["rulebook"] or None)
    except NotFound as exc:
        return _bad("rulebook", exc.message)
    except DomainError as exc:
        return _bad("from" if days["from"] > days["to"] else "rulebook", exc.message)
    return _json(as_json(report))
