"""Reads: closures and their figures, what a closure still misses, lessons and the relevant ones for similar
projects, maturity assessments and their trend, improvement actions."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Max, Q, QuerySet, Sum

from pmo.knowledge.models import (
    Closure,
    Dimension,
    ImprovementAction,
    Lesson,
    LessonCategory,
    MaturityAssessment,
)
from pmo.portfolio.models import LifecycleState, Methodology, Project


def methodology_of(project: Project | None) -> str:
    """The name of the project's methodology: the governance library's where it has one, else the project's
    own methodology label (waterfall, agile, hybrid)."""
    if project is None:
        return ""
    try:
        from pmo.governance.selectors import methodology_name
    except ImportError:
        methodology_name = None
    if methodology_name is not None:
        try:
            name = methodology_name(project)
        except Exception:
            name = ""
        if name:
            return str(name)
    return str(project.get_methodology_display())


def methodology_kind(name: str) -> str | None:
    """The kind (waterfall, agile, hybrid) of a methodology named as the library names it ("Agile delivery") or
    as a project's own setting ("Agile"); None when unknown."""
    wanted = name.strip().lower()
    for value, label in Methodology.choices:
        if wanted in (value, str(label).lower()):
            return str(value)
    try:
        from pmo.governance.models import Methodology as LibraryMethodology
    except ImportError:
        return None
    return LibraryMethodology.objects.filter(name__iexact=name.strip()).values_list("kind", flat=True).first()


def _same_methodology(name: str, kind: str | None, project: Project | None) -> bool:
    """Same methodology: the same name, or, where one side has no library methodology, the same kind."""
    if project is None:
        return False
    if methodology_of(project).lower() == name.strip().lower():
        return True
    return kind is not None and project.methodology == kind


# --- lessons -----------------------------------------------------------------------------------------------


def lessons(
    *,
    kind: str | None = None,
    category_id: int | None = None,
    portfolio_id: int | None = None,
    project_id: int | None = None,
    relevant: bool | None = None,
    tag: str | None = None,
) -> QuerySet[Lesson]:
    qs = Lesson.objects.select_related("category", "project", "portfolio", "recorded_by")
    if kind:
        qs = qs.filter(kind=kind)
    if category_id:
        qs = qs.filter(category_id=category_id)
    if portfolio_id:
        qs = qs.filter(Q(portfolio_id=portfolio_id) | Q(project__portfolio_id=portfolio_id))
    if project_id:
        qs = qs.filter(project_id=project_id)
    if relevant is not None:
        qs = qs.filter(relevant=relevant)
    if tag:
        qs = qs.filter(tags__icontains=tag.strip())
    return qs


def categories(*, active_only: bool = False) -> QuerySet[LessonCategory]:
    qs = LessonCategory.objects.all()
    return qs.filter(active=True) if active_only else qs


def relevant_lessons(
    *,
    category: str | None = None,
    methodology: str | None = None,
    exclude_project_id: int | None = None,
    limit: int = 5,
) -> list[Lesson]:
    """The lessons marked relevant for a similar project: same category or same methodology.

    `category` matches the lesson's category name, one of its tags, or the name or code of its portfolio (a
    proposal's or project's "category" is its portfolio, see docs/knowledge.md); `methodology` matches the
    methodology of the lesson's project. With neither, the most recent relevant lessons. Best practices come
    with the lessons; a lesson of `exclude_project_id` is left out (a project does not need its own lessons)."""
    qs = Lesson.objects.filter(relevant=True).select_related("category", "project", "portfolio")
    if exclude_project_id is not None:
        qs = qs.exclude(project_id=exclude_project_id)
    candidates = list(qs.order_by("-created_at", "-id"))
    if not category and not methodology:
        return candidates[:limit]
    wanted = (category or "").strip().lower()
    kind = methodology_kind(methodology) if methodology else None
    scored: list[tuple[int, int, Lesson]] = []
    for order, lesson in enumerate(candidates):
        score = 0
        if wanted:
            names = {t.lower() for t in lesson.tag_list}
            if lesson.category_id:
                names.add(lesson.category.name.lower())
            portfolio = lesson.portfolio or (lesson.project.portfolio if lesson.project_id else None)
            if portfolio is not None:
                names |= {portfolio.name.lower(), portfolio.code.lower()}
            if wanted in names:
                score += 2
        if methodology and lesson.project_id and _same_methodology(methodology, kind, lesson.project):
            score += 1
        if score:
            scored.append((-score, order, lesson))
    scored.sort(key=lambda item: (item[0], item[1]))
    return [lesson for _s, _o, lesson in scored[:limit]]


