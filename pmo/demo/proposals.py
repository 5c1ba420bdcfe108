"""Proposals for the demo pipeline: ideas at every stage, with business cases that differ in size, return and
risk, so that scoring, ranking and the portfolio optimiser have real choices to make."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.contrib.auth import get_user_model

from pmo.portfolio import services as portfolio_services
from pmo.portfolio.models import Portfolio, StrategicObjective
from pmo.resources.models import Person
from pmo.selection import services
from pmo.selection.models import Proposal

# title, requester, portfolio, sponsor, risk, start offset (months), months, capex k by year, opex k/yr,
# benefit k by year, demands (role, fte, from, months), objectives (code, rating), final state
PROPOSALS = [
    (
        "Customer app loyalty wallet",
        "requester",
        "DIG",
        "Robert Hale",
        "medium",
        2,
        8,
        [400, 120],
        40,
        [0, 350, 450, 500],
        [("Backend developer", "2", 0, 6), ("Business analyst", "0.5", 0, 4)],
        [("SO1", 4), ("SO4", 5)],
        "under_evaluation",
    ),
    (
        "AI demand sensing",
        "requester2",
        "OPS",
        "Samuel Adeyemi",
        "high",
        3,
        10,
        [650, 200],
        80,
        [0, 300, 700, 900],
        [("Data engineer", "2", 0, 9), ("Process engineer", "1", 3, 6)],
        [("SO2", 5)],
        "under_evaluation",
    ),
    (
        "Paperless invoicing",
        "pm5",
        "OPS",
        "Linda Park",
        "low",
        1,
        5,
        [180],
        20,
        [60, 160, 160],
        [("Business analyst", "1", 0, 4)],
        [("SO2", 3), ("SO5", 2)],
        "under_evaluation",
    ),
    (
        "Data catalogue and lineage",
        "pm4",
        "DIG",
        "Ingrid Solberg",
        "medium",
        4,
        9,
        [300, 100],
        60,
        [0, 150, 250, 250],
        [("Data engineer", "1.5", 0, 9)],
        [("SO1", 3), ("SO3", 4)],
        "under_evaluation",
    ),
    (
        "Dynamic pricing engine",
        "requester",
        "DIG",
        "Linda Park",
        "very_high",
        6,
        12,
        [900, 400],
        120,
        [0, 400, 1200, 1500],
        [("Backend developer", "3", 0, 12), ("Data engineer", "1", 2, 8)],
        [("SO1", 5)],
        "under_evaluation",
    ),
    (
        "Fleet telematics",
        "requester2",
        "OPS",
        "Samuel Adeyemi",
        "medium",
        2,
        7,
        [500],
        50,
        [0, 250, 300, 300],
        [("Process engineer", "1", 0, 7), ("Cloud engineer", "0.5", 1, 4)],
        [("SO2", 3), ("SO5", 4)],
        "submitted",
    ),
    (
        "Regulatory reporting hub",
        "pm6",
        "REG",
        "Linda Park",
        "medium",
        1,
        9,
        [450, 150],
        70,
        [0, 100, 200, 200],
        [("Backend developer", "1", 0, 9), ("Business analyst", "1", 0, 5)],
        [("SO3", 5)],
        "submitted",
    ),
    (
        "Green data centre cooling",
        "requester2",
        "OPS",
        "Samuel Adeyemi",
        "low",
        5,
        6,
        [700],
        10,
        [0, 180, 180, 180, 180],
        [("Cloud engineer", "1", 0, 6)],
        [("SO5", 5), ("SO2", 2)],
        "deferred",
    ),
    (
        "Chatbot for HR questions",
        "requester",
        "DIG",
        "Robert Hale",
        "low",
        2,
        4,
        [120],
        30,
        [0, 90, 90],
        [("Backend developer", "1", 0, 4)],
        [("SO4", 2)],
        "rejected",
    ),
    (
        "Voice of the customer platform",
        "requester",
        "DIG",
        "Robert Hale",
        "medium",
        3,
        6,
        [],
        0,
        [],
        [],
        [("SO4", 4)],
        "draft",
    ),
    (
        "Branch appointment booking",
        "requester",
        "DIG",
        "Robert Hale",
        "medium",
        -3,
        9,
        [350, 100],
        30,
        [0, 300, 400, 400],
        [("Backend developer", "1.5", 0, 9), ("Business analyst", "0.5", 0, 3)],
        [("SO4", 4)],
        "running DIG-030",
    ),
]


def load_demo_proposals(*, today: dt.date) -> int:
    User = get_user_model()
    people = {p.name: p for p in Person.objects.all()}
    portfolios = {p.code: p for p in Portfolio.objects.all()}
    objectives = {o.code: o for o in StrategicObjective.objects.all()}
    director = User.objects.get(username="director")
    analyst = User.objects.get(username="analyst")
    for (
        title,
        username,
        portfolio,
        sponsor,
        risk,
        offset,
        months,
        capex,
        opex,
        benefits,
        demands,
        rated,
        state,
    ) in PROPOSALS:
        requester = User.objects.get(username=username)
        first_of_month = today.replace(day=1)
        start = (first_of_month + dt.timedelta(days=31 * offset)).replace(day=1)
        proposal = services.proposal_create(
            actor=requester,
            title=title,
            problem=f"{title}: the case for doing it now, and what happens if we do not.",
            portfolio=portfolios[portfolio],
            sponsor=people[sponsor],
            risk_level=risk,
            earliest_start=start,
            latest_start=(start + dt.timedelta(days=120)).replace(day=1),
            duration_months=months,
        )
        years = max(len(capex), len(benefits))
        flows = [
            services.CashFlowRow(
                year,
                Decimal(capex[year] * 1000) if year < len(capex) else Decimal(0),
                Decimal(opex * 1000) if year > 0 else Decimal(0),
                Decimal(benefits[year] * 1000) if year < len(benefits) else Decimal(0),
            )
            for year in range(years)
        ]
        services.proposal_business_case_update(
            actor=requester,
            proposal=proposal,
            cash_flows=flows,
            demands=[services.DemandRow(role, Decimal(fte), start_month, n) for role, fte, start_month, n in demands],
            contributions=[(objectives[code], rating) for code, rating in rated],
        )
        path = {
            "draft": [],
            "submitted": [("submitted", requester, "")],
            "under_evaluation": [
                ("submitted", requester, ""),
                ("under_evaluation", analyst, "Complete; scoring next."),
            ],
            "deferred": [
                ("submitted", requester, ""),
                ("under_evaluation", analyst, ""),
                ("deferred", director, "Good case, but next year's budget."),
            ],
            "rejected": [
                ("submitted", requester, ""),
                ("under_evaluation", analyst, ""),
                ("rejected", director, "Too little benefit for the effort."),
            ],
        }.get(state, [("submitted", requester, ""), ("under_evaluation", analyst, "")])
        for to_state, actor, comment in path:
            services.proposal_transition(actor=actor, proposal=proposal, to_state=to_state, comment=comment)
        if state.startswith("running "):
            # Approved at an earlier portfolio review and under way: it competes in scenarios that let
            # running projects compete, with what it still has to spend.
            project = services.proposal_approve_into_project(
                actor=director,
                proposal=proposal,
                code=state.split()[1],
                comment="Approved at the last quarterly review.",
            )
            project = portfolio_services.project_update(
                actor=director, project=project, manager=people["Aisha Bello"], health="green"
            )
            for step in ("initiating", "planning", "executing"):
                project = portfolio_services.project_transition(actor=director, project=project, to_state=step)
    return Proposal.objects.count()


def load_demo_scoring() -> None:
    """The PMO's standard scoring model, with AHP weights, and the analysts' first scores."""
    from pmo.core.access import SYSTEM
    from pmo.selection import scoring
    from pmo.selection.models import Criterion

    User = get_user_model()
    analysts = list(User.objects.filter(username__in=["analyst", "analyst2", "portfolio"]).order_by("username"))
    model = scoring.scoring_model_save(
        actor=SYSTEM,
        name="PMO standard",
        description="Value, strategic fit, risk and deliverability; weights by AHP.",
        criteria=[
            scoring.CriterionSpec("Net present value", kind="npv"),
            scoring.CriterionSpec("Strategic fit", kind="strategic_fit"),
            scoring.CriterionSpec("Risk", kind="risk", direction="lower"),
            scoring.CriterionSpec(
                "Deliverability",
                kind="rated",
                levels=(
                    "No team, unknown technology",
                    "Team to be hired",
                    "Team partly available",
                    "Team available, known technology",
                    "Done it before",
                ),
            ),
        ],
        evaluators=analysts,
    )
    scoring.scoring_model_set_ahp(
        actor=SYSTEM,
        model=model,
        matrix=[[1, 2, 3, 2], [1 / 2, 1, 2, 1], [1 / 3, 1 / 2, 1, 1 / 2], [1 / 2, 1, 2, 1]],
    )
    deliverability = model.criteria.get(kind=Criterion.Kind.RATED)
    ratings = {
        "Customer app loyalty wallet": (4, 5),
        "AI demand sensing": (2, 3),
        "Paperless invoicing": (5, 4),
        "Data catalogue and lineage": (3, 3),
        "Dynamic pricing engine": (2, 1),
    }
    for title, (first, second) in ratings.items():
        proposal = Proposal.objects.get(title=title)
        scoring.evaluation_record(
            actor=analysts[0], proposal=proposal, model=model, ratings={deliverability: (first, "")}
        )
        scoring.evaluation_record(
            actor=analysts[1], proposal=proposal, model=model, ratings={deliverability: (second, "")}
        )


def load_demo_scenario() -> None:
    """Two selection scenarios for next year's Digital portfolio, not run yet: the plain one, and one where the
    running projects compete too and start months are chosen."""
    from pmo.selection import scenarios
    from pmo.selection.models import ScoringModel

    User = get_user_model()
    scenarios.scenario_save(
        actor=User.objects.get(username="analyst"),
        name="Digital next year",
        portfolio=Portfolio.objects.get(code="DIG"),
        scoring_model=ScoringModel.objects.get(name="PMO standard"),
        objective="score",
        budget_per_year={"2027": "1200000", "2028": "600000"},
        capacity_per_role={"Backend developer": "3", "Data engineer": "2", "Business analyst": "1"},
        time_limit_s=5,
    )
    scenarios.scenario_save(
        actor=User.objects.get(username="analyst"),
        name="Digital with running projects",
        portfolio=Portfolio.objects.get(code="DIG"),
        scoring_model=ScoringModel.objects.get(name="PMO standard"),
        objective="score",
        budget_per_year={"2027": "1200000", "2028": "600000"},
        capacity_per_role={"Backend developer": "3", "Data engineer": "2", "Business analyst": "1"},
        include_running=True,
        spread_starts=True,
        time_limit_s=5,
    )
