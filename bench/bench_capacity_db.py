"""Capacity against demand from the database: the heat map of a large pool, end to end.

2,000 people (roles, skills, contracted hours, leave, non-project share), 500 running projects whose
plans hold 50,000 assignments, 50 undecided proposals with role demand and 300 resource requests, over
36 months. Timed: reading the pool and its demand from the database (`capacity_inputs`), computing
demand against capacity, and the heat maps by role and by person — what the capacity page does.

Runs on a fresh SQLite file by default, or on PostgreSQL when DATABASE_URL points at one (a test database
named test_<name> is created and dropped). Anchor: the issue's target of under 2 s.

    python bench/bench_capacity_db.py [--people 2000] [--projects 500] [--assignments 50000] [--months 36]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import resource
import sys
import tempfile
import time
import tracemalloc
from decimal import Decimal
from pathlib import Path

TARGET_SECONDS = 2.0


def _populate(args: argparse.Namespace, first: dt.date) -> None:
    from django.utils import timezone

    from pmo.planning.models import Assignment, Task
    from pmo.portfolio.models import Portfolio, Project
    from pmo.resources.models import (
        Absence,
        CapacityPeriod,
        JobRole,
        OrgUnit,
        Person,
        PersonProfile,
        PersonSkill,
        ResourceRequest,
        Skill,
    )
    from pmo.selection.models import Proposal, ResourceDemand

    rng = random.Random(args.seed)
    units = OrgUnit.objects.bulk_create(OrgUnit(code=f"U{i:02d}", name=f"Unit {i}") for i in range(20))
    roles = JobRole.objects.bulk_create(
        JobRole(name=f"Role {i:02d}", standard_hours_per_week=Decimal(40)) for i in range(25)
    )
    skills = Skill.objects.bulk_create(Skill(name=f"Skill {i:02d}", category="Technical") for i in range(60))
    people = Person.objects.bulk_create(
        Person(name=f"Person {i:04d}", org_unit=units[i % len(units)]) for i in range(args.people)
    )
    PersonProfile.objects.bulk_create(
        PersonProfile(
            person=p, primary_role=roles[i % len(roles)], non_project_percent=Decimal(rng.choice((0, 10, 20)))
        )
        for i, p in enumerate(people)
    )
    PersonSkill.objects.bulk_create(
        PersonSkill(person=p, skill=s, level=rng.randint(1, 5)) for p in people for s in rng.sample(skills, 3)
    )
    CapacityPeriod.objects.bulk_create(
        CapacityPeriod(person=p, start=first - dt.timedelta(days=365), hours_per_week=Decimal(rng.choice((40, 32, 20))))
        for p in people
    )
    Absence.objects.bulk_create(
        Absence(person=p, start=(s := first + dt.timedelta(days=rng.randrange(1000))), finish=s + dt.timedelta(days=9))
        for p in people
        for _ in range(2)
    )
    portfolio = Portfolio.objects.create(code="PF", name="Portfolio")
    projects = Project.objects.bulk_create(
        Project(code=f"P{i:04d}", name=f"Project {i}", portfolio=portfolio, state="executing")
        for i in range(args.projects)
    )
    per_project = args.assignments // args.projects
    tz = timezone.get_current_timezone()
    span_days = int(args.months * 30.4)
    tasks = []
    for project in projects:
        begin = rng.randrange(0, span_days - 120)
        for n in range(per_project):
            start = first + dt.timedelta(days=begin + rng.randrange(0, 90))
            days = rng.randint(5, 60)
            tasks.append(
                Task(
                    project=project,
                    uid=n + 1,
                    position=n + 1,
                    name=f"Task {n + 1}",
                    duration_minutes=days * 480,
                    start=dt.datetime.combine(start, dt.time(8), tz),
                    finish=dt.datetime.combine(start + dt.timedelta(days=days), dt.time(17), tz),
                )
            )
    tasks = Task.objects.bulk_create(tasks, batch_size=5000)
    Assignment.objects.bulk_create(
        (
            Assignment(task=t, person=people[rng.randrange(len(people))], units=Decimal(rng.choice(("0.5", "1"))))
            for t in tasks
        ),
        batch_size=5000,
    )
    proposals = Proposal.objects.bulk_create(
        Proposal(code=f"PR-{i:03d}", title=f"Proposal {i}", state="submitted", earliest_start=first) for i in range(50)
    )
    ResourceDemand.objects.bulk_create(
        ResourceDemand(proposal=p, role=roles[(i + k) % len(roles)].name, fte=Decimal("1.5"), start_month=k, months=6)
        for i, p in enumerate(proposals)
        for k in range(3)
    )
    ResourceRequest.objects.bulk_create(
        ResourceRequest(
            project=projects[i % len(projects)],
            role=roles[i % len(roles)],
            fte=Decimal("0.5"),
            start=first + dt.timedelta(days=30 * (i % 30)),
            finish=first + dt.timedelta(days=30 * (i % 30) + 90),
            state="assigned" if i % 2 else "submitted",
            assigned_person=people[i] if i % 2 else None,
        )
        for i in range(300)
    )


def _heat_maps(first: dt.date, months: int) -> dict[str, float]:
    from pmo.engine import capacity as engine
    from pmo.resources import capacity

    timings = {}
    t0 = time.perf_counter()
    inputs, _labels = capacity.capacity_inputs(start=first, count=months, unit="month")
    t1 = time.perf_counter()
    result = engine.compute(inputs)
    t2 = time.perf_counter()
    by_role = engine.heat_map(result, "role")
    by_person = engine.heat_map(result, "person")
    t3 = time.perf_counter()
    timings["read"] = t1 - t0
    timings["compute"] = t2 - t1
    timings["maps"] = t3 - t2
    timings["total"] = t3 - t0
    timings["rows"] = len(by_role.keys) + len(by_person.keys)
    timings["demand_items"] = len(inputs.demand)
    return timings


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--people", type=int, default=2000)
    parser.add_argument("--projects", type=int, default=500)
    parser.add_argument("--assignments", type=int, default=50_000)
    parser.add_argument("--months", type=int, default=36)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="pmo-bench-"))
    os.environ.setdefault("PMO_DATA_DIR", str(workdir))
    os.environ["PMO_TEST_SQLITE"] = str(workdir / "bench.sqlite3")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pmo.settings")
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    import django

    django.setup()
    from django.db import connection, reset_queries
    from django.test.utils import setup_test_environment

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        first = dt.date(2027, 1, 1)
        started = time.perf_counter()
        _populate(args, first)
        print(
            f"capacity heat map on {connection.vendor}: {args.people} people, {args.projects} projects, "
            f"{args.assignments} assignments, {args.months} months (data made in {time.perf_counter() - started:.0f} s)"
        )
        runs = [_heat_maps(first, args.months) for _ in range(args.repeat)]
        best = min(runs, key=lambda r: r["total"])
        from django.conf import settings

        settings.DEBUG = True
        reset_queries()
        _heat_maps(first, args.months)
        queries = len(connection.queries)
        settings.DEBUG = False
        tracemalloc.start()
        _heat_maps(first, args.months)
        peak = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(
            f"  best of {args.repeat}: {best['total']:.2f} s (read {best['read']:.2f} s, "
            f"compute {best['compute']:.2f} s, heat maps {best['maps']:.2f} s); "
            f"{best['demand_items']:.0f} demand items, {best['rows']:.0f} rows"
        )
        print(f"  SQL queries {queries}; Python memory peak {peak:.0f} MiB; process max RSS {rss:.0f} MiB")
        verdict = "met" if best["total"] < TARGET_SECONDS else "NOT met"
        print(f"  target < {TARGET_SECONDS:.0f} s: ratio {best['total'] / TARGET_SECONDS:.2f} ({verdict})")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    return 0


if __name__ == "__main__":
    sys.exit(main())
