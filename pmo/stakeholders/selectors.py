"""Reads of stakeholders: benefits realised against planned (per benefit, project, portfolio and strategic
objective), the power/interest grid, communications due, survey results.

Benefits arithmetic (docs/stakeholders.md says the same for people):
- progress of a benefit = (latest measurement - baseline) / (target - baseline), kept within 0..1 for the money
  (a KPI that went the wrong way realises nothing; one past its target realises its full value); None until the
  first measurement;
- realised value of a benefit = financial value x progress, rounded to the cent (half up);
- per project: planned = sum of its benefits' financial values, realised = sum of their realised values,
  progress = realised / planned (or, where no benefit carries money, the mean progress of the measured ones);
  None while none of its benefits is measured;
- per portfolio, per programme and per objective: sums of the projects' planned and realised values per
  currency (closed projects included); a project that serves two objectives counts in full under each; each
  group also lists its benefits one by one with their KPI's progress (RollupGroup.kpis).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from pmo.core.access import person_id_of, roles_of
from pmo.core.roles import Role
from pmo.portfolio.models import LifecycleState, Portfolio, Program, Project, StrategicObjective
from pmo.stakeholders.models import (
    Benefit,
    BenefitMeasurement,
    CommunicationItem,
    Stakeholder,
    Survey,
)

CENT = Decimal("0.01")
CLOSED_STATES = (LifecycleState.CLOSED, LifecycleState.CANCELLED)


def sees_stakeholders(user: Any) -> bool:
    """Everyone with a role but requesters reads registers, plans and benefits."""
    return bool(roles_of(user) - {Role.REQUESTER})


# --- benefits ---------------------------------------------------------------------------------------------


def benefit_progress(baseline: Decimal, target: Decimal, latest: Decimal | None) -> Decimal | None:
    """Raw progress toward target (may be below 0 or above 1); None without a measurement.

    >>> benefit_progress(Decimal("100"), Decimal("50"), Decimal("80"))
    Decimal('0.4')
    """
    if latest is None or target == baseline:
        return None
    return (latest - baseline) / (target - baseline)


def _clamp(value: Decimal) -> Decimal:
    return min(Decimal(1), max(Decimal(0), value))


@dataclass(frozen=True)
class BenefitRow:
    benefit: Benefit
    latest_value: Decimal | None
    latest_on: dt.date | None
    progress: Decimal | None  # raw: (latest - baseline) / (target - baseline)
    realised_value: Decimal
    measurements: tuple[BenefitMeasurement, ...] = ()

    @property
    def progress_pct(self) -> int | None:
        if self.progress is None:
            return None
        return int((self.progress * 100).quantize(Decimal("1"), rounding=ROUND_HALF_UP))

    @property
    def overdue(self) -> bool:
        """Past its target date without reaching the target."""
        return self.benefit.target_date < timezone.localdate() and (self.progress is None or self.progress < 1)


def benefit_row(benefit: Benefit, measurements: Iterable[BenefitMeasurement] | None = None) -> BenefitRow:
    ms = tuple(measurements if measurements is not None else benefit.measurements.all())
    ms = tuple(sorted(ms, key=lambda m: (m.measured_on, m.pk or 0)))
    latest = ms[-1] if ms else None
    progress = benefit_progress(benefit.baseline_value, benefit.target_value, latest.value if latest else None)
    realised = Decimal("0.00")
    if progress is not None:
        realised = (benefit.financial_value * _clamp(progress)).quantize(CENT, rounding=ROUND_HALF_UP)
    return BenefitRow(
        benefit=benefit,
        latest_value=latest.value if latest else None,
        latest_on=latest.measured_on if latest else None,
        progress=progress,
        realised_value=realised,
        measurements=ms,
    )


def benefit_rows(project: Project | None = None, benefits: QuerySet[Benefit] | None = None) -> list[BenefitRow]:
    qs = benefits if benefits is not None else Benefit.objects.all()
    if project is not None:
        qs = qs.filter(project=project)
    qs = qs.select_related("project", "owner").prefetch_related("measurements")
    return [benefit_row(b, b.measurements.all()) for b in qs]


@dataclass(frozen=True)
class BenefitLine:
    """Realised against planned benefits of one project (money in the project's currency)."""

    project_id: int
    code: str
    name: str
    portfolio_id: int
    planned_value: Decimal
    realised_value: Decimal
    currency: str
    progress: float | None  # 0..1, None while nothing is measured
    state: str = ""
    closed: bool = False
    benefit_count: int = 0
    measured_count: int = 0
    objective_ids: tuple[int, ...] = ()
    program_id: int | None = None
    rows: tuple[BenefitRow, ...] = field(default=(), compare=False, repr=False)  # its benefits, by name

    @property
    def state_label(self) -> str:
        return str(dict(LifecycleState.choices).get(self.state, self.state))


def _line(project: Project, rows: list[BenefitRow], objective_ids: tuple[int, ...]) -> BenefitLine:
    planned = sum((r.benefit.financial_value for r in rows), Decimal("0.00"))
    realised = sum((r.realised_value for r in rows), Decimal("0.00"))
    measured = [r for r in rows if r.progress is not None]
    progress: float | None = None
    if measured:
        if planned > 0:
            progress = float((realised / planned).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP))
        else:
            mean = sum((_clamp(r.progress) for r in measured if r.progress is not None), Decimal(0)) / len(measured)
            progress = float(mean.quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP))
    return BenefitLine(
        project_id=project.pk,
        code=project.code,
        name=project.name,
        portfolio_id=project.portfolio_id,
        planned_value=planned.quantize(CENT),
        realised_value=realised.quantize(CENT),
        currency=project.currency,
        progress=progress,
        state=project.state,
        closed=project.state in CLOSED_STATES,
        benefit_count=len(rows),
        measured_count=len(measured),
        objective_ids=objective_ids,
        program_id=project.program_id,
        rows=tuple(sorted(rows, key=lambda r: (r.benefit.name, r.benefit.pk))),
    )


