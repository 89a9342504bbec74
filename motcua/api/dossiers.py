"""``/api/v1/dossiers``: list, read and create dossiers, for officers signed in with TOTP.

Thin, like every front door (STYLE.md): authenticate (``api.auth``) → validate (closed schemas) →
guarded read (``queries.visible_to`` / ``get_dossier_for_user``: "not found" and "not yours" are the
same 404) → one service → answer. Actions on a dossier are in ``api.dossier_actions``.

Personal data never travels in a URL (QUALITY.md security item 8): the list refuses a ``q`` that looks
like an ID number, a tax code or a phone and points to ``POST /dossiers/search``, which takes the same
filters in a JSON body.

Creation needs an ``Idempotency-Key`` header (QUALITY.md, reliability): the key is scoped to the caller
and stored on the dossier (``Dossier.idempotency_key``, unique), so a retried, double-clicked or
concurrent request makes one dossier; ``IdempotencyKey`` keeps the fingerprint of the body, so the
same key with another body is refused (409) instead of answering with a dossier the caller did not ask for.
"""

import datetime as dt
import hashlib
import json
import re
from typing import Annotated, Any

from django.db import transaction
from django.db.models import Prefetch, Q, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate
from ninja.params.functions import Header
from ninja.responses import Status as Reply

from motcua.accounts.models import User
from motcua.api.auth import officer, officer_session
from motcua.api.dossier_schemas import (
    ClosedSchema,
    ComponentIn,
    ConflictOut,
    DossierCreateIn,
    DossierDetailOut,
    DossierOut,
)
from motcua.api.models import IdempotencyKey
from motcua.api.pagination import PAGE_SIZE, Pagination
from motcua.api.schemas import ErrorOut
from motcua.catalog.models import Procedure
from motcua.core.errors import Conflict, DomainError, NotFound, PermissionDenied
from motcua.dossiers import permissions, queries, services
from motcua.dossiers.models import Dossier, DossierStep, ResultDelivery
from motcua.dossiers.services import ActionRefused, ApplicantInput, ComponentInput
from motcua.dossiers.workflow import Channel, Status
from motcua.organizations.models import Unit

router = Router(auth=officer_session, tags=["dossiers"])

# Keys are scoped to the caller ("api:<user id>:<key>") so one officer's key never answers with
# another officer's dossier; the scoped form must fit Dossier.idempotency_key (80 characters).
IDEMPOTENCY_KEY_RE = re.compile(r"[A-Za-z0-9._:\-]{8,64}")


class DossierFilters(Schema):
    status: Status | None = None
    procedure: str | None = None
    unit: str | None = None
    q: str | None = None
    submitted_from: dt.date | None = None
    submitted_to: dt.date | None = None


class DossierSearchIn(DossierFilters, ClosedSchema):
    """The same filters in a JSON body: there ``q`` may be an ID number or a phone."""


def visible_dossier(user: User, code: str) -> Dossier:
    """The dossier if ``user`` may see it; 404 with the same words for missing and not visible."""
    try:
        return queries.get_dossier_for_user(user, code)
    except NotFound as exc:
        raise HttpError(404, exc.message) from None


def refusal(exc: DomainError) -> Reply[Any]:
    """The answer for a domain error once the dossier is known to be visible (or not yet exists)."""
    if isinstance(exc, PermissionDenied):
        return Reply(403, ErrorOut(detail=exc.message))
    if isinstance(exc, NotFound):
        return Reply(404, ErrorOut(detail=exc.message))
    return Reply(422, ErrorOut(detail=exc.message))


def component_inputs(procedure: Procedure, components: list[ComponentIn]) -> list[ComponentInput]:
    """The papers as the services take them; ``catalog_position`` names the procedure's component."""
    catalog = {c.position: c for c in procedure.components.all()} if components else {}
    inputs = []
    for c in components:
        linked = None
        if c.catalog_position is not None:
            linked = catalog.get(c.catalog_position)
            if linked is None:
                raise ActionRefused(
                    _("Thủ tục %(code)s không có thành phần hồ sơ số %(position)d.")
                    % {"code": procedure.code, "position": c.catalog_position}
                )
        inputs.append(
            ComponentInput(
                name=c.name or (linked.name if linked else ""),
                catalog_component=linked,
                copy_type=c.copy_type,
                count=c.count,
                is_provided=c.is_provided,
                is_digitized=c.is_digitized,
                is_reused=c.is_reused,
                is_from_store=c.is_from_store,
            )
        )
    return inputs


