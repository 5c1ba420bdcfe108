"""Background tasks on the database queue survive their worker: a levelling run whose worker stopped is
queued again when that worker restarts and then completes; one interrupted three times, or whose worker
never comes back, is marked failed with the reason, and so is the run the page shows."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from pmo.core import tasks
from pmo.core.access import SYSTEM
from pmo.core.roles import Role
from pmo.planning import leveling
from pmo.planning import services as planning
from pmo.planning.models import LevelingRun

MONDAY = timezone.make_aware(dt.datetime(2026, 1, 5, 8))


@pytest.fixture
def queued(org, settings, django_capture_on_commit_callbacks):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    member = org["person"][Role.TEAM_MEMBER]
    for project, name in ((org["p1"], "Build"), (org["p2"], "Migration")):
        spec = planning.TaskSpec(uid=1, name=name, duration_minutes=5 * 480, assignments=((member, 1),))
        planning.plan_replace(actor=SYSTEM, project=project, tasks=[spec], start=MONDAY)
    with django_capture_on_commit_callbacks(execute=True):
        run = leveling.leveling_start(actor=SYSTEM, projects=[org["p1"], org["p2"]])
    result = DBTaskResult.objects.get()
    assert (result.status, result.task_path) == ("READY", "pmo.planning.leveling.run_leveling")
    assert LevelingRun.objects.get(pk=run.pk).status == "queued"
    return run, result


@pytest.mark.django_db(transaction=True)  # the worker closes its database connection when it stops
def test_a_task_in_flight_is_queued_again_when_its_worker_restarts(queued):
    run, result = queued
    result.claim("worker-a")  # worker-a took it, then stopped
    assert tasks.recover_worker("worker-b") == tasks.Recovered(0, 0)  # not worker-b's to touch
    assert tasks.recover_worker("worker-a") == tasks.Recovered(1, 0)
    result.refresh_from_db()
    assert result.status == "READY"
    call_command("db_worker", "--batch", "--worker-id", "worker-a", "--no-startup-delay", verbosity=0)
    result.refresh_from_db()
    assert (result.status, result.worker_ids) == ("SUCCESSFUL", ["worker-a", "worker-a"])
    assert LevelingRun.objects.get(pk=run.pk).status == "done"


def test_a_task_interrupted_three_times_fails_with_the_reason(queued):
    run, result = queued
    for _ in range(3):
        result.claim("worker-a")
    assert tasks.recover_worker("worker-a") == tasks.Recovered(0, 1)
    result.refresh_from_db()
    reason = "Interrupted 3 times (worker worker-a stopped while running it)."
    assert (result.status, result.traceback) == ("FAILED", reason)
    run.refresh_from_db()
    assert (run.status, run.message) == ("failed", reason)


def test_a_task_whose_worker_never_returns_is_failed_by_the_stale_check(queued):
    run, result = queued
    result.claim("worker-z")
    DBTaskResult.objects.filter(pk=result.pk).update(started_at=timezone.now() - dt.timedelta(hours=2))
    call_command("tasks_recover", "--stale-minutes", "60", verbosity=0)
    result.refresh_from_db()
    reason = "The worker (worker-z) stopped while running it: no progress for over 60 minutes."
    assert (result.status, result.traceback) == ("FAILED", reason)
    run.refresh_from_db()
    assert (run.status, run.message) == ("failed", reason)
