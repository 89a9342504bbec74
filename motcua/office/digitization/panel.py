"""How far a dossier's digitization has come, from the papers already loaded for the page (no query).

A paper counts when it carries the receiver's signed scan or came from the applicant's data store; only
papers handed in count (NĐ 107/2021/NĐ-CP Điều 21a; ``dossiers.services.digitization``)."""

from collections.abc import Iterable
from dataclasses import dataclass

from motcua.accounts.models import User
from motcua.dossiers import permissions
from motcua.dossiers.models import Dossier, DossierComponent
from motcua.dossiers.services.digitization import DIGITIZABLE
from motcua.dossiers.workflow import Status


@dataclass(frozen=True)
class DigitizationSummary:
    done: int
    total: int
    is_digitized: bool
    may_digitize: bool

    @property
    def is_complete(self) -> bool:
        return self.total > 0 and self.done == self.total


def is_done(component: DossierComponent) -> bool:
    return component.signed_at is not None or component.store_document_id is not None


def summarize(
    user: User | None, dossier: Dossier, components: Iterable[DossierComponent]
) -> DigitizationSummary:
    provided = [c for c in components if c.is_provided]
    may = (
        user is not None and Status(dossier.status) in DIGITIZABLE and permissions.can_receive(user, dossier)
    )
    return DigitizationSummary(
        done=sum(1 for c in provided if is_done(c)),
        total=len(provided),
        is_digitized=dossier.digitized_at is not None,
        may_digitize=may,
    )
