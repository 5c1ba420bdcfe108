"""Who may keep registers, plans, benefits and surveys; every denied call changes nothing."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from pmo.core.access import SYSTEM, can
from pmo.core.models import AuditEvent
from pmo.core.roles import Role
from pmo.portfolio.models import Project
from pmo.stakeholders import services
from pmo.stakeholders.models import Benefit, BenefitMeasurement, CommunicationItem, Stakeholder, Survey


def _counts():
    return (
        Stakeholder.objects.count(),
        CommunicationItem.objects.count(),
        Benefit.objects.count(),
        BenefitMeasurement.objects.count(),
        Survey.objects.count(),
        AuditEvent.objects.count(),
    )


def _stakeholder(actor, **scope):
    return services.stakeholder_create(actor=actor, name="Someone", interest=3, influence=3, **scope)


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        (Role.PMO_DIRECTOR, True),
        (Role.PORTFOLIO_MANAGER, True),  # manages DIG
        (Role.PROJECT_MANAGER, True),  # manages P1
        (Role.PMO_ANALYST, False),
        (Role.EXECUTIVE, False),
        (Role.TEAM_MEMBER, False),
        (Role.PROJECT_ADMINISTRATOR, False),
        (Role.REQUESTER, False),
    ],
)
def test_who_keeps_a_project_register(org, roles, role, allowed):
    before = _counts()
    if allowed:
        _stakeholder(roles[role], project=org["p1"])
        assert Stakeholder.objects.count() == before[0] + 1
    else:
        with pytest.raises(PermissionDenied):
            _stakeholder(roles[role], project=org["p1"])
        assert _counts() == before


def test_a_project_manager_keeps_only_own_projects_and_programs_they_manage(org, roles):
    pm = roles[Role.PROJECT_MANAGER]
    before = _counts()
    with pytest.raises(PermissionDenied):
        _stakeholder(pm, project=org["p2"])
    with pytest.raises(PermissionDenied):
        _stakeholder(pm, program=org["program"])
    with pytest.raises(PermissionDenied):
        _stakeholder(roles[Role.PORTFOLIO_MANAGER], portfolio=org["other_portfolio"])
    assert _counts() == before
    _stakeholder(roles[Role.PORTFOLIO_MANAGER], program=org["program"])
    _stakeholder(roles[Role.PORTFOLIO_MANAGER], portfolio=org["portfolio"])


def test_the_sender_records_a_communication_others_cannot(org, roles):
    item = services.communication_item_create(
        actor=SYSTEM,
        project=org["p2"],
        what="Newsletter",
        audience_groups="All staff",
        next_due=dt.date(2026, 12, 1),
        sender=org["person"][Role.TEAM_MEMBER],
    )
    before = _counts()
    with pytest.raises(PermissionDenied):
        services.communication_record_sent(actor=roles[Role.EXECUTIVE], item=item)
    with pytest.raises(PermissionDenied):
        services.communication_record_sent(actor=roles[Role.PROJECT_MANAGER], item=item)  # not their project
    item.refresh_from_db()
    assert (_counts(), item.next_due, item.log.count()) == (before, dt.date(2026, 12, 1), 0)
    services.communication_record_sent(actor=roles[Role.TEAM_MEMBER], item=item)
    item.refresh_from_db()
    assert (item.next_due, item.log.get().sent_by_name) == (dt.date(2027, 1, 1), "Member")


def test_benefits_of_a_closed_project_are_still_planned_and_measured_by_its_leads(org, roles):
    Project.objects.filter(pk=org["p1"].pk).update(state="closed")
    p1 = Project.objects.get(pk=org["p1"].pk)
    assert not can(roles[Role.PROJECT_MANAGER], "change", p1)  # the project itself is archived
    b = services.benefit_create(
        actor=roles[Role.PROJECT_MANAGER],
        project=p1,
        name="Sales",
        kpi="Sales",
        baseline_value=Decimal(0),
        target_value=Decimal(10),
        target_date=dt.date(2026, 6, 1),
    )
    for role in (Role.PROJECT_MANAGER, Role.PMO_ANALYST, Role.PORTFOLIO_MANAGER):
        services.measurement_record(actor=roles[role], benefit=b, measured_on=dt.date(2026, 12, 1), value=Decimal(5))
    before = _counts()
    for role in (Role.EXECUTIVE, Role.TEAM_MEMBER, Role.REQUESTER, Role.PROJECT_ADMINISTRATOR):
        with pytest.raises(PermissionDenied):
            services.measurement_record(
                actor=roles[role], benefit=b, measured_on=dt.date(2026, 12, 1), value=Decimal(9)
            )
    with pytest.raises(PermissionDenied):
        services.benefit_update(actor=roles[Role.PMO_ANALYST], benefit=b, target_value=Decimal(20))
    with pytest.raises(PermissionDenied):
        services.benefit_delete(actor=roles[Role.EXECUTIVE], benefit=b)
    b.refresh_from_db()
    assert (_counts(), b.target_value) == (before, Decimal("10.0000"))


def test_the_benefit_owner_records_measurements(org, roles):
    b = services.benefit_create(
        actor=SYSTEM,
        project=org["p2"],
        name="Sales",
        kpi="Sales",
        baseline_value=Decimal(0),
        target_value=Decimal(10),
        target_date=dt.date(2027, 6, 1),
        owner=org["person"][Role.EXECUTIVE],
    )
    services.measurement_record(
        actor=roles[Role.EXECUTIVE], benefit=b, measured_on=dt.date(2026, 12, 1), value=Decimal(2)
    )
    assert b.measurements.count() == 1


def test_surveys_are_opened_by_leads_and_answered_by_anyone_signed_in(org, roles):
    before = _counts()
    with pytest.raises(PermissionDenied):
        services.survey_create(actor=roles[Role.TEAM_MEMBER], project=org["p1"], period="2026-12")
    assert _counts() == before
    survey = services.survey_create(actor=roles[Role.PROJECT_MANAGER], project=org["p1"], period="2026-12")
    r = services.survey_answer(actor=roles[Role.REQUESTER], survey=survey, score=4)
    assert r.respondent_name == "Requester"
    with pytest.raises(PermissionDenied):
        services.survey_set_open(actor=roles[Role.EXECUTIVE], survey=survey, is_open=False)
    survey.refresh_from_db()
    assert survey.is_open
