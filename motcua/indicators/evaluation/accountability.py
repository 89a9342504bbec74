"""Per-step accountability (seed 003: "a late step counts as late even when the dossier finishes on
time"; TT 01/2018 form 05 verdicts): the late steps of a unit (and below) in a period, per officer,
with the dossier behind each.

The same steps as ``indicators.late.late_steps`` (finished late in the period, or still open with a
deadline in the period already passed), kept with the officer's account id so each officer can be
shown their own row: the officer is who finished the step, else its assignee, else the imported
``actor_name``.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils.translation import gettext as _

from motcua.dossiers.models import DossierStep
from motcua.dossiers.workflow import Verdict
from motcua.indicators.evaluation.dossiers import OfficerKey
from motcua.indicators.scope import Scope


@dataclass(frozen=True)
class LateStep:
    code: str
    step: str
    unit: str
    due_at: dt.datetime | None
    finished_at: dt.datetime | None


@dataclass
class OfficerLateSteps:
    key: OfficerKey
    name: str
    steps: list[LateStep] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.steps)


def late_steps_by_officer(scope: Scope) -> list[OfficerLateSteps]:
    """Officers with at least one late step in the period, most late steps first."""
    finished_late = Q(
        verdict=Verdict.LATE,
        finished_at__gte=scope.start,
        finished_at__lt=scope.end,
        finished_at__lte=scope.as_of,
    )
    open_overdue = Q(started_at__isnull=False, due_at__gte=scope.start, due_at__lt=scope.as_of) & (
        Q(finished_at__isnull=True) | Q(finished_at__gt=scope.as_of)
    )
    rows = (
        DossierStep.objects.filter(unit_id__in=scope.unit_ids)
        .filter(finished_late | open_overdue)
        .select_related("dossier", "assignee", "finished_by", "unit")
        .order_by("due_at", "dossier__code", "position", "id")
    )
    found: dict[OfficerKey, OfficerLateSteps] = {}
    for step in rows:
        finished = (
            step.finished_at if step.finished_at is not None and step.finished_at <= scope.as_of else None
        )
        person = step.finished_by if finished is not None and step.finished_by else step.assignee
        person = person or step.finished_by
        key: OfficerKey = (person.pk, "") if person is not None else (None, step.actor_name.strip())
        name = str(person) if person is not None else step.actor_name.strip() or _("Chưa giao người xử lý")
        entry = found.setdefault(key, OfficerLateSteps(key=key, name=name))
        entry.steps.append(
            LateStep(
                code=step.dossier.code,
                step=step.name,
                unit=step.unit.name,
                due_at=step.due_at,
                finished_at=finished,
            )
        )
    return sorted(found.values(), key=lambda o: (-o.count, o.name))
