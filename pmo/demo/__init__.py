"""The demo portfolio: a mid-sized organisation's PMO with three portfolios, seven programs, forty
projects in every lifecycle state and people in every role. Loaded by `pmo demo` into an empty database."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction

from pmo.core.access import SYSTEM
from pmo.core.roles import Role
from pmo.demo.changes import load_demo_changes
from pmo.demo.control import load_demo_control
from pmo.demo.documents import load_demo_documents
from pmo.demo.governance import load_demo_governance
from pmo.demo.knowledge import load_demo_knowledge
from pmo.demo.plans import load_demo_plans
from pmo.demo.proposals import load_demo_proposals, load_demo_scenario, load_demo_scoring
from pmo.demo.reporting import load_demo_reporting
from pmo.demo.resources import load_demo_resources
from pmo.demo.risks import load_demo_risks
from pmo.demo.stakeholders import load_demo_stakeholders
from pmo.portfolio import services as portfolio_services
from pmo.portfolio.models import Portfolio
from pmo.resources import services as resource_services

DEMO_PASSWORD = "demo"

ORG_UNITS = [
    ("BOARD", "Executive Board", None),
    ("PMO", "Project Management Office", "BOARD"),
    ("IT", "Information Technology", "BOARD"),
    ("IT-ENG", "Software Engineering", "IT"),
    ("IT-INF", "Infrastructure & Cloud", "IT"),
    ("IT-DATA", "Data & Analytics", "IT"),
    ("OPS", "Operations", "BOARD"),
    ("FIN", "Finance", "BOARD"),
    ("LEGAL", "Legal & Compliance", "BOARD"),
    ("MKT", "Marketing & Sales", "BOARD"),
    ("HR", "People & Culture", "BOARD"),
]

# username (or None), name, job title, unit, role
PEOPLE = [
    ("director", "Margaret Osei", "Head of PMO", "PMO", Role.PMO_DIRECTOR),
    ("portfolio", "Daniel Brooks", "Portfolio Manager, Digital", "PMO", Role.PORTFOLIO_MANAGER),
    ("portfolio2", "Sofia Marques", "Portfolio Manager, Operations", "PMO", Role.PORTFOLIO_MANAGER),
    ("portfolio3", "Henrik Lund", "Portfolio Manager, Regulatory", "PMO", Role.PORTFOLIO_MANAGER),
    ("analyst", "Priya Natarajan", "PMO Analyst", "PMO", Role.PMO_ANALYST),
    ("analyst2", "Marcus Webb", "PMO Analyst", "PMO", Role.PMO_ANALYST),
    ("pm", "Tom Fischer", "Senior Project Manager", "IT", Role.PROJECT_MANAGER),
    ("pm2", "Aisha Bello", "Project Manager", "IT", Role.PROJECT_MANAGER),
    ("pm3", "Lucas Moreau", "Project Manager", "OPS", Role.PROJECT_MANAGER),
    ("pm4", "Mei Chen", "Project Manager", "IT-DATA", Role.PROJECT_MANAGER),
    ("pm5", "Oliver Grant", "Project Manager", "FIN", Role.PROJECT_MANAGER),
    ("pm6", "Fatima Zahra", "Project Manager", "LEGAL", Role.PROJECT_MANAGER),
    ("projadmin", "Grace Kim", "Project Administrator", "PMO", Role.PROJECT_ADMINISTRATOR),
    ("exec", "Robert Hale", "Chief Executive Officer", "BOARD", Role.EXECUTIVE),
    ("exec2", "Linda Park", "Chief Financial Officer", "BOARD", Role.EXECUTIVE),
    ("exec3", "Samuel Adeyemi", "Chief Operating Officer", "BOARD", Role.EXECUTIVE),
    ("exec4", "Ingrid Solberg", "Chief Information Officer", "BOARD", Role.EXECUTIVE),
    ("member", "Jonas Weber", "Backend Developer", "IT-ENG", Role.TEAM_MEMBER),
    ("member2", "Chloe Dubois", "Business Analyst", "IT-ENG", Role.TEAM_MEMBER),
    ("member3", "Rahul Mehta", "Data Engineer", "IT-DATA", Role.TEAM_MEMBER),
    ("member4", "Elena Petrova", "Cloud Engineer", "IT-INF", Role.TEAM_MEMBER),
    ("member5", "Kwame Mensah", "Process Engineer", "OPS", Role.TEAM_MEMBER),
    ("requester", "Carla Rossi", "Marketing Manager", "MKT", Role.REQUESTER),
    ("requester2", "Ahmed Karim", "Plant Manager", "OPS", Role.REQUESTER),
    ("resources", "Nadia Hassan", "Resource Manager", "HR", Role.RESOURCE_MANAGER),
    ("admin", "Pat Admin", "System Administrator", "IT-INF", None),
]

OBJECTIVES = [
    ("SO1", "Grow digital revenue to 30 % of sales", "Robert Hale", 2028),
    ("SO2", "Cut operating cost by 10 %", "Samuel Adeyemi", 2027),
    ("SO3", "Zero major findings in regulatory audits", "Linda Park", 2027),
    ("SO4", "Raise customer satisfaction (NPS) by 15 points", "Robert Hale", 2028),
    ("SO5", "Carbon-neutral operations", "Samuel Adeyemi", 2030),
]

PORTFOLIOS = [
    (
        "DIG",
        "Digital Transformation",
        "Daniel Brooks",
        ["SO1", "SO4"],
        "New digital channels, the data platform and the move to the cloud.",
    ),
    (
        "OPS",
        "Operational Excellence",
        "Sofia Marques",
        ["SO2", "SO5"],
        "Leaner, greener plants and supply chain.",
    ),
    (
        "REG",
        "Regulatory & Risk",
        "Henrik Lund",
        ["SO3"],
        "Everything the regulators and auditors ask of us, delivered on time.",
    ),
]

PROGRAMS = [
    ("CX", "Customer Experience", "DIG", "Daniel Brooks", ["SO4"]),
    ("DATA", "Data Platform", "DIG", "Mei Chen", ["SO1"]),
    ("CLOUD", "Cloud Migration", "DIG", "Tom Fischer", ["SO2"]),
    ("LEAN", "Lean Supply Chain", "OPS", "Lucas Moreau", ["SO2"]),
    ("GREEN", "Green Operations", "OPS", "Sofia Marques", ["SO5"]),
    ("PRIV", "Data Privacy", "REG", "Fatima Zahra", ["SO3"]),
    ("FINREP", "Financial Reporting", "REG", "Oliver Grant", ["SO3"]),
]

# code, name, portfolio, program, manager, sponsor, unit, state, methodology, budget (k), health, objectives
PROJECTS = [
    (
        "DIG-001",
        "Mobile banking app 2.0",
        "DIG",
        "CX",
        "Tom Fischer",
        "Robert Hale",
        "IT-ENG",
        "executing",
        "agile",
        1850,
        "amber",
        ["SO1", "SO4"],
    ),
    (
        "DIG-002",
        "Customer self-service portal",
        "DIG",
        "CX",
        "Aisha Bello",
        "Robert Hale",
        "IT-ENG",
        "executing",
        "agile",
        920,
        "green",
        ["SO4"],
    ),
    (
        "DIG-003",
        "Omnichannel contact centre",
        "DIG",
        "CX",
        "Aisha Bello",
        "Samuel Adeyemi",
        "IT-ENG",
        "planning",
        "hybrid",
        1340,
        "green",
        ["SO4"],
    ),
    (
        "DIG-004",
        "Chatbot for first-line support",
        "DIG",
        "CX",
        "Tom Fischer",
        "Robert Hale",
        "IT-ENG",
        "proposed",
        "agile",
        310,
        "unknown",
        ["SO4"],
    ),
    (
        "DIG-005",
        "Loyalty programme relaunch",
        "DIG",
        "CX",
        "Aisha Bello",
        "Robert Hale",
        "MKT",
        "closed",
        "agile",
        640,
        "green",
        ["SO1", "SO4"],
    ),
    (
        "DIG-006",
        "Customer 360 data model",
        "DIG",
        "DATA",
        "Mei Chen",
        "Ingrid Solberg",
        "IT-DATA",
        "executing",
        "hybrid",
        780,
        "red",
        ["SO1"],
    ),
    (
        "DIG-007",
        "Enterprise data lakehouse",
        "DIG",
        "DATA",
        "Mei Chen",
        "Ingrid Solberg",
        "IT-DATA",
        "executing",
        "waterfall",
        2450,
        "amber",
        ["SO1"],
    ),
    (
        "DIG-008",
        "Self-service BI rollout",
        "DIG",
        "DATA",
        "Mei Chen",
        "Linda Park",
        "IT-DATA",
        "initiating",
        "agile",
        410,
        "green",
        ["SO1"],
    ),
    (
        "DIG-009",
        "Master data governance",
        "DIG",
        "DATA",
        "Mei Chen",
        "Ingrid Solberg",
        "IT-DATA",
        "approved",
        "waterfall",
        530,
        "unknown",
        ["SO1", "SO3"],
    ),
    (
        "DIG-010",
        "Pricing analytics pilot",
        "DIG",
        "DATA",
        "Tom Fischer",
        "Linda Park",
        "IT-DATA",
        "proposed",
        "agile",
        180,
        "unknown",
        ["SO1"],
    ),
    (
        "DIG-011",
        "Data centre exit",
        "DIG",
        "CLOUD",
        "Tom Fischer",
        "Ingrid Solberg",
        "IT-INF",
        "executing",
        "waterfall",
        3200,
        "red",
        ["SO2"],
    ),
    (
        "DIG-012",
        "ERP lift-and-shift to cloud",
        "DIG",
        "CLOUD",
        "Tom Fischer",
        "Ingrid Solberg",
        "IT-INF",
        "planning",
        "waterfall",
        1650,
        "amber",
        ["SO2"],
    ),
    (
        "DIG-013",
        "Identity and access modernisation",
        "DIG",
        "CLOUD",
        "Aisha Bello",
        "Ingrid Solberg",
        "IT-INF",
        "on_hold",
        "waterfall",
        720,
        "amber",
        ["SO2", "SO3"],
    ),
    (
        "DIG-014",
        "Legacy mainframe decommissioning",
        "DIG",
        "CLOUD",
        "Tom Fischer",
        "Ingrid Solberg",
        "IT-INF",
        "cancelled",
        "waterfall",
        2100,
        "red",
        ["SO2"],
    ),
    (
        "DIG-015",
        "E-commerce checkout redesign",
        "DIG",
        None,
        "Aisha Bello",
        "Robert Hale",
        "MKT",
        "closing",
        "agile",
        450,
        "green",
        ["SO1"],
    ),
    (
        "OPS-001",
        "Warehouse management system",
        "OPS",
        "LEAN",
        "Lucas Moreau",
        "Samuel Adeyemi",
        "OPS",
        "executing",
        "waterfall",
        1980,
        "amber",
        ["SO2"],
    ),
    (
        "OPS-002",
        "Supplier portal",
        "OPS",
        "LEAN",
        "Lucas Moreau",
        "Samuel Adeyemi",
        "OPS",
        "executing",
        "hybrid",
        560,
        "green",
        ["SO2"],
    ),
    (
        "OPS-003",
        "Demand forecasting with ML",
        "OPS",
        "LEAN",
        "Mei Chen",
        "Samuel Adeyemi",
        "IT-DATA",
        "planning",
        "agile",
        690,
        "green",
        ["SO2"],
    ),
    (
        "OPS-004",
        "Transport route optimisation",
        "OPS",
        "LEAN",
        "Lucas Moreau",
        "Samuel Adeyemi",
        "OPS",
        "initiating",
        "hybrid",
        380,
        "green",
        ["SO2", "SO5"],
    ),
    (
        "OPS-005",
        "Plant 2 layout redesign",
        "OPS",
        "LEAN",
        "Lucas Moreau",
        "Samuel Adeyemi",
        "OPS",
        "closed",
        "waterfall",
        1150,
        "green",
        ["SO2"],
    ),
    (
        "OPS-006",
        "Predictive maintenance sensors",
        "OPS",
        "LEAN",
        "Lucas Moreau",
        "Samuel Adeyemi",
        "OPS",
        "proposed",
        "hybrid",
        870,
        "unknown",
        ["SO2"],
    ),
    (
        "OPS-007",
        "Rooftop solar at three plants",
        "OPS",
        "GREEN",
        "Lucas Moreau",
        "Samuel Adeyemi",
        "OPS",
        "executing",
        "waterfall",
        2750,
        "green",
        ["SO5"],
    ),
    (
        "OPS-008",
        "Electric delivery fleet",
        "OPS",
        "GREEN",
        "Lucas Moreau",
        "Samuel Adeyemi",
        "OPS",
        "approved",
        "waterfall",
        3900,
        "unknown",
        ["SO5"],
    ),
    (
        "OPS-009",
        "Packaging waste reduction",
        "OPS",
        "GREEN",
        "Lucas Moreau",
        "Samuel Adeyemi",
        "OPS",
        "planning",
        "hybrid",
        260,
        "amber",
        ["SO5", "SO2"],
    ),
    (
        "OPS-010",
        "Energy monitoring dashboard",
        "OPS",
        "GREEN",
        "Mei Chen",
        "Samuel Adeyemi",
        "IT-DATA",
        "closing",
        "agile",
        140,
        "green",
        ["SO5"],
    ),
    (
        "OPS-011",
        "Heat recovery in Plant 1",
        "OPS",
        "GREEN",
        "Lucas Moreau",
        "Samuel Adeyemi",
        "OPS",
        "on_hold",
        "waterfall",
        1240,
        "red",
        ["SO5"],
    ),
    (
        "OPS-012",
        "Shared services centre",
        "OPS",
        None,
        "Oliver Grant",
        "Linda Park",
        "FIN",
        "executing",
        "waterfall",
        1560,
        "amber",
        ["SO2"],
    ),
    (
        "OPS-013",
        "Procurement card rollout",
        "OPS",
        None,
        "Oliver Grant",
        "Linda Park",
        "FIN",
        "closed",
        "waterfall",
        95,
        "green",
        ["SO2"],
    ),
    (
        "OPS-014",
        "Robotic process automation in AP",
        "OPS",
        None,
        "Oliver Grant",
        "Linda Park",
        "FIN",
        "proposed",
        "agile",
        220,
        "unknown",
        ["SO2"],
    ),
    (
        "REG-001",
        "GDPR records of processing",
        "REG",
        "PRIV",
        "Fatima Zahra",
        "Linda Park",
        "LEGAL",
        "executing",
        "waterfall",
        340,
        "green",
        ["SO3"],
    ),
    (
        "REG-002",
        "Consent management platform",
        "REG",
        "PRIV",
        "Fatima Zahra",
        "Linda Park",
        "LEGAL",
        "executing",
        "hybrid",
        480,
        "red",
        ["SO3"],
    ),
    (
        "REG-003",
        "Data retention clean-up",
        "REG",
        "PRIV",
        "Fatima Zahra",
        "Linda Park",
        "LEGAL",
        "planning",
        "waterfall",
        290,
        "amber",
        ["SO3"],
    ),
    (
        "REG-004",
        "Privacy training for all staff",
        "REG",
        "PRIV",
        "Fatima Zahra",
        "Linda Park",
        "HR",
        "closed",
        "waterfall",
        60,
        "green",
        ["SO3"],
    ),
    (
        "REG-005",
        "Vendor privacy assessments",
        "REG",
        "PRIV",
        "Fatima Zahra",
        "Linda Park",
        "LEGAL",
        "initiating",
        "waterfall",
        150,
        "green",
        ["SO3"],
    ),
    (
        "REG-006",
        "IFRS 17 reporting engine",
        "REG",
        "FINREP",
        "Oliver Grant",
        "Linda Park",
        "FIN",
        "executing",
        "waterfall",
        2900,
        "amber",
        ["SO3"],
    ),
    (
        "REG-007",
        "ESG disclosure reporting",
        "REG",
        "FINREP",
        "Oliver Grant",
        "Linda Park",
        "FIN",
        "planning",
        "hybrid",
        610,
        "green",
        ["SO3", "SO5"],
    ),
    (
        "REG-008",
        "Month-end close acceleration",
        "REG",
        "FINREP",
        "Oliver Grant",
        "Linda Park",
        "FIN",
        "approved",
        "agile",
        330,
        "unknown",
        ["SO2", "SO3"],
    ),
    (
        "REG-009",
        "Anti-money-laundering monitoring",
        "REG",
        None,
        "Fatima Zahra",
        "Linda Park",
        "LEGAL",
        "executing",
        "waterfall",
        1420,
        "amber",
        ["SO3"],
    ),
    (
        "REG-010",
        "Whistle-blower channel",
        "REG",
        None,
        "Fatima Zahra",
        "Robert Hale",
        "LEGAL",
        "closed",
        "waterfall",
        45,
        "green",
        ["SO3"],
    ),
    (
        "REG-011",
        "Sanctions screening upgrade",
        "REG",
        None,
        "Fatima Zahra",
        "Linda Park",
        "LEGAL",
        "proposed",
        "waterfall",
        260,
        "unknown",
        ["SO3"],
    ),
]

DESCRIPTIONS = {
    "executing": "Delivery under way; reports monthly to the steering committee.",
    "planning": "Scope agreed; the plan and the resource requests are being prepared.",
    "initiating": "Charter drafted; team being formed.",
    "approved": "Approved by the portfolio board; waiting for a start slot.",
    "proposed": "Idea submitted for the next portfolio review.",
    "on_hold": "Paused by the portfolio board pending a dependency.",
    "closing": "Handed over to operations; closure report and lessons learned in progress.",
    "closed": "Delivered and closed.",
    "cancelled": "Stopped at its stage gate: the business case no longer holds.",
}

# How far (in days, from today) a project in each state starts, and how long it runs.
_STATE_TIMING = {
    "proposed": (90, 240),
    "approved": (30, 300),
    "initiating": (-10, 270),
    "planning": (-40, 330),
    "executing": (-200, 420),
    "on_hold": (-150, 360),
    "closing": (-330, 340),
    "closed": (-540, 300),
    "cancelled": (-300, 400),
}

DEMO_LOGINS = [(u, role.value if role else "Superuser (Django admin)", name) for u, name, _t, _u, role in PEOPLE if u]


def demo_needed() -> bool:
    """True when the database holds no portfolio yet (a first run)."""
    return not Portfolio.objects.exists()


@transaction.atomic
def load_demo(*, seed: int = 7, today: dt.date | None = None) -> None:
    """Load the demo portfolio (deterministic for a given seed and day), audited as the system."""
    rng = random.Random(seed)
    today = today or dt.date.today()
    User = get_user_model()
    units: dict[str, object] = {}
    for code, name, parent in ORG_UNITS:
        units[code] = resource_services.org_unit_create(
            actor=SYSTEM, code=code, name=name, parent=units.get(parent) if parent else None
        )
    people = {}
    groups = {role: Group.objects.get(name=role.value) for role in Role}
    for username, name, title, unit, role in PEOPLE:
        user = None
        if username:
            first, _, last = name.partition(" ")
            user = User.objects.create_user(
                username=username,
                password=DEMO_PASSWORD,
                first_name=first,
                last_name=last,
                email=f"{username}@example.org",
            )
            if role is None:
                user.is_staff = user.is_superuser = True
                user.save(update_fields=["is_staff", "is_superuser"])
            else:
                user.groups.add(groups[role])
            if role is Role.PMO_DIRECTOR:
                user.is_staff = True
                user.save(update_fields=["is_staff"])
        email = f"{name.lower().replace(' ', '.')}@example.org"
        people[name] = resource_services.person_create(
            actor=SYSTEM, name=name, job_title=title, org_unit=units[unit], user=user, email=email
        )
    objectives = {}
    for code, name, owner, year in OBJECTIVES:
        objectives[code] = portfolio_services.objective_create(
            actor=SYSTEM, code=code, name=name, owner=people[owner], target_year=year
        )
    portfolios = {}
    for code, name, manager, objs, description in PORTFOLIOS:
        portfolios[code] = portfolio_services.portfolio_create(
            actor=SYSTEM,
            code=code,
            name=name,
            description=description,
            manager=people[manager],
            objectives=[objectives[o] for o in objs],
        )
    programs = {}
    for code, name, portfolio, manager, objs in PROGRAMS:
        programs[code] = portfolio_services.program_create(
            actor=SYSTEM,
            code=code,
            name=name,
            portfolio=portfolios[portfolio],
            manager=people[manager],
            objectives=[objectives[o] for o in objs],
        )
    for (
        code,
        name,
        portfolio,
        program,
        manager,
        sponsor,
        unit,
        state,
        method,
        budget,
        health,
        objs,
    ) in PROJECTS:
        offset, length = _STATE_TIMING[state]
        start = today + dt.timedelta(days=offset + rng.randint(-45, 45))
        finish = start + dt.timedelta(days=length + rng.randint(-60, 90))
        portfolio_services.project_create(
            actor=SYSTEM,
            code=code,
            name=name,
            description=DESCRIPTIONS[state],
            portfolio=portfolios[portfolio],
            program=programs[program] if program else None,
            manager=people[manager],
            sponsor=people[sponsor],
            org_unit=units[unit],
            state=state,
            methodology=method,
            planned_start=start,
            planned_finish=finish,
            budget=Decimal(budget * 1000),
            currency="EUR",
            priority=rng.choice([1, 2, 2, 3, 3, 3, 4]),
            health=health,
            objectives=[objectives[o] for o in objs],
        )
    load_demo_plans(today=today)
    load_demo_proposals(today=today)
    load_demo_scoring()
    load_demo_scenario()
    load_demo_control(today=today, seed=seed)
    load_demo_changes(today=today)
    load_demo_risks(today=today)
    load_demo_resources(today=today)
    load_demo_documents(today=today)
    load_demo_governance(today=today)
    load_demo_knowledge(today=today)
    load_demo_stakeholders(today=today)
    load_demo_reporting(today=today)
