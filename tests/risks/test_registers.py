"""Risks and opportunities: scores, validation, re-rating and its history, escalation, affected projects,
closing, and a risk that occurs becoming an issue."""

import datetime as dt
from decimal import Decimal

import pytest

from pmo.changes.models import Issue, Notification
from pmo.core.errors import Conflict, ValidationFailed
from pmo.core.roles import Role
from pmo.planning import services as planning
from pmo.planning.models import Task
from pmo.risks import selectors, services
from pmo.risks.models import Risk, RiskAssessment, RiskTaskImpact
from tests.risks.conftest import TODAY, add_risk


def test_a_new_risk_is_scored_coded_and_starts_its_history(team, roles):
    pm = roles[Role.PROJECT_MANAGER]
    risk = add_risk(
        pm,
        team["p1"],
        p=3,
        i=4,
        cause="Single supplier for the card readers",
        event="Delivery slips past the pilot",
        effect="delays the pilot by a month",
        category="supplier",
        owner=team["person"][Role.TEAM_MEMBER],
        strategy="mitigate",
        residual_probability=2,
        residual_impact=3,
    )
    assert (risk.code, risk.score, risk.residual_score, risk.status, risk.level) == (
        "RSK-0001",
        12,
        6,
        "open",
        "project",
    )
    row = selectors.rows([risk])[0]
    assert (row.rating, row.residual_rating, row.scores, row.trend, row.escalated) == (
        "high",
        "medium",
        [12],
        "new",
        False,
    )
    assessment = RiskAssessment.objects.get()
    assert (assessment.assessed_on, assessment.score, assessment.residual_score, assessment.note) == (
        TODAY,
        12,
        6,
        "First rating.",
    )
    assert add_risk(pm, team["p1"], "Second").code == "RSK-0002"
    assert not Notification.objects.exists()  # below the escalation score


@pytest.mark.parametrize(
    ("fields", "errors"),
    [
        ({"strategy": "exploit"}, {"strategy": ["For a threat: avoid, mitigate, transfer, accept."]}),
        (
            {"kind": "opportunity", "strategy": "mitigate"},
            {"strategy": ["For an opportunity: exploit, enhance, share, accept."]},
        ),
        ({"p": 6}, {"probability": ["Choose a probability level from 1 to 5."]}),
        ({"i": 0}, {"impact": ["Choose an impact level from 1 to 5."]}),
        (
            {"residual_probability": 2},
            {"residual_impact": ["Give both the residual probability and the residual impact, or neither."]},
        ),
        ({"title": "  "}, {"title": ["Name the risk."]}),
        ({"assessed_on": dt.date(2026, 12, 4)}, {"assessed_on": ["A rating cannot be dated in the future."]}),
    ],
)
def test_bad_risks_are_refused_naming_the_field(team, roles, fields, errors):
    with pytest.raises(ValidationFailed) as error:
        add_risk(roles[Role.PROJECT_MANAGER], team["p1"], **{"title": "Vendor late", **fields})
    assert error.value.fields == errors
    assert not Risk.objects.exists() and not RiskAssessment.objects.exists()


def test_opportunities_take_their_own_strategies(team, roles):
    risk = add_risk(roles[Role.PROJECT_MANAGER], team["p1"], "Reuse the group's API gateway", kind="opportunity")
    services.risk_update(actor=roles[Role.PROJECT_MANAGER], risk=risk, strategy="exploit")
    with pytest.raises(ValidationFailed) as error:
        services.risk_update(actor=roles[Role.PROJECT_MANAGER], risk=risk, strategy="avoid")
    assert error.value.fields == {"strategy": ["For an opportunity: exploit, enhance, share, accept."]}
    risk.refresh_from_db()
    assert risk.strategy == "exploit"


