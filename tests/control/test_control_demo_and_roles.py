"""The monitoring demo (approved timesheets, costs, weekly snapshots, projects in trouble) and the role
rules of the control records."""

import datetime as dt

from pmo.control import selectors, services
from pmo.control.models import CostEntry, CostRate, EvmSnapshot, Timesheet
from pmo.core.access import can
from pmo.core.roles import Role, sync_role_groups
from pmo.demo import load_demo
from pmo.portfolio.models import Project
from tests.conftest import make_user
from tests.control.conftest import MONDAY
from tests.selection.test_selection_api import caller


def test_demo_has_timesheets_costs_and_snapshots_with_deviations(db):
    sync_role_groups()
    today = dt.date(2026, 12, 3)
    load_demo(today=today)
    assert Timesheet.objects.filter(state="approved").count() > 10
    assert (
        CostEntry.objects.filter(category="labour").exists() and CostEntry.objects.filter(category="services").exists()
    )
    running = Project.objects.filter(state__in=("executing", "on_hold", "closing"), tasks__isnull=False).distinct()
    latest = selectors.latest_snapshots(running)
    assert len(latest) == running.count()
    assert all(s.status_date == today for s in latest.values())
    assert EvmSnapshot.objects.filter(project=running.first()).count() == 9  # eight Fridays and today
    colours = {selectors.rag(s) for s in latest.values()}
    assert {"green", "amber", "red"} <= colours
    for s in latest.values():  # behind schedule and over cost where the project's health says so
        if s.project.health == "red":
            assert s.spi < 0.95 and s.cpi < 0.95


def test_team_members_see_only_their_own_timesheets(roles, measured):
    member = roles[Role.TEAM_MEMBER]
    rows = [services.HoursRow(measured["a"].pk, MONDAY, 8)]
    [sheet] = services.timesheet_save(actor=member, person=measured["member"], week_start=MONDAY, rows=rows)
    other = roles[Role.PMO_ANALYST]  # any other user
    assert can(member, "view", sheet) and can(member, "change", sheet)
    assert not can(other, "change", sheet)
    assert can(roles[Role.EXECUTIVE], "view", sheet) and not can(roles[Role.EXECUTIVE], "change", sheet)
    assert caller(roles[Role.PROJECT_MANAGER])("get", f"/timesheets/{sheet.pk}")[0] == 200
    someone = make_user("member2", Role.TEAM_MEMBER, "Second Member")
    assert caller(someone)("get", f"/timesheets/{sheet.pk}")[0] == 404
    assert not can(someone, "view", CostRate) and can(roles[Role.PROJECT_MANAGER], "view", CostRate)
