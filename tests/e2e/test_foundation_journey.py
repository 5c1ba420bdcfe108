"""The foundation journey in a real browser: a project manager finds, creates and audits a project;
the create form shows its errors where they belong; an executive reads but cannot change."""

import re
from typing import Any

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import Locator, Page, expect

from pmo.core.models import AuditEvent
from pmo.demo import DEMO_PASSWORD
from pmo.portfolio.models import Project
from tests.e2e.screenshots import screenshot

pytestmark = pytest.mark.e2e

DEMO_PROJECT_COUNT = 41  # 40 projects plus DIG-030, approved from a proposal
NEW_CODE = "DIG-099"
NEW_NAME = "Customer feedback hub"


def sign_in(page: Page, username: str, full_name: str, role: str) -> None:
    page.goto("/login/")
    expect(page).to_have_title("Sign in · pmo")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r"/$"))
    expect(page.locator(".topbar .who a").first).to_have_text(full_name)
    expect(page.locator(".topbar .roles")).to_have_text(role)
    assert_styled(page)


def assert_styled(page: Page) -> None:
    """pmo.css reached the browser: the page background is the stylesheet's, not the browser's white."""
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert background == "rgb(245, 247, 250)", f"pmo.css not applied (body background {background})"


def table_rows(page: Page) -> Locator:
    return page.locator("table.records tbody tr")


def codes_in_table(page: Page) -> list[str]:
    return [text.strip() for text in table_rows(page).locator("td:first-child").all_inner_texts()]


def field(page: Page, name: str) -> Locator:
    """The form field block (label, input, errors) of the input named `name`."""
    return page.locator(".form .field").filter(has=page.locator(f"[name='{name}']"))


def fact(page: Page, label: str) -> Locator:
    """The value of the fact labelled `label` on a detail page."""
    term = page.locator("dt", has_text=re.compile(rf"^{re.escape(label)}$"))
    return page.locator("dl.facts > div", has=term).locator("dd")


