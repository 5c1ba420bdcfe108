"""Load benchmark: a large organisation on PostgreSQL, `pmo serve` on 127.0.0.1, locust with N users for T s.

Starts a throwaway PostgreSQL (scripts/postgres.sh), migrates, generates the organisation (generate.py; its
size flags pass through), starts `pmo serve` on a free port of 127.0.0.1, runs locust headless
(locustfile.py), then prints p50/p95/p99 latency, requests/s and errors per endpoint and the ratio of each
p95 to its target (issue 10: dashboard < 300 ms, API lists < 100 ms, project plan < 500 ms, 0 errors).
Installs locust into this Python with pip when it is missing.

    python bench/load/run.py [--users 20] [--seconds 600] [--wait 1,2] [--workers 2] [--threads 4]
                             [--projects 1000] [--tasks 100000] [--people 2000] [--years 5] [--risks 10000] ...
"""

from __future__ import annotations

import argparse
import csv
import importlib.util
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
from pathlib import Path

HERE = Path(__file__).resolve().parent
VACUUM = "from django.db import connection; connection.cursor().execute('VACUUM ANALYZE')"
ROOT = HERE.parents[1]
sys.path.insert(0, str(HERE))

from generate import add_arguments  # noqa: E402

# Target p95 in ms per endpoint name (as locustfile.py names them); None: measured, no target.
TARGETS_MS = {
    "page /dashboard/": 300.0,
    "page /projects/": None,
    "page /projects/[id]/plan/": 500.0,
    "page /capacity/": None,
    "api /api/v1/projects": 100.0,
    "api /api/v1/people": 100.0,
    "api /api/v1/risks?project_id": 100.0,
    "api /api/v1/programs": 100.0,
}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _ensure_locust() -> None:
    # Not imported here: locust monkey-patches the standard library through gevent.
    if importlib.util.find_spec("locust") is None:
        print("locust is missing: installing it with pip", file=sys.stderr, flush=True)
        subprocess.run([sys.executable, "-m", "pip", "install", "-q", "locust"], check=True)


