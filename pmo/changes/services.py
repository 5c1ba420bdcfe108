"""Writes: status reports, thresholds, the deviation check, issues, change requests and notifications.
Every function checks the caller first, so a refused call changes nothing, and audits what it writes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from pmo.changes import rag, selectors
from pmo.changes.models import (
    DIMENSIONS,
    OPEN_ISSUE_STATUSES,
    ChangeRequest,
    Deviation,
    Issue,
    Metric,
    Notification,
    Rag,
    StatusReport,
    Threshold,
)
from pmo.changes.notifications import notify
from pmo.core import audit
from pmo.core.access import SystemActor, can, require
from pmo.core.errors import Conflict, ValidationFailed
from pmo.core.models import AuditEvent
from pmo.core.services import record_create, record_update
from pmo.portfolio.models import Portfolio, Project

REPORT_TEXT_FIELDS = ("narrative", "achievements", "next_steps", "decisions_needed")
RAG_FIELDS = tuple(f"{d}_rag" for d in DIMENSIONS)
DIMENSION_LABELS = {"schedule": "schedule", "cost": "cost", "scope": "scope", "risk": "risk", "overall": "overall"}


def _user(actor: Any) -> Any:
    return None if isinstance(actor, SystemActor) or getattr(actor, "pk", None) is None else actor


def _save_state(actor: Any, obj: Any, fields: Mapping[str, Any], comment: str = "") -> None:
    """Set `fields` on `obj`, bump its version and audit the change (inside the caller's transaction)."""
    before = audit.snapshot(obj)
    for name, value in fields.items():
        setattr(obj, name, value)
    obj.version = F("version") + 1
    obj.save()
    obj.refresh_from_db()
    audit.record(
        actor=actor, action=AuditEvent.Action.UPDATE, obj=obj, before=before, after=audit.snapshot(obj), comment=comment
    )


# --- notifications ---------------------------------------------------------------------------------


def _manager_user(project: Project) -> Any:
    return project.manager.user if project.manager_id and project.manager.user_id else None


def _board_users(project: Project) -> list[Any]:
    from django.contrib.auth import get_user_model

    from pmo.core.roles import Role

    users = list(get_user_model().objects.filter(groups__name=Role.PMO_DIRECTOR.value, is_active=True))
    portfolio = project.portfolio
    if portfolio.manager_id and portfolio.manager.user_id:
        users.append(portfolio.manager.user)
    return users


def notifications_read(*, user: Any, ids: Iterable[int] | None = None) -> int:
    """Mark the user's notifications read (all, or those with the given ids); returns how many changed."""
    qs = Notification.objects.filter(recipient_id=user.pk, read_at__isnull=True)
    if ids is not None:
        qs = qs.filter(pk__in=list(ids))
    return qs.update(read_at=timezone.now())


# --- status reports ------------------------------------------------------------------------------


def _suggest(project: Project) -> tuple[dict[str, Any], dict[str, str | None]]:
    metrics = selectors.project_metrics(project)
    return metrics, rag.suggest_rag(metrics, selectors.thresholds_for(project.portfolio_id))


def status_report_create(*, actor: Any, project: Project, period: dt.date | None = None) -> StatusReport:
    """A draft report for the period (default: the current month), its RAG filled in with pmo's suggestion
    from the project's metrics and its portfolio's thresholds."""
    period = selectors.period_of(period or selectors.current_period())
    require(actor, "add", StatusReport(project=project, period=period))
    if StatusReport.objects.filter(project=project, period=period).exists():
        raise ValidationFailed({"period": f"{project.code} already has a report for {period:%B %Y}."})
    metrics, suggested = _suggest(project)
    fields = {"project": project, "period": period, "metrics": metrics, "suggested": suggested}
    fields.update({f"{d}_rag": suggested.get(d) or "" for d in DIMENSIONS})
    with transaction.atomic():
        return record_create(actor=actor, model=StatusReport, fields=fields, allowed=fields.keys())


def _check_overrides(values: Mapping[str, Any], suggested: Mapping[str, Any], comments: Mapping[str, str]) -> None:
    errors = {}
    for d in DIMENSIONS:
        chosen, proposed = values.get(f"{d}_rag") or "", suggested.get(d)
        if chosen and proposed and chosen != proposed and not (comments.get(d) or "").strip():
            errors[f"{d}_comment"] = (
                f"pmo suggests {Rag(proposed).label.lower()} for {DIMENSION_LABELS[d]} from the metrics; "
                f"say why you report {Rag(chosen).label.lower()}."
            )
    if errors:
        raise ValidationFailed(errors)


def status_report_update(
    *,
    actor: Any,
    report: StatusReport,
    expected_version: int | None = None,
    override_comments: Mapping[str, str] | None = None,
    **changes: Any,
) -> StatusReport:
    """Edit a draft: RAG per dimension (a change from pmo's suggestion needs a comment) and the texts."""
    require(actor, "change", report)
    if report.state != StatusReport.State.DRAFT:
        raise Conflict(f"{report} is submitted and can no longer change.")
    unknown = set(changes) - set(RAG_FIELDS) - set(REPORT_TEXT_FIELDS)
    if unknown:
        raise ValidationFailed({name: "This field cannot be set here." for name in sorted(unknown)})
    comments = dict(report.override_comments)
    if override_comments is not None:
        comments = {d: c.strip() for d, c in override_comments.items() if d in DIMENSIONS and (c or "").strip()}
    values = {name: changes.get(name, getattr(report, name)) for name in RAG_FIELDS}
    _check_overrides(values, report.suggested, comments)
    # Keep only the comments that explain an actual override.
    comments = {d: c for d, c in comments.items() if values[f"{d}_rag"] != report.suggested.get(d)}
    return record_update(
        actor=actor,
        obj=report,
        changes={**changes, "override_comments": comments},
        allowed=(*RAG_FIELDS, *REPORT_TEXT_FIELDS, "override_comments"),
        expected_version=expected_version,
    )


def status_report_refresh(*, actor: Any, report: StatusReport) -> StatusReport:
    """Re-read the metrics and re-suggest; dimensions the manager had not overridden follow the suggestion."""
    require(actor, "change", report)
    if report.state != StatusReport.State.DRAFT:
        raise Conflict(f"{report} is submitted and can no longer change.")
    metrics, suggested = _suggest(report.project)
    changes: dict[str, Any] = {"metrics": metrics, "suggested": suggested}
    for d in DIMENSIONS:
        if d not in report.override_comments:
            changes[f"{d}_rag"] = suggested.get(d) or getattr(report, f"{d}_rag")
    return record_update(actor=actor, obj=report, changes=changes, allowed=changes.keys())


def status_report_submit(*, actor: Any, report: StatusReport) -> StatusReport:
    """Submit a draft: every RAG given, every override explained. The project's health becomes the overall
    RAG, and the deviation check runs for the project."""
    from pmo.portfolio import services as portfolio_services

    require(actor, "submit", report)
    if report.state != StatusReport.State.DRAFT:
        raise Conflict(f"{report} is already submitted.")
    missing = {f"{d}_rag": f"Give the {d} RAG." for d in DIMENSIONS if not getattr(report, f"{d}_rag")}
    if missing:
        raise ValidationFailed(missing, message="Rate every dimension before submitting: " + " ".join(missing.values()))
    _check_overrides({n: getattr(report, n) for n in RAG_FIELDS}, report.suggested, report.override_comments)
    if not report.narrative.strip():
        raise ValidationFailed({"narrative": "Write a short summary of the period."})
    with transaction.atomic():
        _save_state(
            actor,
            report,
            {"state": StatusReport.State.SUBMITTED, "submitted_at": timezone.now(), "submitted_by": _user(actor)},
        )
        project = report.project
        if project.health != report.overall_rag and can(actor, "change", project):
            portfolio_services.project_update(actor=actor, project=project, health=report.overall_rag)
        deviations_check(actor=actor, projects=[project])
    return report


# --- thresholds -----------------------------------------------------------------------------------


def thresholds_set(
    *, actor: Any, portfolio: Portfolio, values: Mapping[str, tuple[Decimal, Decimal]]
) -> list[Threshold]:
    """Set the portfolio's amber and red limit per metric (metrics left out keep theirs), audited."""
    require(actor, "change", Threshold(portfolio=portfolio))
    errors: dict[str, str] = {}
    for metric, (amber, red) in values.items():
        if metric not in Metric.values:
            errors[metric] = "Unknown metric."
        elif amber is None or red is None or amber < 0 or red < 0:
            errors[metric] = "Give both limits, zero or more."
        elif metric in rag.LOWER_IS_WORSE and red > amber:
            errors[metric] = "The red limit must be at or below the amber limit (lower is worse)."
        elif metric not in rag.LOWER_IS_WORSE and red < amber:
            errors[metric] = "The red limit must be at or above the amber limit (higher is worse)."
    if errors:
        raise ValidationFailed(errors)
    saved = []
    with transaction.atomic():
        for metric, (amber, red) in values.items():
            current = Threshold.objects.filter(portfolio=portfolio, metric=metric).first()
            if current is None:
                saved.append(
                    record_create(
                        actor=actor,
                        model=Threshold,
                        fields={"portfolio": portfolio, "metric": metric, "amber": amber, "red": red},
                        allowed=("portfolio", "metric", "amber", "red"),
                    )
                )
            elif (current.amber, current.red) != (amber, red):
                saved.append(
                    record_update(
                        actor=actor, obj=current, changes={"amber": amber, "red": red}, allowed=("amber", "red")
                    )
                )
            else:
                saved.append(current)
    return saved


# --- deviations -----------------------------------------------------------------------------------


def deviations_check(*, actor: Any, projects: Iterable[Project] | None = None) -> dict[str, int]:
    """Judge each project's metrics against its portfolio's thresholds: a metric past a threshold raises a
    deviation (one per project and metric, updated while it lasts, and the project manager is notified when
    it is raised or turns red); a deviation whose metric is back within limits is closed. Running it twice
    changes nothing the second time. Returns {"raised", "updated", "closed"}."""
    if projects is None:
        require(actor, "add", Deviation)
        projects = selectors.active_projects().select_related("portfolio", "manager", "manager__user")
    counts = {"raised": 0, "updated": 0, "closed": 0}
    now = timezone.now()
    with transaction.atomic():
        for project in projects:
            metrics = selectors.project_metrics(project)
            rules = selectors.thresholds_for(project.portfolio_id)
            active = {
                d.metric: d for d in Deviation.objects.filter(project=project).exclude(status=Deviation.Status.CLOSED)
            }
            for metric in Metric.values:
                severity, threshold = rag.rate(metric, metrics.get(metric), rules)
                current = active.get(metric)
                if threshold is None:
                    if current is not None:
                        _save_state(
                            actor,
                            current,
                            {"status": Deviation.Status.CLOSED, "closed_at": now},
                            comment="Back within the threshold.",
                        )
                        counts["closed"] += 1
                    continue
                value = Decimal(str(metrics[metric])).quantize(Decimal("0.001"))
                label = Metric(metric).label
                url = reverse("deviation-list")
                if current is None:
                    deviation = Deviation(
                        project=project,
                        metric=metric,
                        value=value,
                        threshold=threshold,
                        severity=severity,
                        raised_at=now,
                    )
                    deviation.save()
                    audit.record(
                        actor=actor,
                        action=AuditEvent.Action.CREATE,
                        obj=deviation,
                        before=None,
                        after=audit.snapshot(deviation),
                    )
                    counts["raised"] += 1
                    notify(
                        users=[_manager_user(project)],
                        message=f"{project.code}: {label} is {value.normalize():f}, past the {severity} "
                        f"threshold {threshold.normalize():f}.",
                        url=url,
                        kind="deviation",
                    )
                elif (current.value, current.threshold, current.severity) != (value, threshold, severity):
                    turned_red = severity == Rag.RED and current.severity != Rag.RED
                    _save_state(actor, current, {"value": value, "threshold": threshold, "severity": severity})
                    counts["updated"] += 1
                    if turned_red:
                        notify(
                            users=[_manager_user(project)],
                            message=f"{project.code}: {label} is now red ({value.normalize():f}).",
                            url=url,
                            kind="deviation",
                        )
    return counts


def deviation_acknowledge(*, actor: Any, deviation: Deviation, note: str = "") -> Deviation:
    """The project manager (or the PMO) has seen the deviation and says what is being done."""
    require(actor, "acknowledge", deviation)
    if deviation.status != Deviation.Status.OPEN:
        raise Conflict(f"The deviation is {deviation.get_status_display().lower()}, not open.")
    if not note.strip():
        raise ValidationFailed({"note": "Say what is being done about it."})
    with transaction.atomic():
        _save_state(
            actor,
            deviation,
            {"status": Deviation.Status.ACKNOWLEDGED, "note": note.strip(), "acknowledged_by": _user(actor)},
            comment=note.strip(),
        )
    return deviation


# --- issues ---------------------------------------------------------------------------------------

ISSUE_FIELDS = ("title", "description", "owner", "priority", "due_date", "status", "resolution")


def issue_create(*, actor: Any, project: Project, **fields: Any) -> Issue:
    return record_create(
        actor=actor, model=Issue, fields={**fields, "project": project}, allowed=(*ISSUE_FIELDS, "project")
    )


def issue_update(*, actor: Any, issue: Issue, expected_version: int | None = None, **changes: Any) -> Issue:
    status = changes.get("status", issue.status)
    if (
        status in (Issue.Status.RESOLVED, Issue.Status.CLOSED)
        and not (changes.get("resolution", issue.resolution) or "").strip()
    ):
        raise ValidationFailed({"resolution": "Say how the issue was resolved."})
    return record_update(
        actor=actor, obj=issue, changes=changes, allowed=ISSUE_FIELDS, expected_version=expected_version
    )


def issue_escalate(*, actor: Any, issue: Issue, level: str, reason: str = "") -> Issue:
    """Escalate an open issue to the project's program or portfolio (it then shows on that page), or take
    the escalation back (level "")."""
    require(actor, "escalate", issue)
    if level not in Issue.Escalation.values:
        raise ValidationFailed({"escalation": f"Unknown level {level!r}: program, portfolio or none."})
    if level == Issue.Escalation.PROGRAM and issue.project.program_id is None:
        raise ValidationFailed(
            {"escalation": f"{issue.project.code} belongs to no program: escalate to the portfolio."}
        )
    if level and issue.status not in OPEN_ISSUE_STATUSES:
        raise Conflict("Only open issues are escalated.")
    if level and not reason.strip():
        raise ValidationFailed({"escalation_reason": "Say what you need from the program or portfolio."})
    with transaction.atomic():
        _save_state(
            actor,
            issue,
            {"escalation": level, "escalation_reason": reason.strip() if level else ""},
            comment=reason.strip(),
        )
        if level:
            project = issue.project
            manager = project.program.manager if level == Issue.Escalation.PROGRAM else project.portfolio.manager
            notify(
                users=[manager.user if manager is not None and manager.user_id else None],
                message=f"{project.code} escalated an issue to the {level}: {issue.title}",
                url=reverse("issue-detail", args=[issue.pk]),
                kind="deviation",
            )
    return issue


# --- change requests -------------------------------------------------------------------------------

CHANGE_FIELDS = (
    "title",
    "description",
    "reason",
    "cost_impact",
    "schedule_impact_days",
    "scope_impact",
    "benefits_impact",
    "requested_by",
)


def _next_change_code() -> str:
    last = ChangeRequest.objects.order_by("-id").values_list("code", flat=True).first()
    number = int(last.split("-")[1]) + 1 if last and last.split("-")[-1].isdigit() else 1
    return f"CR-{number:04d}"


def change_request_create(*, actor: Any, project: Project, **fields: Any) -> ChangeRequest:
    """Raise a change request on a project (draft until the project manager assesses it)."""
    with transaction.atomic():
        return record_create(
            actor=actor,
            model=ChangeRequest,
            fields={**fields, "project": project, "code": _next_change_code()},
            allowed=(*CHANGE_FIELDS, "project", "code"),
        )


def change_request_update(
    *, actor: Any, change: ChangeRequest, expected_version: int | None = None, **changes: Any
) -> ChangeRequest:
    if change.state not in (ChangeRequest.State.DRAFT, ChangeRequest.State.DEFERRED):
        raise Conflict(f"{change.code} is {change.get_state_display().lower()}: it can no longer be edited.")
    return record_update(
        actor=actor, obj=change, changes=changes, allowed=CHANGE_FIELDS, expected_version=expected_version
    )


def change_request_assess(*, actor: Any, change: ChangeRequest, assessment: str, **impacts: Any) -> ChangeRequest:
    """The project manager's assessment (and, if needed, corrected impacts) sends the request to the board."""
    require(actor, "assess", change)
    if change.state not in (ChangeRequest.State.DRAFT, ChangeRequest.State.DEFERRED):
        raise Conflict(f"{change.code} is {change.get_state_display().lower()}: it cannot be assessed now.")
    unknown = set(impacts) - {"cost_impact", "schedule_impact_days", "scope_impact", "benefits_impact"}
    if unknown:
        raise ValidationFailed({name: "This field cannot be set here." for name in sorted(unknown)})
    if not assessment.strip():
        raise ValidationFailed({"assessment": "Assess the change: what it does to the plan, the cost and the risks."})
    with transaction.atomic():
        _save_state(
            actor,
            change,
            {
                **impacts,
                "assessment": assessment.strip(),
                "state": ChangeRequest.State.ASSESSED,
                "assessed_by": _user(actor),
                "assessed_at": timezone.now(),
            },
        )
        notify(
            users=_board_users(change.project),
            message=f"{change.code} ({change.project.code}) awaits the change board: {change.title}",
            url=reverse("change-detail", args=[change.pk]),
            kind="approval",
        )
    return change


DECISIONS = (ChangeRequest.State.APPROVED, ChangeRequest.State.REJECTED, ChangeRequest.State.DEFERRED)


def change_request_decide(*, actor: Any, change: ChangeRequest, decision: str, comment: str) -> ChangeRequest:
    """The change board approves, rejects or defers, with a comment. An approved change moves the project's
    budget by the cost impact and its planned finish by the schedule impact, and freezes the current plan as a
    new baseline named after the change; the request keeps the before and after of each."""
    from pmo.planning.models import Baseline
    from pmo.planning.services import baseline_capture
    from pmo.portfolio import services as portfolio_services

    require(actor, "decide", change)
    if decision not in DECISIONS:
        raise ValidationFailed({"decision": "Approve, reject or defer."})
    if change.state != ChangeRequest.State.ASSESSED:
        raise Conflict(f"{change.code} is {change.get_state_display().lower()}, not awaiting the board.")
    if not comment.strip():
        raise ValidationFailed({"comment": "Give the board's reasons."})
    fields: dict[str, Any] = {
        "state": decision,
        "decided_by": _user(actor),
        "decided_at": timezone.now(),
        "decision_comment": comment.strip(),
    }
    with transaction.atomic():
        if decision == ChangeRequest.State.APPROVED:
            project = Project.objects.select_for_update().get(pk=change.project_id)
            budget_after = project.budget + change.cost_impact
            if budget_after < 0:
                raise ValidationFailed({"cost_impact": f"The budget would fall below zero ({budget_after})."})
            finish_before = project.planned_finish
            finish_after = finish_before + dt.timedelta(days=change.schedule_impact_days) if finish_before else None
            fields.update(
                budget_before=project.budget,
                budget_after=budget_after,
                finish_before=finish_before,
                finish_after=finish_after,
            )
            fields["previous_baseline"] = (
                Baseline.objects.filter(project=project).order_by("-captured_at", "-id").first()
            )
            updates: dict[str, Any] = {"budget": budget_after}
            if finish_after and project.planned_start and finish_after < project.planned_start:
                raise ValidationFailed({"schedule_impact_days": "The planned finish would fall before the start."})
            if finish_after != finish_before:
                updates["planned_finish"] = finish_after
            portfolio_services.project_update(actor=actor, project=project, **updates)
            fields["baseline"] = baseline_capture(
                actor=actor,
                project=project,
                name=f"{change.code} {change.title}"[:100],
                note=f"New baseline after change request {change.code} was approved: {comment.strip()}",
            )
        _save_state(actor, change, fields, comment=comment.strip())
        notify(
            users=[_manager_user(change.project)],
            message=f"The change board {change.get_state_display().lower()} {change.code}: {change.title}",
            url=reverse("change-detail", args=[change.pk]),
            kind="approval",
        )
    return change
