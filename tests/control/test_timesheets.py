"""Timesheets: a team member logs hours on their tasks and submits the week; the project manager approves
(labour cost = hours x rate) or returns it with a comment. Denied calls change nothing."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from pmo.control import selectors, services
from pmo.control.models import CostEntry, CostRate, TimeEntry, Timesheet
from pmo.core.errors import Conflict, ValidationFailed
from pmo.core.models import AuditEvent
from pmo.core.roles import Role
from tests.control.conftest import MONDAY


def log(roles, measured, *cells):
    rows = [services.HoursRow(task.pk, MONDAY + dt.timedelta(days=d), Decimal(h)) for task, d, h in cells]
    return services.timesheet_save(
        actor=roles[Role.TEAM_MEMBER], person=measured["member"], week_start=MONDAY, rows=rows
    )


def test_log_submit_approve_feeds_actual_work_and_labour_cost(roles, measured):
    a = measured["a"]
    [sheet] = log(roles, measured, (a, 0, "8"), (a, 1, "7.5"))
    assert sheet.state == Timesheet.State.DRAFT
    grid = selectors.week_grid(measured["member"], MONDAY)
    assert [(r.task.name, r.total) for r in grid.rows] == [("A design", Decimal("15.5"))]  # B starts next week
    next_week = selectors.week_grid(measured["member"], MONDAY + dt.timedelta(days=7))
    assert [r.task.name for r in next_week.rows] == ["A design", "B code"]  # A is late: still open
    assert grid.day_totals[:2] == [Decimal("8"), Decimal("7.5")]

    log(roles, measured, (a, 1, "0"))  # 0 clears a cell
    assert TimeEntry.objects.filter(timesheet=sheet).count() == 1
    log(roles, measured, (a, 1, "7.5"))
    [submitted] = services.timesheet_submit(actor=roles[Role.TEAM_MEMBER], person=measured["member"], week_start=MONDAY)
    assert submitted.state == Timesheet.State.SUBMITTED
    with pytest.raises(ValidationFailed):  # a submitted week is locked
        log(roles, measured, (a, 2, "4"))
    assert selectors.approvals_for(roles[Role.PROJECT_MANAGER]) == [submitted]
    assert selectors.approvals_for(roles[Role.TEAM_MEMBER]) == []

    services.timesheet_approve(actor=roles[Role.PROJECT_MANAGER], timesheet=submitted, comment="Thanks")
    submitted.refresh_from_db()
    assert submitted.state == Timesheet.State.APPROVED
    labour = CostEntry.objects.filter(project=measured["p1"], category="labour").order_by("date")
    assert [(e.date, e.hours, e.amount) for e in labour] == [
        (MONDAY, Decimal("8.00"), Decimal("400.00")),
        (MONDAY + dt.timedelta(days=1), Decimal("7.50"), Decimal("375.00")),
    ]
    assert selectors.actual_work_hours(measured["p1"]) == {a.pk: Decimal("15.50")}
    actions = list(
        AuditEvent.objects.filter(object_id=str(submitted.pk), content_type__model="timesheet").values_list(
            "changes", flat=True
        )
    )
    assert any(c.get("state", {}).get("new") == "approved" for c in actions)


def test_return_needs_a_comment_and_reopens_the_week(roles, measured):
    log(roles, measured, (measured["b"], 0, "3"))
    [sheet] = services.timesheet_submit(actor=roles[Role.TEAM_MEMBER], person=measured["member"], week_start=MONDAY)
    with pytest.raises(ValidationFailed):
        services.timesheet_return(actor=roles[Role.PROJECT_MANAGER], timesheet=sheet, comment=" ")
    services.timesheet_return(actor=roles[Role.PROJECT_MANAGER], timesheet=sheet, comment="B had not started")
    sheet.refresh_from_db()
    assert (sheet.state, sheet.comment) == (Timesheet.State.RETURNED, "B had not started")
    log(roles, measured, (measured["b"], 0, "0"), (measured["a"], 0, "3"))
    assert selectors.week_grid(measured["member"], MONDAY).rows[0].comment == "B had not started"
    with pytest.raises(Conflict):  # only a submitted sheet can be decided
        services.timesheet_approve(actor=roles[Role.PROJECT_MANAGER], timesheet=sheet)


def test_invalid_entries_are_named_and_nothing_is_written(roles, measured):
    other = measured["a"]
    with pytest.raises(ValidationFailed) as error:
        log(roles, measured, (other, 0, "8"), (other, 9, "2"), (measured["b"], 0, "30"))
    assert set(error.value.fields) == {"entries[2].day", "entries[3].hours"}
    with pytest.raises(ValidationFailed) as error:
        log(roles, measured, (measured["a"], 0, "16"), (measured["b"], 0, "9"))
    assert "More than 24 hours" in error.value.fields["hours"][0]
    summary = measured["a"].parent
    with pytest.raises(ValidationFailed):
        log(roles, measured, (summary, 0, "1"))
    assert not Timesheet.objects.exists() and not TimeEntry.objects.exists()


def test_denied_timesheet_calls_change_nothing(roles, measured):
    # Someone else's timesheet: the project manager cannot log time for the team member.
    with pytest.raises(PermissionDenied):
        services.timesheet_save(
            actor=roles[Role.PROJECT_MANAGER],
            person=measured["member"],
            week_start=MONDAY,
            rows=[services.HoursRow(measured["a"].pk, MONDAY, Decimal(8))],
        )
    assert not Timesheet.objects.exists()
    log(roles, measured, (measured["a"], 0, "8"))
    [sheet] = services.timesheet_submit(actor=roles[Role.TEAM_MEMBER], person=measured["member"], week_start=MONDAY)
    # Not the manager of P1: another project manager, the executive, the team member themself.
    for user in (measured["other_pm"], roles[Role.EXECUTIVE], roles[Role.TEAM_MEMBER], roles[Role.PMO_ANALYST]):
        with pytest.raises(PermissionDenied):
            services.timesheet_approve(actor=user, timesheet=sheet)
        with pytest.raises(PermissionDenied):
            services.timesheet_return(actor=user, timesheet=sheet, comment="no")
    sheet.refresh_from_db()
    assert sheet.state == Timesheet.State.SUBMITTED and sheet.version == 2
    assert not CostEntry.objects.exists()


def test_approval_needs_a_cost_rate(roles, measured):
    log(roles, measured, (measured["a"], 0, "8"))
    [sheet] = services.timesheet_submit(actor=roles[Role.TEAM_MEMBER], person=measured["member"], week_start=MONDAY)
    CostRate.objects.all().delete()
    with pytest.raises(ValidationFailed) as error:
        services.timesheet_approve(actor=roles[Role.PROJECT_MANAGER], timesheet=sheet)
    assert "no cost rate" in error.value.fields["cost_rate"][0]
    sheet.refresh_from_db()
    assert sheet.state == Timesheet.State.SUBMITTED and not CostEntry.objects.exists()


def test_the_portfolio_manager_may_approve_in_own_portfolio(roles, measured):
    log(roles, measured, (measured["a"], 0, "8"))
    [sheet] = services.timesheet_submit(actor=roles[Role.TEAM_MEMBER], person=measured["member"], week_start=MONDAY)
    services.timesheet_approve(actor=roles[Role.PORTFOLIO_MANAGER], timesheet=sheet)
    assert CostEntry.objects.get().amount == Decimal("400.00")
