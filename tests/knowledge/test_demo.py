"""The knowledge demo: loaded with the rest of the demo portfolio, deterministic, and showing each feature."""

import datetime as dt
from decimal import Decimal

from pmo.core.roles import sync_role_groups
from pmo.demo import load_demo
from pmo.knowledge import search, selectors
from pmo.knowledge.models import Closure, ImprovementAction, Lesson, LessonCategory, MaturityAssessment


def test_demo_knowledge(db):
    sync_role_groups()
    today = dt.date(2026, 12, 3)
    load_demo(today=today)
    assert LessonCategory.objects.count() == 9
    assert Lesson.objects.filter(kind="best_practice").count() == 5
    assert Lesson.objects.filter(relevant=True).count() >= 8
    done = Closure.objects.get(project__code="DIG-005")
    assert (done.status, done.project.state, done.objectives_met) == ("closed", "closed", "partly")
    assert [o.met for o in done.objectives.all()] == ["yes", "partly"]
    figures = selectors.closure_figures(done)
    assert (figures.budget, figures.actual_cost, figures.cost_variance_percent) == (
        Decimal("640000.00"),
        Decimal("668500.00"),
        Decimal("4.5"),
    )
    killed = Closure.objects.filter(killed=True).get()
    assert killed.status == "closed" and killed.project.state == "cancelled"
    assert Lesson.objects.filter(project=killed.project).count() == 2
    checkout = Closure.objects.get(project__code="DIG-015")
    assert checkout.status == "in_progress"
    assert selectors.closure_missing(checkout) == [
        "describe the benefits handed over",
        "write the recommendations",
        "record the date of the lessons-learned session",
        "list the session's participants",
    ]
    hits = search.search("business case assumptions", kind="lesson")
    assert hits.hits[0].entry.title.endswith("Business case assumptions were never re-validated")
    trend = selectors.maturity_trend()
    assert [row["average"] for row in trend] == [
        Decimal("1.7"),
        Decimal("2.5"),
        Decimal("3.0"),
    ]
    assert MaturityAssessment.objects.count() == 3
    assert ImprovementAction.objects.count() == 7
    assert [a.title for a in selectors.overdue_actions(today)] == ["Name a benefit owner for every project at approval"]
