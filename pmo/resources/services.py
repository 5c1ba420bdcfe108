"""Writes for people and organisational units, and for the resource pool: roles, skills, capacity periods,
leave, cost rates, generic resources, role requirements, resource requests and training. Each checks the
caller first (a refused call changes nothing) and audits what it writes in the same transaction."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from pmo.core.access import SystemActor, require
from pmo.core.errors import Conflict, ValidationFailed
from pmo.core.roles import Role
from pmo.core.services import record_create, record_delete, record_update
from pmo.resources.models import (
    Absence,
    CapacityPeriod,
    CostRateHistory,
    GenericResource,
    JobRole,
    OrgUnit,
    Person,
    PersonProfile,
    PersonSkill,
    ResourceRequest,
    RoleSkillRequirement,
    Skill,
    TrainingPlan,
    TrainingRecord,
)

if TYPE_CHECKING:
    from pmo.portfolio.models import Project


def _user(actor: Any) -> Any:
    return None if isinstance(actor, SystemActor) or getattr(actor, "pk", None) is None else actor


ORG_UNIT_FIELDS = ("code", "name", "parent")
PERSON_FIELDS = ("name", "email", "job_title", "org_unit", "user", "active")


def org_unit_create(*, actor: Any, **fields: Any) -> OrgUnit:
    return record_create(actor=actor, model=OrgUnit, fields=fields, allowed=ORG_UNIT_FIELDS)


def org_unit_update(*, actor: Any, org_unit: OrgUnit, expected_version: int | None = None, **changes: Any) -> OrgUnit:
    parent = changes.get("parent")
    while parent is not None:
        if parent.pk == org_unit.pk:
            raise ValidationFailed({"parent": "A unit cannot sit inside itself or one of its own sub-units."})
        parent = parent.parent
    return record_update(
        actor=actor, obj=org_unit, changes=changes, allowed=ORG_UNIT_FIELDS, expected_version=expected_version
    )


def org_unit_delete(*, actor: Any, org_unit: OrgUnit) -> None:
    record_delete(actor=actor, obj=org_unit)


def person_create(*, actor: Any, **fields: Any) -> Person:
    return record_create(actor=actor, model=Person, fields=fields, allowed=PERSON_FIELDS)


def person_update(*, actor: Any, person: Person, expected_version: int | None = None, **changes: Any) -> Person:
    return record_update(
        actor=actor, obj=person, changes=changes, allowed=PERSON_FIELDS, expected_version=expected_version
    )


def person_delete(*, actor: Any, person: Person) -> None:
    record_delete(actor=actor, obj=person)


# --- the resource pool ------------------------------------------------------------------------------------

JOB_ROLE_FIELDS = ("name", "description", "standard_hours_per_week")
SKILL_FIELDS = ("name", "category", "description")
PROFILE_FIELDS = ("primary_role", "calendar", "non_project_percent")
GENERIC_FIELDS = ("role", "org_unit", "headcount", "start", "finish", "note")
TRAINING_RECORD_FIELDS = ("person", "kind", "title", "provider", "skill", "completed_on", "expires_on")


def _dates_in_order(start: dt.date | None, finish: dt.date | None, name: str = "finish") -> None:
    if start is not None and finish is not None and finish < start:
        raise ValidationFailed({name: "The end cannot come before the start."})


def job_role_create(*, actor: Any, **fields: Any) -> JobRole:
    return record_create(actor=actor, model=JobRole, fields=fields, allowed=JOB_ROLE_FIELDS)


def job_role_update(*, actor: Any, job_role: JobRole, expected_version: int | None = None, **changes: Any) -> JobRole:
    return record_update(
        actor=actor, obj=job_role, changes=changes, allowed=JOB_ROLE_FIELDS, expected_version=expected_version
    )


def job_role_delete(*, actor: Any, job_role: JobRole) -> None:
    record_delete(actor=actor, obj=job_role)


def skill_create(*, actor: Any, **fields: Any) -> Skill:
    return record_create(actor=actor, model=Skill, fields=fields, allowed=SKILL_FIELDS)


def skill_update(*, actor: Any, skill: Skill, expected_version: int | None = None, **changes: Any) -> Skill:
    return record_update(
        actor=actor, obj=skill, changes=changes, allowed=SKILL_FIELDS, expected_version=expected_version
    )


def skill_delete(*, actor: Any, skill: Skill) -> None:
    record_delete(actor=actor, obj=skill)


@transaction.atomic
def person_profile_set(
    *,
    actor: Any,
    person: Person,
    primary_role: JobRole | None = None,
    other_roles: Iterable[JobRole] | None = None,
    calendar: Any = None,
    non_project_percent: Decimal | None = None,
) -> PersonProfile:
    """Set a person's primary role, other roles, working calendar (None: the standard one) and non-project
    share, creating the profile on first use."""
    others = [r for r in (other_roles or []) if primary_role is None or r.pk != primary_role.pk]
    fields = {
        "primary_role": primary_role,
        "calendar": calendar,
        "non_project_percent": Decimal("0") if non_project_percent is None else Decimal(non_project_percent),
    }
    profile = PersonProfile.objects.filter(person=person).first()
    if profile is None:
        return record_create(
            actor=actor,
            model=PersonProfile,
            fields={"person": person, **fields},
            allowed=("person", *PROFILE_FIELDS),
            m2m={"other_roles": others},
        )
    return record_update(actor=actor, obj=profile, changes=fields, allowed=PROFILE_FIELDS, m2m={"other_roles": others})


def person_skill_set(*, actor: Any, person: Person, skill: Skill, level: int, comment: str = "") -> PersonSkill:
    """Record the person's level (1-5) of a skill: added the first time, changed after."""
    current = PersonSkill.objects.filter(person=person, skill=skill).first()
    if current is None:
        return record_create(
            actor=actor,
            model=PersonSkill,
            fields={"person": person, "skill": skill, "level": level},
            allowed=("person", "skill", "level"),
            comment=comment,
        )
    return record_update(actor=actor, obj=current, changes={"level": level}, allowed=("level",), comment=comment)


