"""Pages of schedule and cost risk analysis: a project's (with its three-point estimates) and a
portfolio's key milestones."""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_POST

from pmo.core.access import can
from pmo.core.errors import DomainError, ValidationFailed
from pmo.engine.errors import EngineError
from pmo.engine.notation import format_duration, parse_duration
from pmo.planning import services as planning
from pmo.planning.models import Task
from pmo.portfolio.models import Portfolio, Project
from pmo.risks import simulation
from pmo.risks.models import SimulationRun


def _say(request: HttpRequest, error: DomainError, prefix: str = "") -> None:
    if isinstance(error, ValidationFailed):
        text = "; ".join(f"{name.replace('_', ' ').capitalize()}: {' '.join(m)}" for name, m in error.fields.items())
    else:
        text = error.message
    messages.error(request, f"{prefix}{text}")


def _project(request: HttpRequest, pk: int) -> Project:
    project = Project.objects.select_related("portfolio").filter(pk=pk).first()
    if project is None or not can(request.user, "view", project):
        raise Http404("No such project.")
    return project


def _portfolio(request: HttpRequest, pk: int) -> Portfolio:
    portfolio = Portfolio.objects.filter(pk=pk).first()
    if portfolio is None or not can(request.user, "view", portfolio):
        raise Http404("No such portfolio.")
    return portfolio


def _int(text: str | None, default: int) -> int:
    try:
        return int((text or "").strip())
    except ValueError:
        return default


def _in_days(minutes: int | None, minutes_per_day: int) -> str:
    """Estimates read best in working days ("12.5d"), whatever unit they were typed in."""
    if minutes is None:
        return ""
    days = round(minutes / minutes_per_day, 1)
    return f"{days:g}d" if days >= 1 or minutes == 0 else format_duration(minutes, minutes_per_day=minutes_per_day)


def _options(request: HttpRequest) -> dict[str, Any]:
    return {
        "iterations": _int(request.POST.get("iterations"), 5000),
        "seed": _int(request.POST.get("seed"), 0),
        "distribution": request.POST.get("distribution", "triangular"),
        "optimistic_pct": _int(request.POST.get("optimistic_pct"), 90),
        "pessimistic_pct": _int(request.POST.get("pessimistic_pct"), 130),
        "include_risks": request.POST.get("include_risks") == "on",
        "phase_correlation": _float(request.POST.get("phase_correlation"), 0.0),
    }


def _float(text: str | None, default: float) -> float:
    try:
        return float((text or "").strip().replace(",", "."))
    except ValueError:
        return default


def _chosen_run(request: HttpRequest, runs: list[SimulationRun]) -> SimulationRun | None:
    wanted = _int(request.GET.get("run"), 0)
    chosen = next((r for r in runs if r.pk == wanted), None)
    return chosen or next((r for r in runs if r.status == SimulationRun.Status.DONE), runs[0] if runs else None)


@login_required
def project_analysis(request: HttpRequest, pk: int) -> HttpResponse:
    project = _project(request, pk)
    runs = list(simulation.runs_of(project=project)[:20])  # type: ignore[index]
    run = _chosen_run(request, runs)
    plan = planning.plan_of(project)
    mpd = plan.calendar.minutes_per_day if plan.calendar_id else 480
    tasks = [
        {
            "task": t,
            "duration": _in_days(t.duration_minutes, mpd),
            "optimistic": _in_days(t.optimistic_minutes, mpd),
            "pessimistic": _in_days(t.pessimistic_minutes, mpd),
        }
        for t in Task.objects.filter(project=project, is_summary=False).order_by("position")
        if t.duration_minutes > 0
    ]
    return render(
        request,
        "risks/analysis.html",
        {
            "project": project,
            "runs": runs,
            "run": run,
            "result": run.result if run and run.status == SimulationRun.Status.DONE else None,
            "chart": json.dumps(run.result if run and run.status == SimulationRun.Status.DONE else {}),
            "tasks": tasks,
            "can_run": simulation.may_run(request.user, project=project),
            "can_edit": can(request.user, "change", project),
        },
    )


