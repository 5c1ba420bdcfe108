"""The monitoring journey in a real browser: a team member logs hours on the weekly grid and submits the
week, the project manager approves them (they become labour cost), and the PMO opens the project's
performance page (S-curves, indices, forecast) and the portfolio view with every project's RAG."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import Page, ViewportSize, expect

from pmo.control import selectors, services
from pmo.control.models import CostEntry, Timesheet
from pmo.demo import DEMO_PASSWORD
from pmo.resources.models import Person
from tests.e2e.screenshots import screenshot

pytestmark = pytest.mark.e2e

LAPTOP: ViewportSize = {"width": 1366, "height": 768}


def sign_in(page: Page, username: str, full_name: str, role: str) -> None:
    page.context.clear_cookies()
    page.goto("/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r"/$"))
    expect(page.locator(".topbar .who a[href='/account/']")).to_have_text(full_name)
    expect(page.locator(".topbar .roles")).to_have_text(role)


def test_time_is_logged_approved_and_measured(page: Page) -> None:
    page.set_viewport_size(LAPTOP)
    member = Person.objects.get(name="Jonas Weber")
    monday = services.week_start_of(timezone.localdate())
    row = next(r for r in selectors.week_grid(member, monday).rows if r.editable and r.task.project.manager_id)
    task, project = row.task, row.task.project
    manager = project.manager
    assert manager is not None and manager.user is not None

    # 1. The team member logs 6 and 7.5 hours on Monday and Tuesday and submits the week.
    sign_in(page, "member", "Jonas Weber", "Team member")
    page.get_by_role("link", name="Timesheet").first.click()
    expect(page.get_by_role("heading", name="My timesheet")).to_be_visible()
    page.get_by_label(f"{project.code} {task.name} {monday:%a} {monday.day} {monday:%b}").fill("6")
    tuesday = monday + dt.timedelta(days=1)
    page.get_by_label(f"{project.code} {task.name} {tuesday:%a} {tuesday.day} {tuesday:%b}").fill("7.5")
    screenshot(page, "control-01-timesheet")
    page.get_by_role("button", name="Submit week").click()
    expect(page.locator(".message-success")).to_contain_text(f"Week submitted for approval to {manager.name}")
    expect(
        page.locator("table.timesheet tbody tr", has_text=project.code).filter(has_text=task.name).locator(".badge")
    ).to_have_text("Submitted")
    sheet = Timesheet.objects.get(person=member, project=project, week_start=monday)
    assert sheet.state == "submitted"

    # 2. The project manager approves it: the hours become labour cost at the member's rate.
    sign_in(page, manager.user.username, manager.name, "Project manager")
    page.get_by_role("link", name="Timesheet").first.click()
    page.get_by_role("link", name=re.compile("Approvals waiting")).click()
    card = page.locator(f"#sheet-{sheet.pk}")
    expect(card).to_contain_text("13.50 h")
    screenshot(page, "control-02-approvals")
    card.get_by_role("button", name="Approve").click()
    expect(page.locator(".message-success")).to_contain_text("Approved")
    sheet.refresh_from_db()
    assert sheet.state == "approved"
    labour = sum(e.amount for e in CostEntry.objects.filter(timesheet=sheet))
    assert labour == Decimal("13.5") * member.cost_rate.rate_per_hour

    # 3. The PMO director opens the project's performance page from the project and takes a snapshot.
    sign_in(page, "director", "Margaret Osei", "PMO director")
    page.goto(f"/projects/{project.pk}/")
    page.get_by_role("link", name=re.compile("Performance: earned value")).click()
    expect(page.get_by_role("heading", name=re.compile(f"Performance · {project.code}"))).to_be_visible()
    page.get_by_role("button", name="Take snapshot").click()
    expect(page.locator(".message-success")).to_contain_text("Snapshot taken")
    expect(page.locator("#evm-scurve .main-svg").first).to_be_visible()
    expect(page.locator("#evm-trend .main-svg").first).to_be_visible()
    expect(page.locator("#periods tbody tr").first).to_contain_text(timezone.localdate().strftime("%-d %b %Y"))
    for label in ("SPI", "CPI", "SPI(t)", "Forecast finish", "Forecast cost (EAC)"):
        expect(page.locator(".evm-figure .label", has_text=re.compile(rf"^{re.escape(label)}$"))).to_be_visible()
    screenshot(page, "control-03-performance")

    # 4. The portfolio view: every measured project with its indices and RAG, and the rolled-up totals.
    page.locator(".sidebar a[href='/performance/']").click()
    page.get_by_label("Portfolio").select_option(label=project.portfolio.name)
    page.get_by_role("button", name="Show").click()
    table = page.locator("#project-performance")
    expect(table.locator("tbody tr", has_text=project.code)).to_be_visible()
    expect(table.locator(".badge-health-red").first).to_be_visible()  # the demo has projects in trouble
    expect(page.get_by_text("Projects measured")).to_be_visible()
    screenshot(page, "control-04-portfolio")
