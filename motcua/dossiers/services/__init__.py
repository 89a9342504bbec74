"""The write API of dossiers: one named, keyword-only, atomic service per transition.

Anatomy of every service (STYLE.md): lock the dossier row (``select_for_update``) and check the
version the caller saw → check the workflow table → check the permission → write with
``save(update_fields=…)`` and ``version + 1`` → append the event through ``_move`` (the only writer of
status and events) → write what the applicant must be told to the notifications outbox
(``notifications.Message``). Closed dossiers are refused by every service. Errors are ``core.errors`` domain errors with Vietnamese messages.
"""

from motcua.dossiers.services._core import (
    ActionRefused,
    ApplicantInput,
    ComponentInput,
    DeadlinePassed,
    DossierClosed,
    MissingItem,
    TransitionNotAllowed,
)
from motcua.dossiers.services.assisted import (
    NoApplicantAccount,
    prepare_for_applicant,
    prepared_at_unit,
    prepared_draft,
)
from motcua.dossiers.services.counter import (
    receive_at_counter,
    receive_online,
    refuse_at_counter,
    request_supplement_at_counter,
    return_for_supplement_online,
)
from motcua.dossiers.services.fees import (
    confirm_by_status_query,
    confirm_online_payment,
    record_counter_payment,
    start_online_payment,
)
from motcua.dossiers.services.holds import (
    record_payment,
    record_payment_by_provider,
    reject_after_appraisal,
    request_payment,
    request_supplement,
    reschedule_with_apology,
    resume,
    stop,
    suspend,
)
from motcua.dossiers.services.online import (
    complete_supplement,
    delete_draft,
    purge_expired_drafts,
    save_draft,
    submit_draft,
    submit_online,
    withdraw,
)
from motcua.dossiers.services.results import (
    announce_early_return,
    mark_processed,
    ready_problems,
    record_result,
    return_result,
)
from motcua.dossiers.services.steps import (
    answer_consultation,
    complete_inter_unit,
    consult_unit,
    forward_step,
    reassign_step,
    return_step,
    send_inter_unit,
    start_processing,
)

__all__ = [
    "ActionRefused",
    "ApplicantInput",
    "ComponentInput",
    "DeadlinePassed",
    "DossierClosed",
    "MissingItem",
    "NoApplicantAccount",
    "TransitionNotAllowed",
    "announce_early_return",
    "answer_consultation",
    "complete_inter_unit",
    "complete_supplement",
    "confirm_by_status_query",
    "confirm_online_payment",
    "consult_unit",
    "delete_draft",
    "forward_step",
    "mark_processed",
    "prepare_for_applicant",
    "prepared_at_unit",
    "prepared_draft",
    "purge_expired_drafts",
    "ready_problems",
    "reassign_step",
    "receive_at_counter",
    "receive_online",
    "record_counter_payment",
    "record_payment",
    "record_payment_by_provider",
    "record_result",
    "refuse_at_counter",
    "reject_after_appraisal",
    "request_payment",
    "request_supplement",
    "request_supplement_at_counter",
    "reschedule_with_apology",
    "resume",
    "return_for_supplement_online",
    "return_result",
    "return_step",
    "save_draft",
    "send_inter_unit",
    "start_online_payment",
    "start_processing",
    "stop",
    "submit_draft",
    "submit_online",
    "suspend",
    "withdraw",
]
