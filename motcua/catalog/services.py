"""The write API for the procedure catalog: create, update, publish and withdraw.

Publication dates feed QĐ 766/QĐ-TTg indicator group 1 (1.1 published on time, 1.2 updated and
publicized on time): ``published_on`` is the day the procedure was made public, ``updated_on`` the last
day a change to a published procedure was publicized.
"""

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.accounts.models import User
from motcua.catalog.models import Field, Procedure, PublicationState
from motcua.catalog.permissions import can_edit_catalog
from motcua.core.errors import Conflict, DomainError, PermissionDenied

# Published parts besides the headline columns of procedures.csv (NĐ 63/2010 Điều 8 as amended).
PUBLISHED_PARTS = frozenset(
    {
        "subjects",
        "implementing_agency",
        "competent_authority",
        "sequence",
        "method",
        "conditions",
        "result",
        "legal_basis",
        "time_limit_note",
        "fee_timing",
        "decision_number",
        "decision_date",
        "legal_basis_effective_on",
    }
)


class CatalogChangeRefused(DomainError):
    """The catalog change is not allowed (publication state, or invalid data)."""


def _require_editor(by: User | None) -> None:
    """``by=None`` is the system itself (commands, imports run by the operator)."""
    if by is not None and not can_edit_catalog(by):
        raise PermissionDenied(_("Bạn không có quyền sửa danh mục thủ tục hành chính."))


def _validate(procedure: Procedure) -> None:
    try:
        procedure.full_clean()
    except ValidationError as exc:
        raise CatalogChangeRefused(" ".join(exc.messages)) from exc


@transaction.atomic
def create_procedure(
    *,
    code: str,
    name: str,
    field: Field,
    level: str,
    online_level: str,
    time_limit: Decimal,
    time_unit: str,
    fee_vnd: int,
    result_required: bool,
    full_online_eligible: bool,
    by: User | None,
) -> Procedure:
    """Add a draft procedure with its headline data; the published parts (components, fees, legal
    basis, ...) are completed before ``publish_procedure``."""
    _require_editor(by)
    if Procedure.objects.filter(code=code).exists():
        raise CatalogChangeRefused(_("Mã thủ tục «%(code)s» đã có.") % {"code": code})
    procedure = Procedure(
        code=code,
        name=name,
        field=field,
        level=level,
        online_level=online_level,
        time_limit=time_limit,
        time_unit=time_unit,
        fee_vnd=fee_vnd,
        result_required=result_required,
        full_online_eligible=full_online_eligible,
    )
    _validate(procedure)
    procedure.save()
    return procedure


@transaction.atomic
def update_procedure(
    *,
    procedure: Procedure,
    by: User | None,
    updated_on: dt.date | None = None,
    name: str | None = None,
    field: Field | None = None,
    level: str | None = None,
    online_level: str | None = None,
    time_limit: Decimal | None = None,
    time_unit: str | None = None,
    fee_vnd: int | None = None,
    result_required: bool | None = None,
    full_online_eligible: bool | None = None,
    parts: Mapping[str, object] | None = None,
    expected_modified_at: dt.datetime | None = None,
) -> list[str]:
    """Change the given headline fields (None = leave as is) and return the names of those that changed.

    ``parts`` changes the other published parts (``PUBLISHED_PARTS``: sequence, method, conditions, ...).
    When the procedure is published, a change is a publicized update: the procedure's ``updated_on``
    is set to the given day (default today), which indicator 1.2 measures. With
    ``expected_modified_at`` (the version the editor saw), a procedure changed meanwhile by someone
    else is refused with ``Conflict`` instead of silently overwritten.
    """
    _require_editor(by)
    unknown = set(parts or {}) - PUBLISHED_PARTS
    if unknown:
        raise ValueError(f"not editable through update_procedure: {sorted(unknown)}")
    if expected_modified_at is not None:
        current = Procedure.objects.select_for_update().only("modified_at").get(pk=procedure.pk)
        if current.modified_at != expected_modified_at:
            raise Conflict(
                _("Thủ tục «%(code)s» vừa được người khác sửa. Hãy tải lại trang và nhập lại thay đổi.")
                % {"code": procedure.code}
            )
    wanted: dict[str, object] = {
        **(parts or {}),
        "name": name,
        "field_id": field.pk if field is not None else None,
        "level": level,
        "online_level": online_level,
        "time_limit": time_limit,
        "time_unit": time_unit,
        "fee_vnd": fee_vnd,
        "result_required": result_required,
        "full_online_eligible": full_online_eligible,
    }
    changed = [
        attribute
        for attribute, value in wanted.items()
        if value is not None and getattr(procedure, attribute) != value
    ]
    if not changed:
        return []
    for attribute in changed:
        setattr(procedure, attribute, wanted[attribute])
    if procedure.publication_state == PublicationState.PUBLISHED:
        procedure.updated_on = updated_on or timezone.localdate()
        changed.append("updated_on")
    _validate(procedure)
    procedure.save(update_fields=[*changed, "modified_at"])
    return [c.removesuffix("_id") for c in changed if c != "updated_on"]


@transaction.atomic
def publish_procedure(*, procedure: Procedure, published_on: dt.date, by: User | None) -> Procedure:
    """Publicize the procedure (công khai, NĐ 63/2010 Điều 8 as amended). A withdrawn procedure may be
    published again; the publication day cannot precede the publishing decision."""
    _require_editor(by)
    if procedure.publication_state == PublicationState.PUBLISHED:
        raise CatalogChangeRefused(_("Thủ tục «%(code)s» đã được công khai.") % {"code": procedure.code})
    if procedure.decision_date is not None and published_on < procedure.decision_date:
        raise CatalogChangeRefused(
            _("Ngày công khai (%(on)s) không được trước ngày quyết định công bố (%(decision)s).")
            % {
                "on": published_on.strftime("%d/%m/%Y"),
                "decision": procedure.decision_date.strftime("%d/%m/%Y"),
            }
        )
    procedure.publication_state = PublicationState.PUBLISHED
    procedure.published_on = published_on
    procedure.save(update_fields=["publication_state", "published_on", "modified_at"])
    return procedure


@transaction.atomic
def withdraw_procedure(*, procedure: Procedure, withdrawn_on: dt.date, by: User | None) -> Procedure:
    """Withdraw (bãi bỏ) a published procedure. The withdrawal is itself a publicized update, so
    ``updated_on`` records its day."""
    _require_editor(by)
    if procedure.publication_state != PublicationState.PUBLISHED:
        raise CatalogChangeRefused(
            _("Chỉ bãi bỏ được thủ tục đang công khai; «%(code)s» chưa được công khai.")
            % {"code": procedure.code}
        )
    procedure.publication_state = PublicationState.WITHDRAWN
    procedure.updated_on = withdrawn_on
    procedure.save(update_fields=["publication_state", "updated_on", "modified_at"])
    return procedure
