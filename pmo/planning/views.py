"""The plan page of a project: the editable task table, the Gantt chart, baselines."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from pmo.core.access import can, require
from pmo.core.errors import DomainError, ValidationFailed
from pmo.planning import gantt, mappers, selectors, services
from pmo.planning.inputs import parse_when, task_changes
from pmo.planning.models import Baseline, Plan, Task, WorkCalendar
from pmo.portfolio.models import Project


def _project(request: HttpRequest, pk: int) -> Project:
    project = Project.objects.select_related("portfolio", "manager").filter(pk=pk).first()
    if project is None or not can(request.user, "view", project):
        raise Http404("No such project.")
    require(request.user, "view", Task)
    return project


def _back(project: Project, anchor: str = "") -> HttpResponseRedirect:
    return HttpResponseRedirect(reverse("plan", args=[project.pk]) + anchor)


def _say(request: HttpRequest, error: DomainError, prefix: str = "") -> None:
    if isinstance(error, ValidationFailed):
        text = "; ".join(
            f"{name.replace('_', ' ').capitalize()}: {' '.join(msgs)}" for name, msgs in error.fields.items()
        )
    else:
        text = error.message
    messages.error(request, f"{prefix}{text}")


@login_required
def plan_page(request: HttpRequest, pk: int) -> HttpResponse:
    project = _project(request, pk)
    plan = services.plan_of(project)
    if plan.scheduled_at is None and project.tasks.exists():
        try:
            plan = services.plan_schedule(project=project)
        except DomainError as error:  # the plan is shown as it is, with why it cannot be scheduled
            _say(request, error, "The plan cannot be scheduled: ")
    minutes_per_day = plan.calendar.minutes_per_day if plan.calendar_id else 480
    rows = selectors.task_rows(project, minutes_per_day, mappers.engine_calendar(plan.calendar))
    baselines = list(Baseline.objects.filter(project=project))
    shown = next(
        (b for b in baselines if str(b.pk) == request.GET.get("baseline")),
        baselines[0] if baselines else None,
    )
    chart = gantt.render_gantt(rows, baseline=selectors.baseline_bars(shown), minutes_per_day=minutes_per_day)
    critical = [r for r in rows if r.task.is_critical and not r.task.is_summary]
    return render(
        request,
        "planning/plan.html",
        {
            "project": project,
            "plan": plan,
            "rows": rows,
            "gantt": mark_safe(chart),  # built from escaped values in pmo.planning.gantt
            "baselines": baselines,
            "shown_baseline": shown,
            "critical": critical,
            "can_edit": can(request.user, "change", project),
            "calendars": WorkCalendar.objects.all(),
            "constraint_types": Task.ConstraintType.choices,
            "directions": Plan.Direction.choices,
            "minutes_per_day": minutes_per_day,
            **selectors.plan_links(project, request.user),
        },
    )


@login_required
@require_POST
def plan_settings(request: HttpRequest, pk: int) -> HttpResponse:
    project = _project(request, pk)
    try:
        calendar = WorkCalendar.objects.filter(pk=request.POST.get("calendar") or 0).first()
        services.plan_update(
            actor=request.user,
            project=project,
            start=parse_when(request.POST.get("start"), "start"),
            finish=parse_when(request.POST.get("finish"), "finish"),
            status_date=parse_when(request.POST.get("status_date"), "status_date"),
            direction=request.POST.get("direction") or None,
            calendar=calendar,
        )
        messages.success(request, "Plan settings saved and the schedule recalculated.")
    except DomainError as error:
        _say(request, error)
    return _back(project)


@login_required
@require_POST
def task_add(request: HttpRequest, pk: int) -> HttpResponse:
    project = _project(request, pk)
    plan = services.plan_of(project)
    try:
        fields: dict[str, Any] = task_changes(
            {k: v for k, v in request.POST.items() if k in ("name", "duration", "predecessors", "assignments")},
            minutes_per_day=plan.calendar.minutes_per_day if plan.calendar_id else 480,
        )
        after = Task.objects.filter(project=project, pk=request.POST.get("after") or 0).first()
        fields.setdefault("name", "")
        task = services.task_create(actor=request.user, project=project, after=after, **fields)
        messages.success(request, f"Task {task.uid} {task.name} added.")
    except DomainError as error:
        _say(request, error, "The task was not added. ")
    return _back(project, "#tasks")


@login_required
@require_POST
def task_save(request: HttpRequest, pk: int, task_pk: int) -> HttpResponse:
    project = _project(request, pk)
    task = Task.objects.filter(project=project, pk=task_pk).select_related("project").first()
    if task is None:
        raise Http404("No such task.")
    plan = services.plan_of(project)
    editable = (
        "name",
        "duration",
        "predecessors",
        "constraint_type",
        "constraint_date",
        "percent_complete",
        "assignments",
    )
    try:
        changes = task_changes(
            {k: v for k, v in request.POST.items() if k in editable},
            minutes_per_day=plan.calendar.minutes_per_day if plan.calendar_id else 480,
        )
        version = request.POST.get("version")
        services.task_update(
            actor=request.user,
            task=task,
            expected_version=int(version) if version and version.isdigit() else None,
            **changes,
        )
        messages.success(
            request,
            f"Task {task.uid} saved; the plan now finishes "
            f"{timezone.localtime(services.plan_of(project).scheduled_finish):%d %b %Y}.",
        )
    except DomainError as error:
        _say(request, error, f"Task {task.uid} was not saved. ")
    return _back(project, f"#task-{task.uid}")


@login_required
@require_POST
def task_action(request: HttpRequest, pk: int, task_pk: int, action: str) -> HttpResponse:
    project = _project(request, pk)
    task = Task.objects.filter(project=project, pk=task_pk).select_related("project", "parent").first()
    if task is None:
        raise Http404("No such task.")
    operations = {
        "indent": services.task_indent,
        "outdent": services.task_outdent,
        "delete": services.task_delete,
    }
    if action not in operations:
        raise Http404("No such action.")
    try:
        operations[action](actor=request.user, task=task)
        messages.success(request, f"Task {task.uid} {'deleted' if action == 'delete' else action + 'ed'}.")
    except DomainError as error:
        _say(request, error)
    return _back(project, "#tasks")


@login_required
@require_POST
def baseline_capture(request: HttpRequest, pk: int) -> HttpResponse:
    project = _project(request, pk)
    try:
        baseline = services.baseline_capture(
            actor=request.user,
            project=project,
            name=request.POST.get("name", ""),
            note=request.POST.get("note", ""),
        )
        messages.success(request, f"Baseline '{baseline.name}' captured.")
    except DomainError as error:
        _say(request, error)
    return _back(project, "#baselines")


@login_required
def baseline_compare(request: HttpRequest, pk: int) -> HttpResponse:
    project = _project(request, pk)
    baselines = {str(b.pk): b for b in Baseline.objects.filter(project=project)}
    reference = baselines.get(request.GET.get("reference", ""))
    if reference is None:
        messages.error(request, "Choose a baseline to compare against.")
        return _back(project, "#baselines")
    compared = baselines.get(request.GET.get("compared", ""))
    services.plan_of(project)
    comparison = selectors.compare(project, reference, compared)
    return render(
        request,
        "planning/compare.html",
        {
            "project": project,
            "comparison": comparison,
            "baselines": baselines.values(),
            "reference": reference,
            "compared": compared,
        },
    )


@login_required
def plan_export(request: HttpRequest, pk: int) -> HttpResponse:
    from pmo.planning import interchange

    project = _project(request, pk)
    content = interchange.export_mspdi(project)
    response = HttpResponse(content, content_type="application/xml")
    response["Content-Disposition"] = f'attachment; filename="{project.code}.xml"'
    return response


@login_required
@require_POST
def plan_import(request: HttpRequest, pk: int) -> HttpResponse:
    from pmo.planning import interchange

    project = _project(request, pk)
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, "Choose a file to import.")
        return _back(project, "#import")
    try:
        result = interchange.plan_import(
            actor=request.user, project=project, filename=upload.name, content=upload.read()
        )
        messages.success(
            request,
            f"Imported {result.tasks} tasks, {result.links} links and {result.assignments} assignments "
            f"from {upload.name}.",
        )
    except DomainError as error:
        _say(request, error, f"Nothing was imported from {upload.name}. ")
    return _back(project)


@login_required
@require_POST
def project_import_new(request: HttpRequest, portfolio_pk: int) -> HttpResponse:
    """A new project in the portfolio, planned from an uploaded file."""
    from pmo.planning import interchange
    from pmo.portfolio.models import Portfolio

    portfolio = Portfolio.objects.filter(pk=portfolio_pk).first()
    if portfolio is None or not can(request.user, "view", portfolio):
        raise Http404("No such portfolio.")
    back = HttpResponseRedirect(reverse("portfolios-detail", args=[portfolio.pk]) + "#import-project")
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, "Choose a file to import.")
        return back
    try:
        project, result = interchange.project_create_from_file(
            actor=request.user,
            portfolio=portfolio,
            code=request.POST.get("code", "").strip(),
            name=request.POST.get("name", "").strip(),
            filename=upload.name,
            content=upload.read(),
        )
    except DomainError as error:
        _say(request, error, f"No project was created from {upload.name}. ")
        return back
    messages.success(
        request, f"Created {project} with {result.tasks} tasks and {result.links} links from {upload.name}."
    )
    return HttpResponseRedirect(reverse("plan", args=[project.pk]))