# Digits only, 9 or more once spaces and . - + ( ) are gone: a CCCD/CMND, a tax code or a phone number.
PERSONAL_NUMBER_RE = re.compile(r"\d{9,}")
NUMBER_SEPARATORS_RE = re.compile(r"[\s.\-+()]")


def looks_like_personal_number(text: str) -> bool:
    """Whether ``text``, or one of its words, looks like an ID number, a tax code or a phone."""
    return any(
        PERSONAL_NUMBER_RE.fullmatch(NUMBER_SEPARATORS_RE.sub("", part)) for part in (text, *text.split())
    )


def filtered_dossiers(user: User, filters: DossierFilters) -> QuerySet[Dossier]:
    dossiers = queries.search(
        user,
        text=filters.q or "",
        status=filters.status,
        submitted_from=filters.submitted_from,
        submitted_to=filters.submitted_to,
    ).select_related("receiving_unit")
    if filters.procedure:
        dossiers = dossiers.filter(procedure__code=filters.procedure.strip())
    if filters.unit:
        unit = filters.unit.strip()
        dossiers = dossiers.filter(Q(receiving_unit__code=unit) | Q(responsible_unit__code=unit))
    return dossiers


@router.get(
    "",
    response={200: list[DossierOut], 400: ErrorOut},
    url_name="list_dossiers",
    summary="Danh sách hồ sơ cán bộ được xem",
    description="Hồ sơ của các đơn vị nơi cán bộ đang giữ vai trò, mới nhất trước. `q` tìm theo mã hồ sơ, "
    "tên, không cần dấu; `submitted_from`/`submitted_to` là ngày nộp (giờ Việt Nam, tính cả hai đầu). "
    "Tìm theo số định danh, mã số thuế hay số điện thoại: dùng POST /api/v1/dossiers/search (dữ liệu cá "
    "nhân không được nằm trong URL); `q` dạng đó ở đây bị từ chối (400).",
)
@paginate(Pagination, page_size=PAGE_SIZE)
def list_dossiers(request: HttpRequest, filters: Query[DossierFilters]) -> object:
    if filters.q and looks_like_personal_number(filters.q):
        # URLs end up in access logs and browser histories (QUALITY.md security item 8).
        raise HttpError(
            400,
            _(
                "q: số định danh, mã số thuế hay số điện thoại không được gửi trong URL. Hãy tìm bằng "
                "POST /api/v1/dossiers/search với các điều kiện trong nội dung JSON."
            ),
        )
    return filtered_dossiers(officer(request), filters)


@router.post(
    "/search",
    response=list[DossierOut],
    url_name="search_dossiers",
    summary="Tìm hồ sơ, điều kiện trong nội dung JSON (được tìm theo số định danh, số điện thoại)",
    description="Cùng điều kiện và cùng kết quả như GET /api/v1/dossiers nhưng gửi trong nội dung JSON, "
    "nên `q` được là số định danh, mã số thuế hay số điện thoại. Phân trang bằng `page`, `page_size` "
    "trên URL. Cần mã CSRF như mọi yêu cầu POST.",
)
@paginate(Pagination, page_size=PAGE_SIZE)
def search_dossiers(request: HttpRequest, filters: DossierSearchIn) -> object:
    return filtered_dossiers(officer(request), filters)


@router.get(
    "/{code}",
    response={200: DossierDetailOut, 404: ErrorOut},
    url_name="get_dossier",
    summary="Chi tiết hồ sơ: thành phần, các bước xử lý, lịch sử",
)
def get_dossier(request: HttpRequest, code: str) -> Dossier:
    dossier = visible_dossier(officer(request), code)
    steps = DossierStep.objects.select_related("unit", "assignee")
    return (
        Dossier.objects.select_related("procedure", "receiving_unit", "responsible_unit")
        .prefetch_related("components", Prefetch("steps", queryset=steps), "events")
        .get(pk=dossier.pk)
    )


