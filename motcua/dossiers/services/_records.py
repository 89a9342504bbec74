"""Creating a dossier record, shared by online submission and counter intake: the unsaved row, its
code, the idempotent insert, and the check of the required papers.

Every dossier record gets its code (``core.numbering.dossier_code``) when it is created, whatever its
first status: the applicant needs it to come back or to follow the dossier, and the reception book
must count every record (the sequence is gap-audited; TT 01/2018/TT-VPCP Điều 19).
"""

from collections.abc import Callable, Sequence

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from motcua.catalog.models import Procedure
from motcua.core.errors import Conflict
from motcua.core.numbering import dossier_code
from motcua.core.text import fold_vi
from motcua.dossiers.models import Dossier
from motcua.dossiers.services._core import ApplicantInput, ComponentInput, now, require_text
from motcua.organizations.models import Unit


def new_dossier(
    *,
    procedure: Procedure,
    receiving_unit: Unit,
    responsible_unit: Unit | None,
    channel: int,
    applicant: ApplicantInput,
    result_delivery: str,
    fee_vnd: int | None,
    idempotency_key: str | None,
) -> Dossier:
    """An unsaved dossier, without its code yet (``issue_code``)."""
    name = require_text(applicant.name, _("người nộp"))
    at = now()
    user = applicant.user
    own_ids = {v for v in (getattr(user, "national_id", None), getattr(user, "tax_code", None)) if v}
    return Dossier(
        procedure=procedure,
        receiving_unit=receiving_unit,
        responsible_unit=responsible_unit or receiving_unit,
        channel=channel,
        applicant_name=name,
        applicant_id_number=applicant.id_number.strip(),
        owner_name=applicant.owner_name.strip(),
        owner_id_number=applicant.owner_id_number.strip(),
        address=applicant.address.strip(),
        phone=applicant.phone.strip(),
        email=applicant.email.strip(),
        applicant_user=user,
        is_own_account=bool(own_ids)
        and (applicant.owner_id_number or applicant.id_number).strip() in own_ids,
        fee_vnd=procedure.fee_vnd if fee_vnd is None else fee_vnd,
        result_delivery=result_delivery,
        online_level=procedure.online_level,
        submitted_at=at,
        idempotency_key=idempotency_key or None,
    )


def issue_code(dossier: Dossier) -> None:
    """The dossier code of the receiving agency for the day (TT 01/2018 Điều 19); the number belongs
    to the caller's transaction or savepoint and is handed out again if it rolls back."""
    dossier.code = dossier_code(agency_code=dossier.receiving_unit.code, received_at=dossier.submitted_at)


def replayed(idempotency_key: str | None, procedure: Procedure, applicant: ApplicantInput) -> Dossier | None:
    """The dossier already created with this key, if any (a retried or double-clicked submission).

    A key reused for a different procedure or applicant is a client bug: ``Conflict``, never a
    silent merge.
    """
    if not idempotency_key:
        return None
    existing = Dossier.objects.filter(idempotency_key=idempotency_key).first()
    if existing is None:
        return None
    if existing.procedure_id != procedure.pk or existing.applicant_id_number != applicant.id_number.strip():
        raise Conflict(
            _(
                "Khóa chống gửi trùng «%(key)s» đã được dùng cho hồ sơ %(code)s của một thủ tục hoặc "
                "người nộp khác."
            )
            % {"key": idempotency_key, "code": existing.code}
        )
    return existing


def insert_once(dossier: Dossier, insert: Callable[[Dossier], None]) -> Dossier:
    """Insert through ``insert`` in a savepoint; if a concurrent request with the same idempotency key
    won the race, roll back our code number and return the winner's dossier."""
    try:
        with transaction.atomic():
            issue_code(dossier)
            insert(dossier)
    except IntegrityError:
        if dossier.idempotency_key is None:
            raise
        winner = Dossier.objects.filter(idempotency_key=dossier.idempotency_key).first()
        if winner is None:
            raise
        return winner
    return dossier


def missing_required(procedure: Procedure, components: Sequence[ComponentInput]) -> list[str]:
    """Required catalog components not among the provided ones (matched by link or by name)."""
    provided_ids = {c.catalog_component.pk for c in components if c.is_provided and c.catalog_component}
    provided_names = {fold_vi(c.name) for c in components if c.is_provided}
    return [
        component.name
        for component in procedure.components.filter(is_required=True).order_by("position")
        if component.pk not in provided_ids and fold_vi(component.name) not in provided_names
    ]
