"""The API of knowledge: lessons and best practices (list, search, create, update, mark relevant), the lesson
categories, full-text search, project closures (report, session, close) and PMO maturity (assessments and
improvement actions)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, Literal

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from ninja import Query, Router, Schema
from pydantic import Field

from pmo.api.schemas import ERRORS, CodeRef, Ref, code_ref, ref
from pmo.core.access import can
from pmo.core.errors import ValidationFailed
from pmo.knowledge import search, selectors, services
from pmo.knowledge.models import (
    Closure,
    Dimension,
    ImprovementAction,
    Lesson,
    LessonCategory,
    MaturityAssessment,
    Phase,
    SearchEntry,
)
from pmo.portfolio.models import Portfolio, Project
from pmo.resources.models import Person

router = Router(tags=["Knowledge"])


def _need(request: HttpRequest, action: str, target: Any, message: str) -> None:
    if not can(request.user, action, target):
        raise PermissionDenied(message)


def _one(model: Any, pk: int | None, field: str) -> Any:
    if pk is None:
        return None
    obj = model.objects.filter(pk=pk).first()
    if obj is None:
        raise ValidationFailed({field: f"No {model._meta.verbose_name} with id {pk}."})
    return obj


# --- lessons ---------------------------------------------------------------------------------------------


class LessonOut(Schema):
    id: int
    code: str
    kind: Lesson.Kind
    title: str
    what_happened: str
    impact: str
    recommendation: str
    category: Ref | None
    phase: str
    tags: list[str]
    project: CodeRef | None
    portfolio: CodeRef | None
    relevant: bool
    recorded_by: str
    created_at: dt.datetime
    version: int


def lesson_out(lesson: Lesson) -> dict[str, Any]:
    return {
        "id": lesson.pk,
        "code": lesson.code,
        "kind": lesson.kind,
        "title": lesson.title,
        "what_happened": lesson.what_happened,
        "impact": lesson.impact,
        "recommendation": lesson.recommendation,
        "category": ref(lesson.category),
        "phase": lesson.phase,
        "tags": lesson.tag_list,
        "project": code_ref(lesson.project),
        "portfolio": code_ref(lesson.portfolio),
        "relevant": lesson.relevant,
        "recorded_by": lesson.recorded_by.username if lesson.recorded_by_id else "",
        "created_at": lesson.created_at,
        "version": lesson.version,
    }


class LessonFilters(Schema):
    kind: Lesson.Kind | None = None
    category_id: int | None = None
    portfolio_id: int | None = None
    project_id: int | None = None
    relevant: bool | None = None
    tag: str | None = None
    q: str | None = Field(None, description="Full-text search over the lessons' texts (best match first)")


@router.get(
    "/lessons",
    response={200: list[LessonOut], **ERRORS},
    operation_id="lessons_list",
    summary="Lessons learned and best practices, newest first (or best match first with q)",
)
def list_lessons(request: HttpRequest, filters: Query[LessonFilters]) -> Any:
    _need(request, "view", Lesson, "The lessons learned register is not open to your role.")
    qs = selectors.lessons(
        kind=filters.kind,
        category_id=filters.category_id,
        portfolio_id=filters.portfolio_id,
        project_id=filters.project_id,
        relevant=filters.relevant,
        tag=filters.tag,
    )
    if filters.q:
        hits = search.search(filters.q, sync=False).hits
        order = [int(h.entry.key.split(":")[1]) for h in hits if h.entry.key.startswith("lesson:")]
        found = {lesson.pk: lesson for lesson in qs.filter(pk__in=order)}
        return [lesson_out(found[pk]) for pk in order if pk in found]
    return [lesson_out(lesson) for lesson in qs]


class LessonIn(Schema):
    title: str
    what_happened: str
    kind: Lesson.Kind = Lesson.Kind.LESSON
    impact: str = ""
    recommendation: str = ""
    category_id: int | None = None
    phase: Phase | Literal[""] = ""
    tags: list[str] = []
    project_id: int | None = None
    portfolio_id: int | None = None
    relevant: bool = False


class LessonPatch(Schema):
    title: str | None = None
    what_happened: str | None = None
    kind: Lesson.Kind | None = None
    impact: str | None = None
    recommendation: str | None = None
    category_id: int | None = None
    phase: Phase | Literal[""] | None = None
    tags: list[str] | None = None
    project_id: int | None = None
    relevant: bool | None = None
    version: int | None = Field(None, description="The version you edited: a stale one is refused (409)")


def _lesson_fields(data: dict[str, Any]) -> dict[str, Any]:
    if "category_id" in data:
        data["category"] = _one(LessonCategory, data.pop("category_id"), "category_id")
    if "project_id" in data:
        data["project"] = _one(Project, data.pop("project_id"), "project_id")
    if "portfolio_id" in data:
        data["portfolio"] = _one(Portfolio, data.pop("portfolio_id"), "portfolio_id")
    if "tags" in data:
        data["tags"] = ", ".join(data["tags"] or [])
    return data


@router.post("/lessons", response={201: LessonOut, **ERRORS}, operation_id="lessons_create")
def create_lesson(request: HttpRequest, payload: LessonIn) -> Any:
    _need(request, "add", Lesson, "Your role does not record lessons.")
    lesson = services.lesson_create(actor=request.user, **_lesson_fields(payload.dict()))
    return 201, lesson_out(lesson)


def _lesson(request: HttpRequest, pk: int) -> Lesson:
    lesson = selectors.lessons().filter(pk=pk).first()
    if lesson is None or not can(request.user, "view", lesson):
        raise Http404(f"No lesson with id {pk}.")
    return lesson


@router.get("/lessons/{int:pk}", response={200: LessonOut, **ERRORS}, operation_id="lessons_get")
def get_lesson(request: HttpRequest, pk: int) -> Any:
    return lesson_out(_lesson(request, pk))


@router.patch(
    "/lessons/{int:pk}",
    response={200: LessonOut, **ERRORS},
    operation_id="lessons_update",
    summary="Edit a lesson; setting relevant needs the PMO (director, portfolio manager, analyst)",
)
def patch_lesson(request: HttpRequest, pk: int, payload: LessonPatch) -> Any:
    lesson = _lesson(request, pk)
    data = payload.dict(exclude_unset=True)
    version = data.pop("version", None)
    for name in ("title", "what_happened", "kind", "relevant"):
        if name in data and data[name] is None:
            raise ValidationFailed({name: "This field cannot be null."})
    lesson = services.lesson_update(actor=request.user, lesson=lesson, expected_version=version, **_lesson_fields(data))
    return lesson_out(lesson)


@router.delete("/lessons/{int:pk}", response={204: None, **ERRORS}, operation_id="lessons_delete")
def delete_lesson(request: HttpRequest, pk: int) -> Any:
    services.lesson_delete(actor=request.user, lesson=_lesson(request, pk))
    return 204, None


class CategoryOut(Schema):
    id: int
    name: str
    description: str
    active: bool


class CategoryIn(Schema):
    name: str
    description: str = ""


@router.get("/lesson-categories", response={200: list[CategoryOut], **ERRORS}, operation_id="lesson_categories_list")
def list_categories(request: HttpRequest) -> Any:
    _need(request, "view", LessonCategory, "The category list is not open to your role.")
    return [
        {"id": c.pk, "name": c.name, "description": c.description, "active": c.active} for c in selectors.categories()
    ]


@router.post("/lesson-categories", response={201: CategoryOut, **ERRORS}, operation_id="lesson_categories_create")
def create_category(request: HttpRequest, payload: CategoryIn) -> Any:
    c = services.category_create(actor=request.user, name=payload.name, description=payload.description)
    return 201, {"id": c.pk, "name": c.name, "description": c.description, "active": c.active}


# --- search ----------------------------------------------------------------------------------------------


class HitOut(Schema):
    type: SearchEntry.Type
    title: str
    snippet: str = Field(description="Plain text around the match; the matched words are between « and »")
    url: str
    rank: float = Field(description="Higher is a better match (comparable within one search only)")
    category: str
    methodology: str
    project: CodeRef | None
    portfolio: CodeRef | None


class SearchOut(Schema):
    query: str
    total: int
    groups: dict[str, list[HitOut]] = Field(description="Hits by type, best first")


class SearchFilters(Schema):
    q: str = Field(description="The words to find (each must appear; word beginnings count)")
    kind: SearchEntry.Type | None = None
    category: str | None = Field(None, description="A lesson category's name")
    portfolio_id: int | None = None
    methodology: str | None = None


def _plain(snippet: str) -> str:
    from html import unescape

    return unescape(str(snippet).replace("<mark>", "«").replace("</mark>", "»"))


@router.get(
    "/knowledge/search",
    response={200: SearchOut, **ERRORS},
    operation_id="knowledge_search",
    summary="Full-text search over lessons, best practices, templates and policies, closed projects' documents",
)
def knowledge_search(request: HttpRequest, filters: Query[SearchFilters]) -> Any:
    _need(request, "view", Lesson, "The knowledge search is not open to your role.")
    if not filters.q.strip():
        raise ValidationFailed({"q": "Give a word to search for."})
    results = search.search(
        filters.q,
        kind=filters.kind,
        category=filters.category,
        portfolio_id=filters.portfolio_id,
        methodology=filters.methodology,
    )
    groups = {
        type_: [
            {
                "type": h.entry.type,
                "title": h.entry.title,
                "snippet": _plain(h.snippet),
                "url": h.entry.url,
                "rank": h.rank,
                "category": h.entry.category,
                "methodology": h.entry.methodology,
                "project": code_ref(h.entry.project),
                "portfolio": code_ref(h.entry.portfolio),
            }
            for h in hits
        ]
        for type_, _label, hits in results.groups()
    }
    return {"query": results.query, "total": results.total, "groups": groups}


# --- closures --------------------------------------------------------------------------------------------


class ClosureObjectiveOut(Schema):
    objective: str
    met: str
    comment: str


class FiguresOut(Schema):
    currency: str
    budget: Decimal | None
    actual_cost: Decimal | None
    cost_variance: Decimal | None
    cost_variance_percent: Decimal | None
    baseline_name: str
    baseline_finish: dt.date | None
    actual_finish: dt.date | None
    finish_variance_days: int | None
    cost_source: str
    finish_source: str


class ClosureOut(Schema):
    id: int
    project: CodeRef
    project_state: str
    reason: str
    killed: bool
    status: Closure.Status
    objectives_met: str
    objectives_comment: str
    objectives: list[ClosureObjectiveOut]
    final_cost: Decimal | None
    actual_finish: dt.date | None
    benefits_handed_over: str
    recommendations: str
    report_complete: bool
    session_date: dt.date | None
    session_participants: list[str]
    session_notes: str
    lessons: int
    figures: FiguresOut
    missing: list[str] = Field(description="What stands between the closure and closing the project")
    closed_at: dt.datetime | None
    version: int


def closure_out(request: HttpRequest, closure: Closure) -> dict[str, Any]:
    figures = selectors.closure_figures(closure)
    money = can(request.user, "view_financials", closure.project)
    figures_out = {name: getattr(figures, name) for name in FiguresOut.model_fields}
    if not money:
        for name in ("budget", "actual_cost", "cost_variance", "cost_variance_percent"):
            figures_out[name] = None
    return {
        "id": closure.pk,
        "project": code_ref(closure.project),
        "project_state": closure.project.state,
        "reason": closure.reason,
        "killed": closure.killed,
        "status": closure.status,
        "objectives_met": closure.objectives_met,
        "objectives_comment": closure.objectives_comment,
        "objectives": [
            {"objective": o.objective, "met": o.met, "comment": o.comment} for o in closure.objectives.all()
        ],
        "final_cost": closure.final_cost if money else None,
        "actual_finish": closure.actual_finish,
        "benefits_handed_over": closure.benefits_handed_over,
        "recommendations": closure.recommendations,
        "report_complete": not selectors.report_missing(closure),
        "session_date": closure.session_date,
        "session_participants": [p for p in closure.session_participants.splitlines() if p.strip()],
        "session_notes": closure.session_notes,
        "lessons": Lesson.objects.filter(project_id=closure.project_id).count(),
        "figures": figures_out,
        "missing": selectors.closure_missing(closure) if closure.status != Closure.Status.CLOSED else [],
        "closed_at": closure.closed_at,
        "version": closure.version,
    }


def _project(request: HttpRequest, pk: int) -> Project:
    _need(request, "view", Closure, "Closures are for the project teams, the PMO and management.")
    project = Project.objects.select_related("portfolio").filter(pk=pk).first()
    if project is None:
        raise Http404(f"No project with id {pk}.")
    return project


def _closure(request: HttpRequest, pk: int) -> Closure:
    closure = selectors.closure_of(_project(request, pk))
    if closure is None:
        raise Http404(f"Project {pk} has no closure: start it with POST /projects/{pk}/closure.")
    return closure


@router.get(
    "/closures",
    response={200: list[ClosureOut], **ERRORS},
    operation_id="closures_list",
    summary="Closures (in progress by default; status=closed for the archive, status=all for both)",
)
def list_closures(
    request: HttpRequest,
    status: Literal["in_progress", "closed", "all"] = "in_progress",
    portfolio_id: int | None = None,
) -> Any:
    _need(request, "view", Closure, "Closures are for the project teams, the PMO and management.")
    qs = selectors.closures(status=None if status == "all" else status, portfolio_id=portfolio_id)
    return [closure_out(request, c) for c in qs]


class ClosureStartIn(Schema):
    reason: str = ""


@router.post(
    "/projects/{int:pk}/closure",
    response={201: ClosureOut, 200: ClosureOut, **ERRORS},
    operation_id="closure_start",
    summary="Start a project's closure (a project in closing, or cancelled); returns the existing one if started",
)
def start_closure(request: HttpRequest, pk: int, payload: ClosureStartIn) -> Any:
    project = _project(request, pk)
    existed = selectors.closure_of(project) is not None
    closure = services.closure_start(actor=request.user, project=project, reason=payload.reason)
    return (200 if existed else 201), closure_out(request, closure)


@router.get("/projects/{int:pk}/closure", response={200: ClosureOut, **ERRORS}, operation_id="closure_get")
def get_closure(request: HttpRequest, pk: int) -> Any:
    return closure_out(request, _closure(request, pk))


class ClosureObjectiveIn(Schema):
    objective: str
    met: Literal["yes", "partly", "no", ""] = ""
    comment: str = ""


class ClosureReportIn(Schema):
    objectives_met: Literal["yes", "partly", "no", ""] = ""
    objectives_comment: str = ""
    objectives: list[ClosureObjectiveIn] | None = Field(
        None, description="Per objective (replaces the list when given)"
    )
    final_cost: Decimal | None = Field(None, ge=0, description="Null: the actual costs recorded on the project")
    actual_finish: dt.date | None = Field(None, description="Null: the tasks' latest actual finish")
    benefits_handed_over: str = ""
    recommendations: str = ""
    version: int | None = None


@router.put(
    "/projects/{int:pk}/closure/report",
    response={200: ClosureOut, **ERRORS},
    operation_id="closure_report",
    summary="Write the closure report (the whole report: fields left out are emptied)",
)
def put_report(request: HttpRequest, pk: int, payload: ClosureReportIn) -> Any:
    closure = _closure(request, pk)
    data = payload.dict()
    version = data.pop("version")
    closure = services.closure_report_save(actor=request.user, closure=closure, expected_version=version, **data)
    return closure_out(request, closure)


class SessionIn(Schema):
    session_date: dt.date | None
    participants: list[str]
    notes: str = ""
    version: int | None = None


@router.put(
    "/projects/{int:pk}/closure/session",
    response={200: ClosureOut, **ERRORS},
    operation_id="closure_session",
    summary="Record the lessons-learned session (lessons: POST /lessons with the project_id)",
)
def put_session(request: HttpRequest, pk: int, payload: SessionIn) -> Any:
    closure = _closure(request, pk)
    closure = services.closure_session_save(
        actor=request.user,
        closure=closure,
        session_date=payload.session_date,
        participants="\n".join(payload.participants),
        notes=payload.notes,
        expected_version=payload.version,
    )
    return closure_out(request, closure)


class ClosureCloseIn(Schema):
    comment: str = ""


@router.post(
    "/projects/{int:pk}/closure/close",
    response={200: ClosureOut, **ERRORS},
    operation_id="closure_close",
    summary="Close the project (409 naming what is missing while the report or session is incomplete)",
)
def close_closure(request: HttpRequest, pk: int, payload: ClosureCloseIn) -> Any:
    closure = services.closure_close(actor=request.user, closure=_closure(request, pk), comment=payload.comment)
    closure.project.refresh_from_db()
    return closure_out(request, closure)


# --- maturity --------------------------------------------------------------------------------------------


class ScoreOut(Schema):
    dimension: Dimension
    level: int
    comment: str


class AssessmentOut(Schema):
    id: int
    title: str
    assessed_on: dt.date
    notes: str
    average: Decimal | None
    scores: list[ScoreOut]


def assessment_out(a: MaturityAssessment) -> dict[str, Any]:
    return {
        "id": a.pk,
        "title": a.title,
        "assessed_on": a.assessed_on,
        "notes": a.notes,
        "average": selectors.average_level(a),
        "scores": [{"dimension": s.dimension, "level": s.level, "comment": s.comment} for s in a.scores.all()],
    }


class AssessmentIn(Schema):
    title: str
    assessed_on: dt.date
    levels: dict[str, int] = Field(description="A level 1-5 for each dimension: " + ", ".join(Dimension.values))
    comments: dict[str, str] = {}
    notes: str = ""


def _maturity(request: HttpRequest) -> None:
    _need(request, "view", MaturityAssessment, "PMO maturity is for the PMO and management.")


@router.get(
    "/maturity/assessments",
    response={200: list[AssessmentOut], **ERRORS},
    operation_id="maturity_assessments_list",
    summary="Maturity self-assessments, newest first",
)
def list_assessments(request: HttpRequest) -> Any:
    _maturity(request)
    return [assessment_out(a) for a in selectors.assessments()]


@router.post(
    "/maturity/assessments", response={201: AssessmentOut, **ERRORS}, operation_id="maturity_assessments_create"
)
def create_assessment(request: HttpRequest, payload: AssessmentIn) -> Any:
    _maturity(request)
    a = services.assessment_create(actor=request.user, **payload.dict())
    return 201, assessment_out(selectors.assessments().get(pk=a.pk))


@router.get(
    "/maturity/assessments/{int:pk}", response={200: AssessmentOut, **ERRORS}, operation_id="maturity_assessments_get"
)
def get_assessment(request: HttpRequest, pk: int) -> Any:
    _maturity(request)
    a = selectors.assessments().filter(pk=pk).first()
    if a is None:
        raise Http404(f"No assessment with id {pk}.")
    return assessment_out(a)


class ImprovementOut(Schema):
    id: int
    title: str
    dimension: Dimension
    description: str
    owner: Ref | None
    due: dt.date | None
    status: ImprovementAction.Status
    done_on: dt.date | None
    overdue: bool
    assessment_id: int | None
    version: int


def improvement_out(a: ImprovementAction) -> dict[str, Any]:
    from django.utils import timezone

    return {
        "id": a.pk,
        "title": a.title,
        "dimension": a.dimension,
        "description": a.description,
        "owner": ref(a.owner),
        "due": a.due,
        "status": a.status,
        "done_on": a.done_on,
        "overdue": selectors.is_overdue(a, timezone.localdate()),
        "assessment_id": a.assessment_id,
        "version": a.version,
    }


class ImprovementIn(Schema):
    title: str
    dimension: Dimension
    description: str = ""
    owner_id: int | None = None
    due: dt.date | None = None
    assessment_id: int | None = None


class ImprovementPatch(Schema):
    title: str | None = None
    dimension: Dimension | None = None
    description: str | None = None
    owner_id: int | None = None
    due: dt.date | None = None
    status: ImprovementAction.Status | None = None
    version: int | None = None


@router.get(
    "/maturity/actions",
    response={200: list[ImprovementOut], **ERRORS},
    operation_id="improvement_actions_list",
    summary="Improvement actions (open and in progress by default; status=all for every one)",
)
def list_improvements(
    request: HttpRequest, status: str = "open", dimension: Dimension | None = None, overdue: bool | None = None
) -> Any:
    _maturity(request)
    items = [
        improvement_out(a)
        for a in selectors.improvement_actions(status=None if status == "all" else status, dimension=dimension)
    ]
    if overdue is not None:
        items = [i for i in items if i["overdue"] == overdue]
    return items


@router.post("/maturity/actions", response={201: ImprovementOut, **ERRORS}, operation_id="improvement_actions_create")
def create_improvement(request: HttpRequest, payload: ImprovementIn) -> Any:
    _maturity(request)
    data = payload.dict()
    data["owner"] = _one(Person, data.pop("owner_id"), "owner_id")
    data["assessment"] = _one(MaturityAssessment, data.pop("assessment_id"), "assessment_id")
    return 201, improvement_out(services.improvement_create(actor=request.user, **data))


@router.patch(
    "/maturity/actions/{int:pk}",
    response={200: ImprovementOut, **ERRORS},
    operation_id="improvement_actions_update",
    summary="Edit an improvement action; its owner may change the status only",
)
def patch_improvement(request: HttpRequest, pk: int, payload: ImprovementPatch) -> Any:
    _maturity(request)
    item = ImprovementAction.objects.select_related("owner").filter(pk=pk).first()
    if item is None:
        raise Http404(f"No improvement action with id {pk}.")
    data = payload.dict(exclude_unset=True)
    version = data.pop("version", None)
    if set(data) == {"status"} and not can(request.user, "change", item):
        item = services.improvement_progress(actor=request.user, action=item, status=data["status"])
        return improvement_out(item)
    if "owner_id" in data:
        data["owner"] = _one(Person, data.pop("owner_id"), "owner_id")
    for name in ("title", "dimension", "status"):
        if name in data and data[name] is None:
            raise ValidationFailed({name: "This field cannot be null."})
    item = services.improvement_update(actor=request.user, action=item, expected_version=version, **data)
    return improvement_out(item)
