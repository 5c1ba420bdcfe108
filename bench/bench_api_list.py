"""Project list API latency: p50/p95 over 200 requests with 1,000 projects in the database.

Runs on a fresh SQLite file by default, or on PostgreSQL when DATABASE_URL points at one (a test
database named test_<name> is created and dropped). Anchor: the API list target of p95 < 100 ms.

    python bench/bench_api_list.py [--projects 1000] [--requests 200] [--page-size 50]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

ANCHOR_P95_MS = 100.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--projects", type=int, default=1000)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--page-size", type=int, default=50)
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="pmo-bench-"))
    os.environ.setdefault("PMO_DATA_DIR", str(workdir))
    os.environ["PMO_TEST_SQLITE"] = str(workdir / "bench.sqlite3")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pmo.settings")
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth.models import Group, User
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment

    setup_test_environment()
    settings.ALLOWED_HOSTS = ["testserver"]
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        from pmo.core.roles import Role
        from pmo.core.services import token_create
        from pmo.portfolio.models import Portfolio, Program, Project, StrategicObjective
        from pmo.resources.models import OrgUnit, Person

        unit = OrgUnit.objects.create(code="IT", name="IT")
        people = Person.objects.bulk_create(Person(name=f"Person {i}", org_unit=unit) for i in range(50))
        objectives = StrategicObjective.objects.bulk_create(
            StrategicObjective(code=f"SO{i}", name=f"Objective {i}") for i in range(5)
        )
        portfolios = Portfolio.objects.bulk_create(
            Portfolio(code=f"PF{i}", name=f"Portfolio {i}", manager=people[i]) for i in range(5)
        )
        programs = Program.objects.bulk_create(
            Program(code=f"PG{i}", name=f"Program {i}", portfolio=portfolios[i % 5]) for i in range(20)
        )
        states = ["proposed", "approved", "planning", "executing", "closed"]
        projects = Project.objects.bulk_create(
            Project(
                code=f"PRJ-{i:05d}",
                name=f"Project {i}",
                portfolio=portfolios[i % 5],
                program=programs[i % 20] if i % 3 else None,
                manager=people[i % 50],
                sponsor=people[(i + 7) % 50],
                org_unit=unit,
                state=states[i % 5],
                budget=Decimal(10_000 + i * 1000),
            )
            for i in range(args.projects)
        )
        through = Project.objects.model.objectives.through
        through.objects.bulk_create(
            through(project_id=p.pk, strategicobjective_id=objectives[j % 5].pk)
            for i, p in enumerate(projects)
            for j in (i, i + 1)
        )
        user = User.objects.create_user("bench", password="x")
        user.groups.add(Group.objects.get(name=Role.PMO_ANALYST.value))
        Person.objects.filter(pk=people[0].pk).update(user=user)
        token = token_create(user=user, name="bench")[1]
        client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")

        pages = max(1, args.projects // args.page_size)
        urls = [
            f"/api/v1/projects?page={(i % pages) + 1}&page_size={args.page_size}"
            + ("&state=executing" if i % 4 == 1 else "")
            + ("&ordering=-budget" if i % 4 == 2 else "")
            + ("&q=Project 1" if i % 4 == 3 else "")
            for i in range(args.requests)
        ]
        for url in urls[:10]:
            assert client.get(url).status_code == 200
        timings = []
        executed: list[str] = []

        def count_query(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
            executed.append(sql)
            return execute(sql, params, many, context)

        # request_started resets connection.queries, so count through an execute wrapper instead.
        with connection.execute_wrapper(count_query):
            client.get(urls[0])
        for url in urls:
            start = time.perf_counter()
            response = client.get(url)
            timings.append((time.perf_counter() - start) * 1000)
            if response.status_code != 200:
                print(f"error: {url} -> {response.status_code}", file=sys.stderr)
                return 1
        timings.sort()
        p50 = statistics.median(timings)
        p95 = timings[int(0.95 * len(timings)) - 1]
        vendor = connection.vendor
        print(
            f"project list API on {vendor}: {args.projects} projects, {args.requests} requests, "
            f"page size {args.page_size}"
        )
        print(
            f"  p50 {p50:.1f} ms   p95 {p95:.1f} ms   max {timings[-1]:.1f} ms   "
            f"SQL queries per request {len(executed)}"
        )
        verdict = "met" if p95 < ANCHOR_P95_MS else "NOT met"
        print(f"  anchor p95 < {ANCHOR_P95_MS:.0f} ms: ratio {p95 / ANCHOR_P95_MS:.2f} ({verdict})")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    return 0


if __name__ == "__main__":
    sys.exit(main())
