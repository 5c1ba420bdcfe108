"""The executive dashboard's figures, for one portfolio or for all, as the user may see them.

Every figure comes from the app that owns it, read through its selectors:
- the health matrix: each project's latest *submitted* status report (pmo.changes); a dimension the report
  leaves blank, or a project without a submitted report, takes the RAG the thresholds suggest from the
  project's metrics (pmo.changes.rag.suggest_rag on pmo.changes.selectors.project_metrics) — the same
  suggestion the status report form makes; the earned-value colour is pmo.control.selectors.rag;
- money: budgets (Project.budget), actual costs (pmo.control CostEntry) and the latest EVM snapshot's EAC;
  by year, and one year by project, in pmo.reporting.money;
- risk: the open threats' expected cost (pmo.risks.selectors.rows/exposure_by) and the top risks;
- the pipeline: proposals by state (pmo.selection); gates: open reviews past their planned date
  (pmo.governance); deviations: open ones (pmo.changes); capacity: the role heat map (pmo.resources);
- benefits: pmo.stakeholders.selectors.benefits_rollup when that app provides it.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Max, Q, Sum
from django.urls import reverse
from django.utils import timezone

from pmo.changes import selectors as changes
from pmo.changes.models import StatusReport
from pmo.changes.rag import suggest_rag
from pmo.control import selectors as control
from pmo.control.models import CostEntry
from pmo.core.access import can
from pmo.planning.models import Task
from pmo.portfolio.models import Portfolio, Project
from pmo.reporting import money
from pmo.reporting.money import YearMoney, money_by_year
from pmo.risks import selectors as risks
from pmo.risks.models import Risk
from pmo.selection.models import Proposal

DIMENSIONS = ("schedule", "cost", "scope", "risk")
SEVERITY = {"red": 0, "amber": 1, "green": 2}  # the health matrix lists red projects first
CENT = Decimal("0.01")
MILESTONE_PAST_DAYS = 30
MILESTONE_AHEAD_DAYS = 180
FUNNEL = (
    Proposal.State.DRAFT,
    Proposal.State.SUBMITTED,
    Proposal.State.UNDER_EVALUATION,
    Proposal.State.APPROVED,
)
SET_ASIDE = (Proposal.State.DEFERRED, Proposal.State.REJECTED, Proposal.State.WITHDRAWN)


def sees_dashboard(user: Any) -> bool:
    from pmo.reporting.models import ReportArchive

    return can(user, "view_dashboard", ReportArchive)


def project_url(project: Project) -> str:
    return reverse("projects-detail", args=[project.pk])


@dataclass
class HealthRow:
    project: Project
    schedule: str
    cost: str
    scope: str
    risk: str
    overall: str
    source: str  # "report" (a submitted status report, of `period`) or "suggested" (from the metrics)
    period: dt.date | None
    performance: str  # the earned-value colour (worst of SPI, CPI, SPI(t)) or "unknown"
    budget: Decimal
    value: Decimal | None  # planned benefits (see planned_values; None without any)
    exposure: Decimal  # expected cost of the open threats of the project's register
    eac: Decimal | None
    actual: Decimal

    @property
    def url(self) -> str:
        return project_url(self.project)

    def cells(self) -> list[tuple[str, str]]:
        return [(d, getattr(self, d)) for d in DIMENSIONS]


@dataclass
class FunnelStage:
    state: str
    label: str
    count: int
    cost: Decimal


@dataclass
class Milestone:
    project: Project
    name: str
    day: dt.date
    status: str  # "done" | "late" | "due"

    @property
    def url(self) -> str:
        return project_url(self.project)


@dataclass
class Dashboard:
    portfolio: Portfolio | None
    today: dt.date
    rows: list[HealthRow]
    years: list[YearMoney]
    funnel: list[FunnelStage]
    set_aside: list[FunnelStage]
    milestones: list[Milestone]
    capacity: dict[str, Any] | None
    top_risks: list[Any] | None
    deviations: list[Any] | None
    overdue_gates: list[Any] | None
    benefits: list[Any] | None
    totals: dict[str, Decimal] = field(default_factory=dict)

    def count(self, colour: str) -> int:
        return sum(1 for r in self.rows if r.overall == colour)

    @property
    def red(self) -> int:
        return self.count("red")

    @property
    def amber(self) -> int:
        return self.count("amber")

    @property
    def green(self) -> int:
        return self.count("green")


# --- the health matrix ----------------------------------------------------------------------------------


def latest_reports(projects: list[Project]) -> dict[int, StatusReport]:
    """Each project's latest submitted status report."""
    latest: dict[int, StatusReport] = {}
    qs = StatusReport.objects.filter(project__in=projects, state=StatusReport.State.SUBMITTED).order_by("period")
    for report in qs:
        latest[report.project_id] = report
    return latest


