"""Reads: a portfolio's scales, who sees which risks, registers of a project, program or portfolio, what is
escalated, heat maps, the top risks and the exposure sums."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from pmo.core.access import can, person_id_of, roles_of
from pmo.core.roles import Role
from pmo.portfolio.models import Portfolio, Program, Project
from pmo.risks.models import OPEN_ACTION_STATUSES, Risk, RiskAction, RiskAssessment, RiskScale
from pmo.risks.scales import Cell, ImpactLevel, ProbabilityLevel, Scales, default_scales, heat_map, trend

TOP_N = 10


# --- scales ----------------------------------------------------------------------------------------------


def scales_from(record: RiskScale | None) -> Scales:
    """The scales a RiskScale row holds (the defaults for levels it does not set)."""
    defaults = default_scales()
    if record is None:
        return defaults
    probability = tuple(
        ProbabilityLevel(int(p["level"]), str(p["label"]), Decimal(str(p["percent"])))
        for p in record.probability_levels
    )
    impact = tuple(
        ImpactLevel(int(i["level"]), str(i["label"]), Decimal(str(i["money"])), int(i["days"]))
        for i in record.impact_levels
    )
    return Scales(probability or defaults.probability, impact or defaults.impact, record.escalation_score)


def scales_for(portfolio_id: int | None) -> Scales:
    """The portfolio's scales, or the default 5x5 ones."""
    if portfolio_id is None:
        return default_scales()
    return scales_from(RiskScale.objects.filter(portfolio_id=portfolio_id).first())


class ScaleCache:
    """Scales by portfolio id, read once per page."""

    def __init__(self) -> None:
        self._by_portfolio: dict[int | None, Scales] = {}

    def __call__(self, portfolio_id: int | None) -> Scales:
        if portfolio_id not in self._by_portfolio:
            self._by_portfolio[portfolio_id] = scales_for(portfolio_id)
        return self._by_portfolio[portfolio_id]


# --- visibility ------------------------------------------------------------------------------------------


def sees_risks(user: Any) -> bool:
    """Risk registers are internal: requesters (and users without a role) see none of it."""
    return can(user, "view", Risk)


def team_only(user: Any) -> bool:
    return roles_of(user) == frozenset({Role.TEAM_MEMBER})


def visible(user: Any, risks: QuerySet[Risk]) -> QuerySet[Risk]:
    """The risks of `risks` the user may see: all of them, except for a team member (the risks of projects
    they have tasks on, and the risks they or their actions own)."""
    if not team_only(user):
        return risks
    person = person_id_of(user)
    if person is None:
        return risks.none()
    return risks.filter(
        Q(owner_id=person) | Q(actions__owner_id=person) | Q(project__tasks__assignments__person_id=person)
    ).distinct()


def base() -> QuerySet[Risk]:
    return Risk.objects.select_related(
        "project", "project__portfolio", "project__program", "project__manager", "program", "portfolio", "owner"
    ).prefetch_related(
        Prefetch("assessments", queryset=RiskAssessment.objects.order_by("assessed_on", "id")),
        Prefetch("actions", queryset=RiskAction.objects.select_related("owner")),
        "affected_projects",
    )


# --- registers -------------------------------------------------------------------------------------------


def project_register(project: Project) -> QuerySet[Risk]:
    return base().filter(project=project)


def affecting(project: Project) -> QuerySet[Risk]:
    """Risks of other registers that name this project among those they would hit."""
    return base().filter(affected_projects=project).exclude(project=project)


def in_portfolio(portfolio: Portfolio) -> QuerySet[Risk]:
    """Every risk of the portfolio: its projects', its programs' and its own."""
    return base().filter(Q(project__portfolio=portfolio) | Q(program__portfolio=portfolio) | Q(portfolio=portfolio))


def in_program(program: Program) -> QuerySet[Risk]:
    return base().filter(Q(project__program=program) | Q(program=program))


