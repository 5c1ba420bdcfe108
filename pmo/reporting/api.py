"""The API of reporting: the dashboard's figures and the roadmap as JSON, reports produced and downloaded,
the archive, and scheduled-report subscriptions."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest
from ninja import Query, Router, Schema

from pmo.api.schemas import ERRORS, CodeRef, code_ref
from pmo.core.access import can, require
from pmo.core.errors import ValidationFailed
from pmo.portfolio.models import Portfolio, Program, Project
from pmo.reporting import reports, services
from pmo.reporting.dashboard import dashboard, sees_dashboard, year_breakdown
from pmo.reporting.models import ReportArchive, ReportFormat, ReportSubscription
from pmo.reporting.roadmap import roadmap
from pmo.reporting.selectors import visible_archives

router = Router(tags=["Reporting"])


def _need(request: HttpRequest) -> None:
    if not sees_dashboard(request.user):
        raise PermissionDenied("The dashboard and reports are for the PMO, managers and executives.")


def _portfolio(request: HttpRequest, code: str | None, field: str = "portfolio") -> Portfolio | None:
    if not code:
        return None
    found = Portfolio.objects.filter(code__iexact=code).first()
    if found is None or not can(request.user, "view", found):
        raise ValidationFailed({field: f"No portfolio {code!r}."})
    return found


# --- dashboard ----------------------------------------------------------------------------------------------


class HealthOut(Schema):
    project: CodeRef
    url: str
    state: str
    schedule: str
    cost: str
    scope: str
    risk: str
    overall: str
    source: str
    report_period: dt.date | None
    earned_value: str
    budget: Decimal
    actual: Decimal
    eac: Decimal | None
    value_npv: Decimal | None
    risk_exposure: Decimal


class YearOut(Schema):
    year: int
    budget: Decimal
    actual: Decimal
    forecast: Decimal


class StageOut(Schema):
    state: str
    label: str
    count: int
    cost: Decimal


class MilestoneOut(Schema):
    project: CodeRef
    name: str
    date: dt.date
    status: str


class TopRiskOut(Schema):
    id: int
    code: str
    title: str
    in_register: str
    score: int
    rating: str
    expected_cost: Decimal


class DeviationOut(Schema):
    id: int
    project: CodeRef
    metric: str
    value: Decimal
    threshold: Decimal
    severity: str
    raised_at: dt.datetime


class GateOut(Schema):
    id: int
    project: CodeRef
    gate: str
    planned_date: dt.date
    days_late: int


class DashboardOut(Schema):
    portfolio: CodeRef | None
    today: dt.date
    totals: dict[str, Decimal]
    counts: dict[str, int]
    health: list[HealthOut]
    money_by_year: list[YearOut]
    pipeline: list[StageOut]
    set_aside: list[StageOut]
    milestones: list[MilestoneOut]
    top_risks: list[TopRiskOut] | None
    deviations: list[DeviationOut] | None
    overdue_gates: list[GateOut] | None
    capacity: dict[str, Any] | None
    benefits: list[dict[str, Any]]


def dashboard_out(board: Any) -> dict[str, Any]:
    return {
        "portfolio": code_ref(board.portfolio),
        "today": board.today,
        "totals": board.totals,
        "counts": {"projects": len(board.rows), "red": board.red, "amber": board.amber, "green": board.green},
        "health": [
            {
                "project": code_ref(r.project),
                "url": r.url,
                "state": r.project.state,
                "schedule": r.schedule,
                "cost": r.cost,
                "scope": r.scope,
                "risk": r.risk,
                "overall": r.overall,
                "source": r.source,
                "report_period": r.period,
                "earned_value": r.performance,
                "budget": r.budget,
                "actual": r.actual,
                "eac": r.eac,
                "value_npv": r.value,
                "risk_exposure": r.exposure,
            }
            for r in board.rows
        ],
        "money_by_year": [vars(y) for y in board.years],
        "pipeline": [vars(s) for s in board.funnel],
        "set_aside": [vars(s) for s in board.set_aside],
        "milestones": [
            {"project": code_ref(m.project), "name": m.name, "date": m.day, "status": m.status}
            for m in board.milestones
        ],
        "top_risks": None
        if board.top_risks is None
        else [
            {
                "id": r.risk.pk,
                "code": r.risk.code,
                "title": r.risk.title,
                "in_register": r.register,
                "score": r.risk.score,
                "rating": r.rating,
                "expected_cost": r.exposure_money,
            }
            for r in board.top_risks
        ],
        "deviations": None
        if board.deviations is None
        else [
            {
                "id": d.pk,
                "project": code_ref(d.project),
                "metric": d.metric,
                "value": d.value,
                "threshold": d.threshold,
                "severity": d.severity,
                "raised_at": d.raised_at,
            }
            for d in board.deviations
        ],
        "overdue_gates": None
        if board.overdue_gates is None
        else [
            {
                "id": g.pk,
                "project": code_ref(g.project),
                "gate": g.phase.name,
                "planned_date": g.planned_date,
                "days_late": (board.today - g.planned_date).days,
            }
            for g in board.overdue_gates
        ],
        "capacity": None
        if board.capacity is None
        else {"months": [m.isoformat() for m in board.capacity["months"]], "rows": board.capacity["rows"]},
        "benefits": [
            {
                "project": b.code,
                "planned_value": b.planned_value,
                "realised_value": b.realised_value,
                "currency": b.currency,
                "progress": b.progress,
            }
            for b in board.benefits or []
        ],
    }


@router.get("/dashboard", response={200: DashboardOut, **ERRORS}, operation_id="reporting_dashboard")
def get_dashboard(request: HttpRequest, portfolio: str | None = None) -> dict[str, Any]:
    """The executive dashboard's figures for one portfolio (its code) or for all, as the caller may see them."""
    _need(request)
    return dashboard_out(dashboard(request.user, _portfolio(request, portfolio)))


