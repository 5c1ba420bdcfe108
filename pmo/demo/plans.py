"""Plans for the demo projects: realistic phase structures per methodology, shared specialists spread over
several projects at once (so the resource views and levelling have over-allocation to resolve), and
progress recorded up to today on running projects."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from pmo.core.access import SYSTEM
from pmo.planning import links, services
from pmo.planning.models import Task
from pmo.portfolio.models import Project
from pmo.resources.models import Person

# (level, name, working days, predecessors as offsets into this list, role)
WATERFALL = [
    (0, "Initiation", 0, (), None),
    (1, "Project charter", 5, (), "pm"),
    (1, "Stakeholder analysis", 3, (1,), "ba"),
    (1, "Kick-off", 0, (2,), "pm"),
    (0, "Analysis", 0, (), None),
    (1, "Requirements workshops", 10, (3,), "ba"),
    (1, "Requirements specification", 8, (5,), "ba"),
    (1, "Requirements signed off", 0, (6,), "pm"),
    (0, "Design", 0, (), None),
    (1, "Solution architecture", 10, (7,), "specialist"),
    (1, "Detailed design", 12, (9,), "specialist"),
    (1, "Design review", 0, (10,), "pm"),
    (0, "Build", 0, (), None),
    (1, "Build increment 1", 15, (11,), "specialist"),
    (1, "Build increment 2", 15, (13,), "specialist"),
    (1, "Integration", 8, (14,), "specialist"),
    (0, "Test", 0, (), None),
    (1, "System test", 10, (15,), "ba"),
    (1, "User acceptance test", 10, (17,), "ba"),
    (1, "Defect fixing", 8, (17,), "specialist"),
    (0, "Deploy", 0, (), None),
    (1, "Training", 5, (18,), "ba"),
    (1, "Cutover", 3, (18, 19), "specialist"),
    (1, "Go-live", 0, (21, 22), "pm"),
    (0, "Closure", 0, (), None),
    (1, "Lessons learned", 2, (23,), "pm"),
    (1, "Closure report", 3, (25,), "pm"),
]

AGILE = [
    (0, "Inception", 0, (), None),
    (1, "Product vision and backlog", 5, (), "ba"),
    (1, "Team onboarding", 3, (), "pm"),
    (1, "Architecture runway", 8, (1,), "specialist"),
    (0, "Delivery", 0, (), None),
    (1, "Sprint 1", 10, (1, 2, 3), "specialist"),
    (1, "Sprint 2", 10, (5,), "specialist"),
    (1, "Sprint 3", 10, (6,), "specialist"),
    (1, "Release 1", 0, (7,), "pm"),
    (1, "Sprint 4", 10, (7,), "specialist"),
    (1, "Sprint 5", 10, (9,), "specialist"),
    (1, "Sprint 6", 10, (10,), "specialist"),
    (1, "Release 2", 0, (11,), "pm"),
    (0, "Transition", 0, (), None),
    (1, "User documentation", 6, (10,), "ba"),
    (1, "Operations handover", 4, (12, 14), "specialist"),
    (1, "Retrospective and lessons learned", 1, (15,), "pm"),
]

HYBRID = [
    (0, "Mobilise", 0, (), None),
    (1, "Business case refresh", 4, (), "pm"),
    (1, "Requirements and backlog", 10, (1,), "ba"),
    (1, "Vendor selection", 15, (1,), "pm"),
    (1, "Contract signed", 0, (3,), "pm"),
    (0, "Iterative delivery", 0, (), None),
    (1, "Iteration 1", 15, (2, 4), "specialist"),
    (1, "Iteration 2", 15, (6,), "specialist"),
    (1, "Iteration 3", 15, (7,), "specialist"),
    (1, "Data migration", 12, (6,), "data"),
    (0, "Acceptance and roll-out", 0, (), None),
    (1, "Acceptance test", 10, (8, 9), "ba"),
    (1, "Pilot site", 10, (11,), "specialist"),
    (1, "Roll-out", 15, (12,), "specialist"),
    (1, "Handover to operations", 0, (13,), "pm"),
    (1, "Lessons learned", 2, (14,), "pm"),
]

TEMPLATES = {"waterfall": WATERFALL, "agile": AGILE, "hybrid": HYBRID}

# Who does the "ba", "specialist" and "data" work, by the project's unit.
SPECIALISTS = {
    "IT-ENG": ("Jonas Weber",),
    "IT-DATA": ("Rahul Mehta",),
    "IT-INF": ("Elena Petrova",),
    "MKT": ("Jonas Weber",),
    "OPS": ("Kwame Mensah",),
    "FIN": ("Rahul Mehta",),
    "LEGAL": ("Chloe Dubois",),
    "HR": ("Chloe Dubois",),
}
BUSINESS_ANALYST = "Chloe Dubois"
# Share of their time people give one project's task: specialists are spread over several projects, and
# even so, some are over-allocated (which the resource views and levelling are there to show).
ROLE_UNITS = {"pm": Decimal("0.2"), "ba": Decimal("0.5"), "specialist": Decimal("0.5"), "data": Decimal("0.5")}
DATA_ENGINEER = "Rahul Mehta"


# Three-point estimates (optimistic, pessimistic) as shares of the most likely duration, by the kind of
# work: building and integrating is the least predictable, documents and ceremonies the most.
ESTIMATE_RANGES = (
    (("Build", "Integration", "Sprint", "Defect", "Migration", "Cutover"), (0.85, 1.6)),
    (("Requirements", "architecture", "design", "Architecture", "Design", "test", "Test"), (0.9, 1.35)),
)
DEFAULT_RANGE = (0.95, 1.2)


def _estimate(name: str, minutes: int) -> tuple[int | None, int | None]:
    if minutes == 0:
        return None, None
    low, high = next((r for words, r in ESTIMATE_RANGES if any(w in name for w in words)), DEFAULT_RANGE)
    half_day = 240  # estimates in half days, as people give them
    return round(minutes * low / half_day) * half_day, round(minutes * high / half_day) * half_day


# Deliverables one project waits for from another: (consumer project, its task, provider project, the
# deliverable, weeks of margin the consumer asked for before it needs it).
# consumer project and task, provider project and task, needed this many weeks before the consumer task
# starts, or (last value) this many days before the provider's forecast: a deliverable already late.
CROSS_LINKS = (
    ("DIG-006", "Data migration", "DIG-007", "Design review", 2, 0),  # Customer 360 needs the lakehouse design
    ("DIG-002", "Sprint 4", "REG-002", "Contract signed", 1, 0),  # self-service needs the consent platform
    ("OPS-012", "Go-live", "OPS-001", "Go-live", 0, 0),  # the shared services centre runs on the new WMS
    ("DIG-006", "Iteration 3", "DIG-007", "Build increment 2", 0, 10),  # the lakehouse's second increment slipped
)


def _template_length(template: list) -> int:
    """Working days from the first task's start to the last finish (a forward pass over the template)."""
    finish: dict[int, int] = {}
    for offset, (_level, _name, days, predecessors, _role) in enumerate(template):
        start = max((finish[p] for p in predecessors), default=0)
        finish[offset] = start + days
    return max(finish.values())


