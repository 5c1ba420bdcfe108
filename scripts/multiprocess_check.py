"""Two application servers and a background worker on one PostgreSQL, the way a large organisation runs
pmo (docs/deployment.md): a levelling run started through server A is queued in the database, done by the
worker, and read back through server B; a project created through B is read through A.

    scripts/postgres.sh .venv/bin/python scripts/multiprocess_check.py
"""

from __future__ import annotations

import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

PMO = [sys.executable, "-m", "pmo"]
SETUP = """
import datetime as dt
from decimal import Decimal
from django.utils import timezone
from django.contrib.auth.models import Group, User
from pmo.core.access import SYSTEM
from pmo.core.roles import Role, sync_role_groups
from pmo.core.services import token_create
from pmo.planning import services as planning
from pmo.portfolio import services as portfolio
from pmo.resources.models import Person
sync_role_groups()
user = User.objects.create_user("director", password="x" * 20)
user.groups.add(Group.objects.get(name=Role.PMO_DIRECTOR.value))
shared = Person.objects.create(name="Shared Developer")
pf = portfolio.portfolio_create(actor=SYSTEM, code="PF", name="Portfolio")
start = timezone.make_aware(dt.datetime(2027, 1, 4, 8))
ids = []
for code in ("A1", "A2"):
    project = portfolio.project_create(actor=SYSTEM, code=code, name=code, portfolio=pf, budget=Decimal(1000))
    spec = planning.TaskSpec(uid=1, name="Work", duration_minutes=5 * 480, assignments=((shared, Decimal(1)),))
    planning.plan_replace(actor=SYSTEM, project=project, tasks=[spec], start=start)
    ids.append(project.pk)
print(json.dumps({"token": token_create(user=user, name="check")[1], "projects": ids, "portfolio": pf.pk}))
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def call(base: str, token: str, method: str, path: str, body: dict | None = None) -> tuple[int, dict]:
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(base + "/api/v1" + path, data=data, method=method)
    request.add_header("Authorization", f"Bearer {token}")
    request.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"{}")


def wait_up(base: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(base + "/login/", timeout=2)
            return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"multiprocess_check: {base} did not start")


def main() -> int:
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        print("multiprocess_check: set DATABASE_URL to a PostgreSQL database", file=sys.stderr)
        return 2
    env = {
        **os.environ,
        "SECRET_KEY": secrets.token_urlsafe(50),
        "TASKS_BACKEND": "database",
        "ALLOWED_HOSTS": "127.0.0.1",
        "PMO_DATA_DIR": tempfile.mkdtemp(prefix="pmo-multi-"),
    }
    subprocess.run([*PMO, "manage", "migrate", "-v0"], env=env, check=True)
    made = subprocess.run(
        [*PMO, "manage", "shell", "-c", "import json\n" + SETUP], env=env, check=True, capture_output=True, text=True
    )
    data = json.loads(made.stdout.strip().splitlines()[-1])
    token = data["token"]
    ports = free_port(), free_port()
    processes = [
        subprocess.Popen([*PMO, "serve", "--host", "127.0.0.1", "--port", str(port), "--workers", "2"], env=env)
        for port in ports
    ]
    processes.append(subprocess.Popen([*PMO, "worker", "--worker-id", "check-worker", "--interval", "0.5"], env=env))
    a, b = (f"http://127.0.0.1:{port}" for port in ports)
    try:
        wait_up(a)
        wait_up(b)
        status, run = call(a, token, "POST", "/leveling-runs", {"project_ids": data["projects"], "mode": "fast"})
        assert status == 202, (status, run)
        print(f"server A queued levelling run {run['id']} ({run['status']})")
        deadline = time.monotonic() + 120
        while True:
            status, seen = call(b, token, "GET", f"/leveling-runs/{run['id']}")
            assert status == 200, (status, seen)
            if seen["status"] in ("done", "failed") or time.monotonic() > deadline:
                break
            time.sleep(0.5)
        assert seen["status"] == "done", f"the worker did not finish the run: {seen['status']} {seen.get('message')}"
        print(f"the worker levelled it; server B reads it: {seen['status']}, {seen.get('message')}")
        status, made_b = call(
            b, token, "POST", "/projects", {"code": "B1", "name": "Made on B", "portfolio_id": data["portfolio"]}
        )
        assert status == 201, (status, made_b)
        status, read_a = call(a, token, "GET", f"/projects/{made_b['id']}")
        assert (status, read_a["code"]) == (200, "B1"), (status, read_a)
        print("a project created through server B is read through server A")
    finally:
        for process in processes:
            process.send_signal(signal.SIGTERM)
        for process in processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
    print("multiprocess_check: two servers and a worker on one PostgreSQL work together")
    return 0


if __name__ == "__main__":
    sys.exit(main())
