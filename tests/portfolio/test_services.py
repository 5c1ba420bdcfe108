import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.db.models import Count

from pmo.core import audit
from pmo.core.access import SYSTEM
from pmo.core.errors import Conflict, ValidationFailed
from pmo.core.roles import Role
from pmo.portfolio import lifecycle, services
from pmo.portfolio.models import LifecycleState, Project
from tests.knowledge.conftest import complete_closure


def test_lifecycle_path_to_closure(roles, org):
    director = roles[Role.PMO_DIRECTOR]
    project = org["p1"]
    for state in (
        "approved",
        "initiating",
        "planning",
        "executing",
        "on_hold",
        "executing",
        "closing",
        "closed",
    ):
        if state == "closed":  # a project closes once its closure is complete (pmo.knowledge)
            complete_closure(project)
        project = services.project_transition(actor=director, project=project, to_state=state)
    assert Project.objects.get(pk=project.pk).state == "closed"
    states = [e.changes["state"]["new"] for e in reversed(audit.history_of(project)) if e.action == "update"]
    assert states == [
        "approved",
        "initiating",
        "planning",
        "executing",
        "on_hold",
        "executing",
        "closing",
        "closed",
    ]


def test_forbidden_transition_names_the_allowed_ones(roles, org):
    with pytest.raises(Conflict) as error:
        services.project_transition(actor=roles[Role.PMO_DIRECTOR], project=org["p1"], to_state="executing")
    assert error.value.message == (
        "A project cannot go from Proposed to Executing. Allowed next states: approved, cancelled."
    )
    assert Project.objects.get(pk=org["p1"].pk).state == "proposed"


def test_closed_and_cancelled_are_final():
    assert lifecycle.next_states(LifecycleState.CLOSED) == ()
    assert lifecycle.next_states(LifecycleState.CANCELLED) == ()


def test_project_manager_cannot_approve_own_project(roles, org):
    with pytest.raises(PermissionDenied):
        services.project_transition(actor=roles[Role.PROJECT_MANAGER], project=org["p1"], to_state="approved")
    assert Project.objects.get(pk=org["p1"].pk).state == "proposed"


def test_cancellation_needs_a_reason_and_is_audited_with_it(roles, org):
    manager = roles[Role.PORTFOLIO_MANAGER]
    with pytest.raises(ValidationFailed) as error:
        services.project_transition(actor=manager, project=org["p1"], to_state="cancelled")
    assert error.value.fields == {"comment": ["Say why the project is cancelled."]}
    services.project_transition(actor=manager, project=org["p1"], to_state="cancelled", comment="No business case")
    event = audit.history_of(org["p1"]).first()
    assert (event.comment, event.changes) == (
        "No business case",
        {"state": {"old": "proposed", "new": "cancelled"}},
    )


def test_state_cannot_be_edited_directly(roles, org):
    with pytest.raises(ValidationFailed) as error:
        services.project_update(actor=roles[Role.PMO_DIRECTOR], project=org["p1"], state="closed")
    assert error.value.fields == {"state": ["Change the state through a lifecycle transition."]}


def test_program_must_belong_to_the_projects_portfolio(roles, org):
    with pytest.raises(ValidationFailed) as error:
        services.project_update(actor=roles[Role.PMO_DIRECTOR], project=org["p1"], portfolio=org["other_portfolio"])
    assert error.value.fields == {"program": ["Program Customer belongs to portfolio Digital, not Operations."]}


def test_finish_before_start_is_refused(roles, org):
    with pytest.raises(ValidationFailed) as error:
        services.project_update(
            actor=roles[Role.PROJECT_MANAGER], project=org["p1"], planned_finish=dt.date(2025, 12, 31)
        )
    assert error.value.fields == {"planned_finish": ["The planned finish cannot be before the planned start."]}


def test_duplicate_code_names_the_field(roles, org):
    with pytest.raises(ValidationFailed) as error:
        services.project_create(actor=roles[Role.PMO_DIRECTOR], code="P2", name="Again", portfolio=org["portfolio"])
    assert error.value.fields == {"code": ["Project with this Code already exists."]}
    assert Project.objects.filter(code="P2").count() == 1


def test_registering_a_running_project_needs_approval_right(roles, org):
    pm = roles[Role.PROJECT_MANAGER]
    with pytest.raises(PermissionDenied):
        services.project_create(
            actor=pm,
            code="P9",
            name="Running",
            portfolio=org["portfolio"],
            manager=pm.person,
            state="executing",
        )
    assert not Project.objects.filter(code="P9").exists()
    created = services.project_create(
        actor=roles[Role.PMO_DIRECTOR],
        code="P9",
        name="Running",
        portfolio=org["portfolio"],
        state="executing",
    )
    assert created.state == "executing"


def test_delete_refused_while_in_use(roles, org):
    with pytest.raises(ValidationFailed) as error:
        services.portfolio_delete(actor=roles[Role.PMO_DIRECTOR], portfolio=org["portfolio"])
    assert error.value.fields["general"][0].startswith("Digital is still used by: ")
    assert org["portfolio"].__class__.objects.filter(pk=org["portfolio"].pk).exists()


def test_demo_portfolio_is_complete(db):
    from django.contrib.auth.models import User

    from pmo.core.roles import sync_role_groups
    from pmo.demo import demo_needed, load_demo
    from pmo.portfolio.models import Portfolio, Program
    from pmo.resources.models import Person

    sync_role_groups()
    assert demo_needed() is True
    load_demo(today=dt.date(2026, 11, 23))
    assert demo_needed() is False
    assert (Portfolio.objects.count(), Program.objects.count(), Project.objects.count()) == (3, 7, 41)
    assert Person.objects.count() == 26
    assert set(Project.objects.values_list("state", flat=True)) == set(LifecycleState.values)
    assert {g for u in User.objects.all() for g in u.groups.values_list("name", flat=True)} == {r.value for r in Role}
    assert Project.objects.filter(manager__isnull=True).count() == 0
    from pmo.selection.models import Proposal

    assert dict(Proposal.objects.values_list("state").annotate(n=Count("pk"))) == {
        "draft": 1,
        "submitted": 2,
        "under_evaluation": 5,
        "deferred": 1,
        "rejected": 1,
        "approved": 1,
    }
    running = Proposal.objects.get(state="approved").project
    assert (running.code, running.state, running.manager.name) == ("DIG-030", "executing", "Aisha Bello")
    assert running.charter.startswith("Purpose\nBranch appointment booking: the case for doing it now")
    from pmo.changes.models import Deviation
    from pmo.planning.models import CrossProjectLink

    late = CrossProjectLink.objects.filter(late_days__gt=0)
    assert [(x.provider.project.code, x.consumer.project.code, x.late_days) for x in late] == [
        ("DIG-007", "DIG-006", 11)
    ]
    flagged = Deviation.objects.get(metric="dependency_slip_days")
    assert (flagged.project.code, flagged.value, flagged.severity) == ("DIG-006", 11, "red")
    assert SYSTEM.username == "system"
