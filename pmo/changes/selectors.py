"""Reads: the metrics a project is judged on, thresholds, who has not reported, escalations, the variance
history of approved changes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from pmo.changes.models import (
    OPEN_ISSUE_STATUSES,
    ChangeRequest,
    Deviation,
    Issue,
    Notification,
    StatusReport,
    Threshold,
)
from pmo.changes.rag import Rule, default_thresholds
from pmo.core.access import can, roles_of
from pmo.core.roles import Role
from pmo.portfolio.lifecycle import ACTIVE_STATES
from pmo.portfolio.models import Portfolio, Priority, Project

REPORTING_STATES = ("initiating", "planning", "executing", "on_hold", "closing")  # projects that must report


def period_of(day: dt.date) -> dt.date:
    """The reporting period (a calendar month, named by its first day) that `day` falls in."""
    return day.replace(day=1)


def current_period() -> dt.date:
    return period_of(timezone.localdate())


def previous_period(period: dt.date) -> dt.date:
    return period_of(period - dt.timedelta(days=1))


def thresholds_for(portfolio_id: int | None) -> dict[str, Rule]:
    """The portfolio's thresholds, with the defaults for metrics it has not set."""
    rules = default_thresholds()
    if portfolio_id is not None:
        for t in Threshold.objects.filter(portfolio_id=portfolio_id):
            rules[t.metric] = Rule(t.amber, t.red)
    return rules


def _evm(project: Project) -> Mapping[str, Any]:
    """SPI, CPI and SPI(t) from the project's latest earned-value snapshot ({} without one)."""
    from pmo.control.selectors import latest_metrics

    found = latest_metrics(project)
    if found is None:
        return {}
    return {name: None if found[name] is None else round(float(found[name]), 3) for name in ("spi", "cpi", "spi_t")}


def milestone_slip_days(project: Project) -> float | None:
    """How many working days the latest milestone is late against the latest baseline: the largest finish
    variance of the baseline's milestones (tasks of zero duration) in the current plan, never below 0.
    None without a baseline or a plan."""
    from pmo.planning.models import Baseline, Plan
    from pmo.planning.selectors import compare

    baseline = Baseline.objects.filter(project=project).order_by("-captured_at", "-id").first()
    if baseline is None or not Plan.objects.filter(project=project).exists():
        return None
    milestones = set(baseline.tasks.filter(duration_minutes=0).values_list("task_uid", flat=True))
    if not milestones:
        return None
    comparison = compare(project, baseline)
    slips = [
        row.finish_variance_days
        for row in comparison.rows
        if row.uid in milestones and row.finish_variance_days is not None
    ]
    return max([0.0, *slips]) if slips else None


def open_high_issues(project: Project) -> int:
    return Issue.objects.filter(project=project, status__in=OPEN_ISSUE_STATUSES, priority__lte=Priority.HIGH).count()


def pending_changes(project: Project) -> int:
    return ChangeRequest.objects.filter(project=project, state=ChangeRequest.State.ASSESSED).count()


def dependency_slip_days(project: Project) -> int | None:
    """How many days the latest deliverable of another project this project waits for is forecast after the
    date it is needed (the largest of its incoming cross-project links, 0 when all are on time); None when
    the project waits for nothing."""
    from pmo.planning.models import CrossProjectLink

    late = list(CrossProjectLink.objects.filter(consumer__project=project).values_list("late_days", flat=True))
    return max(late) if late else None


def project_metrics(project: Project) -> dict[str, Any]:
    """Everything the thresholds judge: {"spi", "cpi", "spi_t", "milestone_slip_days", "open_high_issues",
    "pending_changes", "dependency_slip_days"}; a metric that cannot be measured (no EVM snapshot, no
    baseline, no cross-project link) is None."""
    evm = _evm(project)
    return {
        "spi": evm.get("spi"),
        "cpi": evm.get("cpi"),
        "spi_t": evm.get("spi_t"),
        "milestone_slip_days": milestone_slip_days(project),
        "open_high_issues": open_high_issues(project),
        "pending_changes": pending_changes(project),
        "dependency_slip_days": dependency_slip_days(project),
    }


# --- visibility ------------------------------------------------------------------------------------


def sees_control(user: Any) -> bool:
    """Status, issues, deviations and changes are internal: requesters see none of it."""
    return can(user, "view", StatusReport)


def is_pmo(user: Any) -> bool:
    roles = roles_of(user)
    return bool(roles & {Role.PMO_DIRECTOR, Role.PORTFOLIO_MANAGER, Role.PMO_ANALYST})


def reports_of(project: Project) -> QuerySet[StatusReport]:
    return StatusReport.objects.filter(project=project).select_related("project", "submitted_by")


