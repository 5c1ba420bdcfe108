"""The portfolio view: heat-map counts with their filters, the top threats, exposure sums by register and
category, what a team member sees, and the portfolio's own scales."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from pmo.core.access import SYSTEM
from pmo.core.errors import ValidationFailed
from pmo.core.roles import Role
from pmo.risks import selectors, services
from pmo.risks.models import Risk, RiskScale
from pmo.risks.scales import validate_scales
from tests.risks.conftest import add_risk


@pytest.fixture
def register(team, roles):
    d = roles[Role.PMO_DIRECTOR]
    p1, p2 = team["p1"], team["p2"]
    risks = {
        "A": add_risk(d, p1, "A", p=4, i=5),
        "B": add_risk(d, p1, "B", p=4, i=5, category="supplier", cost_impact=Decimal("2000000")),
        "C": add_risk(d, p1, "C", p=2, i=3),
        "D": add_risk(d, p1, "D", p=3, i=3, kind="opportunity"),
        "E": add_risk(d, p2, "E", p=5, i=3, category="supplier"),
        "F": add_risk(d, p2, "F", p=1, i=1),
        "G": services.risk_create(
            actor=d, program=team["program"], title="G", probability=2, impact=2, category="resources"
        ),
        "H": services.risk_create(
            actor=d, portfolio=team["portfolio"], title="H", probability=3, impact=4, category="cost"
        ),
    }
    services.risk_update(actor=d, risk=risks["F"], status="closed")
    return {**team, **risks}


def counts(grid):
    return {(c.probability, c.impact): c.count for row in grid for c in row if c.count}


def shown(qs):
    return selectors.rows(qs)


def test_heat_map_counts_and_filters(register):
    portfolio = register["portfolio"]
    scales = selectors.scales_for(portfolio.pk)
    every = selectors.in_portfolio(portfolio)
    threats = selectors.filtered(every, kind="threat")
    assert counts(selectors.grid(scales, shown(threats))) == {(4, 5): 2, (2, 3): 1, (5, 3): 1, (2, 2): 1, (3, 4): 1}
    escalated = selectors.filtered(every, kind="threat", scope="escalated", escalation_score=15)
    assert counts(selectors.grid(scales, shown(escalated))) == {(4, 5): 2, (5, 3): 1, (2, 2): 1, (3, 4): 1}
    registers = selectors.filtered(every, kind="threat", scope="registers")
    assert counts(selectors.grid(scales, shown(registers))) == {(2, 2): 1, (3, 4): 1}
    p1 = selectors.filtered(every, kind="threat", project_id=register["p1"].pk)
    assert counts(selectors.grid(scales, shown(p1))) == {(4, 5): 2, (2, 3): 1}
    opportunities = selectors.filtered(every, kind="opportunity")
    assert counts(selectors.grid(scales, shown(opportunities))) == {(3, 3): 1}
    closed_too = selectors.filtered(every, status="", kind="threat")
    assert counts(selectors.grid(scales, shown(closed_too)))[(1, 1)] == 1
    # Drilling down into a cell lists its risks.
    assert sorted(r.risk.title for r in selectors.in_cell(shown(threats), 4, 5)) == ["A", "B"]
    grid = selectors.grid(scales, shown(threats))
    top_row = [(c.score, c.rating) for c in grid[0]]
    assert top_row == [(5, "medium"), (10, "high"), (15, "critical"), (20, "critical"), (25, "critical")]


def test_residual_heat_map(register, roles):
    services.risk_rate(
        actor=roles[Role.PMO_DIRECTOR],
        risk=register["A"],
        probability=4,
        impact=5,
        residual_probability=2,
        residual_impact=4,
    )
    rows = shown(selectors.filtered(selectors.in_portfolio(register["portfolio"]), kind="threat"))
    assert counts(selectors.grid(selectors.scales_for(None), rows, residual=True)) == {(2, 4): 1}


def test_top_threats_by_score_then_expected_cost(register):
    rows = shown(selectors.in_portfolio(register["portfolio"]).filter(status="open"))
    top = selectors.top(rows)
    assert [(r.risk.title, r.risk.score, r.exposure_money) for r in top] == [
        ("B", 20, Decimal("1200000.00")),
        ("A", 20, Decimal("600000.00")),
        ("E", 15, Decimal("127500.00")),
        ("H", 12, Decimal("200000.00")),
        ("C", 6, Decimal("30000.00")),
        ("G", 4, Decimal("10000.00")),
    ]
    assert [r.risk.title for r in selectors.top(rows, 2)] == ["B", "A"]


def test_exposure_sums_by_register_and_category(register):
    rows = shown(selectors.in_portfolio(register["portfolio"]).filter(status="open"))
    lines, total = selectors.exposure_by(rows, "project")
    assert [(x.key, x.threats, x.threat_money, x.threat_days, x.opportunities, x.opportunity_money) for x in lines] == [
        ("P1", 3, Decimal("1830000.00"), Decimal("76.0"), 1, Decimal("60000.00")),
        ("DIG", 1, Decimal("200000.00"), Decimal("16.0"), 0, Decimal("0.00")),
        ("P2", 1, Decimal("127500.00"), Decimal("17.0"), 0, Decimal("0.00")),
        ("CX", 1, Decimal("10000.00"), Decimal("2.0"), 0, Decimal("0.00")),
    ]
    assert [x.label for x in lines] == ["P1 Mobile app", "Portfolio Digital", "P2 Data lake", "Program Customer"]
    assert (total.threats, total.threat_money, total.threat_days, total.opportunities, total.opportunity_days) == (
        6,
        Decimal("2167500.00"),
        Decimal("111.0"),
        1,
        Decimal("8.0"),
    )
    lines, _ = selectors.exposure_by(rows, "category")
    assert [(x.label, x.threats, x.threat_money, x.threat_days) for x in lines] == [
        ("Supplier and contract", 2, Decimal("1327500.00"), Decimal("53.0")),
        ("Technical", 2, Decimal("630000.00"), Decimal("40.0")),
        ("Cost and funding", 1, Decimal("200000.00"), Decimal("16.0")),
        ("People and resources", 1, Decimal("10000.00"), Decimal("2.0")),
    ]


def test_team_members_see_their_projects_and_their_actions(register, roles):
    member = roles[Role.TEAM_MEMBER]
    every = selectors.in_portfolio(register["portfolio"])
    assert sorted(r.title for r in selectors.visible(member, every)) == ["A", "B", "C", "D"]
    services.risk_action_create(
        actor=SYSTEM, risk=register["E"], description="Audit prep", owner=register["person"][Role.TEAM_MEMBER]
    )
    assert sorted(r.title for r in selectors.visible(member, every)) == ["A", "B", "C", "D", "E"]
    assert selectors.visible(roles[Role.EXECUTIVE], every).count() == 8
    assert not selectors.sees_risks(roles[Role.REQUESTER])


def test_a_portfolio_sets_its_own_scales(team, roles):
    manager, portfolio = roles[Role.PORTFOLIO_MANAGER], team["portfolio"]
    old = add_risk(roles[Role.PROJECT_MANAGER], team["p1"], "High on 5x5", p=4, i=4)
    probability = [
        {"level": 1, "label": "Unlikely", "percent": "10"},
        {"level": 2, "label": "Possible", "percent": "50"},
        {"level": 3, "label": "Likely", "percent": "90"},
    ]
    impact = [
        {"level": 1, "label": "Minor", "money": "20000", "days": 5},
        {"level": 2, "label": "Major", "money": "200000", "days": 30},
        {"level": 3, "label": "Severe", "money": "1000000", "days": 90},
    ]
    with pytest.raises(ValidationFailed) as error:
        services.risk_scales_set(
            actor=manager, portfolio=portfolio, probability=probability, impact=impact, escalation_score=6
        )
    assert error.value.fields == {"general": ["Re-rate RSK-0001 first: rated on levels the new scales do not have."]}
    services.risk_rate(actor=manager, risk=old, probability=2, impact=3)
    scale = services.risk_scales_set(
        actor=manager, portfolio=portfolio, probability=probability, impact=impact, escalation_score=6
    )
    assert (scale.escalation_score, scale.probability_levels[2], scale.impact_levels[0]) == (
        6,
        {"level": 3, "label": "Likely", "percent": "90"},
        {"level": 1, "label": "Minor", "money": "20000", "days": 5},
    )
    scales = selectors.scales_for(portfolio.pk)
    assert [scales.rating(s) for s in (1, 2, 3, 4, 6, 9)] == ["low", "medium", "medium", "high", "critical", "critical"]
    risk = add_risk(roles[Role.PROJECT_MANAGER], team["p1"], "On the new scales", p=3, i=2)
    row = selectors.rows([risk])[0]
    assert (row.rating, row.escalated, row.exposure_money, row.exposure_days) == (
        "critical",
        True,
        Decimal("180000.00"),
        Decimal("27.0"),
    )
    with pytest.raises(ValidationFailed) as error:
        add_risk(roles[Role.PROJECT_MANAGER], team["p1"], "Off the scale", p=4, i=1)
    assert error.value.fields == {"probability": ["Choose a probability level from 1 to 3."]}
    assert selectors.scales_for(team["other_portfolio"].pk).escalation_score == 15  # the default elsewhere


@pytest.mark.parametrize(
    ("change", "errors"),
    [
        (
            {"escalation_score": 26},
            {"escalation_score": ["Give a score from 1 to 25 (probability levels x impact levels)."]},
        ),
        (
            {"probability": "flat"},
            {"probability": ["Each level's percentage is above the level before it, up to 100."]},
        ),
        ({"impact": "falling"}, {"impact": ["Each level's cost and days are at least those of the level before it."]}),
        (
            {"impact": "short"},
            {
                "impact": ["Give 3 to 10 levels."],
                "escalation_score": ["Give a score from 1 to 10 (probability levels x impact levels)."],
            },
        ),
    ],
)
def test_bad_scales_are_refused(team, roles, change, errors):
    scales = selectors.scales_for(None)
    probability = [{"level": p.level, "label": p.label, "percent": p.percent} for p in scales.probability]
    impact = [{"level": i.level, "label": i.label, "money": i.money, "days": i.days} for i in scales.impact]
    if change.get("probability") == "flat":
        probability[1]["percent"] = probability[0]["percent"]
    if change.get("impact") == "falling":
        impact[4]["money"] = Decimal("1")
    if change.get("impact") == "short":
        impact = impact[:2]
    with pytest.raises(ValidationFailed) as error:
        services.risk_scales_set(
            actor=roles[Role.PMO_DIRECTOR],
            portfolio=team["portfolio"],
            probability=probability,
            impact=impact,
            escalation_score=change.get("escalation_score", 15),
        )
    assert error.value.fields == errors
    assert not RiskScale.objects.exists()
    assert validate_scales(scales) == {}


@pytest.mark.parametrize("role", [Role.PROJECT_MANAGER, Role.PMO_ANALYST, Role.EXECUTIVE, Role.TEAM_MEMBER])
def test_only_the_pmo_director_and_the_portfolio_manager_set_scales(team, roles, role):
    scales = selectors.scales_for(None)
    args = {
        "probability": [{"level": p.level, "label": p.label, "percent": p.percent} for p in scales.probability],
        "impact": [{"level": i.level, "label": i.label, "money": i.money, "days": i.days} for i in scales.impact],
        "escalation_score": 12,
    }
    with pytest.raises(PermissionDenied):
        services.risk_scales_set(actor=roles[role], portfolio=team["portfolio"], **args)
    with pytest.raises(PermissionDenied):  # not their portfolio
        services.risk_scales_set(actor=roles[Role.PORTFOLIO_MANAGER], portfolio=team["other_portfolio"], **args)
    assert not RiskScale.objects.exists()
    services.risk_scales_set(actor=roles[Role.PORTFOLIO_MANAGER], portfolio=team["portfolio"], **args)
    assert RiskScale.objects.get().escalation_score == 12
    assert Risk.objects.count() == 0
