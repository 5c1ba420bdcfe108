"""The cross-project dependency journey in a real browser: the shared services centre (OPS-012) goes live on
the new warehouse management system (OPS-001). OPS-001's manager lengthens a task on its critical path; the
WMS go-live is now forecast after the date OPS-012 needs it, so OPS-012 is flagged: its manager is told, its
plan says how far its finish would move, a deviation is raised, and the Operations portfolio's dependency
map draws the link in red."""

import re

import pytest
from playwright.sync_api import Page, ViewportSize, expect

from pmo.changes.models import Deviation, Notification
from pmo.planning.models import CrossProjectLink, Task
from pmo.portfolio.models import Project
from tests.e2e.screenshots import screenshot
from tests.e2e.test_changes_journey import sign_in

pytestmark = pytest.mark.e2e

LAPTOP: ViewportSize = {"width": 1366, "height": 768}


def test_a_slip_in_one_project_flags_the_project_that_waits_for_it(page: Page) -> None:
    page.set_viewport_size(LAPTOP)
    wms, centre = Project.objects.get(code="OPS-001"), Project.objects.get(code="OPS-012")
    link = CrossProjectLink.objects.get(provider__project=wms, consumer__project=centre)
    assert link.late_days == 0
    slack = (link.date_needed - link.forecast_date).days
    # An unstarted task on the WMS's critical path, lengthened by more than the slack.
    task = (
        Task.objects.filter(project=wms, is_critical=True, is_summary=False, actual_start__isnull=True)
        .exclude(duration_minutes=0)
        .order_by("position")
        .first()
    )
    assert task is not None
    days = task.duration_minutes // 480 + slack + 15

    # 1. Lucas Moreau, OPS-001's manager, lengthens the task in his plan.
    sign_in(page, "pm3", "Lucas Moreau", "Project manager")
    page.goto(f"/projects/{wms.pk}/plan/")
    outgoing = page.locator("#outgoing-links tbody tr", has_text="OPS-012")
    expect(outgoing.locator(".badge")).to_have_text("On time")
    cell = page.locator(f"#task-{task.uid}").get_by_label("Duration", exact=True)
    cell.fill(f"{days}d")
    with page.expect_navigation():
        cell.press("Tab")
    expect(page.locator(".message-success")).to_contain_text(f"Task {task.uid} saved")
    link.refresh_from_db()
    assert link.late_days > 0 and link.impact_days > 0
    expect(page.locator("#outgoing-links tbody tr", has_text="OPS-012").locator(".badge")).to_have_text(
        f"{link.late_days} days late"
    )
    screenshot(page, "dependencies-01-provider-plan")

    # 2. Oliver Grant, OPS-012's manager, is told and sees it on his plan; a deviation is raised.
    sign_in(page, "pm5", "Oliver Grant", "Project manager")
    told = Notification.objects.get(recipient__username="pm5", message__startswith="OPS-012 waits for OPS-001")
    assert f"{link.late_days} day(s) after" in told.message
    assert Notification.objects.filter(recipient__username="pm3", message=told.message).exists()
    page.goto("/notifications/")
    expect(page.locator("main")).to_contain_text(told.message)
    page.goto(f"/projects/{centre.pk}/plan/")
    warning = page.locator("#dependencies .link-warning")
    expect(warning).to_contain_text("1 deliverable this plan waits for is forecast late")
    expect(page.locator(".plan-summary .link-warning")).to_contain_text("Waits for 1 late deliverable")
    expect(warning).to_contain_text(f"{link.impact_days} working days")
    row = page.locator("#incoming-links tbody tr", has_text="OPS-001")
    expect(row.locator(".badge")).to_have_text(f"{link.late_days} days late")
    screenshot(page, "dependencies-02-consumer-plan")
    deviation = Deviation.objects.get(project=centre, metric="dependency_slip_days")
    assert (deviation.value, deviation.status) == (link.late_days, "open")

    # 3. The portfolio manager opens the Operations dependency map: the link is red.
    sign_in(page, "portfolio2", "Sofia Marques", "Portfolio manager")
    page.goto(f"/portfolios/{wms.portfolio_id}/")
    page.get_by_role("link", name="Dependency map").click()
    page.wait_for_url(re.compile(r"/dependencies/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Dependency map")
    expect(page.locator(".summary-line")).to_contain_text("OPS-012")
    expect(page.locator("svg.dependency-map path.dm-link.late")).to_have_count(1)
    expect(page.locator("#dependency-table tbody tr", has_text="OPS-012").locator(".badge")).to_have_text(
        f"{link.late_days} days late"
    )
    screenshot(page, "dependencies-03-map")