def _start(request: HttpRequest, back: str, **target: Any) -> HttpResponse:
    """Start an analysis of the project or portfolio in `target` and come back to its page."""
    try:
        run = simulation.simulation_start(actor=request.user, **target, **_options(request))
    except PermissionDenied:
        raise
    except DomainError as error:
        _say(request, error, "The analysis was not started. ")
        return HttpResponseRedirect(back)
    run.refresh_from_db()
    if run.status == SimulationRun.Status.FAILED:
        messages.error(request, f"The analysis failed: {run.message}")
    elif run.status == SimulationRun.Status.DONE:
        messages.success(request, f"Analysis done: {run.iterations:,} iterations.")
    else:
        messages.info(request, "The analysis is running; this page shows it when it is done.")
    return HttpResponseRedirect(f"{back}?run={run.pk}")


@login_required
@require_POST
def project_analysis_run(request: HttpRequest, pk: int) -> HttpResponse:
    project = _project(request, pk)
    return _start(request, reverse("risk-analysis", args=[project.pk]), project=project)


@login_required
@require_POST
def project_estimates_save(request: HttpRequest, pk: int) -> HttpResponse:
    project = _project(request, pk)
    plan = planning.plan_of(project)
    mpd = plan.calendar.minutes_per_day if plan.calendar_id else 480
    estimates: dict[int, tuple[int | None, int | None]] = {}
    errors: dict[str, str] = {}
    for task in Task.objects.filter(project=project, is_summary=False):
        values: list[int | None] = []
        for side in ("optimistic", "pessimistic"):
            text = request.POST.get(f"{side}-{task.uid}", "").strip()
            stored = getattr(task, f"{side}_minutes")
            if text == _in_days(stored, mpd):  # shown rounded: unchanged unless edited
                values.append(stored)
                continue
            try:
                values.append(parse_duration(text, minutes_per_day=mpd) if text else None)
            except EngineError as error:
                errors[f"task {task.uid}"] = f"{task.name}: {error}"
                values.append(None)
        if (values[0], values[1]) != (task.optimistic_minutes, task.pessimistic_minutes):
            estimates[task.uid] = (values[0], values[1])
    back = reverse("risk-analysis", args=[project.pk]) + "#estimates"
    if errors:
        messages.error(request, "No estimate was saved: " + "; ".join(errors.values()))
        return HttpResponseRedirect(back)
    try:
        changed = planning.task_estimates_set(actor=request.user, project=project, estimates=estimates)
        messages.success(request, f"Estimates saved ({len(changed)} task(s) changed).")
    except DomainError as error:
        _say(request, error)
    return HttpResponseRedirect(back)


@login_required
def portfolio_analysis(request: HttpRequest, pk: int) -> HttpResponse:
    portfolio = _portfolio(request, pk)
    runs = list(simulation.runs_of(portfolio=portfolio)[:20])  # type: ignore[index]
    run = _chosen_run(request, runs)
    result = run.result if run and run.status == SimulationRun.Status.DONE else None
    milestones: dict[str, list[dict[str, Any]]] = {}
    for row in (result or {}).get("milestones", []):
        milestones.setdefault(row["project"], []).append(row)
    return render(
        request,
        "risks/portfolio_analysis.html",
        {
            "portfolio": portfolio,
            "runs": runs,
            "run": run,
            "result": result,
            "chart": json.dumps(result or {}),
            "milestones": sorted(milestones.items()),
            "projects": simulation.portfolio_projects(portfolio),
            "can_run": simulation.may_run(request.user, portfolio=portfolio),
        },
    )


@login_required
@require_POST
def portfolio_analysis_run(request: HttpRequest, pk: int) -> HttpResponse:
    portfolio = _portfolio(request, pk)
    return _start(request, reverse("portfolio-risk-analysis", args=[portfolio.pk]), portfolio=portfolio)
