"""A small pool: a resource manager, two roles with requirements, three skills, and people with levels."""

from decimal import Decimal
from typing import Any

import pytest

from pmo.core.access import SYSTEM
from pmo.core.roles import Role
from pmo.resources import services
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
