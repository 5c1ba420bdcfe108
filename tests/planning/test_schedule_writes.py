"""Re-scheduling writes only the task rows whose computed dates changed (bench/load found the bulk update of
every row dominating the plan page's first visit and every edit)."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from pmo.core.roles import Role
from pmo.planning import services
from pmo.planning.models import Task


def _task_updates(queries):
    return [q["sql"] for q in queries if q["sql"].startswith('UPDATE "planning_task"')]


def test_rescheduling_an_unchanged_plan_writes_no_task(roles, org):
    pm = roles[Role.PROJECT_MANAGER]
    project = org["p1"]
    services.task_create(actor=pm, project=project, name="Design", duration_minutes=3 * 480)
    services.task_create(actor=pm, project=project, name="Build", duration_minutes=2 * 480, predecessors="1")
    before = list(Task.objects.filter(project=project).order_by("uid").values_list("uid", "start", "finish"))

    with CaptureQueriesContext(connection) as captured:
        services.plan_schedule(project=project)

    assert _task_updates(captured.captured_queries) == []
    after = list(Task.objects.filter(project=project).order_by("uid").values_list("uid", "start", "finish"))
    assert after == before


def test_a_changed_duration_writes_the_moved_tasks_only(roles, org):
    pm = roles[Role.PROJECT_MANAGER]
    project = org["p1"]
    design = services.task_create(actor=pm, project=project, name="Design", duration_minutes=3 * 480)
    build = services.task_create(actor=pm, project=project, name="Build", duration_minutes=2 * 480, predecessors="1")
    docs = services.task_create(actor=pm, project=project, name="Docs", duration_minutes=480)
    Task.objects.filter(pk=build.pk).update(duration_minutes=4 * 480)

    with CaptureQueriesContext(connection) as captured:
        services.plan_schedule(project=project)

    updates = _task_updates(captured.captured_queries)
    assert len(updates) == 1
    # Build moved, and Docs' late dates and float with the project finish; Design is untouched.
    ids = updates[0].rsplit("IN (", 1)[1].split(")")[0]
    assert sorted(int(i) for i in ids.split(",")) == sorted([build.pk, docs.pk])
    assert design.pk not in (build.pk, docs.pk)
    build = Task.objects.get(pk=build.pk)
    assert build.finish - build.start > Task.objects.get(pk=design.pk).finish - Task.objects.get(pk=design.pk).start
