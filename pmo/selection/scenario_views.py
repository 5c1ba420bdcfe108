"""Scenario pages: list, edit assumptions, run with progress, result with frontier, compare two, approve."""

from __future__ import annotations

import json
from collections import defaultdict
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_POST

from pmo.core.access import can, require
from pmo.core.errors import DomainError, ValidationFailed
from pmo.portfolio.lifecycle import ACTIVE_STATES
from pmo.portfolio.models import Portfolio, Project
from pmo.reporting.exports import list_export
from pmo.selection import scenarios
from pmo.selection.models import Proposal, Scenario, ScoringModel


def _scenario(pk: int) -> Scenario:
    scenario = Scenario.objects.filter(pk=pk).select_related("portfolio", "scoring_model").first()
    if scenario is None:
        raise Http404("No such scenario.")
    return scenario


def _say(request: HttpRequest, error: DomainError) -> None:
    if isinstance(error, ValidationFailed):
        for name, msgs in error.fields.items():
            messages.error(request, f"{name.replace('_', ' ').capitalize()}: {' '.join(msgs)}")
    else:
        messages.error(request, error.message)


def _pairs(text: str, field: str) -> dict[str, str]:
    """'2027: 2000000' lines into a mapping (the assumptions form)."""
    result = {}
    for number, line in enumerate((text or "").splitlines(), start=1):
        if not line.strip():
            continue
        if ":" not in line:
            raise ValidationFailed({field: f"Line {number}: write 'name: amount'."})
        key, value = line.rsplit(":", 1)
        result[key.strip()] = value.strip().replace(",", "")
    return result


def _titles(codes: list[str]) -> dict[str, str]:
    """Names of candidates: proposals by proposal code, running projects by project code."""
    titles = dict(Proposal.objects.filter(code__in=codes).values_list("code", "title"))
    titles.update(Project.objects.filter(code__in=codes).values_list("code", "name"))
    return titles


@login_required
def scenario_list(request: HttpRequest) -> HttpResponse:
    require(request.user, "view", Scenario)
    scenarios = Scenario.objects.select_related("portfolio")
    download = list_export(
        request,
        "Selection scenarios",
        [
            ("Scenario", lambda s: s.name),
            ("Portfolio", lambda s: str(s.portfolio or "All portfolios")),
            ("Objective", lambda s: s.get_objective_display()),
            ("Status", lambda s: s.get_status_display()),
            ("Selected", lambda s: len(s.result.get("selected", [])) if s.result else None),
            ("Value", lambda s: round(s.result["objective"], 1) if s.result and "objective" in s.result else None),
        ],
        scenarios,
    )
    if download:
        return download
    return render(
        request,
        "selection/scenario_list.html",
        {"scenarios": scenarios, "can_add": can(request.user, "add", Scenario)},
    )


@login_required
def scenario_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    scenario = _scenario(pk) if pk else None
    require(request.user, "change" if scenario else "add", scenario or Scenario)
    proposals = list(
        Proposal.objects.filter(state__in=[Proposal.State.SUBMITTED, Proposal.State.UNDER_EVALUATION]).order_by("code")
    )
    # Running projects that came from a proposal can be forced in or out too (when they compete).
    proposals += list(
        Proposal.objects.filter(state=Proposal.State.APPROVED, project__state__in=ACTIVE_STATES)
        .select_related("project")
        .order_by("project__code")
    )
    if request.method == "POST":
        post = request.POST
        try:
            saved = scenarios.scenario_save(
                actor=request.user,
                scenario=scenario,
                name=post.get("name", "").strip(),
                portfolio=Portfolio.objects.filter(pk=post.get("portfolio") or 0).first(),
                scoring_model=ScoringModel.objects.filter(pk=post.get("scoring_model") or 0).first(),
                objective=post.get("objective", "score"),
                budget_per_year=_pairs(post.get("budget_per_year", ""), "budget_per_year"),
                capacity_per_role=_pairs(post.get("capacity_per_role", ""), "capacity_per_role"),
                time_limit_s=float(post.get("time_limit_s") or 10),
                include_running=post.get("include_running") == "on",
                spread_starts=post.get("spread_starts") == "on",
                forced_in=[p for p in proposals if str(p.pk) in post.getlist("forced_in")],
                forced_out=[p for p in proposals if str(p.pk) in post.getlist("forced_out")],
            )
            messages.success(request, f"Scenario {saved} saved. Run it to see the selection.")
            return HttpResponseRedirect(reverse("scenario-detail", args=[saved.pk]))
        except DomainError as error:
            _say(request, error)
        except ValueError:
            messages.error(request, "Time limit: give a number of seconds.")
    return render(
        request,
        "selection/scenario_form.html",
        {
            "scenario": scenario,
            "proposals": proposals,
            "portfolios": Portfolio.objects.all(),
            "models": ScoringModel.objects.filter(active=True),
            "objectives": Scenario.Objective.choices,
            "budget_text": "\n".join(
                f"{k}: {v:,.0f}" for k, v in (scenario.budget_per_year if scenario else {}).items()
            ),
            "capacity_text": "\n".join(
                f"{k}: {v:g}" for k, v in (scenario.capacity_per_role if scenario else {}).items()
            ),
            "forced_in": set(scenario.forced_in.values_list("pk", flat=True)) if scenario else set(),
            "forced_out": set(scenario.forced_out.values_list("pk", flat=True)) if scenario else set(),
        },
    )


def _capacities(result: dict[str, Any]) -> dict[str, float]:
    """Every capacity row by name (results stored before time-phased rows only have the problem's)."""
    return result.get("capacities") or result.get("problem", {}).get("capacities", {})


