"""Schedule risk analysis in a real browser: the PMO director opens the data centre exit's Risk analysis
tab, where the demo's analysis shows the P80 finish and the tasks and risks that drive it; runs a new
analysis with PERT durations and its own seed; then looks at the Digital portfolio's milestones,
including the ones that wait for other projects' deliverables."""

import datetime as dt
import re

import pytest
from playwright.sync_api import Page, ViewportSize, expect

from pmo.portfolio.models import Portfolio, Project
from pmo.risks.models import Risk, SimulationRun
from tests.e2e.screenshots import screenshot
from tests.e2e.test_changes_journey import sign_in

pytestmark = pytest.mark.e2e

LAPTOP: ViewportSize = {"width": 1366, "height": 768}


def test_the_pmo_runs_a_schedule_risk_analysis(page: Page) -> None:
    page.set_viewport_size(LAPTOP)
    project = Project.objects.get(code="DIG-011")
    demo_run = SimulationRun.objects.get(project=project)
    lease = Risk.objects.get(title="Data centre lease ends before the exit")

    # 1. The demo's analysis: P80 finish, the tornado with the lease risk, the most critical tasks.
    sign_in(page, "director", "Margaret Osei", "PMO director")
    page.goto(f"/projects/{project.pk}/risks/")
    page.locator("nav.tabs").get_by_role("link", name="Risk analysis").click()
    expect(page.locator("nav.tabs a.active")).to_have_text("Risk analysis")
    p80 = page.locator("#p80-finish .value")
    expect(p80).to_have_text(re.compile(r"^\d{2} \w{3} \d{4}$"))
    expect(page.locator("#tornado-chart .main-svg").first).to_be_visible()
    expect(page.locator("#cost-chart .main-svg").first).to_be_visible()
    expect(page.locator("#analysis-risks")).to_contain_text(lease.title)
    expect(page.locator("#criticality tbody tr").first).to_contain_text("%")
    screenshot(page, "analysis-01-project")

    # 2. A new run with PERT durations and seed 7.
    page.locator("select[name=distribution]").select_option("pert")
    page.locator("input[name=seed]").fill("7")
    page.locator("input[name=phase_correlation]").fill("0.5")
    page.get_by_role("button", name="Run the analysis").click()
    expect(page.locator(".message-success")).to_contain_text("Analysis done: 5,000 iterations.")
    run = SimulationRun.objects.filter(project=project).exclude(pk=demo_run.pk).get()
    assert (run.status, run.distribution, run.seed, run.phase_correlation) == ("done", "pert", 7, 0.5)
    expect(page.locator("#analysis-result h2")).to_contain_text("5000 iterations, seed 7")
    p80_date = dt.datetime.fromisoformat(run.result["duration"]["dates"]["p80"])
    expect(page.locator("#p80-finish .value")).to_have_text(p80_date.strftime("%d %b %Y"))
    page.locator("#estimates").scroll_into_view_if_needed()
    screenshot(page, "analysis-02-estimates")

    # 3. The Digital portfolio's milestones, analysed together.
    digital = Portfolio.objects.get(code="DIG")
    page.goto(f"/risks/?portfolio={digital.pk}")
    page.get_by_role("link", name="Milestone risk analysis").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("^Milestone risk · DIG"))
    table = page.locator("#milestone-table")
    expect(table).to_contain_text("DIG-006")
    expect(table).to_contain_text("DIG-007 ")
    screenshot(page, "analysis-03-portfolio")