def person_skill_remove(*, actor: Any, person_skill: PersonSkill) -> None:
    record_delete(actor=actor, obj=person_skill)


def capacity_period_add(
    *,
    actor: Any,
    person: Person,
    start: dt.date,
    hours_per_week: Decimal | None = None,
    fte: Decimal | None = None,
    note: str = "",
) -> CapacityPeriod:
    """From `start` on, the person works these hours a week, or this FTE share of the role's standard week."""
    if (hours_per_week is None) == (fte is None):
        raise ValidationFailed({"hours_per_week": "Give either hours a week or an FTE share, not both."})
    if CapacityPeriod.objects.filter(person=person, start=start).exists():
        raise ValidationFailed({"start": f"{person} already has a capacity period from {start:%d %b %Y}."})
    return record_create(
        actor=actor,
        model=CapacityPeriod,
        fields={"person": person, "start": start, "hours_per_week": hours_per_week, "fte": fte, "note": note},
        allowed=("person", "start", "hours_per_week", "fte", "note"),
    )


def capacity_period_delete(*, actor: Any, period: CapacityPeriod) -> None:
    record_delete(actor=actor, obj=period)


def absence_add(
    *, actor: Any, person: Person, start: dt.date, finish: dt.date, reason: str = "vacation", note: str = ""
) -> Absence:
    """Record leave or another absence (both days included); refused where it overlaps one already recorded."""
    _dates_in_order(start, finish)
    overlap = Absence.objects.filter(person=person, start__lte=finish, finish__gte=start).first()
    if overlap is not None:
        raise ValidationFailed(
            {"start": f"Overlaps {overlap.get_reason_display().lower()} {overlap.start}–{overlap.finish}."}
        )
    return record_create(
        actor=actor,
        model=Absence,
        fields={"person": person, "start": start, "finish": finish, "reason": reason, "note": note},
        allowed=("person", "start", "finish", "reason", "note"),
    )


def absence_delete(*, actor: Any, absence: Absence) -> None:
    record_delete(actor=actor, obj=absence)


def cost_rate_add(*, actor: Any, person: Person, effective_from: dt.date, rate_per_hour: Decimal) -> CostRateHistory:
    """The person's hourly cost from a date on; earlier rates stay for the periods they covered."""
    if CostRateHistory.objects.filter(person=person, effective_from=effective_from).exists():
        raise ValidationFailed({"effective_from": f"{person} already has a rate from {effective_from:%d %b %Y}."})
    return record_create(
        actor=actor,
        model=CostRateHistory,
        fields={"person": person, "effective_from": effective_from, "rate_per_hour": rate_per_hour},
        allowed=("person", "effective_from", "rate_per_hour"),
    )


def generic_resource_create(*, actor: Any, **fields: Any) -> GenericResource:
    _dates_in_order(fields.get("start"), fields.get("finish"))
    return record_create(actor=actor, model=GenericResource, fields=fields, allowed=GENERIC_FIELDS)


