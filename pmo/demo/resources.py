"""Resource pool demo data: roles and skills of the demo people, role requirements with gaps, capacity that
changes over time (part-timers, one reduction ahead), leave, non-project shares, cost rate history, generic
resources, resource requests in every state, certifications (one expiring soon, one expired) and training
plans (one done, which raised a level)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.contrib.auth import get_user_model

from pmo.core.access import SYSTEM
from pmo.portfolio.models import Project
from pmo.resources import services
from pmo.resources.models import JobRole, OrgUnit, Person, Skill

ROLES = [  # name, standard hours a week, description
    ("Project manager", "40", "Plans and leads projects."),
    ("Developer", "40", "Builds and maintains software."),
    ("Business analyst", "38", "Elicits requirements and models processes."),
    ("Data engineer", "40", "Builds data pipelines and models."),
    ("Cloud engineer", "40", "Runs the cloud platform."),
    ("Process engineer", "40", "Improves operational processes."),
    ("PMO analyst", "38", "Reports on and supports the portfolio."),
]

SKILLS = [  # name, category
    ("Python", "Technical"),
    ("Java", "Technical"),
    ("SQL", "Technical"),
    ("Kubernetes", "Technical"),
    ("AWS", "Technical"),
    ("Data modelling", "Technical"),
    ("Requirements analysis", "Business"),
    ("Process modelling", "Business"),
    ("Lean", "Business"),
    ("Scrum", "Method"),
    ("Scheduling", "Method"),
    ("Risk management", "Method"),
    ("Stakeholder management", "Leadership"),
]

REQUIREMENTS = [  # role, skill, level
    ("Project manager", "Scheduling", 4),
    ("Project manager", "Risk management", 3),
    ("Project manager", "Stakeholder management", 4),
    ("Developer", "Python", 4),
    ("Developer", "SQL", 3),
    ("Developer", "Kubernetes", 2),
    ("Business analyst", "Requirements analysis", 4),
    ("Business analyst", "Scrum", 3),
    ("Data engineer", "SQL", 4),
    ("Data engineer", "Data modelling", 3),
    ("Cloud engineer", "AWS", 4),
    ("Cloud engineer", "Kubernetes", 3),
    ("Process engineer", "Lean", 3),
    ("PMO analyst", "Scheduling", 3),
    ("PMO analyst", "Risk management", 3),
]

# person, primary role, other roles, non-project share %, {skill: level}
PEOPLE = [
    (
        "Tom Fischer",
        "Project manager",
        [],
        0,
        {"Scheduling": 5, "Risk management": 4, "Stakeholder management": 4, "Scrum": 4},
    ),
    ("Aisha Bello", "Project manager", [], 0, {"Scheduling": 4, "Risk management": 2, "Stakeholder management": 4}),
    (
        "Lucas Moreau",
        "Project manager",
        ["Process engineer"],
        10,
        {"Scheduling": 3, "Risk management": 3, "Stakeholder management": 4, "Lean": 4},
    ),
    (
        "Mei Chen",
        "Project manager",
        ["Data engineer"],
        0,
        {"Scheduling": 4, "Risk management": 3, "Stakeholder management": 3, "SQL": 4, "Data modelling": 3},
    ),
    ("Oliver Grant", "Project manager", [], 0, {"Scheduling": 4, "Risk management": 4, "Stakeholder management": 3}),
    ("Fatima Zahra", "Project manager", [], 0, {"Scheduling": 4, "Risk management": 4, "Stakeholder management": 5}),
    ("Priya Natarajan", "PMO analyst", [], 0, {"Scheduling": 4, "Risk management": 3, "SQL": 3}),
    ("Marcus Webb", "PMO analyst", [], 0, {"Scheduling": 2, "Risk management": 3}),
    ("Jonas Weber", "Developer", [], 0, {"Python": 4, "Java": 3, "SQL": 2, "Scrum": 3}),
    ("Chloe Dubois", "Business analyst", [], 0, {"Requirements analysis": 4, "Process modelling": 4, "Scrum": 2}),
    ("Rahul Mehta", "Data engineer", ["Developer"], 0, {"Python": 4, "SQL": 5, "Data modelling": 3, "AWS": 2}),
    ("Elena Petrova", "Cloud engineer", [], 20, {"AWS": 4, "Kubernetes": 2, "Python": 3}),
    ("Kwame Mensah", "Process engineer", [], 40, {"Lean": 4, "Process modelling": 3}),
]


def load_demo_resources(*, today: dt.date) -> int:
    """Load the resource pool demo; returns the number of resource requests."""
    roles = {
        name: services.job_role_create(
            actor=SYSTEM, name=name, standard_hours_per_week=Decimal(hours), description=description
        )
        for name, hours, description in ROLES
    }
    skills = {name: services.skill_create(actor=SYSTEM, name=name, category=cat) for name, cat in SKILLS}
    for role, skill, level in REQUIREMENTS:
        services.role_requirement_set(actor=SYSTEM, role=roles[role], skill=skills[skill], required_level=level)
    people = {p.name: p for p in Person.objects.all()}
    for name, primary, others, share, levels in PEOPLE:
        person = people[name]
        services.person_profile_set(
            actor=SYSTEM,
            person=person,
            primary_role=roles[primary],
            other_roles=[roles[r] for r in others],
            non_project_percent=Decimal(share),
        )
        for skill, level in levels.items():
            services.person_skill_set(actor=SYSTEM, person=person, skill=skills[skill], level=level)
    _capacity_and_leave(people, today)
    _generic(roles, today)
    _training(people, skills, today)
    return _requests(people, roles, skills, today)


def _monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def _capacity_and_leave(people: dict[str, Person], today: dt.date) -> None:
    year_start = dt.date(today.year, 1, 1)
    add = services.capacity_period_add
    add(actor=SYSTEM, person=people["Chloe Dubois"], start=year_start, hours_per_week=Decimal("32"), note="Four days")
    add(actor=SYSTEM, person=people["Elena Petrova"], start=year_start, fte=Decimal("0.8"), note="Part-time")
    # One change over time: full time now, part time from two months ahead.
    change = _monday(today + dt.timedelta(days=60))
    add(actor=SYSTEM, person=people["Rahul Mehta"], start=year_start, hours_per_week=Decimal("40"))
    add(
        actor=SYSTEM,
        person=people["Rahul Mehta"],
        start=change,
        hours_per_week=Decimal("24"),
        note="Parental part-time",
    )
    monday = _monday(today)
    leave = [
        ("Jonas Weber", 14, 11, "vacation", "Summer holiday"),
        ("Chloe Dubois", 35, 4, "vacation", ""),
        ("Rahul Mehta", 49, 9, "parental", "Parental leave"),
        ("Elena Petrova", -2, 4, "sick", ""),
        ("Tom Fischer", 28, 4, "training", "PMP refresher"),
        ("Kwame Mensah", 70, 11, "vacation", ""),
    ]
    for name, offset, days, reason, note in leave:
        start = monday + dt.timedelta(days=offset)
        services.absence_add(
            actor=SYSTEM,
            person=people[name],
            start=start,
            finish=start + dt.timedelta(days=days),
            reason=reason,
            note=note,
        )
    rates = [("Jonas Weber", -400, "82.00"), ("Jonas Weber", -30, "88.00"), ("Rahul Mehta", -200, "90.00")]
    for name, offset, rate in rates:
        services.cost_rate_add(
            actor=SYSTEM,
            person=people[name],
            effective_from=today + dt.timedelta(days=offset),
            rate_per_hour=Decimal(rate),
        )


def _generic(roles: dict[str, JobRole], today: dt.date) -> None:
    units = {u.code: u for u in OrgUnit.objects.all()}
    start = dt.date(today.year, today.month, 1)
    for role, unit, headcount, months, note in [
        ("Developer", "IT-ENG", "2", 6, "Contractors for the mobile releases"),
        ("Data engineer", "IT-DATA", "1", 9, "Data platform build"),
        ("Business analyst", None, "1.5", 4, "Intake of the next proposals"),
    ]:
        services.generic_resource_create(
            actor=SYSTEM,
            role=roles[role],
            org_unit=units[unit] if unit else None,
            headcount=Decimal(headcount),
            start=start,
            finish=start + dt.timedelta(days=30 * months),
            note=note,
        )


def _training(people: dict[str, Person], skills: dict[str, Skill], today: dt.date) -> None:
    add = services.training_record_add
    days = dt.timedelta
    add(
        actor=SYSTEM,
        person=people["Tom Fischer"],
        kind="certification",
        title="PMP",
        provider="PMI",
        skill=skills["Scheduling"],
        completed_on=today - days(1065),
        expires_on=today + days(30),
    )
    add(
        actor=SYSTEM,
        person=people["Elena Petrova"],
        kind="certification",
        title="AWS Solutions Architect Associate",
        provider="Amazon Web Services",
        skill=skills["AWS"],
        completed_on=today - days(1115),
        expires_on=today - days(20),
    )
    add(
        actor=SYSTEM,
        person=people["Chloe Dubois"],
        kind="certification",
        title="Professional Scrum Master I",
        provider="Scrum.org",
        skill=skills["Scrum"],
        completed_on=today - days(300),
    )
    add(
        actor=SYSTEM,
        person=people["Priya Natarajan"],
        kind="certification",
        title="PRINCE2 Practitioner",
        provider="PeopleCert",
        completed_on=today - days(500),
        expires_on=today + days(600),
    )
    add(
        actor=SYSTEM,
        person=people["Jonas Weber"],
        kind="course",
        title="Clean architecture in Python",
        skill=skills["Python"],
        completed_on=today - days(120),
    )
    plan = services.training_plan_create
    done = plan(
        actor=SYSTEM,
        person=people["Rahul Mehta"],
        skill=skills["AWS"],
        target_level=3,
        course="AWS data analytics",
        due_date=today - days(10),
    )
    services.training_plan_complete(actor=SYSTEM, plan=done, completed_on=today - days(14))
    started = plan(
        actor=SYSTEM,
        person=people["Chloe Dubois"],
        skill=skills["Scrum"],
        target_level=3,
        course="Scrum in practice (3 days)",
        due_date=today + days(45),
    )
    services.training_plan_start(actor=SYSTEM, plan=started)
    plan(
        actor=SYSTEM,
        person=people["Marcus Webb"],
        skill=skills["Scheduling"],
        target_level=3,
        course="Scheduling with critical path",
        due_date=today + days(90),
    )


def _requests(people: dict[str, Person], roles: dict[str, JobRole], skills: dict[str, Skill], today: dt.date) -> int:
    users = {u.username: u for u in get_user_model().objects.all()}
    pm, pm4, rm = users["pm"], users["pm4"], users["resources"]
    dig = Project.objects.get(code="DIG-001")
    data = (
        Project.objects.filter(manager=people["Mei Chen"]).exclude(state__in=("closed", "cancelled")).order_by("code")
    )
    data_project = data.first() or dig
    day = dt.timedelta
    monday = _monday(today)
    submit = services.resource_request_submit
    # Waiting: a developer with Kubernetes for the mobile app; a business analyst for the data project.
    submit(
        actor=pm,
        project=dig,
        role=roles["Developer"],
        skill=skills["Kubernetes"],
        min_level=2,
        hours_per_week=Decimal("20"),
        start=monday + day(21),
        finish=monday + day(21 + 16 * 7),
        note="Release pipeline move to the new cluster.",
    )
    submit(
        actor=pm4,
        project=data_project,
        role=roles["Business analyst"],
        fte=Decimal("0.5"),
        start=monday + day(28),
        finish=monday + day(28 + 12 * 7),
        note="Requirements for the reporting layer.",
    )
    assigned = submit(
        actor=pm,
        project=dig,
        role=roles["Business analyst"],
        skill=skills["Requirements analysis"],
        min_level=3,
        fte=Decimal("0.5"),
        start=monday - day(14),
        finish=monday + day(70),
    )
    services.resource_request_assign(
        actor=rm, request=assigned, person=people["Chloe Dubois"], note="Half time, Monday to Wednesday."
    )
    declined = submit(
        actor=pm4,
        project=data_project,
        role=roles["Cloud engineer"],
        hours_per_week=Decimal("32"),
        start=monday + day(7),
        finish=monday + day(63),
    )
    services.resource_request_decline(
        actor=rm,
        request=declined,
        reason="The only cloud engineer is part-time and fully booked; ask again next quarter.",
    )
    withdrawn = submit(
        actor=pm,
        project=dig,
        role=roles["Data engineer"],
        hours_per_week=Decimal("8"),
        start=monday + day(14),
        finish=monday + day(42),
    )
    services.resource_request_withdraw(actor=pm, request=withdrawn, reason="Rahul covers it within the team.")
    return 5
