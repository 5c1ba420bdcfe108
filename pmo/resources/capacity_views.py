"""The capacity page: demand against capacity as a heat map by person, role, skill or unit, what is
behind each cell, what-ifs beside today, and reassignment suggestions for over-allocated work."""

from __future__ import annotations

import contextlib
import datetime as dt
import math
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_POST

from pmo.core.access import can
from pmo.core.errors import DomainError
from pmo.engine import capacity as engine
from pmo.planning import services as planning
from pmo.planning.models import Assignment, Task
from pmo.portfolio.models import Project
from pmo.resources import capacity, whatifs
from pmo.resources.models import JobRole, Person, SavedWhatIf


def _int(text: str | None, default: int, low: int, high: int) -> int:
    try:
        return min(high, max(low, int((text or "").strip())))
    except ValueError:
        return default


def _month(text: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(f"{(text or '').strip()}-01")
    except ValueError:
        return None


def _whatif(query: QueryDict) -> capacity.WhatIf:
    shifts = []
    for raw in query.getlist("shift"):
        project, _, weeks = raw.partition(":")
        if project and weeks.lstrip("-").isdigit() and int(weeks):
            shifts.append((project, int(weeks)))
    if query.get("shift_project") and query.get("shift_weeks", "").lstrip("-").isdigit():
        weeks = int(query["shift_weeks"])
        if weeks:
            shifts.append((query["shift_project"], weeks))
    hires = []
    if query.get("hire_role"):
        with contextlib.suppress(ValueError):
            hires.append((query["hire_role"], float(query.get("hire_hours") or 40)))
    for raw in query.getlist("hire"):
        role, _, hours = raw.partition(":")
        try:
            hires.append((role, float(hours or 40)))
        except ValueError:
            continue
    return capacity.WhatIf(
        shifts=tuple(shifts),
        add_proposals=tuple(query.getlist("add")),
        drop_proposals=tuple(query.getlist("drop")),
        remove_people=tuple(query.getlist("remove")),
        add_people=tuple(hires),
    )


@login_required
def capacity_page(request: HttpRequest) -> HttpResponse:
    if not can(request.user, "view", Person):
        raise PermissionDenied
    by = request.GET.get("by", "role")
    by = by if by in capacity.GROUPS else "role"
    unit = "week" if request.GET.get("unit") == "week" else "month"
    count = _int(request.GET.get("count"), 6 if unit == "month" else 13, 1, 36 if unit == "month" else 104)
    start = _month(request.GET.get("start"))
    switch = request.GET.getlist("proposals")  # the box sends "on" beside a hidden "off"
    include_proposals = "on" in switch if switch else True
    inputs, labels = capacity.capacity_inputs_kept(
        start=start, count=count, unit=unit, include_proposals=include_proposals
    )
    thresholds = engine.Thresholds()
    today = engine.compute(inputs)
    today_map = engine.heat_map(today, by)
    whatif = _whatif(request.GET)
    changed = None
    if not whatif.empty:
        changed = engine.compute(whatif.apply(inputs, labels))
    shown = changed or today
    cell = request.GET.get("cell", "")
    drill = None
    contributions: list[engine.Contribution] = []
    if "|" in cell:
        key, _, period = cell.rpartition("|")
        if period.isdigit() and int(period) < len(today_map.periods):
            contributions = engine.contributions(shown, key, int(period), by)
            drill = {
                "label": labels.key(by, key),
                "period": today_map.periods[int(period)].label,
                "rows": [
                    {
                        "project": labels.projects.get(c.project_id, c.project_id),
                        "project_pk": labels.project_pk.get(c.project_id),
                        "kind": c.kind.value if hasattr(c.kind, "value") else c.kind,
                        "task": c.task_name,
                        "person": labels.people.get(c.person_id or "", "—"),
                        "hours": round(c.hours, 1),
                        "suggestions": _suggestions(shown, c, labels) if c.kind == "plan" else [],
                        "task_id": c.task_id,
                        "person_id": c.person_id,
                    }
                    for c in contributions
                ],
            }
    over_allocations = engine.over_allocations(shown, by, thresholds)
    over = [
        {
            "label": labels.key(by, o.key),
            "key": o.key,
            "period": o.period.label,
            "period_index": o.period.index,
            "load": round(100 * o.load) if math.isfinite(o.load) else 999,
            "excess": round(o.excess_hours),
            "projects": sorted({labels.projects.get(c.project_id, c.project_id) for c in o.contributions})[:4],
        }
        for o in over_allocations[:15]
    ]
    # Levelling works on plans: the running projects whose planned work makes the over-allocation.
    behind = {c.project_id for o in over_allocations for c in o.contributions if c.kind == "plan"}
    if drill is not None:
        behind = {c.project_id for c in contributions if c.kind == "plan"} or behind
    level_pks = sorted(labels.project_pk[p] for p in behind if p in labels.project_pk)
    level_candidates = [
        p for p in Project.objects.filter(pk__in=level_pks).order_by("code") if can(request.user, "view", p)
    ]
    under = [
        {"label": labels.key(by, u.key), "period": u.period.label, "free": round(u.capacity - u.demand)}
        for u in engine.under_used(shown, by, thresholds)[:10]
    ]
    query = request.GET.copy()
    query.pop("cell", None)
    # The what-if so far, as plain parameters the next form submits again (so changes add up).
    kept = [("shift", f"{p}:{w}") for p, w in whatif.shifts]
    kept += [("add", p) for p in whatif.add_proposals] + [("drop", p) for p in whatif.drop_proposals]
    kept += [("remove", p) for p in whatif.remove_people] + [("hire", f"{r}:{h:g}") for r, h in whatif.add_people]
    for name in ("shift_project", "shift_weeks", "hire_role", "hire_hours"):
        query.pop(name, None)
    for name in ("shift", "add", "drop", "remove", "hire"):
        query.pop(name, None)
    for name, value in kept:
        query.appendlist(name, value)
    return render(
        request,
        "resources/capacity.html",
        {
            "by": by,
            "groups": capacity.GROUPS.items(),
            "unit": unit,
            "count": count,
            "start": inputs.periods.start.strftime("%Y-%m"),
            "include_proposals": include_proposals,
            "periods": today_map.periods,
            "today_rows": capacity.heat_map_rows(today_map, labels, thresholds),
            "whatif_rows": None
            if changed is None
            else capacity.heat_map_rows(engine.heat_map(changed, by), labels, thresholds),
            "whatif": whatif.describe(labels),
            "skipped": labels.skipped,
            "drill": drill,
            "over": over,
            "under": under,
            "query": query.urlencode(),
            "kept": kept,
            "projects": capacity.projects_in(labels),
            "proposals": capacity.proposals_in(labels),
            "people": sorted(labels.people.items(), key=lambda p: p[1]),
            "roles": list(JobRole.objects.order_by("name").values_list("name", flat=True)),
            "can_reassign": can(request.user, "change", Task),
            "level_candidates": level_candidates,
            "saved": _saved_list(request),
            "saved_open": SavedWhatIf.objects.filter(pk=request.GET.get("saved") or 0).first()
            if (request.GET.get("saved") or "").isdigit()
            else None,
            "can_save": can(request.user, "add", SavedWhatIf(owner_id=request.user.pk)),
            "back": request.get_full_path(),
        },
    )


def _saved_list(request: HttpRequest) -> list[dict[str, Any]]:
    out = []
    for saved in SavedWhatIf.objects.select_related("owner").order_by("-created_at", "-pk")[:20]:
        labels = capacity.Labels()
        out.append(
            {
                "obj": saved,
                "query": whatifs.whatif_query(saved),
                "owner": saved.owner.get_full_name() or saved.owner.get_username(),
                "changes": len(capacity.WhatIf.from_json(saved.changes).describe(labels)),
                "can_delete": can(request.user, "delete", saved),
            }
        )
    return out


@login_required
@require_POST
def capacity_whatif_save(request: HttpRequest) -> HttpResponse:
    """Keep the what-if on screen under a name (the plans are not touched)."""
    query = QueryDict(request.POST.get("query", ""))
    switch = query.getlist("proposals")
    back = reverse("capacity") + "?" + query.urlencode()
    try:
        view = whatifs.CapacityView.checked(
            by=query.get("by", "role"),
            unit=query.get("unit", "month"),
            start=query.get("start") or None,
            count=_int(query.get("count"), 6, 1, 104) if query.get("count") else None,
            include_proposals="on" in switch if switch else True,
        )
        saved = whatifs.whatif_save(
            actor=request.user,
            name=request.POST.get("name", ""),
            view=view,
            changes=_whatif(query).to_json(),
            note=request.POST.get("note", ""),
        )
    except DomainError as error:
        fields = error.details.get("fields", {})
        text = "; ".join(" ".join(m) for m in fields.values()) if fields else error.message
        messages.error(request, f"Not saved: {text}")
        return HttpResponseRedirect(back)
    messages.success(request, f"What-if “{saved.name}” saved.")
    return HttpResponseRedirect(reverse("capacity") + "?" + whatifs.whatif_query(saved))


@login_required
@require_POST
def capacity_whatif_delete(request: HttpRequest, pk: int) -> HttpResponse:
    saved = SavedWhatIf.objects.filter(pk=pk).first()
    if saved is None:
        raise Http404("No such what-if.")
    whatifs.whatif_delete(actor=request.user, whatif=saved)
    messages.success(request, f"What-if “{saved.name}” deleted.")
    return HttpResponseRedirect(reverse("capacity"))


def _suggestions(
    result: engine.CapacityResult, c: engine.Contribution, labels: capacity.Labels
) -> list[dict[str, Any]]:
    return [
        {"person_id": s.person_id, "name": labels.people.get(s.person_id, s.person_id), "free": round(s.free_hours)}
        for s in engine.suggest_reassignments(result, c.item, limit=3)
        if not s.person_id.startswith("new-")
    ]


@login_required
@require_POST
def capacity_reassign(request: HttpRequest) -> HttpResponse:
    """Give a task's work of one person to another (the plan is re-scheduled, audited)."""
    back = request.POST.get("back", "")
    target = reverse("capacity") + (f"?{back}" if back else "")
    task = Task.objects.select_related("project").filter(pk=request.POST.get("task")).first()
    giver = Person.objects.filter(pk=request.POST.get("from")).first()
    taker = Person.objects.filter(pk=request.POST.get("to")).first()
    if task is None or giver is None or taker is None:
        messages.error(request, "Choose a task and the two people.")
        return HttpResponseRedirect(target)
    current = list(Assignment.objects.filter(task=task).select_related("person"))
    units = {a.person: a.units for a in current}
    moved = units.pop(giver, None)
    if moved is None:
        messages.error(request, f"{giver.name} no longer works on {task.name}.")
        return HttpResponseRedirect(target)
    units[taker] = units.get(taker, Decimal(0)) + moved
    try:
        planning.task_update(actor=request.user, task=task, assignments=list(units.items()))
    except DomainError as error:
        messages.error(request, f"Not reassigned: {error.message}")
        return HttpResponseRedirect(target)
    messages.success(request, f"{task.project.code} {task.name}: {giver.name}'s work given to {taker.name}.")
    return HttpResponseRedirect(target)