def _scale_to_fit(template: list, project: Project) -> float:
    if not (project.planned_start and project.planned_finish):
        return 1.0
    calendar_days = (project.planned_finish - project.planned_start).days
    working_days = calendar_days * 5 / 7
    return max(0.3, working_days / _template_length(template))


def _work_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(8, 0)))


def load_demo_plans(*, today: dt.date) -> int:
    """Give every demo project past the proposal stage a plan; returns the number of tasks created."""
    people = {p.name: p for p in Person.objects.all()}
    created = 0
    projects = Project.objects.exclude(state="proposed").select_related("manager", "org_unit").order_by("code")
    for project in projects:
        template = TEMPLATES[project.methodology]
        unit = project.org_unit.code if project.org_unit else "IT-ENG"
        roles = {
            "pm": project.manager,
            "ba": people[BUSINESS_ANALYST],
            "specialist": people[SPECIALISTS.get(unit, ("Jonas Weber",))[0]],
            "data": people[DATA_ENGINEER],
        }
        specs = []
        parent_uid = None
        # Stretch the template so that the plan spans the project's planned dates.
        scale = _scale_to_fit(template, project)
        for offset, (level, name, days, predecessors, role) in enumerate(template):
            uid = offset + 1
            if level == 0:
                parent_uid = None
            minutes = 0 if days == 0 else max(1, round(days * scale)) * 480
            person = roles.get(role) if role else None
            units = ROLE_UNITS.get(role or "", Decimal("1"))
            optimistic, pessimistic = _estimate(name, minutes)
            specs.append(
                services.TaskSpec(
                    uid=uid,
                    name=name,
                    duration_minutes=minutes,
                    parent_uid=parent_uid if level else None,
                    links=tuple((p + 1, "FS", 0, False) for p in predecessors),
                    assignments=((person, units),) if person and minutes else (),
                    optimistic_minutes=optimistic,
                    pessimistic_minutes=pessimistic,
                )
            )
            if level == 0:
                parent_uid = uid
        start = _work_start(project.planned_start or today)
        services.plan_replace(actor=SYSTEM, project=project, tasks=specs, start=start, source="demo plan")
        created += len(specs)
        if project.state in ("executing", "on_hold", "closing", "closed", "cancelled", "initiating", "planning"):
            _record_progress(project, today=today)
    _cross_links()
    return created


def _cross_links() -> None:
    for consumer_code, consumer_name, provider_code, provider_name, weeks, late in CROSS_LINKS:
        consumer = Task.objects.filter(project__code=consumer_code, name=consumer_name).first()
        provider = Task.objects.filter(project__code=provider_code, name=provider_name).first()
        if consumer is None or provider is None or consumer.start is None or provider.finish is None:
            continue
        needed = timezone.localtime(consumer.start).date() - dt.timedelta(weeks=weeks)
        if late:
            needed = timezone.localtime(provider.finish).date() - dt.timedelta(days=late)
        links.cross_link_create(actor=SYSTEM, provider=provider, consumer=consumer, date_needed=needed)


def _record_progress(project: Project, *, today: dt.date) -> None:
    """Mark work scheduled before today as done (closed projects: all of it), and work under way as started."""
    now = _work_start(today)
    finished_state = project.state in ("closed",)
    tasks = list(Task.objects.filter(project=project, is_summary=False))
    for task in tasks:
        if task.start is None or task.finish is None:
            continue
        if finished_state or task.finish <= now:
            task.actual_start, task.actual_finish, task.percent_complete = task.start, task.finish, Decimal("100")
        elif task.start < now:
            span = (task.finish - task.start).total_seconds() or 1
            task.actual_start = task.start
            share = round(100 * (now - task.start).total_seconds() / span)
            task.percent_complete = Decimal(min(99, max(1, share)))
    Task.objects.bulk_update(tasks, ["actual_start", "actual_finish", "percent_complete"], batch_size=500)
    plan = services.plan_of(project)
    plan.status_date = now
    plan.save(update_fields=["status_date"])
    services.plan_schedule(project=project)
