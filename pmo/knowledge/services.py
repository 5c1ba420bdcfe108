"""Writes: closures (start, report, lessons-learned session, close), lessons and best practices (kept in step with
the search index), the lesson categories, maturity assessments and improvement actions. Every function checks
the caller first, so a refused call changes nothing, and audits what it writes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from pmo.changes.services import notify
from pmo.core.access import SystemActor, require
from pmo.core.errors import Conflict, ValidationFailed
from pmo.core.services import record_create, record_delete, record_update
from pmo.knowledge import search
from pmo.knowledge.models import (
    Answer,
    Closure,
    ClosureObjective,
    Dimension,
    ImprovementAction,
    Lesson,
    LessonCategory,
    MaturityAssessment,
    MaturityScore,
    Phase,
)
from pmo.knowledge.selectors import closure_figures, closure_missing
from pmo.portfolio.models import LifecycleState, Project

CLOSABLE_STATES = (LifecycleState.CLOSING, LifecycleState.CANCELLED)


def _user(actor: Any) -> Any:
    return None if isinstance(actor, SystemActor) or getattr(actor, "pk", None) is None else actor


def _text(value: Any) -> str:
    return str(value or "").strip()


# --- closures ----------------------------------------------------------------------------------------------


def closure_start(*, actor: Any, project: Project, reason: str, killed: bool = False) -> Closure:
    """Open the closure of `project` (in "closing", or cancelled by governance with `killed`). Idempotent: a
    project that already has a closure gets it back unchanged. Changes no project state of its own."""
    existing = Closure.objects.filter(project=project).first()
    if existing is not None:
        return existing
    require(actor, "add", Closure(project=project))
    project.refresh_from_db(fields=["state"])
    if project.state not in CLOSABLE_STATES:
        raise Conflict(
            f"{project} is {project.get_state_display().lower()}: a closure starts when a project is closing "
            "or has been cancelled."
        )
    if killed and project.state != LifecycleState.CANCELLED:
        raise Conflict(f"{project} is not cancelled: only a cancelled project closes as killed.")
    reason = _text(reason) or ("Killed at a stage gate." if killed else "Delivered.")
    with transaction.atomic():
        closure = record_create(
            actor=actor,
            model=Closure,
            fields={"project": project, "reason": reason, "killed": killed, "started_by": _user(actor)},
            allowed=("project", "reason", "killed", "started_by"),
        )
        if project.objectives.exists():
            ClosureObjective.objects.bulk_create(
                ClosureObjective(closure=closure, objective=str(o)[:300], position=i)
                for i, o in enumerate(project.objectives.order_by("code"))
            )
    manager = project.manager.user if project.manager_id and project.manager.user_id else None
    if manager is not None and manager != _user(actor):
        url = reverse("knowledge:closure", args=[project.pk])
        transaction.on_commit(
            lambda: notify(
                users=[manager],
                message=f"The closure of {project} has started: write the report and hold the lessons-learned session.",
                url=url,
                kind="gate",
            )
        )
    return closure


def _closure_for_change(actor: Any, closure: Closure) -> None:
    require(actor, "change", closure)
    if closure.status == Closure.Status.CLOSED:
        raise Conflict(f"{closure} is closed: the archive is read-only.")


def _decimal(name: str, value: Any) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError) as error:
        raise ValidationFailed({name: "Enter an amount, such as 125000.00."}) from error
    if amount < 0:
        raise ValidationFailed({name: "The amount cannot be negative."})
    return amount


def _date(name: str, value: Any) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError as error:
        raise ValidationFailed({name: "Enter a date as YYYY-MM-DD."}) from error


def closure_report_save(
    *,
    actor: Any,
    closure: Closure,
    objectives_met: str = "",
    objectives_comment: str = "",
    objectives: Sequence[Mapping[str, Any]] | None = None,
    final_cost: Any = None,
    actual_finish: Any = None,
    benefits_handed_over: str = "",
    recommendations: str = "",
    expected_version: int | None = None,
) -> Closure:
    """Write the closure report: objectives met (overall yes/partly/no, and/or per objective), the final cost and
    finish where the product's figures need correcting, benefits handed over and recommendations."""
    _closure_for_change(actor, closure)
    errors: dict[str, str] = {}
    objectives_met = _text(objectives_met)
    if objectives_met and objectives_met not in Answer.values:
        errors["objectives_met"] = "Answer yes, partly or no."
    rows = []
    for i, row in enumerate(objectives or []):
        name = _text(row.get("objective"))
        met = _text(row.get("met"))
        if not name:
            if met or _text(row.get("comment")):
                errors[f"objectives.{i}.objective"] = "Name the objective."
            continue
        if met and met not in Answer.values:
            errors[f"objectives.{i}.met"] = "Answer yes, partly or no."
        rows.append(
            ClosureObjective(
                closure=closure, objective=name[:300], met=met, comment=_text(row.get("comment")), position=i
            )
        )
    if errors:
        raise ValidationFailed(errors)
    changes = {
        "objectives_met": objectives_met,
        "objectives_comment": _text(objectives_comment),
        "final_cost": _decimal("final_cost", final_cost),
        "actual_finish": _date("actual_finish", actual_finish),
        "benefits_handed_over": _text(benefits_handed_over),
        "recommendations": _text(recommendations),
    }
    with transaction.atomic():
        if objectives is not None:
            closure.objectives.all().delete()
            ClosureObjective.objects.bulk_create(rows)
        from pmo.knowledge.selectors import report_missing

        closure.objectives_met = changes["objectives_met"]  # report_missing reads the new answers
        closure.benefits_handed_over = changes["benefits_handed_over"]
        closure.recommendations = changes["recommendations"]
        complete = not report_missing(closure)
        changes["report_completed_at"] = (closure.report_completed_at or timezone.now()) if complete else None
        return record_update(
            actor=actor, obj=closure, changes=changes, allowed=changes.keys(), expected_version=expected_version
        )


