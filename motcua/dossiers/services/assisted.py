"""Assisted submission (hỗ trợ nộp hồ sơ trực tuyến): a receiver at the counter prepares an online
dossier in the applicant's own account; the applicant checks it and files it from that account.

Results go back to the applicant's own account (tài khoản chính chủ) and a dossier filed from someone
else's account loses points (NĐ 42/2022/NĐ-CP Điều 11; QĐ 766/QĐ-TTg, online services group; DOMAIN.md
§3). So the officer never files it: the draft belongs to the applicant's account (found by national ID
or tax code), is marked as prepared by the officer at the unit, and only its owner can file it with
``submit_draft`` (an online dossier, ``is_own_account``, the first event recording ``assisted_by``)
or delete it.
"""

import re
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from motcua.accounts.models import User
from motcua.catalog.models import OnlineLevel, Procedure, PublicationState
from motcua.core.errors import Conflict
from motcua.documents.uploads import CheckedFile
from motcua.dossiers import permissions
from motcua.dossiers.models import Dossier, DossierDraft, ResultDelivery
from motcua.dossiers.services._core import ActionRefused, now
from motcua.dossiers.services.online import (
    draft_lifetime,
    portal_key,
    receiving_units_for,
    store_draft_file,
)
from motcua.notifications.services import enqueue
from motcua.organizations.models import Unit

# What the officer may fill for the applicant: the names of the portal form's fields, so the
# applicant finds them typed in when opening the draft (``portal/submission/forms.py``).
PREPARED_FIELDS = ("owner_name", "owner_id_number", "address", "phone", "email", "result_delivery")

_FORM_KEY = re.compile(r"[0-9a-f]{32}")


class NoApplicantAccount(ActionRefused):
    """No active applicant account holds this national ID or tax code."""


def applicant_account(id_number: str) -> User:
    """The active applicant account (citizen or organisation) with this national ID or tax code.

    Officers' accounts are never matched, even with the same national ID (docs/accounts.md)."""
    value = id_number.strip()
    user = (
        User.objects.filter(kind=User.Kind.APPLICANT, is_active=True)
        .filter(Q(national_id=value) | Q(tax_code=value))
        .first()
        if value
        else None
    )
    if user is None:
        raise NoApplicantAccount(
            _("Người nộp chưa có tài khoản trên Cổng dịch vụ công; hướng dẫn đăng ký rồi chuẩn bị lại.")
        )
    return user


def _draft_data(owner: User, receiving_unit: Unit, data: Mapping[str, Any]) -> dict[str, Any]:
    """The draft's typed values: the account holder as the submitter (chính chủ), the counter's unit
    as the receiving unit, and what the officer typed; contacts default to the account's."""
    typed = {name: str(data.get(name, "") or "").strip()[:300] for name in PREPARED_FIELDS}
    if typed["result_delivery"] not in ResultDelivery.values:
        typed["result_delivery"] = ResultDelivery.ONLINE
    typed["phone"] = typed["phone"] or owner.phone
    typed["email"] = typed["email"] or owner.email
    return {
        **typed,
        "receiving_unit": str(receiving_unit.pk),
        "applicant_name": owner.full_name,
        "applicant_id_number": owner.national_id or owner.tax_code or "",
        "reuse": {},
    }


