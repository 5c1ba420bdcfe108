"""The monitoring API: the timesheet week, approvals, costs (entered and imported), EVM snapshots of a
project and the roll-up of its program and portfolio; errors in the one shape; denied calls change nothing."""

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from pmo.control.models import CostEntry, EvmSnapshot, Timesheet
from pmo.core.roles import Role
from pmo.core.services import token_create
from pmo.planning.models import Task
from pmo.portfolio.models import Project
from tests.control.conftest import MONDAY
from tests.selection.test_selection_api import caller


def test_timesheet_week_submit_and_approve(roles, measured):
    member = caller(roles[Role.TEAM_MEMBER])
    a = measured["a"]
    status, week = member("get", "/timesheets/week?week=2026-01-07")
    assert status == 200 and week["week_start"] == "2026-01-05"
    assert [r["task"] for r in week["rows"]] == ["A design"]
    body = {"week_start": "2026-01-05", "entries": [{"task_id": a.pk, "day": "2026-01-05", "hours": 6}]}
    status, week = member("put", "/timesheets/week", body)
    assert status == 200 and week["total"] == "6.00" and week["rows"][0]["hours"][0] == "6.00"

    bad = {"week_start": "2026-01-05", "entries": [{"task_id": a.pk, "day": "2026-01-19", "hours": 6}]}
    status, error = member("put", "/timesheets/week", bad)
    assert status == 422 and error["code"] == "validation_error"
    assert error["details"]["fields"] == {"entries[1].day": ["2026-01-19 is not in the week of 2026-01-05."]}

    status, sheets = member("post", "/timesheets/week/submit", {"week_start": "2026-01-05"})
    assert status == 200 and [(s["project"], s["state"], s["hours"]) for s in sheets] == [("P1", "submitted", "6.00")]
    sheet_id = sheets[0]["id"]

    status, waiting = caller(roles[Role.PROJECT_MANAGER])("get", "/timesheets/approvals")
    assert [s["id"] for s in waiting] == [sheet_id]
    status, error = caller(measured["other_pm"])("post", f"/timesheets/{sheet_id}/approve", {"comment": ""})
    assert status == 403 and error["code"] == "permission_denied"
    status, error = member("post", f"/timesheets/{sheet_id}/approve", {})
    assert status == 403
    assert Timesheet.objects.get().state == "submitted" and not CostEntry.objects.exists()

    status, sheet = caller(roles[Role.PROJECT_MANAGER])("post", f"/timesheets/{sheet_id}/approve", {"comment": "ok"})
    assert status == 200 and sheet["state"] == "approved"
    assert CostEntry.objects.get().amount == 300  # 6 h x 50
    status, error = caller(roles[Role.PROJECT_MANAGER])("post", f"/timesheets/{sheet_id}/return", {"comment": "x"})
    assert status == 409 and error["code"] == "conflict"


def test_executive_reads_but_cannot_take_snapshots_or_add_costs(roles, measured):
    p1 = measured["p1"]
    executive = caller(roles[Role.EXECUTIVE])
    assert executive("post", f"/projects/{p1.pk}/evm", {"status_date": "2026-01-14"})[0] == 403
    body = {"date": "2026-01-06", "category": "material", "amount": "10.00"}
    assert executive("post", f"/projects/{p1.pk}/costs", body)[0] == 403
    assert not EvmSnapshot.objects.exists() and not CostEntry.objects.exists()
    assert executive("get", f"/projects/{p1.pk}/evm") == (200, [])
    assert caller(roles[Role.REQUESTER])("get", f"/projects/{p1.pk}/evm")[0] == 403


