"""Generate a large organisation for the load benchmark, fast, through the ORM's bulk_create.

Defaults are issue 10's sizes: 1,000 projects, 100,000 tasks (a finish-to-start chain in each project, one
assignment each), 2,000 people, 5 years of weekly timesheets (one per person and week, one entry per working
day) with their labour actuals, monthly material costs per project, and 10,000 risks. The same --seed and
--today give the same rows. It also creates the sign-in the benchmark uses (a PMO director with an API
token) and prints it as JSON on the last line:

    {"username": "loadbench", "password": "...", "token": "...", "project_ids": [...], ...}

Run against an empty, migrated database (DATABASE_URL); refuses a database that already holds projects.

    python bench/load/generate.py [--projects 1000] [--tasks 100000] [--people 2000] [--years 5]
                                  [--risks 10000] [--entries-per-week 5] [--seed 1] [--today YYYY-MM-DD]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")
BATCH = 5000
CHUNK = 50_000
PASSWORD = "load-bench-password"


def _chunks(items: Iterable[T], size: int = CHUNK) -> Iterator[list[T]]:
    chunk: list[T] = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _bulk(model: Any, rows: Iterable[Any]) -> list[Any]:
    """bulk_create in memory-bounded chunks; returns the created rows (with primary keys on PostgreSQL)."""
    out: list[Any] = []
    for chunk in _chunks(rows):
        out.extend(model.objects.bulk_create(chunk, batch_size=BATCH))
    return out


def _bulk_count(model: Any, rows: Iterable[Any]) -> int:
    n = 0
    for chunk in _chunks(rows):
        model.objects.bulk_create(chunk, batch_size=BATCH)
        n += len(chunk)
    return n


def _monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def generate(args: argparse.Namespace, log: Callable[[str], None] = print) -> dict[str, Any]:
    from django.contrib.auth.models import Group, User
    from django.utils import timezone

    from pmo.control.models import CostEntry, CostRate, TimeEntry, Timesheet
    from pmo.core.roles import Role
    from pmo.core.services import token_create
    from pmo.planning.models import Assignment, Dependency, Plan, Task
    from pmo.planning.services import plan_schedule, standard_calendar
    from pmo.portfolio.models import Portfolio, Program, Project, StrategicObjective
    from pmo.resources.models import CapacityPeriod, JobRole, OrgUnit, Person, PersonProfile, PersonSkill, Skill
    from pmo.risks.models import Risk

    if Project.objects.exists():
        raise SystemExit("generate.py: the database already holds projects; give it an empty, migrated one")
    rng = random.Random(args.seed)
    today = args.today
    tz = timezone.get_current_timezone()
    first_week = _monday(today - dt.timedelta(days=round(365.25 * args.years)))
    counts: dict[str, int] = {}
    started = time.perf_counter()

    def step(name: str, n: int) -> None:
        counts[name] = n
        log(f"  {name:<16} {n:>9,}   ({time.perf_counter() - started:6.1f} s)")

    # --- people and the organisation -------------------------------------------------------------------------
    units = _bulk(OrgUnit, (OrgUnit(code=f"U{i:02d}", name=f"Unit {i:02d}") for i in range(20)))
    roles = _bulk(JobRole, (JobRole(name=f"Role {i:02d}", standard_hours_per_week=Decimal(40)) for i in range(25)))
    skills = _bulk(Skill, (Skill(name=f"Skill {i:02d}", category="Technical") for i in range(60)))
    people = _bulk(
        Person,
        (
            Person(name=f"Person {i:05d}", email=f"person{i}@example.org", org_unit=units[i % len(units)])
            for i in range(args.people)
        ),
    )
    _bulk(
        PersonProfile,
        (
            PersonProfile(
                person=p, primary_role=roles[i % len(roles)], non_project_percent=Decimal(rng.choice((0, 10, 20)))
            )
            for i, p in enumerate(people)
        ),
    )
    _bulk(
        PersonSkill,
        (PersonSkill(person=p, skill=s, level=rng.randint(1, 5)) for p in people for s in rng.sample(skills, 3)),
    )
    _bulk(
        CapacityPeriod,
        (
            CapacityPeriod(person=p, start=first_week, hours_per_week=Decimal(rng.choice((40, 40, 40, 32, 20))))
            for p in people
        ),
    )
    _bulk(CostRate, (CostRate(person=p, rate_per_hour=Decimal(rng.randrange(40, 140))) for p in people))
    step("people", len(people))

    # --- portfolios, programs, projects ------------------------------------------------------------------------
    objectives = _bulk(StrategicObjective, (StrategicObjective(code=f"SO{i}", name=f"Objective {i}") for i in range(8)))
    portfolios = _bulk(
        Portfolio, (Portfolio(code=f"PF{i}", name=f"Portfolio {i}", manager=people[i % len(people)]) for i in range(5))
    )
    programs = _bulk(
        Program,
        (Program(code=f"PG{i:02d}", name=f"Program {i:02d}", portfolio=portfolios[i % 5]) for i in range(50)),
    )
    horizon_start = first_week
    horizon_end = today + dt.timedelta(days=365)
    span = (horizon_end - horizon_start).days
    project_rows = []
    for i in range(args.projects):
        months = rng.randint(6, 36)
        begin = horizon_start + dt.timedelta(days=rng.randrange(0, span - 90))
        end = begin + dt.timedelta(days=round(months * 30.4))
        if end < today:
            state = rng.choice(("closed", "closed", "closed", "cancelled", "closing"))
        elif begin > today:
            state = rng.choice(("approved", "initiating", "planning"))
        else:
            state = rng.choice(("executing",) * 8 + ("on_hold",))
        project_rows.append(
            Project(
                code=f"PRJ-{i:05d}",
                name=f"Project {i:05d}",
                portfolio=portfolios[i % 5],
                program=programs[i % 50] if i % 3 else None,
                manager=people[(5 + i % 300) % len(people)],
                sponsor=people[(400 + i % 100) % len(people)],
                org_unit=units[i % len(units)],
                state=state,
                planned_start=begin,
                planned_finish=end,
                budget=Decimal(rng.randrange(100, 20_000) * 1000),
                health=rng.choice(("green", "green", "amber", "red")),
            )
        )
    projects = _bulk(Project, project_rows)
    through = Project.objectives.through
    _bulk(
        through,
        (
            through(project_id=p.pk, strategicobjective_id=objectives[(i + k) % 8].pk)
            for i, p in enumerate(projects)
            for k in (0, 3)
        ),
    )
    step("projects", len(projects))

    # --- plans: tasks in a finish-to-start chain, one assignment each ------------------------------------------
    per_project = max(1, args.tasks // max(1, args.projects))
    task_rows = []
    for project in projects:
        days_total = max(per_project, (project.planned_finish - project.planned_start).days)
        step_days = max(1, days_total // per_project)
        for n in range(per_project):
            start = project.planned_start + dt.timedelta(days=n * step_days)
            days = max(1, step_days - 1)
            finish = start + dt.timedelta(days=days)
            if finish < today:
                pct = Decimal(100)
            elif start > today:
                pct = Decimal(0)
            else:
                pct = Decimal(rng.randrange(5, 95))
            begin_at = dt.datetime.combine(start, dt.time(8), tz)
            end_at = dt.datetime.combine(finish, dt.time(17), tz)
            task_rows.append(
                Task(
                    project=project,
                    uid=n + 1,
                    position=n + 1,
                    name=f"Task {n + 1}",
                    duration_minutes=days * 480,
                    start=begin_at,
                    finish=end_at,
                    percent_complete=pct,
                    actual_start=begin_at if pct > 0 else None,
                    actual_finish=end_at if pct == 100 else None,
                    early_start=begin_at,
                    early_finish=end_at,
                    late_start=begin_at,
                    late_finish=end_at,
                    total_float_minutes=0,
                    free_float_minutes=0,
                    is_critical=True,
                )
            )
    tasks = _bulk(Task, task_rows)
    del task_rows
    tasks_of: dict[int, list[Task]] = {}
    for t in tasks:
        tasks_of.setdefault(t.project_id, []).append(t)
    step("tasks", len(tasks))
    n = _bulk_count(
        Dependency,
        (Dependency(predecessor=ts[k - 1], successor=ts[k]) for ts in tasks_of.values() for k in range(1, len(ts))),
    )
    step("dependencies", n)
    n = _bulk_count(
        Assignment,
        (
            Assignment(task=t, person=people[rng.randrange(len(people))], units=Decimal(rng.choice(("0.5", "1"))))
            for t in tasks
        ),
    )
    step("assignments", n)

    # --- plans: by default marked scheduled with the generated dates, as the CPM gives them for a plain
    # finish-to-start chain (every task critical, no float); --schedule runs the real CPM on each plan, as the
    # plan page does on its first visit (slow: Django's bulk_update of the task rows dominates).
    calendar = standard_calendar()
    scheduled_at = None if args.schedule else timezone.now()
    _bulk(
        Plan,
        (
            Plan(
                project=p,
                calendar=calendar,
                start=dt.datetime.combine(p.planned_start, dt.time(8), tz),
                next_uid=len(tasks_of.get(p.pk, ())) + 1,
                scheduled_start=tasks_of[p.pk][0].start if p.pk in tasks_of else None,
                scheduled_finish=tasks_of[p.pk][-1].finish if p.pk in tasks_of else None,
                scheduled_at=scheduled_at,
            )
            for p in projects
        ),
    )
    if args.schedule:
        for project in projects:
            plan_schedule(project=project)
    step("plans scheduled" if args.schedule else "plans", len(projects))

    # --- 5 years of timesheets: one per person and week, on a project running that week ----------------------
    weeks = []
    week = first_week
    while week <= _monday(today) - dt.timedelta(days=7):
        weeks.append(week)
        week += dt.timedelta(days=7)
    running: list[list[Project]] = []
    for week in weeks:
        live = [p for p in projects if p.planned_start <= week + dt.timedelta(days=4) and p.planned_finish >= week]
        running.append(live or projects)
    approved_before = _monday(today) - dt.timedelta(days=14)
    decided = timezone.now()

    def sheet_rows() -> Iterator[Timesheet]:
        for person in people:
            current: Project | None = None
            for w, week in enumerate(weeks):
                if current is None or w % 13 == 0 or current.planned_finish < week:
                    current = running[w][rng.randrange(len(running[w]))]
                state = "approved" if week < approved_before else rng.choice(("submitted", "draft"))
                yield Timesheet(
                    person=person,
                    project=current,
                    week_start=week,
                    state=state,
                    submitted_at=decided if state != "draft" else None,
                    decided_at=decided if state == "approved" else None,
                )

    entries = labour = sheets = 0
    rate = {p.pk: Decimal(rng.randrange(40, 140)) for p in people}
    for chunk in _chunks(sheet_rows(), 20_000):
        created = Timesheet.objects.bulk_create(chunk, batch_size=BATCH)
        sheets += len(created)
        entry_rows = []
        cost_rows = []
        for sheet in created:
            ts = tasks_of[sheet.project_id]
            total = Decimal(0)
            for d in range(args.entries_per_week):
                hours = Decimal(rng.choice((6, 7, 8, 8, 8)))
                total += hours
                entry_rows.append(
                    TimeEntry(
                        timesheet=sheet,
                        task=ts[rng.randrange(len(ts))],
                        day=sheet.week_start + dt.timedelta(days=d),
                        hours=hours,
                    )
                )
            if sheet.state == "approved":
                cost_rows.append(
                    CostEntry(
                        project_id=sheet.project_id,
                        date=sheet.week_start + dt.timedelta(days=4),
                        category="labour",
                        amount=total * rate[sheet.person_id],
                        source="timesheet",
                        timesheet=sheet,
                        hours=total,
                    )
                )
        TimeEntry.objects.bulk_create(entry_rows, batch_size=BATCH)
        CostEntry.objects.bulk_create(cost_rows, batch_size=BATCH)
        entries += len(entry_rows)
        labour += len(cost_rows)
        if sheets % 100_000 < len(created):
            log(f"    ... {sheets:,} timesheets   ({time.perf_counter() - started:6.1f} s)")
    step("timesheets", sheets)
    step("time entries", entries)

    # --- other actuals: a material or services cost per project and month while it runs ------------------------
    def cost_rows() -> Iterator[CostEntry]:
        for project in projects:
            month = project.planned_start.replace(day=1)
            last = min(project.planned_finish, today)
            while month <= last:
                yield CostEntry(
                    project=project,
                    date=month + dt.timedelta(days=14),
                    category=rng.choice(("material", "services", "travel")),
                    amount=Decimal(rng.randrange(500, 50_000)),
                    description="Monthly costs",
                    source="import",
                )
                month = (month + dt.timedelta(days=32)).replace(day=1)

    step("cost entries", labour + _bulk_count(CostEntry, cost_rows()))

    # --- risks ----------------------------------------------------------------------------------------------
    def risk_rows() -> Iterator[Risk]:
        for i in range(args.risks):
            project = projects[i % len(projects)]
            p, im = rng.randint(1, 5), rng.randint(1, 5)
            rp, ri = max(1, p - rng.randint(0, 2)), max(1, im - rng.randint(0, 1))
            closed = project.state in ("closed", "cancelled") or rng.random() < 0.2
            yield Risk(
                code=f"R-{i + 1:06d}",
                project=project,
                title=f"Risk {i + 1} of {project.code}",
                cause="A condition",
                event="Something may happen",
                effect="Delay or extra cost",
                category=rng.choice(("technical", "schedule", "cost", "resources")),
                owner=people[rng.randrange(len(people))],
                probability=p,
                impact=im,
                score=p * im,
                cost_impact=Decimal(rng.randrange(0, 200) * 1000),
                schedule_impact_days=rng.randrange(0, 60),
                strategy=rng.choice(("avoid", "mitigate", "transfer", "accept")),
                residual_probability=rp,
                residual_impact=ri,
                residual_score=rp * ri,
                status="closed" if closed else "open",
            )

    step("risks", _bulk_count(Risk, risk_rows()))

    # --- the benchmark's sign-in ----------------------------------------------------------------------------
    user = User.objects.create_user("loadbench", password=PASSWORD)
    user.groups.add(Group.objects.get(name=Role.PMO_DIRECTOR.value))
    Person.objects.filter(pk=people[0].pk).update(user=user)
    token = token_create(user=user, name="load benchmark")[1]
    seconds = time.perf_counter() - started
    log(f"  generated in {seconds:.0f} s")
    running_now = [p.pk for p in projects if p.state in ("executing", "on_hold", "planning", "initiating")]
    return {
        "username": user.username,
        "password": PASSWORD,
        "token": token,
        "project_ids": running_now or [p.pk for p in projects],
        "portfolio_ids": [p.pk for p in portfolios],
        "seconds": round(seconds, 1),
        "counts": counts,
    }


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_arguments(parser)
    return parser.parse_args(argv)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--projects", type=int, default=1000)
    parser.add_argument("--tasks", type=int, default=100_000, help="in all, spread evenly over the projects")
    parser.add_argument("--people", type=int, default=2000)
    parser.add_argument("--years", type=float, default=5, help="years of timesheets and actuals")
    parser.add_argument("--risks", type=int, default=10_000)
    parser.add_argument("--entries-per-week", type=int, default=5, help="time entries per timesheet (days)")
    parser.add_argument(
        "--schedule",
        action=argparse.BooleanOptionalAction,
        default=False,
        help="run the CPM on every plan (about 0.6 s each) instead of marking the generated dates scheduled",
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--today", type=dt.date.fromisoformat, default=dt.date.today(), help="default: today")


def main() -> int:
    args = parse_args()
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pmo.settings")
    import django

    django.setup()
    result = generate(args, log=lambda line: print(line, file=sys.stderr, flush=True))
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
