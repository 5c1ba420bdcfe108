"""The demo's stakeholders: the Customer Experience programme's stakeholder map and communication plan (with a
log, and some items overdue), a few stakeholders and communications of its mobile app project, satisfaction
surveys of the app over three months, and benefits for several projects — the closed loyalty relaunch and
plant layout redesign show realised against target; the branch booking project's benefit comes from its
business case."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model

from pmo.core.access import SYSTEM
from pmo.portfolio.models import Program, Project
from pmo.resources.models import Person
from pmo.stakeholders import services
from pmo.stakeholders.models import CommunicationItem

# name, person (a Person's name or None), organisation, role, interest, influence, current, desired, owner, notes
CX_STAKEHOLDERS = [
    ("Robert Hale", "Robert Hale", "Board", "CEO, programme sponsor", 5, 5, "leading", "leading", "Daniel Brooks", ""),
    (
        "Ingrid Solberg",
        "Ingrid Solberg",
        "Board",
        "CIO",
        4,
        5,
        "neutral",
        "supportive",
        "Daniel Brooks",
        "Worried about the load on IT operations during the app launch.",
    ),
    ("Carla Rossi", "Carla Rossi", "Marketing", "Marketing Manager", 5, 3, "supportive", "leading", "Aisha Bello", ""),
    (
        "Retail branch network",
        None,
        "Retail banking",
        "Branch managers (42 branches)",
        4,
        4,
        "resistant",
        "supportive",
        "Aisha Bello",
        "Fear that self-service and online booking reduce branch footfall and staff.",
    ),
    (
        "Staff union",
        None,
        "Works council",
        "Employee representatives",
        3,
        4,
        "neutral",
        "neutral",
        "Daniel Brooks",
        "Must be consulted before contact-centre rota changes.",
    ),
    (
        "Customer advisory panel",
        None,
        "Customers",
        "24 retail customers",
        5,
        2,
        "supportive",
        "supportive",
        "Chloe Dubois",
        "",
    ),
    (
        "Banking regulator",
        None,
        "Financial Conduct Authority",
        "Supervisor",
        2,
        5,
        "unaware",
        "neutral",
        "Margaret Osei",
        "Informed of the biometric login before go-live.",
    ),
    (
        "Contact-centre team leads",
        None,
        "Customer service",
        "Team leads",
        4,
        2,
        "neutral",
        "supportive",
        "Aisha Bello",
        "",
    ),
    ("Card scheme partner", None, "VisaPay", "Partner manager", 2, 2, "neutral", "neutral", "Tom Fischer", ""),
]
APP_STAKEHOLDERS = [
    ("Pilot customers", None, "Customers", "1,200 beta testers", 5, 2, "supportive", "supportive", "Tom Fischer", ""),
    (
        "Information security officer",
        None,
        "Risk & security",
        "CISO office",
        3,
        4,
        "resistant",
        "supportive",
        "Tom Fischer",
        "Asks for a penetration test before each release.",
    ),
    (
        "App store relations",
        None,
        "Apple / Google",
        "Developer relations",
        1,
        4,
        "unaware",
        "neutral",
        "Jonas Weber",
        "",
    ),
]

# register, what, audience (stakeholder names), groups, frequency, channel, sender, first due (days from today),
# sends (days from today, note)
COMMUNICATIONS: list[tuple[str, str, list[str], str, str, str, str, int, list[tuple[int, str]]]] = [
    (
        "CX",
        "Programme steering pack",
        ["Robert Hale", "Ingrid Solberg"],
        "",
        "monthly",
        "report",
        "Daniel Brooks",
        -95,
        [(-94, "Q3 close-out"), (-63, ""), (-33, "Booking pilot results")],
    ),
    (
        "CX",
        "Sponsor one-to-one",
        ["Robert Hale"],
        "",
        "fortnightly",
        "meeting",
        "Daniel Brooks",
        -25,
        [(-25, ""), (-11, "Budget reallocation agreed")],
    ),
    (
        "CX",
        "Branch manager briefing",
        ["Retail branch network"],
        "Regional directors",
        "monthly",
        "meeting",
        "Aisha Bello",
        -70,
        [(-68, "Online booking explained")],
    ),
    (
        "CX",
        "All-staff programme newsletter",
        [],
        "All retail staff",
        "monthly",
        "newsletter",
        "Chloe Dubois",
        -45,
        [(-44, "")],
    ),
    (
        "CX",
        "Works council consultation",
        ["Staff union"],
        "",
        "quarterly",
        "meeting",
        "Daniel Brooks",
        -80,
        [(-80, "Contact-centre rota proposal")],
    ),
    (
        "CX",
        "Regulator notification: biometric login",
        ["Banking regulator"],
        "",
        "once",
        "email",
        "Margaret Osei",
        20,
        [],
    ),
    ("CX", "Customer panel workshop", ["Customer advisory panel"], "", "quarterly", "workshop", "Chloe Dubois", 9, []),
    (
        "DIG-001",
        "Release notes to pilot customers",
        ["Pilot customers"],
        "",
        "fortnightly",
        "email",
        "Tom Fischer",
        -30,
        [(-30, "Beta 4"), (-16, "Beta 5")],
    ),
    (
        "DIG-001",
        "Security review readout",
        ["Information security officer"],
        "",
        "monthly",
        "meeting",
        "Tom Fischer",
        -20,
        [],
    ),
]

# project, name, kpi, unit, baseline, target, target date (days from today), owner, value, measurements
# (days from today, value, comment)
BENEFITS: list[tuple[Any, ...]] = [
    (
        "DIG-005",
        "More active loyalty members",
        "Active loyalty members",
        "members",
        "120000",
        "180000",
        -60,
        "Carla Rossi",
        "450000",
        [
            (-230, "131000", "First month after relaunch"),
            (-170, "149500", ""),
            (-110, "158000", ""),
            (-50, "166000", ""),
            (-10, "168000", "Growth levelling off"),
        ],
    ),
    (
        "DIG-005",
        "Lower loyalty churn",
        "Annual churn of members",
        "%",
        "14",
        "10",
        -60,
        "Carla Rossi",
        "200000",
        [(-200, "13.2", ""), (-110, "12", ""), (-15, "11", "")],
    ),
    (
        "OPS-005",
        "Higher Plant 2 throughput",
        "Units per shift",
        "units",
        "820",
        "950",
        -90,
        "Kwame Mensah",
        "600000",
        [(-180, "880", "Line 1 re-laid"), (-120, "915", ""), (-30, "950", "Target reached")],
    ),
    (
        "DIG-001",
        "More mobile users",
        "Monthly active app users",
        "users",
        "250000",
        "400000",
        300,
        "Robert Hale",
        "900000",
        [(-60, "262000", "Beta only"), (-5, "281000", "")],
    ),
    (
        "DIG-002",
        "Calls deflected to self-service",
        "Share of contacts solved in the portal",
        "%",
        "5",
        "30",
        240,
        "Aisha Bello",
        "380000",
        [(-20, "9", "")],
    ),
]

# survey months back (0: this month), answers as (username, score, comment)
SURVEYS = [
    (
        2,
        [
            ("exec", 3, "Launch date keeps moving."),
            ("member2", 3, ""),
            ("requester", 2, "Hard to get news."),
            ("portfolio", 4, ""),
            ("analyst", 3, ""),
        ],
    ),
    (
        1,
        [
            ("exec", 3, ""),
            ("member2", 4, "Demos help."),
            ("requester", 3, ""),
            ("portfolio", 4, ""),
            ("analyst", 4, ""),
        ],
    ),
    (
        0,
        [
            ("exec", 4, "Beta feedback is good."),
            ("member2", 4, ""),
            ("requester", 4, "Newsletter helps."),
            ("portfolio", 5, ""),
        ],
    ),
]


def _month(today: dt.date, back: int) -> str:
    index = today.year * 12 + today.month - 1 - back
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def load_demo_stakeholders(*, today: dt.date) -> None:
    people = {p.name: p for p in Person.objects.all()}
    users = {u.get_username(): u for u in get_user_model().objects.all()}
    program = Program.objects.filter(code="CX").first()
    projects = {p.code: p for p in Project.objects.all()}
    if program is None or "DIG-001" not in projects:
        return
    scopes: dict[str, dict[str, Any]] = {"CX": {"program": program}, "DIG-001": {"project": projects["DIG-001"]}}
    stakeholders = {}
    for scope, rows in (("CX", CX_STAKEHOLDERS), ("DIG-001", APP_STAKEHOLDERS)):
        for name, person, org, role, interest, influence, current, desired, owner, notes in rows:
            stakeholders[name] = services.stakeholder_create(
                actor=SYSTEM,
                name=name,
                person=people.get(person) if person else None,
                organisation=org,
                role=role,
                interest=interest,
                influence=influence,
                current_engagement=current,
                desired_engagement=desired,
                relationship_owner=people.get(owner),
                notes=notes,
                **scopes[scope],
            )
    for scope, what, audience, groups, frequency, channel, sender, first_due, sends in COMMUNICATIONS:
        item = services.communication_item_create(
            actor=SYSTEM,
            what=what,
            stakeholders=[stakeholders[n] for n in audience],
            audience_groups=groups,
            frequency=frequency,
            channel=channel,
            sender=people.get(sender),
            next_due=today + dt.timedelta(days=first_due),
            **scopes[scope],
        )
        sender_user = people[sender].user if sender in people and people[sender].user_id else SYSTEM
        for days, note in sends:
            item = CommunicationItem.objects.get(pk=item.pk)
            services.communication_record_sent(
                actor=sender_user, item=item, sent_on=today + dt.timedelta(days=days), note=note
            )
    for code, name, kpi, unit, baseline, target, due, owner, value, measurements in BENEFITS:
        if code not in projects:
            continue
        benefit = services.benefit_create(
            actor=SYSTEM,
            project=projects[code],
            name=name,
            kpi=kpi,
            unit=unit,
            baseline_value=Decimal(baseline),
            target_value=Decimal(target),
            target_date=today + dt.timedelta(days=due),
            owner=people.get(owner),
            financial_value=Decimal(value),
        )
        for days, measured, comment in measurements:
            services.measurement_record(
                actor=SYSTEM,
                benefit=benefit,
                measured_on=today + dt.timedelta(days=days),
                value=Decimal(measured),
                comment=comment,
            )
    _business_case_benefit(today, people)
    app = projects["DIG-001"]
    for back, answers in SURVEYS:
        survey = services.survey_create(actor=SYSTEM, project=app, period=_month(today, back))
        for username, score, comment in answers:
            if username in users:
                services.survey_answer(actor=users[username], survey=survey, score=score, comment=comment)
        if back:
            services.survey_set_open(actor=SYSTEM, survey=survey, is_open=False)


def _business_case_benefit(today: dt.date, people: dict[str, Person]) -> None:
    """The branch booking project (approved from a proposal) plans the benefit its business case promised: the
    sum of the yearly benefits of its cash flows."""
    from pmo.selection.models import Proposal

    proposal = Proposal.objects.filter(project__isnull=False).select_related("project").order_by("pk").first()
    if proposal is None:
        return
    total = sum((flow.benefit for flow in proposal.cash_flows.all()), Decimal("0"))
    if total <= 0:
        return
    services.benefit_create(
        actor=SYSTEM,
        project=proposal.project,
        name="Business case benefit",
        kpi="Branch appointments booked online per month",
        unit="bookings",
        baseline_value=Decimal("0"),
        target_value=Decimal("6000"),
        target_date=today + dt.timedelta(days=540),
        owner=people.get("Carla Rossi"),
        financial_value=total,
        description=f"From the business case of {proposal.code}: {total:,.0f} {proposal.currency} of benefits "
        f"over {proposal.cash_flows.count()} years.",
    )