def _fingerprint(payload: DossierCreateIn) -> str:
    canonical = json.dumps(payload.model_dump(mode="json"), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def _replay(record: IdempotencyKey, fingerprint: str) -> Reply[Any]:
    if record.fingerprint != fingerprint:
        return Reply(
            409,
            ConflictOut(
                detail=_(
                    "Khóa chống gửi trùng (Idempotency-Key) này đã được dùng cho hồ sơ %(code)s với nội dung "
                    "khác. Mỗi hồ sơ mới cần một khóa mới; gửi lại đúng nội dung cũ để nhận lại hồ sơ đó."
                )
                % {"code": record.dossier.code},
                code=record.dossier.code,
            ),
        )
    return Reply(200, record.dossier)


def _unit(code: str, field: str) -> Unit:
    unit = Unit.objects.filter(code=code.strip()).first()
    if unit is None:
        raise ActionRefused(
            _("%(field)s: không có đơn vị mã «%(code)s».") % {"field": field, "code": code[:40]}
        )
    return unit


@router.post(
    "",
    response={
        200: DossierOut,
        201: DossierOut,
        400: ErrorOut,
        403: ErrorOut,
        409: ConflictOut,
        422: ErrorOut,
    },
    url_name="create_dossier",
    summary="Tiếp nhận hồ sơ tại quầy hoặc nộp trực tuyến (bắt buộc Idempotency-Key)",
    description="Kênh 1 (trực tiếp) hoặc 3 (bưu chính): tiếp nhận ngay, cấp mã và ngày hẹn trả (mẫu 01), "
    "cần vai trò cán bộ tiếp nhận của đơn vị. Kênh 2: hồ sơ trực tuyến chờ tiếp nhận (8 giờ làm việc). "
    "Gửi lại cùng khóa và cùng nội dung trả về đúng hồ sơ đã tạo (200); cùng khóa, khác nội dung: 409.",
)
def create_dossier(
    request: HttpRequest,
    payload: DossierCreateIn,
    idempotency_key: Annotated[str | None, Header(alias="Idempotency-Key")] = None,
) -> Reply[Any]:
    user = officer(request)
    key = (idempotency_key or "").strip()
    if not IDEMPOTENCY_KEY_RE.fullmatch(key):
        raise HttpError(
            400,
            _(
                "Tiêu đề Idempotency-Key: bắt buộc, 8–64 ký tự gồm chữ, số và . _ : - "
                "(ví dụ một UUID mới cho mỗi hồ sơ)."
            ),
        )
    scoped = f"api:{user.pk}:{key}"
    fingerprint = _fingerprint(payload)
    try:
        with transaction.atomic():
            record = IdempotencyKey.objects.select_related("dossier").filter(key=scoped).first()
            if record is not None:
                return _replay(record, fingerprint)
            dossier = _create(user, payload, scoped)
            record, created = IdempotencyKey.objects.select_related("dossier").get_or_create(
                key=scoped, defaults={"fingerprint": fingerprint, "dossier": dossier}
            )
            if not created:  # a concurrent request with this key won: answer with its dossier
                return _replay(record, fingerprint)
    except Conflict as exc:
        return Reply(409, ConflictOut(detail=exc.message))
    except DomainError as exc:
        return refusal(exc)
    return Reply(201, dossier)


def _create(user: User, payload: DossierCreateIn, key: str) -> Dossier:
    procedure = Procedure.objects.filter(code=payload.procedure.strip()).first()
    if procedure is None:
        raise ActionRefused(
            _("procedure: không có thủ tục mã «%(code)s».") % {"code": payload.procedure[:40]}
        )
    receiving = _unit(payload.receiving_unit, "receiving_unit")
    responsible = _unit(payload.responsible_unit, "responsible_unit") if payload.responsible_unit else None
    a = payload.applicant
    applicant = ApplicantInput(
        name=a.name,
        id_number=a.id_number,
        owner_name=a.owner_name,
        owner_id_number=a.owner_id_number,
        address=a.address,
        phone=a.phone,
        email=a.email,
    )
    components = component_inputs(procedure, payload.components)
    if payload.channel == Channel.ONLINE:
        # Assisted online filing through the API: only a receiver of that counter may file it.
        permissions.require(
            permissions.can_receive(user, receiving),
            _("Chỉ cán bộ tiếp nhận của đơn vị «%(unit)s» được nộp hồ sơ trực tuyến thay người dân.")
            % {"unit": receiving.name},
        )
        return services.submit_online(
            by=user,
            procedure=procedure,
            receiving_unit=receiving,
            applicant=applicant,
            components=components,
            idempotency_key=key,
            responsible_unit=responsible,
            result_delivery=payload.result_delivery or ResultDelivery.ONLINE,
        )
    return services.receive_at_counter(
        by=user,
        procedure=procedure,
        receiving_unit=receiving,
        applicant=applicant,
        components=components,
        channel=Channel(payload.channel),
        responsible_unit=responsible,
        result_delivery=payload.result_delivery or ResultDelivery.COUNTER,
        fee_vnd=payload.fee_vnd,
        idempotency_key=key,
    )
