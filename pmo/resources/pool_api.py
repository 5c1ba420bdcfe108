"""The resource pool over the API: the role and skill catalogues, a person's pool profile (roles, skills,
capacity periods, leave, non-project share, training, gaps), generic resources, resource requests and their
decisions, role requirements and training plans."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Query, Router, Schema
from pydantic import Field

from pmo.api.crud import Resource, register
from pmo.api.schemas import ERRORS, CodeRef, Ref, code_ref, ref
from pmo.core.access import can
from pmo.core.errors import ValidationFailed
from pmo.portfolio.models import Project
from pmo.resources import selectors, services
from pmo.resources.models import (
    GenericResource,
    JobRole,
    OrgUnit,
    Person,
    ResourceRequest,
    Skill,
    TrainingPlan,
)

router = Router(tags=["resource pool"])


def _one(model: Any, pk: int | None, field: str) -> Any:
    if pk is None:
        return None
    obj = model.objects.filter(pk=pk).first()
    if obj is None:
        raise ValidationFailed({field: f"No {model._meta.verbose_name} with id {pk}."})
    return obj


def _pool(request: HttpRequest) -> None:
    if not selectors.sees_pool(request.user):
        raise PermissionDenied("The resource pool is for the PMO, resource managers and project teams.")


# --- catalogues -------------------------------------------------------------------------------------------


class JobRoleOut(Schema):
    id: int
    name: str
    description: str
    standard_hours_per_week: Decimal
    version: int


class JobRoleIn(Schema):
    name: str = Field(max_length=100)
    description: str = ""
    standard_hours_per_week: Decimal = Decimal("40")


class JobRolePatch(Schema):
    name: str | None = Field(None, max_length=100)
    description: str | None = None
    standard_hours_per_week: Decimal | None = None
    version: int | None = None


class NoFilters(Schema):
    pass


register(
    router,
    Resource(
        path="job-roles",
        model=JobRole,
        out=JobRoleOut,
        create_in=JobRoleIn,
        patch_in=JobRolePatch,
        filters=NoFilters,
        queryset=lambda: JobRole.objects.all(),
        serialize=lambda r, user: {
            "id": r.pk,
            "name": r.name,
            "description": r.description,
            "standard_hours_per_week": r.standard_hours_per_week,
            "version": r.version,
        },
        create=services.job_role_create,
        update=services.job_role_update,
        delete=services.job_role_delete,
        tag="resource pool",
        obj_kwarg="job_role",
    ),
)


class SkillOut(Schema):
    id: int
    name: str
    category: str
    description: str
    version: int


class SkillIn(Schema):
    name: str = Field(max_length=100)
    category: str = Field("General", max_length=100)
    description: str = ""


class SkillPatch(Schema):
    name: str | None = Field(None, max_length=100)
    category: str | None = Field(None, max_length=100)
    description: str | None = None
    version: int | None = None


class SkillFilters(Schema):
    category: str | None = None


register(
    router,
    Resource(
        path="skills",
        model=Skill,
        out=SkillOut,
        create_in=SkillIn,
        patch_in=SkillPatch,
        filters=SkillFilters,
        queryset=lambda: Skill.objects.all(),
        serialize=lambda s, user: {
            "id": s.pk,
            "name": s.name,
            "category": s.category,
            "description": s.description,
            "version": s.version,
        },
        create=services.skill_create,
        update=services.skill_update,
        delete=services.skill_delete,
        orderings=("name", "category"),
        tag="resource pool",
    ),
)


# --- a person's pool profile ------------------------------------------------------------------------------


class LevelOut(Schema):
    skill: Ref
    level: int


class PoolPeriodOut(Schema):
    start: dt.date
    hours_per_week: Decimal | None
    fte: Decimal | None


class AbsenceOut(Schema):
    id: int
    start: dt.date
    finish: dt.date
    reason: str


class GapOut(Schema):
    skill: Ref
    required: int
    actual: int
    gap: int


class PoolProfileOut(Schema):
    person: Ref
    primary_role: Ref | None
    other_roles: list[Ref]
    calendar: Ref | None
    non_project_percent: Decimal
    capacity_today: Decimal
    skills: list[LevelOut]
    capacity_periods: list[PoolPeriodOut]
    absences: list[AbsenceOut]
    gaps: list[GapOut]


class PoolProfileIn(Schema):
    primary_role_id: int | None = None
    other_role_ids: list[int] = []
    calendar_id: int | None = None
    non_project_percent: Decimal = Decimal("0")


def _person(pk: int) -> Person:
    person = Person.objects.filter(pk=pk).first()
    if person is None:
        raise Http404(f"No person with id {pk}.")
    return person


def _profile_out(person: Person) -> dict[str, Any]:
    profile = selectors.profile_of(person)
    return {
        "person": ref(person),
        "primary_role": ref(profile.primary_role) if profile else None,
        "other_roles": [ref(r) for r in profile.other_roles.all()] if profile else [],
        "calendar": ref(profile.calendar) if profile else None,
        "non_project_percent": profile.non_project_percent if profile else Decimal("0"),
        "capacity_today": selectors.capacity_on(person, timezone.localdate()),
        "skills": [{"skill": ref(s.skill), "level": s.level} for s in person.skills.select_related("skill")],
        "capacity_periods": [
            {"start": p.start, "hours_per_week": p.hours_per_week, "fte": p.fte}
            for p in person.capacity_periods.order_by("start")
        ],
        "absences": [
            {"id": a.pk, "start": a.start, "finish": a.finish, "reason": a.reason}
            for a in person.absences.order_by("start")
        ],
        "gaps": [
            {"skill": ref(g.skill), "required": g.required, "actual": g.actual, "gap": g.gap}
            for g in selectors.gaps_for([person])
        ],
    }


@router.get("/people/{int:pk}/pool", response={200: PoolProfileOut, **ERRORS}, operation_id="pool_profile_get")
def get_profile(request: HttpRequest, pk: int) -> Any:
    _pool(request)
    return _profile_out(_person(pk))


@router.put("/people/{int:pk}/pool", response={200: PoolProfileOut, **ERRORS}, operation_id="pool_profile_set")
def set_profile(request: HttpRequest, pk: int, payload: PoolProfileIn) -> Any:
    from pmo.planning.models import WorkCalendar

    person = _person(pk)
    services.person_profile_set(
        actor=request.user,
        person=person,
        primary_role=_one(JobRole, payload.primary_role_id, "primary_role_id"),
        other_roles=list(JobRole.objects.filter(pk__in=payload.other_role_ids)),
        calendar=_one(WorkCalendar, payload.calendar_id, "calendar_id"),
        non_project_percent=payload.non_project_percent,
    )
    return _profile_out(person)


class LevelIn(Schema):
    skill_id: int
    level: int = Field(ge=1, le=5)


@router.put("/people/{int:pk}/skills", response={200: PoolProfileOut, **ERRORS}, operation_id="pool_skill_set")
def set_skill(request: HttpRequest, pk: int, payload: LevelIn) -> Any:
    person = _person(pk)
    services.person_skill_set(
        actor=request.user, person=person, skill=_one(Skill, payload.skill_id, "skill_id"), level=payload.level
    )
    return _profile_out(person)


class PeriodIn(Schema):
    start: dt.date
    hours_per_week: Decimal | None = None
    fte: Decimal | None = None
    note: str = ""


@router.post(
    "/people/{int:pk}/capacity-periods", response={201: PoolProfileOut, **ERRORS}, operation_id="pool_capacity_add"
)
def add_period(request: HttpRequest, pk: int, payload: PeriodIn) -> Any:
    person = _person(pk)
    services.capacity_period_add(actor=request.user, person=person, **payload.dict())
    return 201, _profile_out(person)


class AbsenceIn(Schema):
    start: dt.date
    finish: dt.date
    reason: str = "vacation"
    note: str = ""


@router.post("/people/{int:pk}/absences", response={201: PoolProfileOut, **ERRORS}, operation_id="pool_absence_add")
def add_absence(request: HttpRequest, pk: int, payload: AbsenceIn) -> Any:
    person = _person(pk)
    services.absence_add(actor=request.user, person=person, **payload.dict())
    return 201, _profile_out(person)


# --- generic resources ------------------------------------------------------------------------------------


class GenericOut(Schema):
    id: int
    role: Ref
    org_unit: Ref | None
    headcount: Decimal
    start: dt.date | None
    finish: dt.date | None
    note: str


class GenericIn(Schema):
    role_id: int
    org_unit_id: int | None = None
    headcount: Decimal = Decimal("1")
    start: dt.date | None = None
    finish: dt.date | None = None
    note: str = ""


def _generic_out(g: GenericResource) -> dict[str, Any]:
    return {
        "id": g.pk,
        "role": ref(g.role),
        "org_unit": ref(g.org_unit),
        "headcount": g.headcount,
        "start": g.start,
        "finish": g.finish,
        "note": g.note,
    }


@router.get("/generic-resources", response={200: list[GenericOut], **ERRORS}, operation_id="generic_resources_list")
def list_generic(request: HttpRequest) -> Any:
    _pool(request)
    return [_generic_out(g) for g in GenericResource.objects.select_related("role", "org_unit")]


@router.post("/generic-resources", response={201: GenericOut, **ERRORS}, operation_id="generic_resources_create")
def create_generic(request: HttpRequest, payload: GenericIn) -> Any:
    data = payload.dict()
    data["role"] = _one(JobRole, data.pop("role_id"), "role_id")
    data["org_unit"] = _one(OrgUnit, data.pop("org_unit_id"), "org_unit_id")
    return 201, _generic_out(services.generic_resource_create(actor=request.user, **data))


# --- resource requests ------------------------------------------------------------------------------------


class RequestOut(Schema):
    id: int
    code: str
    project: CodeRef
    role: Ref
    skill: Ref | None
    min_level: int | None
    hours_per_week: Decimal | None
    fte: Decimal | None
    hours_a_week: Decimal
    start: dt.date
    finish: dt.date
    note: str
    state: str
    requested_by: str | None
    assigned_person: Ref | None
    decided_by: str | None
    decided_at: dt.datetime | None
    decision_note: str
    version: int


class RequestIn(Schema):
    project_id: int
    role_id: int
    skill_id: int | None = None
    min_level: int | None = Field(None, ge=1, le=5)
    hours_per_week: Decimal | None = None
    fte: Decimal | None = None
    start: dt.date
    finish: dt.date
    note: str = ""


class RequestFilters(Schema):
    state: str | None = None
    project_id: int | None = None
    mine: bool = False


class AssignIn(Schema):
    person_id: int
    note: str = ""


class DeclineIn(Schema):
    reason: str


def _request_out(r: ResourceRequest) -> dict[str, Any]:
    return {
        "id": r.pk,
        "code": r.code,
        "project": code_ref(r.project),
        "role": ref(r.role),
        "skill": ref(r.skill),
        "min_level": r.min_level,
        "hours_per_week": r.hours_per_week,
        "fte": r.fte,
        "hours_a_week": selectors.hours_of(r),
        "start": r.start,
        "finish": r.finish,
        "note": r.note,
        "state": r.state,
        "requested_by": r.requested_by.get_username() if r.requested_by_id else None,
        "assigned_person": ref(r.assigned_person),
        "decided_by": r.decided_by.get_username() if r.decided_by_id else None,
        "decided_at": r.decided_at,
        "decision_note": r.decision_note,
        "version": r.version,
    }


def _request(request: HttpRequest, pk: int) -> ResourceRequest:
    _pool(request)
    rr = selectors.requests_base().filter(pk=pk).first()
    if rr is None or not can(request.user, "view", rr):
        raise Http404(f"No resource request with id {pk}.")
    return rr


@router.get("/resource-requests", response={200: list[RequestOut], **ERRORS}, operation_id="resource_requests_list")
def list_requests(request: HttpRequest, filters: Query[RequestFilters]) -> Any:
    _pool(request)
    qs = selectors.mine(request.user) if filters.mine else selectors.requests_base().order_by("-id")
    if filters.state:
        qs = qs.filter(state=filters.state)
    if filters.project_id:
        qs = qs.filter(project_id=filters.project_id)
    return [_request_out(r) for r in qs]


@router.post("/resource-requests", response={201: RequestOut, **ERRORS}, operation_id="resource_requests_submit")
def submit_request(request: HttpRequest, payload: RequestIn) -> Any:
    _pool(request)
    data = payload.dict()
    project = _one(Project, data.pop("project_id"), "project_id")
    data["role"] = _one(JobRole, data.pop("role_id"), "role_id")
    data["skill"] = _one(Skill, data.pop("skill_id"), "skill_id")
    return 201, _request_out(services.resource_request_submit(actor=request.user, project=project, **data))


@router.get("/resource-requests/{int:pk}", response={200: RequestOut, **ERRORS}, operation_id="resource_requests_get")
def get_request(request: HttpRequest, pk: int) -> Any:
    return _request_out(_request(request, pk))


@router.post(
    "/resource-requests/{int:pk}/assign", response={200: RequestOut, **ERRORS}, operation_id="resource_requests_assign"
)
def assign_request(request: HttpRequest, pk: int, payload: AssignIn) -> Any:
    rr = _request(request, pk)
    person = _one(Person, payload.person_id, "person_id")
    return _request_out(
        services.resource_request_assign(actor=request.user, request=rr, person=person, note=payload.note)
    )


@router.post(
    "/resource-requests/{int:pk}/decline",
    response={200: RequestOut, **ERRORS},
    operation_id="resource_requests_decline",
)
def decline_request(request: HttpRequest, pk: int, payload: DeclineIn) -> Any:
    rr = _request(request, pk)
    return _request_out(services.resource_request_decline(actor=request.user, request=rr, reason=payload.reason))


@router.post(
    "/resource-requests/{int:pk}/withdraw",
    response={200: RequestOut, **ERRORS},
    operation_id="resource_requests_withdraw",
)
def withdraw_request(request: HttpRequest, pk: int) -> Any:
    rr = _request(request, pk)
    return _request_out(services.resource_request_withdraw(actor=request.user, request=rr))


# --- gaps and training ------------------------------------------------------------------------------------


class PersonGapOut(Schema):
    person: Ref
    skill: Ref
    required: int
    actual: int
    gap: int


@router.get("/competency-gaps", response={200: list[PersonGapOut], **ERRORS}, operation_id="competency_gaps")
def list_gaps(request: HttpRequest, unit_id: int | None = None, role_id: int | None = None) -> Any:
    _pool(request)
    return [
        {"person": ref(g.person), "skill": ref(g.skill), "required": g.required, "actual": g.actual, "gap": g.gap}
        for g in selectors.gaps_for(selectors.people(unit_id=unit_id, role_id=role_id))
    ]


class PoolPlanOut(Schema):
    id: int
    person: Ref
    skill: Ref
    target_level: int
    course: str
    due_date: dt.date | None
    status: str
    completed_on: dt.date | None


class PlanIn(Schema):
    person_id: int
    skill_id: int
    target_level: int = Field(ge=1, le=5)
    course: str = ""
    due_date: dt.date | None = None


class CompleteIn(Schema):
    completed_on: dt.date | None = None
    raise_level: bool = True


def _plan_out(p: TrainingPlan) -> dict[str, Any]:
    return {
        "id": p.pk,
        "person": ref(p.person),
        "skill": ref(p.skill),
        "target_level": p.target_level,
        "course": p.course,
        "due_date": p.due_date,
        "status": p.status,
        "completed_on": p.completed_on,
    }


@router.get("/training-plans", response={200: list[PoolPlanOut], **ERRORS}, operation_id="training_plans_list")
def list_plans(request: HttpRequest, status: str = "", person_id: int | None = None) -> Any:
    _pool(request)
    return [_plan_out(p) for p in selectors.plans(status=status, person_id=person_id)]


@router.post("/training-plans", response={201: PoolPlanOut, **ERRORS}, operation_id="training_plans_create")
def create_plan(request: HttpRequest, payload: PlanIn) -> Any:
    plan = services.training_plan_create(
        actor=request.user,
        person=_one(Person, payload.person_id, "person_id"),
        skill=_one(Skill, payload.skill_id, "skill_id"),
        target_level=payload.target_level,
        course=payload.course,
        due_date=payload.due_date,
    )
    return 201, _plan_out(plan)


@router.post(
    "/training-plans/{int:pk}/complete", response={200: PoolPlanOut, **ERRORS}, operation_id="training_plans_complete"
)
def complete_plan(request: HttpRequest, pk: int, payload: CompleteIn) -> Any:
    _pool(request)
    plan = TrainingPlan.objects.select_related("person", "skill").filter(pk=pk).first()
    if plan is None:
        raise Http404(f"No training plan with id {pk}.")
    plan = services.training_plan_complete(
        actor=request.user,
        plan=plan,
        completed_on=payload.completed_on or timezone.localdate(),
        raise_level=payload.raise_level,
    )
    return _plan_out(plan)
