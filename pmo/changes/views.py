"""The pages of status reporting, deviations, the issue log and change control."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from pmo.changes import notifications as notification_service
from pmo.changes import rag, selectors, services
from pmo.changes.forms import ChangeRequestForm, IssueForm, NewIssueForm
from pmo.changes.models import (
    DIMENSIONS,
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
from pmo.core.errors import DomainError, ValidationFailed
from pmo.portfolio.models import Portfolio, Project
from pmo.reporting.exports import list_export


def _flash(request: HttpRequest, error: DomainError) -> None:
    if isinstance(error, ValidationFailed):
        for name, msgs in error.fields.items():
            label = name.replace("_rag", "").replace("_", " ").capitalize()
            messages.error(request, f"{label}: {' '.join(msgs)}")
    else:
        messages.error(request, error.message)


def _form_errors(form: Any, error: DomainError) -> None:
    if isinstance(error, ValidationFailed):
        for name, msgs in error.fields.items():
            for msg in msgs:
                form.add_error(name if name in form.fields else None, msg)
    else:
        form.add_error(None, error.message)


def _require_control(user: Any) -> None:
    if not selectors.sees_control(user):
        raise PermissionDenied("Status reports, issues and changes are for the project team and the PMO.")


def _project(request: HttpRequest, pk: int) -> Project:
    _require_control(request.user)
    project = Project.objects.select_related("portfolio", "program", "manager").filter(pk=pk).first()
    if project is None:
        raise Http404(f"No project with id {pk}.")
    return project


def _tabs(project: Project, active: str) -> dict[str, Any]:
    return {
        "project": project,
        "tab": active,
        "open_issues": Issue.objects.filter(project=project, status__in=("open", "in_progress")).count(),
        "open_changes": ChangeRequest.objects.filter(project=project, state__in=("draft", "assessed")).count(),
    }


def _rag_cells(report: StatusReport) -> list[dict[str, str]]:
    return [
        {"dimension": d, "value": getattr(report, f"{d}_rag"), "comment": report.override_comments.get(d, "")}
        for d in DIMENSIONS
    ]


# --- status reports ------------------------------------------------------------------------------


@login_required
def project_status(request: HttpRequest, pk: int) -> HttpResponse:
    project = _project(request, pk)
    period = selectors.current_period()
    if request.method == "POST":
        try:
            report = services.status_report_create(actor=request.user, project=project, period=period)
        except DomainError as error:
            _flash(request, error)
            return HttpResponseRedirect(reverse("project-status", args=[pk]))
        messages.success(request, f"Draft report for {period:%B %Y} started with pmo's suggested RAG.")
        return HttpResponseRedirect(reverse("status-report", args=[report.pk]))
    reports = list(selectors.reports_of(project))
    download = list_export(
        request,
        f"Status reports {project.code}",
        [
            ("Period", lambda r: r.period.strftime("%Y-%m")),
            ("State", lambda r: r.get_state_display()),
            *[(d.capitalize(), lambda r, d=d: getattr(r, f"{d}_rag")) for d in DIMENSIONS],
            ("Summary", lambda r: r.narrative),
            ("Achievements", lambda r: r.achievements),
            ("Next steps", lambda r: r.next_steps),
            ("Decisions needed", lambda r: r.decisions_needed),
            ("Submitted", lambda r: r.submitted_at),
        ],
        reports,
    )
    if download:
        return download
    current = next((r for r in reports if r.period == period), None)
    return render(
        request,
        "changes/project_status.html",
        {
            **_tabs(project, "status"),
            "reports": [{"report": r, "rags": _rag_cells(r)} for r in reports],
            "dimensions": DIMENSIONS,
            "period": period,
            "current": current,
            "can_report": current is None and can(request.user, "add", StatusReport(project=project)),
            "deviations": list(selectors.deviations("active").filter(project=project)),
            "metrics": selectors.project_metrics(project),
            "metric_labels": dict(Metric.choices),
        },
    )


def _report_values(request: HttpRequest) -> tuple[dict[str, Any], dict[str, str]]:
    changes: dict[str, Any] = {}
    for d in DIMENSIONS:
        value = request.POST.get(f"{d}_rag", "")
        changes[f"{d}_rag"] = value if value in Rag.values else ""
    for name in services.REPORT_TEXT_FIELDS:
        changes[name] = request.POST.get(name, "").strip()
    comments = {d: request.POST.get(f"{d}_comment", "").strip() for d in DIMENSIONS}
    return changes, comments


@login_required
def status_report(request: HttpRequest, pk: int) -> HttpResponse:
    _require_control(request.user)
    report = StatusReport.objects.select_related("project", "project__portfolio", "submitted_by").filter(pk=pk).first()
    if report is None:
        raise Http404(f"No status report with id {pk}.")
    editable = report.state == StatusReport.State.DRAFT and can(request.user, "change", report)
    posted: dict[str, Any] = {}
    comments = dict(report.override_comments)
    if request.method == "POST":
        if not editable:
            raise PermissionDenied("This report can no longer be changed by you.")
        action = request.POST.get("action", "save")
        try:
            if action == "refresh":
                services.status_report_refresh(actor=request.user, report=report)
                messages.success(request, "Metrics re-read and the suggestion updated.")
                return HttpResponseRedirect(reverse("status-report", args=[pk]))
            changes, comments = _report_values(request)
            posted = changes
            services.status_report_update(
                actor=request.user,
                report=report,
                expected_version=int(request.POST.get("version") or report.version),
                override_comments=comments,
                **changes,
            )
            if action == "submit":
                services.status_report_submit(actor=request.user, report=report)
                messages.success(request, f"Report for {report.period:%B %Y} submitted.")
            else:
                messages.success(request, "Draft saved.")
            return HttpResponseRedirect(reverse("status-report", args=[pk]))
        except DomainError as error:
            _flash(request, error)
        report.refresh_from_db()
    reasons = rag.reasons(report.metrics, selectors.thresholds_for(report.project.portfolio_id))
    rows = []
    for d in DIMENSIONS:
        rows.append(
            {
                "dimension": d,
                "label": d.capitalize(),
                "value": posted.get(f"{d}_rag", getattr(report, f"{d}_rag")),
                "suggested": report.suggested.get(d),
                "comment": comments.get(d, ""),
                "reasons": reasons.get(d, []),
            }
        )
    texts = [
        (name, StatusReport._meta.get_field(name).verbose_name.capitalize(), posted.get(name, getattr(report, name)))
        for name in services.REPORT_TEXT_FIELDS
    ]
    return render(
        request,
        "changes/status_report.html",
        {
            **_tabs(report.project, "status"),
            "report": report,
            "rows": rows,
            "texts": texts,
            "editable": editable,
            "rags": Rag.choices,
            "metrics": [(label, report.metrics.get(key)) for key, label in Metric.choices],
        },
    )


@login_required
def missing_reports(request: HttpRequest) -> HttpResponse:
    _require_control(request.user)
    period = selectors.current_period()
    raw = request.GET.get("period", "")
    if raw:
        try:
            period = selectors.period_of(dt.date.fromisoformat(raw + "-01"))
        except ValueError:
            messages.error(request, "Give the period as YYYY-MM.")
    missing = selectors.missing_reports(period)
    total = selectors.reporting_projects_count()
    missing_count = sum(len(rows) for rows in missing.values())
    download = list_export(
        request,
        f"Missing status reports {period:%B %Y}",
        [
            ("Portfolio", lambda r: str(r["project"].portfolio)),
            ("Code", lambda r: r["project"].code),
            ("Project", lambda r: r["project"].name),
            ("Manager", lambda r: str(r["project"].manager or "")),
            ("State", lambda r: r["project"].get_state_display()),
            ("This period", lambda r: "Draft, not submitted" if r["draft"] else "Not started"),
            ("Last submitted", lambda r: r["last_submitted"].period if r["last_submitted"] else None),
            ("Last overall", lambda r: r["last_submitted"].overall_rag if r["last_submitted"] else ""),
        ],
        [row for rows in missing.values() for row in rows],
    )
    if download:
        return download
    periods = [selectors.current_period()]
    for _ in range(5):
        periods.append(selectors.previous_period(periods[-1]))
    return render(
        request,
        "changes/missing_reports.html",
        {
            "period": period,
            "periods": periods,
            "missing": list(missing.items()),
            "missing_count": missing_count,
            "total": total,
            "reported": total - missing_count,
        },
    )


# --- deviations and thresholds --------------------------------------------------------------------


@login_required
def deviation_list(request: HttpRequest) -> HttpResponse:
    _require_control(request.user)
    if request.method == "POST":
        try:
            counts = services.deviations_check(actor=request.user)
            messages.success(
                request,
                f"Threshold check done: {counts['raised']} raised, {counts['updated']} updated, "
                f"{counts['closed']} closed.",
            )
        except DomainError as error:
            _flash(request, error)
        return HttpResponseRedirect(reverse("deviation-list") + ("?" + request.GET.urlencode() if request.GET else ""))
    status = request.GET.get("status", "active")
    portfolio = request.GET.get("portfolio", "")
    rows = list(selectors.deviations(status, int(portfolio) if portfolio.isdigit() else None))
    download = list_export(
        request,
        "Deviations",
        [
            ("Severity", lambda d: d.severity),
            ("Project code", lambda d: d.project.code),
            ("Project", lambda d: d.project.name),
            ("Portfolio", lambda d: str(d.project.portfolio)),
            ("Manager", lambda d: str(d.project.manager or "")),
            ("Metric", lambda d: d.get_metric_display()),
            ("Value", lambda d: d.value),
            ("Comparison", lambda d: d.comparison),
            ("Threshold", lambda d: d.threshold),
            ("Status", lambda d: d.get_status_display()),
            ("Raised", lambda d: d.raised_at),
            ("Note", lambda d: d.note),
            ("Closed", lambda d: d.closed_at),
        ],
        rows,
    )
    if download:
        return download
    return render(
        request,
        "changes/deviation_list.html",
        {
            "rows": [{"d": d, "can_ack": d.status == "open" and can(request.user, "acknowledge", d)} for d in rows],
            "status": status,
            "statuses": [("active", "Open and acknowledged"), *Deviation.Status.choices, ("", "All")],
            "portfolio": portfolio,
            "portfolios": Portfolio.objects.order_by("name"),
            "can_check": can(request.user, "add", Deviation),
            "counts": {
                "red": selectors.deviations("active").filter(severity="red").count(),
                "amber": selectors.deviations("active").filter(severity="amber").count(),
            },
        },
    )


@login_required
@require_POST
def deviation_acknowledge(request: HttpRequest, pk: int) -> HttpResponse:
    _require_control(request.user)
    deviation = Deviation.objects.select_related("project").filter(pk=pk).first()
    if deviation is None:
        raise Http404("No such deviation.")
    try:
        services.deviation_acknowledge(actor=request.user, deviation=deviation, note=request.POST.get("note", ""))
        messages.success(request, f"Deviation on {deviation.project.code} acknowledged.")
    except DomainError as error:
        _flash(request, error)
    return HttpResponseRedirect(request.POST.get("next") or reverse("deviation-list"))


@login_required
def thresholds(request: HttpRequest, pk: int) -> HttpResponse:
    _require_control(request.user)
    portfolio = Portfolio.objects.filter(pk=pk).first()
    if portfolio is None:
        raise Http404("No such portfolio.")
    from pmo.changes.models import Threshold

    can_edit = can(request.user, "change", Threshold(portfolio=portfolio))
    rules = selectors.thresholds_for(portfolio.pk)
    values: dict[str, tuple[str, str]] = {
        m: (f"{r.amber.normalize():f}", f"{r.red.normalize():f}") for m, r in rules.items()
    }
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied("Only the PMO director and this portfolio's manager set its thresholds.")
        parsed: dict[str, tuple[Decimal, Decimal]] = {}
        errors = []
        for metric, label in Metric.choices:
            raw = (request.POST.get(f"{metric}-amber", "").strip(), request.POST.get(f"{metric}-red", "").strip())
            values[metric] = raw
            try:
                parsed[metric] = (Decimal(raw[0]), Decimal(raw[1]))
            except InvalidOperation:
                errors.append(f"{label}: give both limits as numbers.")
        if errors:
            for e in errors:
                messages.error(request, e)
        else:
            try:
                services.thresholds_set(actor=request.user, portfolio=portfolio, values=parsed)
                messages.success(request, f"Thresholds of {portfolio} saved. They apply from the next check.")
                return HttpResponseRedirect(reverse("thresholds", args=[pk]))
            except DomainError as error:
                if isinstance(error, ValidationFailed):
                    for name, msgs in error.fields.items():
                        messages.error(
                            request, f"{Metric(name).label if name in Metric.values else name}: {' '.join(msgs)}"
                        )
                else:
                    messages.error(request, error.message)
    return render(
        request,
        "changes/thresholds.html",
        {
            "portfolio": portfolio,
            "can_edit": can_edit,
            "rows": [
                {
                    "metric": m,
                    "label": label,
                    "amber": values[m][0],
                    "red": values[m][1],
                    "sign": "below" if m in rag.LOWER_IS_WORSE else "above",
                }
                for m, label in Metric.choices
            ],
        },
    )


# --- issues ---------------------------------------------------------------------------------------


@login_required
def project_issues(request: HttpRequest, pk: int) -> HttpResponse:
    project = _project(request, pk)
    can_add = can(request.user, "add", Issue(project=project))
    form = NewIssueForm(prefix="new")
    if request.method == "POST":
        if not can_add:
            raise PermissionDenied("Only the project's manager and the PMO log issues on it.")
        form = NewIssueForm(request.POST, prefix="new")
        if form.is_valid():
            data = dict(form.cleaned_data)
            data.pop("version", None)
            try:
                issue = services.issue_create(actor=request.user, project=project, **data)
                messages.success(request, f"Issue #{issue.pk} logged.")
                return HttpResponseRedirect(reverse("project-issues", args=[pk]))
            except DomainError as error:
                _form_errors(form, error)
    show = request.GET.get("show", "open")
    issues = selectors.issues_of(project)
    if show == "open":
        issues = issues.filter(status__in=("open", "in_progress"))
    today = timezone.localdate()
    download = list_export(
        request,
        f"Issues {project.code}",
        [
            ("#", lambda i: i.pk),
            ("Issue", lambda i: i.title),
            ("Owner", lambda i: str(i.owner or "")),
            ("Priority", lambda i: i.get_priority_display()),
            ("Due", lambda i: i.due_date),
            ("Overdue", lambda i: selectors.is_overdue(i, today)),
            ("Status", lambda i: i.get_status_display()),
            ("Escalated to", lambda i: i.get_escalation_display() if i.escalation else ""),
        ],
        issues,
    )
    if download:
        return download
    return render(
        request,
        "changes/project_issues.html",
        {
            **_tabs(project, "issues"),
            "issues": [{"i": i, "overdue": selectors.is_overdue(i, today)} for i in issues],
            "show": show,
            "form": form,
            "can_add": can_add,
            "form_open": request.method == "POST",
        },
    )


@login_required
def issue_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _require_control(request.user)
    issue = (
        Issue.objects.select_related("project", "project__program", "project__portfolio", "owner").filter(pk=pk).first()
    )
    if issue is None:
        raise Http404("No such issue.")
    can_edit = can(request.user, "change", issue)
    form = IssueForm(instance=Issue.objects.get(pk=pk), initial={"version": issue.version})
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied("Only the project's manager and the PMO change its issues.")
        action = request.POST.get("action", "save")
        if action == "escalate":
            try:
                services.issue_escalate(
                    actor=request.user,
                    issue=issue,
                    level=request.POST.get("escalation", ""),
                    reason=request.POST.get("escalation_reason", ""),
                )
                messages.success(request, "Escalation saved.")
                return HttpResponseRedirect(reverse("issue-detail", args=[pk]))
            except DomainError as error:
                _flash(request, error)
        else:
            form = IssueForm(request.POST, instance=Issue.objects.get(pk=pk))
            if form.is_valid():
                data = dict(form.cleaned_data)
                version = data.pop("version", None)
                try:
                    services.issue_update(actor=request.user, issue=issue, expected_version=version, **data)
                    messages.success(request, f"Issue #{issue.pk} saved.")
                    return HttpResponseRedirect(reverse("project-issues", args=[issue.project_id]))
                except DomainError as error:
                    _form_errors(form, error)
    escalations = [("", "Not escalated")]
    if issue.project.program_id:
        escalations.append(("program", f"Program: {issue.project.program}"))
    escalations.append(("portfolio", f"Portfolio: {issue.project.portfolio}"))
    return render(
        request,
        "changes/issue_detail.html",
        {
            **_tabs(issue.project, "issues"),
            "issue": issue,
            "form": form,
            "can_edit": can_edit,
            "overdue": selectors.is_overdue(issue),
            "escalations": escalations,
        },
    )


# --- change requests -----------------------------------------------------------------------------


@login_required
def project_changes(request: HttpRequest, pk: int) -> HttpResponse:
    project = _project(request, pk)
    can_add = can(request.user, "add", ChangeRequest(project=project))
    form = ChangeRequestForm(prefix="new")
    if request.method == "POST":
        if not can_add:
            raise PermissionDenied("Only the project's manager and the PMO raise change requests on it.")
        form = ChangeRequestForm(request.POST, prefix="new")
        if form.is_valid():
            data = dict(form.cleaned_data)
            data.pop("version", None)
            try:
                change = services.change_request_create(actor=request.user, project=project, **data)
                messages.success(request, f"{change.code} raised. Assess it to send it to the change board.")
                return HttpResponseRedirect(reverse("change-detail", args=[change.pk]))
            except DomainError as error:
                _form_errors(form, error)
    changes = list(ChangeRequest.objects.filter(project=project).select_related("requested_by", "baseline"))
    financial = can(request.user, "view_financials", project)
    columns: list[tuple[str, Any]] = [
        ("Code", lambda c: c.code),
        ("Change", lambda c: c.title),
        ("Requested by", lambda c: str(c.requested_by or "")),
    ]
    if financial:
        columns.append(("Cost impact", lambda c: c.cost_impact))
    columns += [
        ("Schedule (days)", lambda c: c.schedule_impact_days),
        ("State", lambda c: c.get_state_display()),
        ("Decided", lambda c: c.decided_at),
    ]
    download = list_export(request, f"Change requests {project.code}", columns, changes)
    if download:
        return download
    return render(
        request,
        "changes/project_changes.html",
        {
            **_tabs(project, "changes"),
            "changes": changes,
            "history": selectors.variance_history(project),
            "form": form,
            "can_add": can_add,
            "form_open": request.method == "POST",
            "financial": financial,
        },
    )


@login_required
def change_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _require_control(request.user)
    change = (
        ChangeRequest.objects.select_related("project", "project__portfolio", "requested_by", "baseline")
        .filter(pk=pk)
        .first()
    )
    if change is None:
        raise Http404("No such change request.")
    editable = change.state in ("draft", "deferred") and can(request.user, "change", change)
    form = ChangeRequestForm(instance=ChangeRequest.objects.get(pk=pk), initial={"version": change.version})
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "save":
                if not editable:
                    raise PermissionDenied("This change request can no longer be edited by you.")
                form = ChangeRequestForm(request.POST, instance=ChangeRequest.objects.get(pk=pk))
                if form.is_valid():
                    data = dict(form.cleaned_data)
                    version = data.pop("version", None)
                    services.change_request_update(actor=request.user, change=change, expected_version=version, **data)
                    messages.success(request, f"{change.code} saved.")
                    return HttpResponseRedirect(reverse("change-detail", args=[pk]))
            elif action == "assess":
                services.change_request_assess(
                    actor=request.user, change=change, assessment=request.POST.get("assessment", "")
                )
                messages.success(request, f"{change.code} assessed and sent to the change board.")
                return HttpResponseRedirect(reverse("change-detail", args=[pk]))
            elif action == "decide":
                services.change_request_decide(
                    actor=request.user,
                    change=change,
                    decision=request.POST.get("decision", ""),
                    comment=request.POST.get("comment", ""),
                )
                messages.success(request, f"{change.code} {change.get_state_display().lower()}.")
                return HttpResponseRedirect(reverse("change-detail", args=[pk]))
        except DomainError as error:
            if action == "save":
                _form_errors(form, error)
            else:
                _flash(request, error)
        change.refresh_from_db()
    return render(
        request,
        "changes/change_detail.html",
        {
            **_tabs(change.project, "changes"),
            "change": change,
            "form": form,
            "editable": editable,
            "can_assess": change.state in ("draft", "deferred") and can(request.user, "assess", change),
            "can_decide": change.state == "assessed" and can(request.user, "decide", change),
            "financial": can(request.user, "view_financials", change.project),
        },
    )


@login_required
def change_board(request: HttpRequest) -> HttpResponse:
    _require_control(request.user)
    queue = list(selectors.board_queue(request.user))
    recent = list(
        ChangeRequest.objects.filter(state__in=("approved", "rejected", "deferred"))
        .select_related("project", "decided_by")
        .order_by("-decided_at")[:10]
    )
    download = list_export(
        request,
        "Change board",
        [
            ("Code", lambda c: c.code),
            ("Change", lambda c: c.title),
            ("Project code", lambda c: c.project.code),
            ("Project", lambda c: c.project.name),
            ("Portfolio", lambda c: str(c.project.portfolio)),
            ("Cost impact", lambda c: c.cost_impact),
            ("Schedule (days)", lambda c: c.schedule_impact_days),
            ("Assessed", lambda c: c.assessed_at),
        ],
        queue,
    )
    if download:
        return download
    return render(
        request,
        "changes/change_board.html",
        {
            "queue": [{"c": c, "can_decide": can(request.user, "decide", c)} for c in queue],
            "recent": recent,
        },
    )


# --- notifications -------------------------------------------------------------------------------


@login_required
def notifications(request: HttpRequest) -> HttpResponse:
    if request.method == "POST" and request.POST.get("action") == "preferences":
        chosen = set(request.POST.getlist("email"))
        kinds = notification_service.preferences_set(
            user=request.user, email={kind: kind in chosen for kind in NotificationKind.values}
        )
        where = request.user.email or "no address: ask your administrator to add one"
        messages.success(request, f"E-mail for {len(kinds)} kind(s) of notification ({where}).")
        return HttpResponseRedirect(reverse("notifications"))
    if request.method == "POST":
        count = services.notifications_read(user=request.user)
        messages.success(request, f"{count} notification{'s' if count != 1 else ''} marked read.")
        return HttpResponseRedirect(reverse("notifications"))
    items = Notification.objects.filter(recipient_id=request.user.pk)
    kind = request.GET.get("kind", "")
    if kind in NotificationKind.values:
        items = items.filter(kind=kind)
    if request.GET.get("unread"):
        items = items.filter(read_at__isnull=True)
    download = list_export(
        request,
        "Notifications",
        [
            ("When", lambda n: n.created_at),
            ("Kind", lambda n: n.get_kind_display()),
            ("Message", lambda n: n.message),
            ("Link", lambda n: n.url),
            ("Read", lambda n: n.read_at),
        ],
        items,
    )
    if download:
        return download
    emailed = notification_service.email_kinds(request.user)
    return render(
        request,
        "changes/notifications.html",
        {
            "items": list(items[:100]),
            "kinds": NotificationKind.choices,
            "kind": kind,
            "unread_only": bool(request.GET.get("unread")),
            "preferences": [(k, label, k in emailed) for k, label in NotificationKind.choices],
            "address": request.user.email,
        },
    )


@login_required
def notification_open(request: HttpRequest, pk: int) -> HttpResponse:
    note = Notification.objects.filter(pk=pk, recipient_id=request.user.pk).first()
    if note is None:
        raise Http404("No such notification.")
    services.notifications_read(user=request.user, ids=[pk])
    return HttpResponseRedirect(note.url or reverse("notifications"))
