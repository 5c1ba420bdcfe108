"""The selection journey in a real browser: a requester proposes a project and completes its business case,
a PMO analyst puts it under evaluation and scores it on the ranking, and the portfolio manager runs the
optimiser on a scenario, tries a smaller budget in a copy, compares the two and approves the first: the
chosen proposals become projects and the other candidates are rejected."""

import re

import pytest
from playwright.sync_api import Locator, Page, ViewportSize, expect

from pmo.demo import DEMO_PASSWORD
from pmo.portfolio.models import Project
from pmo.selection import selectors
from pmo.selection.models import Evaluation, Proposal, Scenario
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
    expect(page.locator(".topbar .who a").first).to_have_text(full_name)
    expect(page.locator(".topbar .roles")).to_have_text(role)


def fact(scope: Page | Locator, label: str) -> Locator:
    """The value of the fact labelled `label`."""
    term = scope.locator("dt", has_text=re.compile(rf"^{re.escape(label)}$"))
    return scope.locator("dl.facts > div", has=term).locator("dd")


def row_texts(row: Locator) -> list[str]:
    return [text.strip() for text in row.locator("td").all_inner_texts()]


def move_to(page: Page, state: str, comment: str = "") -> None:
    page.get_by_label("Move to").select_option(label=state)
    if comment:
        page.get_by_label("Comment", exact=True).fill(comment)
    page.get_by_role("button", name="Apply").click()
    page.wait_for_load_state()


