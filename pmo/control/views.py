"""The monitoring pages: my timesheet week, approvals, a project's performance (earned value), and the
performance of a portfolio or program."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from pmo.changes.selectors import thresholds_for
from pmo.control import selectors, services
from pmo.control.models import CostCategory, CostEntry, EvmSnapshot, ProgressMethod, Timesheet
from pmo.core.access import can, person_id_of, require
from pmo.core.errors import DomainError, ValidationFailed
from pmo.planning.models import Plan, Task
from pmo.portfolio.models import Portfolio, Program, Project
from pmo.reporting.exports import list_export
from pmo.resources.models import Person


def _say(request: HttpRequest, error: DomainError, prefix: str = "") -> None:
    if isinstance(error, ValidationFailed):
        text = "; ".join(
            f"{name.replace('_', ' ').capitalize()}: {' '.join(msgs)}" for name, msgs in error.fields.items()
        )
    else:
        text = error.message
    messages.error(request, f"{prefix}{text}")


def _day(text: str | None, default: dt.date | None = None) -> dt.date | None:
    try:
        return dt.date.fromisoformat((text or "").strip())
    except ValueError:
        return default


# --- timesheets -----------------------------------------------------------------------------------


def _me(request: HttpRequest) -> Person:
    person_id = person_id_of(request.user)
    if person_id is None:
        raise PermissionDenied("Your account is not linked to a person; ask the PMO to link it.")
    return Person.objects.get(pk=person_id)


@login_required
def timesheet_week(request: HttpRequest) -> HttpResponse:
    require(request.user, "view", Timesheet)
    me = _me(request)
    week_start = services.week_start_of(_day(request.GET.get("week") or request.POST.get("week"), timezone.localdate()))
    if request.method == "POST":
        grid = selectors.week_grid(me, week_start)
        rows: list[services.HoursRow] = []
        bad: list[str] = []
        for row in grid.rows:
            if not row.editable:
                continue
            for i, day in enumerate(grid.days):
                raw = request.POST.get(f"h-{row.task.pk}-{i}", "").strip().replace(",", ".")
                try:
                    hours = Decimal(raw) if raw else Decimal(0)
                except InvalidOperation:
                    bad.append(f"{row.task.name} on {day:%a %d %b}: {raw!r} is not a number of hours")
                    continue
                if hours != (row.hours[i] or Decimal(0)):
                    rows.append(services.HoursRow(row.task.pk, day, hours))
        url = f"{reverse('timesheet')}?week={week_start.isoformat()}"
        if bad:
            messages.error(request, "Nothing was saved. " + "; ".join(bad) + ".")
            return HttpResponseRedirect(url)
        try:
            if rows:
                services.timesheet_save(actor=request.user, person=me, week_start=week_start, rows=rows)
            if request.POST.get("submit"):
                sheets = services.timesheet_submit(actor=request.user, person=me, week_start=week_start)
                managers = sorted({str(s.project.manager or "the PMO") for s in sheets})
                messages.success(request, f"Week submitted for approval to {', '.join(managers)}.")
            else:
                messages.success(request, "Hours saved.")
        except DomainError as error:
            _say(request, error, "Nothing was saved. ")
        return HttpResponseRedirect(url)
    grid = selectors.week_grid(me, week_start)
    return render(
        request,
        "control/timesheet.html",
        {
            "grid": grid,
            "previous": (week_start - dt.timedelta(days=7)).isoformat(),
            "next": (week_start + dt.timedelta(days=7)).isoformat(),
            "approvals": len(selectors.approvals_for(request.user)),
            "today": timezone.localdate(),
        },
    )


@login_required
def approvals(request: HttpRequest) -> HttpResponse:
    require(request.user, "view", Timesheet)
    sheets = [
        {
            "sheet": s,
            "hours": selectors.sheet_hours(s),
            "entries": list(s.entries.select_related("task").order_by("task__position", "day")),
        }
        for s in selectors.approvals_for(request.user)
    ]
    download = list_export(
        request,
        "Timesheets to approve",
        [
            ("Person", lambda e: str(e[0]["sheet"].person)),
            ("Project code", lambda e: e[0]["sheet"].project.code),
            ("Project", lambda e: e[0]["sheet"].project.name),
            ("Week of", lambda e: e[0]["sheet"].week_start),
            ("Submitted", lambda e: e[0]["sheet"].submitted_at),
            ("Task", lambda e: e[1].task.name),
            ("Day", lambda e: e[1].day),
            ("Hours", lambda e: e[1].hours),
        ],
        [(row, entry) for row in sheets for entry in row["entries"]],
    )
    if download:
        return download
    return render(request, "control/approvals.html", {"sheets": sheets})


@login_required
@require_POST
def timesheet_decide(request: HttpRequest, pk: int) -> HttpResponse:
    sheet = Timesheet.objects.select_related("person", "project").filter(pk=pk).first()
    if sheet is None or not can(request.user, "view", sheet):
        raise Http404("No such timesheet.")
    try:
        if request.POST.get("decision") == "return":
            services.timesheet_return(actor=request.user, timesheet=sheet, comment=request.POST.get("comment", ""))
            messages.success(request, f"Returned to {sheet.person}: {sheet}.")
        else:
            services.timesheet_approve(actor=request.user, timesheet=sheet, comment=request.POST.get("comment", ""))
            messages.success(request, f"Approved: {sheet}.")
    except DomainError as error:
        _say(request, error)
    return HttpResponseRedirect(reverse("timesheet-approvals"))


# --- a project's performance ----------------------------------------------------------------------


def _project(request: HttpRequest, pk: int) -> Project:
    project = Project.objects.select_related("portfolio", "program", "manager").filter(pk=pk).first()
    if project is None or not can(request.user, "view", project):
        raise Http404("No such project.")
    require(request.user, "view_financials", project)
    require(request.user, "view", EvmSnapshot)
    return project


def _back(project: Project, anchor: str = "") -> HttpResponseRedirect:
    return HttpResponseRedirect(reverse("performance", args=[project.pk]) + anchor)


@login_required
def performance(request: HttpRequest, pk: int) -> HttpResponse:
    project = _project(request, pk)
    rows = selectors.snapshots(project)
    latest = rows[-1] if rows else None
    plan = Plan.objects.filter(project=project).first()
    status_date = timezone.localtime(plan.status_date).date() if plan and plan.status_date else timezone.localdate()
    work = selectors.actual_work_hours(project)
    tasks = {t.pk: t for t in Task.objects.filter(pk__in=list(work))}
    settings = services.settings_of(project)
    return render(
        request,
        "control/performance.html",
        {
            "project": project,
            "snapshots": list(reversed(rows)),
            "latest": latest,
            "rag": selectors.rag(latest),
            "colours": selectors.index_colours(latest, thresholds_for(project.portfolio_id)),
            "chart": json.dumps(selectors.chart_data(project, rows)),
            "costs": selectors.costs_by_month(project),
            "categories": CostCategory.choices,
            "expense_categories": [c for c in CostCategory.choices if c[0] != CostCategory.LABOUR],
            "recent_costs": list(selectors.cost_entries(project)[:10]),
            "actual_work": sorted(((tasks[k], v) for k, v in work.items()), key=lambda r: r[0].position),
            "settings": settings,
            "methods": ProgressMethod.choices,
            "status_date": status_date,
            "can_snapshot": can(request.user, "add", EvmSnapshot(project=project)),
            "can_add_cost": can(request.user, "add", CostEntry(project=project)),
            "can_configure": can(request.user, "change" if settings.pk else "add", settings),
            "tasks": Task.objects.filter(project=project, is_summary=False).order_by("position"),
            "budgets": selectors.task_budget_rows(project),
        },
    )


@login_required
@require_POST
def snapshot_take(request: HttpRequest, pk: int) -> HttpResponse:
    project = _project(request, pk)
    day = _day(request.POST.get("status_date"))
    if day is None:
        messages.error(request, "Status date: give a date (YYYY-MM-DD).")
        return _back(project)
    try:
        s = services.evm_snapshot_take(actor=request.user, project=project, status_date=day)
        messages.success(request, f"Snapshot taken at {s.status_date:%d %b %Y}.")
    except DomainError as error:
        _say(request, error, "No snapshot was taken. ")
    return _back(project)


@login_required
@require_POST
def settings_save(request: HttpRequest, pk: int) -> HttpResponse:
    project = _project(request, pk)
    try:
        services.control_settings_update(
            actor=request.user, project=project, progress_method=request.POST.get("progress_method", "")
        )
        messages.success(request, "Progress method saved; it applies to the next snapshot.")
    except DomainError as error:
        _say(request, error)
    return _back(project)


def _decimal(text: str | None, name: str) -> Decimal | None:
    raw = (text or "").strip().replace(",", "")
    if not raw:
        return None
    try:
        return Decimal(raw)
    except InvalidOperation:
        raise ValidationFailed({name: f"{raw!r} is not a number."}) from None


@login_required
@require_POST
def budgets_save(request: HttpRequest, pk: int) -> HttpResponse:
    project = _project(request, pk)
    names = ("budget", "physical_percent", "weight")
    try:
        changes = []
        for row in selectors.task_budget_rows(project):
            task = row["task"]
            if not any(f"{name}-{task.pk}" in request.POST for name in names):
                continue
            values = {
                name: _decimal(request.POST.get(f"{name}-{task.pk}"), f"Task {task.uid} {name.replace('_', ' ')}")
                for name in names
            }
            if values != {name: row[name] for name in names}:
                changes.append((task, values))
        with transaction.atomic():
            for task, values in changes:
                services.task_budget_set(actor=request.user, task=task, **values)
        messages.success(request, f"{len(changes)} task budgets saved; they count from the next snapshot.")
    except DomainError as error:
        _say(request, error, "Nothing was saved. ")
    return _back(project, "#budgets")


@login_required
@require_POST
def cost_add(request: HttpRequest, pk: int) -> HttpResponse:
    project = _project(request, pk)
    try:
        raw = request.POST.get("amount", "").strip().replace(",", "")
        try:
            amount = Decimal(raw)
        except InvalidOperation:
            raise ValidationFailed({"amount": f"{raw!r} is not a number."}) from None
        day = _day(request.POST.get("date"))
        if day is None:
            raise ValidationFailed({"date": "Give a date (YYYY-MM-DD)."})
        task = Task.objects.filter(project=project, pk=request.POST.get("task") or 0).first()
        services.cost_entry_create(
            actor=request.user,
            project=project,
            date=day,
            category=request.POST.get("category", ""),
            amount=amount,
            description=request.POST.get("description", ""),
            task=task,
        )
        messages.success(request, "Expense recorded.")
    except DomainError as error:
        _say(request, error, "The expense was not recorded. ")
    return _back(project, "#costs")


@login_required
@require_POST
def cost_import(request: HttpRequest, pk: int) -> HttpResponse:
    project = _project(request, pk)
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, "Choose a CSV or Excel file to import.")
        return _back(project, "#costs")
    try:
        created = services.cost_entries_import(
            actor=request.user, project=project, filename=upload.name or "", content=upload.read()
        )
        total = sum((e.amount for e in created), Decimal(0))
        messages.success(request, f"Imported {len(created)} expenses ({total:,.2f} {project.currency}).")
    except DomainError as error:
        _say(request, error, "Nothing was imported. ")
    return _back(project, "#costs")


# --- portfolio / program ---------------------------------------------------------------------------


def _int(text: str | None) -> int | None:
    text = (text or "").strip()
    return int(text) if text.isdigit() and int(text) > 0 else None


@login_required
def portfolio_performance(request: HttpRequest) -> HttpResponse:
    require(request.user, "view", EvmSnapshot)
    portfolios = list(Portfolio.objects.order_by("code"))
    programs = list(Program.objects.select_related("portfolio").order_by("code"))
    portfolio_id = _int(request.GET.get("portfolio"))
    program_id = _int(request.GET.get("program"))
    if portfolio_id is None and program_id is None and portfolios:
        portfolio_id = portfolios[0].pk
    projects = selectors.measured_projects(request.user, portfolio_id=portfolio_id, program_id=program_id)
    result = selectors.rollup(projects)
    scope: Any = next((p for p in programs if p.pk == program_id), None) or next(
        (p for p in portfolios if p.pk == portfolio_id), None
    )
    can_take = bool(projects) and all(can(request.user, "add", EvmSnapshot(project=p)) for p in projects)
    # The totals are judged on the thresholds of the portfolio shown (a program's portfolio).
    rules = thresholds_for(scope.portfolio_id if isinstance(scope, Program) else portfolio_id)
    totals = result.totals
    download = list_export(
        request,
        f"Performance {scope.code if scope else ''}",
        [
            ("Project code", lambda r: r.project.code),
            ("Project", lambda r: r.project.name),
            ("Program", lambda r: r.project.program.code if r.project.program_id else ""),
            ("Status date", lambda r: r.snapshot.status_date),
            ("BAC", lambda r: r.snapshot.bac),
            ("PV", lambda r: r.snapshot.pv),
            ("EV", lambda r: r.snapshot.ev),
            ("AC", lambda r: r.snapshot.ac),
            ("SPI", lambda r: r.snapshot.spi),
            ("CPI", lambda r: r.snapshot.cpi),
            ("SPI(t)", lambda r: r.snapshot.spi_t),
            ("EAC", lambda r: r.snapshot.eac),
            ("Planned finish", lambda r: r.snapshot.planned_finish),
            ("Forecast finish", lambda r: r.snapshot.forecast_finish),
            ("RAG", lambda r: r.rag),
        ],
        [r for r in result.rows if r.snapshot is not None],
    )
    if download:
        return download
    return render(
        request,
        "control/portfolio.html",
        {
            "portfolios": portfolios,
            "programs": programs,
            "portfolio_id": portfolio_id,
            "program_id": program_id,
            "scope": scope,
            "rollup": result,
            "rows": [r for r in result.rows if r.snapshot is not None],
            "unmeasured": [r.project for r in result.rows if r.snapshot is None],
            "totals_rag": selectors.performance_rag(totals.spi, totals.cpi, None, rules) if totals else "unknown",
            "totals_colours": selectors.index_colours(totals, rules),
            "can_take": can_take,
            "today": timezone.localdate(),
        },
    )


@login_required
@require_POST
def portfolio_snapshot(request: HttpRequest) -> HttpResponse:
    require(request.user, "view", EvmSnapshot)
    portfolio_id = _int(request.POST.get("portfolio"))
    program_id = _int(request.POST.get("program"))
    projects = selectors.measured_projects(request.user, portfolio_id=portfolio_id, program_id=program_id)
    day = _day(request.POST.get("status_date"), timezone.localdate())
    assert day is not None
    for project in projects:
        require(request.user, "add", EvmSnapshot(project=project))
    taken, skipped = 0, []
    for project in projects:
        try:
            services.evm_snapshot_take(actor=request.user, project=project, status_date=day)
            taken += 1
        except DomainError as error:
            skipped.append(f"{project.code} ({error.message})")
    messages.success(request, f"{taken} snapshots taken at {day:%d %b %Y}.")
    if skipped:
        messages.error(request, "Not measured: " + "; ".join(skipped))
    query = f"?program={program_id}" if program_id else f"?portfolio={portfolio_id or ''}"
    return HttpResponseRedirect(reverse("portfolio-performance") + query)


def nav_items(user: Any, path: str) -> list[dict[str, Any]]:
    """The sidebar entries of monitoring and control this user may open."""
    items = []
    if can(user, "add", Timesheet) and person_id_of(user) is not None:
        items.append(
            {"label": "Timesheet", "url": reverse("timesheet"), "icon": "◴", "active": path.startswith("/timesheet")}
        )
    if can(user, "view", EvmSnapshot):
        items.append(
            {
                "label": "Performance",
                "url": reverse("portfolio-performance"),
                "icon": "↗",
                "active": path.startswith("/performance/") or "/performance/" in path,
            }
        )
    return items
