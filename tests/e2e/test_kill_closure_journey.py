"""A project killed at its gate goes through closure with its lessons, in a real browser: the PMO director
kills OPS-009 (packaging waste reduction) at its architecture gate; its project manager writes the closure
report, records the lessons-learned session and a lesson, and closes it out (it stays cancelled, archived
and read-only); an analyst finds the lesson with a search."""

import datetime as dt

import pytest
from playwright.sync_api import Page, ViewportSize, expect

from pmo.knowledge.models import Closure, Lesson
from pmo.portfolio.models import Project
from tests.e2e.screenshots import screenshot
from tests.e2e.test_changes_journey import sign_in

pytestmark = pytest.mark.e2e

LAPTOP: ViewportSize = {"width": 1366, "height": 768}
LESSON = "Check the suppliers' take-back schemes before designing a new line"


def test_a_killed_project_is_closed_out_with_its_lessons(page: Page) -> None:
    page.set_viewport_size(LAPTOP)
    project = Project.objects.get(code="OPS-009")

    # 1. The PMO director kills OPS-009 at its gate.
    sign_in(page, "director", "Margaret Osei", "PMO director")
    page.goto("/governance/gates/")
    page.get_by_label("Portfolio").select_option(label="Operational Excellence")
    page.locator("#upcoming tr", has_text="OPS-009").get_by_role("link", name="Architecture").click()
    decide = page.locator("#decide")
    decide.locator("input[name=decision][value=kill]").check()
    decide.get_by_label("Comment (why; required except for go)").fill(
        "The supplier take-back scheme makes the new packaging line unnecessary."
    )
    decide.get_by_role("button", name="Record the decision").click()
    expect(page.locator(".message-success")).to_have_text("Gate decided: kill.")
    project.refresh_from_db()
    assert project.state == "cancelled"
    closure = Closure.objects.get(project=project)
    assert closure.killed is True

    # 2. Its project manager completes the closure: report, session, a lesson.
    sign_in(page, "pm3", "Lucas Moreau", "Project manager")
    page.goto(f"/projects/{project.pk}/")
    page.locator("#closure-panel").get_by_role("link").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Closure · {project}")
    report = page.locator("#report")
    report.get_by_label("Objectives met (overall)").select_option("no")
    report.get_by_label("Benefits handed over").fill("None: stopped before build; the waste study goes to Operations.")
    report.get_by_label("Recommendations").fill("Ask suppliers for take-back terms at the proposal stage.")
    report.get_by_role("button", name="Save the report").click()
    expect(page.locator(".message-success")).to_have_text("Closure report saved.")
    session = page.locator("#session")
    session.get_by_label("Session held on").fill((dt.date.today() - dt.timedelta(days=1)).isoformat())
    session.get_by_label("Participants").fill("Lucas Moreau\nSofia Marques\nMargaret Osei")
    session.get_by_role("button", name="Record the session").click()
    expect(page.locator(".message-success")).to_have_text("Lessons-learned session recorded.")
    lessons = page.locator("#lessons")
    lessons.get_by_text("Record a lesson").click()
    lessons.get_by_label("Title").fill(LESSON)
    lessons.get_by_label("What happened").fill("The design was done before anyone asked the suppliers about take-back.")
    lessons.get_by_label("Recommendation").fill("Make supplier take-back terms a question of the business case.")
    lessons.get_by_label("Tags").fill("packaging, suppliers, business case")
    lessons.get_by_role("button", name="Record the lesson").click()
    expect(page.locator("#lessons")).to_contain_text(LESSON)
    close = page.locator("#close")
    page.once("dialog", lambda dialog: dialog.accept())
    close.get_by_role("button").first.click()
    expect(page.locator(".message-success")).to_contain_text(str(project))
    screenshot(page, "kill-closure-01-closed-out")
    closure.refresh_from_db()
    project.refresh_from_db()
    assert (closure.status, project.state) == ("closed", "cancelled")
    assert Lesson.objects.get(title=LESSON).project == project

    # 3. An analyst finds the lesson with a search.
    sign_in(page, "analyst", "Priya Natarajan", "PMO analyst")
    page.goto("/knowledge/")
    page.locator("nav.tabs").get_by_role("link", name="Search").click()
    page.get_by_label("Words to find").fill("take-back suppliers")
    page.get_by_role("button", name="Search").click()
    expect(page.locator("#results-lesson .knowledge-hit-title").first).to_contain_text(LESSON)
    screenshot(page, "kill-closure-02-search")