def closure_session_save(
    *,
    actor: Any,
    closure: Closure,
    session_date: Any,
    participants: str,
    notes: str = "",
    expected_version: int | None = None,
) -> Closure:
    """Record the lessons-learned session: its date, who took part and its notes (lessons are recorded with
    `lesson_create` on the project)."""
    _closure_for_change(actor, closure)
    errors = {}
    held_on = None
    try:
        held_on = _date("session_date", session_date)
    except ValidationFailed as error:
        errors.update({k: v[0] for k, v in error.fields.items()})
    if "session_date" not in errors:
        if held_on is None:
            errors["session_date"] = "Give the date the session was held."
        elif held_on > timezone.localdate():
            errors["session_date"] = "The session cannot be in the future: record it once it has been held."
    people = "\n".join(line.strip() for line in str(participants or "").splitlines() if line.strip())
    if not people:
        errors["participants"] = "List who took part (one a line)."
    if errors:
        raise ValidationFailed(errors)
    changes = {"session_date": held_on, "session_participants": people, "session_notes": _text(notes)}
    return record_update(
        actor=actor, obj=closure, changes=changes, allowed=changes.keys(), expected_version=expected_version
    )


def closure_close(*, actor: Any, closure: Closure, comment: str = "") -> Closure:
    """Close the project: refused while the report or the lessons-learned session is incomplete. A project in
    "closing" moves to "closed" (through pmo.portfolio.services.project_transition, which checks the same
    rule); a cancelled (killed) project stays cancelled. The figures are frozen and the archive is read-only."""
    require(actor, "close", closure)
    if closure.status == Closure.Status.CLOSED:
        raise Conflict(f"{closure} is already closed.")
    missing = closure_missing(closure)
    if missing:
        raise Conflict(
            f"{closure.project} cannot be closed yet: " + "; ".join(missing) + ".", details={"missing": missing}
        )
    project = closure.project
    figures = closure_figures(closure)
    with transaction.atomic():
        if project.state == LifecycleState.CLOSING:
            from pmo.portfolio.services import project_transition

            project_transition(
                actor=actor,
                project=project,
                to_state=LifecycleState.CLOSED,
                comment=_text(comment) or "Closure complete.",
            )
        elif project.state != LifecycleState.CANCELLED:
            raise Conflict(
                f"{project} is {project.get_state_display().lower()}: only a closing or cancelled project closes."
            )
        changes = {
            "status": Closure.Status.CLOSED,
            "closed_at": timezone.now(),
            "closed_by": _user(actor),
            "budget_at_close": figures.budget,
            "actual_cost_at_close": figures.actual_cost,
            "baseline_finish_at_close": figures.baseline_finish,
            "actual_finish_at_close": figures.actual_finish,
        }
        closure = record_update(
            actor=actor, obj=closure, changes=changes, allowed=changes.keys(), comment=_text(comment), action="close"
        )
        for lesson in Lesson.objects.filter(project=project).select_related("category", "project"):
            search.index_lesson(lesson)
    transaction.on_commit(search.sync_external)
    return closure


# --- lessons -----------------------------------------------------------------------------------------------

LESSON_FIELDS = (
    "kind",
    "title",
    "what_happened",
    "impact",
    "recommendation",
    "category",
    "phase",
    "tags",
    "project",
    "portfolio",
    "relevant",
)


def _next_lesson_code() -> str:
    last = Lesson.objects.order_by("-id").values_list("code", flat=True).first()
    number = int(last.split("-")[1]) + 1 if last and last.split("-")[-1].isdigit() else 1
    return f"LL-{number:04d}"


