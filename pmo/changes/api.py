"""The API of status reports, thresholds, deviations, issues and change requests."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from ninja import Query, Router, Schema
from pydantic import Field

from pmo.api.schemas import ERRORS, CodeRef, Id, Ref, code_ref, ref
from pmo.changes import notifications, selectors, services
from pmo.changes.models import (
    ChangeRequest,
    Deviation,
    Issue,
    Metric,
    Notification,
    NotificationKind,
    Rag,
    StatusReport,
)
from pmo.core.access import can
from pmo.core.errors import ValidationFailed
from pmo.portfolio.models import Portfolio, Priority, Project
from pmo.resources.models import Person

router = Router(tags=["control: status and change"])


def _control(request: HttpRequest) -> None:
    if not selectors.sees_control(request.user):
        raise PermissionDenied("Status reports, issues and changes are for the project team and the PMO.")


def _project(request: HttpRequest, pk: int) -> Project:
    _control(request)
    project = Project.objects.select_related("portfolio").filter(pk=pk).first()
    if project is None:
        raise Http404(f"No project with id {pk}.")
    return project


def _get(request: HttpRequest, model: Any, pk: int) -> Any:
    _control(request)
    obj = model.objects.filter(pk=pk).first()
    if obj is None:
        raise Http404(f"No {model._meta.verbose_name} with id {pk}.")
    return obj


def _person(pk: int | None, field: str) -> Person | None:
    if pk is None:
        return None
    person = Person.objects.filter(pk=pk).first()
    if person is None:
        raise ValidationFailed({field: f"No person with id {pk}."})
    return person


# --- status reports --------------------------------------------------------------------------------


class StatusReportOut(Schema):
    id: int
    project: CodeRef
    period: dt.date
    state: StatusReport.State
    schedule_rag: str
    cost_rag: str
    scope_rag: str
    risk_rag: str
    overall_rag: str
    suggested: dict[str, str | None]
    override_comments: dict[str, str]
    metrics: dict[str, Any]
    narrative: str
    achievements: str
    next_steps: str
    decisions_needed: str
    submitted_at: dt.datetime | None
    submitted_by: str | None
    version: int


def report_out(r: StatusReport) -> dict[str, Any]:
    return {
        "id": r.pk,
        "project": code_ref(r.project),
        "period": r.period,
        "state": r.state,
        **{f"{d}_rag": getattr(r, f"{d}_rag") for d in ("schedule", "cost", "scope", "risk", "overall")},
        "suggested": r.suggested,
        "override_comments": r.override_comments,
        "metrics": r.metrics,
        "narrative": r.narrative,
        "achievements": r.achievements,
        "next_steps": r.next_steps,
        "decisions_needed": r.decisions_needed,
        "submitted_at": r.submitted_at,
        "submitted_by": r.submitted_by.get_username() if r.submitted_by_id else None,
        "version": r.version,
    }


class StatusReportIn(Schema):
    period: dt.date | None = Field(None, description="Any day of the reporting month; default: the current month")


class StatusReportPatch(Schema):
    schedule_rag: Rag | None = None
    cost_rag: Rag | None = None
    scope_rag: Rag | None = None
    risk_rag: Rag | None = None
    overall_rag: Rag | None = None
    override_comments: dict[str, str] | None = Field(
        None, description='Why a RAG differs from the suggestion, per dimension: {"cost": "..."}'
    )
    narrative: str | None = None
    achievements: str | None = None
    next_steps: str | None = None
    decisions_needed: str | None = None
    version: int | None = None


@router.get(
    "/projects/{int:pk}/status-reports",
    response={200: list[StatusReportOut], **ERRORS},
    operation_id="status_reports_list",
    summary="A project's status reports, newest period first",
)
def list_reports(request: HttpRequest, pk: int) -> Any:
    return [report_out(r) for r in selectors.reports_of(_project(request, pk))]


@router.post(
    "/projects/{int:pk}/status-reports",
    response={201: StatusReportOut, **ERRORS},
    operation_id="status_reports_create",
    summary="Start a draft report with the suggested RAG",
)
def create_report(request: HttpRequest, pk: int, payload: StatusReportIn) -> Any:
    report = services.status_report_create(actor=request.user, project=_project(request, pk), period=payload.period)
    return 201, report_out(report)


@router.get("/status-reports/{int:pk}", response={200: StatusReportOut, **ERRORS}, operation_id="status_reports_get")
def get_report(request: HttpRequest, pk: int) -> Any:
    return report_out(_get(request, StatusReport, pk))


@router.patch(
    "/status-reports/{int:pk}",
    response={200: StatusReportOut, **ERRORS},
    operation_id="status_reports_update",
    summary="Edit a draft; a RAG other than the suggested one needs an override comment",
)
def patch_report(request: HttpRequest, pk: int, payload: StatusReportPatch) -> Any:
    report = _get(request, StatusReport, pk)
    data = payload.dict(exclude_unset=True)
    version = data.pop("version", None)
    comments = data.pop("override_comments", None)
    report = services.status_report_update(
        actor=request.user, report=report, expected_version=version, override_comments=comments, **data
    )
    return report_out(report)


@router.post(
    "/status-reports/{int:pk}/submit",
    response={200: StatusReportOut, **ERRORS},
    operation_id="status_reports_submit",
    summary="Submit a draft (updates the project's health and runs the deviation check)",
)
def submit_report(request: HttpRequest, pk: int) -> Any:
    return report_out(services.status_report_submit(actor=request.user, report=_get(request, StatusReport, pk)))


class MissingOut(Schema):
    project: CodeRef
    portfolio: CodeRef
    manager: Ref | None
    draft_id: int | None
    last_submitted_period: dt.date | None


@router.get(
    "/status-reports/missing",
    response={200: list[MissingOut], **ERRORS},
    operation_id="status_reports_missing",
    summary="Running projects without a submitted report for the period (default: current month)",
)
def missing(request: HttpRequest, period: dt.date | None = None) -> Any:
    _control(request)
    chosen = selectors.period_of(period or selectors.current_period())
    return [
        {
            "project": code_ref(row.project),
            "portfolio": code_ref(portfolio),
            "manager": ref(row.project.manager),
            "draft_id": row.draft.pk if row.draft else None,
            "last_submitted_period": row.last_submitted.period if row.last_submitted else None,
        }
        for portfolio, rows in selectors.missing_reports(chosen).items()
        for row in rows
    ]


# --- thresholds and deviations ---------------------------------------------------------------------


class ThresholdOut(Schema):
    metric: Metric
    label: str
    amber: Decimal
    red: Decimal
    lower_is_worse: bool


class ThresholdIn(Schema):
    metric: Metric
    amber: Decimal = Field(ge=0)
    red: Decimal = Field(ge=0)


def _thresholds_out(portfolio: Portfolio) -> list[dict[str, Any]]:
    from pmo.changes.rag import LOWER_IS_WORSE

    rules = selectors.thresholds_for(portfolio.pk)
    return [
        {
            "metric": m,
            "label": label,
            "amber": rules[m].amber,
            "red": rules[m].red,
            "lower_is_worse": m in LOWER_IS_WORSE,
        }
        for m, label in Metric.choices
    ]


def _portfolio(request: HttpRequest, pk: int) -> Portfolio:
    _control(request)
    portfolio = Portfolio.objects.filter(pk=pk).first()
    if portfolio is None:
        raise Http404(f"No portfolio with id {pk}.")
    return portfolio


@router.get(
    "/portfolios/{int:pk}/thresholds",
    response={200: list[ThresholdOut], **ERRORS},
    operation_id="thresholds_get",
    summary="The portfolio's thresholds (defaults where not set)",
)
def get_thresholds(request: HttpRequest, pk: int) -> Any:
    return _thresholds_out(_portfolio(request, pk))


@router.put(
    "/portfolios/{int:pk}/thresholds",
    response={200: list[ThresholdOut], **ERRORS},
    operation_id="thresholds_set",
    summary="Set thresholds (the metrics given; others keep theirs)",
)
def put_thresholds(request: HttpRequest, pk: int, payload: list[ThresholdIn]) -> Any:
    portfolio = _portfolio(request, pk)
    services.thresholds_set(
        actor=request.user, portfolio=portfolio, values={t.metric: (t.amber, t.red) for t in payload}
    )
    return _thresholds_out(portfolio)


class ChangeDeviationOut(Schema):
    id: int
    project: CodeRef
    metric: Metric
    value: Decimal
    threshold: Decimal
    severity: Rag
    status: Deviation.Status
    raised_at: dt.datetime
    closed_at: dt.datetime | None
    note: str


def deviation_out(d: Deviation) -> dict[str, Any]:
    return {
        "id": d.pk,
        "project": code_ref(d.project),
        "metric": d.metric,
        "value": d.value,
        "threshold": d.threshold,
        "severity": d.severity,
        "status": d.status,
        "raised_at": d.raised_at,
        "closed_at": d.closed_at,
        "note": d.note,
    }


class DeviationFilters(Schema):
    status: str | None = Field(
        "active", description="open, acknowledged, closed, active (open or acknowledged), or empty for all"
    )
    portfolio_id: int | None = None
    project_id: int | None = None


@router.get("/deviations", response={200: list[ChangeDeviationOut], **ERRORS}, operation_id="deviations_list")
def list_deviations(request: HttpRequest, filters: Query[DeviationFilters]) -> Any:
    _control(request)
    qs = selectors.deviations(filters.status or None, filters.portfolio_id)
    if filters.project_id:
        qs = qs.filter(project_id=filters.project_id)
    return [deviation_out(d) for d in qs]


class CheckIn(Schema):
    project_id: int | None = Field(
        None, description="One project (its lead may check it); default: every running project (PMO)"
    )


class CheckOut(Schema):
    raised: int
    updated: int
    closed: int


@router.post(
    "/deviations/check",
    response={200: CheckOut, **ERRORS},
    operation_id="deviations_check",
    summary="Judge projects against their thresholds: raise, update and close deviations (idempotent)",
)
def check(request: HttpRequest, payload: CheckIn) -> Any:
    _control(request)
    if payload.project_id is not None:
        project = _project(request, payload.project_id)
        if not can(request.user, "add", Deviation) and not can(request.user, "change", project):
            raise PermissionDenied("You are not allowed to check this project.")
        return services.deviations_check(actor=request.user, projects=[project])
    return services.deviations_check(actor=request.user)


class AcknowledgeIn(Schema):
    note: str


@router.post(
    "/deviations/{int:pk}/acknowledge",
    response={200: ChangeDeviationOut, **ERRORS},
    operation_id="deviations_acknowledge",
)
def acknowledge(request: HttpRequest, pk: int, payload: AcknowledgeIn) -> Any:
    deviation = _get(request, Deviation, pk)
    return deviation_out(services.deviation_acknowledge(actor=request.user, deviation=deviation, note=payload.note))


# --- issues -----------------------------------------------------------------------------------------


class IssueOut(Schema):
    id: int
    project: CodeRef
    title: str
    description: str
    owner: Ref | None
    priority: Priority
    due_date: dt.date | None
    status: Issue.Status
    overdue: bool
    escalation: str
    escalation_reason: str
    resolution: str
    version: int


def issue_out(i: Issue) -> dict[str, Any]:
    return {
        "id": i.pk,
        "project": code_ref(i.project),
        "title": i.title,
        "description": i.description,
        "owner": ref(i.owner),
        "priority": i.priority,
        "due_date": i.due_date,
        "status": i.status,
        "overdue": selectors.is_overdue(i),
        "escalation": i.escalation,
        "escalation_reason": i.escalation_reason,
        "resolution": i.resolution,
        "version": i.version,
    }


class IssueIn(Schema):
    title: str = Field(min_length=1, max_length=200)
    description: str = ""
    owner_id: int | None = None
    priority: Priority = Priority.MEDIUM
    due_date: dt.date | None = None


class IssuePatch(Schema):
    title: str | None = Field(None, min_length=1, max_length=200)
    description: str | None = None
    owner_id: int | None = None
    priority: Priority | None = None
    due_date: dt.date | None = None
    status: Issue.Status | None = None
    resolution: str | None = None
    version: int | None = None


class EscalateIn(Schema):
    level: Issue.Escalation = Field(description='"program", "portfolio", or "" to take the escalation back')
    reason: str = ""


@router.get("/projects/{int:pk}/issues", response={200: list[IssueOut], **ERRORS}, operation_id="issues_list")
def list_issues(request: HttpRequest, pk: int) -> Any:
    return [issue_out(i) for i in selectors.issues_of(_project(request, pk))]


@router.post("/projects/{int:pk}/issues", response={201: IssueOut, **ERRORS}, operation_id="issues_create")
def create_issue(request: HttpRequest, pk: int, payload: IssueIn) -> Any:
    project = _project(request, pk)
    data = payload.dict()
    data["owner"] = _person(data.pop("owner_id"), "owner_id")
    return 201, issue_out(services.issue_create(actor=request.user, project=project, **data))


@router.patch("/issues/{int:pk}", response={200: IssueOut, **ERRORS}, operation_id="issues_update")
def patch_issue(request: HttpRequest, pk: int, payload: IssuePatch) -> Any:
    issue = _get(request, Issue, pk)
    data = payload.dict(exclude_unset=True)
    version = data.pop("version", None)
    if "owner_id" in data:
        data["owner"] = _person(data.pop("owner_id"), "owner_id")
    return issue_out(services.issue_update(actor=request.user, issue=issue, expected_version=version, **data))


@router.post("/issues/{int:pk}/escalate", response={200: IssueOut, **ERRORS}, operation_id="issues_escalate")
def escalate_issue(request: HttpRequest, pk: int, payload: EscalateIn) -> Any:
    issue = _get(request, Issue, pk)
    return issue_out(
        services.issue_escalate(actor=request.user, issue=issue, level=payload.level, reason=payload.reason)
    )


# --- change requests -------------------------------------------------------------------------------


class ChangeOut(Schema):
    id: int
    code: str
    project: CodeRef
    title: str
    description: str
    reason: str
    cost_impact: Decimal | None
    schedule_impact_days: int
    scope_impact: str
    benefits_impact: str
    requested_by: Ref | None
    state: ChangeRequest.State
    assessment: str
    decision_comment: str
    decided_by: str | None
    decided_at: dt.datetime | None
    budget_before: Decimal | None
    budget_after: Decimal | None
    finish_before: dt.date | None
    finish_after: dt.date | None
    baseline: Ref | None
    version: int


def change_out(c: ChangeRequest, user: Any) -> dict[str, Any]:
    money = can(user, "view_financials", c.project)
    return {
        "id": c.pk,
        "code": c.code,
        "project": code_ref(c.project),
        "title": c.title,
        "description": c.description,
        "reason": c.reason,
        "cost_impact": c.cost_impact if money else None,
        "schedule_impact_days": c.schedule_impact_days,
        "scope_impact": c.scope_impact,
        "benefits_impact": c.benefits_impact,
        "requested_by": ref(c.requested_by),
        "state": c.state,
        "assessment": c.assessment,
        "decision_comment": c.decision_comment,
        "decided_by": c.decided_by.get_username() if c.decided_by_id else None,
        "decided_at": c.decided_at,
        "budget_before": c.budget_before if money else None,
        "budget_after": c.budget_after if money else None,
        "finish_before": c.finish_before,
        "finish_after": c.finish_after,
        "baseline": ref(c.baseline),
        "version": c.version,
    }


class ChangeIn(Schema):
    title: str = Field(min_length=1, max_length=200)
    description: str = ""
    reason: str = ""
    cost_impact: Decimal = Decimal("0")
    schedule_impact_days: int = 0
    scope_impact: str = ""
    benefits_impact: str = ""
    requested_by_id: int | None = None


class ChangePatch(Schema):
    title: str | None = Field(None, min_length=1, max_length=200)
    description: str | None = None
    reason: str | None = None
    cost_impact: Decimal | None = None
    schedule_impact_days: int | None = None
    scope_impact: str | None = None
    benefits_impact: str | None = None
    requested_by_id: int | None = None
    version: int | None = None


class AssessIn(Schema):
    assessment: str
    cost_impact: Decimal | None = None
    schedule_impact_days: int | None = None


class ChangeDecideIn(Schema):
    decision: str = Field(description='"approved", "rejected" or "deferred"')
    comment: str


@router.get(
    "/projects/{int:pk}/change-requests", response={200: list[ChangeOut], **ERRORS}, operation_id="change_requests_list"
)
def list_changes(request: HttpRequest, pk: int) -> Any:
    project = _project(request, pk)
    return [change_out(c, request.user) for c in ChangeRequest.objects.filter(project=project)]


@router.post(
    "/projects/{int:pk}/change-requests", response={201: ChangeOut, **ERRORS}, operation_id="change_requests_create"
)
def create_change(request: HttpRequest, pk: int, payload: ChangeIn) -> Any:
    project = _project(request, pk)
    data = payload.dict()
    data["requested_by"] = _person(data.pop("requested_by_id"), "requested_by_id")
    return 201, change_out(services.change_request_create(actor=request.user, project=project, **data), request.user)


@router.get("/change-requests/{int:pk}", response={200: ChangeOut, **ERRORS}, operation_id="change_requests_get")
def get_change(request: HttpRequest, pk: int) -> Any:
    return change_out(_get(request, ChangeRequest, pk), request.user)


@router.patch("/change-requests/{int:pk}", response={200: ChangeOut, **ERRORS}, operation_id="change_requests_update")
def patch_change(request: HttpRequest, pk: int, payload: ChangePatch) -> Any:
    change = _get(request, ChangeRequest, pk)
    data = payload.dict(exclude_unset=True)
    version = data.pop("version", None)
    if "requested_by_id" in data:
        data["requested_by"] = _person(data.pop("requested_by_id"), "requested_by_id")
    change = services.change_request_update(actor=request.user, change=change, expected_version=version, **data)
    return change_out(change, request.user)


@router.post(
    "/change-requests/{int:pk}/assess",
    response={200: ChangeOut, **ERRORS},
    operation_id="change_requests_assess",
    summary="The project manager's assessment: sends it to the board",
)
def assess_change(request: HttpRequest, pk: int, payload: AssessIn) -> Any:
    change = _get(request, ChangeRequest, pk)
    impacts = {k: v for k, v in payload.dict().items() if k != "assessment" and v is not None}
    change = services.change_request_assess(actor=request.user, change=change, assessment=payload.assessment, **impacts)
    return change_out(change, request.user)


@router.post(
    "/change-requests/{int:pk}/decide",
    response={200: ChangeOut, **ERRORS},
    operation_id="change_requests_decide",
    summary="The change board approves, rejects or defers (approval: new budget and baseline)",
)
def decide_change(request: HttpRequest, pk: int, payload: ChangeDecideIn) -> Any:
    change = _get(request, ChangeRequest, pk)
    change = services.change_request_decide(
        actor=request.user, change=change, decision=payload.decision, comment=payload.comment
    )
    return change_out(change, request.user)


@router.get(
    "/change-board",
    response={200: list[ChangeOut], **ERRORS},
    operation_id="change_board",
    summary="Change requests awaiting the board, oldest first",
)
def board(request: HttpRequest) -> Any:
    _control(request)
    return [change_out(c, request.user) for c in selectors.board_queue(request.user)]


# --- notifications ---------------------------------------------------------------------------------


class NotificationOut(Schema):
    id: int
    kind: str
    message: str
    url: str
    created_at: dt.datetime
    read: bool


class PreferencesIn(Schema):
    email: dict[str, bool] = Field(description="kinds to e-mail (true) or keep in the inbox only (false)")


class PreferencesOut(Schema):
    email: dict[str, bool] = Field(description="for every kind, whether it also comes by e-mail")
    kinds: dict[str, str] = Field(description="the kinds and what they cover")


class ReadIn(Schema):
    ids: list[Id] | None = Field(None, description="Default: all")


@router.get(
    "/notifications",
    response={200: list[NotificationOut], **ERRORS},
    operation_id="notifications_list",
    summary="Your notifications, newest first",
)
def list_notifications(request: HttpRequest, unread: bool = False) -> Any:
    qs = Notification.objects.filter(recipient_id=request.user.pk)
    if unread:
        qs = qs.filter(read_at__isnull=True)
    return [
        {
            "id": n.pk,
            "kind": n.kind,
            "message": n.message,
            "url": n.url,
            "created_at": n.created_at,
            "read": n.read_at is not None,
        }
        for n in qs[:200]
    ]


def _preferences(user: Any) -> dict[str, Any]:
    chosen = notifications.email_kinds(user)
    return {
        "email": {kind: kind in chosen for kind in NotificationKind.values},
        "kinds": dict(NotificationKind.choices),
    }


@router.get(
    "/notifications/preferences",
    response={200: PreferencesOut, **ERRORS},
    operation_id="notification_preferences_read",
    summary="Which kinds of notification also come to you by e-mail",
)
def read_preferences(request: HttpRequest) -> Any:
    return _preferences(request.user)


@router.put(
    "/notifications/preferences",
    response={200: PreferencesOut, **ERRORS},
    operation_id="notification_preferences_set",
    summary="Choose which kinds of notification also come to you by e-mail (kinds left out keep their setting)",
)
def set_preferences(request: HttpRequest, payload: PreferencesIn) -> Any:
    notifications.preferences_set(user=request.user, email=payload.email)
    return _preferences(request.user)


@router.post("/notifications/read", response={200: dict[str, int], **ERRORS}, operation_id="notifications_read")
def read_notifications(request: HttpRequest, payload: ReadIn) -> Any:
    return {"marked_read": services.notifications_read(user=request.user, ids=payload.ids)}
