import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from pmo.changes.models import Notification
from pmo.core.access import SYSTEM
from pmo.core.errors import Conflict, ValidationFailed
from pmo.core.models import AuditEvent
from pmo.core.roles import Role
from pmo.resources import selectors, services
from pmo.resources.models import (
    CapacityPeriod,
    PersonSkill,
    ResourceRequest,
    TrainingPlan,
)

D = dt.date


def test_capacity_latest_period_applies_default_forty(pool):
    member = pool["member"]
    assert selectors.capacity_on(member, D(2026, 1, 1)) == Decimal("40")
    services.capacity_period_add(actor=SYSTEM, person=member, start=D(2026, 3, 1), hours_per_week=Decimal("32"))
    services.capacity_period_add(actor=SYSTEM, person=member, start=D(2026, 7, 1), fte=Decimal("0.5"))
    assert selectors.capacity_on(member, D(2026, 2, 28)) == Decimal("40")
    assert selectors.capacity_on(member, D(2026, 3, 1)) == Decimal("32")
    assert selectors.capacity_on(member, D(2026, 6, 30)) == Decimal("32")
    assert selectors.capacity_on(member, D(2026, 7, 1)) == Decimal("20.00")  # 0.5 x the developer's 40 h
    services.person_profile_set(
        actor=SYSTEM, person=member, primary_role=pool["dev"], non_project_percent=Decimal("20")
    )
    assert selectors.project_capacity_on(member, D(2026, 3, 2)) == Decimal("25.60")


def test_capacity_period_needs_exactly_one_amount(pool):
    with pytest.raises(ValidationFailed) as error:
        services.capacity_period_add(actor=SYSTEM, person=pool["member"], start=D(2026, 3, 1))
    assert "hours_per_week" in error.value.fields
    assert CapacityPeriod.objects.count() == 0


def test_absence_overlap_refused(pool):
    member = pool["member"]
    services.absence_add(actor=SYSTEM, person=member, start=D(2026, 8, 3), finish=D(2026, 8, 14))
    with pytest.raises(ValidationFailed):
        services.absence_add(actor=SYSTEM, person=member, start=D(2026, 8, 14), finish=D(2026, 8, 20))
    with pytest.raises(ValidationFailed):
        services.absence_add(actor=SYSTEM, person=member, start=D(2026, 9, 4), finish=D(2026, 9, 1))
    assert [a.start for a in selectors.absences_between(member, D(2026, 8, 1), D(2026, 8, 31))] == [D(2026, 8, 3)]


def test_cost_rate_history(pool):
    member = pool["member"]
    assert selectors.cost_rate_on(member, D(2026, 1, 1)) is None
    services.cost_rate_add(actor=SYSTEM, person=member, effective_from=D(2026, 1, 1), rate_per_hour=Decimal("80"))
    services.cost_rate_add(actor=SYSTEM, person=member, effective_from=D(2026, 7, 1), rate_per_hour=Decimal("86.50"))
    assert selectors.cost_rate_on(member, D(2025, 12, 31)) is None
    assert selectors.cost_rate_on(member, D(2026, 6, 30)) == Decimal("80.00")
    assert selectors.cost_rate_on(member, D(2026, 7, 1)) == Decimal("86.50")


def test_gaps_per_person_and_team(pool):
    member = pool["member"]
    gaps = selectors.gaps_for([member])
    # Developer: Python 4 (has 2), SQL 3 (has 3); analyst: SQL 2, Scrum 3 (has none)
    assert [(g.skill.name, g.required, g.actual, g.gap, g.roles) for g in gaps] == [
        ("Scrum", 3, 0, 3, ("Business analyst",)),
        ("Python", 4, 2, 2, ("Developer",)),
    ]
    other = pool["rm"].person
    services.person_profile_set(actor=SYSTEM, person=other, primary_role=pool["dev"])
    team = selectors.team_gaps(selectors.gaps_for([member, other]))
    assert [(t.skill.name, len(t.people), t.total) for t in team] == [("Python", 2, 6), ("SQL", 1, 3), ("Scrum", 1, 3)]


def test_skills_matrix_filters(pool):
    member = pool["member"]
    matrix = selectors.skills_matrix(skill_id=pool["python"].pk)
    assert [s.name for s in matrix.skills] == ["Python"]
    assert [(p.name, levels) for p, levels in matrix.rows] == [(member.name, [2])]
    matrix = selectors.skills_matrix(role_id=pool["ba"].pk)
    assert [p.name for p, _ in matrix.rows] == [member.name]
    assert [s.name for s in matrix.skills] == ["Scrum", "Python", "SQL"]  # by category, then name
    assert matrix.rows[0][1] == [None, 2, 3]