class Thresholds:
    """pmo.changes.selectors.thresholds_for, read once per portfolio."""

    def __init__(self) -> None:
        self._rules: dict[int | None, dict[str, Any]] = {}

    def __call__(self, portfolio_id: int | None) -> dict[str, Any]:
        if portfolio_id not in self._rules:
            self._rules[portfolio_id] = changes.thresholds_for(portfolio_id)
        return self._rules[portfolio_id]


def metrics_for(projects: list[Project]) -> dict[int, dict[str, Any]]:
    """pmo.changes.selectors.project_metrics of many projects in a few queries (the same figures: the test
    suite compares them project by project): the latest snapshot's indices, milestone slip (only projects
    with a baseline and a plan can have one), open critical/high issues, change requests awaiting a
    decision, and the lateness of the deliverables each project waits for."""
    from pmo.changes.models import OPEN_ISSUE_STATUSES, ChangeRequest, Issue
    from pmo.planning.models import Baseline, CrossProjectLink, Plan
    from pmo.portfolio.models import Priority

    snapshots = control.latest_snapshots(projects)
    issues = dict(
        Issue.objects.filter(project__in=projects, status__in=OPEN_ISSUE_STATUSES, priority__lte=Priority.HIGH)
        .values_list("project_id")
        .annotate(n=Count("id"))
        .values_list("project_id", "n")
    )
    pending = dict(
        ChangeRequest.objects.filter(project__in=projects, state=ChangeRequest.State.ASSESSED)
        .values_list("project_id")
        .annotate(n=Count("id"))
        .values_list("project_id", "n")
    )
    waits = dict(
        CrossProjectLink.objects.filter(consumer__project__in=projects)
        .values_list("consumer__project_id")
        .annotate(late=Max("late_days"))
        .values_list("consumer__project_id", "late")
    )
    baselined = set(Baseline.objects.filter(project__in=projects).values_list("project_id", flat=True))
    baselined &= set(Plan.objects.filter(project__in=projects).values_list("project_id", flat=True))
    out = {}
    for project in projects:
        snapshot = snapshots.get(project.pk)

        def index(name: str, snapshot: Any = snapshot) -> float | None:
            value = getattr(snapshot, name, None)
            return None if value is None else round(float(value), 3)

        out[project.pk] = {
            "spi": index("spi"),
            "cpi": index("cpi"),
            "spi_t": index("spi_t"),
            "milestone_slip_days": changes.milestone_slip_days(project) if project.pk in baselined else None,
            "open_high_issues": issues.get(project.pk, 0),
            "pending_changes": pending.get(project.pk, 0),
            "dependency_slip_days": waits.get(project.pk),
        }
    return out


def health(
    project: Project, report: StatusReport | None, metrics: dict[str, Any] | None, rules: dict[str, Any]
) -> tuple[dict[str, str], str]:
    """The RAG per dimension and overall, and where it comes from ("report" or "suggested"). A submitted
    report rates every dimension; the metrics' suggestion fills in for a project without one."""
    suggested = suggest_rag(metrics, rules) if metrics is not None else {}
    out: dict[str, str] = {}
    for dimension in (*DIMENSIONS, "overall"):
        reported = getattr(report, f"{dimension}_rag", "") if report else ""
        out[dimension] = reported or suggested.get(dimension) or "unknown"
    if not (report and report.overall_rag):
        known = [out[d] for d in DIMENSIONS if out[d] != "unknown"]
        out["overall"] = changes_worst(known)
    return out, "report" if report else "suggested"


def _complete(report: StatusReport) -> bool:
    return all(getattr(report, f"{d}_rag") for d in DIMENSIONS)


def changes_worst(colours: list[str]) -> str:
    from pmo.changes.rag import worst

    return worst(list(colours)) or "unknown"


def planned_values(projects: list[Project]) -> dict[int, Decimal]:
    """Each project's value: the financial value of its planned benefits (the benefits register), else the
    total benefit of the business case it was approved from; projects with neither are left out."""
    out: dict[int, Decimal] = {}
    for line in benefits(None) or []:
        if line.planned_value > 0:
            out[line.project_id] = line.planned_value
    cases = (
        Proposal.objects.filter(project__in=projects).values("project_id").annotate(total=Sum("cash_flows__benefit"))
    )
    for row in cases:
        if row["project_id"] not in out and row["total"]:
            out[row["project_id"]] = row["total"].quantize(CENT)
    return out


