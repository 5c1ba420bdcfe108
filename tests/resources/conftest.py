"""A small pool: a resource manager, two roles with requirements, three skills, and people with levels."""

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from pmo.core.access import SYSTEM
from pmo.core.roles import Role
from pmo.planning import services as planning
from pmo.portfolio.models import Project
from pmo.resources import services
from pmo.resources.models import CapacityPeriod, JobRole, Person, PersonProfile, PersonSkill, Skill
from tests.conftest import make_user


@pytest.fixture
def pool(org: dict[str, Any], roles: dict[Role, Any]) -> dict[str, Any]:
    rm = make_user("resources", Role.RESOURCE_MANAGER, "Nadia Hassan")
    dev = services.job_role_create(actor=SYSTEM, name="Developer", standard_hours_per_week=Decimal("40"))
    ba = services.job_role_create(actor=SYSTEM, name="Business analyst", standard_hours_per_week=Decimal("38"))
    python = services.skill_create(actor=SYSTEM, name="Python", category="Technical")
    sql = services.skill_create(actor=SYSTEM, name="SQL", category="Technical")
    agile = services.skill_create(actor=SYSTEM, name="Scrum", category="Method")
    services.role_requirement_set(actor=SYSTEM, role=dev, skill=python, required_level=4)
    services.role_requirement_set(actor=SYSTEM, role=dev, skill=sql, required_level=3)
    services.role_requirement_set(actor=SYSTEM, role=ba, skill=sql, required_level=2)
    services.role_requirement_set(actor=SYSTEM, role=ba, skill=agile, required_level=3)
    member = roles[Role.TEAM_MEMBER].person
    services.person_profile_set(actor=SYSTEM, person=member, primary_role=dev, other_roles=[ba])
    services.person_skill_set(actor=SYSTEM, person=member, skill=python, level=2)
    services.person_skill_set(actor=SYSTEM, person=member, skill=sql, level=3)
    return {"rm": rm, "dev": dev, "ba": ba, "python": python, "sql": sql, "agile": agile, "member": member}


MONDAY = timezone.make_aware(dt.datetime(2026, 1, 5, 8))


@pytest.fixture
def busy(org):
    member = org["person"][Role.TEAM_MEMBER]
    bob = Person.objects.create(name="Bob Stone")
    developer = JobRole.objects.create(name="Developer")
    python = Skill.objects.create(name="Python")
    for person, level in ((member, 3), (bob, 4)):
        PersonProfile.objects.create(person=person, primary_role=developer)
        PersonSkill.objects.create(person=person, skill=python, level=level)
        CapacityPeriod.objects.create(person=person, start=dt.date(2025, 1, 1), hours_per_week=Decimal(40))
    Project.objects.filter(pk__in=(org["p1"].pk, org["p2"].pk)).update(state="executing")
    for project, name in ((org["p1"], "Build"), (org["p2"], "Migration")):
        spec = planning.TaskSpec(uid=1, name=name, duration_minutes=10 * 480, assignments=((member, Decimal(1)),))
        planning.plan_replace(actor=SYSTEM, project=project, tasks=[spec], start=MONDAY)
    return {**org, "member": member, "bob": bob}