class ProjectYearOut(Schema):
    project: CodeRef
    url: str
    budget: Decimal
    actual: Decimal
    forecast: Decimal
    variance: Decimal


class YearBreakdownOut(Schema):
    portfolio: CodeRef | None
    year: int
    total: YearOut
    variance: Decimal
    projects: list[ProjectYearOut]


@router.get(
    "/dashboard/years/{int:year}",
    response={200: YearBreakdownOut, **ERRORS},
    operation_id="reporting_dashboard_year",
)
def get_dashboard_year(request: HttpRequest, year: int, portfolio: str | None = None) -> dict[str, Any]:
    """One year of the dashboard's budget/actual/forecast chart by project (variance = budget - forecast), for
    the same projects as the dashboard; the totals are the chart's figures for that year."""
    _need(request)
    scope = _portfolio(request, portfolio)
    breakdown = year_breakdown(request.user, scope, year)
    return {
        "portfolio": code_ref(scope),
        "year": breakdown.year,
        "total": vars(breakdown.total),
        "variance": breakdown.variance,
        "projects": [
            {
                "project": code_ref(r.project),
                "url": r.url,
                "budget": r.budget,
                "actual": r.actual,
                "forecast": r.forecast,
                "variance": r.variance,
            }
            for r in breakdown.rows
        ],
    }


# --- roadmap ------------------------------------------------------------------------------------------------


class LaneOut(Schema):
    project: CodeRef
    state: str
    planned_start: dt.date | None
    planned_finish: dt.date | None
    start: dt.date | None
    forecast_finish: dt.date | None
    slip_days: int | None


class LinkOut(Schema):
    id: int
    provider: CodeRef
    provider_task: str
    consumer: CodeRef
    consumer_task: str
    needed_by: dt.date
    forecast: dt.date
    late: bool
    days_late: int


class RoadmapOut(Schema):
    today: dt.date
    lanes: list[LaneOut]
    links: list[LinkOut]


