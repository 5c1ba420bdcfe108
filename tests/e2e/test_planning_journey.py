"""The planning journeys in a real browser: a project manager edits a plan in its task table, sees the
Gantt chart, is refused a loop, measures slippage against a baseline and downloads the plan for Microsoft
Project; a PMO analyst levels projects over shared people and the PMO director accepts the proposal; the
director starts a new project from a Microsoft Project file."""

import datetime as dt
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import Dialog, Locator, Page, ViewportSize, expect

from pmo.demo import DEMO_PASSWORD
from pmo.engine.calendar import WorkingCalendar
from pmo.planning import interchange, mappers, services
from pmo.planning.models import Baseline, Dependency, LevelingRun, Task
from pmo.portfolio.models import Project
from tests.e2e.screenshots import screenshot

pytestmark = pytest.mark.e2e

LAPTOP: ViewportSize = {"width": 1366, "height": 768}
MSPDI_NS = "http://schemas.microsoft.com/project"
CRITICAL_RED = "rgb(224, 87, 76)"  # .g-bar.critical in pmo.css


def sign_in(page: Page, username: str, full_name: str, role: str) -> None:
    page.context.clear_cookies()
    page.goto("/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r"/$"))
    expect(page.locator(".topbar .who a").first).to_have_text(full_name)
    expect(page.locator(".topbar .roles")).to_have_text(role)


def fact(page: Page, label: str) -> Locator:
    """The value of the fact labelled `label` on the page."""
    term = page.locator("dt", has_text=re.compile(rf"^{re.escape(label)}$"))
    return page.locator("dl.facts > div", has=term).locator("dd")


def long_date(value: dt.datetime | None) -> str:
    """A datetime as the plan summary shows it ("D d M Y H:i", local time)."""
    assert value is not None
    return timezone.localtime(value).strftime("%a %d %b %Y %H:%M")


def later(value: dt.datetime | None, working_days: int, calendar: WorkingCalendar) -> dt.datetime:
    """`value` moved `working_days` later on the plan's calendar, in local time as the engine counts."""
    local = mappers.to_local(value)
    assert local is not None
    return calendar.add_working_minutes(local, working_days * calendar.minutes_per_day)


def row_texts(row: Locator) -> list[str]:
    return [text.strip() for text in row.locator("td").all_inner_texts()]


def save_row(page: Page, uid: int, label: str, value: str) -> None:
    """Type into a cell of task `uid` and leave it: the row submits its form, the page comes back."""
    cell = page.locator(f"#task-{uid}").get_by_label(label, exact=True)
    cell.fill(value)
    with page.expect_navigation():
        cell.press("Tab")


def test_project_manager_plans_in_the_table_and_the_gantt_chart(page: Page, tmp_path: Path) -> None:
    page.set_viewport_size(LAPTOP)
    sign_in(page, "pm", "Tom Fischer", "Project manager")
    project = Project.objects.get(code="DIG-001")
    plan = services.plan_of(project)
    calendar = mappers.engine_calendar(plan.calendar)

    # From the project page to its plan.
    page.goto(f"/projects/{project.pk}/")
    page.get_by_role("link", name="Plan and Gantt chart").click()
    page.wait_for_url(re.compile(rf"/projects/{project.pk}/plan/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Plan · DIG-001 Mobile banking app 2.0")
    expect(page).to_have_title("Plan · DIG-001 · pmo")
    tasks = list(Task.objects.filter(project=project).order_by("position"))
    assert len(tasks) == 17
    expect(fact(page, "Tasks")).to_have_text("17")
    expect(page.locator("#tasks tbody tr")).to_have_count(17)
    expect(fact(page, "Scheduled finish")).to_have_text(long_date(plan.scheduled_finish))
    critical = [t for t in tasks if t.is_critical and not t.is_summary]
    expect(fact(page, "Critical tasks")).to_have_text(str(len(critical)))
    expect(page.locator(".critical-path a")).to_have_text([f"{t.uid} {t.name}" for t in critical])

    # The Gantt chart: one label per task, the critical bars in red.
    chart = page.locator("#gantt svg.gantt")
    expect(chart).to_be_visible()
    expect(chart.locator("text.g-label")).to_have_count(17)
    expect(chart.locator("text.g-label").nth(11)).to_have_text("2.7  Sprint 6")
    red_bars = chart.locator("rect.g-bar.critical")
    expect(red_bars).to_have_count(len([t for t in critical if t.duration_minutes]))
    assert red_bars.first.evaluate("bar => getComputedStyle(bar).fill") == CRITICAL_RED
    expect(red_bars.first.locator("title")).to_contain_text("critical")
    assert page.locator("#task-12").get_attribute("class") == "critical-row"
    screenshot(page, "10-plan-table-and-gantt")

    # Lengthen a critical task in the table: the row saves itself, the plan finishes five working days later.
    finish_before = plan.scheduled_finish
    sprint_6 = page.locator("#task-12")
    expect(sprint_6.get_by_label("Task name")).to_have_value("Sprint 6")
    expect(sprint_6.get_by_label("Duration", exact=True)).to_have_value("36d")
    save_row(page, 12, "Duration", "41d")
    plan.refresh_from_db()
    assert mappers.to_local(plan.scheduled_finish) == later(finish_before, 5, calendar)
    finish_day = timezone.localtime(plan.scheduled_finish).strftime("%d %b %Y")
    expect(page.locator(".message-success")).to_have_text(f"Task 12 saved; the plan now finishes {finish_day}.")
    expect(fact(page, "Scheduled finish")).to_have_text(long_date(plan.scheduled_finish))
    assert long_date(plan.scheduled_finish) != long_date(finish_before)
    expect(page.locator("#task-12").get_by_label("Duration", exact=True)).to_have_value("41d")
    sprint_6_task = Task.objects.get(project=project, uid=12)
    assert sprint_6_task.duration_minutes == 41 * 480
    expect(page.locator("#task-12 td").nth(9)).to_have_text(
        timezone.localtime(sprint_6_task.finish).strftime("%d %b %y")
    )

    # A predecessor that makes a loop is refused, naming the tasks; nothing changes.
    sprint_3 = Task.objects.get(project=project, uid=8)
    version, finish = sprint_3.version, plan.scheduled_finish
    expect(page.locator("#task-8").get_by_label("Predecessors")).to_have_value("7")
    save_row(page, 8, "Predecessors", "10")
    expect(page.locator(".message-error")).to_have_text(
        "Task 8 was not saved. Predecessors: These links make a loop: 8 Sprint 3 -> 10 Sprint 4 -> 8 Sprint 3."
    )
    expect(page.locator(".message-success")).to_have_count(0)
    expect(page.locator("#task-8").get_by_label("Predecessors")).to_have_value("7")
    expect(fact(page, "Scheduled finish")).to_have_text(long_date(finish))
    sprint_3.refresh_from_db()
    plan.refresh_from_db()
    assert sprint_3.version == version
    assert plan.scheduled_finish == finish
    assert [d.predecessor.uid for d in Dependency.objects.filter(successor=sprint_3)] == [7]

    # Capture a baseline, lengthen another task by three days and compare: the project finishes three days late.
    page.get_by_label("Baseline name").fill("Approved plan")
    page.get_by_label("Baseline note").fill("Signed off by the steering committee")
    page.get_by_role("button", name="Capture baseline").click()
    page.wait_for_url(re.compile(r"/plan/#baselines$"))
    expect(page.locator(".message-success")).to_have_text("Baseline 'Approved plan' captured.")
    # Newest first; the demo's "Performance baseline" (the PMO measures earned value against it) follows.
    baseline_rows = page.locator("#baselines tbody tr")
    expect(baseline_rows.locator("td:first-child")).to_have_text(["Approved plan", "Performance baseline"])
    baseline_row = baseline_rows.first
    expect(baseline_row.locator("td").nth(0)).to_have_text("Approved plan")
    expect(baseline_row.locator("td").nth(2)).to_have_text("pm")
    expect(baseline_row.locator("td").nth(3)).to_have_text(timezone.localtime(finish).strftime("%d %b %Y"))
    baseline = Baseline.objects.get(project=project, name="Approved plan")
    assert baseline.finish == finish and baseline.tasks.count() == 17
    expect(page.locator(".legend")).to_contain_text("baseline “Approved plan”")
    expect(page.locator("#gantt svg.gantt rect.g-baseline")).to_have_count(17)

    save_row(page, 11, "Duration", "39d")
    plan.refresh_from_db()
    assert mappers.to_local(plan.scheduled_finish) == later(finish, 3, calendar)
    compare_form = page.locator("#baselines form[method=get]")
    expect(compare_form.get_by_label("Compare")).to_have_value("")  # the current plan
    expect(compare_form.locator("select[name=reference] option:checked")).to_have_text("Approved plan")
    compare_form.get_by_role("button", name="Compare").click()
    page.wait_for_url(re.compile(r"/plan/compare/\?"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Current plan against Approved plan")
    expect(fact(page, "Project finish variance")).to_have_text("3 working days")
    expect(fact(page, "Approved plan finish")).to_have_text(timezone.localtime(finish).strftime("%d %b %Y %H:%M"))
    expect(fact(page, "Current plan finish")).to_have_text(
        timezone.localtime(plan.scheduled_finish).strftime("%d %b %Y %H:%M")
    )
    rows = page.locator("table.records tbody tr")
    expect(rows).to_have_count(17)
    sprint_5 = row_texts(rows.nth(10))
    assert sprint_5[:2] == ["11", "Sprint 5"] and sprint_5[6:] == ["0", "3", "changed"], sprint_5
    assert row_texts(rows.nth(11))[6:] == ["3", "3", "changed"]  # Sprint 6 moves with it
    assert row_texts(rows.nth(1))[6:] == ["0", "0", "same"]  # finished work does not
    expect(page.locator("strong.late")).to_have_text("3 working days")
    screenshot(page, "11-plan-baseline-comparison")

    # Download the plan for Microsoft Project: MSPDI, with the plan's tasks and the new durations.
    page.get_by_role("link", name="Back to the plan").click()
    page.wait_for_url(re.compile(r"/plan/#baselines$"))
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download MS Project XML").click()
    download = download_info.value
    assert download.suggested_filename == "DIG-001.xml"
    target = tmp_path / download.suggested_filename
    download.save_as(target)
    root = ET.parse(target).getroot()
    assert root.tag == f"{{{MSPDI_NS}}}Project"
    ns = {"p": MSPDI_NS}
    assert root.findtext("p:Title", namespaces=ns) == "Mobile banking app 2.0"
    exported = root.findall("p:Tasks/p:Task", ns)
    # Task UID 0 is Microsoft Project's project summary task, named after the project.
    assert exported[0].findtext("p:UID", namespaces=ns) == "0"
    assert exported[0].findtext("p:Name", namespaces=ns) == "Mobile banking app 2.0"
    exported = exported[1:]
    assert [t.findtext("p:Name", namespaces=ns) for t in exported] == [t.name for t in tasks]
    durations = {t.findtext("p:Name", namespaces=ns): t.findtext("p:Duration", namespaces=ns) for t in exported}
    assert durations["Sprint 5"] == "PT312H0M0S" and durations["Sprint 6"] == "PT328H0M0S"
    assert len(root.findall("p:Resources/p:Resource", ns)) >= 2


def test_analyst_levels_projects_and_the_director_accepts(page: Page) -> None:
    page.set_viewport_size(LAPTOP)
    sign_in(page, "analyst", "Priya Natarajan", "PMO analyst")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Portfolios").click()
    page.get_by_role("link", name="Digital Transformation").click()
    page.wait_for_url(re.compile(r"/portfolios/\d+/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Digital Transformation")
    portfolio_url = page.url

    # Tick three projects that share people, in fast mode. The analyst may not create projects here.
    section = page.locator("#leveling")
    expect(section.get_by_role("heading", level=2)).to_have_text("Level projects over shared people")
    expect(page.locator("#import-project")).to_have_count(0)
    for box in section.get_by_role("checkbox").all():
        box.uncheck()
    chosen = ["DIG-001", "DIG-002", "DIG-003"]
    for code in chosen:
        section.get_by_role("checkbox", name=re.compile(rf"^{code} ")).check()
    section.get_by_role("combobox", name="Mode").select_option(label="Fast (seconds)")
    runs_before = LevelingRun.objects.count()
    section.get_by_role("button", name="Level the selected projects").click()
    page.wait_for_url(re.compile(r"/leveling/\d+/$"))
    assert LevelingRun.objects.count() == runs_before + 1
    run = LevelingRun.objects.latest("pk")
    assert sorted(run.projects.values_list("code", flat=True)) == chosen
    assert run.status == LevelingRun.Status.DONE, run.message
    run_url = page.url

    expect(page.get_by_role("heading", level=1)).to_have_text("Levelling 3 projects over shared people")
    expect(page.locator("#run-status")).to_have_text("Ready to review")
    expect(fact(page, "Mode")).to_have_text("Fast (heuristic, seconds)")
    expect(fact(page, "Started by")).to_contain_text("Priya Natarajan")
    expect(fact(page, "Projects")).to_have_text("DIG-001, DIG-002, DIG-003")
    expect(page.get_by_role("heading", name="What levelling does to each project")).to_be_visible()
    effect = page.locator("section", has=page.get_by_role("heading", name="What levelling does to each project"))
    rows = effect.locator("tbody tr")
    expect(rows).to_have_count(3)
    held_back = []
    for index, proposal in enumerate(run.result["projects"]):
        cells = row_texts(rows.nth(index))
        assert cells == [
            f"{proposal['code']} {proposal['name']}",
            dt.datetime.fromisoformat(proposal["finish_before"]).strftime("%d %b %Y"),
            dt.datetime.fromisoformat(proposal["finish_after"]).strftime("%d %b %Y"),
            str(proposal["moved_days"]),
            str(proposal["delayed_tasks"]),
            proposal["bottleneck"] or "—",
        ], cells
        if proposal["bottleneck"]:
            held_back.append(proposal["code"])
    assert held_back, "no project is held back by anyone"
    expect(rows.nth(0).locator("td").nth(5)).to_have_text("Jonas Weber")  # DIG-001's developer is shared
    moving = run.result["tasks"]
    expect(page.locator("h2", has_text="Tasks that move").locator(".count")).to_have_text(str(len(moving)))
    # The analyst reviews but cannot change the plans.
    expect(page.get_by_role("button", name="Accept and update the plans")).to_have_count(0)
    screenshot(page, "12-leveling-run")

    # The director opens the same run and accepts it.
    sign_in(page, "director", "Margaret Osei", "PMO director")
    page.goto(run_url)
    accept = page.get_by_role("button", name="Accept and update the plans")
    expect(accept).to_be_visible()
    dialogs: list[str] = []

    def confirm(dialog: Dialog) -> None:
        dialogs.append(dialog.message)
        dialog.accept()

    page.once("dialog", confirm)
    with page.expect_navigation():
        accept.click()
    assert dialogs == ["Apply the levelled start dates to the plans?"]
    expect(page.locator(".message-success")).to_have_text(
        f"Accepted: {len(moving)} tasks now start no earlier than their levelled dates."
    )
    expect(page.locator("#run-status")).to_have_text("Accepted")
    expect(page.get_by_role("button", name="Accept and update the plans")).to_have_count(0)
    run.refresh_from_db()
    assert run.status == LevelingRun.Status.ACCEPTED

    # The most delayed task now carries a "start no earlier than" constraint at its levelled start.
    move = max(moving, key=lambda m: m["moved_days"])
    task = Task.objects.get(pk=move["task_id"])
    assert task.constraint_type == Task.ConstraintType.SNET
    assert mappers.to_local(task.constraint_date) == dt.datetime.fromisoformat(move["new_start"])
    start = mappers.to_local(task.start)
    assert start is not None and start >= dt.datetime.fromisoformat(move["new_start"])
    assert Task.objects.filter(project__code__in=chosen, constraint_type="SNET").count() == len(moving)

    # The plan page shows it.
    page.goto(f"/projects/{task.project_id}/plan/")
    row = page.locator(f"#task-{task.uid}")
    expect(row.get_by_label("Constraint", exact=True)).to_have_value("SNET")
    expect(row.get_by_label("Constraint date")).to_have_value(move["new_start"][:10])
    page.goto(portfolio_url)
    expect(page.locator("#leveling p.small")).to_contain_text(f"#{run.pk} accepted")


def test_director_creates_a_project_from_a_microsoft_project_file(page: Page, tmp_path: Path) -> None:
    source = Project.objects.get(code="DIG-002")
    source_tasks = list(Task.objects.filter(project=source).order_by("position").values_list("name", flat=True))
    file = tmp_path / "self-service-phase-2.xml"
    file.write_bytes(interchange.export_mspdi(source))
    projects_before = Project.objects.count()

    page.set_viewport_size(LAPTOP)
    sign_in(page, "director", "Margaret Osei", "PMO director")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Portfolios").click()
    page.get_by_role("link", name="Digital Transformation").click()
    page.wait_for_url(re.compile(r"/portfolios/\d+/$"))
    section = page.locator("#import-project")
    expect(section.get_by_role("heading", level=2)).to_have_text(
        "New project from a Microsoft Project or Primavera file"
    )
    section.get_by_label("New project code").fill("DIG-050")
    section.get_by_label("New project name").fill("Self-service portal phase 2")
    section.get_by_label("Project file").set_input_files(file)
    section.get_by_role("button", name="Create project").click()
    page.wait_for_url(re.compile(r"/projects/\d+/plan/$"))

    project = Project.objects.get(code="DIG-050")
    assert Project.objects.count() == projects_before + 1
    links = Dependency.objects.filter(successor__project=project).count()
    assert links == Dependency.objects.filter(successor__project=source).count()
    expect(page.locator(".message-success")).to_have_text(
        f"Created DIG-050 Self-service portal phase 2 with {len(source_tasks)} tasks and {links} links "
        "from self-service-phase-2.xml."
    )
    expect(page.get_by_role("heading", level=1)).to_have_text("Plan · DIG-050 Self-service portal phase 2")
    expect(page.locator("#tasks tbody tr")).to_have_count(len(source_tasks))
    names = page.locator("#tasks tbody tr").get_by_label("Task name")
    assert names.evaluate_all("inputs => inputs.map(i => i.value)") == source_tasks
    expect(page.locator("#gantt svg.gantt")).to_be_visible()
    assert project.portfolio.name == "Digital Transformation"
    assert project.manager is not None and project.manager.name == "Margaret Osei"
    imported = Task.objects.filter(project=project).order_by("position").values_list("name", flat=True)
    assert list(imported) == source_tasks
    plan = services.plan_of(project)
    assert plan.scheduled_finish is not None
    assert project.planned_finish == timezone.localdate(plan.scheduled_finish)
    expect(fact(page, "Scheduled finish")).to_have_text(long_date(plan.scheduled_finish))