def test_expiry_flags(pool):
    today = D(2026, 5, 1)
    member = pool["member"]
    add = services.training_record_add
    expired = add(
        actor=SYSTEM,
        person=member,
        kind="certification",
        title="ITIL",
        completed_on=D(2023, 1, 1),
        expires_on=D(2026, 4, 30),
    )
    soon = add(
        actor=SYSTEM,
        person=member,
        kind="certification",
        title="AWS",
        completed_on=D(2024, 1, 1),
        expires_on=D(2026, 6, 30),
    )
    later = add(
        actor=SYSTEM,
        person=member,
        kind="certification",
        title="PMP",
        completed_on=D(2024, 1, 1),
        expires_on=D(2026, 7, 1),
    )
    course = add(actor=SYSTEM, person=member, title="Python course", completed_on=D(2025, 1, 1))
    flags = [selectors.expiry_flag(r, today) for r in (expired, soon, later, course)]
    assert flags == ["expired", "expiring", "", ""]
    assert [(r.title, f) for r, f in selectors.certificates_to_watch(today)] == [
        ("ITIL", "expired"),
        ("AWS", "expiring"),
    ]
    with pytest.raises(ValidationFailed):
        add(actor=SYSTEM, person=member, title="Bad", completed_on=D(2025, 1, 1), expires_on=D(2024, 1, 1))


def test_training_plan_completion_raises_level(pool, roles):
    member, python = pool["member"], pool["python"]
    rm = pool["rm"]
    with pytest.raises(ValidationFailed):
        services.training_plan_create(actor=rm, person=member, skill=python, target_level=2)
    plan = services.training_plan_create(
        actor=rm, person=member, skill=python, target_level=4, course="Advanced Python", due_date=D(2026, 9, 30)
    )
    services.training_plan_start(actor=rm, plan=plan)
    with pytest.raises(PermissionDenied):
        services.training_plan_complete(actor=roles[Role.TEAM_MEMBER], plan=plan, completed_on=D(2026, 9, 1))
    assert PersonSkill.objects.get(person=member, skill=python).level == 2
    services.training_plan_complete(actor=rm, plan=plan, completed_on=D(2026, 9, 1))
    plan.refresh_from_db()
    assert (plan.status, plan.completed_on) == ("done", D(2026, 9, 1))
    ps = PersonSkill.objects.get(person=member, skill=python)
    assert ps.level == 4
    event = AuditEvent.objects.filter(object_id=str(ps.pk), content_type__model="personskill").first()
    assert event.changes == {"level": {"old": 2, "new": 4}}
    assert event.comment == "Training done: Advanced Python"
    assert [g.skill.name for g in selectors.gaps_for([member])] == ["Scrum"]
    with pytest.raises(Conflict):
        services.training_plan_complete(actor=rm, plan=plan, completed_on=D(2026, 9, 2))


def test_training_plan_done_without_raising(pool):
    plan = services.training_plan_create(actor=SYSTEM, person=pool["member"], skill=pool["agile"], target_level=3)
    services.training_plan_complete(actor=pool["rm"], plan=plan, completed_on=D(2026, 9, 1), raise_level=False)
    assert not PersonSkill.objects.filter(person=pool["member"], skill=pool["agile"]).exists()
    assert TrainingPlan.objects.get().status == "done"


def _ask(actor, org, pool, **extra):
    fields = {"project": org["p1"], "role": pool["dev"], "start": D(2026, 4, 1), "finish": D(2026, 9, 30)}
    fields.update(extra or {"fte": Decimal("0.5")})
    return services.resource_request_submit(actor=actor, **fields)


def test_request_assigned_requester_notified(pool, org, roles, django_capture_on_commit_callbacks):
    pm, rm = roles[Role.PROJECT_MANAGER], pool["rm"]
    with django_capture_on_commit_callbacks(execute=True):
        request = _ask(pm, org, pool, hours_per_week=Decimal("20"), skill=pool["python"], min_level=3)
    assert request.state == "submitted" and request.requested_by == pm
    assert Notification.objects.filter(recipient=rm).count() == 1
    assert selectors.hours_of(request) == Decimal("20")
    assert [p.name for p, _ in selectors.candidates(request)] == ["Member"]
    with django_capture_on_commit_callbacks(execute=True):
        services.resource_request_assign(actor=rm, request=request, person=pool["member"], note="From April")
    request.refresh_from_db()
    assert (request.state, request.assigned_person, request.decided_by, request.decision_note) == (
        "assigned",
        pool["member"],
        rm,
        "From April",
    )
    note = Notification.objects.get(recipient=pm)
    assert note.message == f"{request.code}: Member assigned to P1 as Developer."
    assert note.url == f"/resource-requests/{request.pk}/"
    with pytest.raises(Conflict):
        services.resource_request_decline(actor=rm, request=request, reason="late")


