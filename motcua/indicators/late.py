"""Late steps of a period (per-step accountability, seed 003: "a late step counts as late even when
the dossier finishes on time"; TT 01/2018 form 05 verdicts).

A step is late in a period when it finished in the period with the verdict *late*, or when it is
still open and its deadline fell in the period before the moment the period is looked at. Steps are
those performed by the unit or a unit below it.
"""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q

from motcua.dossiers.models import DossierStep
from motcua.dossiers.workflow import Verdict
from motcua.indicators.scope import Scope


@dataclass(frozen=True)
class LateStep:
    code: str
    step: str
    actor: str
    due_at: dt.datetime | None
    finished_at: dt.datetime | None


def late_steps(scope: Scope) -> list[LateStep]:
    finished_late = Q(
        verdict=Verdict.LATE,
        finished_at__gte=scope.start,
        finished_at__lt=scope.end,
        finished_at__lte=scope.as_of,
    )
    open_overdue = Q(
        started_at__isnull=False,
        due_at__gte=scope.start,
        due_at__lt=scope.as_of,
    ) & (Q(finished_at__isnull=True) | Q(finished_at__gt=scope.as_of))
    rows = (
        DossierStep.objects.filter(unit_id__in=scope.unit_ids)
        .filter(finished_late | open_overdue)
        .select_related("dossier", "assignee", "finished_by")
        .order_by("due_at", "dossier__code", "position", "id")
    )
    result = []
    for step in rows:
        person = step.finished_by or step.assignee
        finished = (
            step.finished_at if step.finished_at is not None and step.finished_at <= scope.as_of else None
        )
        result.append(
            LateStep(
                code=step.dossier.code,
                step=step.name,
                actor=str(person) if person is not None else step.actor_name,
                due_at=step.due_at,
                finished_at=finished,
            )
        )
    return result