def test_costs_and_snapshots_and_rollup(roles, measured):
    p1 = measured["p1"]
    Task.objects.filter(pk=measured["a"].pk).update(percent_complete=100)
    Task.objects.filter(pk=measured["b"].pk).update(percent_complete=25)
    pm = caller(roles[Role.PROJECT_MANAGER])
    status, entry = pm(
        "post",
        f"/projects/{p1.pk}/costs",
        {"date": "2026-01-09", "category": "material", "amount": "1500", "task_uid": 2},
    )
    assert status == 201 and entry["amount"] == "1500.00" and entry["task_uid"] == 2
    status, error = pm(
        "post",
        f"/projects/{p1.pk}/costs",
        {"date": "2026-01-09", "category": "material", "amount": "1", "task_uid": 42},
    )
    assert status == 422 and "task_uid" in error["details"]["fields"]

    status, snap = pm("post", f"/projects/{p1.pk}/evm", {"status_date": "2026-01-14"})
    assert status == 201
    assert (snap["pv"], snap["ev"], snap["ac"], snap["spi"], snap["rag"]) == (
        "1600.00",
        "1250.00",
        "1500.00",
        0.78125,
        "red",
    )
    assert snap["eac"] == "2325.00" and snap["sv"] == "-350.00"
    assert pm("get", f"/projects/{p1.pk}/evm")[1][0]["id"] == snap["id"]

    status, program = caller(roles[Role.EXECUTIVE])("get", f"/programs/{measured['program'].pk}/evm")
    assert status == 200
    assert program["history"] == [
        {
            "status_date": "2026-01-14",
            "projects": 1,
            "bac": 2000.0,
            "pv": 1600.0,
            "ev": 1250.0,
            "ac": 1500.0,
            "sv": -350.0,
            "cv": -250.0,
            "spi": 0.78125,
            "cpi": 1250 / 1500,
            "eac_cpi": 2400.0,
            "vac": -400.0,
        }
    ]
    Project.objects.filter(pk=measured["p2"].pk).update(state="executing")
    status, portfolio = caller(roles[Role.PORTFOLIO_MANAGER])(
        "post", f"/portfolios/{measured['portfolio'].pk}/evm", {"status_date": "2026-01-14"}
    )
    assert status == 201 and [s["project"] for s in portfolio["latest"]] == ["P1"]
    assert portfolio["skipped"] == ["P2: P2 has no baseline to measure against."]
    assert pm("post", f"/portfolios/{measured['portfolio'].pk}/evm", {})[0] == 403  # P2 is not theirs


def test_import_file_over_the_api(roles, measured):
    p1 = measured["p1"]
    token = token_create(user=roles[Role.PROJECT_MANAGER], name="t")[1]
    client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    bad = SimpleUploadedFile("c.csv", b"date,category,amount\n2026-01-06,material,x\n2026-01-07,fuel,3\n")
    response = client.post(f"/api/v1/projects/{p1.pk}/costs/import", {"file": bad})
    assert response.status_code == 422
    assert response.json()["details"]["fields"] == {
        "row 2, amount": ["'x' is not a number."],
        "row 3, category": ["'fuel' is not one of material, services, travel, other."],
    }
    good = SimpleUploadedFile("c.csv", b"date,category,amount\n2026-01-06,material,10\n2026-01-07,travel,3.5\n")
    response = client.post(f"/api/v1/projects/{p1.pk}/costs/import", {"file": good})
    assert response.status_code == 201 and response.json() == {"imported": 2, "total": "13.50"}
    assert CostEntry.objects.filter(project=p1).count() == 2
    assert dt.date(2026, 1, 6) in set(CostEntry.objects.values_list("date", flat=True))
    assert MONDAY.weekday() == 0


def test_settings_task_budgets_and_cost_rates(roles, measured):
    p1 = measured["p1"]
    pm = caller(roles[Role.PROJECT_MANAGER])
    assert pm("get", f"/projects/{p1.pk}/control-settings") == (200, {"progress_method": "percent"})
    assert pm("put", f"/projects/{p1.pk}/control-settings", {"progress_method": "milestones"})[0] == 200
    assert (
        caller(measured["other_pm"])("put", f"/projects/{p1.pk}/control-settings", {"progress_method": "percent"})[0]
        == 403
    )
    status, rows = pm("get", f"/projects/{p1.pk}/task-budgets")
    assert [(r["task_uid"], r["budget"]) for r in rows] == [(2, "1000.00"), (3, "1000.00")]
    status, row = pm("put", f"/projects/{p1.pk}/task-budgets/3", {"budget": "1500", "physical_percent": 40})
    assert status == 200 and (row["budget"], row["physical_percent"], row["weight"]) == ("1500.00", "40.00", None)
    assert pm("put", f"/projects/{p1.pk}/task-budgets/99", {"budget": "1"})[0] == 404
    assert caller(roles[Role.EXECUTIVE])("put", f"/projects/{p1.pk}/task-budgets/3", {"budget": "1"})[0] == 403
    member = measured["member"]
    assert caller(roles[Role.PROJECT_ADMINISTRATOR])(
        "put", f"/people/{member.pk}/cost-rate", {"rate_per_hour": "62.5"}
    ) == (
        200,
        {"rate_per_hour": "62.50"},
    )
    assert pm("put", f"/people/{member.pk}/cost-rate", {"rate_per_hour": "1"})[0] == 403
    assert pm("get", f"/people/{member.pk}/cost-rate") == (200, {"rate_per_hour": "62.50"})
    assert caller(roles[Role.TEAM_MEMBER])("get", f"/people/{member.pk}/cost-rate")[0] == 403
