"""Who may do what to a dossier: predicates over the actor's current roles (``Membership.current``).

The one-stop mechanism splits the work (NĐ 61/2018/NĐ-CP Điều 8, 17–20): receivers at the counter
(Bộ phận Một cửa) receive, send back for supplementation, collect fees and return results; specialists
of the responsible unit appraise (one step at a time); leaders approve, refuse, stop and sign the
apology. A receiver cannot approve; a specialist cannot receive. Services call ``require`` with these
predicates, so every front door (office, API, commands) gets the same answer.
"""

from motcua.accounts.models import User
from motcua.core.errors import PermissionDenied
from motcua.dossiers.models import Dossier, DossierStep, StepKind
from motcua.organizations.models import Membership, Role, Unit

# The commune's justice and civil-status officer (công chức Tư pháp – Hộ tịch, Luật Cán bộ, công chức
# 2008 Điều 61 khoản 3) is one of its specialist civil servants: civil-status dossiers are appraised by
# them, so they may ask for supplementation, consult, hand over (liên thông) like other specialists.
PROCESSING_ROLES = frozenset({Role.SPECIALIST, Role.JUSTICE_OFFICER, Role.LEADER})


def _holds(user: User, unit: Unit | int, roles: frozenset[Role] | set[Role]) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    unit_id = unit if isinstance(unit, int) else unit.pk
    return (
        Membership.objects.current()
        .filter(user=user, unit_id=unit_id, unit__is_active=True, role__in=[str(r) for r in roles])
        .exists()
    )


def _receiving_unit_id(dossier_or_unit: Dossier | Unit) -> int:
    if isinstance(dossier_or_unit, Dossier):
        return dossier_or_unit.receiving_unit_id
    return dossier_or_unit.pk


def is_applicant(user: User, dossier: Dossier) -> bool:
    """The account the dossier was filed from (chính chủ or not)."""
    return (
        user.is_authenticated
        and dossier.applicant_user_id is not None
        and dossier.applicant_user_id == user.pk
    )


def can_receive(user: User, dossier_or_unit: Dossier | Unit) -> bool:
    """Receivers of the receiving unit's counter (NĐ 61/2018 Điều 17)."""
    return _holds(user, _receiving_unit_id(dossier_or_unit), {Role.RECEIVER})


def can_return_for_supplement(user: User, dossier: Dossier) -> bool:
    """The counter sends an online dossier back before reception (Điều 17 khoản 2)."""
    return can_receive(user, dossier)


def can_complete_supplement(user: User, dossier: Dossier) -> bool:
    """The applicant completes online; at the counter a receiver records the papers brought in."""
    return is_applicant(user, dossier) or can_receive(user, dossier)


def is_processing_officer(user: User, dossier: Dossier) -> bool:
    """Specialists and leaders of the responsible unit (appraisal, Điều 19 khoản 1–2)."""
    return _holds(user, dossier.responsible_unit_id, PROCESSING_ROLES)


def can_start_processing(user: User, dossier: Dossier) -> bool:
    """The counter forwards the received dossier (Điều 18); the responsible unit may also take it."""
    return can_receive(user, dossier) or is_processing_officer(user, dossier)


def can_process_step(user: User, step: DossierStep) -> bool:
    """The step's assignee, or anyone holding the step's role in the step's unit."""
    if not user.is_authenticated or not user.is_active:
        return False
    if step.assignee_id is not None and step.assignee_id == user.pk:
        return True
    return _holds(user, step.unit_id, {Role(step.role)})


def can_reassign_step(user: User, step: DossierStep) -> bool:
    """Leaders of the step's unit or of the responsible unit assign the work (Điều 19 khoản 1). A
    consultation or liên thông task belongs to the other unit: only its own leaders assign it."""
    if _holds(user, step.unit_id, {Role.LEADER}):
        return True
    return step.kind == StepKind.PROCESS and _holds(user, step.dossier.responsible_unit_id, {Role.LEADER})


def can_request_supplement(user: User, dossier: Dossier) -> bool:
    """Appraising officers ask for supplements, always through the counter (Điều 19 khoản 4, Điều 5)."""
    return is_processing_officer(user, dossier)


def can_suspend(user: User, dossier: Dossier) -> bool:
    return is_processing_officer(user, dossier)


def can_consult(user: User, dossier: Dossier) -> bool:
    """Consultation and liên thông are requested by the responsible unit (Điều 19 khoản 5–7)."""
    return is_processing_officer(user, dossier)


def can_record_result(user: User, dossier: Dossier) -> bool:
    return is_processing_officer(user, dossier)


def can_approve(user: User, dossier: Dossier) -> bool:
    """Leaders of the responsible unit approve the result, refuse after appraisal or stop."""
    return _holds(user, dossier.responsible_unit_id, {Role.LEADER})


def can_reschedule(user: User, dossier: Dossier) -> bool:
    """The head of the processing body signs the apology and new appointment (Điều 19 khoản 9)."""
    return can_approve(user, dossier)


def can_handle_payment(user: User, dossier: Dossier) -> bool:
    """The counter collects fees (Điều 22); the responsible unit may ask for them."""
    return can_receive(user, dossier) or is_processing_officer(user, dossier)


def can_announce_early_return(user: User, dossier: Dossier) -> bool:
    """Early return is announced by the counter or the responsible unit's leader (Điều 20)."""
    return can_receive(user, dossier) or can_approve(user, dossier)


def can_return_result(user: User, dossier: Dossier) -> bool:
    """Results come back to the original counter and are returned there (Điều 19 khoản 7, Điều 20)."""
    return can_receive(user, dossier)


def can_withdraw(user: User, dossier: Dossier) -> bool:
    """The applicant, or an officer of the counter or the responsible unit on the applicant's written
    request."""
    return (
        is_applicant(user, dossier)
        or can_receive(user, dossier)
        or _holds(user, dossier.responsible_unit_id, {Role.LEADER})
    )


def require(condition: bool, message: str) -> None:
    """Raise ``PermissionDenied(message)`` unless ``condition``."""
    if not condition:
        raise PermissionDenied(message)
