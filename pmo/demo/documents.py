"""The demo's documents: the PMO's template library (charter, business case, plans, reports) and its policies;
charters produced from the template for several projects — DIG-001's and DIG-002's approved by their sponsor
Robert Hale, DIG-012's waiting for Ingrid Solberg, DIG-007's still a draft; DIG-001's documents in every state
(a baselined business case, requirements with an approved version and a newer draft, an architecture in review,
a test report uploaded as a file, a superseded release plan) and its baseline at gate 2.

Actions are recorded as the demo's people (the project manager writes, the sponsor approves, the analyst keeps
the library), so each document's history reads as it would in real life."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile

from pmo.documents import services
from pmo.documents.models import Document, DocumentTemplate, Kind
from pmo.portfolio.models import Project
from pmo.resources.models import Person

CHARTER = """Project charter — {{ project.code }} {{ project.name }}

Portfolio: {{ project.portfolio }}{% if project.program %} · Program: {{ project.program }}{% endif %}
Sponsor: {{ project.sponsor }} · Project manager: {{ project.manager }}
Methodology: {{ project.methodology }} · Priority: {{ project.priority }}
Dated {{ today }}

1. Purpose
{{ project.description|default:"Why the organisation undertakes this project, in two or three sentences." }}

2. Strategic alignment
Serves: {{ project.objectives|default:"(no strategic objective linked yet)" }}

3. Scope
In scope:
- …
Out of scope:
- …

4. Budget and schedule
Budget: {{ project.budget }} {{ project.currency }}
Planned start: {{ project.planned_start|default:"to be set" }}
Planned finish: {{ project.planned_finish|default:"to be set" }}

5. Key deliverables and milestones
- … (due …, accepted by …)

6. Organisation
Sponsor: {{ project.sponsor }} — owns the business case, chairs the steering group, approves this charter.
Project manager: {{ project.manager }} — runs the project within the tolerances below.

7. Tolerances and escalation
Time ±10 %, cost ±5 %, scope: no change to a key deliverable without a change request.
Beyond a tolerance, the project manager escalates to the sponsor within five working days.

8. Main risks and assumptions
- …

9. Approval
Approved by the sponsor in pmo (see the approval record of this document).
"""

BUSINESS_CASE = """Business case — {{ project.code }} {{ project.name }}

Sponsor: {{ project.sponsor }} · Portfolio: {{ project.portfolio }}

Strategic fit
{{ project.objectives|default:"(objectives)" }}

Options considered
1. Do nothing
2. Do the minimum
3. Recommended option

Costs and benefits
Investment: {{ project.budget }} {{ project.currency }}
Benefits (per year): …
Payback: … · NPV: …

Risks
…
"""

PLAN = """Project management plan — {{ project.code }} {{ project.name }}

Manager: {{ project.manager }} · Methodology: {{ project.methodology }}
From {{ project.planned_start }} to {{ project.planned_finish }}

Scope and work breakdown
Schedule and milestones
Resources
Quality
Communication
Change control
"""

STATUS = """Status report — {{ project.code }} {{ project.name }} — {{ today }}

Overall: green / amber / red
Since the last report: …
Next period: …
Issues and decisions needed: …
"""

RISK_PLAN = """Risk management plan — {{ project.code }}

Risk owner: {{ project.manager }}; escalation to {{ project.sponsor }} and the portfolio {{ project.portfolio }}.
Scales: the portfolio's. Review: every two weeks and at each gate.
"""

CLOSURE = """Closure report — {{ project.code }} {{ project.name }}

Sponsor: {{ project.sponsor }} · Manager: {{ project.manager }}
Budget: {{ project.budget }} {{ project.currency }} · Planned finish: {{ project.planned_finish }}

Objectives met
Final cost and dates against the baseline
Benefits handed over (and to whom)
Lessons learned (see the lessons register)
"""

GOVERNANCE_POLICY = """Project governance policy (PMO-POL-01)

1. Every project has a sponsor and a project manager, named before it starts.
2. No project starts without a charter approved by its sponsor.
3. Projects pass a gate at the end of each phase; the gate decides go, go with conditions, hold, recycle or kill.
4. The PMO director holds the closure authority: only a gate or the PMO closes or stops a project.
5. Status is reported monthly; a deviation beyond tolerance is escalated within five working days.
"""

DOCUMENT_CONTROL_POLICY = """Document control policy (PMO-POL-02)

