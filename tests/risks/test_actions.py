"""Response actions: overdue flags, the overdue check that tells each owner once (and again after a new due
date), the management command, and owners moving their own actions along."""

import datetime as dt
from io import StringIO

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command

from pmo.changes.models import Notification
from pmo.core.access import SYSTEM
from pmo.core.errors import Conflict, ValidationFailed
from pmo.core.roles import Role
from pmo.resources import services as resource_services
from pmo.risks import selectors, services
from pmo.risks.models import RiskAction
from tests.risks.conftest import TODAY, add_risk


@pytest.fixture
def actions(team, roles):
    pm = roles[Role.PROJECT_MANAGER]
    risk = add_risk(pm, team["p1"])
    contractor = resource_services.person_create(actor=SYSTEM, name="Contractor Without Login")
    late = services.risk_action_create(
        actor=pm,
        risk=risk,
        description="Chase the vendor",
        owner=team["person"][Role.TEAM_MEMBER],
        due_date=dt.date(2026, 12, 1),
    )
    nobody = services.risk_action_create(
        actor=pm, risk=risk, description="Qualify a second source", owner=contractor, due_date=dt.date(2026, 11, 20)
    )
    on_time = services.risk_action_create(
        actor=pm, risk=risk, description="Weekly call", owner=team["person"][Role.TEAM_MEMBER], due_date=TODAY
    )
    done = services.risk_action_create(
        actor=pm, risk=risk, description="Sign NDA", due_date=dt.date(2026, 11, 1), status="done"
    )
    return {**team, "risk": risk, "late": late, "nobody": nobody, "on_time": on_time, "done": done}


def test_overdue_flags(actions):
    assert [a.description for a in selectors.overdue_actions()] == ["Qualify a second source", "Chase the vendor"]
    assert selectors.is_overdue(actions["late"]) and not selectors.is_overdue(actions["on_time"])
    assert not selectors.is_overdue(actions["done"]) and actions["done"].completed_on == TODAY
    row = selectors.rows([selectors.base().get(pk=actions["risk"].pk)])[0]
    assert (row.open_actions, len(row.overdue_actions)) == (3, 2)


def test_the_check_tells_each_owner_once(actions, roles):
    assert services.risk_actions_check(actor=roles[Role.PMO_ANALYST]) == {"overdue": 2, "notified": 2}
    notes = {n.recipient.username: n.message for n in Notification.objects.select_related("recipient")}
    assert notes == {
        "member": "P1: your action on risk RSK-0001 was due 01 Dec 2026: Chase the vendor",
        # the contractor has no sign-in: the project manager is told instead
        "pm": "P1: your action on risk RSK-0001 was due 20 Nov 2026: Qualify a second source",
    }
    assert services.risk_actions_check(actor=SYSTEM) == {"overdue": 2, "notified": 0}
    assert services.risk_actions_check(actor=SYSTEM, today=TODAY + dt.timedelta(days=7)) == {
        "overdue": 3,
        "notified": 1,
    }
    assert Notification.objects.count() == 3
    # A new due date re-arms the check for that action.
    services.risk_action_update(
        actor=roles[Role.PROJECT_MANAGER], action=actions["late"], due_date=dt.date(2026, 12, 2)
    )
    assert services.risk_actions_check(actor=SYSTEM) == {"overdue": 2, "notified": 1}
    assert Notification.objects.count() == 4


def test_done_actions_and_closed_risks_are_not_overdue(actions, roles):
    pm = roles[Role.PROJECT_MANAGER]
    services.risk_action_update(actor=pm, action=actions["late"], status="done")
    assert RiskAction.objects.get(pk=actions["late"].pk).completed_on == TODAY
    assert services.risk_actions_check(actor=SYSTEM) == {"overdue": 1, "notified": 1}
    services.risk_update(actor=pm, risk=actions["risk"], status="closed")
    assert services.risk_actions_check(actor=SYSTEM) == {"overdue": 0, "notified": 0}
    with pytest.raises(Conflict):
        services.risk_action_create(actor=pm, risk=actions["risk"], description="Too late")


def test_the_command_runs_the_check(actions):
    out = StringIO()
    call_command("risk_actions_check", stdout=out)
    assert out.getvalue() == "2 overdue actions, 2 owners notified\n"
    out = StringIO()
    call_command("risk_actions_check", stdout=out)
    assert out.getvalue() == "2 overdue actions, 0 owners notified\n"
    out = StringIO()
    call_command("risk_actions_check", "--date", "2026-12-10", stdout=out)
    assert out.getvalue() == "3 overdue actions, 1 owners notified\n"


@pytest.mark.parametrize("role", [Role.PROJECT_MANAGER, Role.EXECUTIVE, Role.TEAM_MEMBER, Role.REQUESTER])
def test_only_the_pmo_runs_the_check_for_everyone(actions, roles, role):
    with pytest.raises(PermissionDenied):
        services.risk_actions_check(actor=roles[role])
    assert not Notification.objects.exists()
    assert not RiskAction.objects.filter(overdue_notified_on__isnull=False).exists()


def test_owners_move_their_own_actions_along(actions, roles):
    member = roles[Role.TEAM_MEMBER]
    action = services.risk_action_update(actor=member, action=actions["late"], status="in_progress")
    assert (action.status, action.version) == ("in_progress", 2)
    with pytest.raises(PermissionDenied, match=r"You may change only the status of your own action\."):
        services.risk_action_update(actor=member, action=actions["late"], due_date=dt.date(2027, 1, 1))
    with pytest.raises(PermissionDenied):
        services.risk_action_update(actor=member, action=actions["nobody"], status="done")
    with pytest.raises(PermissionDenied):
        services.risk_action_create(actor=member, risk=actions["risk"], description="Mine")
    late = RiskAction.objects.get(pk=actions["late"].pk)
    assert (late.status, late.due_date) == ("in_progress", dt.date(2026, 12, 1))
    assert RiskAction.objects.get(pk=actions["nobody"].pk).status == "planned"
    assert RiskAction.objects.count() == 4


def test_an_action_needs_a_description(actions, roles):
    with pytest.raises(ValidationFailed) as error:
        services.risk_action_create(actor=roles[Role.PROJECT_MANAGER], risk=actions["risk"], description=" ")
    assert error.value.fields == {"description": ["Say what is to be done."]}


@pytest.mark.parametrize("role", [Role.PMO_ANALYST, Role.EXECUTIVE, Role.PROJECT_ADMINISTRATOR])
def test_any_role_moves_the_actions_it_owns(actions, roles, role):
    owned = services.risk_action_create(
        actor=roles[Role.PROJECT_MANAGER], risk=actions["risk"], description="Review", owner=roles[role].person
    )
    assert services.risk_action_update(actor=roles[role], action=owned, status="done").status == "done"
    with pytest.raises(PermissionDenied):
        services.risk_action_update(actor=roles[role], action=actions["late"], status="done")
