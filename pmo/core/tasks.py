"""Background work that survives its worker: when tasks run on separate worker processes
(TASKS_BACKEND=database, `pmo worker`), a task in flight when its worker stopped is never lost silently.

* A worker that restarts under the same id (`pmo worker --worker-id NAME`) puts the tasks it was running
  back in the queue: they run again from the start (every pmo task can: each recomputes its result).
  A task interrupted `MAX_ATTEMPTS` times is marked failed instead.
* `pmo manage tasks_recover --stale-minutes N` (for a worker that never comes back) marks tasks running
  for longer than N minutes failed, with the reason.

A failed task also marks what it was working on (a levelling run, a risk analysis, a selection scenario)
failed with the same reason, so that the page says so instead of waiting forever.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 3


def _fail_leveling(run_id: int, reason: str) -> None:
    from pmo.planning.models import LevelingRun

    LevelingRun.objects.filter(pk=run_id, status__in=("queued", "running")).update(
        status=LevelingRun.Status.FAILED, progress=100, message=reason[:255], finished_at=timezone.now()
    )


def _fail_simulation(run_id: int, reason: str) -> None:
    from pmo.risks.models import SimulationRun

    SimulationRun.objects.filter(pk=run_id, status__in=("queued", "running")).update(
        status=SimulationRun.Status.FAILED, progress=100, message=reason[:255], finished_at=timezone.now()
    )


def _fail_scenario(scenario_id: int, reason: str) -> None:
    from pmo.selection.models import Scenario

    Scenario.objects.filter(pk=scenario_id, status="running").update(
        status=Scenario.Status.FAILED, progress=100, message=reason[:255]
    )


# What each task works on, to be marked failed with it: task path -> handler(first argument, reason).
ON_FAILURE: dict[str, Callable[[int, str], None]] = {
    "pmo.planning.leveling.run_leveling": _fail_leveling,
    "pmo.risks.simulation.run_simulation": _fail_simulation,
    "pmo.selection.scenarios.run_scenario": _fail_scenario,
}


@dataclass(frozen=True)
class Recovered:
    requeued: int
    failed: int


def _fail(result: object, reason: str) -> None:
    from django_tasks_db.models import DBTaskResult

    assert isinstance(result, DBTaskResult)
    result.status = "FAILED"
    result.finished_at = timezone.now()
    result.exception_class_path = "pmo.core.tasks.WorkerLost"
    result.traceback = reason
    result.save(update_fields=["status", "finished_at", "exception_class_path", "traceback"])
    handler = ON_FAILURE.get(result.task_path)
    args = (result.args_kwargs or {}).get("args") or []
    if handler is not None and args:
        handler(int(args[0]), reason)
    log.warning("task %s (%s) failed: %s", result.pk, result.task_path, reason)


@transaction.atomic
def recover_worker(worker_id: str) -> Recovered:
    """Tasks left running by an earlier run of this worker: back in the queue, or failed after
    MAX_ATTEMPTS interruptions."""
    from django_tasks_db.models import DBTaskResult

    requeued = failed = 0
    for result in DBTaskResult.objects.select_for_update().filter(status="RUNNING"):
        if not result.worker_ids or result.worker_ids[-1] != worker_id:
            continue  # another worker's: it may well be running it now
        if len(result.worker_ids) >= MAX_ATTEMPTS:
            _fail(result, f"Interrupted {len(result.worker_ids)} times (worker {worker_id} stopped while running it).")
            failed += 1
            continue
        result.status = "READY"
        result.started_at = None
        result.save(update_fields=["status", "started_at"])
        log.warning("task %s (%s) re-queued after worker %s restarted", result.pk, result.task_path, worker_id)
        requeued += 1
    return Recovered(requeued, failed)


@transaction.atomic
def recover_stale(*, older_than: dt.timedelta) -> Recovered:
    """Tasks running for longer than `older_than` (their worker is gone): failed, with the reason."""
    from django_tasks_db.models import DBTaskResult

    cutoff = timezone.now() - older_than
    failed = 0
    for result in DBTaskResult.objects.select_for_update().filter(status="RUNNING", started_at__lt=cutoff):
        worker = result.worker_ids[-1] if result.worker_ids else "unknown"
        minutes = int(older_than.total_seconds() // 60)
        _fail(result, f"The worker ({worker}) stopped while running it: no progress for over {minutes} minutes.")
        failed += 1
    return Recovered(0, failed)
