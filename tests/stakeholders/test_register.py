"""Stakeholder register, communication plan and log, surveys: the services against the database."""

import datetime as dt
from decimal import Decimal

import pytest

from pmo.core.access import SYSTEM
from pmo.core.errors import Conflict, ValidationFailed
from pmo.core.roles import Role
from pmo.stakeholders import selectors, services
from pmo.stakeholders.models import CommunicationItem, CommunicationLog, SurveyResponse


def add(scope, name, interest=3, influence=3, **extra):
    return services.stakeholder_create(
        actor=SYSTEM, name=name, interest=interest, influence=influence, **scope, **extra
    )


def test_quadrants_gaps_and_grid(org):
    p1 = {"project": org["p1"]}
    a = add(p1, "Sponsor", 5, 5, current_engagement="neutral", desired_engagement="leading")
    b = add(p1, "Regulator", 2, 4)
    c = add(p1, "Users", 4, 2)
    d = add(p1, "Vendor", 1, 1, current_engagement="leading", desired_engagement="neutral")
    e = add(p1, "Board", 5, 5)
    assert [s.quadrant for s in (a, b, c, d)] == ["manage closely", "keep satisfied", "keep informed", "monitor"]
    assert (a.engagement_gap, d.engagement_gap) == (2, 0)
    dots = {dot.stakeholder.name: dot for dot in selectors.power_interest_grid([a, b, c, d, e])}
    assert (dots["Regulator"].x, dots["Regulator"].y) == (108.0, 108.0)
    assert (dots["Sponsor"].x, dots["Sponsor"].y, dots["Sponsor"].gap) == (264.0, 56.0, 2)
    # Board shares Sponsor's cell: spread from it, numbered as given.
    assert (dots["Board"].x, dots["Board"].y, dots["Board"].number) == (253.0, 45.0, 5)


def test_a_person_lends_their_name_and_scope_is_exactly_one(org):
    s = services.stakeholder_create(
        actor=SYSTEM, program=org["program"], person=org["person"][Role.EXECUTIVE], interest=4, influence=5
    )
    assert s.name == "Exec" and s.owning_portfolio_id == org["portfolio"].pk
    with pytest.raises(ValidationFailed) as both:
        add({"project": org["p1"], "program": org["program"]}, "Two")
    assert both.value.fields == {"scope": ["Give exactly one of project, program or portfolio."]}
    with pytest.raises(ValidationFailed) as bad:
        add({"project": org["p1"]}, "Hot", interest=6)
    assert "interest" in bad.value.fields


def plan(scope, what="Steering pack", frequency="monthly", due=dt.date(2026, 11, 20), **extra):
    extra.setdefault("audience_groups", "Steering committee")
    return services.communication_item_create(
        actor=SYSTEM, what=what, frequency=frequency, next_due=due, **scope, **extra
    )


@pytest.mark.parametrize(
    ("frequency", "due", "sent_on", "next_due"),
    [
        ("weekly", dt.date(2026, 11, 30), dt.date(2026, 12, 1), dt.date(2026, 12, 7)),
        ("fortnightly", dt.date(2026, 11, 10), dt.date(2026, 12, 3), dt.date(2026, 12, 8)),
        ("monthly", dt.date(2026, 10, 31), dt.date(2026, 11, 2), dt.date(2026, 11, 30)),
        ("monthly", dt.date(2026, 12, 20), dt.date(2026, 12, 3), dt.date(2027, 1, 20)),
        ("quarterly", dt.date(2026, 11, 30), dt.date(2026, 12, 1), dt.date(2027, 2, 28)),
    ],
)
def test_recording_a_communication_moves_its_next_due_date_on(org, frequency, due, sent_on, next_due):
    item = plan({"project": org["p1"]}, frequency=frequency, due=due)
    log = services.communication_record_sent(actor=SYSTEM, item=item, sent_on=sent_on, note="Sent")
    item.refresh_from_db()
    assert (item.next_due, item.active, log.sent_on, log.note) == (next_due, True, sent_on, "Sent")


def test_a_one_off_is_done_once_sent(org):
    item = plan({"program": org["program"]}, frequency="once")
    services.communication_record_sent(actor=SYSTEM, item=item)
    item.refresh_from_db()
    assert (item.next_due, item.active) == (None, False)
    with pytest.raises(Conflict):
        services.communication_record_sent(actor=SYSTEM, item=item)
    assert CommunicationLog.objects.count() == 1


def test_due_lists_overdue_and_mine(org, roles):
    p1 = {"project": org["p1"]}
    sender = org["person"][Role.TEAM_MEMBER]
    late = plan(p1, "Late", due=dt.date(2026, 11, 20), sender=sender)
    soon = plan(p1, "Soon", due=dt.date(2026, 12, 10))
    plan(p1, "Later", due=dt.date(2027, 1, 20), sender=sender)
    assert selectors.due_items(selectors.items_of(org["p1"])) == [late, soon]
    assert [selectors.is_overdue(i) for i in (late, soon)] == [True, False]
    assert selectors.my_due_items(roles[Role.TEAM_MEMBER]) == [late]
    program_items = selectors.items_of(org["program"], with_projects=True)
    assert sorted(i.what for i in program_items) == ["Late", "Later", "Soon"]