def relevant_lessons_for(obj: Any, *, limit: int = 5) -> list[Lesson]:
    """The relevant lessons for a proposal or a project: same portfolio (its category) or same methodology."""
    portfolio = getattr(obj, "portfolio", None)
    category = portfolio.name if portfolio is not None else None
    if obj._meta.label_lower == "portfolio.project":
        return relevant_lessons(
            category=category, methodology=methodology_of(obj), exclude_project_id=obj.pk, limit=limit
        )
    methodology = getattr(obj, "methodology", "") or None
    if methodology and hasattr(obj, "get_methodology_display"):
        methodology = str(obj.get_methodology_display())
    return relevant_lessons(category=category, methodology=methodology, limit=limit)


# --- closures ----------------------------------------------------------------------------------------------


def closures(*, status: str | None = None, portfolio_id: int | None = None) -> QuerySet[Closure]:
    qs = Closure.objects.select_related("project", "project__portfolio", "project__manager")
    if status:
        qs = qs.filter(status=status)
    if portfolio_id:
        qs = qs.filter(project__portfolio_id=portfolio_id)
    return qs.order_by("project__code")


def closure_of(project: Project) -> Closure | None:
    return Closure.objects.filter(project=project).first()


def projects_awaiting_closure() -> QuerySet[Project]:
    """Projects in "closing" whose closure has not been started."""
    return Project.objects.filter(state=LifecycleState.CLOSING, closure__isnull=True).select_related("portfolio")


@dataclass(frozen=True)
class ClosureFigures:
    """Final cost and dates against the baseline; None where the product has no data."""

    currency: str
    budget: Decimal | None
    actual_cost: Decimal | None
    cost_variance: Decimal | None  # actual - budget (positive: over budget)
    cost_variance_percent: Decimal | None
    planned_start: dt.date | None
    planned_finish: dt.date | None
    baseline_name: str
    baseline_finish: dt.date | None
    actual_finish: dt.date | None
    finish_variance_days: int | None  # actual - baseline (positive: late)
    cost_source: str
    finish_source: str


def _date(value: Any) -> dt.date | None:
    if value is None:
        return None
    return value.date() if isinstance(value, dt.datetime) else value


def closure_figures(closure: Closure) -> ClosureFigures:
    """The report's figures: frozen values for a closed closure; otherwise the entered final cost and finish,
    else the project's recorded actual cost (pmo.control) and its tasks' latest actual finish (pmo.planning),
    against its budget and its latest baseline's finish (or its planned finish where it has no baseline)."""
    project = closure.project
    budget = project.budget if project.budget else None
    planned_finish = project.planned_finish
    from pmo.planning.models import Baseline, Task

    baseline = Baseline.objects.filter(project=project).order_by("-captured_at", "-id").first()
    if closure.status == Closure.Status.CLOSED:
        actual_cost = closure.actual_cost_at_close
        baseline_finish = closure.baseline_finish_at_close
        actual_finish = closure.actual_finish_at_close
        budget = closure.budget_at_close if closure.budget_at_close is not None else budget
        cost_source = finish_source = "frozen when the project was closed"
    else:
        if closure.final_cost is not None:
            actual_cost, cost_source = closure.final_cost, "entered in the closure report"
        else:
            from pmo.control.models import CostEntry

            total = CostEntry.objects.filter(project=project).aggregate(total=Sum("amount"))["total"]
            # SQLite sums decimals as floats: back to cents
            actual_cost = Decimal(total).quantize(Decimal("0.01")) if total is not None else None
            cost_source = "actual costs recorded on the project" if total is not None else "no actual cost recorded"
        baseline_finish = _date(baseline.finish) if baseline else None
        if closure.actual_finish is not None:
            actual_finish, finish_source = closure.actual_finish, "entered in the closure report"
        else:
            latest = Task.objects.filter(project=project, is_summary=False).aggregate(f=Max("actual_finish"))["f"]
            actual_finish = _date(latest)
            finish_source = "latest actual finish of the tasks" if latest else "no actual finish recorded"
    if baseline_finish is None:
        baseline_finish = planned_finish if baseline is None else _date(baseline.finish)
    cost_variance = actual_cost - budget if actual_cost is not None and budget is not None else None
    percent = (cost_variance * 100 / budget).quantize(Decimal("0.1")) if cost_variance is not None and budget else None
    finish_variance = (
        (actual_finish - baseline_finish).days if actual_finish is not None and baseline_finish is not None else None
    )
    return ClosureFigures(
        currency=project.currency,
        budget=budget,
        actual_cost=actual_cost,
        cost_variance=cost_variance,
        cost_variance_percent=percent,
        planned_start=project.planned_start,
        planned_finish=planned_finish,
        baseline_name=baseline.name if baseline else "",
        baseline_finish=baseline_finish,
        actual_finish=actual_finish,
        finish_variance_days=finish_variance,
        cost_source=cost_source,
        finish_source=finish_source,
    )


