"""`pmo worker [--worker-id NAME]`: run background tasks (levelling, risk analyses, scenarios, reports,
e-mails) from the database queue, on this or another machine. Needs TASKS_BACKEND=database on the servers
and the workers. Tasks left running by an earlier run under the same id go back in the queue first."""

from __future__ import annotations

import argparse
import socket
from typing import Any


def run_worker(args: argparse.Namespace) -> int:
    from pmo.commands.server import _django_setup

    _django_setup()
    from django.conf import settings
    from django.core.management import call_command

    from pmo.core.tasks import recover_worker

    backend = settings.TASKS["default"]["BACKEND"]
    if not backend.startswith("django_tasks_db"):
        print("pmo worker: set TASKS_BACKEND=database (on the servers too): tasks now run inside each request.")
        return 2
    recovered = recover_worker(args.worker_id)
    if recovered.requeued or recovered.failed:
        print(f"pmo worker: {recovered.requeued} interrupted task(s) queued again, {recovered.failed} failed")
    options = ["--worker-id", args.worker_id, "--queue-name", "*", "--interval", str(args.interval)]
    if args.batch:
        options.append("--batch")
    call_command("db_worker", *options)
    return 0


def add_parser(subparsers: Any) -> None:
    worker = subparsers.add_parser(
        "worker",
        help="run background tasks from the database queue",
        description="Run the background tasks queued by the servers (TASKS_BACKEND=database).",
    )
    worker.add_argument(
        "--worker-id",
        default=socket.gethostname(),
        help="a name unique among the workers, kept across restarts (default: the host name)",
    )
    worker.add_argument("--interval", type=float, default=1.0, help="seconds between looks at an empty queue")
    worker.add_argument("--batch", action="store_true", help="run what is queued, then stop")
    worker.set_defaults(handler=run_worker)