def generic_resource_update(
    *, actor: Any, generic_resource: GenericResource, expected_version: int | None = None, **changes: Any
) -> GenericResource:
    _dates_in_order(changes.get("start", generic_resource.start), changes.get("finish", generic_resource.finish))
    return record_update(
        actor=actor, obj=generic_resource, changes=changes, allowed=GENERIC_FIELDS, expected_version=expected_version
    )


def generic_resource_delete(*, actor: Any, generic_resource: GenericResource) -> None:
    record_delete(actor=actor, obj=generic_resource)


def role_requirement_set(*, actor: Any, role: JobRole, skill: Skill, required_level: int) -> RoleSkillRequirement:
    """The level of a skill everyone in the role should have (added, or changed)."""
    current = RoleSkillRequirement.objects.filter(role=role, skill=skill).first()
    if current is None:
        return record_create(
            actor=actor,
            model=RoleSkillRequirement,
            fields={"role": role, "skill": skill, "required_level": required_level},
            allowed=("role", "skill", "required_level"),
        )
    return record_update(
        actor=actor, obj=current, changes={"required_level": required_level}, allowed=("required_level",)
    )


def role_requirement_delete(*, actor: Any, requirement: RoleSkillRequirement) -> None:
    record_delete(actor=actor, obj=requirement)


# --- resource requests ------------------------------------------------------------------------------------


def _request_url(request: ResourceRequest) -> str:
    return reverse("resource-request-detail", args=[request.pk])


def _notify_after_commit(users: Iterable[Any], message: str, url: str) -> None:
    from pmo.changes.services import notify

    recipients = [u for u in users if u is not None]
    transaction.on_commit(lambda: notify(users=recipients, message=message, url=url, kind="assignment"))


def resource_request_submit(
    *,
    actor: Any,
    project: Project,
    role: JobRole,
    start: dt.date,
    finish: dt.date,
    hours_per_week: Decimal | None = None,
    fte: Decimal | None = None,
    skill: Skill | None = None,
    min_level: int | None = None,
    note: str = "",
) -> ResourceRequest:
    """A project's lead asks for a role (and a skill level) for a period, in hours a week or an FTE share; the
    resource managers are told."""
    errors: dict[str, str] = {}
    if (hours_per_week is None) == (fte is None):
        errors["hours_per_week"] = "Give either hours a week or an FTE share, not both."
    if finish < start:
        errors["finish"] = "The end cannot come before the start."
    if min_level is not None and skill is None:
        errors["skill"] = "Name the skill the level is for."
    if errors:
        require(actor, "add", ResourceRequest(project=project))
        raise ValidationFailed(errors)
    with transaction.atomic():
        request = record_create(
            actor=actor,
            model=ResourceRequest,
            fields={
                "project": project,
                "role": role,
                "skill": skill,
                "min_level": min_level,
                "hours_per_week": hours_per_week,
                "fte": fte,
                "start": start,
                "finish": finish,
                "note": note,
                "requested_by": _user(actor),
            },
            allowed=(
                "project",
                "role",
                "skill",
                "min_level",
                "hours_per_week",
                "fte",
                "start",
                "finish",
                "note",
                "requested_by",
            ),
        )
        from django.contrib.auth import get_user_model

        managers = get_user_model().objects.filter(groups__name=Role.RESOURCE_MANAGER.value, is_active=True)
        _notify_after_commit(
            managers, f"{request.code}: {project.code} asks for a {role} from {start:%d %b %Y}.", _request_url(request)
        )
    return request


def _decide(
    *, actor: Any, request: ResourceRequest, action: str, state: str, changes: dict[str, Any], message: str
) -> ResourceRequest:
    require(actor, action, request)
    if request.state != ResourceRequest.State.SUBMITTED:
        raise Conflict(f"{request.code} is {request.get_state_display().lower()}: only a submitted request can be.")
    with transaction.atomic():
        request = record_update(
            actor=actor,
            obj=request,
            changes={"state": state, **changes},
            allowed=("state", *changes),
            action=action,
        )
        requester = request.requested_by
        if requester is not None and requester.pk != getattr(actor, "pk", None):
            _notify_after_commit([requester], message, _request_url(request))
    return request