@router.get("/roadmap", response={200: RoadmapOut, **ERRORS}, operation_id="reporting_roadmap")
def get_roadmap(request: HttpRequest, portfolio: str | None = None, program: str | None = None) -> dict[str, Any]:
    """Every project of a portfolio or program (codes) on one timeline, and their cross-project links."""
    _need(request)
    prog = None
    if program:
        prog = Program.objects.filter(code__iexact=program).first()
        if prog is None or not can(request.user, "view", prog):
            raise ValidationFailed({"program": f"No program {program!r}."})
    road = roadmap(request.user, portfolio=_portfolio(request, portfolio), program=prog)
    return {
        "today": road.today,
        "lanes": [
            {
                "project": code_ref(lane.project),
                "state": lane.project.state,
                "planned_start": lane.planned_start,
                "planned_finish": lane.planned_finish,
                "start": lane.start,
                "forecast_finish": lane.finish,
                "slip_days": lane.slip_days,
            }
            for lane in road.lanes
        ],
        "links": [
            {
                "id": link.pk,
                "provider": code_ref(link.provider.project),
                "provider_task": link.provider.name,
                "consumer": code_ref(link.consumer.project),
                "consumer_task": link.consumer.name,
                "needed_by": link.needed_by,
                "forecast": link.provided,
                "late": link.late,
                "days_late": link.days_late,
            }
            for link in road.links
        ],
    }


# --- reports ------------------------------------------------------------------------------------------------


class ArchiveOut(Schema):
    id: int
    kind: str
    title: str
    format: str
    portfolio: CodeRef | None
    project: CodeRef | None
    period_start: dt.date
    period_end: dt.date
    size: int
    created_at: dt.datetime
    subscription_id: int | None
    download_url: str


def archive_out(a: ReportArchive) -> dict[str, Any]:
    return {
        "id": a.pk,
        "kind": a.kind,
        "title": a.title,
        "format": a.format,
        "portfolio": code_ref(a.portfolio),
        "project": code_ref(a.project),
        "period_start": a.period_start,
        "period_end": a.period_end,
        "size": a.size,
        "created_at": a.created_at,
        "subscription_id": a.subscription_id,
        "download_url": f"/api/v1/reports/{a.pk}/download",
    }


class ReportIn(Schema):
    portfolio: str | None = None
    project: str | None = None
    format: ReportFormat = ReportFormat.PDF
    period_start: dt.date | None = None
    period_end: dt.date | None = None


@router.post("/reports", response={201: ArchiveOut, **ERRORS}, operation_id="reports_create")
def create_report(request: HttpRequest, data: ReportIn) -> tuple[int, dict[str, Any]]:
    """Produce and archive a report: the consolidated status report of a portfolio (or all) for a period,
    or — with `project` (its code) — that project's status report (PDF only)."""
    _need(request)
    if data.project:
        project = Project.objects.filter(code__iexact=data.project).first()
        if project is None or not can(request.user, "view", project):
            raise ValidationFailed({"project": f"No project {data.project!r}."})
        if data.format != ReportFormat.PDF:
            raise ValidationFailed({"format": "A project status report is a PDF."})
        return 201, archive_out(services.project_report_generate(actor=request.user, project=project))
    archive = services.report_generate(
        actor=request.user,
        portfolio=_portfolio(request, data.portfolio),
        fmt=str(data.format),
        period_start=data.period_start,
        period_end=data.period_end,
    )
    return 201, archive_out(archive)


@router.get("/reports", response={200: list[ArchiveOut], **ERRORS}, operation_id="reports_list")
def list_reports(request: HttpRequest) -> list[dict[str, Any]]:
    """The archived reports the caller may download, the newest first (up to 100)."""
    _need(request)
    return [archive_out(a) for a in visible_archives(request.user)[:100]]


@router.get("/reports/{int:pk}/download", response={200: None, **ERRORS}, operation_id="reports_download")
def download_report(request: HttpRequest, pk: int) -> FileResponse:
    archive = ReportArchive.objects.select_related("subscription").filter(pk=pk).first()
    if archive is None or not can(request.user, "view", archive):
        raise Http404(f"No report with id {pk}.")
    try:
        handle = archive.file.open("rb")
    except FileNotFoundError as error:
        raise Http404("The report's file is missing from the storage.") from error
    return FileResponse(
        handle, as_attachment=True, filename=archive.filename, content_type=reports.CONTENT_TYPES[archive.format]
    )


