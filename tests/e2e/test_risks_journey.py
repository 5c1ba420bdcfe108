"""The risk register journey in a real browser: the project manager of DIG-001 adds a risk (the form refuses a
strategy that does not fit a threat), plans a response action, then re-rates the risk to critical so that it
escalates; the portfolio manager is told, finds it on the Digital portfolio's heat map, drills into its cell and
sees it listed; the PMO director looks at the portfolio's risk scales."""

import re

import pytest
from playwright.sync_api import Page, ViewportSize, expect

from pmo.changes.models import Notification
from pmo.portfolio.models import Project
from pmo.risks.models import Risk, RiskAction
from tests.e2e.screenshots import screenshot
from tests.e2e.test_changes_journey import sign_in

pytestmark = pytest.mark.e2e

LAPTOP: ViewportSize = {"width": 1366, "height": 768}
TITLE = "Payment provider changes its API"


def test_a_risk_is_added_re_rated_escalated_and_found_on_the_heat_map(page: Page) -> None:
    page.set_viewport_size(LAPTOP)
    project = Project.objects.get(code="DIG-001")
    open_before = Risk.objects.filter(project=project, status="open").count()

    # 1. The project manager opens the project's risk register from the project page.
    sign_in(page, "pm", "Tom Fischer", "Project manager")
    page.goto(f"/projects/{project.pk}/")
    page.get_by_role("link", name=re.compile(r"^Risks \(\d+ open\)")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(str(project))
    expect(page.locator("nav.tabs a.active")).to_contain_text("Risks")
    register = page.locator("#register tbody tr")
    expect(register).to_have_count(open_before)
    expect(page.locator("#register tr", has_text="App store review rejects the release")).to_contain_text("overdue")
    screenshot(page, "risks-01-project-register")

    # 2. ... adds a threat; a threat cannot be "exploited", and the form says so next to the field.
    page.get_by_text("Add a risk or opportunity").click()
    page.get_by_label("Title").fill(TITLE)
    page.get_by_label("Category").select_option(label="Supplier and contract")
    page.get_by_label("Owner").select_option(label="Jonas Weber")
    page.get_by_label("Probability *", exact=True).select_option("2")
    page.get_by_label("Impact *", exact=True).select_option("3")
    page.get_by_label("Cause").fill("the payment provider retires its v1 API next quarter")
    page.get_by_label("Event").fill("the app still calls v1 when it is switched off")
    page.get_by_label("Effect").fill("stop in-app payments until we migrate")
    page.get_by_label("Response strategy").select_option("exploit")
    page.get_by_role("button", name="Add to the register").click()
    strategy = page.locator(".field.has-error", has=page.get_by_label("Response strategy"))
    expect(strategy.locator(".error")).to_have_text("For a threat: avoid, mitigate, transfer, accept.")
    screenshot(page, "risks-02-form-error")
    assert not Risk.objects.filter(title=TITLE).exists()
    page.get_by_label("Response strategy").select_option("mitigate")
    page.get_by_label("Response plan").fill("Migrate to v2 in the next sprint; keep a feature flag.")
    page.get_by_role("button", name="Add to the register").click()
    expect(page.locator(".message-success")).to_contain_text("added to the register")
    risk = Risk.objects.get(title=TITLE)
    assert (risk.score, risk.strategy, risk.owner.name) == (6, "mitigate", "Jonas Weber")
    expect(page.get_by_role("heading", name=re.compile(f"^{risk.code} {TITLE}"))).to_be_visible()

    # 3. ... plans a response action with an owner and a due date.
    page.get_by_text("Add an action").click()
    page.get_by_label("Description").fill("Migrate the payment calls to API v2")
    page.locator("#id_action-owner").select_option(label="Jonas Weber")
    page.get_by_label("Due date").fill("2099-01-15")
    page.get_by_role("button", name="Add action").click()
    expect(page.locator("#actions tbody tr")).to_contain_text("Migrate the payment calls to API v2")
    assert RiskAction.objects.get(risk=risk).owner.name == "Jonas Weber"

    # 4. The provider brings the switch-off forward: the manager re-rates the risk to critical.
    page.get_by_text("Re-rate").click()
    page.locator("#id_rate-probability").select_option("5")
    page.locator("#id_rate-impact").select_option("5")
    page.get_by_label("Why it changed").fill("The provider switches v1 off in four weeks.")
    page.get_by_role("button", name="Save the new rating").click()
    expect(page.locator(".message-success")).to_contain_text(f"{risk.code} re-rated: score 25 (critical).")
    expect(page.locator(".risk-title .badge-escalated")).to_have_text("Escalated to the program and portfolio")
    expect(page.locator("#rating tbody tr")).to_have_count(2)
    expect(page.locator("svg.sparkline").first).to_have_attribute("aria-label", "Score history: 6, 25")
    screenshot(page, "risks-03-risk-detail")
    risk.refresh_from_db()
    assert (risk.score, risk.assessments.count()) == (25, 2)

    # 5. The portfolio manager of Digital has been told, and finds it on the portfolio's heat map.
    sign_in(page, "portfolio", "Daniel Brooks", "Portfolio manager")
    assert Notification.objects.filter(
        recipient__username="portfolio", message=f"DIG-001: risk {risk.code} escalated (score 25): {TITLE}"
    ).exists()
    page.locator(".sidebar a[href='/risks/']").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Risks · Digital Transformation")
    page.get_by_label("Show").select_option("escalated")
    expect(page.locator("#escalated")).to_contain_text(TITLE)
    cell = page.locator("table.riskmap a[data-cell='5-5']")
    expect(cell).to_have_text("1")
    screenshot(page, "risks-04-portfolio")
    cell.click()
    drill = page.locator("#drill")
    expect(drill).to_contain_text("Probability 5 × impact 5")
    expect(drill.locator("li")).to_have_count(1)
    expect(drill.locator("li")).to_contain_text(f"{risk.code} {TITLE}")
    expect(drill.locator("li")).to_contain_text("DIG-001")
    screenshot(page, "risks-05-drill-down")
    drill.get_by_role("link", name=risk.code).click()
    expect(page.get_by_role("heading", name=re.compile(f"^{risk.code} {TITLE}"))).to_be_visible()
    # ... and on the portfolio's own page, among the escalated risks.
    page.goto(f"/portfolios/{project.portfolio_id}/")
    expect(page.locator("section.escalated-risks tbody tr", has_text=TITLE)).to_contain_text("DIG-001")
    screenshot(page, "risks-07-portfolio-page")

    # 6. The PMO director looks at the scales the portfolio rates on.
    sign_in(page, "director", "Margaret Osei", "PMO director")
    page.goto("/risks/")
    page.get_by_role("link", name="Risk scales and escalation").click()
    expect(page.get_by_label("Impact level 5 label")).to_have_value("Very high")
    expect(page.locator("#id_escalation_score")).to_have_value("15")
    screenshot(page, "risks-06-scales")