def benefit_line(project: Project) -> BenefitLine | None:
    """The benefits line of one project; None when it has no planned benefit."""
    return next(iter(_lines(Benefit.objects.filter(project=project))), None)


def benefits_rollup(
    *, portfolio: Portfolio | int | None = None, program: Program | int | None = None
) -> list[BenefitLine]:
    """One line per project that has planned benefits (closed projects included), ordered by project code;
    only the projects of `portfolio` and of `program` (instances or ids) when given."""
    qs = Benefit.objects.all()
    if portfolio is not None:
        qs = qs.filter(project__portfolio_id=getattr(portfolio, "pk", portfolio))
    if program is not None:
        qs = qs.filter(project__program_id=getattr(program, "pk", program))
    return _lines(qs)


def _lines(qs: QuerySet[Benefit]) -> list[BenefitLine]:
    qs = qs.select_related("project").prefetch_related("measurements")
    by_project: dict[int, list[BenefitRow]] = defaultdict(list)
    projects: dict[int, Project] = {}
    for benefit in qs:
        projects[benefit.project_id] = benefit.project
        by_project[benefit.project_id].append(benefit_row(benefit, benefit.measurements.all()))
    objectives: dict[int, list[int]] = defaultdict(list)
    for project_id, objective_id in Project.objectives.through.objects.filter(
        project_id__in=list(projects)
    ).values_list("project_id", "strategicobjective_id"):
        objectives[project_id].append(objective_id)
    lines = [_line(projects[pk], rows, tuple(sorted(objectives[pk]))) for pk, rows in by_project.items()]
    return sorted(lines, key=lambda line: line.code)


@dataclass
class RollupGroup:
    """Planned and realised benefits of a portfolio or objective, in one currency."""

    key: Any  # the Portfolio or StrategicObjective
    currency: str
    planned_value: Decimal = Decimal("0.00")
    realised_value: Decimal = Decimal("0.00")
    lines: list[BenefitLine] = field(default_factory=list)

    @property
    def progress(self) -> float | None:
        if self.planned_value <= 0:
            return None
        return float((self.realised_value / self.planned_value).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP))

    @property
    def progress_pct(self) -> int | None:
        return None if self.progress is None else round(self.progress * 100)

    @property
    def closed_count(self) -> int:
        return sum(1 for line in self.lines if line.closed)

    @property
    def benefit_count(self) -> int:
        return sum(line.benefit_count for line in self.lines)

    @property
    def kpis(self) -> list[BenefitRow]:
        """Its benefits one by one (by project code, then name): each KPI's latest value and progress."""
        return [row for line in self.lines for row in line.rows]


def _group(lines: Iterable[BenefitLine], keys_of: Any, objects: dict[int, Any]) -> list[RollupGroup]:
    groups: dict[tuple[int, str], RollupGroup] = {}
    for line in lines:
        for key in keys_of(line):
            group = groups.setdefault((key, line.currency), RollupGroup(key=objects[key], currency=line.currency))
            group.planned_value += line.planned_value
            group.realised_value += line.realised_value
            group.lines.append(line)
    return sorted(groups.values(), key=lambda g: (g.key.code, g.currency))


def rollup_by_portfolio(lines: list[BenefitLine]) -> list[RollupGroup]:
    portfolios = Portfolio.objects.in_bulk({line.portfolio_id for line in lines})
    return _group(lines, lambda line: [line.portfolio_id], portfolios)


def rollup_by_program(lines: list[BenefitLine]) -> list[RollupGroup]:
    """Per programme: the sums over its projects (closed ones included); projects in no programme are left out."""
    programs = Program.objects.in_bulk({line.program_id for line in lines if line.program_id is not None})
    return _group(lines, lambda line: [line.program_id] if line.program_id is not None else [], programs)