def report_missing(closure: Closure) -> list[str]:
    """What the closure report still needs, in words."""
    missing = []
    objectives = list(closure.objectives.all())
    if not closure.objectives_met and not (objectives and all(o.met for o in objectives)):
        missing.append("say whether the objectives were met (overall or for each objective)")
    if not closure.benefits_handed_over.strip() and not closure.killed:
        missing.append("describe the benefits handed over")
    if not closure.recommendations.strip():
        missing.append("write the recommendations")
    return missing


def session_missing(closure: Closure) -> list[str]:
    """What the lessons-learned session still needs, in words."""
    missing = []
    if closure.session_date is None:
        missing.append("record the date of the lessons-learned session")
    if not closure.session_participants.strip():
        missing.append("list the session's participants")
    if not Lesson.objects.filter(project_id=closure.project_id).exists():
        missing.append("record at least one lesson learned")
    return missing


def closure_missing(closure: Closure) -> list[str]:
    """Everything that stands between this closure and closing the project (empty: it may close)."""
    return report_missing(closure) + session_missing(closure)


def closure_missing_for_project(project: Project) -> list[str]:
    """What keeps `project` from being closed (used by pmo.portfolio.services.project_transition)."""
    closure = closure_of(project)
    if closure is None:
        return ["start the project's closure (closure report and lessons-learned session)"]
    return closure_missing(closure)


# --- maturity ----------------------------------------------------------------------------------------------


def assessments() -> QuerySet[MaturityAssessment]:
    return MaturityAssessment.objects.prefetch_related("scores").order_by("-assessed_on", "-id")


def levels_of(assessment: MaturityAssessment) -> dict[str, int]:
    return {s.dimension: s.level for s in assessment.scores.all()}


def average_level(assessment: MaturityAssessment) -> Decimal | None:
    levels = list(levels_of(assessment).values())
    if not levels:
        return None
    return (Decimal(sum(levels)) / len(levels)).quantize(Decimal("0.1"))


def maturity_trend() -> list[dict[str, Any]]:
    """Each assessment, oldest first, with its level per dimension and its average."""
    rows = []
    for a in reversed(list(assessments())):
        rows.append({"assessment": a, "levels": levels_of(a), "average": average_level(a)})
    return rows


def improvement_actions(*, status: str | None = None, dimension: str | None = None) -> QuerySet[ImprovementAction]:
    qs = ImprovementAction.objects.select_related("owner", "assessment")
    if status == "open":
        qs = qs.filter(status__in=(ImprovementAction.Status.OPEN, ImprovementAction.Status.IN_PROGRESS))
    elif status:
        qs = qs.filter(status=status)
    if dimension:
        qs = qs.filter(dimension=dimension)
    return qs


def is_overdue(action: ImprovementAction, today: dt.date) -> bool:
    return action.is_open and action.due is not None and action.due < today


def overdue_actions(today: dt.date) -> QuerySet[ImprovementAction]:
    return improvement_actions(status="open").filter(due__lt=today)


DIMENSIONS = Dimension
