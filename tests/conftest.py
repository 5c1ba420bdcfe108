"""Shared fixtures: one user per role with a linked person, and a small portfolio to act on."""

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client

from pmo.core.access import SYSTEM
from pmo.core.roles import Role, sync_role_groups
from pmo.portfolio import services as portfolio_services
from pmo.resources import services as resource_services

ROLE_USERNAMES = {
    Role.PMO_DIRECTOR: "director",
    Role.PORTFOLIO_MANAGER: "portfolio",
    Role.PMO_ANALYST: "analyst",
    Role.PROJECT_MANAGER: "pm",
    Role.PROJECT_ADMINISTRATOR: "projadmin",
    Role.EXECUTIVE: "exec",
    Role.TEAM_MEMBER: "member",
    Role.REQUESTER: "requester",
}


def make_user(username: str, role: Role | None, name: str | None = None) -> User:
    user = User.objects.create_user(username=username, password="pw-" + username)
    if role is not None:
        user.groups.add(Group.objects.get(name=role.value))
    resource_services.person_create(actor=SYSTEM, name=name or username.title(), user=user)
    return user


@pytest.fixture(autouse=True)
def empty_cache() -> Any:
    """Each test starts with an empty cache: a cached dashboard of an earlier test's data (same ids after
    its rollback) must not answer this one."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def fast_password_hashing(settings: Any) -> None:
    # The default PBKDF2 costs ~0.3 s a user; tests create many.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def roles(db: Any) -> dict[Role, User]:
    sync_role_groups()
    return {role: make_user(username, role) for role, username in ROLE_USERNAMES.items()}


@pytest.fixture
def org(roles: dict[Role, User]) -> dict[str, Any]:
    """A portfolio managed by the portfolio manager, with a program and two projects:
    P1 managed by the project manager, P2 by someone else."""
    person = {role: user.person for role, user in roles.items()}
    other_pm = make_user("pm2", Role.PROJECT_MANAGER, "Other Manager")
    objective = portfolio_services.objective_create(actor=SYSTEM, code="SO1", name="Grow revenue")
    portfolio = portfolio_services.portfolio_create(
        actor=SYSTEM,
        code="DIG",
        name="Digital",
        manager=person[Role.PORTFOLIO_MANAGER],
        objectives=[objective],
    )
    other_portfolio = portfolio_services.portfolio_create(actor=SYSTEM, code="OPS", name="Operations")
    program = portfolio_services.program_create(actor=SYSTEM, code="CX", name="Customer", portfolio=portfolio)
    p1 = portfolio_services.project_create(
        actor=SYSTEM,
        code="P1",
        name="Mobile app",
        portfolio=portfolio,
        program=program,
        manager=person[Role.PROJECT_MANAGER],
        planned_start=dt.date(2026, 1, 5),
        planned_finish=dt.date(2026, 12, 18),
        budget=Decimal("1250000.00"),
        objectives=[objective],
    )
    p2 = portfolio_services.project_create(
        actor=SYSTEM, code="P2", name="Data lake", portfolio=portfolio, manager=other_pm.person
    )
    return {
        "objective": objective,
        "portfolio": portfolio,
        "other_portfolio": other_portfolio,
        "program": program,
        "p1": p1,
        "p2": p2,
        "other_pm": other_pm,
        "person": person,
    }


@pytest.fixture
def client_for(roles: dict[Role, User]) -> Any:
    def make(role: Role) -> Client:
        client = Client()
        client.force_login(roles[role])
        return client

    return make