@transaction.atomic
def prepare_for_applicant(
    *,
    by: User,
    receiving_unit: Unit,
    procedure: Procedure,
    applicant_id_number: str,
    idempotency_key: str,
    data: Mapping[str, Any],
    files: Mapping[int, CheckedFile] | None = None,
) -> DossierDraft:
    """A receiver of ``receiving_unit`` prepares an online dossier of ``procedure`` in the applicant's
    own account: a draft owned by that account, marked as prepared by ``by`` at the unit, with the
    papers scanned at the counter (``files``: catalog component id → checked file). The applicant is
    told (portal inbox, SMS, email) to sign in, check and file it; the officer cannot file it.

    The form's ``idempotency_key`` becomes the draft's key: a double click or a retry returns the same
    draft and writes nothing; the key of a draft already filed is a ``Conflict`` naming the dossier.
    """
    permissions.require(
        permissions.can_receive(by, receiving_unit),
        _("Chỉ cán bộ Bộ phận Một cửa của %(unit)s mới được chuẩn bị hồ sơ cho người nộp.")
        % {"unit": receiving_unit.name},
    )
    if (
        procedure.publication_state != PublicationState.PUBLISHED
        or procedure.online_level == OnlineLevel.NONE
    ):
        raise ActionRefused(
            _("Thủ tục %(code)s không cung cấp dịch vụ công trực tuyến: hãy tiếp nhận tại quầy.")
            % {"code": procedure.code}
        )
    if not receiving_units_for(procedure).filter(pk=receiving_unit.pk).exists():
        raise ActionRefused(
            _("Đơn vị tiếp nhận: %(unit)s không giải quyết thủ tục này.") % {"unit": receiving_unit.name}
        )
    key = idempotency_key.strip()
    if not _FORM_KEY.fullmatch(key):
        raise ActionRefused(_("Biểu mẫu không hợp lệ hoặc đã cũ: hãy tải lại trang rồi thử lại."))
    if set(files or {}) - set(procedure.components.values_list("pk", flat=True)):
        raise ActionRefused(_("Thành phần hồ sơ không thuộc thủ tục này."))
    owner = applicant_account(applicant_id_number)
    filed = Dossier.objects.filter(applicant_user=owner, idempotency_key=portal_key(owner, key)).first()
    if filed is not None:
        raise Conflict(_("Người nộp đã xác nhận nộp hồ sơ này (mã hồ sơ %(code)s).") % {"code": filed.code})
    at = now()
    draft, created = DossierDraft.objects.get_or_create(
        owner=owner,
        idempotency_key=key,
        defaults={
            "procedure": procedure,
            "updated_at": at,
            "expires_at": at + draft_lifetime(),
            "prepared_by": by,
            "prepared_unit": receiving_unit,
            "prepared_at": at,
        },
    )
    if not created:
        if (draft.prepared_by_id, draft.prepared_unit_id, draft.procedure_id) != (
            by.pk,
            receiving_unit.pk,
            procedure.pk,
        ):
            raise Conflict(_("Biểu mẫu không hợp lệ hoặc đã cũ: hãy tải lại trang rồi thử lại."))
        return draft  # a replay: the first request prepared it
    # Storage writes are not transactional: everything that can refuse is checked above.
    draft.files = {
        str(component_id): store_draft_file(draft, checked) for component_id, checked in (files or {}).items()
    }
    draft.data = _draft_data(owner, receiving_unit, data)
    draft.save(update_fields=["files", "data"])
    enqueue(
        template="draft_prepared",
        context={
            "unit": receiving_unit.name,
            "procedure": procedure.name,
            "url": settings.MOTCUA_PUBLIC_URL.rstrip("/") + reverse("portal:draft_edit", args=[draft.pk]),
        },
        dedupe_key=f"draft_prepared:{draft.pk}",
        user=owner,
        email=owner.email,
        phone=owner.phone,
    )
    return draft


def prepared_at_unit(unit: Unit) -> "QuerySet[DossierDraft]":
    """Drafts the unit's counter prepared that the applicant has not filed (nor deleted) yet and that
    have not expired, the latest first. Filed or deleted drafts are gone (the dossier's first event
    keeps ``assisted_by``)."""
    return (
        DossierDraft.objects.filter(prepared_unit=unit, expires_at__gt=now())
        .select_related("procedure", "owner", "prepared_by")
        .order_by("-prepared_at", "pk")
    )


def prepared_draft(unit: Unit, draft_id: Any) -> DossierDraft | None:
    """One unexpired draft prepared at ``unit``; ``None`` for another unit's, the applicant's own,
    filed, deleted or expired drafts (they look the same)."""
    return prepared_at_unit(unit).filter(pk=draft_id).first()
