"""The TT 01/2018/TT-VPCP evaluation of a unit (with its sub-units) for a period: the nine indices and
the grade of the body, each officer's score over indices 1, 2, 3, 4, 7 with their grade, and the late
steps per officer (Điều 15; quarterly and yearly reports, any custom range of local dates).
"""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from motcua.accounts.models import User
from motcua.indicators.evaluation import scales, units
from motcua.indicators.evaluation.accountability import OfficerLateSteps, late_steps_by_officer
from motcua.indicators.evaluation.dossiers import DossierScore, OfficerKey, score_dossiers
from motcua.indicators.scope import Scope, scope_for
from motcua.organizations.models import Unit

INDEX_NAMES: dict[int, str | Promise] = {
    1: _("Thời gian giải quyết hồ sơ so với thời hạn quy định"),
    2: _("Thời gian thực hiện của từng cơ quan tham gia giải quyết"),
    3: _("Số lần liên hệ với nơi tiếp nhận để hoàn thiện hồ sơ"),
    4: _("Số cơ quan, đơn vị phải liên hệ"),
    5: _("Giải quyết toàn bộ quy trình tại Bộ phận Một cửa"),
    6: _("Công khai thủ tục hành chính"),
    7: _("Thái độ của cán bộ, công chức"),
    8: _("Tiếp nhận, xử lý phản ánh, kiến nghị"),
    9: _("Cung cấp dịch vụ công trực tuyến"),
}
PER_UNIT = frozenset({5, 8, 9})


def quarter(year: int, number: int) -> tuple[dt.date, dt.date]:
    """The local dates of quarter ``number`` (1–4) of ``year``."""
    first = dt.date(year, 3 * number - 2, 1)
    last = dt.date(year + 1, 1, 1) if number == 4 else dt.date(year, 3 * number + 1, 1)
    return first, last - dt.timedelta(days=1)


def whole_year(year: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


@dataclass(frozen=True)
class IndexResult:
    number: int
    name: str
    score: Decimal | None  # None: no data, left out of the total
    dossiers: int | None  # dossiers with data (None for the per-body indices 5, 8, 9)


@dataclass
class OfficerResult:
    key: OfficerKey
    name: str
    indices: dict[int, Decimal | None]
    dossiers: int
    total: Decimal | None = None
    grade: scales.Grade | None = None

    @property
    def user_id(self) -> int | None:
        return self.key[0]


@dataclass
class Evaluation:
    unit: Unit
    date_from: dt.date
    date_to: dt.date
    dossiers: int
    indices: list[IndexResult]
    total: Decimal | None
    grade: scales.Grade | None
    officers: list[OfficerResult] = field(default_factory=list)
    late: list[OfficerLateSteps] = field(default_factory=list)

    @property
    def max_points(self) -> int:
        return 2 * len(scales.UNIT_INDICES)


def _dossier_index(scores: list[DossierScore], number: int) -> IndexResult:
    values = [s.indices.get(number) for s in scores]
    with_data = sum(v is not None for v in values)
    return IndexResult(number, str(INDEX_NAMES[number]), scales.average(values), with_data)


def _unit_index(number: int, value: int | None) -> IndexResult:
    return IndexResult(number, str(INDEX_NAMES[number]), None if value is None else Decimal(value), None)


def officer_results(scores: list[DossierScore]) -> list[OfficerResult]:
    """Each officer who handled a dossier of the period: indices 1, 3, 4, 7 of those dossiers, index 2
    from the verdicts of their own steps, each averaged over the dossiers with data (Điều 15)."""
    per_officer: dict[OfficerKey, dict[int, list[int | None]]] = {}
    counts: dict[OfficerKey, int] = {}
    for score in scores:
        for key, verdicts in score.officers.items():
            lists = per_officer.setdefault(key, {n: [] for n in scales.OFFICER_INDICES})
            counts[key] = counts.get(key, 0) + 1
            for number in scales.OFFICER_INDICES:
                value = scales.bodies_time(verdicts) if number == 2 else score.indices.get(number)
                lists[number].append(value)
    user_ids = [k[0] for k in per_officer if k[0] is not None]
    officers = {u.pk: u for u in User.objects.filter(pk__in=user_ids, kind=User.Kind.OFFICER)}
    results = []
    for key, lists in per_officer.items():
        if key[0] is not None and key[0] not in officers:
            continue  # an applicant's own event, not an officer
        indices = {n: scales.average(values) for n, values in lists.items()}
        total = scales.total(indices)
        name = str(officers[key[0]]) if key[0] is not None else key[1]
        results.append(
            OfficerResult(key, name, indices, counts[key], total=total, grade=scales.officer_grade(total))
        )
    return sorted(results, key=lambda r: r.name)


def evaluate(
    unit: Unit, date_from: dt.date, date_to: dt.date, *, now: dt.datetime | None = None
) -> Evaluation:
    """The evaluation of ``unit`` and every unit below it over ``[date_from, date_to]``."""
    scope: Scope = scope_for(unit, date_from, date_to, now=now)
    scores = score_dossiers(scope)
    per_unit = {5: units.index_5(scope), 8: units.index_8(scope), 9: units.index_9(scope)}
    indices = [
        _unit_index(n, per_unit[n]) if n in PER_UNIT else _dossier_index(scores, n)
        for n in scales.UNIT_INDICES
    ]
    total = scales.total({i.number: i.score for i in indices})
    return Evaluation(
        unit=unit,
        date_from=date_from,
        date_to=date_to,
        dossiers=len(scores),
        indices=indices,
        total=total,
        grade=scales.unit_grade(total),
        officers=officer_results(scores),
        late=late_steps_by_officer(scope),
    )