def escalated_filter(escalation_score: int) -> Q:
    """Risks that show above their own register: program and portfolio risks, shared ones, and those scored at
    or above the escalation score."""
    return Q(project__isnull=True) | Q(shared=True) | Q(score__gte=escalation_score)


def escalated(*, portfolio: Portfolio | None = None, program: Program | None = None) -> QuerySet[Risk]:
    """Open risks escalated to a program (its projects' critical or shared risks, and its own) or to a
    portfolio (those of its projects and programs, and its own)."""
    if program is not None:
        scales = scales_for(program.portfolio_id)
        qs = in_program(program).filter(Q(program=program) | escalated_filter(scales.escalation_score))
    elif portfolio is not None:
        scales = scales_for(portfolio.pk)
        qs = in_portfolio(portfolio).filter(escalated_filter(scales.escalation_score))
    else:
        return Risk.objects.none()
    return qs.filter(status=Risk.Status.OPEN)


def is_escalated(risk: Risk, scales: Scales) -> bool:
    """Does this open project risk show on its program and portfolio?"""
    return (
        risk.project_id is not None
        and risk.status == Risk.Status.OPEN
        and (risk.shared or risk.score >= scales.escalation_score)
    )


# --- rows for the pages and the API ------------------------------------------------------------------


@dataclass
class RiskRow:
    risk: Risk
    scales: Scales
    rating: str
    residual_rating: str
    exposure_money: Decimal
    exposure_days: Decimal
    scores: list[int]
    trend: str
    escalated: bool
    open_actions: int
    overdue_actions: list[RiskAction] = field(default_factory=list)

    @property
    def register(self) -> str:
        risk = self.risk
        if risk.project_id:
            return risk.project.code
        return risk.program.code if risk.program_id else risk.portfolio.code


def is_overdue(action: RiskAction, today: dt.date | None = None) -> bool:
    today = today or timezone.localdate()
    return action.status in OPEN_ACTION_STATUSES and action.due_date is not None and action.due_date < today


def rows(risks: Iterable[Risk], *, today: dt.date | None = None, cache: ScaleCache | None = None) -> list[RiskRow]:
    """Each risk with what the pages show: rating, expected exposure, score history and trend, overdue actions."""
    today = today or timezone.localdate()
    cache = cache or ScaleCache()
    out = []
    for risk in risks:
        scales = cache(risk.owning_portfolio_id)
        money, days = scales.exposure(
            probability=min(risk.probability, len(scales.probability)),
            impact=min(risk.impact, len(scales.impact)),
            cost=risk.cost_impact,
            days=risk.schedule_impact_days,
        )
        scores = [a.score for a in risk.assessments.all()]
        actions = list(risk.actions.all())
        out.append(
            RiskRow(
                risk=risk,
                scales=scales,
                rating=scales.rating(risk.score),
                residual_rating=scales.rating(risk.residual_score),
                exposure_money=money,
                exposure_days=days,
                scores=scores,
                trend=trend(scores),
                escalated=is_escalated(risk, scales),
                open_actions=sum(1 for a in actions if a.status in OPEN_ACTION_STATUSES),
                overdue_actions=[a for a in actions if is_overdue(a, today)],
            )
        )
    return out


def top(risk_rows: Sequence[RiskRow], n: int = TOP_N) -> list[RiskRow]:
    """The n open threats with the highest score, then the highest expected cost."""
    threats = [r for r in risk_rows if r.risk.kind == Risk.Kind.THREAT and r.risk.status == Risk.Status.OPEN]
    return sorted(threats, key=lambda r: (-r.risk.score, -r.exposure_money, r.risk.code))[:n]


