"""The capacity journey in a real browser: the resource manager looks at next quarter by role, finds the
over-allocated roles, opens the cell to see the projects and tasks behind it, tries a what-if (one project a
month later, one proposal counted) beside today and saves it, then starts levelling the projects behind the
over-allocation; the PMO director opens the saved what-if and accepts the levelling; the resource manager
records a training plan for a skills gap."""

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, ViewportSize, expect

from pmo.engine import capacity as engine
from pmo.planning.models import LevelingRun
from pmo.resources import capacity
from pmo.resources.models import Person, SavedWhatIf, TrainingPlan
from tests.e2e.screenshots import screenshot
from tests.e2e.test_changes_journey import sign_in

pytestmark = pytest.mark.e2e

LAPTOP: ViewportSize = {"width": 1366, "height": 768}


def _next_quarter() -> dt.date:
    today = timezone.localdate()
    month = ((today.month - 1) // 3 + 1) * 3 + 1
    return dt.date(today.year + (month > 12), (month - 1) % 12 + 1, 1)


def test_a_resource_manager_finds_tries_saves_and_resolves_an_over_allocation(page: Page) -> None:
    page.set_viewport_size(LAPTOP)
    quarter = _next_quarter()
    inputs, labels = capacity.capacity_inputs(start=quarter, count=3, include_proposals=False)
    over = engine.over_allocations(engine.compute(inputs), "role")
    assert over, "the demo has no over-allocated role next quarter"
    worst = over[0]
    role, period = worst.key, worst.period
    behind = sorted({c.project_id for c in worst.contributions if c.kind == "plan"}, key=labels.projects.get)
    moved = labels.projects[behind[0]]
    proposal = capacity.proposals_in(capacity.capacity_inputs(start=quarter, count=3)[1])[0][1]

    # 1. Next quarter by role, without undecided proposals: the over-allocated roles are listed.
    sign_in(page, "resources", "Nadia Hassan", "Resource manager")
    page.get_by_role("link", name="Resource pool").click()
    page.locator("nav.tabs").get_by_role("link", name="Capacity").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Capacity and demand")
    filters = page.locator("form.filters")
    filters.get_by_label("Group by").select_option(label="Role")
    filters.get_by_label("From").fill(quarter.strftime("%Y-%m"))
    filters.get_by_label("Periods").fill("3")
    filters.get_by_label("Proposals not yet decided").uncheck()
    filters.get_by_role("button", name="Show").click()
    expect(page.locator("#capacity-today thead th").nth(1)).to_have_text(re.compile(quarter.strftime("%Y-%m")))
    listed = page.locator("#over-allocated tbody tr", has_text=role).filter(has_text=period.label)
    expect(listed.first).to_be_visible()
    screenshot(page, "capacity-01-next-quarter")

    # 2. The cell behind it: the projects and tasks that make the load.
    listed.first.get_by_role("link", name=role).click()
    drill = page.locator("#drill")
    expect(drill.get_by_role("heading", level=2)).to_contain_text(f"{role} · {period.label}")
    expect(drill.locator("tbody tr", has_text=moved).first).to_be_visible()
    screenshot(page, "capacity-02-drill")

    # 3. What if the first of those projects starts a month later and a proposal is counted?
    page.locator("#whatif-form summary").click()
    form = page.locator("#whatif-form form").first
    form.get_by_label("Move project").select_option(label=moved)
    form.get_by_label("by weeks (− earlier)").fill("4")
    form.get_by_label("Count proposal").select_option(label=proposal)
    form.get_by_role("button", name="Try it").click()
    line = page.locator(".whatif-line")
    expect(line).to_contain_text(f"{moved} later by 4 week(s)")
    expect(line).to_contain_text(f"with {proposal}")
    expect(page.locator("#capacity-whatif")).to_be_visible()
    expect(page.locator("#capacity-today")).to_be_visible()
    screenshot(page, "capacity-03-whatif")

    # ... and keeps it under a name.
    save = page.locator("#whatif-save")
    save.get_by_label("Save as").fill("A month later, with the proposal")
    save.get_by_role("button", name="Save what-if").click()
    expect(page.locator(".message-success")).to_have_text("What-if “A month later, with the proposal” saved.")
    saved = SavedWhatIf.objects.get(name="A month later, with the proposal")
    assert saved.owner.username == "resources"
    assert len(saved.changes["shifts"]) == 1 and saved.changes["add_proposals"]
    expect(page.locator(".whatif-line")).to_contain_text("What if “A month later, with the proposal”")

    # 4. Resolve: level the projects behind the over-allocation (the plans change only when accepted).
    page.goto(f"/capacity/?by=role&unit=month&start={quarter:%Y-%m}&count=3&proposals=off")
    level = page.locator("#level-projects")
    boxes = level.get_by_role("checkbox")
    expect(boxes.first).to_be_checked()
    runs_before = LevelingRun.objects.count()
    level.get_by_role("button", name="Level the selected projects").click()
    page.wait_for_url(re.compile(r"/leveling/\d+/$"))
    assert LevelingRun.objects.count() == runs_before + 1
    run = LevelingRun.objects.latest("pk")
    assert run.status == LevelingRun.Status.DONE, run.message
    expect(page.locator("#run-status")).to_have_text("Ready to review")
    expect(page.get_by_role("button", name="Accept and update the plans")).to_have_count(0)
    run_url = page.url
    screenshot(page, "capacity-04-leveling")

    # 5. The PMO director opens the saved what-if, then accepts the levelling.
    sign_in(page, "director", "Margaret Osei", "PMO director")
    page.goto("/capacity/")
    page.locator("#whatif-form summary").click()
    page.locator("#saved-whatifs").get_by_role("link", name="A month later, with the proposal").click()
    expect(page.locator(".whatif-line")).to_contain_text(f"{moved} later by 4 week(s)")
    expect(page.locator("#capacity-whatif")).to_be_visible()
    page.goto(run_url)
    accept = page.get_by_role("button", name="Accept and update the plans")
    page.once("dialog", lambda dialog: dialog.accept())
    with page.expect_navigation():
        accept.click()
    expect(page.locator("#run-status")).to_have_text("Accepted")
    run.refresh_from_db()
    assert run.status == LevelingRun.Status.ACCEPTED

    # 6. The resource manager plans training for a skills gap: Elena Petrova's Kubernetes.
    sign_in(page, "resources", "Nadia Hassan", "Resource manager")
    elena = Person.objects.get(name="Elena Petrova")
    page.goto(f"/pool/people/{elena.pk}/")
    gap = page.locator("#gaps tr", has_text="Kubernetes")
    expect(gap).to_contain_text("−1")
    gap.get_by_role("link", name="Plan training").click()
    page.get_by_label("Course", exact=True).fill("Kubernetes for platform engineers")
    page.get_by_label("Due").fill((quarter + dt.timedelta(days=60)).isoformat())
    page.get_by_role("button", name="Plan the training").click()
    expect(page.locator(".message-success")).to_contain_text("Training planned")
    expect(page.locator("#gaps tr", has_text="Kubernetes")).to_contain_text("Planned")
    screenshot(page, "capacity-05-training")
    plan = TrainingPlan.objects.get(person=elena, skill__name="Kubernetes")
    assert (plan.target_level, plan.course, plan.status) == (3, "Kubernetes for platform engineers", "planned")
