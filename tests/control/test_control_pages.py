"""The monitoring pages: the timesheet grid, approvals, a project's performance and the portfolio view."""

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile

from pmo.control import services
from pmo.control.models import CostEntry, EvmSnapshot, TimeEntry, Timesheet
from pmo.core.access import SYSTEM
from pmo.core.roles import Role
from pmo.planning.models import Task


def test_team_member_fills_and_submits_the_week_and_the_pm_approves(client_for, measured):
    a = measured["a"]
    member = client_for(Role.TEAM_MEMBER)
    page = member.get("/timesheet/?week=2026-01-07")
    assert page.status_code == 200
    assert b"A design" in page.content and b"Submit week" in page.content
    assert b"Timesheet" in page.content  # the nav entry
    response = member.post("/timesheet/", {"week": "2026-01-05", f"h-{a.pk}-0": "8", f"h-{a.pk}-1": "x"})
    assert response.status_code == 302 and not TimeEntry.objects.exists()  # "x": nothing saved
    member.post("/timesheet/", {"week": "2026-01-05", f"h-{a.pk}-0": "8", f"h-{a.pk}-1": "4,5", "submit": "1"})
    sheet = Timesheet.objects.get()
    assert sheet.state == "submitted" and sorted(e.hours for e in sheet.entries.all()) == [4.5, 8]

    pm = client_for(Role.PROJECT_MANAGER)
    page = pm.get("/timesheet/approvals/")
    assert b"12.50 h" in page.content and b"Approve" in page.content
    assert b"Nothing is waiting for your approval" in member.get("/timesheet/approvals/").content
    pm.post(f"/timesheet/{sheet.pk}/decide/", {"decision": "return", "comment": ""})
    sheet.refresh_from_db()
    assert sheet.state == "submitted"  # a return needs a comment
    pm.post(f"/timesheet/{sheet.pk}/decide/", {"decision": "approve"})
    sheet.refresh_from_db()
    assert sheet.state == "approved" and CostEntry.objects.get(hours=8).amount == 400


def test_performance_page_and_forms(client_for, measured):
    p1 = measured["p1"]
    Task.objects.filter(pk=measured["a"].pk).update(percent_complete=100)
    pm = client_for(Role.PROJECT_MANAGER)
    page = pm.get(f"/projects/{p1.pk}/performance/")
    assert page.status_code == 200 and b"No snapshot yet" in page.content
    pm.post(f"/projects/{p1.pk}/costs/add/", {"date": "2026-01-08", "category": "travel", "amount": "1,100"})
    assert CostEntry.objects.get().amount == 1100
    upload = SimpleUploadedFile("c.csv", b"date,category,amount\n2026-01-08,material,oops\n")
    response = pm.post(f"/projects/{p1.pk}/costs/import/", {"file": upload}, follow=True)
    assert b"Nothing was imported. Row 2, amount: &#x27;oops&#x27; is not a number." in response.content
    pm.post(f"/projects/{p1.pk}/performance/snapshot/", {"status_date": "2026-01-09"})
    snapshot = EvmSnapshot.objects.get()
    assert (snapshot.pv, snapshot.ev, snapshot.ac) == (1000, 1000, 1100)
    page = pm.get(f"/projects/{p1.pk}/performance/")
    assert b"evm-scurve" in page.content and b"0.91" in page.content  # CPI = 1000 / 1100
    assert b"Take snapshot" in page.content
    pm.post(f"/projects/{p1.pk}/performance/settings/", {"progress_method": "physical"})
    assert services.settings_of(p1).progress_method == "physical"

    executive = client_for(Role.EXECUTIVE)
    page = executive.get(f"/projects/{p1.pk}/performance/")
    assert page.status_code == 200 and b"Take snapshot" not in page.content and b"Add expense" not in page.content
    executive.post(f"/projects/{p1.pk}/performance/snapshot/", {"status_date": "2026-01-12"})
    executive.post(f"/projects/{p1.pk}/costs/add/", {"date": "2026-01-08", "category": "travel", "amount": "1"})
    assert EvmSnapshot.objects.count() == 1 and CostEntry.objects.count() == 1
    assert client_for(Role.REQUESTER).get(f"/projects/{p1.pk}/performance/").status_code == 403

    detail = pm.get(f"/projects/{p1.pk}/")
    assert f"/projects/{p1.pk}/performance/".encode() in detail.content


def test_portfolio_view_rolls_up(client_for, measured):
    p1 = measured["p1"]
    Task.objects.filter(pk=measured["a"].pk).update(percent_complete=100)
    services.evm_snapshot_take(actor=SYSTEM, project=p1, status_date=dt.date(2026, 1, 9))
    page = client_for(Role.EXECUTIVE).get(f"/performance/?portfolio={measured['portfolio'].pk}")
    assert page.status_code == 200
    assert b"P1 Mobile app" in page.content and b"Projects measured" in page.content
    page = client_for(Role.EXECUTIVE).get(f"/performance/?program={measured['program'].pk}")
    assert b"P1 Mobile app" in page.content and b"Take snapshots" not in page.content
    director = client_for(Role.PMO_DIRECTOR)
    director.post("/performance/snapshot/", {"portfolio": measured["portfolio"].pk, "status_date": "2026-01-12"})
    assert sorted(EvmSnapshot.objects.values_list("status_date", flat=True)) == [
        dt.date(2026, 1, 9),
        dt.date(2026, 1, 12),
    ]


def test_task_budgets_are_edited_on_the_page(client_for, measured):
    from pmo.control.models import TaskBudget

    p1, a, b = measured["p1"], measured["a"], measured["b"]
    pm = client_for(Role.PROJECT_MANAGER)
    page = pm.get(f"/projects/{p1.pk}/performance/")
    assert b"Save task budgets" in page.content
    pm.post(
        f"/projects/{p1.pk}/performance/budgets/",
        {f"budget-{a.pk}": "1,200", f"physical_percent-{a.pk}": "", f"budget-{b.pk}": "1000.00"},
    )
    assert TaskBudget.objects.get(task=a).budget == 1200 and TaskBudget.objects.get(task=b).budget == 1000
    response = pm.post(f"/projects/{p1.pk}/performance/budgets/", {f"budget-{a.pk}": "lots"}, follow=True)
    assert b"Task 2 budget: &#x27;lots&#x27; is not a number." in response.content
    assert TaskBudget.objects.get(task=a).budget == 1200
    assert b"Save task budgets" not in client_for(Role.EXECUTIVE).get(f"/projects/{p1.pk}/performance/").content