@dataclass
class ExposureLine:
    key: str
    label: str
    threats: int = 0
    threat_money: Decimal = Decimal("0.00")
    threat_days: Decimal = Decimal("0.0")
    opportunities: int = 0
    opportunity_money: Decimal = Decimal("0.00")
    opportunity_days: Decimal = Decimal("0.0")

    def add(self, row: RiskRow) -> None:
        if row.risk.kind == Risk.Kind.THREAT:
            self.threats += 1
            self.threat_money += row.exposure_money
            self.threat_days += row.exposure_days
        else:
            self.opportunities += 1
            self.opportunity_money += row.exposure_money
            self.opportunity_days += row.exposure_days


def _register_label(risk: Risk) -> tuple[str, str]:
    if risk.project_id:
        return risk.project.code, f"{risk.project.code} {risk.project.name}"
    if risk.program_id:
        return risk.program.code, f"Program {risk.program.name}"
    return risk.portfolio.code, f"Portfolio {risk.portfolio.name}"


def exposure_by(risk_rows: Iterable[RiskRow], by: str) -> tuple[list[ExposureLine], ExposureLine]:
    """Expected cost and delay of the open risks summed by register ("project") or by "category", threats and
    opportunities apart; lines ordered by threat exposure, the largest first; and the total line."""
    lines: dict[str, ExposureLine] = {}
    total = ExposureLine("total", "Total")
    for row in risk_rows:
        if row.risk.status != Risk.Status.OPEN:
            continue
        if by == "category":
            key, label = row.risk.category, row.risk.get_category_display()
        else:
            key, label = _register_label(row.risk)
        lines.setdefault(key, ExposureLine(key, label)).add(row)
        total.add(row)
    ordered = sorted(lines.values(), key=lambda line: (-line.threat_money, -line.threat_days, line.key))
    return ordered, total


# --- heat maps -------------------------------------------------------------------------------------------


def heat_points(risk_rows: Iterable[RiskRow], *, residual: bool = False) -> list[tuple[int, int]]:
    if residual:
        return [
            (r.risk.residual_probability, r.risk.residual_impact)
            for r in risk_rows
            if r.risk.residual_probability and r.risk.residual_impact
        ]
    return [(r.risk.probability, r.risk.impact) for r in risk_rows]


def grid(scales: Scales, risk_rows: Iterable[RiskRow], *, residual: bool = False) -> list[list[Cell]]:
    return heat_map(scales, heat_points(risk_rows, residual=residual))


def in_cell(risk_rows: Iterable[RiskRow], probability: int, impact: int, *, residual: bool = False) -> list[RiskRow]:
    if residual:
        return [r for r in risk_rows if (r.risk.residual_probability, r.risk.residual_impact) == (probability, impact)]
    return [r for r in risk_rows if (r.risk.probability, r.risk.impact) == (probability, impact)]


def filtered(
    risks: QuerySet[Risk],
    *,
    status: str = "open",
    kind: str = "",
    scope: str = "all",
    project_id: int | None = None,
    category: str = "",
    escalation_score: int | None = None,
) -> QuerySet[Risk]:
    """The filters of the risk pages and the API: status ("" for all), kind, scope ("all", "escalated" or
    "registers" — program and portfolio risks only), one project, one category."""
    if status:
        risks = risks.filter(status=status)
    if kind:
        risks = risks.filter(kind=kind)
    if project_id:
        risks = risks.filter(Q(project_id=project_id) | Q(affected_projects=project_id)).distinct()
    if category:
        risks = risks.filter(category=category)
    if scope == "escalated" and escalation_score is not None:
        risks = risks.filter(escalated_filter(escalation_score))
    elif scope == "registers":
        risks = risks.filter(project__isnull=True)
    return risks


def overdue_actions(today: dt.date | None = None) -> QuerySet[RiskAction]:
    """Open actions past their due date, of open risks."""
    today = today or timezone.localdate()
    return RiskAction.objects.filter(
        status__in=OPEN_ACTION_STATUSES, due_date__lt=today, risk__status=Risk.Status.OPEN
    ).select_related("risk", "risk__project", "risk__project__manager", "owner", "owner__user")