def test_a_risk_belongs_to_one_register(team, roles):
    with pytest.raises(ValidationFailed) as error:
        services.risk_create(
            actor=roles[Role.PMO_DIRECTOR],
            project=team["p1"],
            portfolio=team["portfolio"],
            title="Two owners",
            probability=1,
            impact=1,
        )
    assert error.value.fields == {"register": ["A risk belongs to exactly one project, program or portfolio."]}


def test_re_rating_keeps_the_history_and_escalates_once(team, roles):
    pm = roles[Role.PROJECT_MANAGER]
    risk = add_risk(pm, team["p1"], p=3, i=4)
    services.risk_rate(actor=pm, risk=risk, probability=4, impact=4, note="Supplier missed a date", assessed_on=TODAY)
    risk.refresh_from_db()
    assert (risk.score, risk.version) == (16, 2)
    row = selectors.rows([selectors.base().get(pk=risk.pk)])[0]
    assert (row.scores, row.trend, row.rating, row.escalated) == ([12, 16], "up", "critical", True)
    note = Notification.objects.get()
    assert (note.recipient, note.message, note.url) == (
        roles[Role.PORTFOLIO_MANAGER],
        "P1: risk RSK-0001 escalated (score 16): Vendor late",
        f"/risks/{risk.pk}/",
    )
    services.risk_rate(actor=pm, risk=risk, probability=5, impact=4)
    assert Notification.objects.count() == 1  # already escalated: nobody is told twice
    services.risk_rate(actor=pm, risk=risk, probability=2, impact=2, residual_probability=1, residual_impact=2)
    row = selectors.rows([selectors.base().get(pk=risk.pk)])[0]
    assert (row.scores, row.trend, row.escalated, row.risk.residual_score) == ([12, 16, 20, 4], "down", False, 2)
    assert [a.note for a in RiskAssessment.objects.all()] == ["First rating.", "Supplier missed a date", "", ""]
    with pytest.raises(ValidationFailed):
        services.risk_update(actor=pm, risk=risk, probability=5)  # the rating changes only through re-rating


def test_escalation_to_program_and_portfolio(team, roles):
    director = roles[Role.PMO_DIRECTOR]
    p1, p2, program, portfolio = team["p1"], team["p2"], team["program"], team["portfolio"]
    add_risk(director, p1, "Core banking freeze", p=5, i=3)  # 15: at the escalation score
    low = add_risk(director, p1, "Printer toner", p=2, i=2)
    shared = add_risk(director, p1, "Shared test lab", p=2, i=3, affected_projects=[p2, p1])
    other = add_risk(director, p2, "Licence audit", p=4, i=4)
    program_risk = services.risk_create(
        actor=director, program=program, title="Architecture board capacity", probability=2, impact=2
    )
    portfolio_risk = services.risk_create(
        actor=director, portfolio=portfolio, title="Budget cut next year", probability=3, impact=5
    )
    closed = add_risk(director, p1, "Old", p=5, i=5)
    services.risk_update(actor=director, risk=closed, status="closed", closure_note="Passed")
    services.risk_update(actor=director, risk=shared, shared=True)
    assert list(shared.affected_projects.all()) == [p2]  # its own project is not "another" project

    def codes(qs):
        return sorted(r.title for r in qs)

    assert codes(selectors.escalated(portfolio=portfolio)) == [
        "Architecture board capacity",
        "Budget cut next year",
        "Core banking freeze",
        "Licence audit",
        "Shared test lab",
    ]
    assert codes(selectors.escalated(program=program)) == [
        "Architecture board capacity",
        "Core banking freeze",
        "Shared test lab",
    ]
    assert low not in selectors.escalated(portfolio=portfolio)
    assert codes(selectors.affecting(p2)) == ["Shared test lab"]
    messages = sorted(Notification.objects.values_list("message", flat=True))
    assert messages == [
        "P1: risk RSK-0001 escalated (score 15): Core banking freeze",
        "P1: risk RSK-0003 escalated (shared): Shared test lab",
        "P1: risk RSK-0007 escalated (score 25): Old",  # escalated when added, then closed: off the lists
        "P2: risk RSK-0004 escalated (score 16): Licence audit",
    ]
    assert (program_risk.level, portfolio_risk.level, other.level) == ("program", "portfolio", "project")


