"""Reads of the resource pool: a person's capacity and cost rate on a date, leave, the skills matrix, competency
gaps against role requirements (per person and per team), certificate expiry and the request queues."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet

from pmo.core.access import can, person_id_of
from pmo.resources.models import (
    DEFAULT_HOURS_PER_WEEK,
    Absence,
    CapacityPeriod,
    CostRateHistory,
    JobRole,
    Person,
    PersonProfile,
    PersonSkill,
    ResourceRequest,
    RoleSkillRequirement,
    Skill,
    TrainingPlan,
    TrainingRecord,
)

EXPIRY_WARNING_DAYS = 60


def sees_pool(user: Any) -> bool:
    """Everyone who may read the skills catalogue (every role but requesters)."""
    return can(user, "view", Skill)


def profile_of(person: Person) -> PersonProfile | None:
    return PersonProfile.objects.filter(person=person).select_related("primary_role", "calendar").first()


def roles_of_person(person: Person) -> list[JobRole]:
    """The person's primary role first, then the others by name."""
    profile = profile_of(person)
    if profile is None:
        return []
    others = [r for r in profile.other_roles.all() if r.pk != profile.primary_role_id]
    return ([profile.primary_role] if profile.primary_role else []) + others


def standard_hours(person: Person) -> Decimal:
    """The full-time week of the person's primary role (40 hours without one)."""
    profile = profile_of(person)
    if profile is not None and profile.primary_role is not None:
        return profile.primary_role.standard_hours_per_week
    return DEFAULT_HOURS_PER_WEEK


def period_hours(period: CapacityPeriod, standard: Decimal) -> Decimal:
    if period.hours_per_week is not None:
        return period.hours_per_week
    return (period.fte or Decimal(0)) * standard


def capacity_on(person: Person, day: dt.date) -> Decimal:
    """Hours a week the person works on `day`: the latest capacity period starting at or before it; 40 hours
    (or the primary role's standard week) when none does. Leave and the non-project share are not deducted."""
    standard = standard_hours(person)
    period = CapacityPeriod.objects.filter(person=person, start__lte=day).order_by("-start").first()
    return standard if period is None else period_hours(period, standard)


def project_capacity_on(person: Person, day: dt.date) -> Decimal:
    """Capacity on `day` less the non-project share."""
    profile = profile_of(person)
    share = profile.non_project_percent if profile else Decimal(0)
    return (capacity_on(person, day) * (Decimal(100) - share) / Decimal(100)).quantize(Decimal("0.01"))


def absences_between(person: Person, start: dt.date, finish: dt.date) -> QuerySet[Absence]:
    return Absence.objects.filter(person=person, start__lte=finish, finish__gte=start)


def cost_rate_on(person: Person, day: dt.date) -> Decimal | None:
    """The hourly rate in force on `day`: the latest history entry at or before it; without one, pmo.control's
    current rate of the person (if any)."""
    entry = CostRateHistory.objects.filter(person=person, effective_from__lte=day).order_by("-effective_from").first()
    if entry is not None:
        return entry.rate_per_hour
    current = getattr(person, "cost_rate", None)
    return current.rate_per_hour if current is not None else None


# --- skills matrix and competency gaps --------------------------------------------------------------------


def people(*, unit_id: int | None = None, role_id: int | None = None) -> QuerySet[Person]:
    qs = Person.objects.filter(active=True).select_related("org_unit")
    if unit_id:
        qs = qs.filter(org_unit_id=unit_id)
    if role_id:
        qs = qs.filter(Q(profile__primary_role_id=role_id) | Q(profile__other_roles__id=role_id)).distinct()
    return qs.order_by("name")


@dataclass
class Matrix:
    skills: list[Skill]
    rows: list[tuple[Person, list[int | None]]]


def skills_matrix(*, unit_id: int | None = None, role_id: int | None = None, skill_id: int | None = None) -> Matrix:
    """People (rows) by skills (columns) with each level, None where the person lacks the skill. Filtering by a
    skill keeps only that column and the people who hold it."""
    persons = list(people(unit_id=unit_id, role_id=role_id))
    levels: dict[tuple[int, int], int] = {
        (ps.person_id, ps.skill_id): ps.level for ps in PersonSkill.objects.filter(person__in=persons)
    }
    skills = list(Skill.objects.all())
    if skill_id:
        skills = [s for s in skills if s.pk == skill_id]
        persons = [p for p in persons if (p.pk, skill_id) in levels]
    rows = [(p, [levels.get((p.pk, s.pk)) for s in skills]) for p in persons]
    return Matrix(skills=skills, rows=rows)


@dataclass(frozen=True)
class Gap:
    person: Person
    skill: Skill
    required: int
    actual: int  # 0 when the person lacks the skill
    roles: tuple[str, ...]  # the roles that require it

    @property
    def gap(self) -> int:
        return self.required - self.actual


def requirements_for(role_ids: Iterable[int]) -> dict[int, tuple[int, list[str]]]:
    """skill id -> (the highest level any of the roles requires, the roles' names)."""
    wanted: dict[int, tuple[int, list[str]]] = {}
    for req in RoleSkillRequirement.objects.filter(role_id__in=list(role_ids)).select_related("role"):
        level, names = wanted.get(req.skill_id, (0, []))
        wanted[req.skill_id] = (max(level, req.required_level), [*names, req.role.name])
    return wanted