def rollup_by_objective(lines: list[BenefitLine]) -> list[RollupGroup]:
    objectives = StrategicObjective.objects.in_bulk({pk for line in lines for pk in line.objective_ids})
    return _group(lines, lambda line: line.objective_ids, objectives)


# --- stakeholder register ---------------------------------------------------------------------------------


def scope_filter(scope: Any) -> Q:
    """The records of a project, a program or a portfolio."""
    if isinstance(scope, Project):
        return Q(project=scope)
    if isinstance(scope, Program):
        return Q(program=scope)
    return Q(portfolio=scope)


def program_scope_filter(program: Program) -> Q:
    """A program's own records and those of its projects."""
    return Q(program=program) | Q(project__program=program)


def stakeholders_of(scope: Any, *, with_projects: bool = False) -> QuerySet[Stakeholder]:
    where = program_scope_filter(scope) if with_projects and isinstance(scope, Program) else scope_filter(scope)
    return Stakeholder.objects.filter(where).select_related("person", "relationship_owner", "project", "program")


QUADRANTS = ("keep satisfied", "manage closely", "monitor", "keep informed")  # grid order: top-left first


@dataclass(frozen=True)
class GridDot:
    stakeholder: Stakeholder
    x: float
    y: float
    gap: int
    number: int  # the stakeholder's position in the list given (1-based): the register shows the same number


def power_interest_grid(stakeholders: Iterable[Stakeholder], *, size: int = 320, pad: int = 30) -> list[GridDot]:
    """Dot positions on an SVG grid: interest along x (1..5), influence (power) up y; dots sharing a cell are
    spread around its centre so each stays clickable."""
    step = (size - 2 * pad) / 5
    cells: dict[tuple[int, int], list[tuple[int, Stakeholder]]] = defaultdict(list)
    for number, s in enumerate(stakeholders, start=1):
        cells[(s.interest, s.influence)].append((number, s))
    offsets = [(0, 0), (-11, -11), (11, 11), (11, -11), (-11, 11), (0, -16), (0, 16), (-16, 0), (16, 0)]
    dots = []
    for (interest, influence), members in sorted(cells.items()):
        cx = pad + (interest - 0.5) * step
        cy = size - pad - (influence - 0.5) * step
        for index, (number, s) in enumerate(members):
            dx, dy = offsets[index % len(offsets)]
            dots.append(
                GridDot(stakeholder=s, x=round(cx + dx, 1), y=round(cy + dy, 1), gap=s.engagement_gap, number=number)
            )
    return dots


# --- communications ---------------------------------------------------------------------------------------


def items_of(scope: Any, *, with_projects: bool = False) -> QuerySet[CommunicationItem]:
    where = program_scope_filter(scope) if with_projects and isinstance(scope, Program) else scope_filter(scope)
    return (
        CommunicationItem.objects.filter(where)
        .select_related("sender", "project", "program", "portfolio")
        .prefetch_related("stakeholders")
    )


def due_items(
    items: QuerySet[CommunicationItem] | None = None, *, within_days: int = 14, today: dt.date | None = None
) -> list[CommunicationItem]:
    """Active items due within `within_days` days (overdue ones included), soonest first."""
    today = today or timezone.localdate()
    qs = items if items is not None else CommunicationItem.objects.select_related("sender", "project", "program")
    horizon = today + dt.timedelta(days=within_days)
    return list(qs.filter(active=True, next_due__isnull=False, next_due__lte=horizon).order_by("next_due", "pk"))


def my_due_items(user: Any, *, within_days: int = 14) -> list[CommunicationItem]:
    """The items the user sends (as their Person), due soon or overdue."""
    person = person_id_of(user)
    if person is None:
        return []
    qs = CommunicationItem.objects.filter(sender_id=person).select_related("sender", "project", "program", "portfolio")
    return due_items(qs, within_days=within_days)


def is_overdue(item: CommunicationItem, today: dt.date | None = None) -> bool:
    today = today or timezone.localdate()
    return item.active and item.next_due is not None and item.next_due < today


# --- surveys ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SurveyResult:
    survey: Survey
    count: int
    average: Decimal | None  # two decimals, half up
    distribution: tuple[int, int, int, int, int]  # answers scoring 1..5


def survey_results(project: Project) -> list[SurveyResult]:
    """Each survey of the project by period, with its answer count, average and score distribution."""
    results = []
    for survey in Survey.objects.filter(project=project).prefetch_related("responses").order_by("period"):
        scores = [r.score for r in survey.responses.all()]
        average = None
        if scores:
            average = (Decimal(sum(scores)) / len(scores)).quantize(CENT, rounding=ROUND_HALF_UP)
        dist = tuple(scores.count(n) for n in range(1, 6))
        results.append(SurveyResult(survey=survey, count=len(scores), average=average, distribution=dist))  # type: ignore[arg-type]
    return results