def test_a_proposal_is_scored_selected_by_the_optimiser_and_approved(page: Page) -> None:
    page.set_viewport_size(LAPTOP)

    # 1. The requester proposes a project: a draft, and the page says what is still missing.
    sign_in(page, "requester", "Carla Rossi", "Requester")
    page.get_by_role("link", name="Proposals").first.click()
    page.get_by_role("link", name="New proposal").first.click()
    page.get_by_label("Title").fill("Self-service onboarding portal")
    page.get_by_label("Problem and objectives").fill("New customers wait five days for an account; do it online.")
    page.get_by_label("Portfolio").select_option(label="Digital Transformation")
    page.get_by_label("Sponsor").select_option(label="Robert Hale")
    page.get_by_label("Earliest start").fill("2027-01-01")
    page.get_by_label("Duration months").fill("6")
    page.get_by_role("button", name="Create proposal").click()
    page.wait_for_url(re.compile(r"/proposals/\d+/$"))
    proposal = Proposal.objects.get(title="Self-service onboarding portal")
    assert proposal.code == "PR-0012" and proposal.state == "draft"
    assert proposal.requester is not None and proposal.requester.username == "requester"
    expect(page.get_by_role("heading", level=1)).to_have_text("PR-0012 Self-service onboarding portal")
    expect(fact(page, "State")).to_have_text("Draft")
    expect(fact(page, "Sponsor")).to_have_text("Robert Hale")
    expect(fact(page, "Start window")).to_have_text("01 Jan 2027 to —")
    expect(fact(page, "Duration")).to_have_text("6 months")
    expect(fact(page, "NPV")).to_have_text("—")
    notice = page.locator("section.notice")
    expect(notice.get_by_role("heading")).to_have_text("Before it can be submitted")
    expect(notice.locator("li")).to_have_text(
        [
            "Enter the estimated cost per year (capex and opex).",
            "Enter the expected benefits: money per year, or non-financial benefits.",
            "Rate at least one strategic objective the proposal serves.",
            "Enter the people needed by role and month (e.g. 2 FTE developer for 6 months).",
        ]
    )

    # Submitting now is refused, naming each missing field.
    move_to(page, "Submitted")
    expect(page.locator(".message-error")).to_have_text(
        [
            "Cash flows: Enter the estimated cost per year (capex and opex).",
            "Benefits: Enter the expected benefits: money per year, or non-financial benefits.",
            "Contributions: Rate at least one strategic objective the proposal serves.",
            "Demands: Enter the people needed by role and month (e.g. 2 FTE developer for 6 months).",
        ]
    )
    proposal.refresh_from_db()
    assert proposal.state == "draft"

    # The business case: two years of cash flows, one resource demand, one objective.
    page.get_by_role("link", name="Edit the business case").click()
    page.wait_for_url(re.compile(rf"/proposals/{proposal.pk}/business-case/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Business case · PR-0012 Self-service onboarding portal")
    page.locator("#id_flow-0-year").fill("0")
    page.locator("#id_flow-0-capex").fill("250000")
    page.locator("#id_flow-1-year").fill("1")
    page.locator("#id_flow-1-opex").fill("30000")
    page.locator("#id_flow-1-benefit").fill("400000")
    page.locator("#id_need-0-role").fill("Backend developer")
    page.locator("#id_need-0-fte").fill("1")
    page.locator("#id_need-0-start_month").fill("0")
    page.locator("#id_need-0-months").fill("5")
    page.get_by_label("Contribution to SO4").select_option("4")
    page.get_by_role("button", name="Save the business case").click()
    page.wait_for_url(re.compile(rf"/proposals/{proposal.pk}/$"))
    expect(page.locator(".message-success")).to_have_text("Business case saved.")
    expect(page.locator("section.notice")).to_have_count(0)
    money = selectors.financials(proposal)
    assert money.npv is not None and round(money.npv) == 92593  # -250,000 + 370,000 / 1.08
    assert money.irr is not None and round(money.irr, 3) == 0.48
    expect(fact(page, "Total cost")).to_have_text("280,000 EUR")
    expect(fact(page, "Total benefit")).to_have_text("400,000 EUR")
    expect(fact(page, "NPV")).to_have_text("92,593 EUR")
    expect(fact(page, "IRR")).to_have_text("48.0%")
    expect(fact(page, "Payback")).to_have_text(f"{money.payback_years:g} years")
    case = page.locator("#business-case")
    # The third, untouched row of the form is dropped, as the form says.
    expect(case.locator("tbody tr")).to_have_count(2)
    assert row_texts(case.locator("tbody tr").nth(0)) == ["0", "250,000", "0", "0", "-250,000"]
    assert row_texts(case.locator("tbody tr").nth(1)) == ["1", "0", "30,000", "400,000", "370,000"]
    expect(case.locator("ul li").nth(0)).to_have_text("1 FTE Backend developer for 5 months from month 0")
    expect(case.locator("ul li").nth(1)).to_have_text("SO4 Raise customer satisfaction (NPS) by 15 points — 4 / 5")
    screenshot(page, "20-proposal-business-case")

    move_to(page, "Submitted")
    expect(page.locator(".message-success")).to_have_text("PR-0012 is now submitted.")
    expect(fact(page, "State")).to_have_text("Submitted")
    proposal.refresh_from_db()
    assert proposal.state == "submitted"

    # 2. A PMO analyst puts it under evaluation and scores it on the ranking.
    sign_in(page, "analyst", "Priya Natarajan", "PMO analyst")
    page.goto(f"/proposals/{proposal.pk}/")
    move_to(page, "Under evaluation")
    expect(page.locator(".message-success")).to_have_text("PR-0012 is now under evaluation.")
    expect(fact(page, "State")).to_have_text("Under evaluation")
    page.get_by_role("link", name="Ranking").first.click()
    page.wait_for_url(re.compile(r"/ranking/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Ranking")
    ours = page.locator("table.ranking tbody tr", has_text="PR-0012 Self-service onboarding portal")
    expect(ours.locator("td").nth(2)).to_have_text("Under evaluation")
    expect(ours.locator("td").nth(8)).to_have_text("Priya Natarajan, Marcus Webb, Daniel Brooks")
    ours.get_by_role("link", name="Score").click()
    page.wait_for_url(re.compile(rf"/proposals/{proposal.pk}/evaluate/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Score PR-0012 Self-service onboarding portal")
    page.get_by_label("Rating for Deliverability").select_option("4")
    page.get_by_label("Comment on Deliverability").fill("The onboarding team built the last portal.")
    page.get_by_role("button", name="Save my scores").click()
    page.wait_for_url(re.compile(r"/ranking/\?model=\d+$"))
    expect(page.locator(".message-success")).to_have_text("Your scores for PR-0012 are saved.")
    mine = Evaluation.objects.get(proposal=proposal, evaluator__username="analyst")
    assert mine.rating == 4 and mine.criterion.name == "Deliverability"
    ours = page.locator("table.ranking tbody tr", has_text="PR-0012 Self-service onboarding portal")
    score = ours.locator("td").nth(3).locator("strong")
    expect(score).to_have_text(re.compile(r"^\d+\.\d$"))
    expect(ours.locator("td").nth(8)).to_have_text("Marcus Webb, Daniel Brooks")
    screenshot(page, "21-ranking")

    # 3. The portfolio manager runs the optimiser on "Digital next year" (the task runs at once).
    sign_in(page, "portfolio", "Daniel Brooks", "Portfolio manager")
    page.get_by_role("link", name="Scenarios").first.click()
    page.wait_for_url(re.compile(r"/scenarios/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Selection scenarios")
    page.get_by_role("link", name="Digital next year").click()
    first = Scenario.objects.get(name="Digital next year")
    page.wait_for_url(re.compile(rf"/scenarios/{first.pk}/$"))
    expect(fact(page, "Status")).to_have_text("Not run yet")
    page.get_by_role("button", name="Run the optimiser").click()
    page.wait_for_url(re.compile(rf"/scenarios/{first.pk}/$"))
    first.refresh_from_db()
    assert first.status == "done", first.message
    assert sorted(first.result["selected"]) == ["PR-0001", "PR-0004", "PR-0012"]
    expect(fact(page, "Status")).to_have_text("Solved")
    expect(page.get_by_role("heading", name="Selection", exact=True)).to_be_visible()
    expect(page.get_by_role("heading", name="Not chosen, and what it would take")).to_be_visible()
    columns = page.locator("section.card", has=page.get_by_role("heading", name="Selection", exact=True)).locator(
        ".columns > div"
    )
    expect(columns.nth(0).locator("tbody tr td:first-child")).to_have_text(
        [
            "PR-0001 Customer app loyalty wallet",
            "PR-0004 Data catalogue and lineage",
            "PR-0012 Self-service onboarding portal",
        ]
    )
    left_out = columns.nth(1).locator("tbody tr")
    expect(left_out).to_have_count(1)
    expect(left_out.locator("td").nth(0)).to_have_text("PR-0005 Dynamic pricing engine")
    expect(left_out.locator("td").nth(2)).to_contain_text("Would exceed budget 2027 by")
    expect(fact(page, "Selected")).to_have_text("3 of 4")
    budget = page.locator("section.card", has=page.get_by_role("heading", name="Budget and capacity used"))
    budget_rows = budget.locator("table.records tbody tr")
    expect(budget_rows.first.locator("td")).to_have_text(["Budget 2027", "950,000", "1,200,000", "79 %"])
    heat = budget.locator("table.heat")
    expect(heat).to_be_visible()
    expect(heat.locator("tbody th")).to_have_text(["Backend developer", "Business analyst", "Data engineer"])
    screenshot(page, "22-scenario-result")

    # A copy with a smaller budget for 2027, run, then compared with the first.
    page.get_by_label("Name of the copy").fill("Digital lean year")
    page.get_by_role("button", name="Copy to try other assumptions").click()
    page.wait_for_url(re.compile(r"/scenarios/\d+/edit/$"))
    second = Scenario.objects.get(name="Digital lean year")
    expect(page.locator(".message-success")).to_have_text("Copied as Digital lean year.")
    expect(page.get_by_label("Budget per year")).to_have_value("2027: 1,200,000\n2028: 600,000")
    page.get_by_label("Budget per year").fill("2027: 600,000\n2028: 600,000")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(re.compile(rf"/scenarios/{second.pk}/$"))
    expect(page.locator(".message-success")).to_have_text(
        "Scenario Digital lean year saved. Run it to see the selection."
    )
    second.refresh_from_db()
    assert second.budget_per_year == {"2027": 600000.0, "2028": 600000.0}
    page.get_by_role("button", name="Run the optimiser").click()
    page.wait_for_url(re.compile(rf"/scenarios/{second.pk}/$"))
    second.refresh_from_db()
    assert second.status == "done", second.message
    assert second.result["selected"] == ["PR-0001"]
    expect(fact(page, "Status")).to_have_text("Solved")

    page.get_by_role("link", name="Scenarios").first.click()
    page.get_by_label("Compare Digital next year as A").check()
    page.get_by_label("Compare Digital lean year as B").check()
    page.get_by_role("button", name="Compare A with B").click()
    page.wait_for_url(re.compile(r"/scenarios/compare/\?"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Digital next year and Digital lean year")
    compare = page.locator("section.card", has=page.get_by_role("heading", name="Selections"))
    expect(compare.locator("thead th")).to_have_text(["Proposal", "Digital next year", "Digital lean year"])
    assert [row_texts(r) for r in compare.locator("tbody tr").all()] == [
        ["PR-0001 Customer app loyalty wallet", "✓", "✓"],
        ["PR-0004 Data catalogue and lineage", "✓", ""],
        ["PR-0012 Self-service onboarding portal", "✓", ""],
        [f"{first.result['objective']:.1f}", f"{second.result['objective']:.1f}"],
    ]
    expect(page.locator(".columns > section.card h2")).to_have_text(["Digital next year", "Digital lean year"])
    screenshot(page, "23-scenario-comparison")

    # The portfolio manager approves the first scenario: its choices become projects, the others are rejected.
    page.goto(f"/scenarios/{first.pk}/")
    page.get_by_label("Project code for PR-0001").fill("DIG-101")
    page.get_by_label("Project code for PR-0004").fill("DIG-102")
    page.get_by_label("Project code for PR-0012").fill("DIG-103")
    page.get_by_label("Decision comment").fill("Next year's digital portfolio.")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Approve this selection").click()
    page.wait_for_url(re.compile(rf"/scenarios/{first.pk}/$"))
    expect(page.locator(".message-success")).to_have_text(
        "Approved: DIG-101 Customer app loyalty wallet, DIG-102 Data catalogue and lineage, "
        "DIG-103 Self-service onboarding portal are now projects."
    )
    expect(fact(page, "Status")).to_have_text("Approved")
    first.refresh_from_db()
    assert first.status == "approved"
    for code, project_code in (("PR-0001", "DIG-101"), ("PR-0004", "DIG-102"), ("PR-0012", "DIG-103")):
        chosen = Proposal.objects.get(code=code)
        assert chosen.state == "approved"
        assert chosen.project is not None and chosen.project.code == project_code
        assert chosen.project.state == "approved"
    assert Proposal.objects.get(code="PR-0005").state == "rejected"
    project = Project.objects.get(code="DIG-103")
    assert project.name == "Self-service onboarding portal" and project.budget == 280000
    page.goto(f"/proposals/{proposal.pk}/")
    expect(fact(page, "State")).to_have_text("Approved")
    page.get_by_role("link", name="DIG-103 Self-service onboarding portal").click()
    page.wait_for_url(re.compile(rf"/projects/{project.pk}/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("DIG-103 Self-service onboarding portal")
    expect(fact(page, "Sponsor")).to_have_text("Robert Hale")
    expect(fact(page, "Portfolio")).to_have_text("Digital Transformation")
    charter = page.locator("section.charter")
    expect(charter.get_by_role("heading")).to_have_text("Charter")
    expect(charter).to_contain_text("Purpose")
    expect(charter).to_contain_text("Total cost EUR 280,000; total benefit EUR 400,000; NPV EUR 92,593")
    expect(charter).to_contain_text("1.00 FTE Backend developer, months 1-5")
    screenshot(page, "24-project-charter")

    # Next quarter: the running projects of Digital compete with each other; those left out are flagged.
    page.get_by_role("link", name="Scenarios").first.click()
    page.get_by_role("link", name="Digital with running projects").click()
    third = Scenario.objects.get(name="Digital with running projects")
    page.wait_for_url(re.compile(rf"/scenarios/{third.pk}/$"))
    expect(fact(page, "Running projects")).to_have_text("compete (may be stopped)")
    expect(fact(page, "Start months")).to_have_text("chosen within each window")
    page.get_by_role("button", name="Run the optimiser").click()
    page.wait_for_url(re.compile(rf"/scenarios/{third.pk}/$"))
    third.refresh_from_db()
    assert third.status == "done", third.message
    candidates = {c["id"] for c in third.result["problem"]["candidates"]}
    assert candidates == {"DIG-030", "DIG-101", "DIG-102", "DIG-103"}
    columns = page.locator("section.card", has=page.get_by_role("heading", name="Selection", exact=True)).locator(
        ".columns > div"
    )
    chosen = columns.nth(0).locator("tbody tr")
    expect(chosen).to_have_count(len(third.result["selected"]))
    expect(columns.nth(0).locator("thead th")).to_have_text(["Proposal", "Starts", "Value"])
    expect(chosen.locator(".badge", has_text="running")).to_have_count(len(third.result["selected"]))
    stopped = sorted(candidates - set(third.result["selected"]))
    expect(columns.nth(1).locator(".badge", has_text="stop?")).to_have_count(len(stopped))
    screenshot(page, "25-scenario-running-projects")
