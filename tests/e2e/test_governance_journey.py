"""The governance journey in a real browser: the PMO director sets up a hybrid methodology phase by phase and
publishes it (the page refuses a gate without criteria first); the manager of the Digital portfolio reviews
DIG-006's release gate and decides "go with conditions"; the PMO director kills OPS-009 at its gate, which
cancels it and opens its closure; a PMO analyst runs an ad hoc health check whose finding is closed with a
corrective action."""

import datetime as dt

import pytest
from playwright.sync_api import Page, ViewportSize, expect

from pmo.governance.models import Audit, AuditTemplate, Finding, GateReview, MethodologyVersion, ProjectMethodology
from pmo.knowledge.models import Closure
from pmo.portfolio.models import Project
from tests.e2e.screenshots import screenshot
from tests.e2e.test_changes_journey import sign_in

pytestmark = pytest.mark.e2e

LAPTOP: ViewportSize = {"width": 1366, "height": 768}


def test_methodology_gates_kill_and_audit(page: Page) -> None:
    page.set_viewport_size(LAPTOP)
    today = dt.date.today()

    # 1. The PMO director sets up a hybrid methodology from the sidebar.
    sign_in(page, "director", "Margaret Osei", "PMO director")
    page.locator(".sidebar a", has_text="Governance").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Methodology library")
    screenshot(page, "governance-01-library")
    page.get_by_text("New methodology").click()
    page.get_by_label("Name *").fill("Hybrid product delivery")
    page.get_by_label("Kind *").select_option("hybrid")
    page.get_by_label("Description").fill("Shape with a business case, build in sprints, release under control.")
    page.get_by_role("button", name="Create with an empty draft").click()
    expect(page.locator(".message-success")).to_contain_text("Methodology created")
    for name, gate, weeks in (("Shape", "Investment decision", "6"), ("Build in sprints", "Release", "12")):
        form = page.locator("#add-phase")
        form.get_by_label("Phase *").fill(name)
        form.get_by_label("Gate at its end *").fill(gate)
        form.get_by_label("Typical weeks").fill(weeks)
        form.get_by_role("button", name="Add the phase").click()
        expect(page.locator(".message-success")).to_have_text("Phase added.")
    shape = page.locator(".governance-phase", has_text="Shape")
    shape.get_by_label("Deliverable name").fill("Business case")
    shape.get_by_label("Template").select_option("Business case")
    shape.get_by_role("button", name="Add").first.click()
    shape = page.locator(".governance-phase", has_text="Shape")
    shape.get_by_label("Criterion").fill("The business case is approved by the sponsor")
    shape.get_by_role("button", name="Add").last.click()
    # Publishing with a gate that has no criterion is refused, naming the gate.
    page.get_by_role("button", name="Publish").click()
    expect(page.locator(".message-error")).to_contain_text("missing: Build in sprints")
    build = page.locator(".governance-phase", has_text="Build in sprints")
    build.get_by_label("Criterion").fill("User acceptance tests passed")
    build.get_by_role("button", name="Add").last.click()
    page.get_by_label("What changed (notes)").fill("First edition")
    page.get_by_role("button", name="Publish").click()
    expect(page.locator(".message-success")).to_contain_text("Hybrid product delivery v1 published")
    expect(page.locator(".governance-versions")).to_contain_text("published")
    screenshot(page, "governance-02-published")
    version = MethodologyVersion.objects.get(methodology__name="Hybrid product delivery")
    assert (version.state, version.phases.count()) == ("published", 2)

    # 2. The Digital portfolio's manager reviews DIG-006's release gate: go with conditions.
    dig6 = Project.objects.get(code="DIG-006")
    sign_in(page, "portfolio", "Daniel Brooks", "Portfolio manager")
    page.goto(f"/projects/{dig6.pk}/")
    panel = page.locator("#governance")
    expect(panel).to_contain_text("Hybrid delivery")
    expect(panel).to_contain_text("Iterative build")
    screenshot(page, "governance-03-project-panel")
    panel.get_by_role("link", name="Release readiness").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Gate review: Release readiness")
    checklist = page.locator("#checklist")
    checklist.get_by_label("Answer: Every sprint goal of the release is met").select_option("met")
    checklist.get_by_label("Evidence: Every sprint goal of the release is met").fill("https://intranet.example.org/r3")
    checklist.get_by_label("Answer: User acceptance tests passed").select_option("not_met")
    checklist.get_by_label("Note: User acceptance tests passed").fill("Two regression defects open")
    page.get_by_role("button", name="Save the checklist").click()
    expect(page.locator(".message-success")).to_have_text("Checklist saved.")
    reviewers = page.locator("#reviewers")
    reviewers.get_by_label("Vote of Daniel Brooks").select_option("go_conditions")
    reviewers.get_by_label("Comment of Daniel Brooks").fill("Fix the two defects first")
    reviewers.get_by_role("button", name="Vote").click()
    expect(page.locator(".message-success")).to_have_text("Vote recorded.")
    decide = page.locator("#decide")
    decide.locator("input[name=decision][value=go]").check()
    decide.get_by_role("button", name="Record the decision").click()
    expect(page.locator(".message-error")).to_contain_text("A criterion is not met")
    decide = page.locator("#decide")
    decide.locator("input[name=decision][value=go_conditions]").check()
    decide.get_by_label("Comment (why; required except for go)").fill("Release once the regression defects are fixed")
    decide.get_by_label("Condition 1", exact=True).fill("Fix the two regression defects and re-run the UAT")
    decide.get_by_label("Owner of condition 1").select_option(label="Mei Chen")
    decide.get_by_label("Due date of condition 1").fill((today + dt.timedelta(days=14)).isoformat())
    screenshot(page, "governance-04-review")
    decide.get_by_role("button", name="Record the decision").click()
    expect(page.locator(".message-success")).to_have_text("Gate decided: go with conditions.")
    expect(page.locator("#conditions")).to_contain_text("Fix the two regression defects")
    screenshot(page, "governance-05-decided")
    tracking = ProjectMethodology.objects.get(project=dig6)
    assert tracking.current_phase is not None and tracking.current_phase.name == "Deploy and close"
    page.goto(f"/projects/{dig6.pk}/")
    expect(page.locator("#governance")).to_contain_text("Deploy and close")
    expect(page.locator("#governance")).to_contain_text("Open gate conditions")
    page.locator("#governance").get_by_role("link", name="methodology, gates and audits →").click()
    expect(page.locator("#history")).to_contain_text("Go with conditions")
    screenshot(page, "governance-05b-project-gates")

    # 3. The PMO director kills OPS-009 at its gate, from the portfolio page of gates.
    ops9 = Project.objects.get(code="OPS-009")
    sign_in(page, "director", "Margaret Osei", "PMO director")
    page.goto("/governance/gates/")
    expect(page.locator("#overdue")).to_contain_text("OPS-002")
    screenshot(page, "governance-06-gates")
    page.get_by_label("Portfolio").select_option(label="Operational Excellence")
    row = page.locator("#upcoming tr", has_text="OPS-009")
    row.get_by_role("link", name="Architecture").click()
    decide = page.locator("#decide")
    decide.locator("input[name=decision][value=kill]").check()
    decide.get_by_label("Comment (why; required except for go)").fill(
        "The supplier take-back scheme makes the new packaging line unnecessary."
    )
    decide.get_by_role("button", name="Record the decision").click()
    expect(page.locator(".message-success")).to_have_text("Gate decided: kill.")
    expect(page.locator(".governance-summary")).to_contain_text("Kill")
    ops9.refresh_from_db()
    assert ops9.state == "cancelled"
    assert Closure.objects.get(project=ops9).killed is True
    assert GateReview.objects.get(project=ops9, decision="kill").decided_by.username == "director"
    screenshot(page, "governance-07-killed")

    # 4. A PMO analyst runs an ad hoc health check of DIG-006: a finding, closed by its corrective action.
    sign_in(page, "analyst", "Priya Natarajan", "PMO analyst")
    page.goto("/governance/audits/")
    expect(page.locator("#trend svg")).to_be_visible()
    screenshot(page, "governance-08-audits")
    page.get_by_text("Plan an audit or record an ad hoc one").click()
    form = page.locator("#new-audit")
    form.get_by_label("Project *").select_option(label="DIG-006 Customer 360 data model")
    form.get_by_label("Checklist *").select_option(str(AuditTemplate.objects.get(name="Project health check").pk))
    form.get_by_label("Auditor").select_option(label="Priya Natarajan")
    form.get_by_label("Kind").select_option("0")
    form.get_by_role("button", name="Plan the audit").click()
    expect(page.locator(".message-success")).to_contain_text("Audit planned")
    answers = page.locator("#answers select")
    for i, rating in enumerate(["yes", "no", "yes", "partly"]):
        answers.nth(i).select_option(rating)
    page.get_by_role("button", name="Save the answers").click()
    expect(page.locator(".message-success")).to_have_text("Answers saved.")
    page.get_by_role("button", name="Complete and score").click()
    expect(page.locator(".message-success")).to_have_text("Audit completed and scored.")
    expect(page.locator(".governance-score")).to_have_text("57.1")  # (2 + 0 + 1 + 1) / 7
    page.get_by_text("Record a finding").click()
    finding_form = page.locator("#add-finding")
    finding_form.get_by_label("Finding *").fill("Status report not current")
    finding_form.get_by_label("Severity").select_option("high")
    finding_form.get_by_label("Owner *").select_option(label="Mei Chen")
    finding_form.get_by_label("Due *").fill((today + dt.timedelta(days=7)).isoformat())
    finding_form.get_by_role("button", name="Record the finding").click()
    expect(page.locator(".message-success")).to_have_text("Finding recorded.")
    page.get_by_label("Corrective action for Status report not current").fill("Publish the December status report")
    page.get_by_label("Owner of the action").select_option(label="Mei Chen")
    page.get_by_label("Due date of the action").fill((today + dt.timedelta(days=3)).isoformat())
    page.get_by_role("button", name="Add action").click()
    expect(page.locator(".message-success")).to_have_text("Corrective action added.")
    page.get_by_role("button", name="Mark done").click()
    expect(page.locator(".message-success")).to_have_text("Action done.")
    expect(page.locator(".governance-finding")).to_contain_text("Closed")
    screenshot(page, "governance-09-finding-closed")
    audit = Audit.objects.filter(project=dig6).latest("pk")
    finding = Finding.objects.get(audit=audit)
    assert (str(audit.score), audit.scheduled, finding.status) == ("57.1", False, "closed")
