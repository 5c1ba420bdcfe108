"""Who may do what in knowledge (the role matrix of docs/roles.md), and refused calls that change nothing — not
even an audit row."""

import pytest
from django.core.exceptions import PermissionDenied

from pmo.core.access import SYSTEM, can
from pmo.core.models import AuditEvent
from pmo.core.roles import Role
from pmo.knowledge import services
from pmo.knowledge.models import Closure, ImprovementAction, Lesson, LessonCategory, MaturityAssessment
from tests.knowledge.conftest import set_state

ALL_ROLES = list(Role)


def allowed(action, target, roles):
    return sorted(role.value for role in ALL_ROLES if role in roles and can(roles[role], action, target))


def test_who_sees_what(roles):
    assert allowed("view", Lesson, roles) == sorted(r.value for r in roles)
    no_requester = sorted(r.value for r in roles if r is not Role.REQUESTER)
    for model in (Closure, MaturityAssessment, ImprovementAction, LessonCategory):
        assert allowed("view", model, roles) == no_requester


def test_who_writes_what(org, roles):
    closing = set_state(org["p1"], "closing")
    new_closure = Closure(project=closing)
    assert allowed("add", new_closure, roles) == ["PMO director", "Portfolio manager", "Project manager"]
    other = Closure(project=set_state(org["p2"], "closing"))
    assert allowed("add", other, roles) == ["PMO director", "Portfolio manager"]
    assert allowed("add", Lesson(project=closing), roles) == [
        "PMO analyst",
        "PMO director",
        "Portfolio manager",
        "Project manager",
    ]
    assert allowed("add", Lesson(project=org["p2"]), roles) == ["PMO analyst", "PMO director", "Portfolio manager"]
    assert allowed("mark_relevant", Lesson(project=closing), roles) == [
        "PMO analyst",
        "PMO director",
        "Portfolio manager",
    ]
    assert allowed("add", LessonCategory(name="x"), roles) == ["PMO analyst", "PMO director"]
    assert allowed("add", MaturityAssessment(title="x"), roles) == ["PMO analyst", "PMO director"]
    assert allowed("add", ImprovementAction(title="x"), roles) == ["PMO analyst", "PMO director", "Portfolio manager"]


def test_refused_calls_change_nothing(org, roles):
    closing = set_state(org["p1"], "closing")
    closure = services.closure_start(actor=SYSTEM, project=closing, reason="Delivered")
    lesson = services.lesson_create(actor=SYSTEM, project=closing, title="T", what_happened="x")
    audit_rows = AuditEvent.objects.count()
    member, exec_ = roles[Role.TEAM_MEMBER], roles[Role.EXECUTIVE]
    refused = [
        lambda: services.closure_report_save(actor=member, closure=closure, recommendations="x"),
        lambda: services.closure_session_save(
            actor=exec_, closure=closure, session_date="2026-12-01", participants="A"
        ),
        lambda: services.closure_close(actor=roles[Role.PMO_ANALYST], closure=closure),
        lambda: services.lesson_update(actor=member, lesson=lesson, title="Mine"),
        lambda: services.lesson_delete(actor=roles[Role.PROJECT_MANAGER], lesson=lesson),
        lambda: services.lesson_create(actor=roles[Role.REQUESTER], title="R", what_happened="x"),
        lambda: services.category_create(actor=roles[Role.PROJECT_MANAGER], name="Mine"),
        lambda: services.improvement_create(actor=exec_, dimension="risk", title="x"),
    ]
    for call in refused:
        with pytest.raises(PermissionDenied):
            call()
    closure.refresh_from_db()
    lesson.refresh_from_db()
    assert (closure.version, closure.recommendations, closure.session_participants) == (1, "", "")
    assert (lesson.version, lesson.title) == (1, "T")
    assert (Lesson.objects.count(), LessonCategory.objects.count(), ImprovementAction.objects.count()) == (1, 0, 0)
    assert AuditEvent.objects.count() == audit_rows