def resource_request_assign(*, actor: Any, request: ResourceRequest, person: Person, note: str = "") -> ResourceRequest:
    """A resource manager names the person who will do the work; the requester is told. (Creating the task
    assignments stays with the project's plan.)"""
    if not person.active:
        raise ValidationFailed({"person": f"{person} has left."})
    return _decide(
        actor=actor,
        request=request,
        action="decide",
        state=ResourceRequest.State.ASSIGNED,
        changes={
            "assigned_person": person,
            "decided_by": _user(actor),
            "decided_at": timezone.now(),
            "decision_note": note,
        },
        message=f"{request.code}: {person} assigned to {request.project.code} as {request.role}.",
    )


def resource_request_decline(*, actor: Any, request: ResourceRequest, reason: str) -> ResourceRequest:
    """A resource manager declines with a reason; the requester is told."""
    if not (reason or "").strip():
        require(actor, "decide", request)
        raise ValidationFailed({"reason": "Say why the request is declined."})
    return _decide(
        actor=actor,
        request=request,
        action="decide",
        state=ResourceRequest.State.DECLINED,
        changes={"decided_by": _user(actor), "decided_at": timezone.now(), "decision_note": reason.strip()},
        message=f"{request.code}: your request for a {request.role} was declined: {reason.strip()}",
    )


def resource_request_withdraw(*, actor: Any, request: ResourceRequest, reason: str = "") -> ResourceRequest:
    """Whoever asked takes a waiting request back."""
    return _decide(
        actor=actor,
        request=request,
        action="withdraw",
        state=ResourceRequest.State.WITHDRAWN,
        changes={"decision_note": reason.strip()},
        message=f"{request.code}: withdrawn.",
    )


# --- training ---------------------------------------------------------------------------------------------


def training_record_add(*, actor: Any, **fields: Any) -> TrainingRecord:
    """A course completed or a certificate held (a certificate may expire)."""
    if fields.get("expires_on") and fields.get("completed_on") and fields["expires_on"] < fields["completed_on"]:
        raise ValidationFailed({"expires_on": "A certificate cannot expire before it was gained."})
    return record_create(actor=actor, model=TrainingRecord, fields=fields, allowed=TRAINING_RECORD_FIELDS)


def training_record_delete(*, actor: Any, record: TrainingRecord) -> None:
    record_delete(actor=actor, obj=record)


def training_plan_create(
    *,
    actor: Any,
    person: Person,
    skill: Skill,
    target_level: int,
    course: str = "",
    due_date: dt.date | None = None,
) -> TrainingPlan:
    """Plan training that brings a person's skill to `target_level` (above the level held today)."""
    current = PersonSkill.objects.filter(person=person, skill=skill).values_list("level", flat=True).first() or 0
    if target_level <= current:
        require(actor, "add", TrainingPlan(person=person, skill=skill, target_level=target_level))
        raise ValidationFailed({"target_level": f"{person} already has {skill} at level {current}."})
    return record_create(
        actor=actor,
        model=TrainingPlan,
        fields={"person": person, "skill": skill, "target_level": target_level, "course": course, "due_date": due_date},
        allowed=("person", "skill", "target_level", "course", "due_date"),
    )


def training_plan_start(*, actor: Any, plan: TrainingPlan) -> TrainingPlan:
    if plan.status != TrainingPlan.Status.PLANNED:
        require(actor, "change", plan)
        raise Conflict(f"The plan is {plan.get_status_display().lower()}; only a planned one can start.")
    return record_update(
        actor=actor, obj=plan, changes={"status": TrainingPlan.Status.IN_PROGRESS}, allowed=("status",)
    )


def training_plan_complete(
    *, actor: Any, plan: TrainingPlan, completed_on: dt.date, raise_level: bool = True
) -> TrainingPlan:
    """Mark the training done; with `raise_level` the person's skill goes up to the target level (never down),
    audited with the plan, in one transaction."""
    require(actor, "complete", plan)
    if plan.status == TrainingPlan.Status.DONE:
        raise Conflict("The plan is already done.")
    with transaction.atomic():
        plan = record_update(
            actor=actor,
            obj=plan,
            changes={"status": TrainingPlan.Status.DONE, "completed_on": completed_on},
            allowed=("status", "completed_on"),
            action="complete",
        )
        if raise_level:
            current = PersonSkill.objects.filter(person=plan.person, skill=plan.skill).first()
            if current is None or current.level < plan.target_level:
                person_skill_set(
                    actor=actor,
                    person=plan.person,
                    skill=plan.skill,
                    level=plan.target_level,
                    comment=f"Training done: {plan.course or plan.skill}",
                )
    return plan


def training_plan_delete(*, actor: Any, plan: TrainingPlan) -> None:
    record_delete(actor=actor, obj=plan)
