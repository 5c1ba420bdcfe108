"""The resource pool pages: the pool (people and generic resources), a person's resource profile, the skills
matrix with competency gaps, resource requests (the resource managers' queue and a project manager's own
requests) and training (expiring certificates and training plans)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from pmo.core.access import can
from pmo.core.errors import DomainError, ValidationFailed
from pmo.portfolio.models import Project
from pmo.reporting.exports import list_export
from pmo.resources import pool_forms as f
from pmo.resources import selectors, services
from pmo.resources.models import (
    Absence,
    CapacityPeriod,
    GenericResource,
    JobRole,
    OrgUnit,
    Person,
    PersonSkill,
    ResourceRequest,
    RoleSkillRequirement,
    Skill,
    TrainingPlan,
    TrainingRecord,
)


def _form_errors(form: Any, error: DomainError) -> None:
    if isinstance(error, ValidationFailed):
        for name, msgs in error.fields.items():
            for msg in msgs:
                form.add_error(name if name in form.fields else None, msg)
    else:
        form.add_error(None, error.message)


def _run(request: HttpRequest, form: Any, call: Callable[[dict[str, Any]], Any], done: str) -> bool:
    """Validate the form, call the service with its data; service errors become form errors."""
    if not form.is_valid():
        return False
    try:
        call(dict(form.cleaned_data))
    except DomainError as error:
        _form_errors(form, error)
        return False
    messages.success(request, done)
    return True


def _require_pool(user: Any) -> None:
    if not selectors.sees_pool(user):
        raise PermissionDenied("The resource pool is for the PMO, resource managers and project teams.")


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


def _tabs(tab: str, user: Any) -> dict[str, Any]:
    return {
        "pool_tab": tab,
        "queue_count": selectors.queue().count() if can(user, "decide", ResourceRequest) else 0,
    }


# --- the pool ---------------------------------------------------------------------------------------------


@login_required
def pool(request: HttpRequest) -> HttpResponse:
    _require_pool(request.user)
    today = timezone.localdate()
    unit_id, role_id = _int(request.GET.get("unit")), _int(request.GET.get("role"))
    persons = list(selectors.people(unit_id=unit_id, role_id=role_id))
    gaps: dict[int, int] = {}
    for g in selectors.gaps_for(persons):
        gaps[g.person.pk] = gaps.get(g.person.pk, 0) + 1
    rows = [
        {
            "person": p,
            "roles": selectors.roles_of_person(p),
            "hours": selectors.capacity_on(p, today),
            "profile": selectors.profile_of(p),
            "gaps": gaps.get(p.pk, 0),
            "away": selectors.absences_between(p, today, today).first(),
        }
        for p in persons
    ]
    download = list_export(
        request,
        "Resource pool",
        [
            ("Name", lambda r: r["person"].name),
            ("Job title", lambda r: r["person"].job_title),
            ("Unit", lambda r: str(r["person"].org_unit or "")),
            ("Roles", lambda r: ", ".join(str(role) for role in r["roles"])),
            ("Hours a week", lambda r: r["hours"]),
            ("Non-project %", lambda r: r["profile"].non_project_percent if r["profile"] else None),
            ("Skill gaps", lambda r: r["gaps"]),
            ("Away today", lambda r: r["away"].get_reason_display() if r["away"] else ""),
        ],
        rows,
    )
    if download:
        return download
    can_keep = can(request.user, "add", GenericResource)
    form = f.GenericResourceForm()
    if request.method == "POST":
        if not can_keep:
            raise PermissionDenied("Only resource managers and the PMO director keep generic resources.")
        form = f.GenericResourceForm(request.POST)
        if _run(
            request,
            form,
            lambda d: services.generic_resource_create(actor=request.user, **d),
            "Generic resource added.",
        ):
            return HttpResponseRedirect(reverse("pool") + "#generic")
    return render(
        request,
        "resources/pool.html",
        {
            **_tabs("pool", request.user),
            "rows": rows,
            "today": today,
            "units": OrgUnit.objects.all(),
            "roles": JobRole.objects.all(),
            "unit_id": unit_id,
            "role_id": role_id,
            "generic": GenericResource.objects.select_related("role", "org_unit"),
            "can_keep": can_keep,
            "form": form,
            "form_open": request.method == "POST",
        },
    )


# --- one person -------------------------------------------------------------------------------------------

PERSON_FORMS = {
    "profile": f.ProfileForm,
    "skill": f.SkillLevelForm,
    "capacity": f.CapacityForm,
    "absence": f.AbsenceForm,
    "training": f.TrainingRecordForm,
    "plan": f.TrainingPlanForm,
}


def _person_action(request: HttpRequest, person: Person, action: str, form: Any) -> bool:
    actor = request.user
    if action == "profile":
        return _run(
            request, form, lambda d: services.person_profile_set(actor=actor, person=person, **d), "Roles saved."
        )
    if action == "skill":
        return _run(request, form, lambda d: services.person_skill_set(actor=actor, person=person, **d), "Skill saved.")
    if action == "capacity":
        return _run(
            request, form, lambda d: services.capacity_period_add(actor=actor, person=person, **d), "Capacity saved."
        )
    if action == "absence":
        return _run(request, form, lambda d: services.absence_add(actor=actor, person=person, **d), "Leave recorded.")
    if action == "training":
        return _run(
            request, form, lambda d: services.training_record_add(actor=actor, person=person, **d), "Training recorded."
        )
    if action == "plan":
        return _run(
            request,
            form,
            lambda d: services.training_plan_create(actor=actor, **{**d, "person": person}),
            "Training planned.",
        )
    return False


DELETES: dict[str, tuple[Any, Callable[..., Any], str]] = {
    "delete-skill": (PersonSkill, lambda actor, obj: services.person_skill_remove(actor=actor, person_skill=obj), ""),
    "delete-capacity": (
        CapacityPeriod,
        lambda actor, obj: services.capacity_period_delete(actor=actor, period=obj),
        "",
    ),
    "delete-absence": (Absence, lambda actor, obj: services.absence_delete(actor=actor, absence=obj), ""),
    "delete-training": (
        TrainingRecord,
        lambda actor, obj: services.training_record_delete(actor=actor, record=obj),
        "",
    ),
}


@login_required
def person_profile(request: HttpRequest, pk: int) -> HttpResponse:
    _require_pool(request.user)
    person = Person.objects.select_related("org_unit", "user").filter(pk=pk).first()
    if person is None:
        raise Http404(f"No person with id {pk}.")
    today = timezone.localdate()
    profile = selectors.profile_of(person)
    can_keep = can(request.user, "change", PersonSkill)
    forms_: dict[str, Any] = {
        "profile": f.ProfileForm(
            prefix="profile",
            initial={
                "primary_role": profile.primary_role if profile else None,
                "other_roles": list(profile.other_roles.all()) if profile else [],
                "calendar": profile.calendar if profile else None,
                "non_project_percent": profile.non_project_percent if profile else 0,
            },
        ),
        "skill": f.SkillLevelForm(prefix="skill"),
        "capacity": f.CapacityForm(prefix="capacity"),
        "absence": f.AbsenceForm(prefix="absence"),
        "training": f.TrainingRecordForm(prefix="training"),
        "plan": f.TrainingPlanForm(
            prefix="plan", initial={"skill": request.GET.get("skill"), "target_level": request.GET.get("level")}
        ),
    }
    open_form = request.GET.get("open", "")
    if request.method == "POST":
        if not can_keep:
            raise PermissionDenied("Only resource managers and the PMO director keep the pool.")
        action = request.POST.get("action", "")
        if action in DELETES:
            model, delete, _ = DELETES[action]
            obj = model.objects.filter(pk=_int(request.POST.get("id")), person=person).first()
            if obj is not None:
                try:
                    delete(request.user, obj)
                    messages.success(request, f"Removed {obj}.")
                except DomainError as error:
                    messages.error(request, error.message)
            return HttpResponseRedirect(reverse("pool-person", args=[pk]))
        if action in PERSON_FORMS:
            data = request.POST.copy()
            if action == "plan":
                data["plan-person"] = str(person.pk)
            form = forms_[action] = PERSON_FORMS[action](data, prefix=action)
            if _person_action(request, person, action, form):
                return HttpResponseRedirect(reverse("pool-person", args=[pk]))
            open_form = action
    gaps = selectors.gaps_for([person])
    return render(
        request,
        "resources/person.html",
        {
            **_tabs("pool", request.user),
            "person": person,
            "profile": profile,
            "roles": selectors.roles_of_person(person),
            "hours_today": selectors.capacity_on(person, today),
            "project_hours_today": selectors.project_capacity_on(person, today),
            "standard": selectors.standard_hours(person),
            "skills": PersonSkill.objects.filter(person=person).select_related("skill"),
            "periods": CapacityPeriod.objects.filter(person=person).order_by("start"),
            "absences": Absence.objects.filter(person=person).order_by("-start"),
            "records": [
                (r, selectors.expiry_flag(r, today))
                for r in TrainingRecord.objects.filter(person=person).select_related("skill")
            ],
            "plans": TrainingPlan.objects.filter(person=person).select_related("skill"),
            "gaps": [(g, selectors.open_plan_for(person, g.skill)) for g in gaps],
            "rate": selectors.cost_rate_on(person, today) if can(request.user, "view", _rate_model()) else None,
            "show_rate": can(request.user, "view", _rate_model()),
            "forms": forms_,
            "open_form": open_form,
            "can_keep": can_keep,
            "today": today,
        },
    )


def _rate_model() -> Any:
    from pmo.resources.models import CostRateHistory

    return CostRateHistory


# --- skills matrix and gaps -------------------------------------------------------------------------------


@login_required
def skills(request: HttpRequest) -> HttpResponse:
    _require_pool(request.user)
    unit_id, role_id, skill_id = (_int(request.GET.get(k)) for k in ("unit", "role", "skill"))
    matrix = selectors.skills_matrix(unit_id=unit_id, role_id=role_id, skill_id=skill_id)
    persons = [p for p, _ in matrix.rows] if skill_id else list(selectors.people(unit_id=unit_id, role_id=role_id))
    gaps = selectors.gaps_for(persons)
    if skill_id:
        gaps = [g for g in gaps if g.skill.pk == skill_id]
    can_keep = can(request.user, "add", RoleSkillRequirement)
    form = f.RequirementForm()
    if request.method == "POST":
        if not can_keep:
            raise PermissionDenied("Only resource managers and the PMO director set role requirements.")
        form = f.RequirementForm(request.POST)
        if _run(request, form, lambda d: services.role_requirement_set(actor=request.user, **d), "Requirement saved."):
            return HttpResponseRedirect(reverse("pool-skills") + "#requirements")
    return render(
        request,
        "resources/skills.html",
        {
            **_tabs("skills", request.user),
            "matrix": matrix,
            "units": OrgUnit.objects.all(),
            "roles": JobRole.objects.all(),
            "all_skills": Skill.objects.all(),
            "unit_id": unit_id,
            "role_id": role_id,
            "skill_id": skill_id,
            "gaps": gaps,
            "team": selectors.team_gaps(gaps),
            "requirements": RoleSkillRequirement.objects.select_related("role", "skill"),
            "can_keep": can_keep,
            "form": form,
            "filtered": bool(unit_id or role_id or skill_id),
        },
    )


# --- resource requests ------------------------------------------------------------------------------------


def _askable_projects(user: Any) -> Any:
    ids = [
        p.pk
        for p in Project.objects.exclude(state__in=("closed", "cancelled")).select_related("portfolio")
        if can(user, "add", ResourceRequest(project=p))
    ]
    return Project.objects.filter(pk__in=ids).order_by("code")


@login_required
def requests(request: HttpRequest) -> HttpResponse:
    _require_pool(request.user)
    deciding = can(request.user, "decide", ResourceRequest)
    projects = _askable_projects(request.user) if can(request.user, "add", ResourceRequest) else Project.objects.none()
    can_ask = projects.exists()
    form = f.RequestForm(projects=projects, initial={"project": _int(request.GET.get("project"))})
    if request.method == "POST":
        chosen = Project.objects.filter(pk=_int(request.POST.get("project"))).first()
        if not can_ask or (chosen is not None and not can(request.user, "add", ResourceRequest(project=chosen))):
            raise PermissionDenied("Project managers and the PMO ask for resources for their projects.")
        form = f.RequestForm(request.POST, projects=projects)
        if form.is_valid():
            try:
                made = services.resource_request_submit(actor=request.user, **form.cleaned_data)
                messages.success(request, f"{made.code} submitted; the resource managers have been told.")
                return HttpResponseRedirect(reverse("resource-request-detail", args=[made.pk]))
            except DomainError as error:
                _form_errors(form, error)
    state = request.GET.get("state", "")
    everything = selectors.requests_base().order_by("-id")
    if state in ResourceRequest.State.values:
        everything = everything.filter(state=state)
    download = list_export(
        request,
        "Resource requests",
        [
            ("Code", lambda r: r.code),
            ("Project code", lambda r: r.project.code),
            ("Project", lambda r: r.project.name),
            ("Role", lambda r: str(r.role)),
            ("Skill", lambda r: str(r.skill or "")),
            ("Minimum level", lambda r: r.min_level if r.skill_id else None),
            ("Hours a week", lambda r: r.hours_per_week),
            ("FTE", lambda r: r.fte),
            ("Start", lambda r: r.start),
            ("Finish", lambda r: r.finish),
            ("Hours", lambda r: selectors.hours_of(r)),
            ("State", lambda r: r.get_state_display()),
            ("Assigned", lambda r: str(r.assigned_person or "")),
            ("Decided", lambda r: r.decided_at),
        ],
        everything,
    )
    if download:
        return download
    return render(
        request,
        "resources/requests.html",
        {
            **_tabs("requests", request.user),
            "queue": [(r, selectors.hours_of(r)) for r in selectors.queue()] if deciding else [],
            "mine": [(r, selectors.hours_of(r)) for r in selectors.mine(request.user)],
            "everything": [(r, selectors.hours_of(r)) for r in everything],
            "state": state,
            "states": ResourceRequest.State.choices,
            "deciding": deciding,
            "can_ask": can_ask,
            "form": form,
            "form_open": request.method == "POST" or "project" in request.GET,
        },
    )


@login_required
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _require_pool(request.user)
    rr = selectors.requests_base().filter(pk=pk).first()
    if rr is None or not can(request.user, "view", rr):
        raise Http404(f"No resource request with id {pk}.")
    assign, decline = f.AssignForm(), f.DeclineForm()
    waiting = rr.state == ResourceRequest.State.SUBMITTED
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action == "assign":
            if not can(request.user, "decide", rr):
                raise PermissionDenied("Only resource managers and the PMO director assign people.")
            assign = f.AssignForm(request.POST)
            if _run(
                request,
                assign,
                lambda d: services.resource_request_assign(actor=request.user, request=rr, **d),
                f"{rr.code} assigned; the requester has been told.",
            ):
                return HttpResponseRedirect(reverse("resource-request-detail", args=[pk]))
        elif action == "decline":
            if not can(request.user, "decide", rr):
                raise PermissionDenied("Only resource managers and the PMO director decline requests.")
            decline = f.DeclineForm(request.POST)
            if _run(
                request,
                decline,
                lambda d: services.resource_request_decline(actor=request.user, request=rr, **d),
                f"{rr.code} declined; the requester has been told.",
            ):
                return HttpResponseRedirect(reverse("resource-request-detail", args=[pk]))
        elif action == "withdraw":
            try:
                services.resource_request_withdraw(actor=request.user, request=rr)
                messages.success(request, f"{rr.code} withdrawn.")
            except DomainError as error:
                messages.error(request, error.message)
            return HttpResponseRedirect(reverse("resource-request-detail", args=[pk]))
    return render(
        request,
        "resources/request_detail.html",
        {
            **_tabs("requests", request.user),
            "rr": rr,
            "hours": selectors.hours_of(rr),
            "candidates": [
                (
                    p,
                    level,
                    selectors.capacity_on(p, rr.start),
                    selectors.absences_between(p, rr.start, rr.finish).count(),
                )
                for p, level in selectors.candidates(rr)
            ]
            if waiting
            else [],
            "can_decide": waiting and can(request.user, "decide", rr),
            "can_withdraw": waiting and can(request.user, "withdraw", rr),
            "assign": assign,
            "decline": decline,
        },
    )


# --- training ---------------------------------------------------------------------------------------------


@login_required
def training(request: HttpRequest) -> HttpResponse:
    _require_pool(request.user)
    today = timezone.localdate()
    can_keep = can(request.user, "add", TrainingPlan)
    form = f.TrainingPlanForm(
        initial={
            "person": _int(request.GET.get("person")),
            "skill": _int(request.GET.get("skill")),
            "target_level": _int(request.GET.get("level")),
        }
    )
    if request.method == "POST":
        if not can_keep:
            raise PermissionDenied("Only resource managers and the PMO director plan training.")
        action = request.POST.get("action", "")
        if action == "plan":
            form = f.TrainingPlanForm(request.POST)
            if _run(
                request, form, lambda d: services.training_plan_create(actor=request.user, **d), "Training planned."
            ):
                return HttpResponseRedirect(reverse("pool-training") + "#plans")
        else:
            plan = TrainingPlan.objects.filter(pk=_int(request.POST.get("id"))).first()
            if plan is None:
                raise Http404("No such training plan.")
            try:
                if action == "start":
                    services.training_plan_start(actor=request.user, plan=plan)
                    messages.success(request, "Training started.")
                elif action == "complete":
                    raise_level = request.POST.get("raise_level") == "on"
                    services.training_plan_complete(
                        actor=request.user, plan=plan, completed_on=today, raise_level=raise_level
                    )
                    done = f" {plan.person} now has {plan.skill} at level {plan.target_level}." if raise_level else ""
                    messages.success(request, f"Training done.{done}")
            except DomainError as error:
                messages.error(request, error.message)
            return HttpResponseRedirect(reverse("pool-training") + "#plans")
    show = request.GET.get("show", "open")
    plans = selectors.plans(status="open" if show == "open" else "")
    download = list_export(
        request,
        "Training plans",
        [
            ("Person", lambda p: str(p.person)),
            ("Skill", lambda p: str(p.skill)),
            ("Target level", lambda p: p.target_level),
            ("Course", lambda p: p.course),
            ("Due", lambda p: p.due_date),
            ("Status", lambda p: p.get_status_display()),
            ("Completed", lambda p: p.completed_on),
        ],
        plans,
    )
    if download:
        return download
    gaps = selectors.gaps_for(selectors.people())
    return render(
        request,
        "resources/training.html",
        {
            **_tabs("training", request.user),
            "watch": selectors.certificates_to_watch(today),
            "plans": plans,
            "show": show,
            "gaps": [(g, selectors.open_plan_for(g.person, g.skill)) for g in gaps],
            "can_keep": can_keep,
            "form": form,
            "form_open": request.method == "POST" or "skill" in request.GET,
            "today": today,
            "warning_days": selectors.EXPIRY_WARNING_DAYS,
        },
    )