def _usage_rows(result: dict[str, Any]) -> list[dict[str, Any]]:
    capacities = _capacities(result)
    unlimited = set(result.get("problem", {}).get("unlimited", []))
    usage = result.get("usage", {})
    rows = []
    for name in sorted(capacities):
        if name in unlimited:
            rows.append({"name": name, "used": usage.get(name, 0.0), "limit": None, "share": None, "tone": "unknown"})
            continue
        limit = capacities[name]
        used = usage.get(name, 0.0)
        share = used / limit if limit else 0.0
        rows.append({"name": name, "used": used, "limit": limit, "share": round(share * 100), "tone": _tone(share)})
    return rows


def _tone(share: float) -> str:
    return "red" if share > 0.999 else "amber" if share > 0.85 else "green"


def _heat(result: dict[str, Any]) -> dict[str, Any]:
    """Capacity use per role and month as a heat map: roles down, months across."""
    capacities = _capacities(result)
    usage = result.get("usage", {})
    grid: dict[str, dict[str, int]] = defaultdict(dict)
    months: set[str] = set()
    for name, limit in capacities.items():
        if name.startswith("budget "):
            continue
        role, month = name.rsplit(" ", 1)
        months.add(month)
        grid[role][month] = round(100 * usage.get(name, 0.0) / limit) if limit else 0
    ordered = sorted(months)
    return {
        "months": ordered,
        "rows": [
            {
                "role": role,
                "cells": [{"value": cells.get(m), "tone": _tone((cells.get(m) or 0) / 100)} for m in ordered],
            }
            for role, cells in sorted(grid.items())
        ],
    }


@login_required
def scenario_detail(request: HttpRequest, pk: int) -> HttpResponse:
    scenario = _scenario(pk)
    require(request.user, "view", scenario)
    result = scenario.result or {}
    candidates = {c["id"]: c for c in result.get("problem", {}).get("candidates", [])}
    titles = _titles(list(candidates))
    running = set(Project.objects.filter(code__in=list(candidates)).values_list("code", flat=True))
    starts = result.get("starts", {})
    selected = result.get("selected", [])
    return render(
        request,
        "selection/scenario_detail.html",
        {
            "scenario": scenario,
            "result": result,
            "candidate_count": len(candidates),
            "selected": [
                {
                    "code": c,
                    "title": titles.get(c, ""),
                    "running": c in running,
                    # running projects keep their dates; start months are the scenario's choice for proposals
                    "start": None if c in running else starts.get(c),
                    **candidates.get(c, {}),
                }
                for c in selected
            ],
            "rejected": [
                {
                    "code": c,
                    "title": titles.get(c, ""),
                    "running": c in running,
                    **candidates[c],
                    "why": result.get("explanations", {}).get(c, ""),
                }
                for c in sorted(set(candidates) - set(selected))
            ],
            "has_starts": bool(starts),
            "gap_percent": f"{100 * result['gap']:.2f} %" if result.get("gap") else "",
            # results stored before the binding rows carried their blocked candidates list names only
            "binding": [b for b in result.get("binding", []) if isinstance(b, dict)][:8],
            "usage": _usage_rows(result),
            "heat": _heat(result),
            "frontier_json": json.dumps(result.get("frontier", [])),
            "can_change": can(request.user, "change", scenario) and scenario.status != Scenario.Status.APPROVED,
            "can_approve": scenario.status == Scenario.Status.DONE and can(request.user, "approve_selection", scenario),
            "others": Scenario.objects.exclude(pk=pk).filter(status__in=["done", "approved"]),
        },
    )


@login_required
def scenario_status(request: HttpRequest, pk: int) -> JsonResponse:
    scenario = _scenario(pk)
    require(request.user, "view", scenario)
    status = "running" if scenario.status == Scenario.Status.RUNNING else scenario.status
    return JsonResponse({"status": status, "progress": scenario.progress, "message": scenario.message})


@login_required
@require_POST
def scenario_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    scenario = _scenario(pk)
    try:
        if action == "run":
            scenarios.scenario_run(actor=request.user, scenario=scenario)
        elif action == "copy":
            copy = scenarios.scenario_copy(
                actor=request.user, scenario=scenario, name=request.POST.get("name", "").strip()
            )
            messages.success(request, f"Copied as {copy}.")
            return HttpResponseRedirect(reverse("scenario-edit", args=[copy.pk]))
        elif action == "approve":
            codes = {key[len("code-") :]: value for key, value in request.POST.items() if key.startswith("code-")}
            projects = scenarios.scenario_approve(
                actor=request.user, scenario=scenario, project_codes=codes, comment=request.POST.get("comment", "")
            )
            messages.success(request, f"Approved: {', '.join(str(p) for p in projects)} are now projects.")
        else:
            raise Http404("No such action.")
    except DomainError as error:
        _say(request, error)
    return HttpResponseRedirect(reverse("scenario-detail", args=[pk]))


@login_required
def scenario_compare(request: HttpRequest) -> HttpResponse:
    require(request.user, "view", Scenario)
    chosen = [Scenario.objects.filter(pk=request.GET.get(k) or 0).first() for k in ("a", "b")]
    if not all(chosen):
        messages.error(request, "Choose two scenarios to compare.")
        return HttpResponseRedirect(reverse("scenario-list"))
    columns = []
    for s in chosen:
        result = s.result or {}
        columns.append(
            {
                "scenario": s,
                "result": result,
                "selected": set(result.get("selected", [])),
                "usage": _usage_rows(result),
                "heat": _heat(result),
            }
        )
    codes = sorted(columns[0]["selected"] | columns[1]["selected"])
    titles = _titles(codes)
    return render(
        request,
        "selection/scenario_compare.html",
        {
            "columns": columns,
            "membership": [
                (c, titles.get(c, ""), c in columns[0]["selected"], c in columns[1]["selected"]) for c in codes
            ],
        },
    )