# --- subscriptions --------------------------------------------------------------------------------------------


class SubscriptionOut(Schema):
    id: int
    version: int
    user: str
    portfolio: CodeRef | None
    frequency: str
    format: str
    active: bool
    next_run: dt.date
    last_run: dt.datetime | None


class SubscriptionIn(Schema):
    portfolio: str | None = None
    frequency: ReportSubscription.Frequency = ReportSubscription.Frequency.MONTHLY
    format: ReportFormat = ReportFormat.PDF


class SubscriptionPatch(Schema):
    version: int
    portfolio: str | None = None
    frequency: ReportSubscription.Frequency | None = None
    format: ReportFormat | None = None
    active: bool | None = None


def subscription_out(s: ReportSubscription) -> dict[str, Any]:
    return {
        "id": s.pk,
        "version": s.version,
        "user": s.user.get_username(),
        "portfolio": code_ref(s.portfolio),
        "frequency": s.frequency,
        "format": s.format,
        "active": s.active,
        "next_run": s.next_run,
        "last_run": s.last_run,
    }


def _subscription(request: HttpRequest, pk: int) -> ReportSubscription:
    s = ReportSubscription.objects.select_related("user", "portfolio").filter(pk=pk).first()
    if s is None or not can(request.user, "view", s):
        raise Http404(f"No subscription with id {pk}.")
    return s


@router.get("/report-subscriptions", response={200: list[SubscriptionOut], **ERRORS}, operation_id="subscriptions_list")
def list_subscriptions(request: HttpRequest, all: bool = Query(False)) -> list[dict[str, Any]]:
    """The caller's subscriptions (`all=true`: everyone's, for the PMO director)."""
    _need(request)
    qs = ReportSubscription.objects.select_related("user", "portfolio")
    if not all:
        qs = qs.filter(user=request.user)
    return [subscription_out(s) for s in qs if can(request.user, "view", s)]


@router.post("/report-subscriptions", response={201: SubscriptionOut, **ERRORS}, operation_id="subscriptions_create")
def create_subscription(request: HttpRequest, data: SubscriptionIn) -> tuple[int, dict[str, Any]]:
    _need(request)
    s = services.subscription_create(
        actor=request.user,
        portfolio=_portfolio(request, data.portfolio),
        frequency=str(data.frequency),
        fmt=str(data.format),
    )
    return 201, subscription_out(s)


@router.patch(
    "/report-subscriptions/{int:pk}", response={200: SubscriptionOut, **ERRORS}, operation_id="subscriptions_update"
)
def update_subscription(request: HttpRequest, pk: int, data: SubscriptionPatch) -> dict[str, Any]:
    s = _subscription(request, pk)
    changes: dict[str, Any] = {}
    fields = data.model_fields_set
    if "portfolio" in fields:
        changes["portfolio"] = _portfolio(request, data.portfolio)
    for name in ("frequency", "format", "active"):
        if name in fields and getattr(data, name) is not None:
            value = getattr(data, name)
            changes[name] = value if isinstance(value, bool) else str(value)
    s = services.subscription_update(actor=request.user, subscription=s, changes=changes, expected_version=data.version)
    return subscription_out(s)


@router.delete("/report-subscriptions/{int:pk}", response={204: None, **ERRORS}, operation_id="subscriptions_delete")
def delete_subscription(request: HttpRequest, pk: int) -> tuple[int, None]:
    s = _subscription(request, pk)
    services.subscription_delete(actor=request.user, subscription=s)
    return 204, None


class RunOut(Schema):
    enqueued: list[int]


@router.post("/report-subscriptions/run-due", response={200: RunOut, **ERRORS}, operation_id="subscriptions_run_due")
def run_due(request: HttpRequest) -> dict[str, Any]:
    """Produce and send every subscription due today (what `pmo manage run_scheduled_reports` does)."""
    require(request.user, "run_subscriptions", ReportArchive)
    return {"enqueued": services.subscriptions_run_due()}
