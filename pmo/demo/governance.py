"""The demo's governance: the PMO's waterfall (two published versions), agile and hybrid methodologies; every
running project on one, in the phase its state suggests, its past gates passed on realistic dates; DIG-003's
business-case gate decided "go with conditions" with conditions still open; upcoming and overdue gates (DIG-001's
next gate in twelve days, OPS-002's nine days late); DIG-014 killed at its design review (which opens its closure
in the knowledge app); QA checklists and audits over eight months with scores, findings (DIG-007's closed by its
action, DIG-001's and OPS-002's open) and a planned audit."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth import get_user_model
from django.utils import timezone

from pmo.changes.models import Notification
from pmo.core.access import SYSTEM
from pmo.governance import services
from pmo.governance.models import Audit, GateReview, Methodology, MethodologyVersion
from pmo.portfolio.models import LifecycleState, Project
from pmo.resources.models import Person

# name, gate, weeks, requirements (name, type, template), criteria
WATERFALL = [
    (
        "Initiate",
        "Business case",
        4,
        [("Project charter", "document", "Project charter"), ("Business case", "document", "Business case")],
        [
            "The business case shows a positive NPV at the portfolio's discount rate",
            "The sponsor has approved the charter",
            "The project fits a strategic objective of its portfolio",
        ],
    ),
    (
        "Plan",
        "Plan approval",
        6,
        [
            ("Project management plan", "document", "Project management plan"),
            ("Risk management plan", "document", "Risk management plan"),
        ],
        [
            "The schedule is baselined and resourced",
            "The top risks have owners and responses",
            "The budget is within 10 % of the business case",
        ],
    ),
    (
        "Design",
        "Design review",
        8,
        [("Requirements", "document", ""), ("Design", "deliverable", "")],
        [
            "The requirements are signed off by the business owner",
            "The architecture board has approved the design",
            "The business case still holds with the design's costs",
        ],
    ),
    (
        "Build and test",
        "Acceptance",
        20,
        [("Test report", "deliverable", "")],
        ["User acceptance tests passed", "Operations has accepted the run book", "No open defect of severity 1 or 2"],
    ),
    (
        "Close",
        "Closure",
        4,
        [("Closure report", "document", "Closure report")],
        ["The benefits have an owner in the business", "The lessons-learned session is held"],
    ),
]
AGILE = [
    (
        "Discovery",
        "Vision and backlog",
        4,
        [("Project charter", "document", "Project charter")],
        ["The product vision is agreed with the sponsor", "The first releases are in a ranked backlog"],
    ),
    (
        "Delivery",
        "Release readiness",
        20,
        [("Test report", "deliverable", "")],
        [
            "The definition of done is met for every item in the release",
            "Velocity supports the release date",
            "Security review passed",
        ],
    ),
    (
        "Transition",
        "Handover",
        4,
        [("Closure report", "document", "Closure report")],
        ["The product owner in the business takes the product over", "Support is trained"],
    ),
]
HYBRID = [
    (
        "Define",
        "Business case",
        6,
        [("Project charter", "document", "Project charter"), ("Business case", "document", "Business case")],
        ["The business case is approved by the sponsor", "Scope and the release plan are agreed"],
    ),
    (
        "Plan and architect",
        "Architecture",
        6,
        [
            ("Project management plan", "document", "Project management plan"),
            ("Design", "deliverable", ""),
        ],
        ["The architecture board has approved the target architecture", "The delivery team is staffed"],
    ),
    (
        "Iterative build",
        "Release readiness",
        16,
        [("Test report", "deliverable", "")],
        ["Every sprint goal of the release is met", "User acceptance tests passed"],
    ),
    (
        "Deploy and close",
        "Go-live",
        4,
        [("Closure report", "document", "Closure report")],
        ["Operations has accepted the service", "The benefits have an owner in the business"],
    ),
]

# The phase (1-based) a running project is in, by methodology kind and state.
PHASE_OF_STATE = {
    "waterfall": {"approved": 1, "initiating": 1, "planning": 2, "executing": 4, "on_hold": 3, "closing": 5},
    "agile": {"approved": 1, "initiating": 1, "planning": 2, "executing": 2, "on_hold": 2, "closing": 3},
    "hybrid": {"approved": 1, "initiating": 1, "planning": 2, "executing": 3, "on_hold": 2, "closing": 4},
}
# Projects whose phase differs from their state's: still in the design phase while executing.
PHASE_OVERRIDE = {"DIG-007": 3, "REG-009": 3}
# Running projects left without a methodology (the gates page lists them).
WITHOUT = {"OPS-012"}
# Days since the current phase started, per project (default: 60 % of the phase's typical duration).
PHASE_AGE = {
    "DIG-001": 128,
    "OPS-002": 121,
    "DIG-003": 35,
    "DIG-007": 40,
    "DIG-011": 70,
    "DIG-014": 75,
    "REG-006": 60,
}

AUDIT_QUESTIONS = [
    ("The project follows the phases of its methodology version", "method", 3),
    ("Each passed gate has a recorded decision with evidence", "governance", 3),
    ("The charter and business case are approved and baselined", "documentation", 2),
    ("The plan is baselined and progress reported monthly", "method", 2),
    ("The risk register was reviewed in the last month", "governance", 2),
    ("Changes to scope, cost or dates went through change control", "governance", 2),
    ("Documents carry version, status and approver", "documentation", 1),
]
HEALTH_QUESTIONS = [
    ("The team knows the next gate and what it needs", "method", 2),
    ("The status report is current and its RAG is honest", "governance", 2),
    ("The sponsor met the project manager in the last month", "governance", 1),
    ("Required deliverables of the phase are on track", "documentation", 2),
]
# project, checklist, months ago, ratings (one per question), auditor username
AUDITS = [
    ("DIG-001", "audit", 7, ["yes", "partly", "partly", "yes", "no", "partly", "yes"], "analyst"),
    ("DIG-007", "audit", 7, ["partly", "no", "partly", "yes", "no", "partly", "partly"], "analyst"),
    ("DIG-011", "audit", 6, ["yes", "partly", "yes", "partly", "partly", "yes", "yes"], "analyst2"),
    ("DIG-006", "health", 5, ["yes", "partly", "yes", "yes"], "analyst2"),
    ("DIG-001", "audit", 4, ["yes", "yes", "partly", "yes", "partly", "yes", "yes"], "analyst"),
    ("DIG-007", "audit", 3, ["yes", "partly", "yes", "yes", "no", "yes", "yes"], "analyst"),
    ("DIG-003", "health", 2, ["yes", "yes", "partly", "yes"], "analyst2"),
    ("DIG-011", "audit", 1, ["yes", "yes", "yes", "yes", "partly", "yes", "yes"], "analyst2"),
    ("DIG-001", "audit", 0, ["yes", "partly", "yes", "yes", "yes", "yes", "yes"], "analyst"),
    ("OPS-001", "audit", 6, ["partly", "partly", "yes", "partly", "no", "no", "yes"], "analyst2"),
    ("OPS-002", "audit", 4, ["yes", "no", "partly", "partly", "no", "partly", "yes"], "analyst2"),
    ("OPS-001", "audit", 1, ["yes", "yes", "yes", "partly", "partly", "yes", "yes"], "analyst2"),
    ("REG-001", "audit", 5, ["yes", "yes", "yes", "yes", "partly", "yes", "yes"], "analyst"),
    ("REG-006", "audit", 2, ["yes", "partly", "yes", "yes", "yes", "partly", "yes"], "analyst"),
]


def _user(username: str) -> Any:
    return get_user_model().objects.get(username=username)


def _person(name: str) -> Person:
    return Person.objects.get(name=name)


def _build(name: str, kind: str, description: str, phases: list[Any], *, notes: str) -> MethodologyVersion:
    director, analyst = _user("director"), _user("analyst")
    methodology = services.methodology_create(actor=analyst, name=name, kind=kind, description=description)
    version = methodology.versions.get()
    for phase_name, gate, weeks, requirements, criteria in phases:
        phase = services.phase_add(actor=analyst, version=version, name=phase_name, gate_name=gate, typical_weeks=weeks)
        for req_name, req_type, template in requirements:
            services.requirement_add(
                actor=analyst, phase=phase, name=req_name, type=req_type, template_name=_template(template)
            )
        for text in criteria:
            services.criterion_add(actor=analyst, phase=phase, text=text)
    return services.version_publish(actor=director, version=version, notes=notes)


def _template(name: str) -> str:
    from pmo.documents.models import DocumentTemplate

    return name if name and DocumentTemplate.objects.filter(name=name).exists() else ""


def _backdate(version: MethodologyVersion, when: dt.date) -> None:
    at = timezone.make_aware(dt.datetime.combine(when, dt.time(10, 0)))
    MethodologyVersion.objects.filter(pk=version.pk).update(published_at=at)


def _answer_all(review: GateReview, actor: Any, *, not_met: int | None = None) -> None:
    for i, answer in enumerate(review.answers.all()):
        services.criterion_answer(
            actor=actor,
            answer=answer,
            value="not_met" if i == not_met else "met",
            evidence_url=f"https://intranet.example.org/pmo/{review.project.code.lower()}/gate-{review.phase.order}",
        )


def _open(project: Project) -> GateReview:
    return GateReview.objects.get(project=project, state=GateReview.State.OPEN)


def _authority(project: Project) -> Any:
    manager = project.portfolio.manager
    return manager.user if manager is not None and manager.user_id else _user("director")


def _walk(
    project: Project,
    version: MethodologyVersion,
    target: int,
    today: dt.date,
    *,
    special: dict[int, dict[str, Any]] | None = None,
) -> None:
    """Put the project on `version` and pass its gates up to phase `target` on dates in the past (a plain go, or
    the decision `special` gives for a gate's order)."""
    phases = list(version.phases.order_by("order"))
    # By default the current phase is 60 % through its typical duration, so its gate is ahead.
    age = PHASE_AGE.get(project.code) or max(7, round(phases[target - 1].typical_weeks * 7 * 0.6))
    current_start = today - dt.timedelta(days=age)
    gate_dates: list[dt.date] = []
    day = current_start
    for phase in reversed(phases[: target - 1]):
        gate_dates.insert(0, day)
        day -= dt.timedelta(weeks=phase.typical_weeks)
    services.project_methodology_set(actor=SYSTEM, project=project, version=version, start=day)
    authority = _authority(project)
    pm = project.manager.user if project.manager_id and project.manager.user_id else SYSTEM
    for order, when in enumerate(gate_dates, start=1):
        review = _open(project)
        services.review_reschedule(actor=SYSTEM, review=review, planned_date=when)
        decision = (special or {}).get(order, {"decision": "go"})
        _answer_all(review, pm, not_met=decision.get("not_met"))
        for reviewer in review.reviewers.all():
            if reviewer.person.user_id:
                vote = decision["decision"]
                comment = decision.get("comment", "") if vote != "go" else ""
                services.gate_vote(actor=reviewer.person.user, reviewer=reviewer, vote=vote, comment=comment)
        services.gate_decide(
            actor=authority, review=review, on=when, **{k: v for k, v in decision.items() if k != "not_met"}
        )


def load_demo_governance(*, today: dt.date) -> None:
    director = _user("director")
    waterfall = _build(
        "Waterfall stage-gate",
        "waterfall",
        "Five phases with a gate at the end of each; for projects with fixed scope: infrastructure, "
        "regulatory and plant work.",
        WATERFALL,
        notes="First edition of the stage-gate method.",
    )
    _backdate(waterfall, today - dt.timedelta(days=700))
    # Version 2 of the waterfall: the initiate gate also asks for a benefits owner. Projects on v1 keep it.
    waterfall_v2 = services.version_draft(actor=_user("analyst"), methodology=waterfall.methodology)
    initiate = waterfall_v2.phases.get(order=1)
    services.criterion_add(actor=_user("analyst"), phase=initiate, text="A benefits owner is named in the business")
    waterfall_v2 = services.version_publish(
        actor=director, version=waterfall_v2, notes="Initiate gate: a benefits owner must be named."
    )
    _backdate(waterfall_v2, today - dt.timedelta(days=160))
    agile = _build(
        "Agile delivery",
        "agile",
        "Discovery, then releases of sprints with a readiness gate before each go-live; for digital products.",
        AGILE,
        notes="Scrum-based, gates at the release level only.",
    )
    _backdate(agile, today - dt.timedelta(days=620))
    hybrid = _build(
        "Hybrid delivery",
        "hybrid",
        "Plan-driven definition and architecture, iterative build in sprints, a controlled go-live.",
        HYBRID,
        notes="For projects with a fixed business case and an evolving solution.",
    )
    _backdate(hybrid, today - dt.timedelta(days=540))
    versions = {"waterfall": waterfall_v2, "agile": agile, "hybrid": hybrid}
    early_waterfall = {"DIG-007", "DIG-011", "OPS-001", "OPS-007", "REG-001", "REG-006", "REG-009"}

    # The past gates' notifications were read at the time: only today's news stays unread.
    before = Notification.objects.order_by("-id").values_list("id", flat=True).first() or 0
    running = Project.objects.filter(
        state__in=("approved", "initiating", "planning", "executing", "on_hold", "closing")
    ).select_related("portfolio__manager", "manager", "sponsor")
    for project in running.order_by("code"):
        if project.code in WITHOUT:
            continue
        version = waterfall if project.code in early_waterfall else versions[project.methodology]
        target = PHASE_OVERRIDE.get(project.code, PHASE_OF_STATE[project.methodology][project.state])
        _walk(project, version, target, today, special=_special(project, today))

    Notification.objects.filter(id__gt=before, url__startswith="/governance/").update(read_at=timezone.now())
    _conditions(today)
    _upcoming_and_overdue(today)
    _kill(today, waterfall)
    _audits(today)


def _special(project: Project, today: dt.date) -> dict[int, dict[str, Any]] | None:
    """DIG-003 passed its business-case gate with three conditions (the scope criterion was not yet met)."""
    if project.code != "DIG-003":
        return None
    aisha, daniel = _person("Aisha Bello"), _person("Daniel Brooks")
    return {
        1: {
            "decision": "go_conditions",
            "not_met": 1,
            "comment": "Go, provided the outsourcing contract and the cost estimate are settled before the "
            "architecture gate.",
            "conditions": [
                {
                    "text": "Sign the data-processing agreement with the contact-centre partner",
                    "owner": aisha,
                    "due_date": today + dt.timedelta(days=10),
                },
                {
                    "text": "Re-baseline the cost estimate after the vendor RFP",
                    "owner": aisha,
                    "due_date": today - dt.timedelta(days=4),
                },
                {
                    "text": "Name the benefits owner in Customer Service",
                    "owner": daniel,
                    "due_date": today - dt.timedelta(days=21),
                },
            ],
        }
    }


def _conditions(today: dt.date) -> None:
    """DIG-003: one of its three gate conditions closed; its architecture gate is being prepared."""
    from pmo.governance.models import GateCondition

    project = Project.objects.get(code="DIG-003")
    daniel, aisha = _person("Daniel Brooks"), _person("Aisha Bello")
    named = GateCondition.objects.get(review__project=project, text__startswith="Name the benefits owner")
    services.condition_close(
        actor=daniel.user,
        condition=named,
        note="Rachel Ortiz, head of customer service.",
        on=today - dt.timedelta(days=24),
    )
    review = _open(project)
    services.reviewer_add(actor=aisha.user, review=review, person=_person("Priya Natarajan"), role="PMO")
    services.criterion_answer(
        actor=aisha.user,
        answer=review.answers.first(),
        value="not_met",
        evidence_url="https://intranet.example.org/pmo/dig-003/architecture-board",
        note="On the board's agenda of next month",
    )


def _upcoming_and_overdue(today: dt.date) -> None:
    """DIG-001's release gate in twelve days, half prepared; OPS-002's architecture gate nine days late."""
    dig1 = _open(Project.objects.get(code="DIG-001"))
    services.review_reschedule(actor=SYSTEM, review=dig1, planned_date=today + dt.timedelta(days=12))
    tom = _user("pm")
    first = dig1.answers.first()
    services.criterion_answer(
        actor=tom,
        answer=first,
        value="met",
        evidence_url="https://intranet.example.org/pmo/dig-001/release-2-done",
        note="All 38 stories of release 2 meet the definition of done",
    )
    services.reviewer_add(actor=tom, review=dig1, person=_person("Priya Natarajan"), role="PMO")
    robert = dig1.reviewers.get(person__name="Robert Hale")
    services.gate_vote(actor=robert.person.user, reviewer=robert, vote="go", comment="The store demos were convincing.")
    ops2 = _open(Project.objects.get(code="OPS-002"))
    services.review_reschedule(actor=SYSTEM, review=ops2, planned_date=today - dt.timedelta(days=9))
    # A few more in the coming quarter, so that the gates page has a calendar.
    for code, days in (("DIG-006", 26), ("DIG-011", 41), ("REG-006", 19), ("OPS-001", 55), ("REG-002", 33)):
        project = Project.objects.filter(code=code).first()
        review = GateReview.objects.filter(project=project, state=GateReview.State.OPEN).first()
        if review is not None:
            services.review_reschedule(actor=SYSTEM, review=review, planned_date=today + dt.timedelta(days=days))


def _kill(today: dt.date, waterfall: MethodologyVersion) -> None:
    """DIG-014, the mainframe decommissioning, killed at its design review: the business case no longer held."""
    project = Project.objects.get(code="DIG-014")
    if project.state != LifecycleState.CANCELLED or GateReview.objects.filter(project=project).exists():
        return
    # The base demo creates DIG-014 already cancelled; replay how: it was executing its design phase on the
    # waterfall (v1) until its design review stopped it.
    Project.objects.filter(pk=project.pk).update(state=LifecycleState.EXECUTING)
    project.refresh_from_db()
    _walk_to = today - dt.timedelta(days=12)
    _walk(project, waterfall, 3, _walk_to)
    review = _open(project)
    services.review_reschedule(actor=SYSTEM, review=review, planned_date=_walk_to)
    services.reviewer_add(actor=SYSTEM, review=review, person=_person("Priya Natarajan"), role="PMO")
    answers = list(review.answers.all())
    values = ["met", "met", "not_met"]
    notes = ["", "", "85 % of batch jobs still feed regulatory reports; savings fall to 0.6 million a year"]
    for answer, value, note in zip(answers, values, notes, strict=False):
        services.criterion_answer(
            actor=SYSTEM,
            answer=answer,
            value=value,
            note=note,
            evidence_url="https://intranet.example.org/pmo/dig-014/design-review",
        )
    votes = {
        "Ingrid Solberg": ("kill", "The case no longer pays back; stop and keep the mainframe until 2029."),
        "Daniel Brooks": ("kill", "Agreed: release the team to the data centre exit."),
        "Priya Natarajan": ("recycle", "Could be re-scoped to the 15 % of jobs that can go."),
    }
    for reviewer in review.reviewers.select_related("person"):
        vote, comment = votes.get(reviewer.person.name, ("kill", "Stop."))
        services.gate_vote(actor=reviewer.person.user, reviewer=reviewer, vote=vote, comment=comment)
    services.gate_decide(
        actor=_user("director"),
        review=review,
        decision="kill",
        comment="The business case no longer holds: savings fell from 2.1 to 0.6 million a year.",
        on=_walk_to,
    )


def _audits(today: dt.date) -> None:
    analyst = _user("analyst")
    audit_template = services.audit_template_create(
        actor=analyst,
        name="Method compliance audit",
        type="audit",
        description="Twice a year per running project: does the project follow its methodology and governance?",
        questions=[{"text": t, "area": a, "weight": w} for t, a, w in AUDIT_QUESTIONS],
    )
    health = services.audit_template_create(
        actor=analyst,
        name="Project health check",
        type="health_check",
        description="A quick check before a gate or when the status turns amber.",
        questions=[{"text": t, "area": a, "weight": w} for t, a, w in HEALTH_QUESTIONS],
    )
    templates = {"audit": audit_template, "health": health}
    done: dict[str, Audit] = {}
    for code, kind, months_ago, ratings, auditor in AUDITS:
        project = Project.objects.get(code=code)
        on = today - dt.timedelta(days=30 * months_ago + 6)
        actor = _user(auditor)
        audit = services.audit_create(
            actor=actor,
            project=project,
            template=templates[kind],
            planned_date=on,
            scheduled=kind == "audit",
            auditor=actor.person,
        )
        for answer, rating in zip(audit.answers.all(), ratings, strict=True):
            services.audit_answer(actor=actor, answer=answer, rating=rating)
        done[f"{code}/{months_ago}"] = services.audit_complete(
            actor=actor, audit=audit, summary=_summary(ratings), on=on
        )
    mei, tom, lucas = _person("Mei Chen"), _person("Tom Fischer"), _person("Lucas Moreau")
    # DIG-007: the risk register lapsed; closed by its action.
    audit = done["DIG-007/3"]
    finding = services.finding_add(
        actor=analyst,
        audit=audit,
        title="Risk register not reviewed for ten weeks",
        severity="high",
        area="governance",
        owner=mei.pk,
        due_date=audit.completed_on + dt.timedelta(days=30),
        description="The last re-rating of any risk was in the summer; two risks passed their proximity date.",
    )
    action = services.action_add(
        actor=mei.user,
        finding=finding,
        description="Monthly risk review added to the steering committee agenda; register reviewed",
        owner=mei,
        due_date=audit.completed_on + dt.timedelta(days=21),
    )
    services.action_close(actor=mei.user, action=action, on=audit.completed_on + dt.timedelta(days=18))
    # DIG-001: gate evidence not linked; open, its action under way.
    audit = done["DIG-001/0"]
    finding = services.finding_add(
        actor=analyst,
        audit=audit,
        title="Gate evidence links missing for the Delivery gate",
        severity="medium",
        area="documentation",
        owner=tom.pk,
        due_date=today + dt.timedelta(days=14),
        description="Two criteria were answered without a link to their evidence.",
    )
    services.action_add(
        actor=tom.user,
        finding=finding,
        description="Link the release-2 test reports to the gate checklist",
        owner=tom,
        due_date=today + dt.timedelta(days=10),
    )
    # OPS-002: no change control; open and overdue.
    audit = done["OPS-002/4"]
    services.finding_add(
        actor=_user("analyst2"),
        audit=audit,
        title="Scope changes agreed by e-mail, outside change control",
        severity="critical",
        area="governance",
        owner=lucas.pk,
        due_date=today - dt.timedelta(days=20),
        description="Three supplier-portal features were added without a change request or impact assessment.",
    )
    # Planned: DIG-011's next audit, and an ad hoc health check of OPS-002.
    services.audit_create(
        actor=analyst,
        project=Project.objects.get(code="DIG-011"),
        template=audit_template,
        planned_date=today + dt.timedelta(days=20),
        auditor=analyst.person,
    )
    services.audit_create(
        actor=analyst,
        project=Project.objects.get(code="OPS-002"),
        template=health,
        planned_date=today + dt.timedelta(days=5),
        scheduled=False,
        auditor=_user("analyst2").person,
    )
    assert Methodology.objects.count() == 3


def _summary(ratings: list[str]) -> str:
    gaps = ratings.count("no")
    if gaps == 0:
        return "Compliant; minor points discussed with the project manager."
    return f"{gaps} question{'s' if gaps > 1 else ''} not met; findings agreed with the project manager."
