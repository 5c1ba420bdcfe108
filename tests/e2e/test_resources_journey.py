"""The resource pool journey in a real browser: the resource manager opens the request queue, finds the mobile
app's request for a developer with Kubernetes, sees who holds the role, assigns Jonas Weber (the project manager
is told); then opens Jonas's profile, sees his Kubernetes gap and plans training for it; on the Training page the
expired and expiring certificates are flagged and the plan is listed. The skills matrix filters by role."""

import re

import pytest
from playwright.sync_api import Page, ViewportSize, expect

from pmo.changes.models import Notification
from pmo.resources.models import Person, ResourceRequest, TrainingPlan
from tests.e2e.screenshots import screenshot
from tests.e2e.test_changes_journey import sign_in

pytestmark = pytest.mark.e2e

LAPTOP: ViewportSize = {"width": 1366, "height": 768}


def test_a_resource_manager_assigns_a_request_and_plans_training_for_a_gap(page: Page) -> None:
    page.set_viewport_size(LAPTOP)
    request = ResourceRequest.objects.get(state="submitted", project__code="DIG-001")
    jonas = Person.objects.get(name="Jonas Weber")

    # 1. The resource manager opens the pool and the request queue.
    sign_in(page, "resources", "Nadia Hassan", "Resource manager")
    page.get_by_role("link", name="Resource pool").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Resource pool")
    expect(page.locator("#people tr", has_text="Rahul Mehta")).to_contain_text("Data engineer")
    screenshot(page, "resources-01-pool")
    page.locator("nav.tabs").get_by_role("link", name=re.compile("Resource requests")).click()
    queue = page.locator("#queue tbody tr")
    expect(queue).to_have_count(2)
    screenshot(page, "resources-02-requests")

    # 2. ... opens the mobile app's request, sees the candidates and assigns Jonas Weber.
    page.locator("#queue").get_by_role("link", name=request.code).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(request.code)
    expect(page.locator("#candidates tr", has_text="Jonas Weber")).to_be_visible()
    screenshot(page, "resources-03-request")
    page.get_by_label("Person").select_option(label="Jonas Weber")
    page.get_by_role("button", name="Assign", exact=True).click()
    expect(page.locator(".message-success")).to_contain_text("assigned")
    expect(page.locator("#decision")).to_contain_text("Jonas Weber")
    request.refresh_from_db()
    assert (request.state, request.assigned_person) == ("assigned", jonas)
    assert Notification.objects.filter(recipient__username="pm", message__contains="Jonas Weber assigned").exists()

    # 3. Jonas's profile shows his gaps; the manager plans Kubernetes training from the gap.
    page.locator("#decision").get_by_role("link", name="Jonas Weber").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Jonas Weber")
    gap = page.locator("#gaps tr", has_text="Kubernetes")
    expect(gap).to_contain_text("−2")
    screenshot(page, "resources-04-person")
    gap.get_by_role("link", name="Plan training").click()
    page.get_by_label("Course", exact=True).fill("Kubernetes fundamentals")
    page.get_by_label("Due").fill("2030-03-31")
    page.get_by_role("button", name="Plan the training").click()
    expect(page.locator(".message-success")).to_contain_text("Training planned")
    expect(page.locator("#gaps tr", has_text="Kubernetes")).to_contain_text("Planned")
    plan = TrainingPlan.objects.get(person=jonas, skill__name="Kubernetes")
    assert (plan.target_level, plan.course, plan.status) == (2, "Kubernetes fundamentals", "planned")

    # 4. The Training page flags the certificates and lists the plan.
    page.locator("nav.tabs").get_by_role("link", name="Training").click()
    expect(page.locator("#certificates tr", has_text="AWS Solutions Architect")).to_contain_text("Expired")
    expect(page.locator("#certificates tr", has_text="PMP")).to_contain_text("Expires soon")
    expect(page.locator("#plans tr", has_text="Kubernetes fundamentals")).to_be_visible()
    screenshot(page, "resources-05-training")

    # 5. The skills matrix, filtered to developers.
    page.locator("nav.tabs").get_by_role("link", name="Skills matrix").click()
    page.locator("form.filters").get_by_label("Role").select_option(label="Developer")
    expect(page.locator("#matrix tbody tr")).to_have_count(2)
    screenshot(page, "resources-06-skills")
