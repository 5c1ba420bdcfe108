"""The charter journey in a real browser: the project manager of DIG-004 produces the charter from the PMO's
template (filled with the project's data), edits it and submits it; the sponsor, Robert Hale, signs in, finds it
waiting for his approval on the project page and approves it; an earlier version is downloaded."""

import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, ViewportSize, expect

from pmo.documents.models import Document
from pmo.portfolio.models import Project
from tests.e2e.screenshots import screenshot
from tests.e2e.test_changes_journey import sign_in

pytestmark = pytest.mark.e2e

LAPTOP: ViewportSize = {"width": 1366, "height": 768}
SCOPE = "In scope:\n- Answers to the 40 most frequent questions\n- Hand-over to an agent with the chat history"


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> Path:
    """Uploaded and demo files go to a temporary folder, not the checkout's var/media."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def test_the_charter_is_produced_edited_submitted_approved_and_an_earlier_version_downloaded(page: Page) -> None:
    page.set_viewport_size(LAPTOP)
    project = Project.objects.get(code="DIG-004")
    assert project.sponsor.name == "Robert Hale"
    assert not Document.objects.filter(project=project, kind="charter").exists()

    # 1. The project manager opens the charter from the project page and produces it from the template.
    sign_in(page, "pm", "Tom Fischer", "Project manager")
    page.goto(f"/projects/{project.pk}/")
    panel = page.locator(".documents-panel")
    expect(panel).to_contain_text("Charter: not produced yet")
    panel.get_by_role("link", name="Charter…").click()
    expect(page.locator("nav.tabs a.active")).to_have_text("Charter")
    expect(page.locator("pre.doc-text")).to_contain_text("Project charter — DIG-004 Chatbot for first-line support")
    expect(page.locator("pre.doc-text")).to_contain_text("Sponsor: Robert Hale · Project manager: Tom Fischer")
    screenshot(page, "documents-01-charter-preview")
    page.get_by_role("button", name="Produce the charter from the template").click()
    expect(page.locator(".message-success")).to_contain_text("The charter is drafted from the template")
    expect(page.locator(".doc-title h2")).to_contain_text("Project charter")
    expect(page.locator(".doc-title .doc-status")).to_have_text("Draft")

    # 2. ... edits it: each save is a new version.
    editor = page.locator("#id_edit-text")
    expect(editor).to_be_visible()
    text = editor.input_value()
    assert "In scope:\n- …" in text
    editor.fill(text.replace("In scope:\n- …", SCOPE))
    page.get_by_label("What changed").first.fill("Scope from the kick-off")
    screenshot(page, "documents-02-charter-edit")
    page.get_by_role("button", name="Save as version 2").click()
    expect(page.locator(".message-success")).to_have_text("Version 2 saved.")
    expect(page.locator("#versions tbody tr")).to_have_count(2)

    # 3. ... and submits it to the sponsor.
    expect(page.locator("#submit")).to_contain_text("The charter goes to the project's sponsor, Robert Hale")
    page.get_by_role("button", name="Submit for approval").click()
    expect(page.locator(".message-success")).to_contain_text("Submitted")
    expect(page.locator(".doc-title .doc-status")).to_have_text("In review")
    expect(page.locator(".doc-note")).to_contain_text("Robert Hale pending")
    expect(page.locator("#decide")).to_have_count(0)
    screenshot(page, "documents-03-charter-in-review")

    # 4. The sponsor signs in, finds it waiting on the project page and approves it.
    sign_in(page, "exec", "Robert Hale", "Executive")
    page.goto(f"/projects/{project.pk}/")
    page.locator(".documents-panel").get_by_role("link", name="waiting for your approval").click()
    decide = page.locator("#decide")
    expect(decide).to_contain_text("Your decision on version 2")
    expect(page.locator("pre.doc-text").first).to_contain_text("Hand-over to an agent with the chat history")
    decide.get_by_label("Comment").fill("Approved: keep the pilot to the 40 questions.")
    screenshot(page, "documents-04-sponsor-decides")
    decide.get_by_role("button", name="Approve version 2").click()
    expect(page.locator(".message-success")).to_have_text("Approved.")
    expect(page.locator(".doc-title .doc-status")).to_have_text("Approved")
    expect(page.locator("#approvals tbody tr").first).to_contain_text("Approved: keep the pilot to the 40 questions.")
    project.refresh_from_db()
    assert SCOPE in project.charter
    screenshot(page, "documents-05-approved")

    # 5. ... and downloads the first version, as the template produced it.
    row = page.locator("#versions tbody tr", has_text=re.compile(r"^\s*v1\b"))
    with page.expect_download() as info:
        row.get_by_role("link", name="Download").click()
    download = info.value
    assert download.suggested_filename == "DIG-004-Project-charter-v1.md"
    content = Path(download.path()).read_text()
    assert content.startswith("Project charter — DIG-004 Chatbot for first-line support\n")
    assert "In scope:\n- …" in content

    # The project page now shows the charter approved.
    page.goto(f"/projects/{project.pk}/")
    expect(page.locator(".documents-panel")).to_contain_text("v2 approved")
    screenshot(page, "documents-06-project-panel")
