"""The status and change-control journey in a real browser: the PMO sees who has not reported this month;
the project manager of DIG-001 logs a critical issue and reports status, changing pmo's suggested risk RAG
with a comment; the issue count passes the red threshold, so the deviation turns red on the PMO's Deviations
page and the project manager is notified; a change request goes through the change board, moves the budget
and the planned finish and creates a new baseline shown in the project's variance history."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from playwright.sync_api import Page, ViewportSize, expect

from pmo.changes import selectors
from pmo.changes.models import ChangeRequest, Deviation, StatusReport
from pmo.demo import DEMO_PASSWORD
from pmo.planning.models import Baseline
from pmo.portfolio.models import Project
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


def money(amount: Decimal) -> str:
    return f"{amount:,.0f}"


def test_status_is_reported_a_deviation_raised_and_a_change_approved(page: Page) -> None:
    page.set_viewport_size(LAPTOP)
    project = Project.objects.get(code="DIG-001")
    period = selectors.current_period()
    budget, finish = project.budget, project.planned_finish
    assert finish is not None

    # 1. The PMO director sees who has not reported this month: DIG-001 among them.
    sign_in(page, "director", "Margaret Osei", "PMO director")
    page.get_by_role("link", name="Missing reports").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Missing status reports · {period:%B %Y}")
    digital = page.locator("section.card", has=page.get_by_role("heading", name=re.compile("^Digital Transformation")))
    expect(digital.locator("tbody tr").first).to_contain_text("DIG-001 Mobile banking app 2.0")
    expect(digital.locator("tbody tr").first).to_contain_text("Tom Fischer")
    expect(page.locator(".summary-line")).to_contain_text("3 have not")
    screenshot(page, "changes-01-missing-reports")

    # 2. The project manager logs a critical issue on DIG-001 (its third open critical or high issue).
    sign_in(page, "pm", "Tom Fischer", "Project manager")
    page.goto(f"/projects/{project.pk}/")
    expect(page.locator(".control-links")).to_contain_text("Issues (2 open)")
    screenshot(page, "changes-00-project-page")
    page.get_by_role("link", name=re.compile("^Issues")).click()
    expect(page.locator("tbody tr.overdue")).to_contain_text("Key tester on long-term leave")
    page.get_by_text("Log an issue").click()
    page.get_by_label("Title").fill("Penetration test found a blocker")
    page.get_by_label("Priority").select_option(label="Critical")
    page.get_by_label("Due date").fill((dt.date.today() + dt.timedelta(days=5)).isoformat())
    page.get_by_role("button", name="Log issue").click()
    expect(page.locator(".message-success")).to_contain_text("logged")
    expect(page.locator("tbody tr", has_text="Penetration test found a blocker")).to_contain_text("Critical")
    screenshot(page, "changes-02-issues")
    assert selectors.open_high_issues(project) == 3

    # 3. ... and writes this month's report: pmo suggests red for risk; the manager reports amber, which it
    # refuses without a reason.
    page.get_by_role("link", name="Status reports").click()
    page.get_by_role("button", name=f"Write the {period:%B} report").click()
    expect(page.locator(".message-success")).to_contain_text("Draft report")
    risk = page.locator(".rag-table tbody tr", has_text="Risk")
    expect(risk.locator(".rag")).to_have_text("Red")
    expect(risk).to_contain_text("Open critical/high issues 3 > 2 (red)")
    for dimension in ("Schedule", "Cost"):  # not measured without earned value: the manager judges them
        if page.get_by_label(f"{dimension} RAG").input_value() == "":
            page.get_by_label(f"{dimension} RAG").select_option("green")
    page.get_by_label("Risk RAG").select_option("amber")
    page.get_by_label("Summary").fill("Build on plan; security findings being fixed.")
    page.get_by_label("Achievements").fill("Release 1 in acceptance.")
    page.get_by_label("Next steps").fill("Fix the penetration-test blocker; start release 2.")
    page.get_by_role("button", name="Submit report").click()
    expect(page.locator(".message-error")).to_contain_text(
        "Risk comment: pmo suggests red for risk from the metrics; say why you report amber."
    )
    report = StatusReport.objects.get(project=project, period=period)
    assert report.state == "draft"
    page.get_by_label("Risk RAG").select_option("amber")
    page.get_by_label("Risk comment").fill("Two of the three issues close this week.")
    screenshot(page, "changes-03-status-report")
    page.get_by_role("button", name="Submit report").click()
    expect(page.locator(".message-success")).to_contain_text(f"Report for {period:%B %Y} submitted.")
    screenshot(page, "changes-04-status-submitted")
    report.refresh_from_db()
    assert (report.state, report.risk_rag, report.override_comments) == (
        "submitted",
        "amber",
        {"risk": "Two of the three issues close this week."},
    )
    assert report.suggested["risk"] == "red"
    assert Project.objects.get(pk=project.pk).health == report.overall_rag

    # 4. Submitting ran the check: the issue count is past the red threshold; the manager's bell says so.
    deviation = Deviation.objects.get(project=project, metric="open_high_issues")
    assert (deviation.value, deviation.threshold, deviation.severity, deviation.status) == (
        Decimal("3.000"),
        Decimal("2.000"),
        "red",
        "open",
    )
    page.goto("/")
    expect(page.locator(".bell-count")).to_be_visible()
    page.locator(".bell").click()
    expect(page.locator(".notification-list")).to_contain_text("DIG-001: Open critical or high issues is now red (3).")

    # 5. The PMO director sees it on the Deviations page.
    sign_in(page, "director", "Margaret Osei", "PMO director")
    page.get_by_role("link", name="Deviations").click()
    row = page.locator("table.deviation-table tbody tr", has_text="DIG-001").filter(has_text="Open critical")
    expect(row.locator(".rag")).to_have_text("Red")
    expect(row.locator("td.kind-number").first).to_have_text("3")
    screenshot(page, "changes-05-deviations")
    page.get_by_label("Portfolio").select_option(label="Digital Transformation")
    page.get_by_role("link", name="Thresholds of Digital Transformation").click()
    expect(page.get_by_label("Open critical or high issues red")).to_have_value("2")
    screenshot(page, "changes-06-thresholds")

    # 6. The project manager raises a change request and assesses it for the board.
    sign_in(page, "pm", "Tom Fischer", "Project manager")
    page.goto(f"/projects/{project.pk}/changes/")
    page.get_by_text("Raise a change request").click()
    page.get_by_label("Title").fill("Biometric login")
    page.get_by_label("Requested by").select_option(label="Robert Hale")
    page.get_by_label("Cost impact").fill("60000")
    page.get_by_label("Schedule impact (days)").fill("14")
    page.get_by_label("Reason").fill("Card schemes require strong customer authentication.")
    page.get_by_role("button", name="Raise change request").click()
    change = ChangeRequest.objects.get(project=project, title="Biometric login")
    expect(page.get_by_role("heading", name=re.compile(f"^{change.code} Biometric login"))).to_be_visible()
    page.get_by_label("Assessment").fill("Two more weeks of build; the vendor SDK is proven.")
    page.get_by_role("button", name="Send to the change board").click()
    expect(page.locator(".message-success")).to_contain_text("sent to the change board")
    expect(page.get_by_role("button", name="Approve")).to_have_count(0)  # not the manager's to decide

    # 7. The portfolio manager decides on the change board: approved, with a comment.
    sign_in(page, "portfolio", "Daniel Brooks", "Portfolio manager")
    page.get_by_role("link", name="Change board").click()
    queued = page.locator("tbody tr", has_text=change.code)
    expect(queued).to_contain_text("DIG-001")
    screenshot(page, "changes-07-change-board")
    queued.get_by_role("link", name="Decide").click()
    page.get_by_label("Board comment").fill("Required by regulation; funded from the contingency.")
    page.get_by_role("button", name="Approve").click()
    expect(page.locator(".message-success")).to_contain_text(f"{change.code} approved.")
    baseline = Baseline.objects.get(project=project, name=f"{change.code} Biometric login")
    change.refresh_from_db()
    project.refresh_from_db()
    assert change.baseline == baseline and change.state == "approved"
    assert (change.budget_before, change.budget_after) == (budget, budget + Decimal("60000"))
    assert project.budget == budget + Decimal("60000")
    assert project.planned_finish == finish + dt.timedelta(days=14)
    expect(page.locator("dl.facts")).to_contain_text(f"{money(budget)} → {money(budget + 60000)} EUR")
    screenshot(page, "changes-08-change-approved")

    # 8. The variance history says which change moved what.
    page.get_by_role("link", name="Change requests").first.click()
    history = page.locator("#variance-history tbody tr", has_text=change.code)
    expect(history).to_contain_text(baseline.name)
    expect(history).to_contain_text(f"{finish:%d %b %Y}")
    expect(history).to_contain_text(f"{finish + dt.timedelta(days=14):%d %b %Y}")
    expect(history).to_contain_text(f"+{money(Decimal('60000'))}")
    screenshot(page, "changes-09-variance-history")