def _clean_lesson(values: dict[str, Any]) -> dict[str, Any]:
    errors = {}
    for name in ("title", "what_happened", "impact", "recommendation", "tags"):
        if name in values:
            values[name] = _text(values[name])
    if "tags" in values:
        values["tags"] = ", ".join(dict.fromkeys(t.strip().lower() for t in values["tags"].split(",") if t.strip()))
    if "title" in values and not values["title"]:
        errors["title"] = "Give the lesson a short title."
    if "what_happened" in values and not values["what_happened"]:
        errors["what_happened"] = "Say what happened."
    if values.get("kind") and values["kind"] not in Lesson.Kind.values:
        errors["kind"] = "Choose lesson or best practice."
    if values.get("phase") and values["phase"] not in Phase.values:
        errors["phase"] = f"Choose one of: {', '.join(Phase.values)}."
    category = values.get("category")
    if category is not None and not category.active:
        errors["category"] = f"The category {category} is no longer in use."
    if errors:
        raise ValidationFailed(errors)
    project = values.get("project")
    if project is not None and values.get("portfolio") is None:
        values["portfolio"] = project.portfolio
    return values


def lesson_create(*, actor: Any, **fields: Any) -> Lesson:
    """Record a lesson learned or a best practice (keywords: LESSON_FIELDS); indexed for search at once."""
    values = _clean_lesson({k: v for k, v in fields.items() if v is not None or k in ("project", "portfolio")})
    if values.get("relevant"):
        require(actor, "mark_relevant", Lesson(**{k: values.get(k) for k in ("project", "portfolio")}))
    with transaction.atomic():
        lesson = record_create(
            actor=actor,
            model=Lesson,
            fields={**values, "code": _next_lesson_code(), "recorded_by": _user(actor)},
            allowed=(*LESSON_FIELDS, "code", "recorded_by"),
        )
        search.index_lesson(lesson)
    return lesson


def lesson_update(*, actor: Any, lesson: Lesson, expected_version: int | None = None, **changes: Any) -> Lesson:
    """Change a lesson (keywords: LESSON_FIELDS); marking it relevant needs the PMO."""
    require(actor, "change", lesson)
    if "relevant" in changes and bool(changes["relevant"]) != lesson.relevant:
        require(actor, "mark_relevant", lesson)
    values = _clean_lesson(dict(changes))
    with transaction.atomic():
        lesson = record_update(
            actor=actor, obj=lesson, changes=values, allowed=LESSON_FIELDS, expected_version=expected_version
        )
        search.index_lesson(lesson)
    return lesson


def lesson_mark_relevant(*, actor: Any, lesson: Lesson, relevant: bool = True) -> Lesson:
    """Mark a lesson relevant (shown to new proposals and at gate reviews of similar projects), or not."""
    require(actor, "mark_relevant", lesson)
    if lesson.relevant == relevant:
        return lesson
    return record_update(
        actor=actor, obj=lesson, changes={"relevant": relevant}, allowed=("relevant",), action="mark_relevant"
    )


def lesson_delete(*, actor: Any, lesson: Lesson) -> None:
    key = f"lesson:{lesson.pk}"
    with transaction.atomic():
        record_delete(actor=actor, obj=lesson)
        search.unindex([key])


def category_create(*, actor: Any, name: str, description: str = "") -> LessonCategory:
    name = _text(name)
    if not name:
        raise ValidationFailed({"name": "Name the category."})
    if LessonCategory.objects.filter(name__iexact=name).exists():
        raise ValidationFailed({"name": f"There is already a category {name}."})
    return record_create(
        actor=actor,
        model=LessonCategory,
        fields={"name": name, "description": _text(description)},
        allowed=("name", "description"),
    )


def category_update(*, actor: Any, category: LessonCategory, **changes: Any) -> LessonCategory:
    if "name" in changes:
        changes["name"] = _text(changes["name"])
        if LessonCategory.objects.filter(name__iexact=changes["name"]).exclude(pk=category.pk).exists():
            raise ValidationFailed({"name": f"There is already a category {changes['name']}."})
    with transaction.atomic():
        category = record_update(actor=actor, obj=category, changes=changes, allowed=("name", "description", "active"))
        for lesson in category.lessons.select_related("category", "project"):
            search.index_lesson(lesson)
    return category


# --- maturity ----------------------------------------------------------------------------------------------


