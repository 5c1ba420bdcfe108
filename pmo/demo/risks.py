"""Risk register demo data: the Regulatory portfolio's own stricter scales; threats and opportunities on the
running projects with their rating history over the past weeks (so the pages show trends), response actions
(some overdue, their owners already told by the overdue check), critical risks escalated to their portfolio,
a shared skills risk hitting four projects, a program and two portfolio risks, one risk that occurred and
became an issue, and the tasks one risk would delay (the input of the Monte Carlo analysis)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from pmo.core.access import SYSTEM
from pmo.planning.models import Task
from pmo.portfolio.models import Portfolio, Program, Project
from pmo.resources.models import Person
from pmo.risks import services, simulation
from pmo.risks.models import Risk

# The Regulatory portfolio escalates from 12 and names its levels its own way; the others use the defaults.
REG_SCALES = {
    "probability": [
        {"level": 1, "label": "Rare (under 10 %)", "percent": "5"},
        {"level": 2, "label": "Unlikely (10-30 %)", "percent": "20"},
        {"level": 3, "label": "Possible (30-50 %)", "percent": "40"},
        {"level": 4, "label": "Likely (50-80 %)", "percent": "65"},
        {"level": 5, "label": "Almost certain (over 80 %)", "percent": "90"},
    ],
    "impact": [
        {"level": 1, "label": "Minor", "money": "5000", "days": 5},
        {"level": 2, "label": "Moderate", "money": "25000", "days": 10},
        {"level": 3, "label": "Significant", "money": "100000", "days": 20},
        {"level": 4, "label": "Major (finding)", "money": "400000", "days": 40},
        {"level": 5, "label": "Severe (sanction)", "money": "2000000", "days": 90},
    ],
    "escalation_score": 12,
}

# Each risk: register (project, program or portfolio code), title and what it is, then its ratings over time as
# (weeks ago, probability, impact), and its actions as (description, owner, due in days from today, status).
RISKS: list[dict[str, Any]] = [
    {
        "project": "DIG-001",
        "title": "App store review rejects the release",
        "category": "technical",
        "owner": "Jonas Weber",
        "cause": "the new biometric login uses an API the store restricts",
        "event": "the store review rejects release 2",
        "effect": "push the launch back by up to six weeks",
        "ratings": [(8, 3, 3), (4, 3, 4), (0, 4, 4)],
        "residual": (2, 3),
        "proximity": "near",
        "trigger": "Review feedback on the beta submission.",
        "strategy": "mitigate",
        "response": "Pre-submission review against the store guidelines; two weeks of buffer before launch.",
        "schedule_impact_days": 42,
        "actions": [
            ("Run the store pre-submission checklist", "Jonas Weber", -5, "in_progress"),
            ("Book a review consultation with the store", "Tom Fischer", 10, "planned"),
        ],
    },
    {
        "project": "DIG-001",
        "title": "Biometric SDK licence price rises",
        "category": "cost",
        "owner": "Tom Fischer",
        "cause": "the SDK vendor changes its pricing each January",
        "event": "the licence costs more than budgeted",
        "effect": "take 60,000 EUR from the contingency",
        "ratings": [(6, 2, 3), (2, 2, 3)],
        "proximity": "medium",
        "strategy": "transfer",
        "response": "Fixed-price clause in the renewal.",
        "cost_impact": Decimal("60000"),
        "actions": [("Negotiate a fixed-price clause", "Tom Fischer", 20, "planned")],
    },
    {
        "project": "DIG-001",
        "kind": "opportunity",
        "title": "Reuse the group's design system",
        "category": "technical",
        "owner": "Chloe Dubois",
        "cause": "the group has released its mobile design system",
        "event": "the app adopts its components",
        "effect": "save about ten days of front-end work",
        "ratings": [(5, 3, 2), (1, 4, 2)],
        "strategy": "exploit",
        "response": "Adopt the components for all new screens.",
        "cost_impact": Decimal("45000"),
        "schedule_impact_days": 10,
        "actions": [("Agree access with the design-system team", "Chloe Dubois", 7, "planned")],
    },
    {
        "project": "DIG-002",
        "title": "Accessibility re-audit fails",
        "category": "regulatory",
        "owner": "Chloe Dubois",
        "cause": "last audit found 14 issues",
        "event": "the re-audit fails",
        "effect": "delay the public launch",
        "ratings": [(7, 2, 3), (3, 2, 2)],
        "strategy": "mitigate",
        "response": "Fix every finding; automated checks in the pipeline.",
        "actions": [("Fix the 14 audit findings", "Chloe Dubois", -14, "done")],
    },
    {
        "project": "DIG-006",
        "title": "CRM extract stays incomplete",
        "category": "technical",
        "owner": "Rahul Mehta",
        "cause": "the CRM team releases only partial extracts",
        "event": "the customer model is built on incomplete data",
        "effect": "make the 360 view unusable for marketing and cost a re-load",
        "ratings": [(8, 3, 4), (5, 4, 4), (2, 4, 5)],
        "residual": (2, 4),
        "proximity": "near",
        "trigger": "A weekly extract below 95 % of the expected rows.",
        "strategy": "mitigate",
        "response": "Data ownership agreement with the CRM owner; reconciliation reports every week.",
        "cost_impact": Decimal("180000"),
        "schedule_impact_days": 45,
        "actions": [
            ("Escalate data ownership to the CRM owner", "Mei Chen", -10, "planned"),
            ("Build the reconciliation reports", "Rahul Mehta", 14, "in_progress"),
        ],
    },
    {
        "project": "DIG-007",
        "title": "Cloud data platform skills shortage",
        "category": "resources",
        "owner": "Mei Chen",
        "cause": "four projects need the same three data engineers",
        "event": "the platform work waits for people",
        "effect": "delay each data project by several weeks",
        "ratings": [(6, 3, 3), (3, 3, 3), (0, 3, 4)],
        "residual": (2, 3),
        "shared": True,
        "affected": ["DIG-006", "DIG-008", "DIG-011"],
        "strategy": "mitigate",
        "response": "Two contractors from the framework supplier; train the internal team.",
        "actions": [
            ("Contract two data engineers from the framework supplier", "Mei Chen", -3, "in_progress"),
            ("Training plan for the internal team", "Elena Petrova", 21, "planned"),
        ],
    },
    {
        "project": "DIG-011",
        "title": "Data centre lease ends before the exit",
        "category": "schedule",
        "owner": "Tom Fischer",
        "cause": "the lease cannot be extended on the current terms",
        "event": "workloads are still in the data centre when the lease ends",
        "effect": "force an emergency move or a costly short-term lease",
        "ratings": [(8, 2, 5), (4, 3, 5), (1, 3, 5)],
        "residual": (1, 5),
        "proximity_in_days": 60,
        "trigger": "Fewer than 70 % of the workloads moved a month before the end.",
        "strategy": "avoid",
        "response": "Move the critical workloads first; agree a three-month extension option now.",
        "cost_impact": Decimal("400000"),
        "schedule_impact_days": 60,
        "actions": [
            ("Negotiate a three-month extension option", "Tom Fischer", 5, "in_progress"),
            ("Re-sequence the migration waves", "Elena Petrova", -2, "planned"),
        ],
        "task_impacts": [("2", "5", "12", "0", "15000", "40000"), ("1", "3", "8", "0", "5000", "20000")],
    },
    {
        "project": "DIG-011",
        "title": "Legacy mainframe interface undocumented",
        "category": "technical",
        "owner": "Elena Petrova",
        "cause": "the interface was written 20 years ago",
        "event": "the interface behaves differently in the cloud",
        "effect": "need weeks of reverse engineering",
        "ratings": [(2, 3, 3)],
        "strategy": "mitigate",
        "response": "Record the traffic for two weeks and replay it in the cloud.",
        "actions": [("Record and replay a fortnight of traffic", "Elena Petrova", 12, "planned")],
    },
    {
        "project": "OPS-001",
        "title": "Scanner firmware incompatible with the WMS",
        "category": "technical",
        "owner": "Kwame Mensah",
        "cause": "the scanners run firmware two versions behind",
        "event": "the scanners cannot talk to the new system",
        "effect": "stop picking in the pilot warehouse",
        "ratings": [(6, 2, 3), (3, 3, 3)],
        "strategy": "mitigate",
        "response": "Firmware upgrade before the pilot.",
        "occurred": "The pilot showed the scanners drop the connection; the firmware upgrade is needed now.",
        "actions": [("Test the firmware upgrade on two scanners", "Kwame Mensah", -20, "done")],
    },
    {
        "project": "OPS-001",
        "title": "Peak-season go-live freeze",
        "category": "schedule",
        "owner": "Lucas Moreau",
        "cause": "no changes are allowed in the warehouses from mid-November",
        "event": "go-live slips into the freeze",
        "effect": "move go-live to January",
        "ratings": [(5, 3, 3), (2, 2, 3)],
        "strategy": "avoid",
        "response": "Go live in the first warehouse before the freeze.",
        "actions": [("Agree the go-live date with operations", "Lucas Moreau", -30, "done")],
    },
    {
        "project": "OPS-007",
        "kind": "opportunity",
        "title": "Feed-in tariff increase",
        "category": "external",
        "owner": "Lucas Moreau",
        "cause": "the energy regulator consults on higher tariffs",
        "event": "the tariff rises before the panels are connected",
        "effect": "raise the yearly benefit by about 120,000 EUR",
        "ratings": [(4, 2, 3), (0, 3, 3)],
        "strategy": "enhance",
        "response": "Connect the first plant before the new tariff year.",
        "cost_impact": Decimal("120000"),
    },
    {
        "project": "OPS-007",
        "title": "Roof survey finds a weak structure",
        "category": "technical",
        "owner": "Kwame Mensah",
        "cause": "Plant 2's roof dates from 1978",
        "event": "the survey finds it cannot carry the panels",
        "effect": "need reinforcement or a smaller array",
        "ratings": [(3, 2, 4)],
        "strategy": "accept",
        "response": "Budget reserve for reinforcement if needed.",
    },
    {
        "project": "REG-002",
        "title": "Regulator changes the consent wording guidance",
        "category": "regulatory",
        "owner": "Fatima Zahra",
        "cause": "the regulator consults on consent banners",
        "event": "the guidance changes after the build",
        "effect": "require re-work of every consent screen",
        "ratings": [(8, 3, 3), (4, 3, 4), (0, 4, 4)],
        "strategy": "mitigate",
        "response": "Configurable wording; weekly watch of consultations.",
        "actions": [("Weekly watch of the regulator's consultations", "Fatima Zahra", -7, "in_progress")],
    },
    {
        "project": "REG-006",
        "title": "Actuarial model validation late",
        "category": "schedule",
        "owner": "Oliver Grant",
        "cause": "the external validator is booked until spring",
        "event": "validation is not done by the reporting date",
        "effect": "publish the first IFRS 17 report with qualifications",
        "ratings": [(6, 3, 3), (2, 3, 4)],
        "strategy": "transfer",
        "response": "Second validator under the framework contract.",
        "cost_impact": Decimal("250000"),
        "actions": [("Engage a second validator", "Oliver Grant", 9, "planned")],
    },
    {
        "program": "CLOUD",
        "title": "Cloud provider raises prices across the migration",
        "category": "cost",
        "owner": "Tom Fischer",
        "cause": "the provider's three-year commitment ends next year",
        "event": "prices rise for every migrated workload",
        "effect": "raise the run cost of the whole program",
        "ratings": [(4, 2, 4)],
        "affected": ["DIG-011", "DIG-012"],
        "strategy": "mitigate",
        "response": "Reserved-capacity commitment before the renewal.",
    },
    {
        "portfolio": "DIG",
        "title": "Budget freeze in the next financial year",
        "category": "cost",
        "owner": "Daniel Brooks",
        "cause": "group revenue is below plan",
        "event": "new spending is frozen from January",
        "effect": "stop the projects not yet in execution",
        "ratings": [(6, 2, 5), (2, 3, 5)],
        "strategy": "mitigate",
        "response": "Rank the planned projects now so that the board can choose.",
        "actions": [("Prepare the ranking for the board", "Daniel Brooks", 15, "in_progress")],
    },
    {
        "portfolio": "OPS",
        "kind": "opportunity",
        "title": "Energy efficiency subsidy programme",
        "category": "external",
        "owner": "Sofia Marques",
        "cause": "the government opens a subsidy for industrial energy savings",
        "event": "the heat-recovery and solar projects qualify",
        "effect": "fund up to 30 % of their cost",
        "ratings": [(3, 3, 4)],
        "strategy": "exploit",
        "response": "Apply for both projects in the first round.",
    },
]


def _day(today: dt.date, weeks_ago: int) -> dt.date:
    # Ratings are never dated after the real today (a demo loaded for a future day keeps its history in the past).
    return min(today - dt.timedelta(weeks=weeks_ago), timezone.localdate())


def _register(spec: dict[str, Any]) -> dict[str, Any]:
    if "project" in spec:
        return {"project": Project.objects.get(code=spec["project"])}
    if "program" in spec:
        return {"program": Program.objects.get(code=spec["program"])}
    return {"portfolio": Portfolio.objects.get(code=spec["portfolio"])}


def _risk(spec: dict[str, Any], people: dict[str, Person], today: dt.date) -> Risk:
    ratings = spec["ratings"]
    weeks, probability, impact = ratings[0]
    residual = spec.get("residual") if len(ratings) == 1 else None
    fields = {
        key: spec[key]
        for key in ("kind", "cause", "event", "effect", "proximity", "trigger", "strategy", "response", "shared")
        if key in spec
    }
    for key in ("cost_impact", "schedule_impact_days"):
        if key in spec:
            fields[key] = spec[key]
    if "proximity_in_days" in spec:
        fields["proximity_date"] = today + dt.timedelta(days=spec["proximity_in_days"])
    risk = services.risk_create(
        actor=SYSTEM,
        **_register(spec),
        title=spec["title"],
        category=spec["category"],
        owner=people[spec["owner"]],
        probability=probability,
        impact=impact,
        residual_probability=residual[0] if residual else None,
        residual_impact=residual[1] if residual else None,
        affected_projects=list(Project.objects.filter(code__in=spec.get("affected", ()))),
        assessed_on=_day(today, weeks),
        note="Identified at the risk workshop.",
        **fields,
    )
    for n, (weeks, probability, impact) in enumerate(ratings[1:], 2):
        last = n == len(ratings)
        residual = spec.get("residual") if last else None
        risk = services.risk_rate(
            actor=SYSTEM,
            risk=risk,
            probability=probability,
            impact=impact,
            residual_probability=residual[0] if residual else None,
            residual_impact=residual[1] if residual else None,
            note="Reviewed at the monthly risk review.",
            assessed_on=_day(today, weeks),
        )
    return risk


@transaction.atomic
def load_demo_risks(*, today: dt.date) -> int:
    """Load the risk register demo; returns the number of risks."""
    services.risk_scales_set(
        actor=SYSTEM,
        portfolio=Portfolio.objects.get(code="REG"),
        probability=REG_SCALES["probability"],
        impact=REG_SCALES["impact"],
        escalation_score=REG_SCALES["escalation_score"],
    )
    people = {p.name: p for p in Person.objects.all()}
    for spec in RISKS:
        risk = _risk(spec, people, today)
        for description, owner, due, status in spec.get("actions", ()):
            services.risk_action_create(
                actor=SYSTEM,
                risk=risk,
                description=description,
                owner=people[owner],
                due_date=today + dt.timedelta(days=due),
                status=status,
            )
        # The work still ahead is what a risk can delay.
        ahead = Task.objects.filter(
            project=risk.project, is_summary=False, actual_finish__isnull=True, duration_minutes__gt=0
        )
        tasks = list(ahead.order_by("position")[:2])
        for task, values in zip(tasks, spec.get("task_impacts", ()), strict=False):
            names = ("min_days", "likely_days", "max_days", "min_cost", "likely_cost", "max_cost")
            services.risk_task_impact_set(
                actor=SYSTEM, risk=risk, task=task, **{n: Decimal(v) for n, v in zip(names, values, strict=True)}
            )
        if "occurred" in spec:
            services.risk_occur(actor=SYSTEM, risk=risk, note=spec["occurred"], due_date=today + dt.timedelta(days=10))
    # The nightly overdue check has run: the owners of overdue actions have been told.
    services.risk_actions_check(actor=SYSTEM, today=today)
    # The PMO has analysed the schedule risk of the data centre exit and of the Digital portfolio.
    for target in ({"project": Project.objects.get(code="DIG-011")}, {"portfolio": Portfolio.objects.get(code="DIG")}):
        simulation.simulation_start(actor=SYSTEM, iterations=5000, seed=1, run_now=True, **target)
    return Risk.objects.count()