def test_request_declined_and_withdrawn(pool, org, roles, django_capture_on_commit_callbacks):
    pm, rm = roles[Role.PROJECT_MANAGER], pool["rm"]
    first = _ask(pm, org, pool)
    assert selectors.hours_of(first) == Decimal("20.00")
    with pytest.raises(ValidationFailed):
        services.resource_request_decline(actor=rm, request=first, reason=" ")
    with django_capture_on_commit_callbacks(execute=True):
        services.resource_request_decline(actor=rm, request=first, reason="No developer free before October.")
    first.refresh_from_db()
    assert (first.state, first.decision_note) == ("declined", "No developer free before October.")
    assert Notification.objects.filter(recipient=pm, message__contains="declined").count() == 1
    second = _ask(pm, org, pool)
    services.resource_request_withdraw(actor=pm, request=second, reason="Scope cut")
    second.refresh_from_db()
    assert second.state == "withdrawn"
    assert selectors.counts_by_state() == {"declined": 1, "withdrawn": 1}


def test_request_rules(pool, org, roles):
    pm, other_pm, director = roles[Role.PROJECT_MANAGER], org["other_pm"], roles[Role.PMO_DIRECTOR]
    with pytest.raises(PermissionDenied):
        _ask(other_pm, org, pool)  # not their project
    with pytest.raises(PermissionDenied):
        _ask(roles[Role.TEAM_MEMBER], org, pool)
    with pytest.raises(ValidationFailed):
        _ask(pm, org, pool, fte=Decimal("0.5"), hours_per_week=Decimal("20"))
    assert ResourceRequest.objects.count() == 0
    request = _ask(pm, org, pool)
    for actor in (pm, other_pm, roles[Role.PORTFOLIO_MANAGER], roles[Role.TEAM_MEMBER]):
        with pytest.raises(PermissionDenied):
            services.resource_request_assign(actor=actor, request=request, person=pool["member"])
    with pytest.raises(PermissionDenied):
        services.resource_request_withdraw(actor=other_pm, request=request)
    request.refresh_from_db()
    assert (request.state, request.assigned_person) == ("submitted", None)
    services.resource_request_assign(actor=director, request=request, person=pool["member"])
    assert ResourceRequest.objects.get().state == "assigned"


def test_pool_writes_denied_change_nothing(pool, roles):
    member = pool["member"]
    before = AuditEvent.objects.count()
    for role in (Role.PROJECT_MANAGER, Role.TEAM_MEMBER, Role.EXECUTIVE, Role.PMO_ANALYST, Role.REQUESTER):
        actor = roles[role]
        with pytest.raises(PermissionDenied):
            services.person_skill_set(actor=actor, person=member, skill=pool["python"], level=5)
        with pytest.raises(PermissionDenied):
            services.capacity_period_add(actor=actor, person=member, start=D(2026, 1, 1), hours_per_week=Decimal(1))
        with pytest.raises(PermissionDenied):
            services.skill_create(actor=actor, name="Cobol")
        with pytest.raises(PermissionDenied):
            services.training_plan_create(actor=actor, person=member, skill=pool["agile"], target_level=3)
        with pytest.raises(PermissionDenied):
            services.person_profile_set(actor=actor, person=member, non_project_percent=Decimal(50))
    assert AuditEvent.objects.count() == before
    assert PersonSkill.objects.get(person=member, skill=pool["python"]).level == 2
    assert CapacityPeriod.objects.count() == 0 and TrainingPlan.objects.count() == 0


def test_resource_manager_keeps_the_pool(pool):
    rm, member = pool["rm"], pool["member"]
    services.person_skill_set(actor=rm, person=member, skill=pool["agile"], level=3)
    services.capacity_period_add(actor=rm, person=member, start=D(2026, 1, 1), hours_per_week=Decimal("30"))
    services.absence_add(actor=rm, person=member, start=D(2026, 8, 3), finish=D(2026, 8, 7), reason="vacation")
    services.person_profile_set(actor=rm, person=member, primary_role=pool["dev"], non_project_percent=Decimal("20"))
    generic = services.generic_resource_create(
        actor=rm, role=pool["ba"], headcount=Decimal("2"), start=D(2026, 1, 1), finish=D(2026, 6, 30)
    )
    assert str(generic) == "2 × Business analyst"
    profile = selectors.profile_of(member)
    assert (profile.primary_role, list(profile.other_roles.all()), profile.non_project_percent) == (
        pool["dev"],
        [],
        Decimal("20.00"),
    )
    assert [g.skill.name for g in selectors.gaps_for([member])] == ["Python"]