def _wait_up(url: str, server: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"pmo serve exited with {server.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=5) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"pmo serve did not answer {url} within {seconds:.0f} s")


def _percentile_ms(row: dict[str, str], key: str) -> float:
    value = row.get(key, "N/A")
    return float(value) if value not in ("", "N/A") else float("nan")


def _report(stats_csv: Path, seconds: float) -> int:
    rows = list(csv.DictReader(stats_csv.open()))
    heads = f"{'requests':>8} {'errors':>6} {'req/s':>6} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7}"
    print(f"\n{'endpoint':<32} {heads}  target")
    missed = 0
    for row in rows:
        name = row["Name"] if row["Name"] != "Aggregated" else "all (incl. sign-in)"
        if name == "sign-in":
            name = f"sign-in ({row['Type']})"
        p50, p95, p99 = (_percentile_ms(row, k) for k in ("50%", "95%", "99%"))
        target = TARGETS_MS.get(row["Name"])
        failures = int(row["Failure Count"])
        verdict = ""
        if target is not None:
            ok = p95 < target
            missed += not ok
            verdict = f"p95 < {target:.0f} ms: ratio {p95 / target:.2f} ({'met' if ok else 'NOT met'})"
        print(
            f"{name:<32} {int(row['Request Count']):>8} {failures:>6} {float(row['Requests/s']):>6.1f} "
            f"{p50:>7.0f} {p95:>7.0f} {p99:>7.0f}  {verdict}"
        )
    errors = sum(int(r["Failure Count"]) for r in rows if r["Name"] != "Aggregated")
    verdict = "met" if errors == 0 else "NOT met"
    print(f"errors: {errors} (target 0: {verdict}); {len(rows) - 1} endpoints, {seconds:.0f} s")
    return missed + (errors > 0)


def _inside(args: argparse.Namespace) -> int:
    """Runs under scripts/postgres.sh with DATABASE_URL set."""
    work = Path(tempfile.mkdtemp(prefix="pmo-load-"))
    env = dict(os.environ)
    env.update(
        PMO_DATA_DIR=str(work),
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1,localhost",
        DJANGO_SETTINGS_MODULE="pmo.settings",
        PYTHONPATH=str(ROOT),
    )
    env.pop("DEBUG", None)
    py = sys.executable
    subprocess.run([py, "-m", "pmo", "manage", "migrate", "--verbosity", "0"], env=env, check=True, cwd=ROOT)
    gen_flags = [
        f"--projects={args.projects}",
        f"--tasks={args.tasks}",
        f"--people={args.people}",
        f"--years={args.years}",
        f"--risks={args.risks}",
        f"--entries-per-week={args.entries_per_week}",
        f"--seed={args.seed}",
        "--schedule" if args.schedule else "--no-schedule",
        f"--today={args.today.isoformat()}",
    ]
    print(f"generating: {' '.join(gen_flags)}", flush=True)
    started = time.perf_counter()
    out = subprocess.run(
        [py, str(HERE / "generate.py"), *gen_flags], env=env, check=True, cwd=ROOT, stdout=subprocess.PIPE, text=True
    )
    info = json.loads(out.stdout.strip().splitlines()[-1])
    print(f"generated in {time.perf_counter() - started:.0f} s: {info['counts']}", flush=True)
    subprocess.run(
        [
            py,
            "-m",
            "pmo",
            "manage",
            "shell",
            "-c",
            VACUUM,
        ],
        env=env,
        check=True,
        cwd=ROOT,
    )
    info_file = work / "info.json"
    info_file.write_text(json.dumps(info))

    port = _free_port()
    host = f"http://127.0.0.1:{port}"
    serve = [py, "-m", "pmo", "serve", "--host", "127.0.0.1", "--port", str(port)]
    server = subprocess.Popen(
        [*serve, "--workers", str(args.workers), "--threads", str(args.threads)],
        env=env,
        cwd=ROOT,
        start_new_session=True,
    )
    try:
        _wait_up(f"{host}/login/", server)
        print(
            f"pmo serve on {host} ({args.workers} workers x {args.threads} threads); "
            f"locust: {args.users} users for {args.seconds} s, think time {args.wait} s; "
            f"load average before {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs",
            flush=True,
        )
        prefix = work / "locust"
        locust = [py, "-m", "locust", "-f", str(HERE / "locustfile.py"), "--headless", "--only-summary"]
        tail = ["--host", host, "--csv", str(prefix), "--loglevel", "WARNING"]
        locust_env = dict(env, LOAD_BENCH_INFO=str(info_file), LOAD_BENCH_WAIT=args.wait)
        subprocess.run(
            [*locust, "-u", str(args.users), "-r", str(args.users), "-t", f"{args.seconds}s", *tail],
            env=locust_env,
            cwd=ROOT,
            check=False,
            stdout=subprocess.DEVNULL,
        )
        print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())} (1, 5, 15 min)")
        return 1 if _report(Path(f"{prefix}_stats.csv"), args.seconds) else 0
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--users", type=int, default=20, help="concurrent locust users (default 20)")
    parser.add_argument("--seconds", type=int, default=600, help="duration of the load (default 600)")
    parser.add_argument("--wait", default="1,2", help="think time per user, min,max seconds (default 1,2)")
    parser.add_argument("--workers", type=int, default=2, help="pmo serve worker processes (default 2)")
    parser.add_argument("--threads", type=int, default=4, help="pmo serve threads per worker (default 4)")
    add_arguments(parser)
    args = parser.parse_args()
    _ensure_locust()
    if os.environ.get("PMO_LOAD_INSIDE") == "1" and os.environ.get("DATABASE_URL", "").startswith("postgres"):
        return _inside(args)
    env = dict(os.environ, PMO_LOAD_INSIDE="1")
    return subprocess.call(
        [str(ROOT / "scripts" / "postgres.sh"), sys.executable, str(Path(__file__).resolve()), *sys.argv[1:]],
        env=env,
        cwd=ROOT,
    )


if __name__ == "__main__":
    sys.exit(main())
