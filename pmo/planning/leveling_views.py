"""Pages for levelling projects over shared people: start a run, watch it, review, accept or discard."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_POST

from pmo.core.access import can
from pmo.core.errors import DomainError
from pmo.planning import leveling
from pmo.planning.models import LevelingRun
from pmo.portfolio.models import Project


def _run(request: HttpRequest, pk: int) -> LevelingRun:
    run = LevelingRun.objects.filter(pk=pk).select_related("portfolio", "created_by").first()
    if run is None or not all(can(request.user, "view", p) for p in run.projects.all()):
        raise Http404("No such levelling run.")
    return run


@login_required
@require_POST
def leveling_start(request: HttpRequest) -> HttpResponse:
    ids = [int(i) for i in request.POST.getlist("projects") if i.isdigit()]
    projects = list(Project.objects.filter(pk__in=ids).order_by("code"))
    back = request.POST.get("back") or reverse("home")
    try:
        run = leveling.leveling_start(
            actor=request.user,
            projects=projects,
            mode=request.POST.get("mode", "fast"),
            time_limit_s=float(request.POST.get("time_limit") or 10),
            within_float=request.POST.get("within_float") == "on",
        )
    except (DomainError, ValueError) as error:
        messages.error(request, getattr(error, "message", str(error)))
        return HttpResponseRedirect(back)
    return HttpResponseRedirect(reverse("leveling-run", args=[run.pk]))


@login_required
def leveling_run(request: HttpRequest, pk: int) -> HttpResponse:
    run = _run(request, pk)
    projects = list(run.projects.order_by("code"))
    return render(
        request,
        "planning/leveling_run.html",
        {
            "run": run,
            "projects": projects,
            "result": run.result,
            "can_accept": run.status == LevelingRun.Status.DONE
            and all(can(request.user, "change", p) for p in projects),
            "can_discard": run.status in (LevelingRun.Status.DONE, LevelingRun.Status.FAILED)
            and (run.created_by_id == request.user.pk or all(can(request.user, "change", p) for p in projects)),
        },
    )


@login_required
def leveling_status(request: HttpRequest, pk: int) -> JsonResponse:
    run = _run(request, pk)
    return JsonResponse({"status": run.status, "progress": run.progress, "message": run.message})


@login_required
@require_POST
def leveling_decide(request: HttpRequest, pk: int, decision: str) -> HttpResponse:
    run = _run(request, pk)
    try:
        if decision == "accept":
            changed = leveling.leveling_accept(actor=request.user, run=run)
            messages.success(request, f"Accepted: {changed} tasks now start no earlier than their levelled dates.")
        elif decision == "discard":
            leveling.leveling_discard(actor=request.user, run=run)
            messages.success(request, "Discarded; the plans are unchanged.")
        else:
            raise Http404("No such decision.")
    except DomainError as error:
        messages.error(request, error.message)
    return HttpResponseRedirect(reverse("leveling-run", args=[pk]))