def test_closing_and_reopening(team, roles):
    pm = roles[Role.PROJECT_MANAGER]
    risk = add_risk(pm, team["p1"])
    services.risk_update(actor=pm, risk=risk, status="closed", closure_note="Supplier delivered")
    risk.refresh_from_db()
    assert (risk.status, risk.closed_on, risk.closure_note) == ("closed", TODAY, "Supplier delivered")
    with pytest.raises(Conflict):
        services.risk_rate(actor=pm, risk=risk, probability=1, impact=1)
    with pytest.raises(ValidationFailed) as error:
        services.risk_update(actor=pm, risk=risk, status="occurred")
    assert error.value.fields == {"status": ["Mark it as occurred: pmo then logs the issue it has become."]}
    services.risk_update(actor=pm, risk=risk, status="open")
    risk.refresh_from_db()
    assert (risk.status, risk.closed_on) == ("open", None)


def test_a_risk_that_occurs_becomes_a_linked_issue(team, roles):
    pm = roles[Role.PROJECT_MANAGER]
    owner = team["person"][Role.TEAM_MEMBER]
    risk = add_risk(
        pm, team["p1"], "Card readers late", p=4, i=4, owner=owner, cause="One supplier", response="Second source"
    )
    issue = services.risk_occur(actor=pm, risk=risk, note="Supplier confirmed a 6-week slip.", due_date=TODAY)
    risk.refresh_from_db()
    assert (risk.status, risk.issue, risk.occurred_on) == ("occurred", issue, TODAY)
    assert (issue.project, issue.title, issue.owner, issue.priority, issue.status, issue.due_date) == (
        team["p1"],
        "Card readers late",
        owner,
        1,
        "open",
        TODAY,
    )
    assert issue.description == (
        "Risk RSK-0001 occurred.\n\nCause: One supplier\n\nPlanned response: Second source\n\n"
        "Supplier confirmed a 6-week slip."
    )
    assert Issue.objects.get().risk == risk
    with pytest.raises(Conflict):
        services.risk_occur(actor=pm, risk=risk)
    with pytest.raises(Conflict):
        services.risk_update(actor=pm, risk=risk, status="open")
    assert Issue.objects.count() == 1


@pytest.mark.parametrize(("score", "priority"), [((2, 2), 4), ((2, 3), 3), ((2, 5), 2), ((3, 5), 1)])
def test_the_issue_priority_follows_the_rating(team, roles, score, priority):
    risk = add_risk(roles[Role.PROJECT_MANAGER], team["p1"], p=score[0], i=score[1])
    assert services.risk_occur(actor=roles[Role.PROJECT_MANAGER], risk=risk).priority == priority


def test_opportunities_and_registers_above_projects_when_they_occur(team, roles):
    director = roles[Role.PMO_DIRECTOR]
    opportunity = add_risk(director, team["p1"], "Early licence discount", kind="opportunity")
    with pytest.raises(Conflict) as conflict:
        services.risk_occur(actor=director, risk=opportunity)
    assert conflict.value.message == "RSK-0001 is an opportunity: close it when it is realised."
    program_risk = services.risk_create(
        actor=director, program=team["program"], title="Shared architects leave", probability=3, impact=3
    )
    with pytest.raises(ValidationFailed) as error:
        services.risk_occur(actor=director, risk=program_risk)
    assert error.value.fields == {"project": ["Choose the project where it happened."]}
    with pytest.raises(ValidationFailed) as error:
        services.risk_occur(actor=director, risk=program_risk, project=team["p2"])
    assert error.value.fields == {"project": ["P2 is not among the projects this risk affects."]}
    services.risk_update(actor=director, risk=program_risk, affected_projects=[team["p2"]])
    issue = services.risk_occur(actor=director, risk=program_risk, project=team["p2"])
    assert (issue.project, issue.priority) == (team["p2"], 3)
    assert not Issue.objects.filter(project=team["p1"]).exists()