def threat_exposure(user: Any, projects: list[Project]) -> dict[int, Decimal]:
    """Expected cost of the open threats of each project's own register (the threat money of
    risks.exposure_by), read without the assessments and actions that risk rows carry and this does not need:
    building full rows of every risk of the portfolio took seconds with 10,000 risks (bench/load)."""
    if not risks.sees_risks(user):
        return {}
    open_threats = Risk.objects.filter(project__in=projects, status=Risk.Status.OPEN, kind=Risk.Kind.THREAT)
    cache = risks.ScaleCache()
    out = {p.pk: Decimal("0.00") for p in projects}
    fields = ("pk", "project_id", "project__portfolio_id", "probability", "impact", "cost_impact")
    rows = risks.visible(user, open_threats).values_list(*fields, "schedule_impact_days")
    for _pk, project_id, portfolio_id, probability, impact, cost, days in rows:
        scales = cache(portfolio_id)  # a project risk's owning portfolio is its project's
        money, _days = scales.exposure(
            probability=min(probability, len(scales.probability)),
            impact=min(impact, len(scales.impact)),
            cost=cost,
            days=days,
        )
        out[project_id] += money
    return out


def health_rows(user: Any, projects: list[Project]) -> list[HealthRow]:
    reports = latest_reports(projects)
    unreported = [p for p in projects if p.pk not in reports or not _complete(reports[p.pk])]
    metrics = metrics_for(unreported)
    rules = Thresholds()
    snapshots = control.latest_snapshots(projects)
    exposure = threat_exposure(user, projects)
    values = planned_values(projects)
    actuals = dict(
        CostEntry.objects.filter(project__in=projects)
        .values_list("project_id")
        .annotate(total=Sum("amount"))
        .values_list("project_id", "total")
    )
    rows = []
    for project in projects:
        report = reports.get(project.pk)
        colours, source = health(project, report, metrics.get(project.pk), rules(project.portfolio_id))
        snapshot = snapshots.get(project.pk)
        rows.append(
            HealthRow(
                project=project,
                source=source,
                period=report.period if report else None,
                performance=control.rag(snapshot, rules(project.portfolio_id)),
                budget=project.budget or Decimal("0.00"),
                value=values.get(project.pk),
                exposure=exposure.get(project.pk, Decimal("0.00")),
                eac=snapshot.eac if snapshot else None,
                actual=(actuals.get(project.pk) or Decimal("0.00")).quantize(CENT),
                **colours,
            )
        )
    return rows


# --- the pipeline -----------------------------------------------------------------------------------------


def pipeline(user: Any, portfolio: Portfolio | None) -> tuple[list[FunnelStage], list[FunnelStage]]:
    """Proposals by state (the funnel: draft to approved; then those set aside), with their business-case cost."""
    from pmo.selection.selectors import visible_proposals

    qs = visible_proposals(user)
    if portfolio is not None:
        qs = qs.filter(portfolio=portfolio)
    counts = {r["state"]: r["n"] for r in qs.values("state").annotate(n=Count("id"))}
    costs: dict[str, Decimal] = defaultdict(lambda: Decimal("0.00"))
    flows = qs.values("state").annotate(capex=Sum("cash_flows__capex"), opex=Sum("cash_flows__opex"))
    for r in flows:
        costs[r["state"]] += (r["capex"] or Decimal(0)) + (r["opex"] or Decimal(0))
    labels = dict(Proposal.State.choices)

    def stage(state: str) -> FunnelStage:
        return FunnelStage(state, str(labels[state]), counts.get(state, 0), costs[state].quantize(CENT))

    return [stage(s) for s in FUNNEL], [stage(s) for s in SET_ASIDE]


# --- milestones -------------------------------------------------------------------------------------------


def milestones(projects: list[Project], today: dt.date) -> list[Milestone]:
    """Milestones (zero-length tasks) of the projects finishing from 30 days ago to 180 days ahead."""
    first = today - dt.timedelta(days=MILESTONE_PAST_DAYS)
    last = today + dt.timedelta(days=MILESTONE_AHEAD_DAYS)
    out = []
    qs = (
        Task.objects.filter(project__in=projects, is_summary=False, duration_minutes=0, finish__isnull=False)
        .select_related("project")
        .order_by("finish", "project__code", "position")
    )
    for task in qs:
        day = timezone.localtime(task.finish).date()
        if not first <= day <= last:
            continue
        done = task.actual_finish is not None or task.percent_complete >= 100
        status = "done" if done else ("late" if day < today else "due")
        out.append(Milestone(task.project, task.name, day, status))
    return out


# --- capacity ---------------------------------------------------------------------------------------------


