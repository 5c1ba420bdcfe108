"""Move the demo organisation from SQLite to PostgreSQL and back with `pmo backup` / `pmo restore`, and check
that every row comes back the same (the way a team moves off the embedded database).

    scripts/postgres.sh .venv/bin/python scripts/backup_roundtrip.py

Needs DATABASE_URL pointing at an empty PostgreSQL database (scripts/postgres.sh provides one)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

PMO = [sys.executable, "-m", "pmo"]


def run(args: list[str], env: dict[str, str]) -> None:
    print("$ pmo " + " ".join(args), flush=True)
    subprocess.run([*PMO, *args], env=env, check=True)


def data_of(archive: Path) -> list[dict]:
    with zipfile.ZipFile(archive) as zipped:
        return json.loads(zipped.read("data.json"))


def main() -> int:
    postgres = os.environ.get("DATABASE_URL", "")
    if not postgres.startswith("postgres"):
        print("backup_roundtrip: set DATABASE_URL to an empty PostgreSQL database", file=sys.stderr)
        return 2
    work = Path(tempfile.mkdtemp(prefix="pmo-roundtrip-"))
    base = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    sqlite_a = {**base, "PMO_DATA_DIR": str(work / "a")}
    on_postgres = {**base, "PMO_DATA_DIR": str(work / "pg"), "DATABASE_URL": postgres}
    sqlite_c = {**base, "PMO_DATA_DIR": str(work / "c")}
    run(["manage", "migrate", "-v0"], sqlite_a)
    run(["manage", "shell", "-c", "from pmo.demo import load_demo; load_demo()"], sqlite_a)
    run(["backup", str(work / "a.zip")], sqlite_a)
    run(["restore", str(work / "a.zip")], on_postgres)
    run(["backup", str(work / "b.zip")], on_postgres)
    run(["restore", str(work / "b.zip")], sqlite_c)
    run(["backup", str(work / "c.zip")], sqlite_c)
    first, through_postgres, back = data_of(work / "a.zip"), data_of(work / "b.zip"), data_of(work / "c.zip")
    for name, rows in (("PostgreSQL", through_postgres), ("SQLite again", back)):
        if rows != first:
            diff = (
                next((a, b) for a, b in zip(first, rows, strict=False) if a != b) if len(rows) == len(first) else None
            )
            print(f"backup_roundtrip: the data on {name} differs: {len(first)} vs {len(rows)} rows; first: {diff}")
            return 1
    print(f"backup_roundtrip: {len(first)} rows identical on SQLite, PostgreSQL and SQLite again")
    return 0


if __name__ == "__main__":
    sys.exit(main())
