"""The stakeholders journey in a real browser: the portfolio manager of Digital opens the Customer Experience
programme's stakeholder map and communication plan from the sidebar, records the overdue steering pack as sent
(its next due date moves on and the log shows it), then opens Benefits realisation: the closed loyalty relaunch
shows what it realised against target, the programme's roll-up counts it (and exports as CSV), and a new
measurement is recorded on its benefits page; the programme's page shows its benefits KPI by KPI."""

import csv
import datetime as dt
import io
import re

import pytest
from playwright.sync_api import Page, ViewportSize, expect

from pmo.portfolio.models import Program, Project
from pmo.stakeholders import selectors
from pmo.stakeholders.models import BenefitMeasurement, CommunicationItem
from tests.e2e.screenshots import screenshot
from tests.e2e.test_changes_journey import sign_in

pytestmark = pytest.mark.e2e

LAPTOP: ViewportSize = {"width": 1366, "height": 768}


def _programme_rollup(code: str) -> selectors.RollupGroup:
    return next(g for g in selectors.rollup_by_program(selectors.benefits_rollup()) if g.key.code == code)


def test_programme_map_communication_sent_and_benefits_realised(page: Page) -> None:
    page.set_viewport_size(LAPTOP)
    cx = Program.objects.get(code="CX")
    steering = CommunicationItem.objects.get(what="Programme steering pack")
    due_before = steering.next_due
    assert due_before is not None and due_before < dt.date.today()

    # 1. The portfolio manager finds the programme's register from the sidebar.
    sign_in(page, "portfolio", "Daniel Brooks", "Portfolio manager")
    page.locator("nav.sidebar").get_by_role("link", name="Stakeholders").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Stakeholders")
    expect(page.locator("#mine")).to_contain_text("Programme steering pack")
    screenshot(page, "stakeholders-01-overview")
    page.locator("#registers").get_by_role("link", name=str(cx)).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(str(cx))

    # 2. The power/interest grid: every stakeholder a dot linking to them; engagement gaps flagged.
    dots = page.locator("svg.sh-grid a.dot-link")
    expect(dots).to_have_count(12)
    expect(page.locator("svg.sh-grid circle.dot-gap")).to_have_count(7)
    expect(page.locator("#register tr", has_text="Retail branch network")).to_contain_text("gap 2")
    screenshot(page, "stakeholders-02-programme-map")

    # 3. The plan: the steering pack is overdue; record it as sent.
    row = page.locator("#plan tbody tr", has_text="Programme steering pack")
    expect(row).to_contain_text("overdue")
    row.get_by_label("Note").fill("November pack")
    row.get_by_role("button", name="Record sent").click()
    expect(page.locator(".message-success")).to_contain_text("'Programme steering pack' recorded as sent. Next due")
    steering.refresh_from_db()
    assert steering.next_due is not None and steering.next_due > dt.date.today()
    expect(page.locator("#plan tbody tr", has_text="Programme steering pack")).not_to_contain_text("overdue")
    expect(page.locator("#log tbody tr").first).to_contain_text("November pack")
    expect(page.locator("#log tbody tr").first).to_contain_text("Daniel Brooks")
    screenshot(page, "stakeholders-03-communication-sent")

    # 4. Benefits realisation: the closed loyalty relaunch, realised against target.
    page.goto("/stakeholders/")
    page.get_by_role("link", name="Benefits realisation").click()
    loyalty = page.locator("#by-project tr", has_text="DIG-005")
    expect(loyalty).to_contain_text("Closed")
    expect(loyalty).to_contain_text("650,000 EUR")
    expect(loyalty).to_contain_text("510,000 EUR")
    expect(loyalty).to_contain_text("78%")
    expect(page.locator("#by-portfolio")).to_contain_text("DIG")
    expect(page.locator("#by-objective")).to_contain_text("SO4")
    # ... by programme too: the Customer Experience programme, the closed relaunch included.
    cx_benefits = _programme_rollup("CX")
    programme = page.locator("#by-programme tbody tr", has_text="CX")
    expect(programme).to_contain_text(f"{cx_benefits.planned_value:,.0f} EUR")
    expect(programme).to_contain_text(f"{cx_benefits.realised_value:,.0f} EUR")
    expect(programme).to_contain_text(f"{cx_benefits.progress_pct}%")
    assert "DIG-005" in [line.code for line in cx_benefits.lines]
    screenshot(page, "stakeholders-04-benefits")
    # The programmes table as a CSV file: what the page shows.
    with page.expect_download() as download:
        page.locator("#by-programme h2").get_by_role("link", name="Export CSV").click()
    rows = list(csv.reader(io.StringIO(open(download.value.path(), encoding="utf-8-sig").read())))  # noqa: SIM115
    assert rows[0][:2] == ["Programme", "Name"]
    cx_row = next(r for r in rows if r[0] == "CX")
    money = [str(cx_benefits.planned_value), str(cx_benefits.realised_value), str(cx_benefits.progress_pct)]
    assert cx_row[5:] == money
    loyalty.get_by_role("link", name="DIG-005").click()
    closed = Project.objects.get(code="DIG-005")
    expect(page.get_by_role("heading", level=1)).to_have_text(str(closed))
    expect(page.locator(".message")).to_contain_text("its benefits are still tracked")
    members = page.locator("section.sh-kpi", has_text="More active loyalty members")
    expect(members.locator("svg circle.measured-dot")).to_have_count(5)
    expect(members).to_contain_text("80% of the way")

    # 5. A new measurement on the closed project's benefit.
    count = BenefitMeasurement.objects.count()
    members.get_by_label("Value of Active loyalty members").fill("174000")
    members.get_by_label("Comment").fill("Winter campaign")
    members.get_by_role("button", name="Record measurement").click()
    expect(page.locator(".message-success")).to_contain_text("Active loyalty members: 174,000 members recorded.")
    members = page.locator("section.sh-kpi", has_text="More active loyalty members")
    expect(members.locator("svg circle.measured-dot")).to_have_count(6)
    expect(members).to_contain_text("90% of the way")
    assert BenefitMeasurement.objects.count() == count + 1
    expect(page.locator("#benefits tr", has_text="More active loyalty members")).to_contain_text(re.compile(r"90%"))
    screenshot(page, "stakeholders-05-closed-project-benefits")

    # 6. The programme's page carries the panel; the mobile app's feedback shows three months of answers.
    page.goto(f"/programs/{cx.pk}/")
    panel = page.locator("#stakeholders-panel")
    expect(panel).to_contain_text("12 stakeholders in the register, 7 with an engagement gap")
    cx_benefits = _programme_rollup("CX")  # the measurement above counts
    expect(panel.locator("#programme-benefits")).to_contain_text(
        f"{cx_benefits.realised_value:,.0f} EUR realised ({cx_benefits.progress_pct}% of planned)"
    )
    expect(panel.locator("#programme-benefits tr", has_text="More active loyalty members")).to_contain_text("90%")
    screenshot(page, "stakeholders-06-programme-panel")
    app = Project.objects.get(code="DIG-001")
    page.goto(f"/projects/{app.pk}/stakeholders/")
    expect(page.locator("#feedback svg.sh-trend circle.trend-dot")).to_have_count(3)
    screenshot(page, "stakeholders-07-project-feedback")
    page.locator("#feedback").get_by_role("link", name=re.compile(r"^\d{4}-\d{2}$")).last.click()
    page.get_by_label("4").check()
    page.get_by_role("button", name="Send my answer").click()
    expect(page.locator(".message-success")).to_contain_text("your answer is recorded")
    screenshot(page, "stakeholders-08-survey")