def capacity_summary(user: Any, today: dt.date, months: int = 6) -> dict[str, Any] | None:
    """The role heat map of the whole pool for the next months (None for those who may not see people)."""
    from pmo.engine import capacity as engine
    from pmo.resources import capacity
    from pmo.resources.models import Person

    if not can(user, "view", Person):
        return None
    inputs, labels = capacity.capacity_inputs(start=today, count=months, include_proposals=False)
    thresholds = engine.Thresholds()
    hm = engine.heat_map(engine.compute(inputs), "role")
    rows = capacity.heat_map_rows(hm, labels, thresholds)
    return {"months": [p.start for p in hm.periods], "rows": rows}


# --- the whole dashboard ----------------------------------------------------------------------------------


def benefits(portfolio: Portfolio | None) -> list[Any] | None:
    """Planned against realised benefits per project (pmo.stakeholders' benefits_rollup lines)."""
    try:
        from pmo.stakeholders.selectors import benefits_rollup
    except ImportError:  # pragma: no cover - the stakeholders app is part of the product
        return None
    return list(benefits_rollup(portfolio=portfolio))


def visible_projects(user: Any, portfolio: Portfolio | None = None) -> list[Project]:
    """The projects past the proposal stage whose figures the user may see (pmo.control's rule), with what
    the pages show of them read in the same query."""
    return with_people(control.measured_projects(user, portfolio_id=portfolio.pk if portfolio else None))


def with_people(projects: list[Project]) -> list[Project]:
    ids = [p.pk for p in projects]
    found = Project.objects.filter(pk__in=ids).select_related("portfolio", "program", "manager")
    by_id = {p.pk: p for p in found}
    return [by_id[pk] for pk in ids]


def running_projects(user: Any, portfolio: Portfolio | None = None) -> list[Project]:
    """The projects the dashboard shows: past the proposal stage, not closed or cancelled, whose figures the
    user may see."""
    return [p for p in visible_projects(user, portfolio) if p.state != "closed"]


def year_breakdown(
    user: Any, portfolio: Portfolio | None, year: int, *, today: dt.date | None = None
) -> money.YearBreakdown:
    """One year of the dashboard's budget/actual/forecast chart by project, for the same projects."""
    return money.year_breakdown(running_projects(user, portfolio), year, today or timezone.localdate())


def dashboard(user: Any, portfolio: Portfolio | None = None, *, today: dt.date | None = None) -> Dashboard:
    today = today or timezone.localdate()
    projects = running_projects(user, portfolio)
    rows = sorted(health_rows(user, projects), key=lambda r: (SEVERITY.get(r.overall, 3), r.project.code))
    top = None
    if risks.sees_risks(user):
        qs = risks.in_portfolio(portfolio) if portfolio else risks.base()
        # Only open threats scored at least the TOP_N-th highest score can be top risks (risks.top orders by
        # score first): rows of the others, thousands in a large portfolio, would be built for nothing.
        qs = risks.visible(
            user,
            qs.filter(Q(project__isnull=True) | Q(project__in=projects)).filter(
                status=Risk.Status.OPEN, kind=Risk.Kind.THREAT
            ),
        )
        cut = list(qs.order_by("-score").values_list("score", flat=True)[risks.TOP_N - 1 : risks.TOP_N])
        top = risks.top(risks.rows(qs.filter(score__gte=cut[0]) if cut else qs))
    devs = None
    if changes.sees_control(user):
        devs = [
            d
            for d in changes.deviations(status="open", portfolio_id=portfolio.pk if portfolio else None)
            if d.project in projects
        ]
    gates = None
    try:
        from pmo.governance.selectors import open_reviews
    except ImportError:  # pragma: no cover - governance is part of the product
        open_reviews = None  # type: ignore[assignment]
    if open_reviews is not None:
        gates = [g for g in open_reviews(portfolio=portfolio) if g.planned_date < today and g.project in projects]
    totals = {
        "budget": sum((r.budget for r in rows), Decimal("0.00")),
        "actual": sum((r.actual for r in rows), Decimal("0.00")),
        "eac": sum((r.eac or r.budget for r in rows), Decimal("0.00")),
        "exposure": sum((r.exposure for r in rows), Decimal("0.00")),
    }
    funnel, aside = pipeline(user, portfolio)
    return Dashboard(
        portfolio=portfolio,
        today=today,
        rows=rows,
        years=money_by_year(projects, today),
        funnel=funnel,
        set_aside=aside,
        milestones=milestones(projects, today),
        capacity=capacity_summary(user, today),
        top_risks=top,
        deviations=devs,
        overdue_gates=gates,
        benefits=[b for b in benefits(portfolio) or [] if b.project_id in {p.pk for p in projects}],
        totals=totals,
    )
