"""The stakeholders demo: the CX programme's map and plan with overdue items and a log, benefits of several
projects including closed ones realised against target, and surveys over three months."""

import datetime as dt
from decimal import Decimal

from pmo.core.roles import sync_role_groups
from pmo.demo import load_demo
from pmo.portfolio.models import Program
from pmo.stakeholders import selectors
from pmo.stakeholders.models import CommunicationLog, Stakeholder, SurveyResponse


def test_demo_stakeholders(db):
    sync_role_groups()
    today = dt.date(2026, 12, 3)
    load_demo(today=today)
    cx = Program.objects.get(code="CX")
    assert selectors.stakeholders_of(cx).count() == 9
    assert selectors.stakeholders_of(cx, with_projects=True).count() == 12
    gaps = sorted(s.name for s in Stakeholder.objects.all() if s.engagement_gap)
    assert gaps == [
        "App store relations",
        "Banking regulator",
        "Carla Rossi",
        "Contact-centre team leads",
        "Information security officer",
        "Ingrid Solberg",
        "Retail branch network",
    ]
    due = selectors.due_items(selectors.items_of(cx, with_projects=True), today=today)
    overdue = [i.what for i in due if selectors.is_overdue(i, today)]
    assert overdue == [
        "Branch manager briefing",
        "Security review readout",
        "All-staff programme newsletter",
        "Programme steering pack",
        "Release notes to pilot customers",
    ]
    assert CommunicationLog.objects.count() == 10
    lines = {line.code: line for line in selectors.benefits_rollup()}
    loyalty = lines["DIG-005"]
    assert (loyalty.closed, loyalty.planned_value, loyalty.realised_value, loyalty.progress) == (
        True,
        Decimal("650000.00"),
        Decimal("510000.00"),
        0.7846,
    )
    plant = lines["OPS-005"]
    assert (plant.closed, plant.realised_value, plant.progress) == (True, Decimal("600000.00"), 1.0)
    assert lines["DIG-030"].planned_value == Decimal("1100000.00")
    assert sorted(lines) == ["DIG-001", "DIG-002", "DIG-005", "DIG-030", "OPS-005"]
    app = lines["DIG-001"].project_id
    results = selectors.survey_results(type(cx).objects.get(pk=cx.pk).projects.get(pk=app))
    assert [(r.survey.period, r.count, r.average, r.survey.is_open) for r in results] == [
        ("2026-10", 5, Decimal("3.00"), False),
        ("2026-11", 5, Decimal("3.60"), False),
        ("2026-12", 4, Decimal("4.25"), True),
    ]
    assert SurveyResponse.objects.count() == 14
