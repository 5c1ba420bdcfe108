"""PMO maturity: assessments (six dimensions rated 1-5), the trend and its SVG chart, improvement actions tracked
to closure with the overdue flag, and owners who move their actions along."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from pmo.core.access import SYSTEM
from pmo.core.errors import ValidationFailed
from pmo.core.roles import Role
from pmo.knowledge import charts, selectors, services
from pmo.knowledge.models import ImprovementAction, MaturityAssessment

LEVELS = {"governance": 2, "method": 3, "resources": 1, "benefits": 2, "risk": 3, "reporting": 4}


def test_assessment_and_trend(roles):
    analyst = roles[Role.PMO_ANALYST]
    later = services.assessment_create(
        actor=analyst, assessed_on="2026-11-01", title="Review 2026", levels={**LEVELS, "resources": 3}
    )
    first = services.assessment_create(
        actor=analyst, assessed_on=dt.date(2025, 11, 1), title="Review 2025", levels=LEVELS, comments={"risk": "Ok"}
    )
    assert [a.title for a in selectors.assessments()] == ["Review 2026", "Review 2025"]
    trend = selectors.maturity_trend()
    assert [(row["assessment"].pk, row["levels"]["resources"], row["average"]) for row in trend] == [
        (first.pk, 1, Decimal("2.5")),
        (later.pk, 3, Decimal("2.8")),
    ]
    assert first.scores.get(dimension="risk").comment == "Ok"
    assert first.assessed_by == analyst


def test_assessment_names_each_bad_level(roles):
    with pytest.raises(ValidationFailed) as error:
        services.assessment_create(
            actor=roles[Role.PMO_DIRECTOR],
            assessed_on="3/12/2026",
            title="",
            levels={**LEVELS, "method": 6, "risk": None, "culture": 3},
        )
    assert error.value.fields == {
        "assessed_on": ["Enter a date as YYYY-MM-DD."],
        "title": ["Give the assessment a title, such as “Annual review 2026”."],
        "levels.method": ["Rate method from 1 to 5."],
        "levels.risk": ["Rate risk from 1 to 5."],
        "levels.culture": ["Unknown dimension; use governance, method, resources, benefits, risk, reporting."],
    }
    assert MaturityAssessment.objects.count() == 0


def test_only_the_pmo_director_and_analyst_assess(roles):
    for role in (Role.PORTFOLIO_MANAGER, Role.PROJECT_MANAGER, Role.EXECUTIVE, Role.TEAM_MEMBER):
        with pytest.raises(PermissionDenied):
            services.assessment_create(actor=roles[role], assessed_on="2026-11-01", title="X", levels=LEVELS)
    assert MaturityAssessment.objects.count() == 0


def test_trend_chart_svg(db):
    assert charts.maturity_trend_svg([]) == ""
    a = services.assessment_create(actor=SYSTEM, assessed_on="2025-06-01", title="A", levels=LEVELS)
    b = services.assessment_create(actor=SYSTEM, assessed_on="2026-06-01", title="B", levels={**LEVELS, "risk": 5})
    svg = str(charts.maturity_trend_svg(selectors.maturity_trend()))
    assert svg.startswith('<svg class="maturity-chart" viewBox="0 0 640 260" role="img"')
    assert 'aria-label="Maturity level per dimension over 2 assessments"' in svg
    assert svg.count("<polyline") == 6 and svg.count("<circle") == 12
    assert ">Jun 2025</text>" in svg and ">Jun 2026</text>" in svg
    assert "<title>Risk: level 5 (01 Jun 2026)</title>" in svg
    assert ">Risk · 5</text>" in svg
    assert 'cx="52.0"' in svg and 'cx="482.0"' in svg  # the oldest at the left edge, the newest at the right
    # time runs left to right: an assessment two weeks later sits close to the one before, and only the newer
    # of two labels that would overlap is printed
    services.assessment_create(actor=SYSTEM, assessed_on="2026-06-15", title="C", levels=LEVELS)
    svg = str(charts.maturity_trend_svg(selectors.maturity_trend()))
    assert svg.count(">Jun 2026</text>") == 1 and ">Jun 2025</text>" in svg
    assert 'cx="466.1"' in svg  # 1 June 2026: 365 of 379 days along
    assert a.pk != b.pk


def test_improvement_actions_overdue_and_closure(org, roles, today):
    owner = org["person"][Role.TEAM_MEMBER]
    action = services.improvement_create(
        actor=roles[Role.PMO_ANALYST], dimension="benefits", title="Benefit owners", owner=owner, due="2026-11-30"
    )
    other = services.improvement_create(actor=SYSTEM, dimension="risk", title="Risk review", due=today)
    assert [a.title for a in selectors.overdue_actions(today)] == ["Benefit owners"]
    assert selectors.is_overdue(action, today) and not selectors.is_overdue(other, today)
    # the owner moves it along (status only); a stranger may not
    with pytest.raises(PermissionDenied):
        services.improvement_progress(actor=roles[Role.EXECUTIVE], action=action, status="done")
    with pytest.raises(PermissionDenied):
        services.improvement_update(actor=roles[Role.TEAM_MEMBER], action=action, title="Mine now")
    action.refresh_from_db()
    assert (action.status, action.title, action.version) == ("open", "Benefit owners", 1)
    action = services.improvement_progress(actor=roles[Role.TEAM_MEMBER], action=action, status="done")
    assert (action.status, action.done_on, action.is_open) == ("done", today, False)
    assert list(selectors.overdue_actions(today)) == []
    action = services.improvement_update(actor=roles[Role.PMO_DIRECTOR], action=action, status="in_progress")
    assert (action.status, action.done_on) == ("in_progress", None)
    with pytest.raises(ValidationFailed) as error:
        services.improvement_create(actor=SYSTEM, dimension="culture", title=" ", due="soon")
    assert error.value.fields == {
        "title": ["Say what will be improved."],
        "dimension": ["Choose one of: governance, method, resources, benefits, risk, reporting."],
        "due": ["Enter a date as YYYY-MM-DD."],
    }
    assert ImprovementAction.objects.count() == 2
