"""Migrations forward on a copy of the demo database: build the demo organisation with an earlier pmo
(default: the release below), migrate that database with this checkout's code, and check that the pages
and a backup still work on it.

    .venv/bin/python scripts/migrate_forward_check.py [--from REF]

REF is a git revision of this repository (the history must be there: a full clone). The earlier code runs
from a temporary worktree with this checkout's virtual environment."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# The code base of the last session's landed CI run; move it forward from time to time.
DEFAULT_FROM = "a7d5bdc"
SMOKE = """
from django.test import Client
from django.contrib.auth.models import User
from pmo.core.backup import backup_write
client = Client()
client.force_login(User.objects.get(username="director"))
for url in ("/", "/projects/", "/capacity/", "/dashboard/", "/governance/gates/", "/knowledge/", "/benefits/"):
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
summary = backup_write(__import__("pathlib").Path(DATA) / "after.zip")
print(f"pages answer; backup of the migrated database: {summary.rows} rows")
"""


def run(args: list[str], env: dict[str, str], cwd: Path) -> None:
    print("$ " + " ".join(args[2:]), flush=True)
    subprocess.run(args, env=env, cwd=cwd, check=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--from", dest="ref", default=DEFAULT_FROM)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="pmo-migrate-"))
    old = work / "old"
    subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", str(old), args.ref], check=True)
    try:
        data = work / "data"
        base = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "PYTHONPATH")}
        env = {**base, "PMO_DATA_DIR": str(data), "ALLOWED_HOSTS": "testserver,127.0.0.1"}
        py = [sys.executable, "-m"]
        # The earlier code first on the path: it builds its own demo database.
        earlier = {**env, "PYTHONPATH": str(old)}
        run([*py, "pmo", "manage", "migrate", "-v0"], earlier, old)
        run([*py, "pmo", "manage", "shell", "-c", "from pmo.demo import load_demo; load_demo()"], earlier, old)
        # This checkout's code migrates it forward.
        run([*py, "pmo", "manage", "migrate", "-v1"], env, ROOT)
        run([*py, "pmo", "manage", "shell", "-c", f"DATA = {str(data)!r}\n" + SMOKE], env, ROOT)
    finally:
        subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(old)], check=False)
    print(f"migrate_forward_check: the demo database of {args.ref} migrates forward and works")
    return 0


if __name__ == "__main__":
    sys.exit(main())