def test_exposure_uses_the_estimates_or_the_impact_level(team, roles):
    pm = roles[Role.PROJECT_MANAGER]
    by_level = add_risk(pm, team["p1"], "By level", p=4, i=3)  # 60 % of 150,000 and 20 days
    estimated = add_risk(
        pm, team["p1"], "Estimated", p=2, i=4, cost_impact=Decimal("250000"), schedule_impact_days=30
    )  # 20 % of 250,000 and 30 days
    gain = add_risk(pm, team["p1"], "Gain", p=5, i=2, kind="opportunity", cost_impact=Decimal("40000"))
    rows = {r.risk.title: r for r in selectors.rows(selectors.project_register(team["p1"]))}
    assert (rows["By level"].exposure_money, rows["By level"].exposure_days) == (Decimal("90000.00"), Decimal("12.0"))
    assert (rows["Estimated"].exposure_money, rows["Estimated"].exposure_days) == (Decimal("50000.00"), Decimal("6.0"))
    assert (rows["Gain"].exposure_money, rows["Gain"].exposure_days) == (Decimal("34000.00"), Decimal("8.5"))
    assert {by_level.pk, estimated.pk, gain.pk} == {r.risk.pk for r in rows.values()}


def test_task_impacts_carry_three_point_estimates(team, roles):
    pm = roles[Role.PROJECT_MANAGER]
    risk = add_risk(pm, team["p1"], "Card readers late", p=4, i=4)
    impact = services.risk_task_impact_set(
        actor=pm,
        risk=risk,
        task=team["build"],
        min_days=2,
        likely_days=5,
        max_days=Decimal("12.5"),
        min_cost=0,
        likely_cost=Decimal("8000"),
        max_cost=Decimal("20000"),
    )
    assert (impact.min_days, impact.likely_days, impact.max_days, impact.likely_cost, impact.max_cost) == (
        Decimal("2"),
        Decimal("5"),
        Decimal("12.5"),
        Decimal("8000"),
        Decimal("20000"),
    )
    again = services.risk_task_impact_set(actor=pm, risk=risk, task=team["build"], likely_days=3, max_days=4)
    assert again.pk == impact.pk and (again.min_days, again.likely_days, again.likely_cost) == (0, 3, 0)
    with pytest.raises(ValidationFailed) as error:
        services.risk_task_impact_set(actor=pm, risk=risk, task=team["design"], min_days=5, likely_days=3, max_days=4)
    assert error.value.fields == {"likely_days": ["Minimum ≤ most likely ≤ maximum."]}
    other = add_risk(pm, team["p1"], "Other")
    planning.plan_replace(
        actor=roles[Role.PMO_DIRECTOR], project=team["p2"], tasks=[planning.TaskSpec(uid=1, name="Lake")]
    )
    lake = Task.objects.get(project=team["p2"])
    with pytest.raises(ValidationFailed) as error:
        services.risk_task_impact_set(actor=pm, risk=other, task=lake, likely_days=1, max_days=1)
    assert error.value.fields == {"task": ["Choose a task of the risk's project or of a project it affects."]}
    services.risk_update(actor=roles[Role.PMO_DIRECTOR], risk=other, affected_projects=[team["p2"]])
    services.risk_task_impact_set(actor=roles[Role.PMO_DIRECTOR], risk=other, task=lake, likely_days=1, max_days=1)
    assert [str(i) for i in RiskTaskImpact.objects.order_by("pk")] == [
        "RSK-0001 on Build",
        "RSK-0002 on Lake",
    ]
    services.risk_task_impact_delete(actor=pm, impact=again)
    assert RiskTaskImpact.objects.count() == 1