def test_audience_must_be_in_the_register(org):
    inside = add({"project": org["p1"]}, "Inside")
    outside = add({"project": org["p2"]}, "Outside")
    item = plan({"program": org["program"]}, stakeholders=[inside], audience_groups="")
    assert list(item.stakeholders.all()) == [inside]
    with pytest.raises(ValidationFailed) as wrong:
        plan({"project": org["p1"]}, stakeholders=[outside])
    assert wrong.value.fields == {"stakeholders": ["Outside is not in this register."]}
    with pytest.raises(ValidationFailed) as nobody:
        plan({"project": org["p1"]}, audience_groups="")
    assert "stakeholders" in nobody.value.fields
    with pytest.raises(ValidationFailed) as future:
        services.communication_record_sent(actor=SYSTEM, item=item, sent_on=dt.date(2026, 12, 4))
    assert "sent_on" in future.value.fields
    assert CommunicationItem.objects.count() == 1


def test_surveys_answers_and_averages(org, roles):
    october = services.survey_create(actor=SYSTEM, project=org["p1"], period="2026-10")
    november = services.survey_create(actor=SYSTEM, project=org["p1"], period="2026-11")
    for role, score in ((Role.EXECUTIVE, 3), (Role.TEAM_MEMBER, 4), (Role.REQUESTER, 4)):
        services.survey_answer(actor=roles[role], survey=october, score=score)
    services.survey_answer(actor=roles[Role.EXECUTIVE], survey=november, score=2)
    services.survey_answer(actor=roles[Role.EXECUTIVE], survey=november, score=5, comment="Better")  # replaces
    results = selectors.survey_results(org["p1"])
    assert [(r.survey.period, r.count, r.average, r.distribution) for r in results] == [
        ("2026-10", 3, Decimal("3.67"), (0, 0, 1, 2, 0)),
        ("2026-11", 1, Decimal("5.00"), (0, 0, 0, 0, 1)),
    ]
    services.survey_set_open(actor=SYSTEM, survey=october, is_open=False)
    with pytest.raises(Conflict):
        services.survey_answer(actor=roles[Role.PMO_ANALYST], survey=october, score=1)
    with pytest.raises(ValidationFailed) as twice:
        services.survey_create(actor=SYSTEM, project=org["p1"], period="2026-10")
    assert "period" in twice.value.fields
    with pytest.raises(ValidationFailed) as bad:
        services.survey_create(actor=SYSTEM, project=org["p1"], period="2026-13")
    assert "period" in bad.value.fields
    assert SurveyResponse.objects.count() == 4


def test_overdue_communications_are_reminded_once_per_due_date(org, roles):
    from django.core.management import call_command

    from pmo.changes.models import Notification

    p1 = {"project": org["p1"]}
    plan(p1, "Late", due=dt.date(2026, 11, 20), sender=org["person"][Role.TEAM_MEMBER])
    no_sender = plan(p1, "Orphan", due=dt.date(2026, 12, 1))
    plan(p1, "Later", due=dt.date(2026, 12, 20))
    assert services.communications_remind(actor=SYSTEM) == {"overdue": 2, "notified": 2}
    member_note = Notification.objects.get(recipient=roles[Role.TEAM_MEMBER])
    assert member_note.message == "Overdue communication: 'Late' (P1) was due 20 Nov 2026"
    assert member_note.url == f"/projects/{org['p1'].pk}/stakeholders/#plan"
    assert Notification.objects.filter(recipient=roles[Role.PROJECT_MANAGER]).count() == 1  # P1's manager
    assert services.communications_remind(actor=SYSTEM) == {"overdue": 2, "notified": 0}
    services.communication_record_sent(actor=SYSTEM, item=no_sender, sent_on=dt.date(2026, 12, 2))
    call_command("communications_remind", "--date", "2027-01-05")  # "Orphan" next due 1 Jan 2027, "Later" 20 Dec
    assert Notification.objects.filter(recipient=roles[Role.PROJECT_MANAGER]).count() == 3


def test_opening_a_survey_asks_the_registered_people(org, roles, django_capture_on_commit_callbacks):
    from pmo.changes.models import Notification

    services.stakeholder_create(
        actor=SYSTEM, program=org["program"], person=org["person"][Role.EXECUTIVE], interest=4, influence=5
    )
    add({"project": org["p1"]}, "Outsider without an account")
    with django_capture_on_commit_callbacks(execute=True):
        survey = services.survey_create(actor=SYSTEM, project=org["p1"], period="2026-12")
    note = Notification.objects.get()
    assert (note.recipient, note.message, note.url) == (
        roles[Role.EXECUTIVE],
        "Your view is asked: P1 satisfaction survey 2026-12",
        f"/surveys/{survey.pk}/",
    )
