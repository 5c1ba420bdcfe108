"""Closures: starting one (idempotent, only for closing or cancelled projects), the report and the session, the
rule that a project closes only once its closure is complete, the frozen figures, and the read-only archive."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from pmo.changes.models import Notification
from pmo.control.models import CostEntry
from pmo.core.access import SYSTEM, can
from pmo.core.errors import Conflict, ValidationFailed
from pmo.core.roles import Role
from pmo.knowledge import selectors, services
from pmo.knowledge.models import Closure, Lesson
from pmo.planning import services as planning
from pmo.planning.models import Baseline, Task
from pmo.portfolio import services as portfolio_services
from pmo.portfolio.models import Project
from tests.knowledge.conftest import complete_closure, set_state


def test_start_copies_the_objectives_and_tells_the_manager(org, closing, roles, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        closure = services.closure_start(actor=roles[Role.PORTFOLIO_MANAGER], project=closing, reason=" Delivered ")
    assert (closure.reason, closure.killed, closure.status) == ("Delivered", False, "in_progress")
    assert [(o.objective, o.met) for o in closure.objectives.all()] == [("SO1 Grow revenue", "")]
    note = Notification.objects.get(recipient=roles[Role.PROJECT_MANAGER])
    assert note.message == (
        "The closure of P1 Mobile app has started: write the report and hold the lessons-learned session."
    )
    assert note.url == f"/projects/{closing.pk}/closure/"


def test_start_is_idempotent(org, closing):
    first = services.closure_start(actor=SYSTEM, project=closing, reason="Delivered")
    again = services.closure_start(actor=SYSTEM, project=closing, reason="Other", killed=False)
    assert again.pk == first.pk and again.reason == "Delivered"
    assert Closure.objects.count() == 1


def test_start_refuses_a_running_project_and_killed_needs_cancelled(org):
    with pytest.raises(Conflict) as error:
        services.closure_start(actor=SYSTEM, project=org["p1"], reason="x")
    assert error.value.message == (
        "P1 Mobile app is proposed: a closure starts when a project is closing or has been cancelled."
    )
    set_state(org["p1"], "closing")
    with pytest.raises(Conflict) as error:
        services.closure_start(actor=SYSTEM, project=org["p1"], reason="x", killed=True)
    assert error.value.message == "P1 Mobile app is not cancelled: only a cancelled project closes as killed."
    assert Closure.objects.count() == 0


def test_killed_project_closure(org, roles):
    director = roles[Role.PMO_DIRECTOR]
    project = org["p2"]
    for state in ("approved", "initiating"):
        project = portfolio_services.project_transition(actor=director, project=project, to_state=state)
    project = portfolio_services.project_transition(
        actor=director, project=project, to_state="cancelled", comment="Killed at gate 2"
    )
    closure = services.closure_start(actor=director, project=project, reason="", killed=True)
    assert (closure.reason, closure.killed) == ("Killed at a stage gate.", True)
    # a killed project hands over no benefits: the report needs objectives and recommendations only
    closure = services.closure_report_save(
        actor=director, closure=closure, objectives_met="no", recommendations="Test the business case earlier."
    )
    assert selectors.report_missing(closure) == []
    assert closure.report_completed_at is not None
    services.closure_session_save(actor=director, closure=closure, session_date="2026-12-01", participants="A\nB")
    services.lesson_create(actor=director, project=project, title="Case too thin", what_happened="Gate 2 found it.")
    closure = services.closure_close(actor=director, closure=closure)
    project.refresh_from_db()
    assert (closure.status, project.state) == ("closed", "cancelled")


def test_report_names_each_missing_part_and_bad_field(org, closing):
    closure = services.closure_start(actor=SYSTEM, project=closing, reason="Delivered")
    assert selectors.closure_missing(closure) == [
        "say whether the objectives were met (overall or for each objective)",
        "describe the benefits handed over",
        "write the recommendations",
        "record the date of the lessons-learned session",
        "list the session's participants",
        "record at least one lesson learned",
    ]
    with pytest.raises(ValidationFailed) as error:
        services.closure_report_save(
            actor=SYSTEM,
            closure=closure,
            objectives_met="maybe",
            objectives=[{"objective": "", "met": "yes"}, {"objective": "Grow", "met": "mostly"}],
        )
    assert error.value.fields == {
        "objectives_met": ["Answer yes, partly or no."],
        "objectives.0.objective": ["Name the objective."],
        "objectives.1.met": ["Answer yes, partly or no."],
    }
    with pytest.raises(ValidationFailed) as error:
        services.closure_report_save(actor=SYSTEM, closure=closure, final_cost="lots")
    assert error.value.fields == {"final_cost": ["Enter an amount, such as 125000.00."]}
    closure.refresh_from_db()
    assert (closure.version, closure.objectives.count()) == (1, 1)


def test_per_objective_answers_complete_the_objectives_part(org, closing):
    closure = services.closure_start(actor=SYSTEM, project=closing, reason="Delivered")
    closure = services.closure_report_save(
        actor=SYSTEM,
        closure=closure,
        objectives=[{"objective": "SO1 Grow revenue", "met": "partly", "comment": "+8 %"}],
        benefits_handed_over="To sales",
        recommendations="More testing",
    )
    assert [(o.objective, o.met, o.comment) for o in closure.objectives.all()] == [
        ("SO1 Grow revenue", "partly", "+8 %")
    ]
    assert selectors.report_missing(closure) == []


def test_session_date_and_participants_are_required_and_not_in_the_future(org, closing):
    closure = services.closure_start(actor=SYSTEM, project=closing, reason="Delivered")
    with pytest.raises(ValidationFailed) as error:
        services.closure_session_save(actor=SYSTEM, closure=closure, session_date=None, participants=" \n ")
    assert error.value.fields == {
        "session_date": ["Give the date the session was held."],
        "participants": ["List who took part (one a line)."],
    }
    with pytest.raises(ValidationFailed) as error:
        services.closure_session_save(actor=SYSTEM, closure=closure, session_date="2026-12-04", participants="A")
    assert error.value.fields == {
        "session_date": ["The session cannot be in the future: record it once it has been held."]
    }
    closure = services.closure_session_save(
        actor=SYSTEM, closure=closure, session_date=dt.date(2026, 12, 3), participants=" Ann \n\n Bob "
    )
    assert (closure.session_date, closure.session_participants) == (dt.date(2026, 12, 3), "Ann\nBob")


def test_project_transition_refuses_closed_until_the_closure_is_complete(org, closing, roles):
    director = roles[Role.PMO_DIRECTOR]
    with pytest.raises(Conflict) as error:
        portfolio_services.project_transition(actor=director, project=closing, to_state="closed")
    assert error.value.message == (
        "P1 Mobile app cannot be closed before its closure is complete: start the project's closure "
        "(closure report and lessons-learned session)."
    )
    services.closure_start(actor=director, project=closing, reason="Delivered")
    with pytest.raises(Conflict) as error:
        portfolio_services.project_transition(actor=director, project=closing, to_state="closed")
    assert error.value.details["missing"][-1] == "record at least one lesson learned"
    assert Project.objects.get(pk=closing.pk).state == "closing"
    complete_closure(closing)
    project = portfolio_services.project_transition(actor=director, project=closing, to_state="closed")
    assert project.state == "closed"


def test_close_refuses_an_incomplete_closure_and_changes_nothing(org, closing):
    closure = services.closure_start(actor=SYSTEM, project=closing, reason="Delivered")
    services.lesson_create(actor=SYSTEM, project=closing, title="One", what_happened="It happened.")
    with pytest.raises(Conflict) as error:
        services.closure_close(actor=SYSTEM, closure=closure)
    assert error.value.message == (
        "P1 Mobile app cannot be closed yet: say whether the objectives were met (overall or for each objective); "
        "describe the benefits handed over; write the recommendations; record the date of the lessons-learned "
        "session; list the session's participants."
    )
    closure.refresh_from_db()
    assert (closure.status, Project.objects.get(pk=closing.pk).state) == ("in_progress", "closing")


def _plan_with_actuals(project):
    planning.plan_replace(
        actor=SYSTEM,
        project=project,
        tasks=[planning.TaskSpec(uid=1, name="Build", duration_minutes=10 * 480)],
        start=timezone.make_aware(dt.datetime(2026, 1, 5, 8)),
    )
    baseline = planning.baseline_capture(actor=SYSTEM, project=project, name="Approved plan")
    Task.objects.filter(project=project).update(
        actual_start=timezone.make_aware(dt.datetime(2026, 1, 5, 8)),
        actual_finish=timezone.make_aware(dt.datetime(2026, 1, 23, 17)),
    )
    for day, amount in ((dt.date(2026, 1, 10), "800000.00"), (dt.date(2026, 1, 20), "550000.00")):
        CostEntry.objects.create(project=project, date=day, category="labour", amount=Decimal(amount))
    return baseline


def test_figures_come_from_the_product_and_are_frozen_when_closed(org, closing):
    baseline = _plan_with_actuals(closing)
    closure = services.closure_start(actor=SYSTEM, project=closing, reason="Delivered")
    figures = selectors.closure_figures(closure)
    assert (figures.budget, figures.actual_cost, figures.cost_variance, figures.cost_variance_percent) == (
        Decimal("1250000.00"),
        Decimal("1350000.00"),
        Decimal("100000.00"),
        Decimal("8.0"),
    )
    assert figures.baseline_name == "Approved plan"
    assert figures.baseline_finish == baseline.finish.date()
    assert figures.actual_finish == dt.date(2026, 1, 23)
    assert figures.finish_variance_days == (dt.date(2026, 1, 23) - baseline.finish.date()).days
    assert (figures.cost_source, figures.finish_source) == (
        "actual costs recorded on the project",
        "latest actual finish of the tasks",
    )
    # entered figures win over the recorded ones
    closure = complete_closure(closing)
    closure = services.closure_report_save(
        actor=SYSTEM,
        closure=closure,
        objectives_met="yes",
        final_cost="1400000",
        actual_finish="2026-02-02",
        benefits_handed_over="To sales",
        recommendations="Fewer releases",
    )
    figures = selectors.closure_figures(closure)
    assert (figures.actual_cost, figures.actual_finish) == (Decimal("1400000"), dt.date(2026, 2, 2))
    closure = services.closure_close(actor=SYSTEM, closure=closure)
    assert (closure.budget_at_close, closure.actual_cost_at_close, closure.actual_finish_at_close) == (
        Decimal("1250000.00"),
        Decimal("1400000.00"),
        dt.date(2026, 2, 2),
    )
    CostEntry.objects.create(project=closing, date=dt.date(2026, 3, 1), category="labour", amount=Decimal("5"))
    assert selectors.closure_figures(closure).actual_cost == Decimal("1400000.00")


def test_figures_without_data(org, closing):
    Project.objects.filter(pk=closing.pk).update(budget=0, planned_finish=None)
    closing.refresh_from_db()
    closure = services.closure_start(actor=SYSTEM, project=closing, reason="Delivered")
    figures = selectors.closure_figures(closure)
    assert (figures.budget, figures.actual_cost, figures.cost_variance, figures.actual_finish) == (None,) * 4
    assert (figures.cost_source, figures.finish_source) == ("no actual cost recorded", "no actual finish recorded")


def test_a_closed_project_and_its_plan_are_read_only(org, closing, roles):
    planning.plan_replace(
        actor=SYSTEM,
        project=closing,
        tasks=[planning.TaskSpec(uid=1, name="Build", duration_minutes=480)],
        start=timezone.make_aware(dt.datetime(2026, 1, 5, 8)),
    )
    task = Task.objects.get(project=closing)
    director, pm = roles[Role.PMO_DIRECTOR], roles[Role.PROJECT_MANAGER]
    assert can(pm, "change", closing) and can(pm, "change", task)
    closure = services.closure_close(actor=pm, closure=complete_closure(closing, actor=pm))
    project = Project.objects.get(pk=closing.pk)
    task = Task.objects.get(pk=task.pk)
    for user in (director, roles[Role.PORTFOLIO_MANAGER], pm, roles[Role.PROJECT_ADMINISTRATOR]):
        assert can(user, "view", project)
        assert not any(can(user, a, project) for a in ("change", "delete", "transition", "cancel"))
        assert not can(user, "change", task) and can(user, "view", task)
        assert not can(user, "change", closure)
    with pytest.raises(PermissionDenied):
        portfolio_services.project_update(actor=director, project=project, name="Renamed")
    with pytest.raises(PermissionDenied):
        services.closure_report_save(actor=director, closure=closure, recommendations="Late edit")
    project.refresh_from_db()
    assert project.name == "Mobile app"
    closure.refresh_from_db()
    assert closure.recommendations == "Start the app-store review earlier."
    # everything is kept and still searchable
    assert Lesson.objects.filter(project=project).count() == 1


def test_a_cancelled_project_is_read_only(org, roles):
    project = portfolio_services.project_transition(
        actor=roles[Role.PMO_DIRECTOR], project=org["p1"], to_state="cancelled", comment="No case"
    )
    assert not can(roles[Role.PMO_DIRECTOR], "change", project)
    assert not can(roles[Role.PROJECT_MANAGER], "change", project)


def test_baseline_model_is_used(org, closing):
    # no baseline: the planned finish stands in
    closure = services.closure_start(actor=SYSTEM, project=closing, reason="Delivered")
    figures = selectors.closure_figures(closure)
    assert (figures.baseline_name, figures.baseline_finish) == ("", dt.date(2026, 12, 18))
    assert Baseline.objects.count() == 0


def test_the_plan_of_an_archived_project_refuses_every_change(org, closing, roles):
    planning.plan_replace(
        actor=SYSTEM,
        project=closing,
        tasks=[planning.TaskSpec(uid=1, name="Build", duration_minutes=480)],
        start=timezone.make_aware(dt.datetime(2026, 1, 5, 8)),
    )
    services.closure_close(actor=SYSTEM, closure=complete_closure(closing))
    project = Project.objects.get(pk=closing.pk)
    task = Task.objects.get(project=project)
    for role in (Role.PMO_DIRECTOR, Role.PROJECT_MANAGER):
        user = roles[role]
        with pytest.raises(PermissionDenied):
            planning.task_update(actor=user, task=task, name="Rebuild")
        with pytest.raises(PermissionDenied):
            planning.task_create(actor=user, project=project, name="One more")
        with pytest.raises(PermissionDenied):
            planning.task_delete(actor=user, task=task)
    assert list(Task.objects.filter(project=project).values_list("name", flat=True)) == ["Build"]