1. Project documents and deliverables live in pmo, each with its versions; nothing is overwritten.
2. A document is approved by the people named on it; the charter by the sponsor.
3. At each gate the approved versions are baselined; a later change is a new version, approved again.
4. Files: PDF or Office formats, at most 20 MB; texts are written in pmo where possible.
"""

STAGE_GATE_POLICY = """Stage-gate policy (PMO-POL-03)

Gate 1 (initiation): charter and business case approved.
Gate 2 (planning): project management plan, requirements and risk plan approved; the documents are baselined.
Gate 3 (execution): deliverables accepted, test reports approved.
Gate 4 (closure): closure report approved, lessons learned recorded.
"""

TEMPLATES = [
    (
        "Project charter",
        Kind.CHARTER,
        CHARTER,
        "The charter every project produces at initiation; approved by the sponsor.",
    ),
    ("Business case", Kind.BUSINESS_CASE, BUSINESS_CASE, "Options, costs and benefits; kept up to date at each gate."),
    ("Project management plan", Kind.PLAN, PLAN, "How the project is run: scope, schedule, resources, quality."),
    ("Monthly status report", Kind.STATUS_REPORT, STATUS, "For projects that report outside pmo's status pages."),
    ("Risk management plan", Kind.RISK_PLAN, RISK_PLAN, "How risks are identified, rated, owned and reviewed."),
    ("Closure report", Kind.CLOSURE_REPORT, CLOSURE, "Objectives met, final cost and dates, benefits handed over."),
    ("Project governance policy", Kind.POLICY, GOVERNANCE_POLICY, "Sponsor, charter, gates, closure authority."),
    ("Document control policy", Kind.POLICY, DOCUMENT_CONTROL_POLICY, "Versions, approvals and baselines."),
    ("Stage-gate policy", Kind.POLICY, STAGE_GATE_POLICY, "What each gate requires."),
]


def _user(username: str) -> Any:
    return get_user_model().objects.get(username=username)


def _person(name: str) -> Person:
    return Person.objects.get(name=name)


def _approve(document: Document, *, by: Any, comment: str = "") -> None:
    services.document_decide(actor=by, document=document, decision="approve", comment=comment)


def _charter(project: Project, *, pm: Any, edits: list[tuple[str, str, str]]) -> Document:
    """The charter from the template, then one new version per (old text, new text, what changed)."""
    charter = services.charter_generate(actor=pm, project=project)
    text = charter.versions.get().text
    for old, new, note in edits:
        text = text.replace(old, new, 1)
        services.document_version_add(actor=pm, document=charter, text=text, note=note)
    return charter


def load_demo_documents(*, today: dt.date) -> None:
    analyst, director = _user("analyst"), _user("director")
    for name, kind, body, description in TEMPLATES:
        services.template_create(
            actor=analyst if kind != Kind.POLICY else director, name=name, kind=kind, body=body, description=description
        )
    charter_template = DocumentTemplate.objects.get(name="Project charter")
    services.template_update(
        actor=analyst,
        template=charter_template,
        body=CHARTER.replace("8. Main risks and assumptions", "8. Main risks, assumptions and constraints"),
        note="Constraints added to section 8 (audit finding QA-2026-03)",
    )
    tom, aisha, mei = _user("pm"), _user("pm2"), _user("pm4")
    robert = _user("exec")
    projects = {p.code: p for p in Project.objects.filter(code__in=["DIG-001", "DIG-002", "DIG-007", "DIG-012"])}

    # DIG-001: charter approved by Robert Hale, then a full set of documents in every state, baselined at gate 2.
    dig1 = projects["DIG-001"]
    charter = _charter(
        dig1,
        pm=tom,
        edits=[
            (
                "In scope:\n- …",
                "In scope:\n- iOS and Android apps, card controls, instant transfers\n- Migration of 1.2 M users",
                "Scope from the kick-off workshop",
            ),
            ("Out of scope:\n- …", "Out of scope:\n- Web banking\n- Business accounts", "Exclusions agreed"),
        ],
    )
    services.document_submit(actor=tom, document=charter, comment="Scope agreed in the kick-off workshop")
    _approve(charter, by=robert, comment="Approved. Keep the migration date fixed.")
    case = services.document_create(
        actor=tom,
        project=dig1,
        title="Business case",
        kind=Kind.BUSINESS_CASE,
        template=DocumentTemplate.objects.get(name="Business case"),
        approvers=[_person("Robert Hale"), _person("Linda Park")],
    )
    text = case.versions.get().text.replace("Benefits (per year): …", "Benefits (per year): 2.4 M EUR (fees, churn)")
    services.document_version_add(actor=tom, document=case, text=text, note="Benefits quantified with Finance")
    services.document_submit(actor=tom, document=case)
    _approve(case, by=robert)
    _approve(case, by=_user("exec2"), comment="Benefit figures checked against the 2027 budget.")
    requirements = services.document_create(
        actor=tom,
        project=dig1,
        title="Requirements specification",
        kind=Kind.REQUIREMENTS,
        text="Requirements\n\nR1 Log in with biometrics\nR2 Freeze and unfreeze a card\n"
        "R3 Instant transfer up to 5,000 EUR\n",
        note="First draft from the discovery sprint",
        approvers=[_person("Priya Natarajan"), _person("Chloe Dubois")],
    )
    services.document_submit(actor=tom, document=requirements)
    _approve(requirements, by=analyst)
    _approve(requirements, by=_user("member2"), comment="Matches the user stories.")
    services.documents_baseline(
        actor=tom, project=dig1, label="Gate 2: planning approved", note="Charter, business case and requirements."
    )
    services.document_version_add(
        actor=tom,
        document=requirements,
        text="Requirements\n\nR1 Log in with biometrics\nR2 Freeze and unfreeze a card\n"
        "R3 Instant transfer up to 10,000 EUR (CR-12)\nR4 Spending insights per category\n",
        note="Change request CR-12: higher transfer limit; R4 added",
    )
    architecture = services.document_create(
        actor=tom,
        project=dig1,
        title="Solution architecture",
        kind=Kind.DESIGN,
        text="Solution architecture\n\nMobile clients → API gateway → core banking adapter.\n"
        "Card controls through the card processor's API.\n",
        approvers=[_person("Ingrid Solberg"), _person("Priya Natarajan")],
    )
    services.document_submit(actor=tom, document=architecture, comment="Please review before the build sprints")
    _approve(architecture, by=analyst, comment="Fits the reference architecture.")
    report = services.document_create(
        actor=tom,
        project=dig1,
        title="Integration test report — sprint 9",
        kind=Kind.TEST_REPORT,
        upload=ContentFile(
            b"test,result,defects\nlogin,passed,0\ncard freeze,passed,1\ninstant transfer,failed,3\n",
            name="integration-tests-sprint-9.csv",
        ),
        note="Exported from the test tool",
    )
    services.document_version_add(
        actor=tom,
        document=report,
        upload=ContentFile(
            b"test,result,defects\nlogin,passed,0\ncard freeze,passed,0\ninstant transfer,passed,1\n",
            name="integration-tests-sprint-9-rerun.csv",
        ),
        note="Re-run after the fixes",
    )
    old_plan = services.document_create(
        actor=tom, project=dig1, title="Release plan 2026", kind=Kind.PLAN, text="Release 1: June. Release 2: October."
    )
    services.document_supersede(actor=tom, document=old_plan, comment="Replaced by the roadmap in the plan")

    # DIG-002: charter approved by Robert Hale after one rejection.
    dig2 = projects["DIG-002"]
    charter2 = _charter(dig2, pm=aisha, edits=[])
    services.document_submit(actor=aisha, document=charter2)
    services.document_decide(
        actor=robert, document=charter2, decision="reject", comment="Scope is empty: list what the portal covers."
    )
    text = charter2.versions.get().text.replace(
        "In scope:\n- …", "In scope:\n- Address and contact changes\n- Invoices and payment plans\n- Chat with an agent"
    )
    services.document_version_add(actor=aisha, document=charter2, text=text, note="Scope completed after the review")
    services.document_submit(actor=aisha, document=charter2)
    _approve(charter2, by=robert)

    # DIG-012: charter in review, waiting for its sponsor Ingrid Solberg.
    charter12 = _charter(
        projects["DIG-012"],
        pm=tom,
        edits=[
            (
                "In scope:\n- …",
                "In scope:\n- ERP production and test systems\n- Interfaces to 14 satellite systems",
                "Scope and interfaces listed",
            )
        ],
    )
    services.document_submit(actor=tom, document=charter12, comment="Ready for your approval before gate 1")

    # DIG-007: a charter drafted, not yet submitted.
    _charter(projects["DIG-007"], pm=mei, edits=[])
