"""The knowledge pages: the lessons register, one lesson, the category list, the search page, closures in
progress, a project's closure page, PMO maturity (trend chart, assessments, improvement actions)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from pmo.core.access import can
from pmo.core.errors import DomainError, ValidationFailed
from pmo.knowledge import charts, search, selectors, services
from pmo.knowledge.forms import (
    ANSWERS,
    AssessmentForm,
    CategoryForm,
    ImprovementForm,
    LessonForm,
    ReportForm,
    SessionForm,
)
from pmo.knowledge.models import (
    Closure,
    Dimension,
    ImprovementAction,
    Lesson,
    LessonCategory,
    MaturityAssessment,
    SearchEntry,
)
from pmo.portfolio.models import Portfolio, Project
from pmo.reporting.exports import list_export


def form_errors(form: Any, error: DomainError) -> None:
    if isinstance(error, ValidationFailed):
        for name, msgs in error.fields.items():
            target = name if name in form.fields else None
            for msg in msgs:
                form.add_error(target, msg if target else f"{name.replace('_', ' ').capitalize()}: {msg}")
    else:
        form.add_error(None, error.message)


def flash(request: HttpRequest, error: DomainError) -> None:
    if isinstance(error, ValidationFailed):
        for name, msgs in error.fields.items():
            messages.error(request, f"{name.replace('_', ' ').capitalize()}: {' '.join(msgs)}")
    else:
        messages.error(request, error.message)


def _need(user: Any, action: str, target: Any, message: str) -> None:
    if not can(user, action, target):
        raise PermissionDenied(message)


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


def _tabs(tab: str, user: Any) -> dict[str, Any]:
    return {
        "knowledge_tab": tab,
        "sees_closures": can(user, "view", Closure),
        "sees_maturity": can(user, "view", MaturityAssessment),
        "closures_open": Closure.objects.filter(status=Closure.Status.IN_PROGRESS).count(),
    }


# --- lessons ---------------------------------------------------------------------------------------------


@login_required
def lessons_page(request: HttpRequest) -> HttpResponse:
    user = request.user
    _need(user, "view", Lesson, "The lessons learned register is not open to your role.")
    may_add = can(user, "add", Lesson)
    may_mark = can(user, "mark_relevant", Lesson)
    form = LessonForm(may_mark=may_mark)
    if request.method == "POST":
        if not may_add:
            raise PermissionDenied("Your role does not record lessons.")
        form = LessonForm(request.POST, may_mark=may_mark)
        if form.is_valid():
            try:
                lesson = services.lesson_create(actor=user, **form.cleaned_data)
                messages.success(request, f"{lesson.code} recorded.")
                return HttpResponseRedirect(reverse("knowledge:lesson", args=[lesson.pk]))
            except DomainError as error:
                form_errors(form, error)
    params = {
        "kind": request.GET.get("kind", ""),
        "category": request.GET.get("category", ""),
        "portfolio": request.GET.get("portfolio", ""),
        "relevant": request.GET.get("relevant", ""),
        "tag": request.GET.get("tag", "").strip(),
    }
    qs = selectors.lessons(
        kind=params["kind"] or None,
        category_id=_int(params["category"]),
        portfolio_id=_int(params["portfolio"]),
        relevant=True if params["relevant"] == "yes" else None,
        tag=params["tag"] or None,
    )
    download = list_export(
        request,
        "Lessons learned",
        [
            ("Code", lambda le: le.code),
            ("Kind", lambda le: le.get_kind_display()),
            ("Lesson", lambda le: le.title),
            ("What happened", lambda le: le.what_happened),
            ("Impact", lambda le: le.impact),
            ("Recommendation", lambda le: le.recommendation),
            ("Category", lambda le: str(le.category or "")),
            ("Phase", lambda le: le.get_phase_display()),
            ("Tags", lambda le: le.tags),
            ("Project", lambda le: le.project.code if le.project else "PMO-wide"),
            ("Portfolio", lambda le: str(le.portfolio or "")),
            ("Relevant for similar projects", lambda le: le.relevant),
        ],
        qs,
    )
    if download:
        return download
    page = Paginator(qs, 25).get_page(request.GET.get("page"))
    query = urlencode({k: v for k, v in params.items() if v})
    return render(
        request,
        "knowledge/lessons.html",
        {
            **_tabs("lessons", user),
            "page": page,
            "params": params,
            "query": query,
            "filtered": any(params.values()),
            "total": Lesson.objects.count(),
            "kinds": Lesson.Kind.choices,
            "categories": selectors.categories(),
            "portfolios": Portfolio.objects.order_by("name"),
            "form": form,
            "may_add": may_add,
            "form_open": request.method == "POST",
            "may_categories": can(user, "add", LessonCategory),
        },
    )


def _lesson(request: HttpRequest, pk: int) -> Lesson:
    lesson = selectors.lessons().filter(pk=pk).first()
    if lesson is None or not can(request.user, "view", lesson):
        raise Http404(f"No lesson with id {pk}.")
    return lesson


@login_required
def lesson_page(request: HttpRequest, pk: int) -> HttpResponse:
    lesson = _lesson(request, pk)
    user = request.user
    may_change = can(user, "change", lesson)
    may_mark = can(user, "mark_relevant", lesson)
    initial = {
        "title": lesson.title,
        "kind": lesson.kind,
        "what_happened": lesson.what_happened,
        "impact": lesson.impact,
        "recommendation": lesson.recommendation,
        "category": lesson.category_id,
        "phase": lesson.phase,
        "tags": lesson.tags,
        "project": lesson.project_id,
        "relevant": lesson.relevant,
    }
    form = LessonForm(initial=initial, may_mark=may_mark)
    if request.method == "POST":
        action = request.POST.get("action", "save")
        try:
            if action == "relevant":
                services.lesson_mark_relevant(actor=user, lesson=lesson, relevant=request.POST.get("relevant") == "1")
                messages.success(request, f"{lesson.code} {'marked' if lesson.relevant else 'no longer'} relevant.")
                return HttpResponseRedirect(request.path)
            if action == "delete":
                services.lesson_delete(actor=user, lesson=lesson)
                messages.success(request, f"{lesson.code} deleted.")
                return HttpResponseRedirect(reverse("knowledge:lessons"))
            if not may_change:
                raise PermissionDenied("Only whoever recorded the lesson, its project's leads and the PMO change it.")
            form = LessonForm(request.POST, may_mark=may_mark)
            if form.is_valid():
                services.lesson_update(actor=user, lesson=lesson, **form.cleaned_data)
                messages.success(request, f"{lesson.code} saved.")
                return HttpResponseRedirect(request.path)
        except DomainError as error:
            form_errors(form, error)
            flash(request, error)
    from pmo.core import audit

    return render(
        request,
        "knowledge/lesson.html",
        {
            **_tabs("lessons", user),
            "lesson": lesson,
            "form": form,
            "may_change": may_change,
            "may_mark": may_mark,
            "may_delete": can(user, "delete", lesson),
            "form_open": request.method == "POST",
            "history": audit.history_of(lesson)[:10] if can(user, "view_history", lesson) else [],
        },
    )


@login_required
def categories_page(request: HttpRequest) -> HttpResponse:
    user = request.user
    _need(user, "view", LessonCategory, "The category list is not open to your role.")
    may_add = can(user, "add", LessonCategory)
    form = CategoryForm()
    if request.method == "POST":
        action = request.POST.get("action", "add")
        try:
            if action == "toggle":
                category = LessonCategory.objects.filter(pk=_int(request.POST.get("category"))).first()
                if category is None:
                    raise Http404("No such category.")
                services.category_update(actor=user, category=category, active=not category.active)
                messages.success(request, f"{category.name} {'back in use' if category.active else 'retired'}.")
                return HttpResponseRedirect(request.path)
            if not may_add:
                raise PermissionDenied("The PMO director and the PMO analyst keep the category list.")
            form = CategoryForm(request.POST)
            if form.is_valid():
                category = services.category_create(actor=user, **form.cleaned_data)
                messages.success(request, f"Category {category.name} added.")
                return HttpResponseRedirect(request.path)
        except DomainError as error:
            form_errors(form, error)
    from django.db.models import Count

    return render(
        request,
        "knowledge/categories.html",
        {
            **_tabs("lessons", user),
            "categories": LessonCategory.objects.annotate(n=Count("lessons")).order_by("name"),
            "form": form,
            "may_add": may_add,
            "may_change": can(user, "change", LessonCategory),
        },
    )


# --- search ----------------------------------------------------------------------------------------------


@login_required
def search_page(request: HttpRequest) -> HttpResponse:
    user = request.user
    _need(user, "view", Lesson, "The knowledge search is not open to your role.")
    params = {
        "q": request.GET.get("q", "").strip(),
        "kind": request.GET.get("kind", ""),
        "category": request.GET.get("category", ""),
        "portfolio": request.GET.get("portfolio", ""),
        "methodology": request.GET.get("methodology", ""),
    }
    results = None
    if params["q"]:
        results = search.search(
            params["q"],
            kind=params["kind"] if params["kind"] in SearchEntry.Type.values else None,
            category=params["category"] or None,
            portfolio_id=_int(params["portfolio"]),
            methodology=params["methodology"] or None,
        )
    methodologies = sorted(set(SearchEntry.objects.exclude(methodology="").values_list("methodology", flat=True)))
    return render(
        request,
        "knowledge/search.html",
        {
            **_tabs("search", user),
            "params": params,
            "results": results,
            "types": SearchEntry.Type.choices,
            "categories": selectors.categories(),
            "portfolios": Portfolio.objects.order_by("name"),
            "methodologies": methodologies,
            "relevant": selectors.relevant_lessons(limit=6) if not params["q"] else [],
        },
    )


# --- closures --------------------------------------------------------------------------------------------


@login_required
def closures_page(request: HttpRequest) -> HttpResponse:
    user = request.user
    _need(user, "view", Closure, "Closures are for the project teams, the PMO and management.")
    show = request.GET.get("show", "in_progress")
    qs = selectors.closures(status=None if show == "all" else show)
    rows = [{"closure": c, "missing": selectors.closure_missing(c) if c.status != "closed" else []} for c in qs]
    download = list_export(
        request,
        "Project closures",
        [
            ("Project code", lambda r: r["closure"].project.code),
            ("Project", lambda r: r["closure"].project.name),
            ("Manager", lambda r: str(r["closure"].project.manager or "")),
            ("Portfolio", lambda r: str(r["closure"].project.portfolio)),
            ("Killed", lambda r: r["closure"].killed),
            ("Reason", lambda r: r["closure"].reason),
            ("Status", lambda r: r["closure"].get_status_display()),
            ("What is left", lambda r: "; ".join(r["missing"])),
            ("Started", lambda r: r["closure"].created_at),
            ("Closed", lambda r: r["closure"].closed_at),
        ],
        rows,
    )
    if download:
        return download
    return render(
        request,
        "knowledge/closures.html",
        {
            **_tabs("closures", user),
            "rows": rows,
            "show": show,
            "awaiting": selectors.projects_awaiting_closure(),
        },
    )


def _objective_rows(post: Any) -> list[dict[str, str]]:
    names = post.getlist("objective")
    mets = post.getlist("objective_met")
    comments = post.getlist("objective_comment")
    return [
        {"objective": n, "met": mets[i] if i < len(mets) else "", "comment": comments[i] if i < len(comments) else ""}
        for i, n in enumerate(names)
    ]


@login_required
def closure_page(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    _need(user, "view", Closure, "Closures are for the project teams, the PMO and management.")
    project = Project.objects.select_related("portfolio", "manager").filter(pk=pk).first()
    if project is None:
        raise Http404(f"No project with id {pk}.")
    closure = selectors.closure_of(project)
    report_form = session_form = None
    lesson_form = LessonForm(fixed_project=project, may_mark=can(user, "mark_relevant", Lesson(project=project)))
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "start":
                services.closure_start(actor=user, project=project, reason=request.POST.get("reason", ""))
                messages.success(request, "Closure started: write the report and record the lessons-learned session.")
                return HttpResponseRedirect(request.path)
            if closure is None:
                raise Http404("Start the closure first.")
            if action == "report":
                report_form = ReportForm(request.POST)
                if report_form.is_valid():
                    data = dict(report_form.cleaned_data)
                    services.closure_report_save(
                        actor=user,
                        closure=closure,
                        expected_version=data.pop("version"),
                        objectives=_objective_rows(request.POST),
                        **data,
                    )
                    messages.success(request, "Closure report saved.")
                    return HttpResponseRedirect(request.path + "#report")
            elif action == "session":
                session_form = SessionForm(request.POST)
                if session_form.is_valid():
                    data = dict(session_form.cleaned_data)
                    services.closure_session_save(
                        actor=user, closure=closure, expected_version=data.pop("version"), **data
                    )
                    messages.success(request, "Lessons-learned session recorded.")
                    return HttpResponseRedirect(request.path + "#session")
            elif action == "lesson":
                lesson_form = LessonForm(
                    request.POST, fixed_project=project, may_mark=can(user, "mark_relevant", Lesson(project=project))
                )
                if lesson_form.is_valid():
                    lesson = services.lesson_create(actor=user, project=project, **lesson_form.cleaned_data)
                    messages.success(request, f"{lesson.code} recorded.")
                    return HttpResponseRedirect(request.path + "#lessons")
            elif action == "close":
                services.closure_close(actor=user, closure=closure, comment=request.POST.get("comment", ""))
                messages.success(request, f"{project} is closed and archived.")
                return HttpResponseRedirect(request.path)
        except DomainError as error:
            form = {"report": report_form, "session": session_form, "lesson": lesson_form}.get(action)
            if form is not None:
                form_errors(form, error)
            else:
                flash(request, error)
    context: dict[str, Any] = {
        **_tabs("closures", user),
        "project": project,
        "closure": closure,
        "may_start": closure is None
        and project.state in services.CLOSABLE_STATES
        and can(user, "add", Closure(project=project)),
        "lesson_form": lesson_form,
        "lessons": Lesson.objects.filter(project=project).select_related("category").order_by("created_at"),
        "financial": can(user, "view_financials", project),
    }
    if closure is not None:
        may_change = can(user, "change", closure)
        context.update(
            {
                "figures": selectors.closure_figures(closure),
                "report_missing": selectors.report_missing(closure),
                "session_missing": selectors.session_missing(closure),
                "missing": selectors.closure_missing(closure),
                "may_change": may_change,
                "may_close": can(user, "close", closure),
                "may_add_lesson": can(user, "add", Lesson(project=project)) and closure.status != "closed",
                "answers": ANSWERS,
                "objectives": list(closure.objectives.all()),
                "report_form": report_form
                or ReportForm(
                    initial={
                        "objectives_met": closure.objectives_met,
                        "objectives_comment": closure.objectives_comment,
                        "final_cost": closure.final_cost,
                        "actual_finish": closure.actual_finish,
                        "benefits_handed_over": closure.benefits_handed_over,
                        "recommendations": closure.recommendations,
                        "version": closure.version,
                    }
                ),
                "session_form": session_form
                or SessionForm(
                    initial={
                        "session_date": closure.session_date,
                        "participants": closure.session_participants,
                        "notes": closure.session_notes,
                        "version": closure.version,
                    }
                ),
                "form_open": request.method == "POST",
            }
        )
    return render(request, "knowledge/closure.html", context)


# --- maturity --------------------------------------------------------------------------------------------


def _assessment_levels(form: AssessmentForm) -> tuple[dict[str, Any], dict[str, str]]:
    data = form.cleaned_data
    levels = {d: data.get(f"level_{d}") for d in Dimension.values}
    comments = {d: data.get(f"comment_{d}", "") for d in Dimension.values}
    return levels, comments


@login_required
def maturity_page(request: HttpRequest) -> HttpResponse:
    user = request.user
    _need(user, "view", MaturityAssessment, "PMO maturity is for the PMO and management.")
    today = timezone.localdate()
    may_assess = can(user, "add", MaturityAssessment)
    may_plan = can(user, "add", ImprovementAction)
    assessment_form = AssessmentForm(initial={"assessed_on": today}, prefix="assess")
    action_form = ImprovementForm(prefix="plan")
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "assess":
                if not may_assess:
                    raise PermissionDenied("The PMO director and the PMO analyst record maturity assessments.")
                assessment_form = AssessmentForm(request.POST, prefix="assess")
                if assessment_form.is_valid():
                    levels, comments = _assessment_levels(assessment_form)
                    data = assessment_form.cleaned_data
                    assessment = services.assessment_create(
                        actor=user,
                        title=data["title"],
                        assessed_on=data["assessed_on"],
                        notes=data["notes"],
                        levels=levels,
                        comments=comments,
                    )
                    messages.success(request, f"{assessment} recorded.")
                    return HttpResponseRedirect(request.path)
            elif action == "plan":
                if not may_plan:
                    raise PermissionDenied("The PMO plans improvement actions.")
                action_form = ImprovementForm(request.POST, prefix="plan")
                if action_form.is_valid():
                    data = {k: v for k, v in action_form.cleaned_data.items() if k != "status" or v}
                    latest = selectors.assessments().first()
                    item = services.improvement_create(actor=user, assessment=latest, **data)
                    messages.success(request, f"Improvement action “{item.title}” planned.")
                    return HttpResponseRedirect(request.path + "#actions")
            elif action == "progress":
                item = ImprovementAction.objects.filter(pk=_int(request.POST.get("item"))).first()
                if item is None:
                    raise Http404("No such improvement action.")
                services.improvement_progress(actor=user, action=item, status=request.POST.get("status", ""))
                messages.success(request, f"“{item.title}”: {item.get_status_display().lower()}.")
                return HttpResponseRedirect(request.path + "#actions")
        except DomainError as error:
            form = {"assess": assessment_form, "plan": action_form}.get(action)
            if form is not None:
                form_errors(form, error)
            else:
                flash(request, error)
    trend = selectors.maturity_trend()
    status = request.GET.get("status", "open")
    actions = list(selectors.improvement_actions(status=None if status == "all" else status))
    rows = [
        {
            "item": a,
            "overdue": selectors.is_overdue(a, today),
            "may_progress": can(user, "progress", a),
        }
        for a in actions
    ]
    download = list_export(
        request,
        "Improvement actions",
        [
            ("Action", lambda r: r["item"].title),
            ("Description", lambda r: r["item"].description),
            ("Dimension", lambda r: r["item"].get_dimension_display()),
            ("Owner", lambda r: str(r["item"].owner or "")),
            ("Due", lambda r: r["item"].due),
            ("Overdue", lambda r: r["overdue"]),
            ("Status", lambda r: r["item"].get_status_display()),
        ],
        rows,
    )
    if download:
        return download
    latest = trend[-1] if trend else None
    previous = trend[-2] if len(trend) > 1 else None
    dimensions = [
        {
            "key": d,
            "label": label,
            "level": latest["levels"].get(d) if latest else None,
            "change": (latest["levels"].get(d, 0) - previous["levels"].get(d, 0)) if latest and previous else None,
            "open_actions": sum(1 for a in actions if a.dimension == d and a.is_open),
        }
        for d, label in Dimension.choices
    ]
    return render(
        request,
        "knowledge/maturity.html",
        {
            **_tabs("maturity", user),
            "trend": trend,
            "chart": charts.maturity_trend_svg(trend),
            "latest": latest,
            "dimensions": dimensions,
            "rows": rows,
            "status": status,
            "overdue_count": selectors.overdue_actions(today).count(),
            "assessment_form": assessment_form,
            "action_form": action_form,
            "may_assess": may_assess,
            "may_plan": may_plan,
            "form_open": request.POST.get("action", "") if request.method == "POST" else "",
            "statuses": ImprovementAction.Status.choices,
            "level_descriptions": charts.LEVELS,
        },
    )


@login_required
def assessment_page(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    _need(user, "view", MaturityAssessment, "PMO maturity is for the PMO and management.")
    assessment = selectors.assessments().filter(pk=pk).first()
    if assessment is None:
        raise Http404(f"No assessment with id {pk}.")
    scores = {s.dimension: s for s in assessment.scores.all()}
    return render(
        request,
        "knowledge/assessment.html",
        {
            **_tabs("maturity", user),
            "assessment": assessment,
            "rows": [(label, scores.get(d)) for d, label in Dimension.choices],
            "average": selectors.average_level(assessment),
            "actions": assessment.actions.select_related("owner"),
            "level_descriptions": charts.LEVELS,
        },
    )


@login_required
def maturity_trend_svg(request: HttpRequest) -> HttpResponse:
    _need(request.user, "view", MaturityAssessment, "PMO maturity is for the PMO and management.")
    return HttpResponse(charts.maturity_trend_svg(selectors.maturity_trend()), content_type="image/svg+xml")


@login_required
def improvement_page(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    item = selectors.improvement_actions().filter(pk=pk).first()
    if item is None or not can(user, "view", item):
        raise Http404(f"No improvement action with id {pk}.")
    may_change = can(user, "change", item)
    form = ImprovementForm(
        initial={
            "title": item.title,
            "dimension": item.dimension,
            "description": item.description,
            "owner": item.owner_id,
            "due": item.due,
            "status": item.status,
        }
    )
    if request.method == "POST":
        if not may_change:
            raise PermissionDenied("The PMO changes improvement actions; their owners move them along.")
        form = ImprovementForm(request.POST)
        if form.is_valid():
            try:
                data = {k: v for k, v in form.cleaned_data.items() if k != "status" or v}
                services.improvement_update(actor=user, action=item, **data)
                messages.success(request, "Improvement action saved.")
                return HttpResponseRedirect(reverse("knowledge:maturity") + "#actions")
            except DomainError as error:
                form_errors(form, error)
    return render(
        request,
        "knowledge/improvement.html",
        {
            **_tabs("maturity", user),
            "item": item,
            "form": form,
            "may_change": may_change,
            "overdue": selectors.is_overdue(item, timezone.localdate()),
        },
    )