def _levels(levels: Mapping[str, Any], comments: Mapping[str, str] | None) -> dict[str, tuple[int, str]]:
    errors = {}
    out = {}
    for dimension in Dimension.values:
        raw = levels.get(dimension)
        try:
            level = int(raw)
        except (TypeError, ValueError):
            errors[f"levels.{dimension}"] = f"Rate {Dimension(dimension).label.lower()} from 1 to 5."
            continue
        if not 1 <= level <= 5:
            errors[f"levels.{dimension}"] = f"Rate {Dimension(dimension).label.lower()} from 1 to 5."
            continue
        out[dimension] = (level, _text((comments or {}).get(dimension)))
    unknown = sorted(set(levels) - set(Dimension.values))
    for name in unknown:
        errors[f"levels.{name}"] = f"Unknown dimension; use {', '.join(Dimension.values)}."
    if errors:
        raise ValidationFailed(errors)
    return out


def assessment_create(
    *,
    actor: Any,
    assessed_on: Any,
    title: str,
    levels: Mapping[str, Any],
    comments: Mapping[str, str] | None = None,
    notes: str = "",
) -> MaturityAssessment:
    """Record a maturity self-assessment: a level 1-5 on each of the six dimensions."""
    require(actor, "add", MaturityAssessment)
    require(actor, "add", MaturityAssessment(title="-", assessed_on=timezone.localdate()))
    errors = {}
    on = None
    try:
        on = _date("assessed_on", assessed_on)
    except ValidationFailed as error:
        errors["assessed_on"] = error.fields["assessed_on"][0]
    if on is None and "assessed_on" not in errors:
        errors["assessed_on"] = "Give the date of the assessment."
    if not _text(title):
        errors["title"] = "Give the assessment a title, such as “Annual review 2026”."
    try:
        scored = _levels(levels, comments)
    except ValidationFailed as error:
        errors.update({k: v[0] for k, v in error.fields.items()})
        scored = {}
    if errors:
        raise ValidationFailed(errors)
    with transaction.atomic():
        assessment = record_create(
            actor=actor,
            model=MaturityAssessment,
            fields={"assessed_on": on, "title": _text(title), "notes": _text(notes), "assessed_by": _user(actor)},
            allowed=("assessed_on", "title", "notes", "assessed_by"),
        )
        MaturityScore.objects.bulk_create(
            MaturityScore(assessment=assessment, dimension=d, level=level, comment=comment)
            for d, (level, comment) in scored.items()
        )
    return assessment


def assessment_delete(*, actor: Any, assessment: MaturityAssessment) -> None:
    record_delete(actor=actor, obj=assessment)


IMPROVEMENT_FIELDS = ("assessment", "dimension", "title", "description", "owner", "due", "status")


def _clean_action(values: dict[str, Any]) -> dict[str, Any]:
    errors = {}
    if "title" in values:
        values["title"] = _text(values["title"])
        if not values["title"]:
            errors["title"] = "Say what will be improved."
    if "dimension" in values and values["dimension"] not in Dimension.values:
        errors["dimension"] = f"Choose one of: {', '.join(Dimension.values)}."
    if "status" in values and values["status"] not in ImprovementAction.Status.values:
        errors["status"] = f"Choose one of: {', '.join(ImprovementAction.Status.values)}."
    if "due" in values:
        try:
            values["due"] = _date("due", values["due"])
        except ValidationFailed as error:
            errors["due"] = error.fields["due"][0]
    if "description" in values:
        values["description"] = _text(values["description"])
    if errors:
        raise ValidationFailed(errors)
    return values


def improvement_create(*, actor: Any, **fields: Any) -> ImprovementAction:
    """Plan an improvement action (keywords: IMPROVEMENT_FIELDS)."""
    values = _clean_action(dict(fields))
    require(actor, "add", ImprovementAction(**values))
    return record_create(actor=actor, model=ImprovementAction, fields=values, allowed=IMPROVEMENT_FIELDS)


def _status_changes(action: ImprovementAction, status: str) -> dict[str, Any]:
    changes: dict[str, Any] = {"status": status}
    if status == ImprovementAction.Status.DONE and action.done_on is None:
        changes["done_on"] = timezone.localdate()
    elif status != ImprovementAction.Status.DONE:
        changes["done_on"] = None
    return changes


def improvement_update(
    *, actor: Any, action: ImprovementAction, expected_version: int | None = None, **changes: Any
) -> ImprovementAction:
    values = _clean_action(dict(changes))
    require(actor, "change", action)
    if "status" in values:
        values.update(_status_changes(action, values["status"]))
    return record_update(
        actor=actor,
        obj=action,
        changes=values,
        allowed=(*IMPROVEMENT_FIELDS, "done_on"),
        expected_version=expected_version,
    )


def improvement_progress(*, actor: Any, action: ImprovementAction, status: str) -> ImprovementAction:
    """Move an improvement action along (its owner may do this): open, in progress, done or cancelled."""
    values = _clean_action({"status": status})
    require(actor, "progress", action)
    return record_update(
        actor=actor,
        obj=action,
        changes=_status_changes(action, values["status"]),
        allowed=("status", "done_on"),
        action="progress",
    )