def issues_of(project: Project) -> QuerySet[Issue]:
    return Issue.objects.filter(project=project).select_related("project", "owner")


def is_overdue(issue: Issue, today: dt.date | None = None) -> bool:
    today = today or timezone.localdate()
    return issue.status in OPEN_ISSUE_STATUSES and issue.due_date is not None and issue.due_date < today


def escalated_issues(*, portfolio: Portfolio | None = None, program: Any = None) -> QuerySet[Issue]:
    """Open issues escalated to the program (shown on the program) or the portfolio (shown on both)."""
    qs = Issue.objects.filter(status__in=OPEN_ISSUE_STATUSES).exclude(escalation="")
    qs = qs.select_related("project", "owner")
    if program is not None:
        return qs.filter(project__program=program)
    if portfolio is not None:
        return qs.filter(project__portfolio=portfolio, escalation=Issue.Escalation.PORTFOLIO)
    return qs


def deviations(status: str | None = None, portfolio_id: int | None = None) -> QuerySet[Deviation]:
    qs = Deviation.objects.select_related("project", "project__portfolio", "project__manager").order_by(
        "-severity", "-raised_at", "-id"
    )
    if status == "active":
        qs = qs.exclude(status=Deviation.Status.CLOSED)
    elif status:
        qs = qs.filter(status=status)
    if portfolio_id:
        qs = qs.filter(project__portfolio_id=portfolio_id)
    return qs


def board_queue(user: Any) -> QuerySet[ChangeRequest]:
    """Change requests awaiting the board; decidable ones first for this user is left to the page."""
    return (
        ChangeRequest.objects.filter(state=ChangeRequest.State.ASSESSED)
        .select_related("project", "project__portfolio", "requested_by")
        .order_by("assessed_at", "id")
    )


@dataclass(frozen=True)
class MissingRow:
    project: Project
    draft: StatusReport | None
    last_submitted: StatusReport | None


def missing_reports(period: dt.date) -> dict[Portfolio, list[MissingRow]]:
    """Running projects without a submitted report for `period`, by portfolio (portfolios with none missing
    are left out)."""
    submitted = set(
        StatusReport.objects.filter(period=period, state=StatusReport.State.SUBMITTED).values_list(
            "project_id", flat=True
        )
    )
    drafts = {r.project_id: r for r in StatusReport.objects.filter(period=period, state=StatusReport.State.DRAFT)}
    projects = (
        Project.objects.filter(state__in=REPORTING_STATES)
        .exclude(pk__in=submitted)
        .select_related("portfolio", "manager")
        .order_by("portfolio__name", "code")
    )
    last: dict[int, StatusReport] = {}
    for report in StatusReport.objects.filter(
        state=StatusReport.State.SUBMITTED, project__in=projects, period__lt=period
    ).order_by("project_id", "-period"):
        last.setdefault(report.project_id, report)
    out: dict[Portfolio, list[MissingRow]] = {}
    for project in projects:
        out.setdefault(project.portfolio, []).append(MissingRow(project, drafts.get(project.pk), last.get(project.pk)))
    return out


def reporting_projects_count() -> int:
    return Project.objects.filter(state__in=REPORTING_STATES).count()


@dataclass(frozen=True)
class VarianceRow:
    change: ChangeRequest
    budget_delta: Decimal | None
    finish_delta_days: int | None
    baseline_finish_before: dt.datetime | None
    baseline_finish_after: dt.datetime | None


def variance_history(project: Project) -> list[VarianceRow]:
    """The approved changes of a project in the order they were decided, with what each moved."""
    rows = []
    for cr in (
        ChangeRequest.objects.filter(project=project, state=ChangeRequest.State.APPROVED)
        .select_related("baseline", "previous_baseline")
        .order_by("decided_at", "id")
    ):
        budget_delta = (
            cr.budget_after - cr.budget_before if cr.budget_after is not None and cr.budget_before is not None else None
        )
        finish_delta = (cr.finish_after - cr.finish_before).days if cr.finish_after and cr.finish_before else None
        rows.append(
            VarianceRow(
                change=cr,
                budget_delta=budget_delta,
                finish_delta_days=finish_delta,
                baseline_finish_before=cr.previous_baseline.finish if cr.previous_baseline else None,
                baseline_finish_after=cr.baseline.finish if cr.baseline else None,
            )
        )
    return rows


def unread_count(user: Any) -> int:
    if not getattr(user, "is_authenticated", False) or getattr(user, "pk", None) is None:
        return 0
    return Notification.objects.filter(recipient_id=user.pk, read_at__isnull=True).count()


def active_projects() -> QuerySet[Project]:
    return Project.objects.filter(state__in=ACTIVE_STATES)