def gaps_for(persons: Iterable[Person]) -> list[Gap]:
    """Every skill a person's roles (primary and other) require above the level the person has: required minus
    actual, by person then largest gap first."""
    persons = list(persons)
    profiles = {
        p.person_id: p
        for p in PersonProfile.objects.filter(person__in=persons)
        .select_related("primary_role")
        .prefetch_related("other_roles")
    }
    levels = {(ps.person_id, ps.skill_id): ps.level for ps in PersonSkill.objects.filter(person__in=persons)}
    skills = {s.pk: s for s in Skill.objects.all()}
    cache: dict[frozenset[int], dict[int, tuple[int, list[str]]]] = {}
    gaps: list[Gap] = []
    for person in persons:
        profile = profiles.get(person.pk)
        if profile is None:
            continue
        role_ids = frozenset(
            ([profile.primary_role_id] if profile.primary_role_id else []) + [r.pk for r in profile.other_roles.all()]
        )
        if role_ids not in cache:
            cache[role_ids] = requirements_for(role_ids)
        found = [
            Gap(person, skills[skill_id], required, levels.get((person.pk, skill_id), 0), tuple(sorted(names)))
            for skill_id, (required, names) in cache[role_ids].items()
            if levels.get((person.pk, skill_id), 0) < required
        ]
        gaps += sorted(found, key=lambda g: (-g.gap, g.skill.name))
    return gaps


@dataclass
class TeamGap:
    skill: Skill
    people: list[Gap] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(g.gap for g in self.people)


def team_gaps(gaps: Iterable[Gap]) -> list[TeamGap]:
    """The gaps of a team by skill: how many people fall short and by how many levels in all, largest first."""
    by_skill: dict[int, TeamGap] = {}
    for g in gaps:
        by_skill.setdefault(g.skill.pk, TeamGap(g.skill)).people.append(g)
    return sorted(by_skill.values(), key=lambda t: (-t.total, t.skill.name))


def open_plan_for(person: Person, skill: Skill) -> TrainingPlan | None:
    return (
        TrainingPlan.objects.filter(person=person, skill=skill)
        .exclude(status=TrainingPlan.Status.DONE)
        .order_by("due_date", "id")
        .first()
    )


# --- training ---------------------------------------------------------------------------------------------


def expiry_flag(record: TrainingRecord, today: dt.date) -> str:
    """ "expired" (expiry date before today), "expiring" (within 60 days from today, today included) or ""."""
    if record.expires_on is None:
        return ""
    if record.expires_on < today:
        return "expired"
    if record.expires_on <= today + dt.timedelta(days=EXPIRY_WARNING_DAYS):
        return "expiring"
    return ""


def certificates_to_watch(today: dt.date) -> list[tuple[TrainingRecord, str]]:
    """Certificates that have expired or expire within 60 days, soonest first."""
    horizon = today + dt.timedelta(days=EXPIRY_WARNING_DAYS)
    records = TrainingRecord.objects.filter(expires_on__isnull=False, expires_on__lte=horizon).select_related(
        "person", "skill"
    )
    return [(r, expiry_flag(r, today)) for r in records.order_by("expires_on", "person__name")]


def plans(*, status: str = "", person_id: int | None = None) -> QuerySet[TrainingPlan]:
    qs = TrainingPlan.objects.select_related("person", "skill")
    if status == "open":
        qs = qs.exclude(status=TrainingPlan.Status.DONE)
    elif status:
        qs = qs.filter(status=status)
    if person_id:
        qs = qs.filter(person_id=person_id)
    return qs.order_by("status", "due_date", "person__name")


# --- resource requests ------------------------------------------------------------------------------------


def requests_base() -> QuerySet[ResourceRequest]:
    return ResourceRequest.objects.select_related(
        "project", "role", "skill", "assigned_person", "requested_by", "decided_by"
    )


def queue() -> QuerySet[ResourceRequest]:
    """The requests waiting for a decision, soonest start first."""
    return requests_base().filter(state=ResourceRequest.State.SUBMITTED).order_by("start", "id")


def mine(user: Any) -> QuerySet[ResourceRequest]:
    """The requests the user asked for, and those of the projects the user manages."""
    person = person_id_of(user)
    return requests_base().filter(Q(requested_by_id=user.pk) | Q(project__manager_id=person)).order_by("-id")


def candidates(request: ResourceRequest) -> list[tuple[Person, int | None]]:
    """Active people holding the requested role (primary or other), with their level of the requested skill;
    those meeting the skill level first."""
    persons = list(people(role_id=request.role_id))
    levels: dict[int, int] = {}
    if request.skill_id:
        levels = dict(
            PersonSkill.objects.filter(skill_id=request.skill_id, person__in=persons).values_list("person_id", "level")
        )
    needed = request.min_level or 0
    ranked = [(p, levels.get(p.pk)) for p in persons]
    return sorted(ranked, key=lambda pl: (-(1 if (pl[1] or 0) >= needed else 0), -(pl[1] or 0), pl[0].name))


def hours_of(request: ResourceRequest) -> Decimal:
    """Hours a week asked for (an FTE share counts the role's standard week)."""
    if request.hours_per_week is not None:
        return request.hours_per_week
    return ((request.fte or Decimal(0)) * request.role.standard_hours_per_week).quantize(Decimal("0.01"))


def counts_by_state() -> dict[str, int]:
    counts: dict[str, int] = defaultdict(int)
    for state in ResourceRequest.objects.values_list("state", flat=True):
        counts[state] += 1
    return dict(counts)