def test_project_manager_finds_creates_and_audits_a_project(page: Page) -> None:
    sign_in(page, "pm", "Tom Fischer", "Project manager")

    # The list, all projects, sorted by code.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Projects").click()
    page.wait_for_url(re.compile(r"/projects/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Projects")
    expect(page.locator(".pager span").first).to_have_text(f"1–25 of {DEMO_PROJECT_COUNT}")
    expect(table_rows(page)).to_have_count(25)
    assert codes_in_table(page)[:3] == ["DIG-001", "DIG-002", "DIG-003"]
    expect(page.get_by_role("link", name="New project")).to_be_visible()

    # Search.
    page.get_by_role("searchbox").fill("Mobile")
    page.get_by_role("button", name="Filter").click()
    page.wait_for_url(re.compile(r"[?&]q=Mobile"))
    expect(table_rows(page)).to_have_count(1)
    expect(table_rows(page).first.locator("td").nth(0)).to_have_text("DIG-001")
    expect(table_rows(page).first.locator("td").nth(1)).to_have_text("Mobile banking app 2.0")
    expect(page.locator(".pager span").first).to_have_text("1–1 of 1")

    # Filter: a dropdown applies as soon as it changes (and keeps the search).
    page.get_by_role("link", name="Clear").click()
    page.wait_for_url(re.compile(r"/projects/\?$"))
    expect(page.locator(".pager span").first).to_have_text(f"1–25 of {DEMO_PROJECT_COUNT}")
    page.get_by_label("Portfolio").select_option(label="Regulatory & Risk")
    page.wait_for_url(re.compile(r"portfolio=\d+"))
    expect(page.locator(".pager span").first).to_have_text("1–11 of 11")
    assert codes_in_table(page) == [f"REG-{n:03d}" for n in range(1, 12)]
    page.get_by_label("State").select_option(label="Executing")
    page.wait_for_url(re.compile(r"state=executing"))
    assert codes_in_table(page) == ["REG-001", "REG-002", "REG-006", "REG-009"]
    expect(page.get_by_label("Portfolio")).to_have_value(re.compile(r"\d+"))
    screenshot(page, "01-project-list-filtered")
    page.get_by_role("link", name="Clear").click()
    screenshot(page, "02-project-list")

    # Create.
    page.get_by_role("link", name="New project").click()
    page.wait_for_url(re.compile(r"/projects/new/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("New project")
    expect(page.locator("#id_manager option:checked")).to_have_text("Tom Fischer")  # the signed-in manager
    page.get_by_label("Code").fill(NEW_CODE)
    page.get_by_label("Name").fill(NEW_NAME)
    page.get_by_label("Portfolio").select_option(label="Digital Transformation")
    page.get_by_label("Program").select_option(label="Customer Experience")
    page.get_by_role("button", name="Create project").click()
    page.wait_for_url(re.compile(r"/projects/\d+/$"))

    expect(page.locator(".message-success")).to_have_text(f"Project {NEW_CODE} {NEW_NAME} created.")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"{NEW_CODE} {NEW_NAME}")
    expect(fact(page, "Code")).to_have_text(NEW_CODE)
    expect(fact(page, "Portfolio")).to_have_text("Digital Transformation")
    expect(fact(page, "Program")).to_have_text("Customer Experience")
    expect(fact(page, "Manager")).to_have_text("Tom Fischer")
    expect(fact(page, "Methodology")).to_have_text("Waterfall")
    expect(page.locator(".lifecycle li.current")).to_have_text("Proposed")
    expect(page.get_by_role("link", name="Edit")).to_be_visible()
    assert_styled(page)
    screenshot(page, "03-project-detail")

    project = Project.objects.get(code=NEW_CODE)
    assert project.name == NEW_NAME
    assert project.state == "proposed"
    assert project.portfolio.name == "Digital Transformation"
    assert project.program is not None and project.program.name == "Customer Experience"
    assert project.manager is not None and project.manager.name == "Tom Fischer"
    detail_url = page.url

    # Back in the list, it is there.
    page.get_by_role("link", name="Projects").first.click()
    page.wait_for_url(re.compile(r"/projects/$"))
    expect(page.locator(".pager span").first).to_have_text(f"1–25 of {DEMO_PROJECT_COUNT + 1}")
    row = table_rows(page).filter(has=page.get_by_role("link", name=NEW_CODE, exact=True))
    expect(row).to_have_count(1)
    expect(row.locator("td").nth(1)).to_have_text(NEW_NAME)
    expect(row.locator("td").nth(2)).to_have_text("Digital Transformation")
    expect(row.locator("td").nth(3)).to_have_text("Tom Fischer")
    expect(row.locator("td").nth(4)).to_have_text("Proposed")

    # Its history records the creation, by whom and with what.
    row.get_by_role("link", name=NEW_CODE, exact=True).click()
    page.wait_for_url(detail_url)
    page.get_by_role("link", name="History", exact=True).click()
    page.wait_for_url(re.compile(r"/projects/\d+/history/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(f"History of {NEW_CODE} {NEW_NAME}")
    events = page.locator("ol.history > li")
    expect(events).to_have_count(1)
    expect(events.first.locator(".event-head")).to_contain_text("Created by pm")
    changes = {
        cells[0]: (cells[1], cells[2])
        for cells in (
            [c.strip() for c in r.locator("td").all_inner_texts()]
            for r in events.first.locator("table.changes tbody tr").all()
        )
    }
    assert changes["Code"] == ("—", NEW_CODE)
    assert changes["Name"] == ("—", NEW_NAME)
    assert changes["Portfolio"] == ("—", "Digital Transformation")
    assert changes["Program"] == ("—", "Customer Experience")
    assert changes["Manager"] == ("—", "Tom Fischer")
    assert changes["State"] == ("—", "Proposed")
    assert_styled(page)
    screenshot(page, "04-project-history")

    event = AuditEvent.objects.get(object_id=str(project.pk), content_type__model="project")
    assert (event.action, event.actor_name) == ("create", "pm")


def test_create_form_shows_field_errors_and_creates_nothing(page: Page) -> None:
    sign_in(page, "pm", "Tom Fischer", "Project manager")
    projects_before = Project.objects.count()
    events_before = AuditEvent.objects.count()

    page.goto("/projects/new/")
    page.get_by_label("Code").fill("dig 099!")
    page.get_by_label("Portfolio").select_option(label="Digital Transformation")
    page.get_by_role("button", name="Create project").click()
    page.wait_for_load_state()

    expect(page).to_have_url(re.compile(r"/projects/new/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("New project")
    expect(field(page, "code")).to_have_class(re.compile(r"\bhas-error\b"))
    expect(field(page, "code").locator("p.error")).to_have_text(
        "Use capital letters, digits, '.', '_' or '-', starting with a letter or digit."
    )
    expect(field(page, "name")).to_have_class(re.compile(r"\bhas-error\b"))
    expect(field(page, "name").locator("p.error")).to_have_text("This field is required.")
    expect(page.locator("p.error")).to_have_count(2)  # no other field complains
    # What was typed is kept.
    expect(page.get_by_label("Code")).to_have_value("dig 099!")
    expect(page.locator("#id_portfolio option:checked")).to_have_text("Digital Transformation")
    expect(page.locator(".message-success")).to_have_count(0)
    assert_styled(page)
    screenshot(page, "05-project-create-errors")

    assert Project.objects.count() == projects_before == DEMO_PROJECT_COUNT
    assert AuditEvent.objects.count() == events_before


def test_executive_reads_but_cannot_change(page: Page) -> None:
    sign_in(page, "exec", "Robert Hale", "Executive")
    project = Project.objects.get(code="DIG-001")
    version, name = project.version, project.name
    events_before = AuditEvent.objects.count()

    page.goto("/projects/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Projects")
    expect(page.locator(".pager span").first).to_have_text(f"1–25 of {DEMO_PROJECT_COUNT}")
    expect(page.get_by_role("link", name="New project")).to_have_count(0)

    page.get_by_role("link", name="DIG-001", exact=True).click()
    page.wait_for_url(re.compile(rf"/projects/{project.pk}/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("DIG-001 Mobile banking app 2.0")
    actions = page.locator(".page-head .actions")
    expect(actions.get_by_role("link", name="History", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="Edit")).to_have_count(0)
    expect(page.get_by_role("button", name="Delete")).to_have_count(0)
    expect(page.locator("form.transition-form")).to_have_count(0)
    screenshot(page, "06-project-detail-executive")

    # The edit page itself is refused...
    response = page.goto(f"/projects/{project.pk}/edit/")
    assert response is not None and response.status == 403
    expect(page.get_by_role("heading", level=1)).to_have_text("Not allowed")
    expect(page.locator(".empty p")).to_have_text(
        "You are not allowed to change project DIG-001 Mobile banking app 2.0."
    )

    # ... and so is a forged POST carrying a valid CSRF token, sent from the page like a form would be.
    page.goto(f"/projects/{project.pk}/")
    token = page.locator("input[name=csrfmiddlewaretoken]").first.get_attribute("value")
    assert token
    form: dict[str, Any] = {
        "csrfmiddlewaretoken": token,
        "version": str(version),
        "code": "DIG-001",
        "name": "Renamed by the executive",
        "portfolio": str(project.portfolio_id),
        "methodology": project.methodology,
        "budget": "1",
        "currency": "EUR",
        "priority": str(project.priority),
        "health": "green",
    }
    result = page.evaluate(
        """async ([url, fields]) => {
            const body = new URLSearchParams(fields);
            const options = {method: "POST", body, credentials: "same-origin", redirect: "manual"};
            const response = await fetch(url, options);
            return {status: response.status, text: await response.text()};
        }""",
        [f"/projects/{project.pk}/edit/", form],
    )
    assert result["status"] == 403, result["text"][:500]
    assert "You are not allowed to change project DIG-001 Mobile banking app 2.0." in result["text"]
    assert "CSRF" not in result["text"]  # refused for the role, not for a missing token

    # The same request through Playwright's API client (shares the browser's cookies) is refused too.
    api_response = page.request.post(
        f"/projects/{project.pk}/edit/", form=form, headers={"X-CSRFToken": token}, max_redirects=0
    )
    assert api_response.status == 403

    project.refresh_from_db()
    assert (project.name, project.version) == (name, version)
    assert AuditEvent.objects.count() == events_before
    assert not User.objects.get(username="exec").has_perm("portfolio.change_project")
