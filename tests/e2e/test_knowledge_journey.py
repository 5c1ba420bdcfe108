"""The closure and knowledge journey in a real browser: the project manager of OPS-010 (in "closing") starts its
closure from the project page, is refused the close while the closure is incomplete, writes the closure report,
records the lessons-learned session and a lesson, and closes the project; an analyst finds that lesson with a
search; the analyst records a PMO maturity assessment and sees it on the trend."""

import datetime as dt
import re

import pytest
from playwright.sync_api import Page, ViewportSize, expect

from pmo.knowledge.models import Closure, Lesson, MaturityAssessment
from pmo.portfolio.models import Project
from tests.e2e.screenshots import screenshot
from tests.e2e.test_changes_journey import sign_in

pytestmark = pytest.mark.e2e

LAPTOP: ViewportSize = {"width": 1366, "height": 768}
LESSON = "Sensor gateway firmware was pinned too late"


def test_a_project_is_closed_through_its_closure_and_its_lesson_found(page: Page) -> None:
    page.set_viewport_size(LAPTOP)
    project = Project.objects.get(code="OPS-010")
    assert project.state == "closing" and not Closure.objects.filter(project=project).exists()

    # 1. The project manager opens the closure from the project page's panel and starts it.
    sign_in(page, "pm4", "Mei Chen", "Project manager")
    page.goto(f"/projects/{project.pk}/")
    panel = page.locator("#closure-panel")
    expect(panel).to_contain_text("The closure has not been started")
    screenshot(page, "knowledge-00-project-panel")
    panel.get_by_role("link", name="Start the closure").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Closure · {project}")
    page.get_by_label("Why it closes").fill("Delivered: dashboard live in all three plants")
    page.get_by_role("button", name="Start the closure").click()
    expect(page.locator(".message-success")).to_contain_text("Closure started")
    expect(page.locator("#close")).to_contain_text("Record at least one lesson learned")
    screenshot(page, "knowledge-01-closure-started")

    # 2. Closing now is refused, naming what is missing.
    assert page.locator("#close button").count() == 0
    assert Project.objects.get(pk=project.pk).state == "closing"

    # 3. The closure report: each objective, the benefits handed over, recommendations.
    report = page.locator("#report")
    for select in report.locator("select[name=objective_met]").all():
        select.select_option("yes")
    report.get_by_label("Objectives met (overall)").select_option("yes")
    report.get_by_label("Benefits handed over").fill("Energy dashboard handed to the plant managers; PMO tracks kWh.")
    report.get_by_label("Recommendations").fill("Pin device firmware before the pilot; involve plant IT early.")
    report.get_by_role("button", name="Save the report").click()
    expect(page.locator(".message-success")).to_have_text("Closure report saved.")
    expect(page.locator(".knowledge-steps li").first).to_have_class(re.compile("done"))

    # 4. The lessons-learned session and its lesson.
    session = page.locator("#session")
    held_on = (dt.date.today() - dt.timedelta(days=1)).isoformat()
    session.get_by_label("Session held on").fill(held_on)
    session.get_by_label("Participants").fill("Mei Chen (project manager)\nKwame Mensah\nPriya Natarajan")
    session.get_by_role("button", name="Record the session").click()
    expect(page.locator(".message-success")).to_have_text("Lessons-learned session recorded.")
    lessons = page.locator("#lessons")
    lessons.get_by_text("Record a lesson").click()
    lessons.get_by_label("Title").fill(LESSON)
    lessons.get_by_label("What happened").fill("Two gateway firmware versions in the field broke the meter readings.")
    lessons.get_by_label("Recommendation").fill("Freeze the firmware version before the pilot plant goes live.")
    lessons.get_by_label("Tags").fill("iot, firmware, sensors")
    screenshot(page, "knowledge-02-closure-lesson-form")
    lessons.get_by_role("button", name="Record the lesson").click()
    expect(page.locator("#lessons tbody tr")).to_have_count(1)
    expect(page.locator("#lessons")).to_contain_text(LESSON)

    # 5. Everything is complete: close the project (and confirm the dialog).
    close = page.locator("#close")
    expect(close).to_contain_text("The report and the lessons-learned session are complete.")
    page.once("dialog", lambda dialog: dialog.accept())
    close.get_by_role("button", name="Close the project").click()
    expect(page.locator(".message-success")).to_have_text(f"{project} is closed and archived.")
    expect(page.locator(".page-head .badge").first).to_have_text("Closed")
    screenshot(page, "knowledge-03-closed")
    closure = Closure.objects.get(project=project)
    assert (closure.status, Project.objects.get(pk=project.pk).state) == ("closed", "closed")
    assert Lesson.objects.get(title=LESSON).project == project

    # 6. An analyst finds the lesson with a search, filtered to the portfolio.
    sign_in(page, "analyst", "Priya Natarajan", "PMO analyst")
    expect(page.locator(".sidebar").get_by_role("link", name="Knowledge")).to_have_attribute("href", "/knowledge/")
    page.goto("/knowledge/")  # the sidebar's lower entries can sit below a laptop screen's fold
    page.locator("nav.tabs").get_by_role("link", name="Search").click()
    page.get_by_label("Words to find").fill("firmware pilot")
    page.locator("select[name=portfolio]").select_option(label="Operational Excellence")
    page.get_by_role("button", name="Search").click()
    results = page.locator("#results-lesson")
    expect(results.locator(".knowledge-hit-title").first).to_contain_text(LESSON)
    expect(results.locator("mark").first).to_be_visible()
    screenshot(page, "knowledge-04-search")
    results.get_by_role("link", name=re.compile(LESSON)).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(LESSON)

    # 7. The analyst records a maturity assessment; the trend shows four assessments.
    page.locator("nav.tabs").get_by_role("link", name="PMO maturity").click()
    before = MaturityAssessment.objects.count()
    page.get_by_text("Record an assessment").click()
    form = page.locator("#assess")
    form.get_by_label("Title").fill("Mid-year check")
    expect(form.get_by_label("Assessed on")).to_have_value(dt.date.today().isoformat())
    for label, level in (
        ("Governance", "4"),
        ("Method", "3"),
        ("Resources", "3"),
        ("Benefits", "3"),
        ("Risk", "3"),
        ("Reporting", "4"),
    ):
        form.get_by_label(label, exact=True).select_option(level)
    form.get_by_role("button", name="Record the assessment").click()
    expect(page.locator(".message-success")).to_contain_text("Mid-year check")
    assert MaturityAssessment.objects.count() == before + 1
    expect(page.locator("#trend")).to_contain_text(f"{before + 1} assessments")
    expect(page.locator("#latest")).to_contain_text("Mid-year check")
    screenshot(page, "knowledge-05-maturity")
