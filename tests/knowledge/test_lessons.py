"""Lessons and best practices: recording, validation, tags, the relevant mark, and the relevant lessons shown to
similar projects and proposals (same category — the portfolio, a category or a tag — or same methodology)."""

import pytest

from pmo.core.access import SYSTEM
from pmo.core.errors import ValidationFailed
from pmo.core.roles import Role
from pmo.knowledge import selectors, services
from pmo.knowledge.models import Lesson
from pmo.portfolio import services as portfolio_services


def test_create_fills_code_portfolio_and_clean_tags(org, roles):
    pm = roles[Role.PROJECT_MANAGER]
    lesson = services.lesson_create(
        actor=pm,
        project=org["p1"],
        title="  Late vendor  ",
        what_happened="Eight weeks of checks.",
        tags="Supplier, onboarding,, supplier ",
        phase="executing",
    )
    again = services.lesson_create(actor=pm, project=org["p1"], title="Second", what_happened="x")
    assert (lesson.code, again.code) == ("LL-0001", "LL-0002")
    assert (lesson.title, lesson.tags, lesson.tag_list) == (
        "Late vendor",
        "supplier, onboarding",
        ["supplier", "onboarding"],
    )
    assert (lesson.portfolio, lesson.recorded_by, lesson.kind, lesson.relevant) == (
        org["portfolio"],
        pm,
        "lesson",
        False,
    )


def test_create_names_the_bad_fields(org):
    retired = services.category_create(actor=SYSTEM, name="Old")
    services.category_update(actor=SYSTEM, category=retired, active=False)
    with pytest.raises(ValidationFailed) as error:
        services.lesson_create(actor=SYSTEM, title=" ", what_happened="", kind="story", phase="later", category=retired)
    assert error.value.fields == {
        "title": ["Give the lesson a short title."],
        "what_happened": ["Say what happened."],
        "kind": ["Choose lesson or best practice."],
        "phase": ["Choose one of: initiating, planning, executing, closing, whole."],
        "category": ["The category Old is no longer in use."],
    }
    assert Lesson.objects.count() == 0


def test_category_names_are_unique(org):
    services.category_create(actor=SYSTEM, name="Suppliers")
    with pytest.raises(ValidationFailed) as error:
        services.category_create(actor=SYSTEM, name="suppliers")
    assert error.value.fields == {"name": ["There is already a category suppliers."]}


def _relevant(org, **fields):
    return services.lesson_create(actor=SYSTEM, relevant=True, what_happened="x", **fields)


def test_relevant_lessons_by_category_and_methodology(org):
    supplier = services.category_create(actor=SYSTEM, name="Suppliers")
    p3 = portfolio_services.project_create(
        actor=SYSTEM, code="P3", name="Plant", portfolio=org["other_portfolio"], methodology="agile"
    )
    by_portfolio = _relevant(org, title="Digital lesson", project=org["p2"])
    by_category = _relevant(org, title="Supplier lesson", project=p3, category=supplier)
    by_tag = _relevant(org, title="Tagged", tags="digital, cloud")
    agile = _relevant(org, title="Agile lesson", project=p3)
    services.lesson_create(actor=SYSTEM, title="Not relevant", what_happened="x", project=org["p2"])
    own = _relevant(org, title="Own lesson", project=org["p1"])

    def titles(lessons):
        return [lesson.title for lesson in lessons]

    # the category of a proposal or project is its portfolio ("Digital"); tags and category names count too
    assert titles(selectors.relevant_lessons(category="Digital")) == ["Own lesson", "Tagged", "Digital lesson"]
    assert titles(selectors.relevant_lessons(category="DIG", exclude_project_id=org["p1"].pk)) == ["Digital lesson"]
    assert titles(selectors.relevant_lessons(category="suppliers")) == ["Supplier lesson"]
    assert titles(selectors.relevant_lessons(methodology="agile")) == ["Agile lesson", "Supplier lesson"]
    # both: a lesson matching the category ranks before one matching the methodology only
    assert titles(selectors.relevant_lessons(category="Digital", methodology="Agile", limit=4)) == [
        "Own lesson",
        "Tagged",
        "Digital lesson",
        "Agile lesson",
    ]
    assert titles(selectors.relevant_lessons(limit=2)) == ["Own lesson", "Agile lesson"]
    assert titles(selectors.relevant_lessons(category="Nothing")) == []
    # for a project: its portfolio and methodology (P2 is waterfall like P1: it ranks first), never its own lessons
    assert titles(selectors.relevant_lessons_for(org["p1"])) == ["Digital lesson", "Tagged"]
    assert {by_portfolio.pk, by_category.pk, by_tag.pk, agile.pk, own.pk} == set(
        Lesson.objects.filter(relevant=True).values_list("pk", flat=True)
    )


def test_mark_relevant_is_for_the_pmo(org, roles):
    from django.core.exceptions import PermissionDenied

    pm = roles[Role.PROJECT_MANAGER]
    lesson = services.lesson_create(actor=pm, project=org["p1"], title="T", what_happened="x")
    with pytest.raises(PermissionDenied):
        services.lesson_mark_relevant(actor=pm, lesson=lesson)
    with pytest.raises(PermissionDenied):
        services.lesson_update(actor=pm, lesson=lesson, relevant=True)
    with pytest.raises(PermissionDenied):
        services.lesson_create(actor=pm, project=org["p1"], title="R", what_happened="x", relevant=True)
    lesson.refresh_from_db()
    assert (lesson.relevant, lesson.version, Lesson.objects.count()) == (False, 1, 1)
    lesson = services.lesson_mark_relevant(actor=roles[Role.PMO_ANALYST], lesson=lesson)
    assert (lesson.relevant, lesson.version) == (True, 2)
    # the project's manager may still edit the text of a relevant lesson
    lesson = services.lesson_update(actor=pm, lesson=lesson, recommendation="Do it earlier")
    assert (lesson.recommendation, lesson.relevant) == ("Do it earlier", True)


def test_same_methodology_by_name_or_kind(org):
    from pmo.governance.models import Methodology

    Methodology.objects.create(name="Agile delivery", kind="agile")
    agile = portfolio_services.project_create(
        actor=SYSTEM, code="P4", name="App", portfolio=org["other_portfolio"], methodology="agile"
    )
    _relevant(org, title="Agile lesson", project=agile)
    _relevant(org, title="Waterfall lesson", project=org["p2"])
    assert selectors.methodology_kind("Agile delivery") == "agile"
    assert selectors.methodology_kind("Hybrid") == "hybrid"
    assert selectors.methodology_kind("Unknown") is None
    # a gate review of an "Agile delivery" project finds lessons of agile projects with no library methodology
    assert [x.title for x in selectors.relevant_lessons(methodology="Agile delivery")] == ["Agile lesson"]
