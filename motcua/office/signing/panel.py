"""What the "Chữ ký số" section of the dossier page shows: the state of the result's signature, the
buttons the officer may use (sign, ký sao y, sign a form) and the signed forms. Reads only, no
verification here (that is the report page, ``office:dossier_signatures``)."""

from dataclasses import dataclass, field
from pathlib import PurePosixPath

from motcua.accounts.models import User
from motcua.dossiers import permissions
from motcua.dossiers.models import Dossier, SignedForm
from motcua.dossiers.services.forms_signing import (
    FORM_TITLES,
    form_source,
    latest_signed_forms,
    may_sign_form,
)
from motcua.dossiers.services.results import SIGNABLE, awaits_signature
from motcua.dossiers.signatures import is_certified_copy
from motcua.dossiers.workflow import Status


@dataclass(frozen=True)
class FormRow:
    form: str
    title: str
    may_sign: bool
    latest: SignedForm | None


@dataclass
class SigningPanel:
    dossier: Dossier
    has_result_file: bool = False
    is_pdf: bool = False
    is_signed: bool = False
    is_copy: bool = False
    awaits_signature: bool = False
    may_sign_result: bool = False
    forms: list[FormRow] = field(default_factory=list)

    @property
    def signed_forms(self) -> list[FormRow]:
        return [row for row in self.forms if row.latest is not None]

    @property
    def has_anything(self) -> bool:
        return self.has_result_file or bool(self.forms)


def build_signing_panel(user: User, dossier: Dossier) -> SigningPanel:
    has_file = bool(dossier.result_file)
    is_pdf = has_file and PurePosixPath(dossier.result_file.name or "").suffix.lower() == ".pdf"
    is_signed = dossier.result_signed_at is not None
    panel = SigningPanel(
        dossier=dossier,
        has_result_file=has_file,
        is_pdf=is_pdf,
        is_signed=is_signed,
        is_copy=is_signed and is_certified_copy(dossier),
        awaits_signature=awaits_signature(dossier),
        may_sign_result=is_pdf
        and not is_signed
        and Status(dossier.status) in SIGNABLE
        and permissions.can_approve(user, dossier),
    )
    latest = {row.form: row for row in latest_signed_forms(dossier)}
    for form, title in FORM_TITLES.items():
        source = form_source(dossier, form)
        if source is None and form not in latest:
            continue
        may = source is not None and may_sign_form(user, dossier, form, source)
        panel.forms.append(FormRow(form, str(title), may, latest.get(form)))
    return panel
