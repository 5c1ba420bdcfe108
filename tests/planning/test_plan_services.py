"""Plans through their services: tasks with predecessors scheduled on the project calendar, edits that
would break the plan refused with nothing written, WBS moves, baselines and their comparison."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from pmo.core import audit
from pmo.core.errors import ValidationFailed
from pmo.core.roles import Role
from pmo.planning import selectors, services
from pmo.planning.models import CalendarException, Dependency, Task


def local(value):
    return timezone.localtime(value).strftime("%a %Y-%m-%d %H:%M")


@pytest.fixture
def plan(roles, org):
    """P1 starts Monday 5 January 2026: A (3d) -> B (2d), A -> C (1d), B and C -> M (milestone)."""
    pm = roles[Role.PROJECT_MANAGER]
    project = org["p1"]
    a = services.task_create(actor=pm, project=project, name="Design", duration_minutes=3 * 480)
    b = services.task_create(actor=pm, project=project, name="Build", duration_minutes=2 * 480, predecessors="1")
    c = services.task_create(actor=pm, project=project, name="Docs", duration_minutes=480, predecessors="1")
    m = services.task_create(actor=pm, project=project, name="Go-live", duration_minutes=0, predecessors="2, 3")
    return {"project": project, "pm": pm, "a": a, "b": b, "c": c, "m": m}


def fresh(task):
    return Task.objects.get(pk=task.pk)


def test_tasks_are_scheduled_with_critical_path_and_float(plan):
    a, b, c, m = (fresh(plan[k]) for k in "abcm")
    assert (local(a.start), local(a.finish)) == ("Mon 2026-01-05 08:00", "Wed 2026-01-07 17:00")
    assert (local(b.start), local(b.finish)) == ("Thu 2026-01-08 08:00", "Fri 2026-01-09 17:00")
    assert (local(c.start), local(c.finish)) == ("Thu 2026-01-08 08:00", "Thu 2026-01-08 17:00")
    assert local(m.finish) == "Fri 2026-01-09 17:00"
    assert [t.is_critical for t in (a, b, c, m)] == [True, True, False, True]
    assert (c.total_float_minutes, c.free_float_minutes) == (480, 480)
    assert local(services.plan_of(plan["project"]).scheduled_finish) == "Fri 2026-01-09 17:00"


def test_lag_and_link_type_from_the_text_form(plan):
    services.task_update(actor=plan["pm"], task=plan["c"], predecessors="2SS+1d")
    c = fresh(plan["c"])
    assert local(c.start) == "Fri 2026-01-09 08:00"
    assert selectors.task_rows(plan["project"])[2].predecessors == "2SS+1d"


def test_holiday_on_the_project_calendar_moves_the_dates(plan):
    calendar = services.plan_of(plan["project"]).calendar
    CalendarException.objects.create(
        calendar=calendar, name="Staff day", start=dt.date(2026, 1, 6), finish=dt.date(2026, 1, 6)
    )
    services.plan_schedule(project=plan["project"])
    assert local(fresh(plan["a"]).finish) == "Thu 2026-01-08 17:00"
    assert local(fresh(plan["m"]).finish) == "Mon 2026-01-12 17:00"


def test_a_cycle_is_refused_naming_the_tasks_and_nothing_changes(plan):
    links_before = list(Dependency.objects.values_list("predecessor_id", "successor_id", "type", "lag_minutes"))
    with pytest.raises(ValidationFailed) as error:
        services.task_update(actor=plan["pm"], task=plan["a"], predecessors="4", name="Design v2")
    assert error.value.fields == {
        "predecessors": ["These links make a loop: 1 Design v2 -> 2 Build -> 4 Go-live -> 1 Design v2."]
    }
    assert fresh(plan["a"]).name == "Design"
    assert list(Dependency.objects.values_list("predecessor_id", "successor_id", "type", "lag_minutes")) == links_before


def test_unknown_predecessor_and_bad_text_name_the_field(plan):
    with pytest.raises(ValidationFailed) as error:
        services.task_update(actor=plan["pm"], task=plan["b"], predecessors="1, 99")
    assert error.value.fields == {"predecessors": ["No task number 99 in this plan."]}
    with pytest.raises(ValidationFailed) as error:
        services.task_update(actor=plan["pm"], task=plan["b"], predecessors="1XX")
    assert error.value.fields["predecessors"][0].startswith("predecessor '1XX' is not understood")


def test_indent_makes_a_summary_and_outdent_undoes_it(plan):
    pm = plan["pm"]
    with pytest.raises(ValidationFailed) as error:
        services.task_indent(actor=pm, task=plan["b"])
    assert error.value.fields == {
        "parent": ["Task 2 Build is linked to 1 Design, which would become its summary task. Remove that link first."]
    }
    services.task_update(actor=pm, task=plan["b"], predecessors="")
    services.task_update(actor=pm, task=plan["c"], predecessors="")
    services.task_indent(actor=pm, task=fresh(plan["b"]))
    services.task_indent(actor=pm, task=fresh(plan["c"]))
    rows = selectors.task_rows(plan["project"])
    assert [(r.wbs, r.task.name, r.level) for r in rows] == [
        ("1", "Design", 0),
        ("1.1", "Build", 1),
        ("1.2", "Docs", 1),
        ("2", "Go-live", 0),
    ]
    summary = fresh(plan["a"])
    assert summary.is_summary is True
    services.task_outdent(actor=pm, task=fresh(plan["b"]))
    rows = selectors.task_rows(plan["project"])
    assert [(r.wbs, r.task.name) for r in rows] == [
        ("1", "Design"),
        ("2", "Build"),
        ("2.1", "Docs"),
        ("3", "Go-live"),
    ]


def test_insert_after_and_delete_keep_the_outline_contiguous(plan):
    pm = plan["pm"]
    services.task_create(actor=pm, project=plan["project"], name="Review", after=plan["a"], duration_minutes=240)
    assert [t.name for t in Task.objects.filter(project=plan["project"]).order_by("position")] == [
        "Design",
        "Review",
        "Build",
        "Docs",
        "Go-live",
    ]
    services.task_delete(actor=pm, task=fresh(plan["b"]))
    tasks = list(Task.objects.filter(project=plan["project"]).order_by("position").values_list("position", "name"))
    assert tasks == [(1, "Design"), (2, "Review"), (3, "Docs"), (4, "Go-live")]
    assert selectors.task_rows(plan["project"])[3].predecessors == "3"


def test_edits_are_audited_with_predecessors_and_assignments(plan, org):
    person = org["person"][Role.TEAM_MEMBER]
    services.task_update(
        actor=plan["pm"],
        task=plan["b"],
        duration_minutes=960,
        predecessors="1FS+1d",
        assignments=[(person, Decimal("0.5"))],
    )
    event = audit.history_of(fresh(plan["b"])).first()
    assert event.changes == {
        "assignees": {"old": [], "new": ["Member (0.5)"]},
        "predecessors": {"old": ["1"], "new": ["1FS+1d"]},
    }


def test_other_project_managers_and_executives_cannot_edit(plan, roles, org):
    with pytest.raises(PermissionDenied):
        services.task_update(actor=org["other_pm"], task=plan["a"], name="Mine")
    with pytest.raises(PermissionDenied):
        services.task_create(actor=roles[Role.EXECUTIVE], project=plan["project"], name="x")
    assert Task.objects.filter(project=plan["project"]).count() == 4


def test_baseline_and_variance_against_the_current_plan(plan):
    baseline = services.baseline_capture(actor=plan["pm"], project=plan["project"], name="Approved")
    services.task_update(actor=plan["pm"], task=plan["b"], duration_minutes=4 * 480)
    comparison = selectors.compare(plan["project"], baseline)
    by_uid = {r.uid: r for r in comparison.rows}
    assert comparison.finish_variance_days == 2.0
    assert (by_uid[2].finish_variance_days, by_uid[2].status) == (2.0, "changed")
    assert (by_uid[3].finish_variance_days, by_uid[3].status) == (0.0, "same")
    with pytest.raises(ValidationFailed) as error:
        services.baseline_capture(actor=plan["pm"], project=plan["project"], name="Approved")
    assert error.value.fields == {"name": ["This project already has a baseline named 'Approved'."]}


def test_three_point_estimates_are_set_all_or_none(plan, roles):
    """Design (3 days most likely) gets 2..5 days and Build (2 days) 2..4; an estimate that does not
    bracket the duration, or names an unknown task, saves nothing and names the task."""
    pm, project = plan["pm"], plan["project"]
    a, b = plan["a"], plan["b"]
    with pytest.raises(ValidationFailed) as error:
        services.task_estimates_set(
            actor=pm, project=project, estimates={a.uid: (2 * 480, 5 * 480), b.uid: (3 * 480, 4 * 480), 99: (0, 1)}
        )
    assert error.value.details == {
        "fields": {
            f"task {b.uid}": ["Build: The optimistic duration cannot be longer than the duration (the most likely)."],
            "task 99": ["No such task in this project."],
        }
    }
    assert fresh(a).optimistic_minutes is None
    with pytest.raises(PermissionDenied):
        services.task_estimates_set(actor=roles[Role.EXECUTIVE], project=project, estimates={a.uid: (480, 5 * 480)})
    assert fresh(a).optimistic_minutes is None
    changed = services.task_estimates_set(
        actor=pm, project=project, estimates={a.uid: (2 * 480, 5 * 480), b.uid: (None, 4 * 480)}
    )
    assert [t.uid for t in changed] == [a.uid, b.uid]
    assert (fresh(a).optimistic_minutes, fresh(a).pessimistic_minutes) == (960, 2400)
    assert (fresh(b).optimistic_minutes, fresh(b).pessimistic_minutes) == (None, 1920)
    assert audit.history_of(fresh(a))[0].changes["pessimistic_minutes"] == {"old": None, "new": 2400}
    services.task_update(actor=pm, task=fresh(a), duration_minutes=6 * 480)  # twice as long: so is the range
    assert (fresh(a).optimistic_minutes, fresh(a).pessimistic_minutes) == (1920, 4800)
    with pytest.raises(ValidationFailed) as error:  # the single-task edit checks the same rule
        services.task_update(actor=pm, task=fresh(b), pessimistic_minutes=480)
    assert error.value.details == {
        "fields": {
            "pessimistic_minutes": ["The pessimistic duration cannot be shorter than the duration (the most likely)."]
        }
    }
