"""The demo's knowledge: the PMO's lesson categories; lessons and best practices from the demo projects (several
marked relevant for similar projects); the completed closure of DIG-005 (report, session, lessons, closed); the
closure of the project killed at its gate (started by governance, or DIG-014 where governance killed none) taken
to its end with its lessons; DIG-015's closure under way; three maturity self-assessments over two years with
their improvement actions (done, open, one overdue)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.utils import timezone

from pmo.core.access import SYSTEM
from pmo.knowledge import services
from pmo.knowledge.models import Closure, ImprovementAction, Lesson, LessonCategory, MaturityAssessment
from pmo.portfolio.models import LifecycleState, Project
from pmo.resources.models import Person

CATEGORIES = [
    ("Requirements and scope", "Understanding, agreeing and controlling what is delivered."),
    ("Planning and estimating", "Schedules, estimates, contingency and dependencies."),
    ("Suppliers and contracts", "Choosing, contracting and steering vendors."),
    ("Stakeholders and communication", "Sponsors, users and the people affected."),
    ("Data and migration", "Moving, cleaning and owning data."),
    ("Testing and quality", "Test strategy, acceptance and defects."),
    ("Governance and decisions", "Gates, steering committees, business cases and escalation."),
    ("People and team", "Staffing, skills, handovers and ways of working."),
    ("Change and adoption", "Training, roll-out and making the change stick."),
]

# (project, kind, title, what happened, impact, recommendation, category, phase, tags, relevant, user, days ago)
LESSONS: list[tuple[Any, ...]] = [
    (
        "DIG-005",
        "lesson",
        "Partner onboarding took twice the planned time",
        "The loyalty relaunch depended on 14 retail partners joining the new points scheme. Each partner's legal "
        "review of the data-sharing agreement took six to nine weeks instead of the three planned.",
        "Launch moved by seven weeks; two partners joined only after go-live.",
        "Send the data-sharing agreement to partners in the first month and track each signature as a milestone.",
        "Suppliers and contracts",
        "executing",
        "partners, contracts, legal review",
        True,
        "pm2",
        250,
    ),
    (
        "DIG-005",
        "lesson",
        "Marketing calendar fixed the go-live date, not the plan",
        "The relaunch date was announced in the spring campaign before the plan was baselined.",
        "The team worked to a date with no contingency and cut the second release of the app features.",
        "Do not announce a go-live date before the plan is baselined at the planning gate.",
        "Governance and decisions",
        "planning",
        "go-live, communication, baseline",
        True,
        "pm2",
        250,
    ),
    (
        "DIG-005",
        "best_practice",
        "Weekly demo to store managers built early adoption",
        "Every Friday the team showed the new member screens to a rotating group of store managers.",
        "Store staff knew the new scheme at launch; support calls in the first month were 40 % below forecast.",
        "Show working software to the people who will explain it to customers, every week.",
        "Change and adoption",
        "executing",
        "adoption, demo, stores",
        True,
        "pm2",
        248,
    ),
    (
        "OPS-005",
        "lesson",
        "Contractor access to the live plant was not planned",
        "The Plant 2 layout work needed contractors on the shop floor while production ran; the safety induction "
        "and permit process had not been scheduled.",
        "Three weeks of idle contractor time, paid under the fixed-day-rate contract.",
        "Plan site inductions and permits as tasks in the first phase of any plant project.",
        "Planning and estimating",
        "planning",
        "plant, safety, contractors",
        True,
        "pm3",
        420,
    ),
    (
        "OPS-013",
        "lesson",
        "Card limits were agreed too late with Finance",
        "Spending limits per card holder were only agreed after the cards had been ordered.",
        "1,200 cards had to be re-issued.",
        "Agree the policy (limits, merchant categories) before ordering cards or licences.",
        "Requirements and scope",
        "initiating",
        "policy, finance",
        False,
        "pm5",
        360,
    ),
    (
        "DIG-001",
        "lesson",
        "App-store review rejected the first release twice",
        "Apple's review rejected the first mobile banking build for missing account-deletion flows, then for the "
        "screenshots.",
        "Release slipped by 12 days.",
        "Check the store review guidelines at design time and submit a test build four weeks before launch.",
        "Testing and quality",
        "executing",
        "app store, mobile, release",
        True,
        "pm",
        60,
    ),
    (
        "DIG-007",
        "lesson",
        "Source systems' data quality was assumed, not measured",
        "The lakehouse plan assumed clean CRM and ERP extracts; profiling in sprint 3 found 18 % duplicate customers.",
        "A data-cleansing workstream was added (six weeks, two data engineers).",
        "Profile every source system's data before the plan is baselined.",
        "Data and migration",
        "planning",
        "data quality, migration, profiling",
        True,
        "pm4",
        120,
    ),
    (
        "OPS-001",
        "lesson",
        "Vendor's key consultant left mid-project",
        "The warehouse system vendor replaced its solution architect in month five without notice.",
        "Design decisions had to be re-explained; four weeks lost.",
        "Name key people in the contract, with notice and handover terms.",
        "Suppliers and contracts",
        "executing",
        "vendor, key people, contracts",
        False,
        "pm3",
        90,
    ),
    (
        "REG-004",
        "best_practice",
        "Micro-learning modules beat the annual classroom session",
        "Privacy training was given as six ten-minute modules over three months instead of one two-hour session.",
        "97 % completion against 71 % the year before.",
        "Split mandatory training into short modules spread over weeks.",
        "Change and adoption",
        "executing",
        "training, e-learning, compliance",
        False,
        "pm6",
        300,
    ),
    (
        None,
        "best_practice",
        "Pre-mortem at the planning gate",
        "Before the planning gate, the team imagines the project has failed and lists why; each reason becomes a "
        "risk or a plan change.",
        "Projects that ran a pre-mortem raised 30 % more risks early and had fewer surprises in execution.",
        "Run a one-hour pre-mortem with the core team before every planning gate.",
        "Governance and decisions",
        "planning",
        "risk, pre-mortem, gates",
        True,
        "analyst",
        500,
    ),
    (
        None,
        "best_practice",
        "Profile data before you baseline",
        "Data projects that profiled their sources in the first two weeks kept their schedules better.",
        "Fewer re-plans on DIG-006 and OPS-003 than on projects that did not.",
        "Make source data profiling a deliverable of the initiating phase of data and migration projects.",
        "Data and migration",
        "initiating",
        "data quality, profiling",
        True,
        "analyst",
        100,
    ),
    (
        None,
        "best_practice",
        "One decision log per steering committee",
        "The PMO gives every steering committee one decision log: decision, owner, date, reason.",
        "Gate reviews found the evidence for earlier decisions in minutes instead of hours.",
        "Keep the decision log in the project's documents and link it as gate evidence.",
        "Governance and decisions",
        "whole",
        "steering committee, decisions",
        False,
        "director",
        400,
    ),
]

# The project killed at its gate: its lessons (DIG-014 in the demo's own data).
KILLED_LESSONS = [
    (
        "Business case assumptions were never re-validated",
        "The mainframe decommissioning case assumed 40 % of batch jobs could be retired. Discovery at the design "
        "gate found 85 % still fed regulatory reports.",
        "The savings fell from 2.1 to 0.6 million a year and the project was killed at the gate.",
        "Re-validate the business case's key assumptions at every gate, with the numbers, before spending more.",
        "Governance and decisions",
        "planning",
        "business case, mainframe, decommissioning",
        True,
    ),
    (
        "Dependency inventory came too late",
        "Nobody owned the inventory of interfaces to the mainframe; it was built by the team in month four.",
        "Four months of work before the real scope was known.",
        "Build the interface and dependency inventory in the initiating phase of any decommissioning project.",
        "Requirements and scope",
        "initiating",
        "dependencies, legacy, decommissioning, mainframe",
        True,
    ),
]

ASSESSMENTS = [
    (
        720,
        "Baseline assessment",
        {"governance": 2, "method": 2, "resources": 1, "benefits": 1, "risk": 2, "reporting": 2},
        "First self-assessment of the PMO, with the portfolio managers.",
    ),
    (
        360,
        "Annual review",
        {"governance": 3, "method": 3, "resources": 2, "benefits": 2, "risk": 2, "reporting": 3},
        "Stage gates and the status report template are in use on every project.",
    ),
    (
        20,
        "Annual review",
        {"governance": 3, "method": 3, "resources": 3, "benefits": 2, "risk": 3, "reporting": 4},
        "Resource pool and capacity planning live; benefits tracking still manual.",
    ),
]

# (assessment index, dimension, title, owner username, due in days from today, status, done days ago)
ACTIONS = [
    (0, "governance", "Introduce stage gates with go/hold/kill decisions", "director", -500, "done", 520),
    (0, "resources", "Build a single resource pool with capacity per person", "resources", -380, "done", 400),
    (1, "benefits", "Name a benefit owner for every project at approval", "portfolio", -45, "in_progress", None),
    (1, "risk", "Monthly portfolio risk review with the executives", "analyst", -200, "done", 210),
    (2, "benefits", "Track realised benefits for 12 months after closure", "analyst2", 120, "open", None),
    (2, "method", "Make the lessons-learned session part of every closure", "director", 30, "in_progress", None),
    (2, "resources", "Skills matrix for every team member", "resources", 90, "open", None),
]


def _users() -> dict[str, Any]:
    return {u.username: u for u in get_user_model().objects.all()}


def _at(today: dt.date, days_ago: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(today - dt.timedelta(days=days_ago), dt.time(10, 0)))


def _categories() -> dict[str, LessonCategory]:
    return {
        name: services.category_create(actor=SYSTEM, name=name, description=description)
        for name, description in CATEGORIES
    }


def _lesson(
    categories: dict[str, LessonCategory], project: Project | None, spec: tuple[Any, ...], actor: Any
) -> Lesson:
    title, what, impact, recommendation, category, phase, tags, relevant = spec
    lesson = services.lesson_create(
        actor=SYSTEM,
        project=project,
        title=title,
        what_happened=what,
        impact=impact,
        recommendation=recommendation,
        category=categories[category],
        phase=phase,
        tags=tags,
        relevant=relevant,
    )
    if actor is not None:
        Lesson.objects.filter(pk=lesson.pk).update(recorded_by=actor)
    return lesson


def _close_through_closure(project: Project, today: dt.date, closed_days_ago: int, **report: Any) -> Closure:
    """Take a demo project that is already "closed" back through its closure: the demo creates projects in their
    final state, so the closure runs from "closing" to record the report, the session and the close."""
    Project.objects.filter(pk=project.pk).update(state=LifecycleState.CLOSING)
    project.refresh_from_db()
    closure = services.closure_start(actor=SYSTEM, project=project, reason="Delivered and handed over.")
    closure = services.closure_report_save(actor=SYSTEM, closure=closure, **report)
    closure = services.closure_session_save(
        actor=SYSTEM,
        closure=closure,
        session_date=today - dt.timedelta(days=closed_days_ago + 6),
        participants="Aisha Bello (project manager)\nDaniel Brooks (portfolio manager)\nCarla Rossi (marketing)\n"
        "Chloe Dubois (business analyst)\nPriya Natarajan (PMO analyst, facilitator)",
        notes="Two-hour retrospective with the team and the sponsor's delegate; lessons reviewed by the PMO.",
    )
    closure = services.closure_close(actor=SYSTEM, closure=closure, comment="Closure report accepted by the sponsor.")
    Closure.objects.filter(pk=closure.pk).update(
        closed_at=_at(today, closed_days_ago), created_at=_at(today, closed_days_ago + 20)
    )
    return closure


def load_demo_knowledge(*, today: dt.date) -> None:
    users = _users()
    categories = _categories()
    projects = {p.code: p for p in Project.objects.all()}
    lessons_of: dict[str, list[Lesson]] = {}
    for code, kind, title, what, impact, rec, category, phase, tags, relevant, username, days in LESSONS:
        project = projects.get(code) if code else None
        if code and project is None:
            continue
        lesson = _lesson(
            categories, project, (title, what, impact, rec, category, phase, tags, relevant), users.get(username)
        )
        Lesson.objects.filter(pk=lesson.pk).update(kind=kind, created_at=_at(today, days))
        lessons_of.setdefault(code or "", []).append(lesson)
    # kind changed after indexing: index again so the search groups best practices apart
    from pmo.knowledge import search

    for lesson in Lesson.objects.select_related("category", "project"):
        search.index_lesson(lesson)

    # DIG-005: a complete closure, closed.
    loyalty = projects.get("DIG-005")
    if loyalty is not None and loyalty.state == LifecycleState.CLOSED:
        _close_through_closure(
            loyalty,
            today,
            closed_days_ago=230,
            objectives_met="partly",
            objectives_comment="Digital revenue grew as planned; satisfaction rose 9 points, not 15.",
            # the partners' invoices were booked outside pmo: the final cost comes from Finance's ledger
            final_cost=Decimal("668500.00"),
            objectives=[
                {"objective": str(o), "met": met, "comment": comment}
                for o, (met, comment) in zip(
                    loyalty.objectives.order_by("code"),
                    [("yes", "Members spend 12 % more online."), ("partly", "NPS +9 against +15.")],
                    strict=False,
                )
            ],
            benefits_handed_over="The points scheme and the partner portal are run by Marketing Operations (Carla "
            "Rossi); the PMO tracks member spend and NPS quarterly for a year.",
            recommendations="Start partner contracts in the first month; never announce a date before the baseline; "
            "keep the weekly store demos on the next customer-facing project.",
        )

    # The project killed at its gate: governance started its closure; else DIG-014, stopped at its gate.
    killed = list(Closure.objects.filter(killed=True).select_related("project"))
    if not killed:
        mainframe = projects.get("DIG-014")
        if mainframe is not None and mainframe.state == LifecycleState.CANCELLED:
            killed = [
                services.closure_start(
                    actor=SYSTEM,
                    project=mainframe,
                    reason="Killed at the design gate: the business case no longer holds.",
                    killed=True,
                )
            ]
    for closure in killed:
        project = closure.project
        for spec in KILLED_LESSONS:
            _lesson(categories, project, spec, project.manager.user if project.manager_id else None)
        closure = services.closure_report_save(
            actor=SYSTEM,
            closure=closure,
            objectives_met="no",
            objectives_comment="Stopped before delivery: none of the objectives were pursued further.",
            benefits_handed_over="",
            recommendations="Re-validate business case assumptions at every gate; build the dependency inventory "
            "first on decommissioning work.",
        )
        closure = services.closure_session_save(
            actor=SYSTEM,
            closure=closure,
            session_date=today - dt.timedelta(days=3),
            participants=f"{project.manager or 'Project manager'} (project manager)\nMargaret Osei (PMO director)\n"
            "Elena Petrova (cloud engineer)\nPriya Natarajan (PMO analyst, facilitator)",
            notes="What we knew at each gate, and what we should have asked earlier.",
        )
        services.closure_close(actor=SYSTEM, closure=closure, comment="Killed project archived with its lessons.")

    # DIG-015: closing, its closure under way (report drafted, session not yet held).
    checkout = projects.get("DIG-015")
    if checkout is not None and checkout.state == LifecycleState.CLOSING:
        closure = services.closure_start(actor=SYSTEM, project=checkout, reason="Delivered: new checkout is live.")
        services.closure_report_save(
            actor=SYSTEM,
            closure=closure,
            objectives_met="yes",
            objectives_comment="Checkout conversion up from 61 % to 68 %.",
            benefits_handed_over="",
            recommendations="",
        )
        _lesson(
            categories,
            checkout,
            (
                "A/B test of the new checkout settled the design debate",
                "Two checkout designs were argued over for weeks until a two-week A/B test on 10 % of traffic.",
                "The data chose the single-page design; the debate ended in a day.",
                "Agree an experiment, not a meeting, when a design choice can be measured.",
                "Requirements and scope",
                "executing",
                "a/b test, ux, checkout",
                False,
            ),
            checkout.manager.user if checkout.manager_id else None,
        )

    # PMO maturity: three assessments over two years, with their improvement actions.
    made: list[MaturityAssessment] = []
    for days, title, levels, notes in ASSESSMENTS:
        day = today - dt.timedelta(days=days)
        assessment = services.assessment_create(
            actor=SYSTEM, assessed_on=day, title=f"{title} {day.year}", levels=levels, notes=notes
        )
        if users.get("director") is not None:
            MaturityAssessment.objects.filter(pk=assessment.pk).update(assessed_by=users["director"])
        made.append(assessment)
    people = {p.user.username: p for p in Person.objects.select_related("user").filter(user__isnull=False)}
    for index, dimension, title, owner, due_in, status, done_ago in ACTIONS:
        action = services.improvement_create(
            actor=SYSTEM,
            assessment=made[index],
            dimension=dimension,
            title=title,
            owner=people.get(owner),
            due=today + dt.timedelta(days=due_in),
        )
        if status != ImprovementAction.Status.OPEN:
            action = services.improvement_update(actor=SYSTEM, action=action, status=status)
        if done_ago is not None:
            ImprovementAction.objects.filter(pk=action.pk).update(done_on=today - dt.timedelta(days=done_ago))
