"""Cross-project dependencies on the pages: the plan's links to and from other projects (add, remove, how
late, what it does to the finish) and a portfolio's dependency map."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from pmo.core.access import can
from pmo.core.errors import DomainError, ValidationFailed
from pmo.planning import links
from pmo.planning.dependency_map import Edge, Node, render_dependency_map
from pmo.planning.models import CrossProjectLink, Task
from pmo.planning.selectors import link_row
from pmo.planning.views import _project, _say
from pmo.portfolio.models import Portfolio, Project


def _back(project: Project) -> HttpResponseRedirect:
    return HttpResponseRedirect(reverse("plan", args=[project.pk]) + "#dependencies")


@login_required
@require_POST
def cross_link_add(request: HttpRequest, pk: int) -> HttpResponse:
    project = _project(request, pk)
    post = request.POST
    try:
        needed = None
        if post.get("date_needed"):
            try:
                needed = dt.date.fromisoformat(post["date_needed"])
            except ValueError:
                raise ValidationFailed({"date_needed": "Give the date as YYYY-MM-DD."}) from None
        provider = links.provider_task(
            actor=request.user, project_code=post.get("provider_project", ""), uid=post.get("provider_uid", "")
        )
        consumer = Task.objects.filter(project=project, uid=int(post.get("consumer_uid") or 0)).first()
        if consumer is None:
            raise ValidationFailed({"consumer": "Choose the task of this plan that waits."})
        link = links.cross_link_create(
            actor=request.user, provider=provider, consumer=consumer, date_needed=needed, note=post.get("note", "")
        )
    except DomainError as error:
        _say(request, error, "Not linked: ")
        return _back(project)
    state = f"late by {link.late_days} day(s)" if link.late_days else "on time"
    messages.success(
        request, f"{consumer.uid} {consumer.name} now waits for {provider.project.code} {provider.name} ({state})."
    )
    return _back(project)


@login_required
@require_POST
def cross_link_remove(request: HttpRequest, pk: int, link_pk: int) -> HttpResponse:
    project = _project(request, pk)
    link = CrossProjectLink.objects.filter(pk=link_pk, consumer__project=project).select_related("consumer").first()
    if link is None:
        raise Http404("No such link.")
    links.cross_link_delete(actor=request.user, link=link)
    messages.success(request, "Link removed.")
    return _back(project)


def portfolio_links(portfolio: Portfolio, user: Any) -> list[CrossProjectLink]:
    rows = (
        CrossProjectLink.objects.filter(pk__in=links.link_ids(project__portfolio=portfolio))
        .select_related("provider__project", "consumer__project")
        .order_by("consumer__project__code", "consumer__position")
    )
    return [r for r in rows if can(user, "view", r.provider.project) and can(user, "view", r.consumer.project)]


@login_required
def dependency_map(request: HttpRequest, pk: int) -> HttpResponse:
    portfolio = Portfolio.objects.filter(pk=pk).first()
    if portfolio is None or not can(request.user, "view", portfolio):
        raise Http404("No such portfolio.")
    rows = portfolio_links(portfolio, request.user)
    projects: dict[int, Project] = {}
    pairs: dict[tuple[int, int], list[CrossProjectLink]] = {}
    for link in rows:
        provider, consumer = link.provider.project, link.consumer.project
        projects[provider.pk], projects[consumer.pk] = provider, consumer
        pairs.setdefault((provider.pk, consumer.pk), []).append(link)
    nodes = [
        Node(p.pk, f"{p.code} {p.name}", reverse("plan", args=[p.pk]), p.state, outside=p.portfolio_id != portfolio.pk)
        for p in sorted(projects.values(), key=lambda p: p.code)
    ]
    edges = [
        Edge(
            a,
            b,
            [
                f"{x.provider.name} -> {x.consumer.name}: needed {links.date_needed(x) or '—'}, "
                + (f"{x.late_days} day(s) late" if x.late_days else "on time")
                for x in group
            ],
            max(x.late_days for x in group),
        )
        for (a, b), group in pairs.items()
    ]
    table = [link_row(link) for link in rows]
    return render(
        request,
        "planning/dependency_map.html",
        {
            "portfolio": portfolio,
            "svg": mark_safe(render_dependency_map(nodes, edges)),  # built from escaped values
            "rows": table,
            "late": [r for r in table if r["late"]],
            "flagged": sorted({r["link"].consumer.project.code for r in table if r["late"]}),
        },
    )
